# tests/it/vtimers.sh: --sandbox timers (alarm, setitimer, timer_create,
# timerfd) fire on the virtual clock, where it passes their deadline, the
# same on every run.  Each runs tests/progs/vtimers natively (as the
# kernel does it, rounded) and in the sandbox, whose "x" lines are the
# exact virtual times.  Sourced by tests/integration.sh.

# vtm_run MODE: the native run and the sandbox's, both compared.
vtm_run() {
	need "$PROGS/vtimers" || return 1
	run_native "$PROGS/vtimers" "$1"
	run_as sb "$ISOTRACE" --sandbox -- "$PROGS/vtimers" "$1"
	run_as sbx "$ISOTRACE" --sandbox -- "$PROGS/vtimers" "$1" x
	expect_status sb 0
	expect_same native sb
}

t_vtimers_late() {		# sleeps that end 1 ms before an interval timer
	vtm_run late || return
	# the timer cuts every second sleep, at its boundary, as on an
	# idle host: not inside the sleep before (the real-time backstop
	# armed while that sleep yields must not fire)
	expect_out sbx "x sleep 0 done rem 0 ms SIGALRM 0
x sleep 1 EINTR rem 98 ms SIGALRM 1
x sleep 2 done rem 0 ms SIGALRM 1
x sleep 3 EINTR rem 98 ms SIGALRM 2
x sleep 4 done rem 0 ms SIGALRM 2
x sleep 5 EINTR rem 98 ms SIGALRM 3
sleeps 6"
}

t_vtimers_alarm() {		# HEAVY: alarm(1) ends a 5 s sleep
	local LIMIT=3
	vtm_run alarm || return
	expect_out sb $'nanosleep -1 Interrupted system call\nrem 4.0\nSIGALRM 1 SI_KERNEL\nelapsed 1.0\nalarm left 0'
	expect_fixed sbx out 'x rem 4.000002000 elapsed 1000000000'
}

t_vtimers_itimer() {		# ITIMER_REAL every 100 ms, 50 sleeps of 10 ms
	vtm_run itimer || return
	expect_fixed sbx out 'x SIGALRM 5 eintr 5 left 0.100000'
	local i
	for i in 1 2 3 4; do
		run_as "sbx$i" "$ISOTRACE" --sandbox -- "$PROGS/vtimers" itimer x
		expect_same sbx "sbx$i"
	done
}

t_vtimers_posix() {		# SIGEV_SIGNAL, SIGEV_NONE, SIGEV_THREAD_ID
	local LIMIT=3
	vtm_run posix || return
	expect_out sb $'signal interval 0.050\nsignal hits 1 SI_TIMER id same value 4242 overrun >=2 getoverrun same\ndeleted gettime -1\nnone armed yes\nnone after 0.000000000 hits 1\nthread sleep -1 Interrupted system call, its handler ran 1'
	expect_fixed sbx out 'x signal left 0.050000000'
	expect_fixed sbx out 'x overrun 2'
	expect_fixed sbx out 'x none left 0.100000000'
	# Namespace or translated pids: the thread is found either way.
	run_as sbt "$ISOTRACE" --sandbox --sandbox-pids=translate -- \
	    "$PROGS/vtimers" posix
	expect_same native sbt
}

t_vtimers_timerfd() {		# relative periodic timerfd, blocking read
	local LIMIT=3
	vtm_run timerfd || return
	expect_out sb $'at once -1 Resource temporarily unavailable\nafter 125 ms 8 count >=2\ninterval 0.050\nblocking 8 count 1 elapsed 0.2\nspent 0.000000000'
	expect_fixed sbx out 'x count 2'
	expect_fixed sbx out 'x left 0.024999000'
	expect_fixed sbx out 'x armed 0.200000000 elapsed 200000000'
}

t_vtimers_fork() {		# HEAVY: a child of fork starts with no timers
	local LIMIT=3
	vtm_run fork || return
	expect_fixed sb out 'child itimer 0 gettime -1 Invalid argument alarm 0'
	expect_fixed sb out 'parent itimer kept timer kept'
	expect_fixed sbx out 'x rem 4.000002000 elapsed 1000000000'
}

t_vtimers_exec() {		# HEAVY: alarm survives execve, POSIX timers not
	local LIMIT=3
	vtm_run exec || return
	expect_fixed sb out 'execd gettime -1'
	expect_fixed sb out 'SIGALRM 1 SI_KERNEL'
	expect_fixed sbx out 'x rem 4.000010000 elapsed 999992000'
}

t_vtimers_spin() {		# HEAVY: alarm(1), then a loop with no call
	local LIMIT=3
	vtm_run spin || return
	expect_out sb 'spun SIGALRM 1 SI_KERNEL'
	# The backstop moved the clock to the deadline, not just by a read.
	expect_fixed sbx out 'x elapsed 1000001000'
}

t_vtimers_repeat() {		# ten runs, one output
	need "$PROGS/vtimers" || return
	local i m
	for m in posix timerfd; do
		run_as "${m}0" "$ISOTRACE" --sandbox -- "$PROGS/vtimers" "$m" x
		expect_status "${m}0" 0
		for i in 1 2 3 4 5 6 7 8 9; do
			run_as "$m$i" "$ISOTRACE" --sandbox -- \
			    "$PROGS/vtimers" "$m" x
			expect_same "${m}0" "$m$i"
		done
	done
}

TESTS+=(vtimers_alarm vtimers_itimer vtimers_late vtimers_posix vtimers_timerfd
    vtimers_fork vtimers_exec vtimers_spin vtimers_repeat)

t_vtimers_pause() {		# pause, sigsuspend, sigwaitinfo end at once
	local LIMIT=3
	vtm_run pause || return
	expect_out sb $'pause -1 Interrupted system call hits 1 elapsed 0.2\nsigsuspend -1 Interrupted system call hits 2 elapsed 0.2\nsigwaitinfo SIGRTMIN SI_TIMER value 7 elapsed 0.2\nsigwaitinfo SIGALRM SI_KERNEL'
	expect_fixed sbx out 'x 200001000 200001000 200001000'
}

TESTS+=(vtimers_pause)

t_vtimers_select() {		# HEAVY: select, poll on no fd: EINTR at 1 s
	local LIMIT=4
	vtm_run select || return
	expect_out sb $'select -1 Interrupted system call hits 1 elapsed 1.0\npoll -1 Interrupted system call hits 2 elapsed 1.0'
	expect_fixed sbx out 'x 1000001000 1000001000'
}

TESTS+=(vtimers_select)
