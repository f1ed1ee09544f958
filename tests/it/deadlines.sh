# tests/it/deadlines.sh: --sandbox absolute deadlines handed to the kernel
# are moved from the virtual clock to the host's.  Sourced by
# tests/integration.sh.

t_deadline_timerfd() {		# HEAVY: TFD_TIMER_ABSTIME 0.2 s ahead
	need "$PROGS/timerfd_abs" || return
	local LIMIT=3		# two real waits of 0.2 s
	run_native "$PROGS/timerfd_abs"
	run_as sb "$ISOTRACE" --sandbox -- "$PROGS/timerfd_abs"
	expect_status sb 0
	expect_same native sb
	expect_out sb $'monotonic armed yes\nmonotonic fired 1\nrealtime armed yes\nrealtime fired 1'
}

TESTS+=(deadline_timerfd)
