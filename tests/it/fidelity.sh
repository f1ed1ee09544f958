# tests/it/fidelity.sh: --sandbox answers as the kernel would (errors,
# side effects) and writes nothing the program did not ask for; --verify
# streams its input.  Sourced by tests/integration.sh, which has the
# helpers.

t_fidelity_badptr() {		# emulated results obey page protections
	need "$PROGS/faultwrite" || return
	run_native "$PROGS/faultwrite"
	run_as sb "$ISOTRACE" --sandbox -- "$PROGS/faultwrite"
	expect_same native sb
	expect_fixed native out 'getrandom into read-only: 100'
	expect_fixed native out 'read-only page: 0 bytes changed'
}

t_fidelity_pidargs() {		# bad pid arguments: the kernel's errno, silently
	need "$PROGS/pidargs" || return
	run_native "$PROGS/pidargs"
	run_as sb "$ISOTRACE" --sandbox -- "$PROGS/pidargs"
	expect_same native sb		# stderr too: nothing about them
	expect_fixed native out 'syscall(SYS_tgkill, 0, 0, 0) = -1 EINVAL'
	expect_fixed native out 'syscall(SYS_tgkill, me, -5, 0) = -1 EINVAL'
}

t_fidelity_costack() {		# no scratch data below a coroutine's stack
	need "$PROGS/costack" || return
	run_native "$PROGS/costack" -x
	run_as sb "$ISOTRACE" --sandbox -- "$PROGS/costack" -x
	expect_same native sb
	expect_out sb $'recv 5 recvfrom 3 recvmsg 2\nbelow the stack: 0 bytes changed\nrecv 5 recvfrom 3 recvmsg 2\nbelow the stack: 0 bytes changed'
	# threads: each its own scratch, and the ones of threads that are
	# gone serve the next (net_threads makes and joins several)
	need "$PROGS/net_threads" || return
	run_as thr "$ISOTRACE" --sandbox -- "$PROGS/net_threads"
	expect_status thr 0
}

TESTS+=(
	fidelity_badptr fidelity_pidargs fidelity_costack
)
