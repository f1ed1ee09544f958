/*
 * Calls whose arguments do not print from their kinds alone, as strace has
 * a decoder per such call: one argument gives another its meaning (fcntl's
 * and ioctl's third, prctl's rest, socket's protocol), the layout differs
 * from the register order (clone), or the result means more than a number
 * (fcntl F_GETFL, poll, select).  The table at the end is filled by
 * syscall name; every other call prints from syscalls.def alone.
 */
#include <sys/ioctl.h>
#include <termios.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "decode_impl.h"
#include "task.h"

#define A(c, i)		((c)->c_args[i])

/* open, openat, mq_open: the mode means something only when creating. */
static int
creates(const struct dctx *c, int flags_arg)
{
	return (A(c, flags_arg) & O_CREAT) != 0 ||
	    (A(c, flags_arg) & O_TMPFILE) == O_TMPFILE;
}

static int
open_nargs(const struct dctx *c)
{
	return creates(c, 1) ? 3 : 2;
}

static int
openat_nargs(const struct dctx *c)
{
	return creates(c, 2) ? 4 : 3;
}

static int
mq_open_nargs(const struct dctx *c)
{
	return creates(c, 1) ? 4 : 2;
}

/* mknod: the type is part of the mode; a device number only for
 * devices. */
static int
mknod_nargs_at(const struct dctx *c, int mode_arg)
{
	unsigned	 type = (unsigned)A(c, mode_arg) & S_IFMT;

	return type == S_IFCHR || type == S_IFBLK ? mode_arg + 2 :
	    mode_arg + 1;
}

static int
mknod_nargs(const struct dctx *c)
{
	return mknod_nargs_at(c, 1);
}

static int
mknodat_nargs(const struct dctx *c)
{
	return mknod_nargs_at(c, 2);
}

static int
mknod_arg_at(struct dctx *c, int i, int mode_arg)
{
	unsigned	 mode = (unsigned)A(c, mode_arg);

	if (i == mode_arg) {
		dput_file_mode(c->c_sb, mode);
		return 1;
	}
	if (i == mode_arg + 1) {
		sbuf_printf(c->c_sb, "makedev(%#x, %#x)", major(A(c, i)),
		    minor(A(c, i)));
		return 1;
	}
	return 0;
}

static int
mknod_arg(struct dctx *c, int i)
{
	return mknod_arg_at(c, i, 1);
}

static int
mknodat_arg(struct dctx *c, int i)
{
	return mknod_arg_at(c, i, 2);
}

/* mmap's offset is a page-aligned quantity: strace shows it in hex. */
static int
mmap_arg(struct dctx *c, int i)
{
	if (i != 5)
		return 0;
	sbuf_printf(c->c_sb, "%#llx", (unsigned long long)A(c, 5));
	return 1;
}

/* fcntl: the commands that take no argument, take flags or an fd. */
static int
fcntl_nargs(const struct dctx *c)
{
	switch ((int)A(c, 1)) {
	case F_GETFD: case F_GETFL: case F_GETOWN: case F_GETSIG:
	case F_GETLEASE: case F_GETPIPE_SZ: case F_GET_SEALS:
		return 2;
	}
	return 3;
}

static int
fcntl_arg(struct dctx *c, int i)
{
	if (i != 2)
		return 0;
	switch ((int)A(c, 1)) {
	case F_SETFD:
		dput_flags(c->c_sb, IT_X_fdflags, (unsigned)A(c, 2));
		return 1;
	case F_SETFL:
		dput_flags(c->c_sb, IT_X_open, (unsigned)A(c, 2));
		return 1;
	case F_DUPFD: case F_DUPFD_CLOEXEC: case F_SETOWN:
	case F_SETPIPE_SZ: case F_SETLEASE:
		sbuf_printf(c->c_sb, "%d", (int)A(c, 2));
		return 1;
	case F_SETSIG:
		dput_signal(c->c_sb, (int)A(c, 2));
		return 1;
	}
	dput_addr(c->c_sb, A(c, 2));
	return 1;
}

