# tests/it/crossq.sh: under --sandbox a process's sleep does not overtake
# another process's timed wait (runwaits.c): a child's "sleep 100" is
# still asleep when its parent's 2 s wait for it times out, as natively,
# though each process has its own clock and a sleep yields only a
# moment.  Sourced by tests/integration.sh.

# cq_run MS CMD...: progs/crossq natively and in the sandbox (tag sb),
# the sandbox's real duration in ms in CQ_MS.
cq_run() {
	local s e
	run_native "$PROGS/crossq" "$@"
	s=$(date +%s%N)
	run_as sb "$ISOTRACE" --sandbox -- "$PROGS/crossq" "$@"
	e=$(date +%s%N)
	CQ_MS=$(((e - s) / 1000000))
}

# The parent's poll of 2 s times out while the child sleeps 100 s; it
# kills the child.
t_crossq_poll() {		# HEAVY: two real waits of 2 s
	need "$PROGS/crossq" || return
	local LIMIT=5
	cq_run 2000 sleep 100
	expect_status sb 0
	expect_same native sb
	expect_out sb $'poll timed out\nchild killed by signal 9'
}

# The child sleeps right after fork, before its parent's poll begins:
# its sleep looks again when its yield ends.  Only a poll begun within
# that yield (2 ms) is seen, which a slow build (ASan) may miss: the
# test takes the first of ten tries that times out as natively (a try
# that misses it ends at once).
# Without the second look no try ever does.
t_crossq_fork() {		# HEAVY: real waits of 2 s
	need "$PROGS/crossq" || return
	local LIMIT=5 i
	run_native "$PROGS/crossq" 2000 nanosleep
	for i in 1 2 3 4 5 6 7 8 9 10; do
		run_as sb "$ISOTRACE" --sandbox -- "$PROGS/crossq" 2000 nanosleep
		cmp -s "$W/native.out" "$W/sb.out" && break
	done
	expect_status sb 0
	expect_same native sb
	expect_out sb $'poll timed out\nchild killed by signal 9'
}

# A child's sleep that ends before the parent's deadline is not held
# back by it: it ends at once in real time, and the parent sees the pipe
# closed, as natively (0.3 s later there).
t_crossq_before() {
	need "$PROGS/crossq" || return
	local LIMIT=3
	cq_run 2000 sleep 0.3
	expect_status sb 0
	expect_same native sb
	expect_out sb $'poll 1 hup\nchild exited 0'
	((CQ_MS < 1000)) ||
	    fail "sandbox run took ${CQ_MS} ms: the child's sleep waited"
}

# Python's subprocess.run with a timeout, the child's output captured:
# communicate's poll times out, the child is killed, TimeoutExpired.
t_crossq_python() {		# HEAVY
	command -v python3 >/dev/null || { skip "no python3"; return; }
	local LIMIT=6
	local script='import subprocess
try:
    subprocess.run(["sleep", "100"], timeout=2, capture_output=True)
    print("finished")
except subprocess.TimeoutExpired as e:
    print("timed out after", e.timeout)'
	run_native python3 -c "$script"
	run_as sb "$ISOTRACE" --sandbox -- python3 -c "$script"
	expect_status sb 0
	expect_same native sb
	expect_out sb 'timed out after 2'
}

TESTS+=(crossq_poll crossq_fork crossq_before crossq_python)
