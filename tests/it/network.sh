# tests/it/network.sh: sockets, passthru and the --sandbox virtual network.
# Sourced by tests/integration.sh, which has the helpers.

NET_PY=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null)

# A pointer argument as the decoder prints it: an address or a struct.
NP='(0x[0-9a-f]+|\{.*\})'

t_networking() {		# TCP, UDP, SCM_RIGHTS: threads and processes
	need "$PROGS/net_threads" "$PROGS/net_procs" || return
	run_native "$PROGS/net_threads"
	run_traced "$PROGS/net_threads"
	expect_same
	expect_status traced 0
	expect_fixed traced out 'server recvmsg "abc" "defg"'
	expect_fixed traced out 'udp a got "three"'
	expect_fixed traced out 'SCM_RIGHTS fd reads "through a pipe"'
	run_verbose "$PROGS/net_threads"
	expect_same native verbose
	expect_line 'socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, 0) = 3'
	expect_line 'listen(3, 8) = 0'
	expect_line 'shutdown(4, SHUT_WR) = 0'
	expect_match "^bind\(3, $NP, 16\) = 0$" 2
	expect_match "^connect\(4, $NP, 16\) = 0$" 2
	expect_match "^accept4\(3, $NP, $NP, SOCK_CLOEXEC\) = 5$"
	expect_match "^sendmsg\(4, $NP, 0\) = 7$"
	expect_match "^recvmsg\(5, $NP, MSG_WAITALL\) = 7$"
	expect_match "^sendmmsg\(4, $NP, 3, 0\) = 3$"
	expect_match "^recvmmsg\(3, $NP, 3, MSG_WAITFORONE, NULL\) = [1-3]$"
	expect_match '^recvfrom\(5, "hello", 5, 0, NULL, NULL\) = 5$'
	expect_match "^setsockopt\(3, SOL_SOCKET, (2|SO_REUSEADDR), .*, 4\) = 0$"
	expect_match "^getsockopt\(4, IPPROTO_TCP, (1|TCP_NODELAY), $NP, $NP\) = 0$"
	expect_match "^socketpair\(AF_UNIX, SOCK_STREAM\|SOCK_CLOEXEC, 0, $NP\) = 0$"
	expect_match "^sendmsg\(3, $NP, 0\) = 1$"
	expect_match "^recvmsg\(4, $NP, MSG_CMSG_CLOEXEC\) = 1$"
	expect_match "^(poll|ppoll|pselect6|epoll_wait)\(" 5
	expect_tids_exact 1 'accept4\('
	# the accepting thread is not the connecting one
	[[ $(tids 'accept4\(') != "$(tids 'connect\(4, .*, 16\) = 0')" ]] ||
	    fail "accept4 and connect ran in the same thread"

	run_native "$PROGS/net_procs"
	run_traced "$PROGS/net_procs"
	expect_same
	expect_status traced 0
	expect_fixed traced out 'udp echo: GAMMA from the child'"'"'s socket: yes'
	expect_fixed traced out 'second listener got "from the child"'
	TRACE=$W/trace2
	_run verbose2 "$ISOTRACE" -v -o "$TRACE" -- "$PROGS/net_procs"
	expect_same native verbose2
	# both processes accept and connect once each
	expect_tids_exact 2 'accept\('
	expect_tids_exact 2 'connect\('
	expect_match "^sendto\([0-9]+, \"alpha\", 5, 0, $NP, 16\) = 5$"
	expect_match "^recvfrom\([0-9]+, \"ALPHA\", 255, 0, $NP, $NP\) = 5$"
}

# http_script SANDBOXED: a shell script that serves $W/www with python's
# http.server on 127.0.0.1 (port 8000 in the sandbox, else a free one),
# fetches a page with a python client and prints it.
http_script() {
	local port=0
	[[ $1 == 1 ]] && port=8000
	# shellcheck disable=SC2016
	printf '%s' '"$1" -u -m http.server --bind 127.0.0.1 --directory "$2" '"$port"' >"$3" 2>/dev/null &
for i in $(seq 500); do
	port=$(sed -n "s/^Serving HTTP on .* port \([0-9]*\) .*/\1/p" "$3")
	[ -n "$port" ] && break
	sleep 0.01
done
echo "port found: ${port:+yes}"
[ -n "$4" ] && echo "port $port"
"$1" -c "import sys, urllib.request
r = urllib.request.urlopen(\"http://127.0.0.1:%s/page.txt\" % sys.argv[1])
print(r.status, r.read().decode(), end=\"\")" "$port"
echo "client $?"
kill %1; wait %1; echo "server stopped"'
}

t_networking_http() {		# HEAVY: python http.server and a client
	[[ -n $NET_PY ]] || { skip "no python3"; return; }
	local LIMIT=10
	mkdir "$W/www"
	echo "a page from the server" >"$W/www/page.txt"
	run_native bash -c "$(http_script 0)" sh "$NET_PY" "$W/www" "$W/log0"
	run_traced bash -c "$(http_script 0)" sh "$NET_PY" "$W/www" "$W/log1"
	expect_same -E
	expect_out traced 'port found: yes
200 a page from the server
client 0
server stopped'
}

TESTS+=(networking networking_http)
