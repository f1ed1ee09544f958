/*
 * The filter is a balanced binary search over runs of syscall numbers with
 * the same action, so any syscall is decided in about log2(runs)
 * comparisons however many the table traps.  There is one such tree per
 * ABI a 64-bit process can call the kernel through: x86_64, x32 (the
 * same arch, numbers with __X32_SYSCALL_BIT) and i386 (int 0x80), told
 * apart by the arch and the number the kernel fills in.
 */
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/audit.h>
#include <linux/futex.h>
#include <linux/seccomp.h>
#include <errno.h>
#include <sched.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "engine/park.h"
#include "seccomp.h"

enum action {
	ACT_ALLOW, ACT_TRACE, ACT_ENOSYS,
	ACT_CLONE,			/* refuse CLONE_UNTRACED, then trace */
	ACT_YIELD,			/* the park's yield runs, others trap */
	ACT_PRCTL,			/* PR_SET_SECCOMP traps, others as ... */
	ACT_PRCTL_TRACE,		/* ... named */
	ACT_FUTEX,			/* timed waits trap, the rest run */
	ACT_SETLIMIT,			/* a new limit traps, reads run */
	ACT_IOCTL,			/* listed requests trap */
};

struct run {
	uint32_t	lo;		/* first number of the run */
	enum action	act;
};

struct prog {
	struct sock_filter	*p_insn;
	size_t			 p_len, p_cap;
	int			 p_err;
};

static void
emit(struct prog *p, struct sock_filter f)
{
	struct sock_filter	*n;

	if (p->p_len == p->p_cap) {
		p->p_cap = p->p_cap ? p->p_cap * 2 : 64;
		if ((n = reallocarray(p->p_insn, p->p_cap, sizeof(*n))) ==
		    NULL) {
			p->p_err = 1;
			p->p_len = 0;
			return;
		}
		p->p_insn = n;
	}
	p->p_insn[p->p_len++] = f;
}

static void
append(struct prog *dst, const struct prog *src)
{
	size_t	 i;

	for (i = 0; i < src->p_len; i++)
		emit(dst, src->p_insn[i]);
	dst->p_err |= src->p_err;
}

static void
emit_ret(struct prog *p, uint32_t val)
{
	emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, val));
}

/* Jumps over len instructions, however many. */
static void
emit_skip(struct prog *p, size_t len)
{
	emit(p, (struct sock_filter)BPF_STMT(BPF_JMP | BPF_JA, len));
}

static const uint32_t	*ioctl_reqs;	/* seccomp_build's ioctls */

static void
emit_action(struct prog *p, enum action a)
{
	size_t	 i, n;

	switch (a) {
	case ACT_ALLOW:
		emit_ret(p, SECCOMP_RET_ALLOW);
		break;
	case ACT_TRACE:
		emit_ret(p, SECCOMP_RET_TRACE);
		break;
	case ACT_ENOSYS:
		emit_ret(p, SECCOMP_RET_ERRNO | ENOSYS);
		break;
	case ACT_CLONE:
		/* The low word of args[0] holds the clone flags, in the
		 * x86_64, x32 and i386 layouts alike. */
		emit(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, args[0])));
		emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K,
		    CLONE_UNTRACED, 0, 1));
		emit_ret(p, SECCOMP_RET_ERRNO | EPERM);
		emit_action(p, ACT_TRACE);
		break;
	case ACT_PRCTL:
	case ACT_PRCTL_TRACE:
		emit(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, args[0])));
		emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
		    PR_SET_SECCOMP, 0, 1));
		emit_action(p, ACT_TRACE);
		emit_action(p, a == ACT_PRCTL ? ACT_ALLOW : ACT_TRACE);
		break;
	case ACT_FUTEX:
		/* A timeout pointer (args[3], both words) and a command
		 * that waits with one; a non-zero args[3] of another
		 * command is a count or a value. */
		emit(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, args[3])));
		emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
		    0, 0, 2));
		emit(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, args[3]) + 4));
		emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
		    0, 7, 0));
		emit(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, args[1])));
		emit(p, (struct sock_filter)BPF_STMT(BPF_ALU | BPF_AND | BPF_K,
		    (uint32_t)FUTEX_CMD_MASK));
		emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
		    FUTEX_WAIT, 5, 0));
		emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
		    FUTEX_WAIT_BITSET, 4, 0));
		emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
		    FUTEX_LOCK_PI, 3, 0));
		emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
		    FUTEX_LOCK_PI2, 2, 0));
		emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
		    FUTEX_WAIT_REQUEUE_PI, 1, 0));
		emit_ret(p, SECCOMP_RET_ALLOW);
		emit_action(p, ACT_TRACE);
		break;
	case ACT_SETLIMIT:
		/* new_limit (args[2]), both words. */
		emit(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, args[2])));
		emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
		    0, 0, 3));
		emit(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, args[2]) + 4));
		emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
		    0, 0, 1));
		emit_ret(p, SECCOMP_RET_ALLOW);
		emit_action(p, ACT_TRACE);
		break;
	case ACT_IOCTL:
		for (n = 0; ioctl_reqs[n] != 0; n++)
			;
		emit(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, args[1])));
		/* The i-th test jumps over the n - 1 - i after it and the
		 * allow, to the trace. */
		for (i = 0; i < n; i++)
			emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ |
			    BPF_K, ioctl_reqs[i], (uint8_t)(n - i), 0));
		emit_ret(p, SECCOMP_RET_ALLOW);
		emit_action(p, ACT_TRACE);
		break;
	case ACT_YIELD:
		emit(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, instruction_pointer)));
		emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
		    (uint32_t)PARK_YIELD_RET, 0, 3));
		emit(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, instruction_pointer) + 4));
		emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
		    (uint32_t)(PARK_YIELD_RET >> 32), 0, 1));
		emit_ret(p, SECCOMP_RET_ALLOW);
		emit_action(p, ACT_TRACE);
		break;
	}
}

