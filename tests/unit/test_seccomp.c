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
#include <linux/futex.h>
#include <sys/ioctl.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>

#include "bpf_sim.h"
#include "compat.h"
#include "park.h"
#include "seccomp.h"

static uint32_t
verdict(const struct sock_fprog *p, uint32_t arch, uint32_t nr, uint64_t a0)
{
	struct seccomp_data	 d = { .nr = (int)nr, .arch = arch };

	d.args[0] = a0;
	return bpf_sim_run(p, &d);
}

#define X32(nr)		(COMPAT_X32_BIT | (nr))
#define I386_FORK	2
#define I386_GETPID	20
#define I386_SOCKETCALL	102
#define I386_CLONE	120
#define I386_CLONE3	435
#define I386_BREAK	17	/* no x86_64 twin */

/* The verdict on a call of the other ABIs, as compat_verdict says. */
static uint32_t
compat_want(int handled_twin, int trap_all, int strict, int twin)
{
	if (handled_twin || (!twin && strict))
		return SECCOMP_RET_ERRNO | ENOSYS;
	return trap_all ? SECCOMP_RET_TRACE : SECCOMP_RET_ALLOW;
}

static void
check_compat(const struct sock_fprog *p, const uint8_t trap[IT_NR_MAX],
    int trap_all, int strict)
{
	uint32_t	 arch;
	int		 x32;

	for (x32 = 0; x32 < 2; x32++) {
		arch = x32 ? AUDIT_ARCH_X86_64 : AUDIT_ARCH_I386;
		/* clone3 never runs; clone never untraced, always stops;
		 * fork always stops. */
		assert_int_equal(verdict(p, arch, x32 ? X32(IT_SYS_clone3) :
		    I386_CLONE3, 0), SECCOMP_RET_ERRNO | ENOSYS);
		assert_int_equal(verdict(p, arch, x32 ? X32(IT_SYS_clone) :
		    I386_CLONE, CLONE_UNTRACED | SIGCHLD),
		    SECCOMP_RET_ERRNO | EPERM);
		assert_int_equal(verdict(p, arch, x32 ? X32(IT_SYS_clone) :
		    I386_CLONE, CLONE_VM | SIGCHLD), SECCOMP_RET_TRACE);
		assert_int_equal(verdict(p, arch, x32 ? X32(IT_SYS_fork) :
		    I386_FORK, 0), SECCOMP_RET_TRACE);
		/* A call whose twin the table handles fails. */
		assert_int_equal(verdict(p, arch, x32 ? X32(IT_SYS_getpid) :
		    I386_GETPID, 0), compat_want(trap[IT_SYS_getpid],
		    trap_all, strict, 1));
	}
	assert_int_equal(verdict(p, AUDIT_ARCH_I386, I386_SOCKETCALL, 0),
	    compat_want(trap[IT_SYS_socket] || trap[IT_SYS_connect], trap_all,
	    strict, 1));
	assert_int_equal(verdict(p, AUDIT_ARCH_I386, I386_BREAK, 0),
	    compat_want(0, trap_all, strict, 0));
	assert_int_equal(verdict(p, AUDIT_ARCH_I386, 100000, 0),
	    compat_want(0, trap_all, strict, 0));
	/* No other ABI reaches an x86_64 kernel. */
	assert_int_equal(verdict(p, AUDIT_ARCH_AARCH64, IT_SYS_getpid, 0),
	    SECCOMP_RET_KILL_PROCESS);
}

