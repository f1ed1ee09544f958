/*
 * The filter is a balanced binary search over runs of syscall numbers with
 * the same action, so any syscall is decided in about log2(runs)
 * comparisons however many the table traps.
 */
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <errno.h>
#include <sched.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "seccomp.h"

enum action {
	ACT_ALLOW, ACT_TRACE, ACT_ENOSYS,
	ACT_CLONE, ACT_CLONE_TRACE,	/* refuse CLONE_UNTRACED, then as named */
	ACT_PAUSE, ACT_PAUSE_TRACE,	/* allow the parking pause, then ... */
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

#define X32_BIT		0x40000000U

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

static void
emit_action(struct prog *p, enum action a)
{
	switch (a) {
	case ACT_ALLOW:
		emit_ret(p, SECCOMP_RET_ALLOW);
		break;
	case ACT_TRACE:
		emit_ret(p, SECCOMP_RET_TRACE | SECCOMP_DATA_NATIVE);
		break;
	case ACT_ENOSYS:
		emit_ret(p, SECCOMP_RET_ERRNO | ENOSYS);
		break;
	case ACT_PAUSE:
	case ACT_PAUSE_TRACE:
		/* pause() with the magic first argument parks a hand-off. */
		emit(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, args[0])));
		emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
		    (uint32_t)SECCOMP_PARK_MAGIC, 0, 3));
		emit(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, args[0]) + 4));
		emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
		    (uint32_t)(SECCOMP_PARK_MAGIC >> 32), 0, 1));
		emit_ret(p, SECCOMP_RET_ALLOW);
		emit_action(p, a == ACT_PAUSE ? ACT_ALLOW : ACT_TRACE);
		break;
	case ACT_CLONE:
	case ACT_CLONE_TRACE:
		/* The low word of args[0] holds the clone flags. */
		emit(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, args[0])));
		emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K,
		    CLONE_UNTRACED, 0, 1));
		emit_ret(p, SECCOMP_RET_ERRNO | EPERM);
		emit_action(p, a == ACT_CLONE ? ACT_ALLOW : ACT_TRACE);
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
		emit(p, (struct sock_filter)BPF_STMT(BPF_JMP | BPF_JA,
		    left.p_len));
	}
	append(p, &left);
	free(left.p_insn);
	emit_tree(p, runs, mid, hi);
}

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
	if (nr == IT_SYS_pause)
		return traps ? ACT_PAUSE_TRACE : ACT_PAUSE;
	if (nr == IT_SYS_clone)
		return traps ? ACT_CLONE_TRACE : ACT_CLONE;
	if (nr >= IT_NR_MAX)
		return trap_all ? ACT_TRACE : ACT_ALLOW;
	return traps ? ACT_TRACE : ACT_ALLOW;
}

int
seccomp_build(const uint8_t trap[IT_NR_MAX], int trap_all,
    struct sock_fprog *out)
{
	struct run	 runs[IT_NR_MAX + 1];
	struct prog	 p = { 0 };
	size_t		 nruns = 0;
	uint32_t	 nr;
	enum action	 a;

	for (nr = 0; nr <= IT_NR_MAX; nr++) {
		a = action_of(nr, trap, trap_all);
		if (nruns == 0 || runs[nruns - 1].act != a ||
		    (a != ACT_ALLOW && a != ACT_TRACE))
			runs[nruns++] = (struct run){ nr, a };
	}

	emit(&p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	    offsetof(struct seccomp_data, arch)));
	emit(&p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
	    AUDIT_ARCH_X86_64, 6, 0));
	/* int 0x80: only the parking pause (32-bit arguments) runs. */
	emit(&p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	    offsetof(struct seccomp_data, nr)));
	emit(&p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
	    SECCOMP_I386_PAUSE, 0, 3));
	emit(&p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	    offsetof(struct seccomp_data, args[0])));
	emit(&p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
	    (uint32_t)SECCOMP_PARK_MAGIC, 0, 1));
	emit_ret(&p, SECCOMP_RET_ALLOW);
	emit_ret(&p, SECCOMP_RET_TRACE | SECCOMP_DATA_FOREIGN);
	emit(&p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	    offsetof(struct seccomp_data, nr)));
	emit(&p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K,
	    X32_BIT, 0, 1));
	emit_ret(&p, SECCOMP_RET_TRACE | SECCOMP_DATA_FOREIGN);
	emit_tree(&p, runs, 0, nruns);

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
