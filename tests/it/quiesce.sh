# tests/it/quiesce.sh: under --sandbox a thread's sleep does not overtake
# what the process's other threads do meanwhile: it ends only once they
# are blocked and no wait or sleep of theirs ends first (their timed
# waits time out before it, as natively), with a real-time cap for a
# thread that never blocks.  Sourced by tests/integration.sh.

QS_PY=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null)

# qs_run CASE: progs/quiesce natively and in the sandbox (tag sb), the
# sandbox's real duration in ms in QS_MS.
qs_run() {
	local s e
	run_native "$PROGS/quiesce" "$@"
	s=$(date +%s%N)
	run_as sb "$ISOTRACE" --sandbox -- "$PROGS/quiesce" "$@"
	e=$(date +%s%N)
	QS_MS=$(((e - s) / 1000000))
}

qs_case() {			# CASE LINES: as natively, and those lines
	need "$PROGS/quiesce" || return
	qs_run "$1"
	expect_status sb 0
	expect_same native sb
	expect_out sb "$2"
}

# A thread that computes, then waits 0.3 s, times out before another's
# 1 s sleep ends (the sleep waits, for real, for the computing thread).
t_quiesce_compute() {		# HEAVY
	local LIMIT=4
	qs_case compute $'waiter timed out\nsleeper woke after 1 s'
	((QS_MS >= 300)) ||
	    fail "sandbox run took ${QS_MS} ms: the 0.3 s wait did not last"
}

# Python's BarrierTests.test_timeout, in C: four threads compute and
# give up waiting for a fifth that sleeps 1 s; it finds the barrier
# broken.
t_quiesce_barrier() {		# HEAVY
	local LIMIT=4
	qs_case barrier $'party 0: broken\nparty 1: broken
party 2: broken (the late one)\nparty 3: broken\nparty 4: broken'
}

# Two sleeps of 0.5 s of one thread do not both end within one 10 ms
# sleep of another (test_threadsignals' test_lock_acquire_retries_on_intr).
t_quiesce_polls() {		# HEAVY
	local LIMIT=4
	qs_case polls $'polls before the first flag: many
polls between the flags: many'
}

# A thread that computes until another's 5 s sleep has ended holds that
# sleep no longer than the cap (1 s), not for ever nor for 5 s.
t_quiesce_spin() {		# HEAVY
	local LIMIT=8
	qs_case spin $'sleeper woke\nspinner saw the sleeper wake'
	((QS_MS < 3000)) ||
	    fail "sandbox run took ${QS_MS} ms: the spinning thread held the sleep"
}

# The same barrier in Python (threading.Barrier, GIL and all).
t_quiesce_pybarrier() {		# HEAVY
	[[ -n $QS_PY ]] || { skip "no python3"; return; }
	local LIMIT=6
	cat >"$W/barrier.py" <<'EOF'
import threading, time
N = 5
b = threading.Barrier(N, timeout=2.0)
res = [None] * N
def f(i):
    if b.wait() == N // 2:
        time.sleep(1.0)
    try:
        b.wait(0.5)
        res[i] = "passed"
    except threading.BrokenBarrierError:
        res[i] = "broken"
ts = [threading.Thread(target=f, args=(i,)) for i in range(N)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(*res)
EOF
	run_native "$QS_PY" barrier.py
	run_as sb "$ISOTRACE" --sandbox -- "$QS_PY" barrier.py
	expect_status sb 0
	expect_same native sb
	expect_out sb 'broken broken broken broken broken'
}

TESTS+=(quiesce_compute quiesce_barrier quiesce_polls quiesce_spin
	quiesce_pybarrier)