/* Decides runs[lo, hi) with the syscall number in A. */
static void
emit_tree(struct prog *p, const struct run *runs, size_t lo, size_t hi)
{
	struct prog	 left = { 0 };
	size_t		 mid;

	if (hi - lo == 1) {
		emit_action(p, runs[lo].act);
		return;
	}
	mid = lo + (hi - lo) / 2;
	emit_tree(&left, runs, lo, mid);
	if (left.p_len <= 255)
		emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K,
		    runs[mid].lo, left.p_len, 0));
	else {
		/* Conditional jumps reach 255 instructions; ja reaches 2^32. */
		emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K,
		    runs[mid].lo, 0, 1));
		emit_skip(p, left.p_len);
	}
	append(p, &left);
	free(left.p_insn);
	emit_tree(p, runs, mid, hi);
}

/*
 * Every process creation stops in the worker, whatever the table says:
 * a process that runs untraced by accident (a worker's bug, a parked
 * child whose code its family rewrote) then gets ENOSYS from fork
 * instead of making children nobody traces.  The stop is small beside a
 * hand-off.
 */
static enum action
action_of(uint32_t nr, const uint8_t trap[IT_NR_MAX], int trap_all)
{
	int	 traps = trap_all || (nr < IT_NR_MAX && trap[nr]);

	/* Its flags are in memory, out of the filter's reach: only a table
	 * that handles it (and refuses CLONE_UNTRACED) sees it.  A clone3
	 * the tracer made of another call at a seccomp stop is judged again
	 * by the filter and runs: RET_TRACE after a trace stop allows. */
	if (nr == IT_SYS_clone3)
		return nr < IT_NR_MAX && trap[nr] ? ACT_TRACE : ACT_ENOSYS;
	if (nr == IT_SYS_clone)
		return ACT_CLONE;
	if (nr == IT_SYS_fork || nr == IT_SYS_vfork)
		return ACT_TRACE;
	if (nr == IT_SYS_sched_yield && traps)
		return ACT_YIELD;
	/* A filter of the program's own: the park page goes in first. */
	if (nr == IT_SYS_seccomp)
		return ACT_TRACE;
	if (nr == IT_SYS_prctl)
		return traps ? ACT_PRCTL_TRACE : ACT_PRCTL;
	if (nr == IT_SYS_futex && !trap_all && trap[nr] == SECCOMP_TRAP_TIMED)
		return ACT_FUTEX;
	if (nr == IT_SYS_prlimit64 && !trap_all &&
	    trap[nr] == SECCOMP_TRAP_SETLIMIT)
		return ACT_SETLIMIT;
	if (!trap_all && nr < IT_NR_MAX && trap[nr] == SECCOMP_TRAP_ENOSYS)
		return ACT_ENOSYS;
	if (nr == IT_SYS_ioctl && !trap_all && trap[nr] == SECCOMP_TRAP_IOCTL &&
	    ioctl_reqs != NULL)
		return ACT_IOCTL;
	return traps ? ACT_TRACE : ACT_ALLOW;
}

static enum action
compat_action(enum compat_abi abi, uint32_t nr, const uint8_t *handled,
    int trap_all, int strict)
{
	switch (compat_verdict(abi, nr, handled, strict)) {
	case CV_ENOSYS:
		return ACT_ENOSYS;
	case CV_CLONE:
		return ACT_CLONE;
	case CV_FORK:
		return ACT_TRACE;
	case CV_RUN:
		break;
	}
	return trap_all ? ACT_TRACE : ACT_ALLOW;
}

