/*
 * The generated seccomp filter, run through a BPF interpreter for every
 * syscall number and several trap sets: each number gets exactly the
 * verdict its table slot asks for, and the escape hatches are closed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <linux/audit.h>
#include <errno.h>
#include <sched.h>

#include "bpf_sim.h"
#include "seccomp.h"

static uint32_t
verdict(const struct sock_fprog *p, uint32_t arch, uint32_t nr, uint64_t a0)
{
	struct seccomp_data	 d = { .nr = (int)nr, .arch = arch };

	d.args[0] = a0;
	return bpf_sim_run(p, &d);
}

static void
check_set(const uint8_t trap[IT_NR_MAX], int trap_all)
{
	struct sock_fprog	 p;
	uint32_t		 nr, want, got;

	assert_int_equal(seccomp_build(trap, trap_all, &p), 0);
	assert_true(p.len > 0 && p.len <= BPF_MAXINSNS);
	for (nr = 0; nr < IT_NR_MAX + 64; nr++) {
		/* clone3 only as its slot says, never by trap_all: its
		 * flags are out of the filter's reach. */
		if (nr == IT_SYS_clone3)
			want = trap[nr] ? SECCOMP_RET_TRACE |
			    SECCOMP_DATA_NATIVE : SECCOMP_RET_ERRNO | ENOSYS;
		else if (trap_all || (nr < IT_NR_MAX && trap[nr]))
			want = SECCOMP_RET_TRACE | SECCOMP_DATA_NATIVE;
		else
			want = SECCOMP_RET_ALLOW;
		got = verdict(&p, AUDIT_ARCH_X86_64, nr, 0);
		if (got != want)
			fail_msg("nr %u: verdict %#x, want %#x", nr, got, want);
	}
	/* clone: CLONE_UNTRACED refused whatever the slot says. */
	assert_int_equal(verdict(&p, AUDIT_ARCH_X86_64, IT_SYS_clone,
	    CLONE_UNTRACED | CLONE_VM), SECCOMP_RET_ERRNO | EPERM);
	assert_int_equal(verdict(&p, AUDIT_ARCH_X86_64, IT_SYS_clone,
	    CLONE_VM | CLONE_THREAD),
	    trap_all || trap[IT_SYS_clone] ?
	    SECCOMP_RET_TRACE : SECCOMP_RET_ALLOW);
	/* int 0x80 and x32 calls always stop, marked foreign. */
	assert_int_equal(verdict(&p, AUDIT_ARCH_I386, 2, 0),
	    SECCOMP_RET_TRACE | SECCOMP_DATA_FOREIGN);
	/* The parking pause of hand-offs, from either table, never traps;
	 * any other pause does as its slot says. */
	assert_int_equal(verdict(&p, AUDIT_ARCH_I386, SECCOMP_I386_PAUSE,
	    (uint32_t)SECCOMP_PARK_MAGIC), SECCOMP_RET_ALLOW);
	assert_int_equal(verdict(&p, AUDIT_ARCH_I386, SECCOMP_I386_PAUSE, 0),
	    SECCOMP_RET_TRACE | SECCOMP_DATA_FOREIGN);
	assert_int_equal(verdict(&p, AUDIT_ARCH_X86_64, IT_SYS_pause,
	    SECCOMP_PARK_MAGIC), SECCOMP_RET_ALLOW);
	assert_int_equal(verdict(&p, AUDIT_ARCH_X86_64, IT_SYS_pause,
	    (uint32_t)SECCOMP_PARK_MAGIC), trap_all || trap[IT_SYS_pause] ?
	    SECCOMP_RET_TRACE : SECCOMP_RET_ALLOW);
	assert_int_equal(verdict(&p, AUDIT_ARCH_X86_64, 0x40000000U | 1, 0),
	    SECCOMP_RET_TRACE | SECCOMP_DATA_FOREIGN);
	free(p.filter);
}

static void
test_passthru_traps_nothing(void **state)
{
	uint8_t	 trap[IT_NR_MAX] = { 0 };

	(void)state;
	check_set(trap, 0);
}

static void
test_trap_all(void **state)
{
	uint8_t	 trap[IT_NR_MAX] = { 0 };

	(void)state;
	check_set(trap, 1);
}

static void
test_sparse_and_dense(void **state)
{
	uint8_t	 trap[IT_NR_MAX] = { 0 };
	size_t	 i;

	(void)state;
	trap[IT_SYS_openat] = trap[IT_SYS_getppid] = trap[IT_SYS_clone] = 1;
	check_set(trap, 0);
	/* A table that handles clone3 (the sandbox's pid namespace). */
	trap[IT_SYS_clone3] = 1;
	check_set(trap, 0);
	check_set(trap, 1);
	trap[IT_SYS_clone3] = 0;
	/* Alternating slots: the most runs, the deepest tree, far jumps. */
	for (i = 0; i < IT_NR_MAX; i++)
		trap[i] = i % 2;
	check_set(trap, 0);
	for (i = 0; i < IT_NR_MAX; i++)
		trap[i] = (i * 7919) % 3 == 0;
	check_set(trap, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_passthru_traps_nothing),
		cmocka_unit_test(test_trap_all),
		cmocka_unit_test(test_sparse_and_dense),
	};

	return cmocka_run_group_tests_name("seccomp", tests, NULL, NULL);
}
