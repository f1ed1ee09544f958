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

TESTS+=(
	fidelity_badptr
)
