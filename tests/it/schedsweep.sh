# tests/it/schedsweep.sh: real programs' ways of waiting under
# --schedule=deterministic, each found hanging or wrong in a sweep of
# the mode (see the findings board, "detsweep"): the run ends as
# natively, the same way each time.  Sourced by tests/integration.sh.

SWEEP_DET=(--sandbox --schedule=deterministic)

# A signalfd is ready for the process that polls it: the schedule must
# ask about the thread's signals, not its worker's, and must not poll an
# epoll set that watches one (the poll would drop the signalfd from the
# set's ready list).  Natively: the pending signal first, then the
# thread's events, its signal and the timer's ticks; a wrong answer is a
# "timeout" line or a hang.
t_schedsweep_signalfd() {	# three runs of ~0.2 s natively
	need "$PROGS/schedsigfd" || return
	local LIMIT=20 i
	run_native "$PROGS/schedsigfd"
	expect_status native 0
	expect_grep native out '^1: signal 10$'
	for i in 1 2; do
		run_as "d.$i" "$ISOTRACE" "${SWEEP_DET[@]}" -- \
		    "$PROGS/schedsigfd"
		expect_status "d.$i" 0
		expect_same native "d.$i"
	done
}

TESTS+=(schedsweep_signalfd)

# poll, select and epoll_wait on a non-blocking pipe: the waits are held
# by the schedule until the writer's turn has come, never left to block
# in the kernel (where only the real-time fallback would end them, with
# a "determinism hazard").  GNU make -j waits so on its jobserver.
t_schedsweep_pollnb() {
	need "$PROGS/schedpollnb" || return
	local LIMIT=20 i
	run_native "$PROGS/schedpollnb"
	expect_status native 0
	for i in 1 2; do
		run_as "d.$i" "$ISOTRACE" "${SWEEP_DET[@]}" -- \
		    "$PROGS/schedpollnb"
		expect_same native "d.$i"
	done
}

TESTS+=(schedsweep_pollnb)

# A child waits for a file lock its parent holds (flock, F_OFD_SETLKW,
# F_SETLKW): the schedule holds the child's call until the lock is free
# instead of leaving it blocked in the kernel, where only the real-time
# fallback would end the parent's wait for its turn (a "determinism
# hazard", ~100 ms each).  flock(1) in shell scripts waits so.
t_schedsweep_locks() {
	need "$PROGS/schedlock" || return
	local LIMIT=20 i
	run_native "$PROGS/schedlock" "$W/lockfile"
	expect_status native 0
	for i in 1 2; do
		run_as "d.$i" "$ISOTRACE" "${SWEEP_DET[@]}" -- \
		    "$PROGS/schedlock" "$W/lockfile"
		expect_same native "d.$i"
	done
}

TESTS+=(schedsweep_locks)

# A host busy with other work: six busy loops share CPU 0 with the run,
# whose spinner computes ~25 ms (progs/schedspin 40) and so takes well
# over 100 ms of real time.  The fallback preempts a thread that has
# computed 100 ms, not one that waited for a CPU: no "determinism
# hazard" on stderr, in three runs.  (It told one in most runs when
# real time alone counted; CI's machines are busy so.)
t_schedsweep_busyhost() {	# HEAVY: six busy loops for ~1 s
	need "$PROGS/schedspin" || return
	command -v taskset >/dev/null || { skip "no taskset"; return; }
	local LIMIT=30 i hogs=()
	run_native "$PROGS/schedspin" 40
	expect_status native 0
	for i in 1 2 3 4 5 6; do
		taskset -c 0 sh -c 'while :; do :; done' &
		hogs+=($!)
	done
	for i in 1 2 3; do
		run_as "d.$i" taskset -c 0 "$ISOTRACE" "${SWEEP_DET[@]}" -- \
		    "$PROGS/schedspin" 40
		expect_same native "d.$i"
	done
	kill "${hogs[@]}"
	wait "${hogs[@]}" 2>/dev/null
}

TESTS+=(schedsweep_busyhost)

# A FIFO's two ends, opened by a parent and its child, whose opens wait
# for each other (reader first, writer first, a writer that says
# nothing): the schedule lets them meet (the reader never waits at its
# open, its reads wait as after a native open; a writer waits held for a
# reader) where, left to the kernel one at a time, they never met.
t_schedsweep_fifo() {
	need "$PROGS/schedfifo" || return
	local LIMIT=20 i
	run_native "$PROGS/schedfifo" "$W"
	expect_status native 0
	for i in 1 2; do
		run_as "d.$i" "$ISOTRACE" "${SWEEP_DET[@]}" -- \
		    "$PROGS/schedfifo" "$W"
		expect_same native "d.$i"
	done
}

TESTS+=(schedsweep_fifo)

# A wait for one child by number while another child has already ended
# (multiprocessing.Pool's join does so): the wait is held until that
# child ends, never let into the kernel, where it blocked until the
# fallback (a "determinism hazard" every 100 ms) because another had.
t_schedsweep_waitpid() {
	need "$PROGS/schedwaitpid" || return
	local LIMIT=20 i
	run_native "$PROGS/schedwaitpid"
	expect_status native 0
	for i in 1 2; do
		run_as "d.$i" "$ISOTRACE" "${SWEEP_DET[@]}" -- \
		    "$PROGS/schedwaitpid"
		expect_same native "d.$i"
	done
}

TESTS+=(schedsweep_waitpid)
