/*
 * Guest structures, printed by their struct id (structs.def): the table
 * at the end maps each id to its printer.  Struct printers read the whole
 * structure with one bounded read; an unreadable one prints as its
 * address, as strace does.  Like strace without -v, the big ones (stat,
 * statx, rusage, utsname) show their first, telling fields and "...".
 */
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysinfo.h>
#include <sys/sysmacros.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>

#include "decode_impl.h"
#include "decode_fdpath.h"
#include "../engine/task.h"

#define NARG(c, i)	((i) + 1 < 6 ? (c)->c_args[(i) + 1] : 0)

/* st_mode as strace shows it: S_IFDIR|S_ISVTX|0777. */
void
dput_file_mode(struct sbuf *sb, unsigned mode)
{
	static const struct { unsigned bit; const char *name; } special[] = {
		{ S_ISUID, "S_ISUID" }, { S_ISGID, "S_ISGID" },
		{ S_ISVTX, "S_ISVTX" },
	};
	size_t	 k;

	if ((mode & S_IFMT) == 0) {
		dput_mode(sb, mode);
		return;
	}
	dput_flags(sb, IT_X_file_type, mode & S_IFMT);
	for (k = 0; k < sizeof(special) / sizeof(special[0]); k++)
		if (mode & special[k].bit)
			sbuf_printf(sb, "|%s", special[k].name);
	sbuf_printf(sb, "|%#o", mode & 0777);
}

static void
put_dev(struct sbuf *sb, unsigned long long dev)
{
	sbuf_printf(sb, "makedev(%#x, %#x)", major(dev), minor(dev));
}

static void
p_stat(struct dctx *c, uint64_t addr, int i)
{
	struct stat	 st;

	(void)i;
	if (dfetch(c, addr, &st, sizeof(st)) < 0)
		return;
	sbuf_puts(c->c_sb, "{st_mode=");
	dput_file_mode(c->c_sb, st.st_mode);
	if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
		sbuf_puts(c->c_sb, ", st_rdev=");
		put_dev(c->c_sb, st.st_rdev);
	} else
		sbuf_printf(c->c_sb, ", st_size=%lld", (long long)st.st_size);
	sbuf_puts(c->c_sb, ", ...}");
}

static void
p_statx(struct dctx *c, uint64_t addr, int i)
{
	struct statx	 st;

	(void)i;
	if (dfetch(c, addr, &st, sizeof(st)) < 0)
		return;
	sbuf_puts(c->c_sb, "{stx_mask=");
	dput_flags(c->c_sb, IT_X_statx_mask, st.stx_mask);
	sbuf_printf(c->c_sb, ", stx_attributes=%s",
	    st.stx_attributes ? "" : "0");
	if (st.stx_attributes)
		sbuf_printf(c->c_sb, "%#llx",
		    (unsigned long long)st.stx_attributes);
	sbuf_puts(c->c_sb, ", stx_mode=");
	dput_file_mode(c->c_sb, st.stx_mode);
	if (S_ISCHR(st.stx_mode) || S_ISBLK(st.stx_mode))
		sbuf_printf(c->c_sb, ", stx_rdev_major=%u, stx_rdev_minor=%u",
		    st.stx_rdev_major, st.stx_rdev_minor);
	else
		sbuf_printf(c->c_sb, ", stx_size=%llu",
		    (unsigned long long)st.stx_size);
	sbuf_puts(c->c_sb, ", ...}");
}

