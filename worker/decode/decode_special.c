/*
 * Calls whose arguments do not print from their kinds alone, as strace has
 * a decoder per such call: one argument gives another its meaning (fcntl's
 * and ioctl's third, prctl's rest, socket's protocol), the layout differs
 * from the register order (clone), or the result means more than a number
 * (fcntl F_GETFL, poll, select).  Each family keeps its rules in a table
 * filled by syscall name: files and descriptors here, processes, signals
 * and time in decode_proc.c, sockets in decode_net.c, IPC in decode_ipc.c.  Every other call
 * prints from syscalls.def alone.
 */
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <fcntl.h>
#include <termios.h>

#include "decode_impl.h"
#include "decode_fdpath.h"
#include "../engine/task.h"

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
		if ((int)A(c, 1) == F_DUPFD || (int)A(c, 1) == F_DUPFD_CLOEXEC)
			fdpath_put(c, (int)c->c_result);
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

/* mremap's new address matters only with MREMAP_FIXED. */
static int
mremap_nargs(const struct dctx *c)
{
	return A(c, 3) & 2 ? 5 : 4;
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
	[IT_SYS_utimensat] = { .ds_arg = utimensat_arg },
	[IT_SYS_utimes] = { .ds_arg = utimes_arg },
	[IT_SYS_futimesat] = { .ds_arg = futimesat_arg },
	[IT_SYS_getcwd] = { .ds_arg = getcwd_arg },
	[IT_SYS_getdents] = { .ds_arg = getdents_arg },
	[IT_SYS_mremap] = { .ds_nargs = mremap_nargs },
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

static int
empty(const struct dspecial *sp)
{
	return sp->ds_nargs == NULL && sp->ds_first_out == NULL &&
	    sp->ds_arg == NULL && sp->ds_result == NULL;
}

/* A call has its rules in one family's table at most. */
const struct dspecial *
decode_special(long nr)
{
	if (nr < 0 || nr >= IT_NR_MAX)
		return NULL;
	if (!empty(&dspecial_proc[nr]))
		return &dspecial_proc[nr];
	if (!empty(&dspecial_net[nr]))
		return &dspecial_net[nr];
	if (!empty(&dspecial_ipc[nr]))
		return &dspecial_ipc[nr];
	return &specials[nr];
}
