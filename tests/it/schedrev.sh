# tests/it/schedrev.sh: cases where --schedule=deterministic differed from
# the kernel or hung, found by reviewing it (progs/schedrev prints what
# each saw; the native run is the reference).  Sourced by
# tests/integration.sh.

SCHEDREV_DET=(--sandbox --schedule=deterministic)

# schedrev_same MODE [SEEDS]: progs/schedrev MODE under the schedule, for
# each seed, gives the native output and status.
schedrev_same() {
	local mode=$1 s
	need "$PROGS/schedrev" || return
	run_native "$PROGS/schedrev" "$mode"
	expect_status native 0
	for s in ${2:-0}; do
		run_as "det.$s" "$ISOTRACE" "${SCHEDREV_DET[@]}" --seed="$s" -- \
		    "$PROGS/schedrev" "$mode"
		expect_same -E native "det.$s"
		! grep -q 'determinism hazard' "$W/det.$s.err" ||
		    fail "det.$s: a determinism hazard" "$(cat "$W/det.$s.err")"
	done
}

# A thread's read on a pipe becomes ready by a write; the writer then
# spins on sched_yield, which changes nothing: the reader, found ready
# once and not chosen that step, must stay a candidate (it was never
# looked at again: the run hung).
t_schedrev_wake_pipe() {
	local LIMIT=5
	schedrev_same pipe "0 1 2 3"
}

# The same for a pause woken by a signal sent to its thread.
t_schedrev_wake_signal() {
	local LIMIT=5
	schedrev_same signal "0 1 2 3"
}

# A child's end sends its parent SIGCHLD, whose default is to do
# nothing: a traced thread has it queued all the same, but the kernel
# drops it at delivery and a nanosleep or futex wait (sem_wait) goes on.
# The emulated waits ended with EINTR.
t_schedrev_sigchld() {
	local LIMIT=5
	schedrev_same sigchld "0 1"
}

# epoll_pwait2 times out when the clock passes its deadline and then runs
# with a zero timeout: the program's own timespec (const for the kernel,
# which never writes it back) was overwritten with zeroes.
t_schedrev_pwait2() {
	local LIMIT=5
	schedrev_same pwait2
	expect_out native 'epoll_pwait2 0, timeout 0.050000000'
}

# waitpid for a child that sleeps while another child has ended: the
# call was let run as soon as any child had ended and blocked in the
# kernel with the turn, until the real-time fallback cut it (a hazard);
# the same for waitpid(0) and a child of another process group, and
# WUNTRACED took every traced child's held stop for a stop.  Both pid
# modes (the selector is in the namespace's terms or translated).
t_schedrev_waitpid() {
	local LIMIT=5
	schedrev_same waitpid "0 1"
	expect_out native $'a 3\nb 2\ngroup 5\nc 4'
	local SCHEDREV_DET=("${SCHEDREV_DET[@]}" --sandbox-pids=translate)
	schedrev_same waitpid 2
}

# A shell runs 35 rounds of 10 background processes: a worker whose
# process had ended kept its entry of the run's table (256), and past the
# two spares the supervisor keeps, each round leaked 8: the 33rd round's
# worker stopped the run ("more than 256 workers") and it hung.
t_schedrev_workers_reused() {	# HEAVY: 350 processes
	local LIMIT=30
	run_as det "$ISOTRACE" "${SCHEDREV_DET[@]}" -- sh -c 'i=0
while [ $i -lt 35 ]; do
	for j in 0 1 2 3 4 5 6 7 8 9; do sleep 0.01 & done
	wait
	i=$((i + 1))
done
echo done $i'
	expect_status det 0
	expect_out det 'done 35'
}

# 600 threads alive at once: beyond the 512 threads of the run's table a
# clone fails with EAGAIN in its creator's turn (the same on every run),
# and the program goes on; the worker stopped the run ("more than 512
# threads") and isotrace failed with 125.
t_schedrev_threads_limit() {	# HEAVY: 512 threads under the schedule
	need "$PROGS/schedrev" || return
	local LIMIT=40
	run_as det "$ISOTRACE" "${SCHEDREV_DET[@]}" -- "$PROGS/schedrev" threads
	expect_status det 0
	expect_out det $'created 511, then Resource temporarily unavailable\njoined'
}

# A worker killed (as a crash would) while its thread holds the turn:
# its process dies with it (PTRACE_O_EXITKILL), and the others go on:
# the parent shell's wait sees it killed.  The turn stayed with the dead
# worker's thread and the run hung.
t_schedrev_worker_dies() {
	need "$PROGS/schedrev" || return
	local LIMIT=10 sup w i
	(cd "$W" && exec timeout -k 1 "$LIMIT" "$ISOTRACE" \
	    "${SCHEDREV_DET[@]}" -- sh -c '"$1" spin; echo "spin $?"' sh \
	    "$PROGS/schedrev" >"$W/det.out" 2>"$W/det.err" </dev/null) &
	sup=$!
	for ((i = 0; i < 50; i++)); do
		sleep 0.1
		# timeout's child is isotrace, whose children are the workers.
		w=$(pgrep -P "$(pgrep -P "$sup" -x isotrace | head -n 1)" \
		    -f 'isotrace: worker .*\(schedrev\)' | head -n 1)
		[[ -n $w ]] && break
	done
	[[ -n $w ]] || { fail "no worker for schedrev"; wait "$sup"; return; }
	sleep 0.2
	kill -KILL "$w"
	wait "$sup"
	echo $? >"$W/det.rc"
	expect_status det 0
	expect_out det 'spin 137'
}

# A child stops itself with SIGSTOP while it holds the turn: the kernel,
# not the schedule, resumes it, so its step is over and the turn passes
# (it stayed with the stopped child, cut by the fallback again and again:
# the run hung); the parent's wait4(WUNTRACED) sees the stop.
t_schedrev_group_stop() {
	local LIMIT=5
	schedrev_same stop "0 1 2"
	expect_out native $'stopped 19\nchild resumed\nexit 7'
}

# The futex calls' edges, as the kernel answers them: a wake of 0
# waiters wakes one (the program below loops until it does: it hung), a
# word not 4-aligned and a negative requeue count are EINVAL (0 before).
t_schedrev_futex() {
	local LIMIT=5
	schedrev_same futex "0 1"
	expect_out native $'unaligned wake -1 Invalid argument\nrequeue -1 -1 Invalid argument\nwake 0 1'
}

TESTS+=(schedrev_wake_pipe schedrev_wake_signal schedrev_sigchld
    schedrev_pwait2 schedrev_waitpid schedrev_workers_reused
    schedrev_threads_limit schedrev_worker_dies schedrev_group_stop
    schedrev_futex)