/* trap[] is also the set the table handles here. */
static void
check_set(const uint8_t trap[IT_NR_MAX], int trap_all)
{
	struct sock_fprog	 p;
	uint32_t		 nr, want, got;
	int			 strict;

	for (strict = 0; strict < 2; strict++) {
		assert_int_equal(seccomp_build(trap, trap, trap_all, strict,
		    NULL, &p), 0);
		assert_true(p.len > 0 && p.len <= BPF_MAXINSNS);
		for (nr = 0; nr < IT_NR_MAX + 64; nr++) {
			/* clone3 only as its slot says, never by
			 * trap_all: its flags are out of the filter's
			 * reach. */
			if (nr == IT_SYS_clone3)
				want = trap[nr] ? SECCOMP_RET_TRACE :
				    SECCOMP_RET_ERRNO | ENOSYS;
			else if (trap_all || (nr < IT_NR_MAX && trap[nr]) ||
			    nr == IT_SYS_fork || nr == IT_SYS_vfork ||
			    nr == IT_SYS_clone || nr == IT_SYS_seccomp)
				want = SECCOMP_RET_TRACE;
			else
				want = SECCOMP_RET_ALLOW;
			got = verdict(&p, AUDIT_ARCH_X86_64, nr, 0);
			if (got != want)
				fail_msg("nr %u: verdict %#x, want %#x", nr,
				    got, want);
		}
		/* clone: CLONE_UNTRACED refused whatever the slot says. */
		assert_int_equal(verdict(&p, AUDIT_ARCH_X86_64, IT_SYS_clone,
		    CLONE_UNTRACED | CLONE_VM), SECCOMP_RET_ERRNO | EPERM);
		/* The park's yield never stops; any other does as its slot
		 * says. */
		{
			struct seccomp_data d = { .nr = IT_SYS_sched_yield,
			    .arch = AUDIT_ARCH_X86_64 };

			d.instruction_pointer = PARK_YIELD_RET;
			assert_int_equal(bpf_sim_run(&p, &d),
			    SECCOMP_RET_ALLOW);
			d.instruction_pointer = PARK_YIELD_RET + 0x100000000ULL;
			assert_int_equal(bpf_sim_run(&p, &d), trap_all ||
			    trap[IT_SYS_sched_yield] ? SECCOMP_RET_TRACE :
			    SECCOMP_RET_ALLOW);
		}
		/* A filter of the program's own always stops first. */
		assert_int_equal(verdict(&p, AUDIT_ARCH_X86_64, IT_SYS_prctl,
		    PR_SET_SECCOMP), SECCOMP_RET_TRACE);
		check_compat(&p, trap, trap_all, strict);
		free(p.filter);
	}
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
	trap[IT_SYS_getpid] = trap[IT_SYS_socket] = 1;
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

/* futex with SECCOMP_TRAP_TIMED: only a wait with a timeout stops. */
static void
test_futex_timed(void **state)
{
	static const struct {
		int		 op;
		uint64_t	 a3;
		uint32_t	 want;
	} c[] = {
		{ FUTEX_WAIT, 0, SECCOMP_RET_ALLOW },
		{ FUTEX_WAIT_PRIVATE, 0x7ffc00001000ULL, SECCOMP_RET_TRACE },
		{ FUTEX_WAIT, 0x100000000ULL, SECCOMP_RET_TRACE },
		{ FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 0x1000,
		    SECCOMP_RET_TRACE },
		{ FUTEX_WAIT_BITSET_PRIVATE, 0, SECCOMP_RET_ALLOW },
		{ FUTEX_LOCK_PI_PRIVATE, 0x1000, SECCOMP_RET_TRACE },
		{ FUTEX_LOCK_PI2, 0x1000, SECCOMP_RET_TRACE },
		{ FUTEX_WAIT_REQUEUE_PI, 0x1000, SECCOMP_RET_TRACE },
		{ FUTEX_WAKE_PRIVATE, 0, SECCOMP_RET_ALLOW },
		{ FUTEX_WAKE, 1, SECCOMP_RET_ALLOW },
		{ FUTEX_CMP_REQUEUE_PRIVATE, 0x7fffffff, SECCOMP_RET_ALLOW },
		{ FUTEX_WAKE_OP, 1, SECCOMP_RET_ALLOW },
		{ FUTEX_UNLOCK_PI, 0x1000, SECCOMP_RET_ALLOW },
	};
	uint8_t			 trap[IT_NR_MAX] = { 0 };
	struct sock_fprog	 p;
	struct seccomp_data	 d = { .nr = IT_SYS_futex,
				    .arch = AUDIT_ARCH_X86_64 };
	size_t			 i;

	(void)state;
	trap[IT_SYS_futex] = SECCOMP_TRAP_TIMED;
	assert_int_equal(seccomp_build(trap, trap, 0, 1, NULL, &p), 0);
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		d.args[1] = (uint64_t)c[i].op;
		d.args[3] = c[i].a3;
		assert_int_equal(bpf_sim_run(&p, &d), c[i].want);
	}
	free(p.filter);
	/* Every call (--verbose) or an observer's 1: every futex. */
	assert_int_equal(seccomp_build(trap, trap, 1, 1, NULL, &p), 0);
	assert_int_equal(bpf_sim_run(&p, &d), SECCOMP_RET_TRACE);
	free(p.filter);
	trap[IT_SYS_futex] = 1;
	assert_int_equal(seccomp_build(trap, trap, 0, 1, NULL, &p), 0);
	assert_int_equal(bpf_sim_run(&p, &d), SECCOMP_RET_TRACE);
	free(p.filter);
}

