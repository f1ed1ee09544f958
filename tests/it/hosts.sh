# tests/it/hosts.sh: the run's host name resolves, through an /etc/hosts of
# the run's own, as a Debian host's name does; the host's file stays as it
# was.  Sourced by tests/integration.sh, which has the helpers.

HOSTS_PY=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null)

t_hosts_name_resolves() {	# HEAVY: getent and python find the run's name
	need_userns || return
	[[ -n $HOSTS_PY ]] || { skip "no python3"; return; }
	local LIMIT=5 script
	# what a program does at start: its own name, to an address that
	# binds and connects (the virtual network's loopback)
	cat >"$W/name.py" <<-'EOF'
	import socket
	h = socket.gethostname()
	a = socket.gethostbyname(h)
	s = socket.create_server((a, 0))
	c = socket.create_connection(s.getsockname())
	c.sendall(b"hi")
	print(h, a, socket.getfqdn(), s.accept()[0].recv(2).decode())
	EOF
	# shellcheck disable=SC2016
	script='getent hosts sandbox; "$1" name.py
hostname build-7; getent hosts build-7; "$1" name.py
echo "10.0.0.1 extra" >>/etc/hosts; getent hosts extra
getent hosts sandbox || echo "sandbox: gone"'
	# The run's "host" file is a scratch copy bind-mounted over
	# /etc/hosts in a mount namespace of the test's: were the run to
	# write the file it sees, it would write the copy, not the host's.
	cp /etc/hosts "$W/host.hosts"
	cp /etc/hosts "$W/host.before"
	# shellcheck disable=SC2016
	run_as sb unshare -Urm sh -c \
	    'mount --bind "$1" /etc/hosts && shift && exec "$@"' sh \
	    "$W/host.hosts" "$ISOTRACE" --sandbox -- sh -c "$script" sh \
	    "$HOSTS_PY"
	expect_status sb 0
	expect_out sb $'127.0.1.1       sandbox
sandbox 127.0.1.1 sandbox hi
127.0.1.1       build-7
build-7 127.0.1.1 build-7 hi
10.0.0.1        extra
sandbox: gone'
	cmp -s "$W/host.before" "$W/host.hosts" ||
	    fail "the run wrote the host's /etc/hosts" \
		"$(diff "$W/host.before" "$W/host.hosts")"
	cmp -s "$W/host.before" /etc/hosts ||
	    fail "the host's /etc/hosts changed"
	# translated pids have no mount namespace: an open of /etc/hosts
	# reads a memfd of the same text, with the name of the moment
	# shellcheck disable=SC2016
	run_as tr unshare -Urm sh -c \
	    'mount --bind "$1" /etc/hosts && shift && exec "$@"' sh \
	    "$W/host.hosts" "$ISOTRACE" --sandbox --sandbox-pids=translate \
	    -- sh -c 'getent hosts sandbox; hostname x; getent hosts x; cat /etc/hosts'
	expect_status tr 0
	{
		printf '127.0.1.1       sandbox\n127.0.1.1       x\n'
		cat "$W/host.before"
		[[ -z $(tail -c 1 "$W/host.before") ]] || echo
		printf '127.0.1.1\tx\n'
	} >"$W/tr.expected"
	cmp -s "$W/tr.expected" "$W/tr.out" ||
	    fail "translate: unexpected stdout" \
		"$(diff "$W/tr.expected" "$W/tr.out")"
	cmp -s "$W/host.before" "$W/host.hosts" ||
	    fail "translate: the run wrote the host's /etc/hosts"
}

TESTS+=(hosts_name_resolves)

# A hostile run points its /etc/hosts elsewhere and renames itself: in a
# chroot whose "etc" is a link to /proc/P/root/DIR, P a process outside
# the run (whose /proc the run cannot see) with another namespace's
# tmpfs on DIR holding a file that ends as the run's copy does (another
# run's /etc/hosts).  The worker, which renames the line through the
# run's /proc/PID/root, must resolve that path as the run would (inside
# its root), and leave the other file alone.
t_hosts_jail() {
	need_userns || return
	local script
	mkdir -p "$W/victim" "$W/jail"
	# shellcheck disable=SC2016
	script='v=$1 jail=$2 isotrace=$3 prog=$4
mount -t tmpfs victim "$v" || exit 99
printf "10.9.9.9\tother\n127.0.1.1\tsandbox\n" >"$v/hosts"
unshare -m sh -c '\''umount "$1" && shift && exec "$@"'\'' sh "$v" \
    "$isotrace" --sandbox -- sh -c \
    '\''mount -t tmpfs jail "$1" && ln -s "/proc/$2/root$3" "$1/etc" &&
    exec "$4" "$1" evil'\'' sh "$jail" "$$" "$v" "$prog"
st=$?
cat "$v/hosts"
exit $st'
	run_as hj unshare -m sh -c "$script" sh "$W/victim" "$W/jail" \
	    "$ISOTRACE" "$PROGS/hostsjail"
	expect_status hj 0
	expect_out hj $'10.9.9.9\tother\n127.0.1.1\tsandbox'
}

TESTS+=(hosts_jail)