static void
p_statfs(struct dctx *c, uint64_t addr, int i)
{
	struct statfs	 sf;
	int		 fsid[2];

	(void)i;
	if (dfetch(c, addr, &sf, sizeof(sf)) < 0)
		return;
	memcpy(fsid, &sf.f_fsid, sizeof(fsid));
	sbuf_puts(c->c_sb, "{f_type=");
	dput_enum(c->c_sb, IT_X_fs_magic, (unsigned long)sf.f_type);
	sbuf_printf(c->c_sb, ", f_bsize=%ld, f_blocks=%llu, f_bfree=%llu, "
	    "f_bavail=%llu, f_files=%llu, f_ffree=%llu, ",
	    (long)sf.f_bsize, (unsigned long long)sf.f_blocks,
	    (unsigned long long)sf.f_bfree, (unsigned long long)sf.f_bavail,
	    (unsigned long long)sf.f_files, (unsigned long long)sf.f_ffree);
	sbuf_printf(c->c_sb, "f_fsid={val=[%#x, %#x]}, f_namelen=%ld, "
	    "f_frsize=%ld, f_flags=", fsid[0], fsid[1], (long)sf.f_namelen,
	    (long)sf.f_frsize);
	dput_flags(c->c_sb, IT_X_statfs_flags, (unsigned long)sf.f_flags);
	sbuf_puts(c->c_sb, "}");
}

static void
p_utsname(struct dctx *c, uint64_t addr, int i)
{
	struct utsname	 u;

	(void)i;
	if (dfetch(c, addr, &u, sizeof(u)) < 0)
		return;
	u.sysname[sizeof(u.sysname) - 1] = '\0';
	u.nodename[sizeof(u.nodename) - 1] = '\0';
	sbuf_puts(c->c_sb, "{sysname=");
	sbuf_quote(c->c_sb, (unsigned char *)u.sysname, strlen(u.sysname),
	    sizeof(u.sysname), 1);
	sbuf_puts(c->c_sb, ", nodename=");
	sbuf_quote(c->c_sb, (unsigned char *)u.nodename, strlen(u.nodename),
	    sizeof(u.nodename), 1);
	sbuf_puts(c->c_sb, ", ...}");
}

static void
p_sysinfo(struct dctx *c, uint64_t addr, int i)
{
	struct sysinfo	 s;

	(void)i;
	if (dfetch(c, addr, &s, sizeof(s)) < 0)
		return;
	sbuf_printf(c->c_sb, "{uptime=%ld, loads=[%lu, %lu, %lu], "
	    "totalram=%lu, freeram=%lu, sharedram=%lu, bufferram=%lu, "
	    "totalswap=%lu, freeswap=%lu, procs=%u, totalhigh=%lu, "
	    "freehigh=%lu, mem_unit=%u}", s.uptime, s.loads[0], s.loads[1],
	    s.loads[2], s.totalram, s.freeram, s.sharedram, s.bufferram,
	    s.totalswap, s.freeswap, (unsigned)s.procs, s.totalhigh,
	    s.freehigh, s.mem_unit);
}

static void
put_rlim(struct sbuf *sb, unsigned long long v)
{
	if (v == (unsigned long long)RLIM64_INFINITY)
		sbuf_puts(sb, "RLIM64_INFINITY");
	else if (v > 1024 && v % 1024 == 0)
		sbuf_printf(sb, "%llu*1024", v / 1024);
	else
		sbuf_printf(sb, "%llu", v);
}

static void
p_rlimit(struct dctx *c, uint64_t addr, int i)
{
	struct rlimit	 r;

	(void)i;
	if (dfetch(c, addr, &r, sizeof(r)) < 0)
		return;
	sbuf_puts(c->c_sb, "{rlim_cur=");
	put_rlim(c->c_sb, r.rlim_cur);
	sbuf_puts(c->c_sb, ", rlim_max=");
	put_rlim(c->c_sb, r.rlim_max);
	sbuf_puts(c->c_sb, "}");
}

static void
p_rusage(struct dctx *c, uint64_t addr, int i)
{
	struct rusage	 r;

	(void)i;
	if (dfetch(c, addr, &r, sizeof(r)) < 0)
		return;
	sbuf_puts(c->c_sb, "{ru_utime=");
	dput_timeval_val(c->c_sb, r.ru_utime.tv_sec, r.ru_utime.tv_usec);
	sbuf_puts(c->c_sb, ", ru_stime=");
	dput_timeval_val(c->c_sb, r.ru_stime.tv_sec, r.ru_stime.tv_usec);
	sbuf_puts(c->c_sb, ", ...}");
}

