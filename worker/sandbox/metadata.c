/*
 * File timestamps and system information.  stat and friends are the
 * kernel's (sizes, modes and link counts are the program's business),
 * asked by the worker where it can reach the file as the caller would
 * (reach.c), else run by the thread, and their times are made logical
 * on the way out (ftimes.c), their device numbers and mount ids the
 * run's (devnums.c); uname and sysinfo are
 * answered with fixed values.
 */
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sandbox.h"

#define WIDEN	(STATX_BASIC_STATS | STATX_BTIME)

/*
 * What the exit needs: the guest buffer and where the call looked.  It
 * rides in the callback argument, since threads of one process may be
 * inside stat at once; freed at the exit (a task that dies inside the
 * call leaves it behind, a few bytes).
 */
struct pending {
	uint64_t		 p_buf;
	unsigned int		 p_mask;	/* statx: what was asked */
	struct ftimes_where	 p_where;
};

static long
stat_done(struct it_task *t, long result, void *arg)
{
	struct pending	*p = arg;
	it_gp_stat	 gp = { p->p_buf };
	struct stat	 st;

	if (result == 0 && it_read_stat(t, gp, &st) == 0) {
		ftimes_stat(t, &p->p_where, &st);
		st.st_dev = devnums_dev(it_task_tid(t), st.st_dev);
		(void)it_write_stat(t, gp, &st);
	}
	free(p);
	return result;
}

/*
 * What statx shows of the wider answer: the fields the kernel reports for
 * the mask the program asked (mask), the times it does not left at 0.
 * The kernel reports more than asked: the basic fields, and the change
 * and modification times only if one of them was asked on a file system
 * with fine-grained times, the birth time only if asked.
 */
static void
shown(struct statx *sx, unsigned int mask)
{
	static const struct {
		unsigned int	 bit;
		size_t		 off;
	} times[] = {
		{ STATX_ATIME, offsetof(struct statx, stx_atime) },
		{ STATX_BTIME, offsetof(struct statx, stx_btime) },
		{ STATX_CTIME, offsetof(struct statx, stx_ctime) },
		{ STATX_MTIME, offsetof(struct statx, stx_mtime) },
	};
	size_t	 i;

	sx->stx_mask = mask;
	for (i = 0; i < sizeof(times) / sizeof(times[0]); i++)
		if (!(mask & times[i].bit))
			memset((char *)sx + times[i].off, 0,
			    sizeof(struct statx_timestamp));
}

/* The run's device number and mount id (devnums.c), after ftimes has
 * used the host's to know the file. */
static void
statx_ids(struct it_task *t, struct statx *sx)
{
	pid_t	 tid = it_task_tid(t);
	dev_t	 dev;

	dev = devnums_dev(tid, makedev(sx->stx_dev_major, sx->stx_dev_minor));
	sx->stx_dev_major = major(dev);
	sx->stx_dev_minor = minor(dev);
	/* (the kernel fills it whether asked or not) */
	if (sx->stx_mask & STATX_MNT_ID)
		sx->stx_mnt_id = devnums_mnt(tid, sx->stx_mnt_id);
}

static long
statx_done(struct it_task *t, long result, void *arg)
{
	struct pending	*p = arg;
	it_gp_statx	 gp = { p->p_buf };
	struct statx	 sx;

	if (result == 0 && it_read_statx(t, gp, &sx) == 0) {
		ftimes_statx(t, &p->p_where, &sx);
		statx_ids(t, &sx);
		/* (Without the file at hand: all but an unasked birth.) */
		shown(&sx, sx.stx_mask &
		    (p->p_mask | ~(unsigned int)STATX_BTIME));
		(void)it_write_statx(t, gp, &sx);
	}
	free(p);
	return result;
}

static struct pending *
fix(struct it_task *t, it_exit_fn done, uint64_t buf, int dirfd,
    it_gp_str path, unsigned int flags)
{
	struct pending	*p;

	if ((p = malloc(sizeof(*p))) == NULL)
		return NULL;
	p->p_buf = buf;
	p->p_where = (struct ftimes_where){ dirfd, path, flags };
	it_task_on_exit(t, done, p);
	return p;
}

/*
 * The stat family at its seccomp stop, when the worker can reach the file
 * as the thread would (reach.c): one stop, where running the call and
 * mapping its result at the exit costs two.  REACH_KERNEL: it cannot.
 */
static long
stat_now(struct it_task *t, int dirfd, it_gp_str path, unsigned int flags,
    it_gp_stat buf)
{
	const struct ftimes_where w = { dirfd, path, flags };
	struct stat	 st;
	int		 r;

	if ((r = reach_stat(t, dirfd, path, flags, &st)) < 0)
		return r;
	/* (No link: maybe one of devices.c's memfds, which it answers.) */
	if (st.st_nlink == 0)
		return REACH_KERNEL;
	ftimes_stat(t, &w, &st);
	st.st_dev = devnums_dev(it_task_tid(t), st.st_dev);
	return it_write_stat(t, buf, &st);
}

