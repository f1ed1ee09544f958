/*
 * Per-call rules for processes, signals and time (see decode_special.c):
 * prctl by option, clone's named layout, wait statuses, futex by
 * operation, the mask rt_sigreturn restores, sleeps' remainders, and the
 * results that name something (a policy, a persona, a signal, a date).
 */
#include <sys/prctl.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "decode_impl.h"
#include "../engine/task.h"

#define A(c, i)		((c)->c_args[i])

/* prctl: how many arguments an option takes, and what they are. */
static int
prctl_nargs(const struct dctx *c)
{
	if (xlat_name(it_xlat_prctl, A(c, 0)) == NULL)
		return 5;
	switch ((int)A(c, 0)) {
	case PR_GET_DUMPABLE: case PR_GET_KEEPCAPS: case PR_GET_SECCOMP:
	case PR_GET_TIMERSLACK: case PR_GET_CHILD_SUBREAPER + 100:
		return 1;
	case PR_SET_NAME: case PR_GET_NAME: case PR_SET_PDEATHSIG:
	case PR_GET_PDEATHSIG: case PR_SET_DUMPABLE: case PR_SET_KEEPCAPS:
	case PR_GET_CHILD_SUBREAPER: case PR_SET_CHILD_SUBREAPER:
	case PR_SET_TIMERSLACK: case PR_CAPBSET_READ: case PR_CAPBSET_DROP:
		return 2;
	}
	return 5;
}

static int
prctl_first_out(const struct dctx *c)
{
	switch ((int)A(c, 0)) {
	case PR_GET_NAME: case PR_GET_PDEATHSIG: case PR_GET_CHILD_SUBREAPER:
		return 1;
	}
	return prctl_nargs(c);
}

static int
prctl_arg(struct dctx *c, int i)
{
	int	 opt = (int)A(c, 0);

	if (i == 0)
		return 0;
	if (xlat_name(it_xlat_prctl, A(c, 0)) == NULL) {
		/* An option we do not know: its arguments in hex. */
		sbuf_printf(c->c_sb, "%#llx", (unsigned long long)A(c, i));
		return 1;
	}
	switch (opt) {
	case PR_CAPBSET_READ:
	case PR_CAPBSET_DROP:
		dput_enum(c->c_sb, IT_X_cap, A(c, 1));
		return 1;
	case PR_SET_DUMPABLE:
		dput_enum(c->c_sb, IT_X_dumpable, A(c, 1));
		return 1;
	case PR_SET_NAME:
		dput_string(c, A(c, 1), 16);
		return 1;
	case PR_GET_NAME:
		if (c->c_result < 0)
			dput_addr(c->c_sb, A(c, 1));
		else
			dput_string(c, A(c, 1), 16);
		return 1;
	case PR_SET_PDEATHSIG:
		dput_signal(c->c_sb, (int)A(c, 1));
		return 1;
	case PR_GET_PDEATHSIG:
	case PR_GET_CHILD_SUBREAPER:
		if (c->c_result < 0)
			dput_addr(c->c_sb, A(c, 1));
		else
			dput_int_array(c, A(c, 1), 1, 1);
		return 1;
	}
	sbuf_printf(c->c_sb, "%llu", (unsigned long long)A(c, i));
	return 1;
}

static void
prctl_result(struct dctx *c)
{
	decode_result(c->c_sb, &c->c_d->s_ret, c->c_result);
	if ((int)A(c, 0) == PR_GET_DUMPABLE) {
		sbuf_puts(c->c_sb, " (");
		dput_enum(c->c_sb, IT_X_dumpable, (unsigned long)c->c_result);
		sbuf_puts(c->c_sb, ")");
	}
}

/* clone: strace's named layout, with only the pointers the flags use. */
static int
clone_nargs(const struct dctx *c)
{
	(void)c;
	return 1;
}