/* prlimit64 with SECCOMP_TRAP_SETLIMIT: only a new limit stops. */
static void
test_prlimit_setlimit(void **state)
{
	uint8_t			 trap[IT_NR_MAX] = { 0 };
	struct sock_fprog	 p;
	struct seccomp_data	 d = { .nr = IT_SYS_prlimit64,
				    .arch = AUDIT_ARCH_X86_64 };

	(void)state;
	trap[IT_SYS_prlimit64] = SECCOMP_TRAP_SETLIMIT;
	assert_int_equal(seccomp_build(trap, trap, 0, 1, NULL, &p), 0);
	d.args[3] = 0x7ffc00001000ULL;		/* old_limit only: a read */
	assert_int_equal(bpf_sim_run(&p, &d), SECCOMP_RET_ALLOW);
	d.args[0] = 4242;			/* another process's, too */
	assert_int_equal(bpf_sim_run(&p, &d), SECCOMP_RET_ALLOW);
	d.args[2] = 0x7ffc00002000ULL;		/* a new limit */
	assert_int_equal(bpf_sim_run(&p, &d), SECCOMP_RET_TRACE);
	d.args[2] = 0x100000000ULL;		/* its high word alone */
	assert_int_equal(bpf_sim_run(&p, &d), SECCOMP_RET_TRACE);
	d.args[2] = 0;
	d.nr = IT_SYS_getpid;			/* the rest as before */
	assert_int_equal(bpf_sim_run(&p, &d), SECCOMP_RET_ALLOW);
	free(p.filter);
	/* Every call (--verbose) or an observer's 1: every prlimit64. */
	d.nr = IT_SYS_prlimit64;
	assert_int_equal(seccomp_build(trap, trap, 1, 1, NULL, &p), 0);
	assert_int_equal(bpf_sim_run(&p, &d), SECCOMP_RET_TRACE);
	free(p.filter);
	trap[IT_SYS_prlimit64] |= 1;
	assert_int_equal(seccomp_build(trap, trap, 0, 1, NULL, &p), 0);
	assert_int_equal(bpf_sim_run(&p, &d), SECCOMP_RET_TRACE);
	free(p.filter);
}