static long
statx_now(struct it_task *t, int dirfd, it_gp_str path, unsigned int flags,
    unsigned int mask, it_gp_statx buf)
{
	const struct ftimes_where w = { dirfd, path, flags };
	struct statx	 sx, asked;
	char		 name[PATH_MAX];
	int		 fd, r, e, at;

	if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT |
	    AT_STATX_SYNC_TYPE)) != 0 || (mask & STATX__RESERVED) != 0)
		return REACH_KERNEL;	/* the kernel's EINVAL */
	if ((fd = reach_at(t, dirfd, path, flags, name, sizeof(name))) < 0)
		return fd;
	at = name[0] == '\0' ? AT_EMPTY_PATH :
	    AT_SYMLINK_NOFOLLOW | (flags & AT_NO_AUTOMOUNT);
	r = statx(fd, name, at | (flags & AT_STATX_SYNC_TYPE), mask | WIDEN,
	    &sx);
	/* What the kernel reports for the program's own mask. */
	if (r == 0)
		r = statx(fd, name, at | AT_STATX_DONT_SYNC, mask, &asked);
	e = errno;
	close(fd);
	if (r == -1 && name[0] != '\0' && (e == ENOENT || e == ENOTDIR))
		return -e;
	/* (A link to follow: the kernel's.) */
	if (r == -1 || sx.stx_nlink == 0 || (name[0] != '\0' &&
	    S_ISLNK(sx.stx_mode) && !(flags & AT_SYMLINK_NOFOLLOW)))
		return REACH_KERNEL;
	ftimes_statx(t, &w, &sx);
	statx_ids(t, &sx);
	shown(&sx, asked.stx_mask);
	return it_write_statx(t, buf, &sx);
}

/* A stat-like call: answered now, or run and mapped at its exit. */
static long
stat_call(struct it_task *t, int dirfd, it_gp_str path, unsigned int flags,
    it_gp_stat buf)
{
	long	 r;

	if ((r = stat_now(t, dirfd, path, flags, buf)) != REACH_KERNEL)
		return r;
	r = path.addr == 0 ? devices_fstat(t, dirfd, buf) :
	    devices_fstatat(t, dirfd, path, flags, buf);
	if (r != IT_RUN_ORIGINAL)
		return r;
	return fix(t, stat_done, buf.addr, dirfd, path, flags) == NULL ?
	    -ENOMEM : IT_RUN_ORIGINAL;
}

static long
sb_stat(struct it_task *t, it_gp_str path, it_gp_stat buf)
{
	return stat_call(t, AT_FDCWD, path, 0, buf);
}

static long
sb_lstat(struct it_task *t, it_gp_str path, it_gp_stat buf)
{
	return stat_call(t, AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, buf);
}

static long
sb_fstat(struct it_task *t, int fd, it_gp_stat buf)
{
	return stat_call(t, fd, (it_gp_str){ 0 }, AT_EMPTY_PATH, buf);
}

static long
sb_newfstatat(struct it_task *t, int dirfd, it_gp_str path, it_gp_stat buf,
    unsigned int flags)
{
	if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH |
	    AT_NO_AUTOMOUNT)) != 0)
		return fix(t, stat_done, buf.addr, dirfd, path, flags) ==
		    NULL ? -ENOMEM : IT_RUN_ORIGINAL;	/* the kernel's EINVAL */
	return stat_call(t, dirfd, path, flags, buf);
}

static long
sb_statx(struct it_task *t, int dirfd, it_gp_str path, unsigned int flags,
    unsigned int mask, it_gp_statx buf)
{
	struct pending	*p;
	long		 r;

	if ((r = statx_now(t, dirfd, path, flags, mask, buf)) != REACH_KERNEL)
		return r;
	if ((r = devices_statx(t, dirfd, path, flags, buf)) != IT_RUN_ORIGINAL)
		return r;
	if ((p = fix(t, statx_done, buf.addr, dirfd, path, flags)) == NULL)
		return -ENOMEM;
	/* The kernel fills only what is asked, and logical times need the
	 * change and birth times: ask for them, and show what was asked. */
	p->p_mask = mask;
	it_task_set_arg(t, 3, mask | WIDEN);
	return IT_RUN_ORIGINAL;
}