static void
fcntl_result(struct dctx *c)
{
	int	 set = -1;

	if ((int)A(c, 1) == F_GETFD)
		set = IT_X_fdflags;
	else if ((int)A(c, 1) == F_GETFL)
		set = IT_X_open;
	if (set < 0 || c->c_result == 0) {
		decode_result(c->c_sb, &c->c_d->s_ret, c->c_result);
		return;
	}
	sbuf_printf(c->c_sb, "%#lx (flags ", c->c_result);
	dput_flags(c->c_sb, set, (unsigned long)c->c_result);
	sbuf_puts(c->c_sb, ")");
}

/* ioctl: the request by name; an int the kernel writes for the requests
 * that return one, else the argument as an address. */
static int
ioctl_first_out(const struct dctx *c)
{
	(void)c;
	return 2;
}

/* The four mode words that start the kernel's struct termios. */
static void
put_termios(struct dctx *c, uint64_t addr)
{
	uint32_t	 m[4];

	if (dfetch(c, addr, m, sizeof(m)) < 0)
		return;
	sbuf_puts(c->c_sb, "{c_iflag=");
	dput_flags(c->c_sb, IT_X_term_iflag, m[0]);
	sbuf_puts(c->c_sb, ", c_oflag=");
	dput_flags(c->c_sb, IT_X_term_oflag, m[1]);
	sbuf_puts(c->c_sb, ", c_cflag=");
	dput_flags(c->c_sb, IT_X_term_cflag, m[2]);
	sbuf_puts(c->c_sb, ", c_lflag=");
	dput_flags(c->c_sb, IT_X_term_lflag, m[3]);
	sbuf_puts(c->c_sb, ", ...}");
}

static void
put_winsize(struct dctx *c, uint64_t addr)
{
	struct winsize	 w;

	if (dfetch(c, addr, &w, sizeof(w)) == 0)
		sbuf_printf(c->c_sb, "{ws_row=%u, ws_col=%u, ws_xpixel=%u, "
		    "ws_ypixel=%u}", w.ws_row, w.ws_col, w.ws_xpixel,
		    w.ws_ypixel);
}

static int
ioctl_arg(struct dctx *c, int i)
{
	unsigned	 req = (unsigned)A(c, 1);

	if (i == 1) {
		if (!dput_enum_known(c->c_sb, IT_X_ioctl, req))
			sbuf_printf(c->c_sb, "%#x", req);
		return 1;
	}
	if (i != 2)
		return 0;
	switch (req) {
	case FIONREAD: case TIOCOUTQ: case TIOCGPGRP: case TIOCGSID:
	case TIOCGPTN:
		if (c->c_result >= 0) {
			dput_int_array(c, A(c, 2), 1, 1);
			return 1;
		}
		break;
	case FIONBIO: case FIOASYNC: case TIOCSPGRP:
		dput_int_array(c, A(c, 2), 1, 1);
		return 1;
	case TCGETS: case TIOCGWINSZ:
		if (c->c_result < 0)
			break;
		/* FALLTHROUGH */
	case TCSETS: case TCSETSW: case TCSETSF: case TIOCSWINSZ:
		if (req == TIOCGWINSZ || req == TIOCSWINSZ)
			put_winsize(c, A(c, 2));
		else
			put_termios(c, A(c, 2));
		return 1;
	}
	dput_addr(c->c_sb, A(c, 2));
	return 1;
}

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

/* socket and socketpair: the protocol's names depend on the family. */
static int
socket_arg(struct dctx *c, int i)
{
	int	 set;

	if (i != 2)
		return 0;
	switch ((int)A(c, 0)) {
	case AF_INET: case AF_INET6:
		set = IT_X_ipproto;
		break;
	case AF_NETLINK:
		set = IT_X_netlink_proto;
		break;
	default:
		return 0;
	}
	if (!dput_enum_known(c->c_sb, set, (unsigned)A(c, 2)))
		sbuf_printf(c->c_sb, "%d", (int)A(c, 2));
	return 1;
}

/* setsockopt/getsockopt: option names by level; int values in brackets,
 * SO_LINGER as its struct. */