static void
p_tms(struct dctx *c, uint64_t addr, int i)
{
	struct tms	 t;

	(void)i;
	if (dfetch(c, addr, &t, sizeof(t)) < 0)
		return;
	sbuf_printf(c->c_sb, "{tms_utime=%llu, tms_stime=%llu, "
	    "tms_cutime=%llu, tms_cstime=%llu}",
	    (unsigned long long)t.tms_utime, (unsigned long long)t.tms_stime,
	    (unsigned long long)t.tms_cutime,
	    (unsigned long long)t.tms_cstime);
}

/* One int in brackets, as strace shows an int the kernel wrote. */
static void
p_int(struct dctx *c, uint64_t addr, int i)
{
	(void)i;
	dput_int_array(c, addr, 1, 1);
}

static void
p_uint(struct dctx *c, uint64_t addr, int i)
{
	(void)i;
	dput_int_array(c, addr, 1, 0);
}

static void
p_long(struct dctx *c, uint64_t addr, int i)
{
	long long	 v;

	(void)i;
	if (dfetch(c, addr, &v, sizeof(v)) == 0)
		sbuf_printf(c->c_sb, "[%lld]", v);
}

static void
p_ulong(struct dctx *c, uint64_t addr, int i)
{
	unsigned long long	 v;

	(void)i;
	if (dfetch(c, addr, &v, sizeof(v)) == 0)
		sbuf_printf(c->c_sb, "[%#llx]", v);
}

/* uid and gid arrays: getgroups' length is its result, setgroups' the
 * first argument; getresuid's single ids come one per argument. */
static void
p_ids(struct dctx *c, uint64_t addr, int i)
{
	size_t	 n = 1;

	(void)i;
	if (c->c_nr == IT_SYS_getgroups)
		n = c->c_exiting ? (size_t)c->c_result : 0;
	else if (c->c_nr == IT_SYS_setgroups)
		n = (size_t)c->c_args[0];
	if (n == 0) {
		sbuf_puts(c->c_sb, "[]");
		return;
	}
	dput_int_array(c, addr, n, 0);
}

/* pipe, socketpair: two new descriptors, with their paths under -y. */
static void
p_fds(struct dctx *c, uint64_t addr, int i)
{
	int	 fd[2];

	(void)i;
	if (dfetch(c, addr, fd, sizeof(fd)) < 0)
		return;
	sbuf_printf(c->c_sb, "[%d", fd[0]);
	fdpath_put(c, fd[0]);
	sbuf_printf(c->c_sb, ", %d", fd[1]);
	fdpath_put(c, fd[1]);
	sbuf_puts(c->c_sb, "]");
}

static void
p_sched_param(struct dctx *c, uint64_t addr, int i)
{
	(void)i;
	dput_int_array(c, addr, 1, 1);
}

/* A CPU mask: the numbers of the set bits, as many bytes as the kernel
 * wrote (the result) or the caller gave. */
static void
p_cpu_set(struct dctx *c, uint64_t addr, int i)
{
	unsigned char	 m[128];
	size_t		 n, b;
	int		 first = 1;

	n = c->c_exiting && c->c_result > 0 ? (size_t)c->c_result :
	    (size_t)c->c_args[1];
	if (n > sizeof(m))
		n = sizeof(m);
	(void)i;
	if (dfetch(c, addr, m, n) < 0)
		return;
	sbuf_puts(c->c_sb, "[");
	for (b = 0; b < n * 8; b++)
		if (m[b / 8] & (1u << (b % 8))) {
			sbuf_printf(c->c_sb, "%s%zu", first ? "" : " ", b);
			first = 0;
		}
	sbuf_puts(c->c_sb, "]");
}