/* SECCOMP_TRAP_ENOSYS: the filter answers, no stop; an observer stops. */
static void
test_enosys_in_filter(void **state)
{
	uint8_t			 trap[IT_NR_MAX] = { 0 };
	struct sock_fprog	 p;

	(void)state;
	trap[IT_SYS_rseq] = SECCOMP_TRAP_ENOSYS;
	assert_int_equal(seccomp_build(trap, trap, 0, 1, NULL, &p), 0);
	assert_int_equal(verdict(&p, AUDIT_ARCH_X86_64, IT_SYS_rseq, 0),
	    SECCOMP_RET_ERRNO | ENOSYS);
	assert_int_equal(verdict(&p, AUDIT_ARCH_X86_64, IT_SYS_rseq - 1, 0),
	    SECCOMP_RET_ALLOW);
	free(p.filter);
	assert_int_equal(seccomp_build(trap, trap, 1, 1, NULL, &p), 0);
	assert_int_equal(verdict(&p, AUDIT_ARCH_X86_64, IT_SYS_rseq, 0),
	    SECCOMP_RET_TRACE);
	free(p.filter);
	trap[IT_SYS_rseq] |= 1;
	assert_int_equal(seccomp_build(trap, trap, 0, 1, NULL, &p), 0);
	assert_int_equal(verdict(&p, AUDIT_ARCH_X86_64, IT_SYS_rseq, 0),
	    SECCOMP_RET_TRACE);
	free(p.filter);
}

/* ioctl with SECCOMP_TRAP_IOCTL: only the listed requests stop. */
static void
test_ioctl_requests(void **state)
{
	static const uint32_t	 reqs[] = { TIOCGPGRP, TIOCSPGRP, SIOCGIFCONF,
				    0 };
	uint8_t			 trap[IT_NR_MAX] = { 0 };
	struct sock_fprog	 p;
	struct seccomp_data	 d = { .nr = IT_SYS_ioctl,
				    .arch = AUDIT_ARCH_X86_64 };
	size_t			 i;

	(void)state;
	trap[IT_SYS_ioctl] = SECCOMP_TRAP_IOCTL;
	assert_int_equal(seccomp_build(trap, trap, 0, 1, reqs, &p), 0);
	for (i = 0; reqs[i] != 0; i++) {
		d.args[1] = reqs[i];
		assert_int_equal(bpf_sim_run(&p, &d), SECCOMP_RET_TRACE);
		/* The kernel reads an unsigned int: high bits change
		 * nothing. */
		d.args[1] = reqs[i] | 0xffffffff00000000ULL;
		assert_int_equal(bpf_sim_run(&p, &d), SECCOMP_RET_TRACE);
	}
	d.args[1] = TCGETS;
	assert_int_equal(bpf_sim_run(&p, &d), SECCOMP_RET_ALLOW);
	d.args[1] = TIOCGWINSZ;
	assert_int_equal(bpf_sim_run(&p, &d), SECCOMP_RET_ALLOW);
	free(p.filter);
	/* No list, every call, an observer's 1: every ioctl. */
	assert_int_equal(seccomp_build(trap, trap, 0, 1, NULL, &p), 0);
	assert_int_equal(bpf_sim_run(&p, &d), SECCOMP_RET_TRACE);
	free(p.filter);
	assert_int_equal(seccomp_build(trap, trap, 1, 1, reqs, &p), 0);
	assert_int_equal(bpf_sim_run(&p, &d), SECCOMP_RET_TRACE);
	free(p.filter);
	trap[IT_SYS_ioctl] |= 1;
	assert_int_equal(seccomp_build(trap, trap, 0, 1, reqs, &p), 0);
	assert_int_equal(bpf_sim_run(&p, &d), SECCOMP_RET_TRACE);
	free(p.filter);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_passthru_traps_nothing),
		cmocka_unit_test(test_trap_all),
		cmocka_unit_test(test_sparse_and_dense),
		cmocka_unit_test(test_futex_timed),
		cmocka_unit_test(test_prlimit_setlimit),
		cmocka_unit_test(test_enosys_in_filter),
		cmocka_unit_test(test_ioctl_requests),
	};

	return cmocka_run_group_tests_name("seccomp", tests, NULL, NULL);
}