static int
clone_arg(struct dctx *c, int i)
{
	uint64_t	 flags = A(c, 0);
	struct sbuf	*sb = c->c_sb;

	if (i != 0)
		return 0;
	sbuf_puts(sb, "child_stack=");
	dput_addr(sb, A(c, 1));
	sbuf_puts(sb, ", flags=");
	if (flags & ~0xffULL) {
		dput_flags(sb, IT_X_clone, flags & ~0xffULL);
		if (flags & 0xff)
			sbuf_puts(sb, "|");
	}
	if (flags & 0xff)
		dput_signal(sb, (int)(flags & 0xff));
	else if ((flags & ~0xffULL) == 0)
		sbuf_puts(sb, "0");
	if (flags & (CLONE_PARENT_SETTID | CLONE_PIDFD)) {
		sbuf_puts(sb, ", parent_tid=");
		dput_addr(sb, A(c, 2));
	}
	if (flags & CLONE_SETTLS) {
		sbuf_puts(sb, ", tls=");
		dput_addr(sb, A(c, 4));
	}
	if (flags & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID)) {
		sbuf_puts(sb, ", child_tidptr=");
		dput_addr(sb, A(c, 3));
	}
	return 1;
}

void
dput_wait_status(struct sbuf *sb, int s)
{
	if (WIFEXITED(s))
		sbuf_printf(sb, "[{WIFEXITED(s) && WEXITSTATUS(s) == %d}]",
		    WEXITSTATUS(s));
	else if (WIFSIGNALED(s)) {
		sbuf_puts(sb, "[{WIFSIGNALED(s) && WTERMSIG(s) == ");
		dput_signal(sb, WTERMSIG(s));
		sbuf_printf(sb, "%s}]", WCOREDUMP(s) ? " && WCOREDUMP(s)" : "");
	} else if (WIFSTOPPED(s)) {
		sbuf_puts(sb, "[{WIFSTOPPED(s) && WSTOPSIG(s) == ");
		dput_signal(sb, WSTOPSIG(s));
		sbuf_puts(sb, "}]");
	} else if (WIFCONTINUED(s))
		sbuf_puts(sb, "[{WIFCONTINUED(s)}]");
	else
		sbuf_printf(sb, "[%#x]", s);
}

static int
wait4_arg(struct dctx *c, int i)
{
	int	 s;

	if (i != 1 || c->c_result < 0)
		return 0;
	/* WNOHANG and nothing to report: the status was not written. */
	if (c->c_result == 0)
		dput_addr(c->c_sb, A(c, 1));
	else if (dfetch(c, A(c, 1), &s, sizeof(s)) == 0)
		dput_wait_status(c->c_sb, s);
	return 1;
}

/* rseq's length is a structure size: strace shows it in hex. */
static int
rseq_arg(struct dctx *c, int i)
{
	if (i != 1)
		return 0;
	sbuf_printf(c->c_sb, "%#x", (unsigned)A(c, 1));
	return 1;
}

/*
 * rt_sigreturn: the mask it restores, from the signal frame.  At the call
 * the handler has returned into the restorer, so the stack pointer is at
 * the frame's ucontext; the mask follows uc_flags, uc_link, uc_stack and
 * the 256-byte sigcontext.
 */
#define UC_SIGMASK_OFF	(8 + 8 + 24 + 256)

static int
sigreturn_nargs(const struct dctx *c)
{
	(void)c;
	return 1;
}

static int
sigreturn_first_out(const struct dctx *c)
{
	(void)c;
	return 1;
}

static int
sigreturn_arg(struct dctx *c, int i)
{
	uint64_t	 mask;

	if (i != 0)
		return 1;
	if (c->c_exiting || task_load_regs(c->c_t) < 0 ||
	    it_mem_read(c->c_t, arch_sp(&c->c_t->t_regs) + UC_SIGMASK_OFF,
	    &mask, sizeof(mask)) < 0) {
		sbuf_puts(c->c_sb, "{mask=?}");
		return 1;
	}
	sbuf_puts(c->c_sb, "{mask=");
	dput_sigmask(c->c_sb, &mask, 64);
	sbuf_puts(c->c_sb, "}");
	return 1;
}

/* nanosleep's remainder is written only when a signal cut it short. */
static int
remain_arg(struct dctx *c, int i, int rem)
{
	if (i != rem)
		return 0;
	if (c->c_result == 0 || A(c, rem) == 0)
		dput_addr(c->c_sb, A(c, rem));
	else
		dput_timespec(c, A(c, rem), rem);
	return 1;
}

static int
nanosleep_arg(struct dctx *c, int i)
{
	return remain_arg(c, i, 1);
}

static int
clock_nanosleep_arg(struct dctx *c, int i)
{
	return remain_arg(c, i, 3);
}

