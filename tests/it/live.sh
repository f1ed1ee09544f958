# tests/it/live.sh: the trace is live, in event order, and survives isotrace.
# Sourced by tests/integration.sh, which has the helpers.
#
# These look at the trace file as isotrace wrote it (not joined): where a
# line is, and when it got there.

# bg_start TAG CMD...: CMD in the background in $W (its pid in BG, stdout and
# stderr in $W/TAG.out, .err), killed after 5 s whatever happens.
bg_start() {
	local tag=$1
	shift
	(cd "$W" && exec "$@" </dev/null >"$W/$tag.out" 2>"$W/$tag.err") &
	BG=$!
	( sleep 5; kill -9 "$BG" ) 2>/dev/null &
	BG_GUARD=$!
}
bg_end() {
	wait "$BG" 2>/dev/null
	kill "$BG_GUARD" 2>/dev/null
	wait "$BG_GUARD" 2>/dev/null
}

# wait_for FILE ERE [TENTHS]: until a line of FILE matches (default 1 s).
wait_for() {
	local i
	for ((i = 0; i < ${3:-10}; i++)); do
		grep -Eq -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# line_no ERE [FILE]: the number of the first line of the trace matching.
line_no() {
	grep -En -- "$1" "${2:-$W/trace}" | head -n 1 | cut -d: -f1
}

# A line is in the file while the command still runs: the write at once,
# the sleep's entry as "<unfinished ...>" within the bound (50 ms), long
# before it returns.
t_live_file() {			# HEAVY: a command that sleeps 2 s
	local LIMIT=4
	bg_start live "$ISOTRACE" -v -o "$W/trace" -- \
	    bash -c 'echo hi >/dev/null; exec sleep 2'
	wait_for "$W/trace" 'clock_nanosleep\(CLOCK_REALTIME, 0, \{tv_sec=2, tv_nsec=0\},  <unfinished \.\.\.>$' 15 ||
	    fail "no clock_nanosleep entry in the trace 1.5 s after the start" \
		"$(tail -n 3 "$W/trace")"
	grep -q 'resumed>' "$W/trace" &&
	    fail "the sleep returned before its entry was seen"
	grep -Eq '^\[pid [0-9]+\] write\(1, "hi\\n", 3\) = 3$' "$W/trace" ||
	    fail "the write is not in the trace while the command runs"
	bg_end
	grep -Eq '^\[pid [0-9]+\] <\.\.\. clock_nanosleep resumed>0x[0-9a-f]+\) = 0$' \
	    "$W/trace" || fail "no resumed clock_nanosleep" \
	    "$(grep nanosleep "$W/trace")"
}

# kill -9 of isotrace itself: every line of a call that completed is in
# the file, and its workers and the traced process are gone.  isotrace is
# stopped (SIGSTOP) before the command makes its 300 numbered writes, so
# only the workers, which write what their ring still holds when the
# supervisor dies, can have put those lines in the file.
t_live_kill9() {		# HEAVY: waits for the processes to go
	local LIMIT=3 i p missing= left= pids
	mkfifo "$W/go"
	bg_start k9 "$ISOTRACE" -v -o "$W/trace" -- bash -c \
	    'echo $$ >pid; read -r x <go
	    for ((i = 1; i <= 300; i++)); do echo line$i; done >/dev/null
	    : >ready; exec sleep 4'
	for ((i = 0; i < 20; i++)); do
		[[ -s $W/pid ]] && break
		sleep 0.1
	done
	pids=$(pgrep -P "$BG")
	kill -STOP "$BG"
	echo >"$W/go"
	for ((i = 0; i < 20; i++)); do
		[[ -e $W/ready ]] && break
		sleep 0.1
	done
	[[ -e $W/ready ]] || fail "the command did not get ready"
	kill -9 "$BG"
	bg_end
	for ((i = 0; i < 20; i++)); do
		left=
		for p in $pids $(cat "$W/pid" 2>/dev/null); do
			[[ -d /proc/$p ]] && [[ $(cut -d' ' -f3 "/proc/$p/stat" \
			    2>/dev/null) != Z ]] && left+=" $p"
		done
		[[ -z $left ]] && break
		sleep 0.1
	done
	[[ -z $left ]] || fail "processes left behind:$left" \
	    "$(ps -o pid,stat,args -p "${left# }" 2>/dev/null)"
	for ((i = 1; i <= 300; i++)); do
		grep -Fq "write(1, \"line$i\\n\", " "$W/trace" ||
		    missing+=" $i"
	done
	[[ -z $missing ]] || fail "lines lost after kill -9:$missing" \
	    "$(tail -n 2 "$W/trace")"
	grep -Eq '^\[pid [0-9]+\] openat\(AT_FDCWD, "ready", ' "$W/trace" ||
	    fail "the open of ready is lost"
}

# Lines of different processes in the order their events happened.
t_live_order() {
	local parent child n_clone n_child n_exit n_wait n_write n_read
	run_verbose bash -c '/bin/true; (sleep 0.2; echo pingpong) | head -c 8'
	expect_status verbose 0
	parent=$(sed -nE '1s/^\[pid ([0-9]+)\] execve.*/\1/p' "$W/trace")
	child=$(sed -nE 's/^\[pid ([0-9]+)\] execve\("\/bin\/true", .*/\1/p' \
	    "$W/trace" | head -n 1)
	[[ -n $parent && -n $child ]] || {
		fail "no execve of bash and true" "$(head -n 3 "$W/trace")"
		return
	}
	# The parent's clone (or its entry) before anything of the child.
	n_clone=$(line_no "^\[pid $parent\] clone\(")
	n_child=$(line_no "^\[pid $child\] ")
	# The child's end before the result of the parent's wait for it.
	n_exit=$(line_no "^\[pid $child\] \+\+\+ exited with 0 \+\+\+$")
	n_wait=$(line_no "^\[pid $parent\] (wait4\(-1, |<\.\.\. wait4 resumed>).* = $child$")
	# The write into the pipe before the read that gets its bytes.
	n_write=$(line_no '^\[pid [0-9]+\] write\(1, "pingpong\\n", 9')
	n_read=$(line_no '^\[pid [0-9]+\] (read\(0, |<\.\.\. read resumed>)"pingpong.*\) = [0-9]+$')
	[[ -n $n_clone && -n $n_child && -n $n_exit && -n $n_wait &&
	    -n $n_write && -n $n_read ]] || {
		fail "lines missing: clone $n_clone child $n_child exit" \
		    "$n_exit wait $n_wait write $n_write read $n_read"
		return
	}
	((n_clone < n_child)) ||
	    fail "child's line $n_child before the parent's clone $n_clone"
	((n_exit < n_wait)) ||
	    fail "parent's wait4 result $n_wait before the child's exit $n_exit"
	((n_write < n_read)) ||
	    fail "read result $n_read before the write $n_write"
}

# strace's notation for a call another line interrupted: the exact
# halves, with -tt's times and -T's duration where strace puts them.
t_live_unfinished() {
	local pid child tm='[0-2][0-9]:[0-5][0-9]:[0-6][0-9]\.[0-9]{6}'
	TRACE=$W/ttrace		# times: not for check_trace_format
	run_as live "$ISOTRACE" -v -tt -T -o "$TRACE" -- \
	    bash -c '/bin/sleep 0.2; echo done'
	expect_status live 0
	pid=$(sed -nE '1s/^\[pid ([0-9]+)\] .*/\1/p' "$TRACE")
	child=$(joined | sed -nE \
	    "s/^\[pid $pid\] $tm clone\(.*\) = ([0-9]+) <.*/\1/p")
	[[ -n $child ]] || fail "no clone line" "$(grep clone "$TRACE")"
	grep -Eq "^\[pid $pid\] $tm wait4\(-1,  <unfinished \.\.\.>$" \
	    "$TRACE" || fail "no unfinished wait4" "$(grep wait4 "$TRACE")"
	grep -Eq "^\[pid $pid\] $tm <\.\.\. wait4 resumed>\[\{WIFEXITED\(s\) && WEXITSTATUS\(s\) == 0\}\], 0, NULL\) = $child <0\.[0-9]{6}>$" \
	    "$TRACE" || fail "no resumed wait4" "$(grep wait4 "$TRACE")"
	grep -Eq "^\[pid $child\] $tm \+\+\+ exited with 0 \+\+\+$" \
	    "$TRACE" || fail "no exit of the child"
	# The resumed half comes after the child's exit.
	(($(line_no "^\[pid $child\] $tm \+\+\+ exited" "$TRACE") <
	    $(line_no '<\.\.\. wait4 resumed>' "$TRACE"))) ||
	    fail "the wait4 resumed before the child's exit"
	# Joined, the halves are the line a whole call would have been.
	expect_match "^$tm wait4\(-1, \[\{WIFEXITED\(s\) && WEXITSTATUS\(s\) == 0\}\], 0, NULL\) = $child <0\.[0-9]{6}>$"
}

# -ff -o F: F.PID per process, each with its own process's lines only,
# threads included; -f and -ff without -o are accepted.
t_live_ff() {
	local f n=0 p tgid
	need "$PROGS/writers" || return
	run_as ff "$ISOTRACE" -v -ff -o "$W/F" -- bash -c \
	    "/bin/true; $PROGS/writers 3 5; echo x >/dev/null"
	expect_status ff 0
	[[ -e $W/F ]] && fail "-ff made the file F itself"
	for f in "$W"/F.*; do
		[[ -e $f ]] || continue
		n=$((n + 1))
		tgid=${f##*.}
		grep -Eq "^\[pid $tgid\] \+\+\+ exited with 0 \+\+\+$" "$f" ||
		    fail "$f: no exit line of $tgid"
		# Every line's tid is a thread of that process.
		for p in $(sed -nE 's/^\[pid ([0-9]+)\] .*/\1/p' "$f" | sort -u); do
			[[ $p == "$tgid" ]] ||
			    grep -Eq "^\[pid $tgid\] clone\(.*CLONE_THREAD.* = $p$" \
			    "$f" || fail "$f: a line of pid $p"
		done
	done
	((n == 3)) || fail "$n files F.PID, expected 3 (bash, true, writers)"
	grep -q '^\[pid [0-9]*\] execve("/bin/true"' "$W"/F.* 2>/dev/null ||
	    fail "no file has the execve of true"
	f=$(grep -l 'execve("[^"]*writers"' "$W"/F.* 2>/dev/null)
	[[ -n $f ]] && (($(grep -c 'write([0-9]*, "x\{32\}"\.\.\., 64) = 64$' \
	    "$f") == 15)) || fail "writers' file lacks its 15 writes"
	[[ -n $f ]] && (($(sed -nE 's/^\[pid ([0-9]+)\] write\(.*, 64\) = 64$/\1/p' "$f" |
	    sort -u | wc -l) == 3)) || fail "writers' threads not in its file"
	run_as f1 "$ISOTRACE" -f -v -- /bin/true
	expect_status f1 0
	expect_grep f1 err '^\[pid [0-9]+\] execve\("/bin/true", '
	run_as f2 "$ISOTRACE" -ff -v -- /bin/true
	expect_status f2 0
	expect_grep f2 err '^\[pid [0-9]+\] execve\("/bin/true", '
}

TESTS+=(live_file live_kill9 live_order live_unfinished live_ff)
