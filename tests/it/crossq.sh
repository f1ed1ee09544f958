# tests/it/crossq.sh: under --sandbox a process's sleep does not overtake
# another process's timed wait (runwaits.c): a child's "sleep 100" is
# still asleep when its parent's 2 s wait for it times out, as natively,
# though each process has its own clock and a sleep yields only a
# moment; while the parent still runs, before its wait, the sleep waits
# for it (runbusy.c).  Sourced by tests/integration.sh.

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

# The same with a parent that computes some 100 ms before its poll: the
# child's sleep begins long before the poll, and waits while its parent
# runs.  Without that, the sleep ends after its 2 ms yield, every time.
t_crossq_busy() {		# HEAVY: a real wait of 2 s
	need "$PROGS/crossq" || return
	local LIMIT=5
	cq_run -w 100 2000 sleep 100
	expect_status sb 0
	expect_same native sb
	expect_out sb $'poll timed out\nchild killed by signal 9'
}

# The child sleeps right after fork, before its parent's poll begins:
# its sleep yields while the parent runs, then finds the poll.
t_crossq_fork() {		# HEAVY: a real wait of 2 s
	need "$PROGS/crossq" || return
	local LIMIT=5
	cq_run 2000 nanosleep
	expect_status sb 0
	expect_same native sb
	expect_out sb $'poll timed out\nchild killed by signal 9'
}

# The same, the parent computing first.
t_crossq_forkbusy() {		# HEAVY: a real wait of 2 s
	need "$PROGS/crossq" || return
	local LIMIT=5
	cq_run -w 100 2000 nanosleep
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

# cq_sb SCRIPT: sh -c SCRIPT in the sandbox only (natively it would take
# its sleeps' whole time), its real duration in ms in CQ_MS.
cq_sb() {
	local s e
	s=$(date +%s%N)
	run_as sb "$ISOTRACE" --sandbox -- sh -c "$1"
	e=$(date +%s%N)
	CQ_MS=$(((e - s) / 1000000))
}

# A shell blocked in wait4 while its child sleeps is no process that may
# still act: ten "sleep 1" cost no real second each (taken for a busy
# one, the shell would hold each for the sleep's 1 s).
t_crossq_shell() {		# HEAVY: ten processes
	local LIMIT=8
	cq_sb 'i=0; while [ $i -lt 10 ]; do sleep 1; i=$((i+1)); done; echo $i'
	expect_status sb 0
	expect_out sb 10
	((CQ_MS < 4000)) ||
	    fail "sandbox run took ${CQ_MS} ms: the shell held its child's sleeps"
}

# A child stopped in a group-stop (its tracee state is 't', as at any
# ptrace stop, but its worker waits idle for its next event) holds no
# sleep: each of three "sleep 5" of its parent ends at once in real time.
# Taken for a stop being handled, it would hold each for 1 s.
t_crossq_stopped() {		# HEAVY
	local LIMIT=8
	cq_sb 'sh -c "kill -STOP \$\$; echo resumed" & sleep 5; sleep 5; sleep 5
	    kill -CONT $!; wait $!; echo "child $?"'
	expect_status sb 0
	expect_out sb $'resumed\nchild 0'
	((CQ_MS < 2000)) ||
	    fail "sandbox run took ${CQ_MS} ms: the stopped child held the sleeps"
}

# A child that computes for ever holds its parent's sleep of 0.3 s for
# 0.3 s of its CPU time (it might still begin a wait), then no more.
t_crossq_spin() {		# HEAVY
	local LIMIT=5
	cq_sb 'sh -c "while :; do :; done" & sleep 0.3; kill $!; echo done'
	expect_status sb 0
	expect_out sb done
	((CQ_MS >= 250)) ||
	    fail "sandbox run took ${CQ_MS} ms: the sleep did not wait"
}

TESTS+=(crossq_poll crossq_busy crossq_fork crossq_forkbusy crossq_before
    crossq_python crossq_shell crossq_stopped crossq_spin)