static void
put_optval(struct dctx *c, uint64_t addr, uint32_t len)
{
	struct linger	 lg;

	if ((int)A(c, 1) == SOL_SOCKET && (int)A(c, 2) == SO_LINGER &&
	    len >= sizeof(lg)) {
		if (dfetch(c, addr, &lg, sizeof(lg)) == 0)
			sbuf_printf(c->c_sb, "{l_onoff=%d, l_linger=%d}",
			    lg.l_onoff, lg.l_linger);
		return;
	}
	if (len == sizeof(int))
		dput_int_array(c, addr, 1, 1);
	else
		dput_bytes(c, addr, len);
}

static int
sockopt_arg(struct dctx *c, int i)
{
	uint32_t	 len;
	int		 set = -1;

	if (i == 2) {
		if ((int)A(c, 1) == SOL_SOCKET)
			set = IT_X_so;
		else if ((int)A(c, 1) == IPPROTO_TCP)
			set = IT_X_tcp;
		if (set < 0 || !dput_enum_known(c->c_sb, set,
		    (unsigned)A(c, 2)))
			sbuf_printf(c->c_sb, "%d", (int)A(c, 2));
		return 1;
	}
	if (i != 3)
		return 0;
	if (c->c_nr == IT_SYS_setsockopt) {
		put_optval(c, A(c, 3), (uint32_t)A(c, 4));
		return 1;
	}
	if (c->c_result < 0 ||
	    it_mem_read(c->c_t, A(c, 4), &len, sizeof(len)) < 0)
		dput_addr(c->c_sb, A(c, 3));
	else
		put_optval(c, A(c, 3), len);
	return 1;
}

static int
sockopt_level_arg(struct dctx *c, int i)
{
	if (i == 1 && (int)A(c, 1) == IPPROTO_TCP) {
		sbuf_puts(c->c_sb, "SOL_TCP");
		return 1;
	}
	return sockopt_arg(c, i);
}

