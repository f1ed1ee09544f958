# tests/it/network.sh: sockets, passthru and the --sandbox virtual network.
# Sourced by tests/integration.sh, which has the helpers.

NET_PY=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null)

# A pointer argument as the decoder prints it: an address or a struct.
NP='(0x[0-9a-f]+|\{.*\}|\[.*\])'

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
	expect_line 'socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 3'
	expect_line 'listen(3, 8) = 0'
	expect_line 'sendmsg(4, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="abc", iov_len=3}, {iov_base="defg", iov_len=4}], msg_iovlen=2, msg_controllen=0, msg_flags=0}, 0) = 7'
	expect_line 'setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0'
	expect_line 'socketpair(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0, [3, 4]) = 0'
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
	expect_line 'getsockopt(4, SOL_TCP, TCP_NODELAY, [1], [4]) = 0'
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

# The http script: "$1" -m http.server on 127.0.0.1 port $4 (0: any)
# serving $2, announced through the fifo $3.srv; a python client fetches
# page.txt and prints it.  With $5 set, it then says so in $3.ready and
# keeps the server up until a line comes through the fifo $3.go.
# shellcheck disable=SC2016
HTTP_SCRIPT='"$1" -u -m http.server --bind 127.0.0.1 --directory "$2" "$4" \
    >"$3.srv" 2>/dev/null &