static int
time_arg(struct dctx *c, int i)
{
	long long	 v;

	if (i != 0 || A(c, 0) == 0 || c->c_result < 0)
		return 0;
	if (dfetch(c, A(c, 0), &v, sizeof(v)) == 0) {
		sbuf_printf(c->c_sb, "[%lld", v);
		dput_time_comment(c->c_sb, v, 0, 0);
		sbuf_puts(c->c_sb, "]");
	}
	return 1;
}

static void
put_date(struct sbuf *sb, long long t)
{
	char		 buf[128];
	struct sbuf	 tmp = { buf, 0, sizeof(buf) };

	buf[0] = '\0';
	dput_time_comment(&tmp, t, 0, 0);
	/* The comment's text, in parentheses. */
	if (tmp.sb_len > 7) {
		buf[tmp.sb_len - 3] = '\0';
		sbuf_printf(sb, " (%s)", buf + 4);
	}
}

static void
time_result(struct dctx *c)
{
	sbuf_printf(c->c_sb, "%ld", c->c_result);
	put_date(c->c_sb, c->c_result);
}

static void
named_result(struct dctx *c, int set)
{
	sbuf_printf(c->c_sb, "%ld (", c->c_result);
	dput_enum(c->c_sb, set, (unsigned long)c->c_result);
	sbuf_puts(c->c_sb, ")");
}

/* personality: 0xffffffff asks; anything else is a persona. */
static int
personality_arg(struct dctx *c, int i)
{
	if (i != 0 || (uint32_t)A(c, 0) == 0xffffffff)
		return 0;
	dput_flags(c->c_sb, IT_X_personality, (uint32_t)A(c, 0));
	return 1;
}

static void
sched_policy_result(struct dctx *c)
{
	named_result(c, IT_X_sched_policy);
}

static void
personality_result(struct dctx *c)
{
	sbuf_printf(c->c_sb, c->c_result ? "%#lx (" : "%ld (", c->c_result);
	dput_flags(c->c_sb, IT_X_personality, (unsigned long)c->c_result);
	sbuf_puts(c->c_sb, ")");
}

/* membarrier's cpu only with MEMBARRIER_CMD_FLAG_CPU; QUERY's result is
 * the set of commands. */
static int
membarrier_nargs(const struct dctx *c)
{
	return A(c, 1) & 1 ? 3 : 2;
}

static void
membarrier_result(struct dctx *c)
{
	if (A(c, 0) != 0 || c->c_result == 0) {
		decode_result(c->c_sb, &c->c_d->s_ret, c->c_result);
		return;
	}
	sbuf_printf(c->c_sb, "%#lx (", c->c_result);
	dput_flags(c->c_sb, IT_X_membarrier, (unsigned long)c->c_result);
	sbuf_puts(c->c_sb, ")");
}

static void
signal_result(struct dctx *c)
{
	sbuf_printf(c->c_sb, "%ld (", c->c_result);
	dput_signal(c->c_sb, (int)c->c_result);
	sbuf_puts(c->c_sb, ")");
}

/*
 * futex: the operation names its arguments.  Each row lists, after uaddr
 * and op, what the operation reads from val, timeout (a timespec or a
 * second count), uaddr2 and val3.
 */
enum { F_NONE, F_VAL, F_TIME, F_VAL2, F_ADDR2, F_VAL3, F_BITSET, F_WAKEOP };
static const unsigned char futex_layout[14][4] = {
	[FUTEX_WAIT] =		{ F_VAL, F_TIME },
	[FUTEX_WAKE] =		{ F_VAL },
	[FUTEX_FD] =		{ F_VAL },
	[FUTEX_REQUEUE] =	{ F_VAL, F_VAL2, F_ADDR2 },
	[FUTEX_CMP_REQUEUE] =	{ F_VAL, F_VAL2, F_ADDR2, F_VAL3 },
	[FUTEX_WAKE_OP] =	{ F_VAL, F_VAL2, F_ADDR2, F_WAKEOP },
	[FUTEX_LOCK_PI] =	{ F_TIME },
	[FUTEX_UNLOCK_PI] =	{ F_NONE },
	[FUTEX_TRYLOCK_PI] =	{ F_NONE },
	[FUTEX_WAIT_BITSET] =	{ F_VAL, F_TIME, F_BITSET },
	[FUTEX_WAKE_BITSET] =	{ F_VAL, F_BITSET },
	[FUTEX_WAIT_REQUEUE_PI] = { F_VAL, F_TIME, F_ADDR2 },
	[FUTEX_CMP_REQUEUE_PI] = { F_VAL, F_VAL2, F_ADDR2, F_VAL3 },
	[FUTEX_LOCK_PI2] =	{ F_TIME },
};