static int
getsockopt_first_out(const struct dctx *c)
{
	(void)c;
	return 3;
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
utimensat_arg(struct dctx *c, int i)
{
	if (i != 2 || A(c, 2) == 0)
		return 0;
	dput_time_pair(c, A(c, 2), 0);
	return 1;
}

static int
utimes_arg(struct dctx *c, int i)
{
	if (i != 1 || A(c, 1) == 0)
		return 0;
	dput_time_pair(c, A(c, 1), 1);
	return 1;
}

static int
futimesat_arg(struct dctx *c, int i)
{
	if (i != 2 || A(c, 2) == 0)
		return 0;
	dput_time_pair(c, A(c, 2), 1);
	return 1;
}

/* getcwd's result counts the NUL: the buffer is a string. */
static int
getcwd_arg(struct dctx *c, int i)
{
	if (i != 0 || !c->c_exiting || c->c_result <= 0)
		return 0;
	dput_string(c, A(c, 0), DEC_PATHMAX);
	return 1;
}

static int
getdents_arg(struct dctx *c, int i)
{
	if (i != 1)
		return 0;
	dstruct_printer(IT_S_dirent)(c, A(c, 1), 1);
	return 1;
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

/* mremap's new address matters only with MREMAP_FIXED. */
static int
mremap_nargs(const struct dctx *c)
{
	return A(c, 3) & 2 ? 5 : 4;
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

/* readv & co. fill their iovecs: shown at exit.  The offset's high half
 * (always 0 on x86_64) is not shown. */
static int
iov_out_first(const struct dctx *c)
{
	(void)c;
	return 1;
}

static int
preadv_nargs(const struct dctx *c)
{
	(void)c;
	return 4;
}

static int
preadv2_nargs(const struct dctx *c)
{
	(void)c;
	return 5;
}

static int
preadv2_arg(struct dctx *c, int i)
{
	if (i != 4)
		return 0;
	dput_flags(c->c_sb, IT_X_rwf, (unsigned)A(c, 5));
	return 1;
}

/* statx: AT_STATX_SYNC_AS_STAT is 0, yet strace names it. */
static int
statx_arg(struct dctx *c, int i)
{
	unsigned	 f = (unsigned)A(c, 2);

	if (i != 2 || (f & 0x6000) != 0)
		return 0;
	sbuf_puts(c->c_sb, "AT_STATX_SYNC_AS_STAT");
	if (f != 0) {
		sbuf_puts(c->c_sb, "|");
		dput_flags(c->c_sb, IT_X_at, f);
	}
	return 1;
}

static void
signal_result(struct dctx *c)
{
	sbuf_printf(c->c_sb, "%ld (", c->c_result);
	dput_signal(c->c_sb, (int)c->c_result);
	sbuf_puts(c->c_sb, ")");
}

/* poll and ppoll: the entries the kernel marked, and the time left. */
static void
poll_result(struct dctx *c)
{
	sbuf_printf(c->c_sb, "%ld", c->c_result);
	if (c->c_result > 0) {
		sbuf_puts(c->c_sb, " (");
		dput_pollfds(c, A(c, 0), (size_t)(uint32_t)A(c, 1), 1);
	}
	if (c->c_nr == IT_SYS_ppoll && A(c, 2) != 0) {
		sbuf_puts(c->c_sb, c->c_result > 0 ? ", left " : " (left ");
		dput_timespec(c, A(c, 2), 2);
	} else if (c->c_result == 0) {
		if (c->c_nr != IT_SYS_ppoll)
			sbuf_puts(c->c_sb, " (Timeout)");
		return;
	}
	sbuf_puts(c->c_sb, ")");
}

static void
select_result(struct dctx *c)
{
	static const char *const names[3] = { "in", "out", "except" };
	int			 k, any = 0;

	sbuf_printf(c->c_sb, "%ld", c->c_result);
	if (c->c_result == 0 && A(c, 4) == 0)
		return;
	sbuf_puts(c->c_sb, " (");
	for (k = 0; k < 3 && c->c_result > 0; k++) {
		if (A(c, k + 1) == 0)
			continue;
		sbuf_printf(c->c_sb, "%s%s ", any ? ", " : "", names[k]);
		dput_fdset(c, A(c, k + 1), (int)A(c, 0));
		any = 1;
	}
	if (c->c_result == 0)
		sbuf_puts(c->c_sb, "Timeout");
	else if (A(c, 4) != 0) {
		sbuf_puts(c->c_sb, ", left ");
		if (c->c_nr == IT_SYS_select)
			dput_timeval(c, A(c, 4), 4);
		else
			dput_timespec(c, A(c, 4), 4);
	}
	sbuf_puts(c->c_sb, ")");
}

/* pselect6's last argument is a {sigset pointer, size} pair. */
static int
pselect6_arg(struct dctx *c, int i)
{
	uint64_t	 pair[2];

	if (i != 5 || A(c, 5) == 0)
		return 0;
	if (dfetch(c, A(c, 5), pair, sizeof(pair)) < 0)
		return 1;
	sbuf_puts(c->c_sb, "{sigmask=");
	if (pair[0] == 0)
		sbuf_puts(c->c_sb, "NULL");
	else
		dput_sigset(c, pair[0], (size_t)pair[1]);
	sbuf_printf(c->c_sb, ", sigsetsize=%llu}", (unsigned long long)pair[1]);
	return 1;
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
		if (!dput_enum_known(sb, IT_X_futex_op, op & ~FUTEX_CLOCK_REALTIME))
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

/* getrandom's bytes are noise: strace shows them all in hex. */
static int
getrandom_arg(struct dctx *c, int i)
{
	unsigned char	 buf[4096];
	size_t		 n, k, max = decode_strsize;

	if (i != 0 || !c->c_exiting || c->c_result < 0)
		return 0;
	n = (size_t)c->c_result;
	if (max > sizeof(buf))
		max = sizeof(buf);
	if (dfetch(c, A(c, 0), buf, n < max ? n : max) < 0)
		return 1;
	sbuf_puts(c->c_sb, "\"");
	for (k = 0; k < n && k < max; k++)
		sbuf_printf(c->c_sb, "\\x%02x", buf[k]);
	sbuf_puts(c->c_sb, n > max ? "\"..." : "\"");
	return 1;
}

static const struct dspecial specials[IT_NR_MAX] = {
	[IT_SYS_futex] = { .ds_nargs = futex_nargs, .ds_arg = futex_arg },
	[IT_SYS_getrandom] = { .ds_arg = getrandom_arg },
	[IT_SYS_open] = { .ds_nargs = open_nargs },
	[IT_SYS_openat] = { .ds_nargs = openat_nargs },
	[IT_SYS_mq_open] = { .ds_nargs = mq_open_nargs },
	[IT_SYS_mknod] = { .ds_nargs = mknod_nargs, .ds_arg = mknod_arg },
	[IT_SYS_mknodat] = { .ds_nargs = mknodat_nargs,
	    .ds_arg = mknodat_arg },
	[IT_SYS_mmap] = { .ds_arg = mmap_arg },
	[IT_SYS_fcntl] = { .ds_nargs = fcntl_nargs, .ds_arg = fcntl_arg,
	    .ds_result = fcntl_result },
	[IT_SYS_ioctl] = { .ds_first_out = ioctl_first_out,
	    .ds_arg = ioctl_arg },
	[IT_SYS_prctl] = { .ds_nargs = prctl_nargs,
	    .ds_first_out = prctl_first_out, .ds_arg = prctl_arg,
	    .ds_result = prctl_result },
	[IT_SYS_clone] = { .ds_nargs = clone_nargs, .ds_arg = clone_arg },
	[IT_SYS_wait4] = { .ds_arg = wait4_arg },
	[IT_SYS_socket] = { .ds_arg = socket_arg },
	[IT_SYS_socketpair] = { .ds_arg = socket_arg },
	[IT_SYS_setsockopt] = { .ds_arg = sockopt_level_arg },
	[IT_SYS_getsockopt] = { .ds_first_out = getsockopt_first_out,
	    .ds_arg = sockopt_level_arg },
	[IT_SYS_rseq] = { .ds_arg = rseq_arg },
	[IT_SYS_rt_sigreturn] = { .ds_nargs = sigreturn_nargs,
	    .ds_first_out = sigreturn_first_out, .ds_arg = sigreturn_arg },
	[IT_SYS_nanosleep] = { .ds_arg = nanosleep_arg },
	[IT_SYS_clock_nanosleep] = { .ds_arg = clock_nanosleep_arg },
	[IT_SYS_utimensat] = { .ds_arg = utimensat_arg },
	[IT_SYS_utimes] = { .ds_arg = utimes_arg },
	[IT_SYS_futimesat] = { .ds_arg = futimesat_arg },
	[IT_SYS_getcwd] = { .ds_arg = getcwd_arg },
	[IT_SYS_getdents] = { .ds_arg = getdents_arg },
	[IT_SYS_time] = { .ds_arg = time_arg, .ds_result = time_result },
	[IT_SYS_sched_getscheduler] = { .ds_result = sched_policy_result },
	[IT_SYS_personality] = { .ds_arg = personality_arg,
	    .ds_result = personality_result },
	[IT_SYS_rt_sigtimedwait] = { .ds_result = signal_result },
	[IT_SYS_mremap] = { .ds_nargs = mremap_nargs },
	[IT_SYS_membarrier] = { .ds_nargs = membarrier_nargs,
	    .ds_result = membarrier_result },
	[IT_SYS_readv] = { .ds_first_out = iov_out_first },
	[IT_SYS_preadv] = { .ds_nargs = preadv_nargs,
	    .ds_first_out = iov_out_first },
	[IT_SYS_pwritev] = { .ds_nargs = preadv_nargs },
	[IT_SYS_preadv2] = { .ds_nargs = preadv2_nargs,
	    .ds_first_out = iov_out_first, .ds_arg = preadv2_arg },
	[IT_SYS_pwritev2] = { .ds_nargs = preadv2_nargs,
	    .ds_arg = preadv2_arg },
	[IT_SYS_statx] = { .ds_arg = statx_arg },
	[IT_SYS_poll] = { .ds_result = poll_result },
	[IT_SYS_ppoll] = { .ds_result = poll_result },
	[IT_SYS_select] = { .ds_result = select_result },
	[IT_SYS_pselect6] = { .ds_arg = pselect6_arg,
	    .ds_result = select_result },
};

const struct dspecial *
decode_special(long nr)
{
	if (nr < 0 || nr >= IT_NR_MAX)
		return NULL;
	return &specials[nr];
}
