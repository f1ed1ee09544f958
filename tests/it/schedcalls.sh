# tests/it/schedcalls.sh: the calls --schedule=deterministic holds or
# answers itself (worker/sandbox/schedcall.c, schedfutex.c) give what
# the kernel gives natively: progs/schedcalls CASE prints what it saw,
# natively and under the schedule (tag det), and the two must agree.
# Sourced by tests/integration.sh.

# sc_same CASE: progs/schedcalls CASE natively and under the schedule.
sc_same() {
	need "$PROGS/schedcalls" || return
	run_native "$PROGS/schedcalls" "$1"
	run_as det "$ISOTRACE" --schedule=deterministic -- \
	    "$PROGS/schedcalls" "$1"
	expect_status det 0
	expect_same native det
}

# A signalfd's readiness is the thread's pending signals, not the
# worker's (a poll of the worker's copy would see the worker's SIGCHLD).
t_schedcalls_signalfd() {
	local LIMIT=5
	sc_same signalfd
	expect_out det $'signal 17 status 3\nsignal 10'
}

# Two processes hand a byte back and forth: each read holds its thread
# until the other's write; 400 hand-overs between two workers.
t_schedcalls_pingpong() {
	local LIMIT=10
	sc_same pingpong
}

# A sleep cut by an alarm: EINTR and what is left, on the run's clock.
t_schedcalls_eintr() {		# HEAVY: 2 s natively
	local LIMIT=6
	sc_same eintr
	expect_out det 'nanosleep -1 Interrupted system call, 8 s left'
}

# pause and a poll, each ended by an alarm's signal.
t_schedcalls_alarm() {		# HEAVY: 2 s natively
	local LIMIT=6
	sc_same alarm
}

# posix_spawn's vfork: the parent is held until its child's exec.
t_schedcalls_spawn() {
	local LIMIT=5
	sc_same spawn
	expect_out det $'spawned\nchild status 0'
}

# A condition variable waited for with timeouts (FUTEX_WAIT_BITSET with
# an absolute CLOCK_REALTIME time) and signalled after 300 ms: the same
# number of timeouts natively and on the run's clock.
t_schedcalls_condvar() {
	local LIMIT=5
	sc_same condvar
	expect_out det 'signalled after 2 timeouts'
}

# FUTEX_CMP_REQUEUE wakes one waiter and moves the other, which only a
# wake of the second word lets go (not the first waiter's end).
t_schedcalls_requeue() {
	local LIMIT=5
	sc_same requeue
	expect_out det $'requeue 2\nwake 1\njoined'
}

# File locks: a child holds a flock, then an fcntl lock; its parent's
# LOCK_EX and F_SETLKW wait, out of the running, until each is let go.
t_schedcalls_locks() {		# HEAVY: 0.6 s natively
	local LIMIT=5
	sc_same locks
	expect_out det $'child: flock released\nparent: flock taken\nchild: fcntl lock released\nparent: fcntl lock taken'
}

TESTS+=(schedcalls_locks schedcalls_signalfd schedcalls_pingpong schedcalls_eintr
    schedcalls_alarm schedcalls_spawn schedcalls_condvar schedcalls_requeue)

# SIGTERM sent to isotrace reaches a shell held in wait4 while its child
# keeps the run busy: the held wait looks at its signals again, the
# shell's trap runs, kills the child and exits, as natively.  Left
# unseen, the shell would wait for ever (timeout -k: 137).
t_schedcalls_term() {		# HEAVY: 1 s of a busy child
	local LIMIT=8
	local script='trap "echo caught; kill \$!; exit 3" TERM
yes >/dev/null & wait'
	run_native timeout --foreground -s TERM -k 4 1 sh -c "$script"
	run_as det timeout --foreground -s TERM -k 4 1 "$ISOTRACE" \
	    --schedule=deterministic -- sh -c "$script"
	expect_same native det
	expect_status det 124
	expect_out det caught
}

# A worker that crashes (ISOTRACE_CRASH, as in workers.sh) while its
# thread holds the turn: the others find it gone, free its threads'
# slots and go on; only its process dies.
t_schedcalls_crash() {
	need "$PROGS/writers" "$PROGS/futex" || return
	local LIMIT=10
	ISOTRACE_CRASH=writers:1 run_as det "$ISOTRACE" \
	    --schedule=deterministic -- bash -c "$crash_script" sh \
	    "$PROGS/writers" "$PROGS/futex"
	expect_status det 0
	expect_fixed det out 'victim 137'
	expect_fixed det out 'sibling 0'
}

TESTS+=(schedcalls_term schedcalls_crash)