/* mincore's vector: one byte per page of the range. */
static void
p_bytes(struct dctx *c, uint64_t addr, int i)
{
	unsigned char	 v[32];
	size_t		 n, k;

	if (c->c_nr != IT_SYS_mincore) {
		dput_addr(c->c_sb, addr);
		return;
	}
	n = (size_t)((c->c_args[1] + 4095) / 4096);
	(void)i;
	if (dfetch(c, addr, v, n < sizeof(v) ? n : sizeof(v)) < 0)
		return;
	sbuf_puts(c->c_sb, "[");
	for (k = 0; k < n && k < sizeof(v); k++)
		sbuf_printf(c->c_sb, "%s%u", k ? ", " : "", v[k] & 1);
	if (n > sizeof(v))
		sbuf_puts(c->c_sb, ", ...");
	sbuf_puts(c->c_sb, "]");
}

/* Directory entries: how many the kernel returned, not each one. */
static void
p_dirent(struct dctx *c, uint64_t addr, int i)
{
	unsigned char	 buf[DEC_PATHMAX];
	struct it_k_dirent64 d;
	size_t		 len, off = 0, n = 0;

	(void)i;
	if (!c->c_exiting || c->c_result < 0) {
		dput_addr(c->c_sb, addr);
		return;
	}
	len = (size_t)c->c_result < sizeof(buf) ? (size_t)c->c_result :
	    sizeof(buf);
	if (it_mem_read(c->c_t, addr, buf, len) < 0) {
		dput_addr(c->c_sb, addr);
		return;
	}
	while (off + sizeof(d) <= len) {
		memcpy(&d, buf + off, sizeof(d));
		if (d.d_reclen == 0)
			break;
		off += d.d_reclen;
		n++;
	}
	sbuf_printf(c->c_sb, "%#llx /* %zu entr%s */", (unsigned long long)addr,
	    n, n == 1 ? "y" : "ies");
}

static void
p_clone_args(struct dctx *c, uint64_t addr, int i)
{
	struct it_k_clone_args	 ca;
	size_t			 n = (size_t)NARG(c, i);

	memset(&ca, 0, sizeof(ca));
	if (n > sizeof(ca))
		n = sizeof(ca);
	if (n < 64 || dfetch(c, addr, &ca, n) < 0) {
		if (n < 64)
			dput_addr(c->c_sb, addr);
		return;
	}
	sbuf_puts(c->c_sb, "{flags=");
	dput_flags(c->c_sb, IT_X_clone, ca.flags);
	sbuf_printf(c->c_sb, ", pidfd=%#llx, child_tid=%#llx, "
	    "parent_tid=%#llx, exit_signal=", (unsigned long long)ca.pidfd,
	    (unsigned long long)ca.child_tid,
	    (unsigned long long)ca.parent_tid);
	dput_signal(c->c_sb, (int)ca.exit_signal);
	sbuf_printf(c->c_sb, ", stack=%#llx, stack_size=%#llx, tls=%#llx}",
	    (unsigned long long)ca.stack, (unsigned long long)ca.stack_size,
	    (unsigned long long)ca.tls);
}

static void
p_open_how(struct dctx *c, uint64_t addr, int i)
{
	struct it_k_open_how	 h;

	(void)i;
	if (dfetch(c, addr, &h, sizeof(h)) < 0)
		return;
	sbuf_puts(c->c_sb, "{flags=");
	dput_flags(c->c_sb, IT_X_open, h.flags);
	if (h.mode != 0 || (h.flags & O_CREAT) ||
	    (h.flags & O_TMPFILE) == O_TMPFILE) {
		sbuf_puts(c->c_sb, ", mode=");
		dput_mode(c->c_sb, (unsigned)h.mode);
	}
	sbuf_puts(c->c_sb, ", resolve=");
	dput_flags(c->c_sb, IT_X_resolve, h.resolve);
	sbuf_puts(c->c_sb, "}");
}

