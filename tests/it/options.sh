# tests/it/options.sh: the strace options a strace user types: -p, -y,
# -yy, -x, -z, -Z, -P, -q, -e signal=, -e status=, -E, -u.
# Sourced by tests/integration.sh, which has the helpers.

# wait_for FILE ERE [TENTHS]: until a line of FILE matches (default 3 s).
wait_for() {
	local i
	for ((i = 0; i < ${3:-30}; i++)); do
		grep -Eq -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# tracers PID: the TracerPid of every thread of PID, one per line.
tracers() {
	cat /proc/"$1"/task/*/status 2>/dev/null | sed -n 's/^TracerPid:\t//p'
}

# attach_start TAG PID [OPTS...]: isotrace -p PID in the background, its
# trace in $W/TAG.trace; waits for its "attached" message (with -q, for
# a first trace line).  $IPID is its pid.
attach_start() {
	local tag=$1 pid=$2
	shift 2
	(cd "$W" && exec timeout -k 1 10 "$ISOTRACE" "$@" -o "$W/$tag.trace" \
	    -p "$pid" >"$W/$tag.out" 2>"$W/$tag.err") &
	IPID=$!
	if [[ ${1-} == -q ]]; then
		wait_for "$W/$tag.trace" . || fail "$tag: no trace line"
	else
		wait_for "$W/$tag.err" "^isotrace: Process $pid attached" ||
		    fail "$tag: no attach message" "$(cat "$W/$tag.err")"
	fi
}

# attach_end TAG: waits for isotrace, records its status.
attach_end() {
	wait "$IPID"
	echo $? >"$W/$1.rc"
}

t_attach_sleep() {		# -p a sleep; SIGTERM detaches, it sleeps on
	local pid
	(cd "$W" && exec sleep 1.5) &
	pid=$!
	sleep 0.1
	attach_start att "$pid"
	[[ $(tracers "$pid") != 0 ]] ||
	    fail "sleep $pid not traced after the attach message"
	kill -TERM "$IPID"
	attach_end att
	expect_status att 0
	[[ $(tracers "$pid") == 0 ]] ||
	    fail "sleep still traced after the detach: $(tracers "$pid")"
	kill -0 "$pid" 2>/dev/null || fail "sleep did not survive the detach"
	wait "$pid"
	[[ $? == 0 ]] || fail "sleep ended with status $?, not 0"
	[[ $(cat "$W/att.err") == "isotrace: Process $pid attached"$'\n'"isotrace: Process $pid detached" ]] ||
	    fail "attach/detach messages" "$(cat "$W/att.err")"
	TRACE=$W/att.trace
	expect_match '^restart_syscall\( <detached \.\.\.>$'
}

t_attach_stopped() {		# a stopped process stays stopped, after too
	local pid
	(cd "$W" && exec sleep 1.5) &
	pid=$!
	sleep 0.1
	kill -STOP "$pid"
	sleep 0.1
	attach_start att "$pid"
	sleep 0.2
	grep -Eq '^State:	t' /proc/"$pid"/status ||
	    fail "stopped process resumed by the attach" "$(grep State /proc/"$pid"/status)"
	kill -INT "$IPID"
	attach_end att
	expect_status att 0
	grep -Eq '^State:	T \(stopped\)' /proc/"$pid"/status ||
	    fail "not stopped after the detach" "$(grep State /proc/"$pid"/status)"
	[[ $(tracers "$pid") == 0 ]] || fail "still traced after the detach"
	kill -CONT "$pid"
	wait "$pid"
	[[ $? == 0 ]] || fail "sleep did not end normally after SIGCONT"
}

t_attach_threads() {	# -p a threaded process; sees its new child; ^C
	local pid tids
	need "$PROGS/attachee" || return
	LIMIT=5
	(cd "$W" && exec "$PROGS/attachee" 3 1500 >"$W/native.out" \
	    2>"$W/native.err") &
	pid=$!
	wait_for "$W/native.out" '^ready$' || fail "attachee not ready"
	attach_start att "$pid"
	[[ $(tracers "$pid" | sort -u | wc -l) == 1 &&
	    $(tracers "$pid" | sort -u) != 0 &&
	    $(tracers "$pid" | wc -l) == 3 ]] ||
	    fail "not every thread of $pid traced: $(tracers "$pid" | tr '\n' ' ')"
	grep -Fxq "isotrace: Process $pid attached with 3 threads" \
	    "$W/att.err" || fail "attach message" "$(cat "$W/att.err")"
	touch "$W/go"
	wait_for "$W/native.out" '^child 7$' || fail "the child did not run"
	kill -INT "$IPID"
	attach_end att
	expect_status att 0
	tids=$(tracers "$pid" | sort -u | tr '\n' ' ')
	[[ $tids == "0 " ]] || fail "threads still traced after ^C: $tids"
	wait "$pid"
	echo $? >"$W/native.rc"
	expect_status native 5
	expect_out native $'ready\nchild 7\ndone'
	TRACE=$W/att.trace
	# The child, forked after the attach, in its own worker, no filter.
	expect_line 'openat(AT_FDCWD, "attachee-child-mark", O_RDONLY) = -1 ENOENT (No such file or directory)'
	expect_line '+++ exited with 7 +++'
	expect_tids 3 '^clock_nanosleep\('
	[[ $(tids '^openat\(AT_FDCWD, "attachee-child-mark"') != "$pid" ]] ||
	    fail "the child's call shows the parent's pid"
	expect_no_workers
}

t_attach_exit() {		# isotrace -p ends with its process, status 0
	local pid
	need "$PROGS/attachee" || return
	LIMIT=5
	(cd "$W" && exec "$PROGS/attachee" 1 400 >"$W/native.out") &
	pid=$!
	wait_for "$W/native.out" '^ready$' || fail "attachee not ready"
	attach_start att "$pid" -q -q
	attach_end att
	expect_status att 0
	wait "$pid"
	[[ $? == 5 ]] || fail "attachee's status changed"
	TRACE=$W/att.trace
	expect_line 'exit_group(5) = ?'
	# -qq: no exit line, and -q: no message, strace's quiet levels.
	expect_count '^\+\+\+ ' 0
	[[ ! -s $W/att.err ]] || fail "-q printed messages" "$(cat "$W/att.err")"
}

t_attach_refused() {	# --sandbox -p and -p with bad pids: usage errors
	run_as sb "$ISOTRACE" --sandbox -p $$
	expect_status sb 125
	expect_grep sb err '^isotrace: --sandbox cannot attach to a running process'
	run_as zero "$ISOTRACE" -p 0
	expect_status zero 125
	expect_grep zero err '^isotrace: -p 0: not a process id$'
	run_as gone "$ISOTRACE" -p 2147483646
	expect_status gone 125
	expect_grep gone err '^isotrace: -p 2147483646: no such process$'
	run_as cmd "$ISOTRACE" -p $$ true
	expect_status cmd 125
}

t_attach_busy() {		# a process traced already: 125, and it lives on
	local pid= i=0 ipid
	LIMIT=5
	(cd "$W" && exec "$ISOTRACE" sleep 1.5) &
	ipid=$!
	while [[ -z $pid ]] && ((i++ < 30)); do
		sleep 0.1
		pid=$(pgrep -f '^sleep 1\.5$' | while read -r p; do
			[[ $(readlink "/proc/$p/cwd") == "$W" ]] && echo "$p"
		done)
	done
	[[ -n $pid ]] || { fail "traced sleep not found"; return; }
	run_as busy "$ISOTRACE" -p "$pid"
	expect_status busy 125
	expect_fixed busy err "isotrace: attach $pid: Operation not permitted"
	wait "$ipid"
	[[ $? == 0 ]] || fail "the traced sleep did not end normally"
}

t_quiet_levels() {		# -q keeps exit lines, -qq drops them
	run_as q1 "$ISOTRACE" -q -e trace=exit_group -o "$W/q1.trace" \
	    sh -c 'exit 3'
	expect_status q1 3
	TRACE=$W/q1.trace
	expect_line 'exit_group(3) = ?'
	expect_line '+++ exited with 3 +++'
	run_as q2 "$ISOTRACE" -qq -e trace=exit_group -o "$W/q2.trace" \
	    sh -c 'exit 3'
	expect_status q2 3
	TRACE=$W/q2.trace
	expect_line 'exit_group(3) = ?'
	expect_count '^\+\+\+ ' 0
	# strace -qq keeps a death by signal.
	run_as q3 "$ISOTRACE" -qq -e trace=none -o "$W/q3.trace" \
	    sh -c 'kill $$'
	expect_status q3 143
	TRACE=$W/q3.trace
	expect_line '+++ killed by SIGTERM +++'
}

t_signal_set() {		# -e signal=SET chooses the "--- SIG" lines
	local cmd='trap "echo 1" USR1; trap "echo 2" USR2; kill -USR1 $$; kill -USR2 $$'
	run_native sh -c "$cmd"
	run_as all "$ISOTRACE" -e trace=kill -o "$W/all.trace" sh -c "$cmd"
	expect_same -E native all
	TRACE=$W/all.trace
	expect_match '^--- SIGUSR1 \{si_signo=SIGUSR1, si_code=SI_USER, '
	expect_match '^--- SIGUSR2 \{si_signo=SIGUSR2, si_code=SI_USER, '
	run_as not1 "$ISOTRACE" -e trace=kill -e 'signal=!SIGUSR1' \
	    -o "$W/not1.trace" sh -c "$cmd"
	expect_same -E native not1
	TRACE=$W/not1.trace
	expect_count '^--- SIGUSR1 ' 0
	expect_match '^--- SIGUSR2 \{si_signo=SIGUSR2, si_code=SI_USER, '
	run_as num "$ISOTRACE" -e trace=kill -e signal=10,chld \
	    -o "$W/num.trace" sh -c "$cmd"
	TRACE=$W/num.trace
	expect_match '^--- SIGUSR1 '
	expect_count '^--- SIGUSR2 ' 0
	run_as none "$ISOTRACE" -e trace=kill -e signal=none \
	    -o "$W/none.trace" sh -c "$cmd"
	TRACE=$W/none.trace
	expect_count '^--- ' 0
	expect_match '^kill\([0-9]+, SIGUSR2\) = 0$'
	run_as bad "$ISOTRACE" -e signal=SIGFOO true
	expect_status bad 125
	expect_grep bad err "^isotrace: -e signal=SIGFOO: unknown 'SIGFOO'$"
}

t_status_set() {		# -z, -Z, -e status=: decided at the exit
	run_native cat /nonexistent
	run_as Z "$ISOTRACE" -Z -e trace=openat,exit_group -o "$W/Z.trace" \
	    cat /nonexistent
	expect_same native Z
	TRACE=$W/Z.trace
	expect_line 'openat(AT_FDCWD, "/nonexistent", O_RDONLY) = -1 ENOENT (No such file or directory)'
	expect_count '^openat\(.*\) = [0-9]' 0
	expect_count '^exit_group' 0
	run_as z "$ISOTRACE" -z -e trace=openat,exit_group -o "$W/z.trace" \
	    cat /nonexistent
	TRACE=$W/z.trace
	expect_match '^openat\(AT_FDCWD, "[^"]*", O_RDONLY\|O_CLOEXEC\) = 3$'
	expect_count ' = -1 ' 0
	expect_count '^exit_group' 0
	run_as u "$ISOTRACE" -e status=unfinished -e trace=openat,exit_group \
	    -o "$W/u.trace" cat /nonexistent
	TRACE=$W/u.trace
	expect_line 'exit_group(1) = ?'
	expect_count '^openat' 0
	run_as bad "$ISOTRACE" -e status=fine true
	expect_status bad 125
	expect_grep bad err "^isotrace: -e status=fine: unknown 'fine'$"
}

t_fdpath() {			# -y: paths of descriptors, as strace -y
	printf 'hello\n' >"$W/f"
	run_native dd if=f bs=64 count=1 status=none
	run_as y "$ISOTRACE" -y -o "$W/y.trace" dd if=f bs=64 count=1 \
	    status=none
	expect_same native y
	TRACE=$W/y.trace
	expect_line "openat(AT_FDCWD<$W>, \"f\", O_RDONLY) = 3<$W/f>"
	expect_line "dup2(3<$W/f>, 0</dev/null>) = 0<$W/f>"
	expect_line "read(0<$W/f>, \"hello\\n\", 64) = 6"
	expect_line "close(0<$W/f>) = 0"
	# '<' and '>' in a path are escaped, as strace does.
	printf 'x' >"$W/a>b"
	run_as esc "$ISOTRACE" -y -e trace=read -o "$W/esc.trace" \
	    dd 'if=a>b' bs=64 count=1 status=none
	TRACE=$W/esc.trace
	expect_line "read(0<$W/a\\76b>, \"x\", 64) = 1"
}

t_fdpath_sockets() {		# -yy: socket endpoints, as strace -yy
	command -v python3 >/dev/null || {
		SKIP="python3 is not installed"
		return
	}
	LIMIT=5
	cat >"$W/s.py" <<'EOF'
import socket
s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()
c = socket.create_connection(s.getsockname()); a, _ = s.accept()
c.send(b'x'); a.recv(1)
u1, u2 = socket.socketpair(); u1.send(b'y'); u2.recv(1)
print(s.getsockname()[1], c.getsockname()[1], u1.fileno(), u2.fileno())
EOF
	run_as yy "$ISOTRACE" -yy -e trace=listen,sendto,recvfrom \
	    -o "$W/yy.trace" python3 s.py
	expect_status yy 0
	local lport cport
	read -r lport cport _ <"$W/yy.out"
	TRACE=$W/yy.trace
	expect_match "^listen\([0-9]+<TCP:\[127\.0\.0\.1:$lport\]>, [0-9]+\) = 0$"
	expect_match "^sendto\([0-9]+<TCP:\[127\.0\.0\.1:$cport->127\.0\.0\.1:$lport\]>, \"x\", 1, 0, NULL, 0\) = 1$"
	expect_match "^recvfrom\([0-9]+<TCP:\[127\.0\.0\.1:$lport->127\.0\.0\.1:$cport\]>, \"x\", 1, 0, NULL, NULL\) = 1$"
	expect_match '^sendto\([0-9]+<UNIX-STREAM:\[[0-9]+->[0-9]+\]>, "y", 1, 0, NULL, 0\) = 1$'
	# One -y: the link as it is.
	run_as y "$ISOTRACE" -y -e trace=sendto -o "$W/y.trace" python3 s.py
	TRACE=$W/y.trace
	expect_match '^sendto\([0-9]+<socket:\[[0-9]+\]>, "x", 1, 0, NULL, 0\) = 1$'
}

t_hex_strings() {		# -x: non-ASCII strings in hex; -xx: all
	run_native printf 'a\001\n'
	run_as x "$ISOTRACE" -x -e trace=write -o "$W/x.trace" printf 'a\001\n'
	expect_same native x
	TRACE=$W/x.trace
	expect_line 'write(1, "\x61\x01\x0a", 3) = 3'
	run_as xt "$ISOTRACE" -x -e trace=write -o "$W/xt.trace" printf 'a\tb\n'
	TRACE=$W/xt.trace
	expect_line 'write(1, "a\tb\n", 4) = 4'
	run_as xx "$ISOTRACE" -xx -e trace=write -o "$W/xx.trace" printf 'ab'
	TRACE=$W/xx.trace
	expect_line 'write(1, "\x61\x62", 2) = 2'
}

t_path_filter() {		# -P: only calls that touch the path
	printf 'hello\n' >"$W/f"
	run_as P "$ISOTRACE" -P f -o "$W/P.trace" dd if=f bs=64 count=1 \
	    status=none
	expect_out P hello
	TRACE=$W/P.trace
	[[ $(bodies) == 'openat(AT_FDCWD, "f", O_RDONLY) = 3
dup2(3, 0) = 0
close(3) = 0
lseek(0, 0, SEEK_CUR) = 0
read(0, "hello\n", 64) = 6
close(0) = 0
+++ exited with 0 +++' ]] || fail "-P f: other lines" "$(bodies)"
}

t_setenv_user() {		# -E VAR=VAL, -E VAR; -u USER (root only)
	run_as e "$ISOTRACE" -E FOO=bar -E HOME -- sh -c 'echo "$FOO ${HOME-unset}"'
	expect_out e 'bar unset'
	run_as ebad "$ISOTRACE" -E =x true
	expect_status ebad 125
	if [[ $(id -u) != 0 ]]; then
		run_as u "$ISOTRACE" -u nobody id -u
		expect_status u 125
		return
	fi
	run_as u "$ISOTRACE" -u nobody -- sh -c 'id -u; id -g'
	expect_out u "$(id -u nobody)"$'\n'"$(id -g nobody)"
	expect_out u $'65534\n65534'
	run_as ubad "$ISOTRACE" -u no-such-user-here true
	expect_status ubad 125
	expect_grep ubad err '^isotrace: -u no-such-user-here: no such user$'
	run_as bpf "$ISOTRACE" --seccomp-bpf true
	expect_status bpf 0
}

TESTS+=(
	attach_sleep attach_stopped attach_threads attach_exit attach_refused
	attach_busy quiet_levels
	signal_set status_set fdpath fdpath_sockets hex_strings path_filter
	setenv_user
)