/* Adds the run of nr, unless it continues the last one. */
static void
add_run(struct run *runs, size_t *n, uint32_t nr, enum action a)
{
	if (*n == 0 || runs[*n - 1].act != a ||
	    (a != ACT_ALLOW && a != ACT_TRACE && a != ACT_ENOSYS))
		runs[(*n)++] = (struct run){ nr, a };
}

/* The tree of one ABI into p (the number in A). */
static void
emit_abi(struct prog *p, enum compat_abi abi, const uint8_t *trap,
    const uint8_t *handled, int trap_all, int strict)
{
	struct run	*runs;
	size_t		 n = 0;
	uint32_t	 nr, first, last;

	switch (abi) {
	case COMPAT_I386:
		first = 0;
		last = COMPAT_I386_LAST;
		break;
	case COMPAT_X32:
		first = COMPAT_X32_BIT;
		last = COMPAT_X32_LAST;
		break;
	default:
		first = 0;
		last = IT_NR_MAX;
		break;
	}
	if ((runs = calloc(last - first + 1, sizeof(*runs))) == NULL) {
		p->p_err = 1;
		return;
	}
	for (nr = first; nr <= last; nr++)
		add_run(runs, &n, nr, abi == COMPAT_NATIVE ?
		    action_of(nr, trap, trap_all) :
		    compat_action(abi, nr, handled, trap_all, strict));
	/* Numbers past the last fail in the kernel: under a strict table
	 * they do not even get there. */
	if (abi != COMPAT_NATIVE && strict)
		add_run(runs, &n, last + 1, ACT_ENOSYS);
	emit_tree(p, runs, 0, n);
	free(runs);
}

int
seccomp_build(const uint8_t trap[IT_NR_MAX], const uint8_t handled[IT_NR_MAX],
    int trap_all, int strict, const uint32_t *ioctls, struct sock_fprog *out)
{
	struct prog	 p = { 0 }, x86 = { 0 }, x32 = { 0 }, i386 = { 0 };
	size_t		 n = 0;

	/* A conditional jump reaches 255 instructions. */
	while (ioctls != NULL && ioctls[n] != 0)
		n++;
	ioctl_reqs = n > 0 && n < 255 ? ioctls : NULL;

	emit_abi(&x86, COMPAT_NATIVE, trap, handled, trap_all, strict);
	emit_abi(&x32, COMPAT_X32, trap, handled, trap_all, strict);
	emit_abi(&i386, COMPAT_I386, trap, handled, trap_all, strict);

	/*
	 * The ABI comes from the arch and the number's x32 bit, both set by
	 * the kernel; the verdict (trap or not) carries no data: the worker
	 * decides the ABI again from what ptrace reports.
	 */
	emit(&p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	    offsetof(struct seccomp_data, arch)));
	emit(&p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
	    AUDIT_ARCH_I386, 0, 1));
	emit_skip(&p, 5 + x86.p_len + x32.p_len);	/* to the i386 tree */
	emit(&p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
	    AUDIT_ARCH_X86_64, 1, 0));
	emit_ret(&p, SECCOMP_RET_KILL_PROCESS);		/* no such ABI here */
	emit(&p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	    offsetof(struct seccomp_data, nr)));
	emit(&p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K,
	    COMPAT_X32_BIT, 0, 1));
	emit_skip(&p, x86.p_len);			/* to the x32 tree */
	append(&p, &x86);
	append(&p, &x32);
	emit(&p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	    offsetof(struct seccomp_data, nr)));
	append(&p, &i386);
	free(x86.p_insn);
	free(x32.p_insn);
	free(i386.p_insn);

	if (p.p_err || p.p_len > BPF_MAXINSNS) {
		free(p.p_insn);
		return -1;
	}
	out->len = (unsigned short)p.p_len;
	out->filter = p.p_insn;
	return 0;
}

/*
 * By default a seccomp filter also turns on the Speculative Store Bypass
 * mitigation for the process, which slows its own code down (measured:
 * 2.2x on a 4-thread write loop); the filter guards no secret, so
 * SPEC_ALLOW keeps the process as fast as it is natively.
 */
static int
install(const struct sock_fprog *prog)
{
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
	    SECCOMP_FILTER_FLAG_SPEC_ALLOW, prog) == 0)
		return 0;
	if (errno != EINVAL)
		return -1;
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, prog);
}

/*
 * Root (CAP_SYS_ADMIN) may install a filter without no_new_privs; keeping
 * it off lets set-user-ID programs behave as they do natively.  Others must
 * set it, as the kernel demands.
 */
int
seccomp_install(const struct sock_fprog *prog)
{
	if (install(prog) == 0)
		return 0;
	if (errno != EACCES)
		return -errno;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		return -errno;
	if (install(prog) == -1)
		return -errno;
	return 0;
}