static long
sb_uname(struct it_task *t, it_gp_utsname buf)
{
	struct utsname	 u;

	memset(&u, 0, sizeof(u));
	strlcpy(u.sysname, "Linux", sizeof(u.sysname));
	sandbox_uts_get(u.nodename, u.domainname);
	strlcpy(u.release, SANDBOX_UTS_RELEASE, sizeof(u.release));
	strlcpy(u.version, SANDBOX_UTS_VERSION, sizeof(u.version));
	strlcpy(u.machine, "x86_64", sizeof(u.machine));
	return it_write_utsname(t, buf, &u);
}

static long
sb_sysinfo(struct it_task *t, it_gp_sysinfo info)
{
	struct sysinfo	 si;

	memset(&si, 0, sizeof(si));
	si.uptime = 100;
	si.totalram = 4UL << 30;
	si.freeram = 2UL << 30;
	si.procs = 1;
	si.mem_unit = 1;
	return it_write_sysinfo(t, info, &si);
}

/*
 * File system sizes: the kind, block size and flags are the file
 * system's, the counts (which every write on the host moves) are fixed:
 * 64 GiB, half of it free, and 4 Mi inodes, half of them free.
 */
static void
fixed_sizes(struct statfs *sf)
{
	uint64_t	 bytes = 64ULL << 30, bs;

	/* (a file system without blocks or inodes, /proc, has none) */
	bs = sf->f_frsize > 0 ? (uint64_t)sf->f_frsize : 4096;
	if (sf->f_blocks != 0) {
		sf->f_blocks = bytes / bs;
		sf->f_bfree = sf->f_bavail = sf->f_blocks / 2;
	}
	if (sf->f_files != 0) {
		sf->f_files = 1 << 22;
		sf->f_ffree = 1 << 21;
	}
}

static long
statfs_done(struct it_task *t, long result, void *arg)
{
	it_gp_statfs	 gp = { (uint64_t)(uintptr_t)arg };
	struct statfs	 sf;

	if (result != 0 || it_read_statfs(t, gp, &sf) < 0)
		return result;
	fixed_sizes(&sf);
	(void)it_write_statfs(t, gp, &sf);
	return result;
}

/*
 * The file system's id: the kernel derives it from the device number
 * (tmpfs, overlay) or from the file system's UUID (ext4, xfs), both host
 * facts.  It becomes the run's device number of the file system, as the
 * kernel encodes a device's (huge_encode_dev); an id of 0 (a file system
 * without one) stays 0.
 */
static void
fixed_fsid(pid_t tid, int fd, struct statfs *sf)
{
	struct stat	 st;
	uint64_t	 enc;
	dev_t		 dev;

	if ((sf->f_fsid.__val[0] == 0 && sf->f_fsid.__val[1] == 0) ||
	    fstat(fd, &st) == -1)
		return;
	dev = devnums_dev(tid, st.st_dev);
	enc = (minor(dev) & 0xff) | ((uint64_t)major(dev) << 8) |
	    ((uint64_t)(minor(dev) & ~0xffU) << 12);
	sf->f_fsid.__val[0] = (int)(uint32_t)enc;
	sf->f_fsid.__val[1] = (int)(uint32_t)(enc >> 32);
}

/* As the stat family: at the seccomp stop where the worker can. */
static long
statfs_call(struct it_task *t, int fd, it_gp_str path, it_gp_statfs buf)
{
	struct statfs	 sf;
	int		 wfd, r;

	wfd = path.addr == 0 ? reach_getfd(it_task_tid(t), fd) :
	    reach_open(t, AT_FDCWD, path, 0);
	if (wfd == -1 && path.addr == 0)
		wfd = REACH_KERNEL;
	if (wfd >= 0) {
		if ((r = fstatfs(wfd, &sf)) == 0)
			fixed_fsid(it_task_tid(t), wfd, &sf);
		close(wfd);
		if (r == 0) {
			fixed_sizes(&sf);
			return it_write_statfs(t, buf, &sf);
		}
	} else if (wfd != REACH_KERNEL)
		return wfd;
	it_task_on_exit(t, statfs_done, (void *)(uintptr_t)buf.addr);
	return IT_RUN_ORIGINAL;
}

static long
sb_statfs(struct it_task *t, it_gp_str path, it_gp_statfs buf)
{
	if (path.addr == 0)
		return -EFAULT;
	return statfs_call(t, -1, path, buf);
}

static long
sb_fstatfs(struct it_task *t, int fd, it_gp_statfs buf)
{
	return statfs_call(t, fd, (it_gp_str){ 0 }, buf);
}

const struct it_table sandbox_metadata = {
	.statfs = sb_statfs,
	.fstatfs = sb_fstatfs,
	.stat = sb_stat,
	.fstat = sb_fstat,
	.lstat = sb_lstat,
	.newfstatat = sb_newfstatat,
	.statx = sb_statx,
	.uname = sb_uname,
	.sysinfo = sb_sysinfo,
};