static const unsigned char *
futex_row(const struct dctx *c)
{
	unsigned	 cmd = (unsigned)A(c, 1) & FUTEX_CMD_MASK;

	return cmd < 14 ? futex_layout[cmd] : NULL;
}

static int
futex_nargs(const struct dctx *c)
{
	const unsigned char	*row = futex_row(c);
	int			 n = 2;

	if (row == NULL)
		return 6;
	while (n - 2 < 4 && row[n - 2] != F_NONE)
		n++;
	return n;
}

static int
futex_arg(struct dctx *c, int i)
{
	const unsigned char	*row = futex_row(c);
	unsigned		 op = (unsigned)A(c, 1);
	struct sbuf		*sb = c->c_sb;

	if (i == 1) {
		dput_enum(sb, IT_X_futex_op, op & ~FUTEX_CLOCK_REALTIME);
		if (op & FUTEX_CLOCK_REALTIME)
			sbuf_puts(sb, "|FUTEX_CLOCK_REALTIME");
		return 1;
	}
	if (i < 2 || row == NULL)
		return 0;
	switch (row[i - 2]) {
	case F_VAL:
		sbuf_printf(sb, "%u", (unsigned)A(c, 2));
		break;
	case F_TIME:
		if (A(c, 3) == 0)
			sbuf_puts(sb, "NULL");
		else
			dput_timespec(c, A(c, 3), 3);
		break;
	case F_VAL2:
		sbuf_printf(sb, "%u", (unsigned)A(c, 3));
		break;
	case F_ADDR2:
		dput_addr(sb, A(c, 4));
		break;
	case F_VAL3:
		sbuf_printf(sb, "%u", (unsigned)A(c, 5));
		break;
	case F_BITSET:
		if ((uint32_t)A(c, 5) == FUTEX_BITSET_MATCH_ANY)
			sbuf_puts(sb, "FUTEX_BITSET_MATCH_ANY");
		else
			sbuf_printf(sb, "%#x", (unsigned)A(c, 5));
		break;
	case F_WAKEOP:
		sbuf_printf(sb, "%#x", (unsigned)A(c, 5));
		break;
	}
	return 1;
}

/* capget/capset: the version by name; the sets as 1<<CAP_X bits. */
void
dput_cap_header(struct dctx *c, uint64_t addr, int i)
{
	struct it_k_cap_header	 h;

	(void)i;
	if (dfetch(c, addr, &h, sizeof(h)) < 0)
		return;
	sbuf_puts(c->c_sb, "{version=");
	switch (h.version) {
	case _LINUX_CAPABILITY_VERSION_1:
		sbuf_puts(c->c_sb, "_LINUX_CAPABILITY_VERSION_1");
		break;
	case _LINUX_CAPABILITY_VERSION_2:
		sbuf_puts(c->c_sb, "_LINUX_CAPABILITY_VERSION_2");
		break;
	case _LINUX_CAPABILITY_VERSION_3:
		sbuf_puts(c->c_sb, "_LINUX_CAPABILITY_VERSION_3");
		break;
	default:
		sbuf_printf(c->c_sb, "%#x", h.version);
	}
	sbuf_printf(c->c_sb, ", pid=%d}", h.pid);
}

static void
put_caps(struct sbuf *sb, uint64_t set)
{
	const char	*name;
	int		 bit, first = 1;

	if (set == 0)
		sbuf_puts(sb, "0");
	for (bit = 0; bit < 64; bit++) {
		if (!(set & (1ULL << bit)))
			continue;
		name = xlat_name(it_xlat_cap, (uint64_t)bit);
		if (name != NULL)
			sbuf_printf(sb, "%s1<<%s", first ? "" : "|", name);
		else
			sbuf_printf(sb, "%s1<<%d", first ? "" : "|", bit);
		first = 0;
	}
}

