# tests/it/vtime.sh: --sandbox timed waits last as long as their timeout
# says, in the program's (virtual) time and in real time, whether the
# timeout is relative or an absolute time of the virtual clock; pure
# sleeps move the clock at once but yield for real, so that what a
# program polls for gets to run.  Sourced by tests/integration.sh.

VT_PY=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null)

# vt_run CASE...: progs/vtime natively and in the sandbox (tag sb), the
# sandbox's real duration in ms in VT_MS.
vt_run() {
	local s e
	run_native "$PROGS/vtime" "$@"
	s=$(date +%s%N)
	run_as sb "$ISOTRACE" --sandbox -- "$PROGS/vtime" "$@"
	e=$(date +%s%N)
	VT_MS=$(((e - s) / 1000000))
}

vt_lasted() {			# MS: the sandbox run took at least MS of real time
	((VT_MS >= $1)) || fail "sandbox run took ${VT_MS} ms, less than the $1 ms its waits ask"
}

vt_case() {			# MS LINES CASE...
	local ms=$1 out=$2
	shift 2
	need "$PROGS/vtime" || return
	vt_run "$@"
	expect_status sb 0
	expect_same native sb
	expect_out sb "$out"
	vt_lasted "$ms"
}

t_vtime_cond() {		# HEAVY: pthread_cond_timedwait, abs, 2 clocks
	local LIMIT=4
	vt_case 600 $'cond-rt ETIMEDOUT elapsed ok\ncond-mono ETIMEDOUT elapsed ok' \
	    cond-rt cond-mono
}

t_vtime_sem() {			# HEAVY: sem_timedwait (abs), semtimedop (rel)
	local LIMIT=4
	vt_case 500 $'sem ETIMEDOUT elapsed ok\nsemop EAGAIN elapsed ok' \
	    sem semop
}

t_vtime_futex() {		# HEAVY: FUTEX_WAIT (rel), FUTEX_WAIT_BITSET (abs)
	local LIMIT=4
	vt_case 400 $'futex ETIMEDOUT elapsed ok\nfutex-bitset ETIMEDOUT elapsed ok' \
	    futex futex-bitset
}

t_vtime_ipc() {			# HEAVY: mq_timedreceive (abs), sigtimedwait
	local LIMIT=4
	vt_case 400 $'mq ETIMEDOUT elapsed ok\nsigwait EAGAIN elapsed ok' \
	    mq sigwait
}

t_vtime_fds() {			# HEAVY: poll on a pipe, io_getevents
	local LIMIT=4
	vt_case 400 $'poll ok elapsed ok\naio ok elapsed ok' poll aio
}

# A sleep is no CPU time.
t_vtime_cputime() {
	vt_case 0 'cputime process ok thread ok' cputime
}

# Signals that interrupt a sleep's real yield come at the sleep's end:
# the sleep is not cut (natively some are: EINTR, then the rest).  (No
# yield, no interruption: this fails only with a yield that passes the
# kernel's EINTR on.)
t_vtime_sigyield() {		# HEAVY
	need "$PROGS/vtime" || return
	local LIMIT=4
	vt_run sigyield
	expect_status native 0
	expect_status sb 0
	expect_out sb $'sigyield ok elapsed ok\nsigyield interrupted no'
}

# A thread's sleep past another's deadline ends after that wait has timed
# out, in real time too (a barrier's waiters give up first).
t_vtime_order() {		# HEAVY
	local LIMIT=4
	vt_case 300 $'order waiter timed out first: yes\norder ok elapsed ok' order
}

# Bad pointers and timespecs fail as the kernel fails them.
t_vtime_errors() {
	need "$PROGS/vtime" || return
	vt_run errors
	expect_status sb 0
	expect_same native sb
	expect_grep sb out '^futex bitset bad  *Bad address$'
	expect_grep sb out '^clock_nanosleep raw  *Operation not supported$'
}

# A lock held elsewhere: acquire(timeout=1) gives up after 1 s of the
# program's time (not at once), and after 1 s of real time.
t_vtime_lock() {		# HEAVY
	[[ -n $VT_PY ]] || { skip "no python3"; return; }
	local LIMIT=5
	cat >"$W/lock.py" <<'EOF'
import threading, time
l = threading.Lock()
l.acquire()
t0 = time.monotonic()
r = l.acquire(timeout=1)
d = time.monotonic() - t0
print("acquired", r, "elapsed", "ok" if 1 <= d < 1.1 else "%.6f" % d)
EOF
	local s e
	s=$(date +%s%N)
	run_as sb "$ISOTRACE" --sandbox -- "$VT_PY" lock.py
	e=$(date +%s%N)
	VT_MS=$(((e - s) / 1000000))
	expect_status sb 0
	expect_out sb 'acquired False elapsed ok'
	vt_lasted 1000
}

# A 2-minute watchdog thread stays quiet while the main thread works.
t_vtime_watchdog() {		# HEAVY
	[[ -n $VT_PY ]] || { skip "no python3"; return; }
	local LIMIT=8
	cat >"$W/watchdog.py" <<'EOF'
import threading
fired = []
w = threading.Timer(120, lambda: fired.append(1))
w.start()
n = 0
while n < 500000:
    n += 1
w.cancel()
w.join()
print("watchdog", "fired" if fired else "quiet")
EOF
	run_native "$VT_PY" watchdog.py
	run_as sb "$ISOTRACE" --sandbox -- "$VT_PY" watchdog.py
	expect_status sb 0
	expect_same native sb
	expect_out sb 'watchdog quiet'
}

# A parent polling its child between short sleeps sees it end long
# before its 300 s budget: each sleep really yields a little.
t_vtime_pollchild() {		# HEAVY
	[[ -n $VT_PY ]] || { skip "no python3"; return; }
	local LIMIT=8
	cat >"$W/pollchild.py" <<'EOF'
import subprocess, sys, time
p = subprocess.Popen([sys.executable, "-c", "n = 0\nwhile n < 3000000: n += 1"])
t0 = time.monotonic()
while p.poll() is None and time.monotonic() < t0 + 300:
    time.sleep(0.05)
d = time.monotonic() - t0
print("child", "ended" if p.poll() is not None else "running",
    "before 300 s" if d < 300 else "after 300 s")
p.kill()
p.wait()
EOF
	run_native "$VT_PY" pollchild.py
	run_as sb "$ISOTRACE" --sandbox -- "$VT_PY" pollchild.py
	expect_status sb 0
	expect_same native sb
	expect_out sb 'child ended before 300 s'
}

TESTS+=(vtime_cond vtime_sem vtime_futex vtime_ipc vtime_fds vtime_cputime
	vtime_sigyield vtime_order vtime_errors
	vtime_lock
	vtime_watchdog vtime_pollchild)
