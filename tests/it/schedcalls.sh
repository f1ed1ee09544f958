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
# an absolute CLOCK_REALTIME time) and signalled after 250 ms: the same
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

# waitpid for one child while another has ended: the wait is tried with
# WNOHANG and, finding its child still running, held until it ends (the
# ended sibling made it look ready: the kernel's wait4 then blocked
# until the fallback cut it, a hazard).
t_schedcalls_waitpid() {
	local LIMIT=5
	sc_same waitpid
	expect_out det $'later child: 2\nfirst child: 1'
}

# SO_RCVTIMEO is a held recv's deadline: EAGAIN once the clock has
# passed it (without one, nothing would end the wait).
t_schedcalls_rcvtimeo() {
	local LIMIT=5
	sc_same rcvtimeo
	expect_out det 'recv -1 Resource temporarily unavailable, waited 50 ms'
}

# Timed waits given bad timeouts (NULL pointers, negative or too many
# nanoseconds, FUTEX_WAIT with FUTEX_CLOCK_REALTIME): the schedule holds
# none of them, the kernel refuses each as natively (progs/vtime errors).
t_schedcalls_errors() {
	need "$PROGS/vtime" || return
	local LIMIT=10
	run_native "$PROGS/vtime" errors
	run_as det "$ISOTRACE" --schedule=deterministic -- "$PROGS/vtime" errors
	expect_status det 0
	expect_same native det
}

# Job control (progs/jobctl): a child stopped by SIGSTOP ends its step
# (the kernel, not the schedule, resumes it at SIGCONT); waitpid with
# WUNTRACED and WCONTINUED sees the stop and the continue as natively.
t_schedcalls_jobctl() {
	need "$PROGS/jobctl" || return
	local LIMIT=10
	run_native "$PROGS/jobctl"
	run_as det "$ISOTRACE" --schedule=deterministic -- "$PROGS/jobctl"
	expect_status det 0
	expect_same native det
}

# POSIX timers and timerfds (progs/vtimers): a sleep that a timer's
# firing looks at again keeps its first deadline (counted again from
# each firing, it never ended); select and poll on no descriptor end
# with EINTR at the alarm (the sandbox's own sleep took them over); a
# loop with no system call waits for its alarm (the thread is alone,
# but a timer needs the clock to move).
t_schedcalls_timers() {		# HEAVY: 3 s natively
	need "$PROGS/vtimers" || return
	local LIMIT=15 m
	for m in posix timerfd select; do
		run_native "$PROGS/vtimers" "$m"
		run_as det "$ISOTRACE" --schedule=deterministic -- \
		    "$PROGS/vtimers" "$m"
		expect_status det 0
		expect_same native det
	done
	# Where the alarm cuts the loop is the host's timing: a hazard.
	run_native "$PROGS/vtimers" spin
	run_as det "$ISOTRACE" --schedule=deterministic -- "$PROGS/vtimers" spin
	expect_status det 0
	expect_same -E native det
	expect_grep det err 'determinism hazard'
}

TESTS+=(schedcalls_term schedcalls_crash schedcalls_waitpid
    schedcalls_rcvtimeo schedcalls_errors schedcalls_jobctl
    schedcalls_timers)