/* Version 1 has one 32-bit word per set; versions 2 and 3 two. */
void
dput_cap_data(struct dctx *c, uint64_t addr, int i)
{
	struct it_k_cap_header	 h;
	struct it_k_cap_data	 d[2];
	size_t			 n = 2;

	(void)i;
	memset(d, 0, sizeof(d));
	if (it_mem_read(c->c_t, A(c, 0), &h, sizeof(h)) == 0 &&
	    h.version == _LINUX_CAPABILITY_VERSION_1)
		n = 1;
	if (dfetch(c, addr, d, n * sizeof(d[0])) < 0)
		return;
	sbuf_puts(c->c_sb, "{effective=");
	put_caps(c->c_sb, d[0].effective | (uint64_t)d[1].effective << 32);
	sbuf_puts(c->c_sb, ", permitted=");
	put_caps(c->c_sb, d[0].permitted | (uint64_t)d[1].permitted << 32);
	sbuf_puts(c->c_sb, ", inheritable=");
	put_caps(c->c_sb, d[0].inheritable |
	    (uint64_t)d[1].inheritable << 32);
	sbuf_puts(c->c_sb, "}");
}

/* sched_attr grew: the utilisation clamps follow when size says so. */
void
dput_sched_attr(struct dctx *c, uint64_t addr, int i)
{
	struct {
		struct it_k_sched_attr	 a;
		uint32_t		 util_min, util_max;
	}			 s;

	(void)i;
	memset(&s, 0, sizeof(s));
	if (dfetch(c, addr, &s.a, sizeof(s.a)) < 0)
		return;
	if (s.a.size >= sizeof(s))
		(void)it_mem_read(c->c_t, addr, &s, sizeof(s));
	sbuf_printf(c->c_sb, "{size=%u, sched_policy=", s.a.size);
	dput_enum(c->c_sb, IT_X_sched_policy, s.a.sched_policy);
	sbuf_printf(c->c_sb, ", sched_flags=%s", s.a.sched_flags ? "" : "0");
	if (s.a.sched_flags)
		sbuf_printf(c->c_sb, "%#llx",
		    (unsigned long long)s.a.sched_flags);
	sbuf_printf(c->c_sb, ", sched_nice=%d, sched_priority=%u, "
	    "sched_runtime=%llu, sched_deadline=%llu, sched_period=%llu",
	    s.a.sched_nice, s.a.sched_priority,
	    (unsigned long long)s.a.sched_runtime,
	    (unsigned long long)s.a.sched_deadline,
	    (unsigned long long)s.a.sched_period);
	if (s.a.size >= sizeof(s))
		sbuf_printf(c->c_sb, ", sched_util_min=%u, sched_util_max=%u",
		    s.util_min, s.util_max);
	sbuf_puts(c->c_sb, "}");
}

const struct dspecial dspecial_proc[IT_NR_MAX] = {
	[IT_SYS_futex] = { .ds_nargs = futex_nargs, .ds_arg = futex_arg },
	[IT_SYS_prctl] = { .ds_nargs = prctl_nargs,
	    .ds_first_out = prctl_first_out, .ds_arg = prctl_arg,
	    .ds_result = prctl_result },
	[IT_SYS_clone] = { .ds_nargs = clone_nargs, .ds_arg = clone_arg },
	[IT_SYS_wait4] = { .ds_arg = wait4_arg },
	[IT_SYS_rseq] = { .ds_arg = rseq_arg },
	[IT_SYS_rt_sigreturn] = { .ds_nargs = sigreturn_nargs,
	    .ds_first_out = sigreturn_first_out, .ds_arg = sigreturn_arg },
	[IT_SYS_nanosleep] = { .ds_arg = nanosleep_arg },
	[IT_SYS_clock_nanosleep] = { .ds_arg = clock_nanosleep_arg },
	[IT_SYS_time] = { .ds_arg = time_arg, .ds_result = time_result },
	[IT_SYS_sched_getscheduler] = { .ds_result = sched_policy_result },
	[IT_SYS_personality] = { .ds_arg = personality_arg,
	    .ds_result = personality_result },
	[IT_SYS_rt_sigtimedwait] = { .ds_result = signal_result },
	[IT_SYS_membarrier] = { .ds_nargs = membarrier_nargs,
	    .ds_result = membarrier_result },
};