static void
p_iovec(struct dctx *c, uint64_t addr, int i)
{
	long	 limit = -1;

	/* readv & co.: the kernel filled only as many bytes as it says. */
	if (c->c_exiting && (c->c_nr == IT_SYS_readv ||
	    c->c_nr == IT_SYS_preadv || c->c_nr == IT_SYS_preadv2))
		limit = c->c_result;
	dput_iovec(c, addr, (size_t)NARG(c, i), limit);
}

static const struct {
	dstruct_fn	 p_fn;
	int		 p_at_exit;	/* K_INOUT: shown at exit */
} printers[IT_S_COUNT] = {
	[IT_S_stat] = { p_stat, 1 },
	[IT_S_statx] = { p_statx, 1 },
	[IT_S_statfs] = { p_statfs, 1 },
	[IT_S_timespec] = { dput_timespec, 0 },
	[IT_S_timeval] = { dput_timeval, 0 },
	[IT_S_utsname] = { p_utsname, 1 },
	[IT_S_sysinfo] = { p_sysinfo, 1 },
	[IT_S_rlimit] = { p_rlimit, 1 },
	[IT_S_rusage] = { p_rusage, 1 },
	[IT_S_tms] = { p_tms, 1 },
	[IT_S_int] = { p_int, 1 },
	[IT_S_uint] = { p_uint, 1 },
	[IT_S_long] = { p_long, 1 },
	[IT_S_ulong] = { p_ulong, 1 },
	[IT_S_off] = { p_long, 0 },
	[IT_S_uid] = { p_ids, 1 },
	[IT_S_gid] = { p_ids, 1 },
	[IT_S_fds] = { p_fds, 1 },
	[IT_S_sched_param] = { p_sched_param, 1 },
	[IT_S_cpu_set] = { p_cpu_set, 1 },
	[IT_S_bytes] = { p_bytes, 1 },
	[IT_S_dirent] = { p_dirent, 1 },
	[IT_S_clone_args] = { p_clone_args, 0 },
	[IT_S_cap_header] = { dput_cap_header, 1 },
	[IT_S_cap_data] = { dput_cap_data, 1 },
	[IT_S_sched_attr] = { dput_sched_attr, 1 },
	[IT_S_sembuf] = { dput_sembuf, 0 },
	[IT_S_mq_attr] = { dput_mq_attr, 1 },
	[IT_S_iovec] = { p_iovec, 0 },
	[IT_S_open_how] = { p_open_how, 0 },
	[IT_S_itimerval] = { dput_itimerval, 1 },
	[IT_S_itimerspec] = { dput_itimerspec, 1 },
	[IT_S_utimbuf] = { dput_utimbuf, 0 },
	[IT_S_sigset] = { dput_sigset_arg, 0 },
	[IT_S_sigaction] = { dput_sigaction, 1 },
	[IT_S_siginfo] = { dput_siginfo, 1 },
	[IT_S_stack] = { dput_stack, 1 },
	[IT_S_sigevent] = { dput_sigevent, 0 },
	[IT_S_sockaddr] = { dput_sockaddr_arg, 1 },
	[IT_S_socklen] = { dput_socklen, 1 },
	[IT_S_msghdr] = { dput_msghdr, 1 },
	[IT_S_mmsghdr] = { dput_mmsghdr, 1 },
	[IT_S_pollfd] = { dput_pollfd_arg, 0 },
	[IT_S_fd_set] = { dput_fdset_arg, 0 },
	[IT_S_epoll_event] = { dput_epoll_event, 1 },
};

dstruct_fn
dstruct_printer(int id)
{
	if (id < 0 || id >= IT_S_COUNT)
		return NULL;
	return printers[id].p_fn;
}

int
dstruct_at_exit(int id)
{
	if (id < 0 || id >= IT_S_COUNT)
		return 0;
	return printers[id].p_at_exit;
}