read -r line <"$3.srv"
port=${line#* port }; port=${port%% *}
[ "$4" = 0 ] && line=${line/port $port/port PORT}
echo "${line%% (*}"
"$1" -c "import sys, urllib.request
r = urllib.request.urlopen(\"http://127.0.0.1:%s/page.txt\" % sys.argv[1])
print(r.status, r.read().decode(), end=\"\")" "$port"
echo "client $?"
if [ -n "$5" ]; then
	: >"$3.ready"
	read -r go <"$3.go"
fi
kill %1; wait %1; echo "server stopped"'

t_networking_http() {		# HEAVY: python http.server and a client
	[[ -n $NET_PY ]] || { skip "no python3"; return; }
	local LIMIT=10
	mkdir "$W/www"
	echo "a page from the server" >"$W/www/page.txt"
	mkfifo "$W/n.srv" "$W/t.srv"
	run_native bash -c "$HTTP_SCRIPT" sh "$NET_PY" "$W/www" "$W/n" 0
	run_traced bash -c "$HTTP_SCRIPT" sh "$NET_PY" "$W/www" "$W/t" 0
	expect_same -E
	expect_out traced 'Serving HTTP on 127.0.0.1 port PORT
200 a page from the server
client 0
server stopped'
}

t_networking_sandbox() {	# virtual TCP and UDP: threads, processes
	need "$PROGS/net_threads" "$PROGS/net_procs" "$PROGS/net_reach" ||
	    return
	local p
	for p in net_threads net_procs; do
		run_native "$PROGS/$p"
		run_as sb "$ISOTRACE" --sandbox -- "$PROGS/$p"
		expect_same native sb
		# the virtual addresses are the same on every run
		run_as sb1 "$ISOTRACE" --sandbox -- "$PROGS/$p" -a
		run_as sb2 "$ISOTRACE" --sandbox -- "$PROGS/$p" -a
		expect_status sb1 0
		expect_same sb1 sb2
		[[ $(grep -v '[0-9]:[0-9]' "$W/sb1.out") == "$(cat "$W/native.out")" ]] ||
		    fail "$p -a: the lines without addresses differ from native"
	done
	expect_out sb1 'tcp listener 127.0.0.1:32768
udp socket 127.0.0.1:32768
tcp client 127.0.0.1:32769
tcp echo: FIRST LINE
tcp echo: SECOND
udp echo: ALPHA from the child'"'"'s socket: yes
udp echo: BETA from the child'"'"'s socket: yes
udp echo: GAMMA from the child'"'"'s socket: yes
udp client 0.0.0.0:32769
second listener 127.0.0.1:32770
accepted 127.0.0.1:32771
second listener got "from the child"
child exit 0'
	run_as verbose "$ISOTRACE" --sandbox -v -o "$W/trace" -- \
	    "$PROGS/net_threads" -a
	expect_fixed verbose out 'listening on 127.0.0.1:32768'
	expect_fixed verbose out 'client peer 127.0.0.1:32768'
	expect_fixed verbose out 'udp from 127.0.0.1:32768'
	expect_fixed verbose out 'SCM_RIGHTS fd reads "through a pipe"'
	expect_line 'socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 3'
	expect_match "^accept4\(3, $NP, $NP, SOCK_CLOEXEC\) = 5$"
	# the trace shows the program's calls, not the AF_UNIX ones made
	expect_count '^socket\(AF_UNIX' 0
	expect_match "^bind\(3, $NP, 16\) = 0$" 2

	run_as reach "$ISOTRACE" --sandbox -- "$PROGS/net_reach"
	expect_status reach 0
	expect_out reach 'tcp connect 127.0.0.1:9: ECONNREFUSED
tcp connect 10.1.2.3:80: ENETUNREACH
tcp connect 93.184.216.34:443: ENETUNREACH
udp connect 127.0.0.1:9: ok
udp send to nobody: 4
udp send outside: ENETUNREACH
SO_DOMAIN AF_INET SO_PROTOCOL IPPROTO_UDP
raw socket: EPERM
v6 listener [::]:8080 len 28
v6 listener accepted [::ffff:127.0.0.1]:32768
v6 listener accepted [::1]:32769
tcp connect 10.1.2.3:8080: ENETUNREACH
udp send to a socket connected elsewhere: 4
interface lo 127.0.0.1:0
lo flags up loopback
eth0 index: ENODEV
getaddrinfo localhost: 127.0.0.1:8000'
}

# host_refused PORT: nothing on the host answers at 127.0.0.1:PORT.
host_refused() {
	! timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

t_networking_sandbox_http() {	# HEAVY: two sandboxes serve port 8000 at once
	[[ -n $NET_PY ]] || { skip "no python3"; return; }
	host_refused 8000 || { skip "the host has a server on port 8000"; return; }
	local LIMIT=10 r i
	for r in a b; do
		mkdir "$W/www$r"
		echo "page $r" >"$W/www$r/page.txt"
		mkfifo "$W/$r.srv" "$W/$r.go"
		run_as "sb$r" "$ISOTRACE" --sandbox -- bash -c "$HTTP_SCRIPT" \
		    sh "$NET_PY" "$W/www$r" "$W/$r" 8000 sync &
	done
	for ((i = 0; i < 400; i++)); do
		[[ -e $W/a.ready && -e $W/b.ready ]] && break
		sleep 0.02
	done
	# both servers are up, each in its own sandbox: the host sees none
	host_refused 8000 || fail "a host connect to 127.0.0.1:8000 was accepted"
	for r in a b; do
		timeout 5 bash -c 'echo go >"$1"' sh "$W/$r.go"
	done
	wait
	for r in a b; do
		expect_status "sb$r" 0
		expect_out "sb$r" "Serving HTTP on 127.0.0.1 port 8000
200 page $r
client 0
server stopped"
	done
}

t_networking_sandbox_scm_rights() {	# HEAVY: a virtual listener sent to a child
	[[ -n $NET_PY ]] || { skip "no python3"; return; }
	local LIMIT=5
	# the listener is made after the fork: the child has it only
	# through SCM_RIGHTS, and its worker must still know it as virtual
	cat >"$W/scm.py" <<'EOF'
import socket, os
a, b = socket.socketpair()
pid = os.fork()
if pid == 0:
    msg, fds, _, _ = socket.recv_fds(b, 10, 1)
    s = socket.socket(fileno=fds[0])
    print("child got", s.family.name, s.getsockname(), flush=True)
    c, addr = s.accept()
    print("child accepted", addr, c.recv(10), flush=True)
    os._exit(0)
l = socket.socket()
l.bind(("127.0.0.1", 0))
l.listen()
socket.send_fds(a, [b"x"], [l.fileno()])
c = socket.create_connection(l.getsockname())
c.send(b"hi")
os.waitpid(pid, 0)
print("parent done", l.getsockname())
EOF
	run_native "$NET_PY" "$W/scm.py"
	run_as sb "$ISOTRACE" --sandbox -- "$NET_PY" "$W/scm.py"
	expect_status native 0
	expect_status sb 0
	expect_out sb "child got AF_INET ('127.0.0.1', 32768)
child accepted ('127.0.0.1', 32769) b'hi'
parent done ('127.0.0.1', 32768)"
}

TESTS+=(networking networking_http networking_sandbox networking_sandbox_http
    networking_sandbox_scm_rights)
