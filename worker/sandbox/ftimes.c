/*
 * Logical file times: what the stat family, an open that may write and a
 * directory listing show and tell the run's registry (fregistry.c, where
 * the design is told).  The real stat result is mapped in place; what it
 * lacks, the birth time, the worker asks for itself, through
 * /proc/PID/{cwd,root,fd} so that it sees the file as the caller does.
 */
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "ftimes.h"
#include "sandbox.h"

void
ftimes_setup(void)
{
	fregistry_setup();
}

/* Any file of a real file system: a FIFO or a socket made there by
 * mkfifo or bind is an inode of the disk's, as a regular file is. */
static int
kind_logical(pid_t tid, dev_t dev)
{
	return mounts_logical(tid, dev);
}

/* Asks the kernel about the file a call names, as the caller sees it. */
static int
where_statx(struct it_task *t, const struct ftimes_where *w,
    unsigned int mask, struct statx *sx)
{
	char		 path[PATH_MAX], full[PATH_MAX + 64];
	pid_t		 tid = it_task_tid(t);
	int		 flags = 0;

	path[0] = '\0';
	if (w->fw_path.addr != 0 &&
	    it_mem_read_str(t, w->fw_path, path, sizeof(path)) < 0)
		return -1;
	if (path[0] == '\0')
		snprintf(full, sizeof(full), "/proc/%d/fd/%d", (int)tid,
		    w->fw_dirfd);
	else if (path[0] == '/')
		snprintf(full, sizeof(full), "/proc/%d/root%s", (int)tid, path);
	else if (w->fw_dirfd == AT_FDCWD)
		snprintf(full, sizeof(full), "/proc/%d/cwd/%s", (int)tid, path);
	else
		snprintf(full, sizeof(full), "/proc/%d/fd/%d/%s", (int)tid,
		    w->fw_dirfd, path);
	if (path[0] != '\0')
		flags = w->fw_flags & AT_SYMLINK_NOFOLLOW;
	return statx(AT_FDCWD, full, flags, mask, sx);
}

/*
 * The birth time of the file a call named, asked by the worker itself
 * (stat has no birth time); only when a change is seen, which is rare.
 * The answer is dropped if the name now leads to another inode.
 */
static void
birth(struct it_task *t, const struct ftimes_where *w, struct ftimes_real *r)
{
	struct statx	 sx;

	if (where_statx(t, w, STATX_INO | STATX_BTIME, &sx) == 0 &&
	    (sx.stx_mask & STATX_BTIME) && sx.stx_ino == r->r_ino) {
		r->r_b = (struct ftime){ sx.stx_btime.tv_sec,
		    sx.stx_btime.tv_nsec };
		r->r_hasb = 1;
	}
}

static void
map(struct it_task *t, const struct ftimes_where *w, struct ftimes_real *r,
    int opener, struct ftimes_out *out)
{
	struct ftime	 ep = fregistry_epoch();

	out->o_a = out->o_m = out->o_c = out->o_b = ep;
	out->o_ino = r->r_ino;
	if (!r->r_logical) {
		if (fregistry_on() && !mounts_mounted(it_task_tid(t),
		    (dev_t)r->r_dev))
			out->o_ino = fregistry_anon(r->r_dev, r->r_ino);
		return;
	}
	if (fregistry_quick(r, opener, out))
		return;
	if (!r->r_hasb && w != NULL)
		birth(t, w, r);
	fregistry_observe(r, opener, out);
}

static struct timespec
to_ts(struct ftime f)
{
	return (struct timespec){ f.ft_s, f.ft_ns };
}

void
ftimes_stat(struct it_task *t, const struct ftimes_where *w, struct stat *st)
{
	struct ftimes_real	 r;
	struct ftimes_out	 out;

	memset(&r, 0, sizeof(r));
	r.r_dev = st->st_dev;
	r.r_ino = st->st_ino;
	r.r_a = (struct ftime){ st->st_atim.tv_sec, st->st_atim.tv_nsec };
	r.r_m = (struct ftime){ st->st_mtim.tv_sec, st->st_mtim.tv_nsec };
	r.r_c = (struct ftime){ st->st_ctim.tv_sec, st->st_ctim.tv_nsec };
	r.r_logical = fregistry_on() &&
	    kind_logical(it_task_tid(t), st->st_dev);
	map(t, w, &r, 0, &out);
	st->st_atim = to_ts(out.o_a);
	st->st_mtim = to_ts(out.o_m);
	st->st_ctim = to_ts(out.o_c);
	st->st_ino = out.o_ino;
}

static struct ftime
from_sx(struct statx_timestamp ts)
{
	return (struct ftime){ ts.tv_sec, ts.tv_nsec };
}

static struct statx_timestamp
to_sx(struct ftime f)
{
	return (struct statx_timestamp){ .tv_sec = f.ft_s,
	    .tv_nsec = (uint32_t)f.ft_ns };
}

void
ftimes_statx(struct it_task *t, const struct ftimes_where *w,
    struct statx *sx)
{
	struct ftimes_real	 r;
	struct ftimes_out	 out;
	const unsigned int	 need = STATX_TYPE | STATX_CTIME | STATX_INO;
	dev_t			 dev;

	memset(&r, 0, sizeof(r));
	dev = makedev(sx->stx_dev_major, sx->stx_dev_minor);
	r.r_dev = dev;
	r.r_ino = sx->stx_ino;
	r.r_a = from_sx(sx->stx_atime);
	r.r_m = from_sx(sx->stx_mtime);
	r.r_c = from_sx(sx->stx_ctime);
	r.r_b = from_sx(sx->stx_btime);
	r.r_hasb = (sx->stx_mask & STATX_BTIME) != 0;
	/* Without the ctime nothing can be told: the epoch, as before. */
	r.r_logical = fregistry_on() && (sx->stx_mask & need) == need &&
	    kind_logical(it_task_tid(t), dev);
	map(t, w, &r, 0, &out);
	sx->stx_atime = to_sx(out.o_a);
	sx->stx_mtime = to_sx(out.o_m);
	sx->stx_ctime = to_sx(out.o_c);
	sx->stx_btime = to_sx(out.o_b);
	if (sx->stx_mask & STATX_INO)
		sx->stx_ino = out.o_ino;
}

static int
ftimes_writes(unsigned int flags)
{
	return (flags & O_ACCMODE) != O_RDONLY ||
	    (flags & (O_CREAT | O_TRUNC)) != 0;
}

/*
 * An open that may write, at its entry: the file as it is before the
 * call, now the run's own.  Looking before the open costs the worker one
 * statx; looking after it would cost the thread a second stop.  A file
 * the open creates is seen later, born in the run.
 */
void
ftimes_opening(struct it_task *t, int dirfd, it_gp_str path,
    unsigned int flags)
{
	const struct ftimes_where w = { dirfd, path,
	    (flags & O_NOFOLLOW) ? AT_SYMLINK_NOFOLLOW : 0 };
	const unsigned int	 need = STATX_TYPE | STATX_CTIME | STATX_INO;
	struct ftimes_real	 r;
	struct ftimes_out	 out;
	struct statx		 sx;

	if (!fregistry_on() || !ftimes_writes(flags) ||
	    (flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL) ||
	    where_statx(t, &w, STATX_BASIC_STATS | STATX_BTIME, &sx) == -1 ||
	    (sx.stx_mask & need) != need)
		return;
	memset(&r, 0, sizeof(r));
	r.r_dev = makedev(sx.stx_dev_major, sx.stx_dev_minor);
	r.r_ino = sx.stx_ino;
	r.r_a = from_sx(sx.stx_atime);
	r.r_m = from_sx(sx.stx_mtime);
	r.r_c = from_sx(sx.stx_ctime);
	r.r_b = from_sx(sx.stx_btime);
	r.r_hasb = (sx.stx_mask & STATX_BTIME) != 0;
	r.r_logical = kind_logical(it_task_tid(t), r.r_dev);
	map(t, NULL, &r, 1, &out);
}

/*
 * The number a directory entry shows: the run's for a file made in it.
 * Only a directory changed in the run (its ctime says) can hold such a
 * file; the entries of others are not looked at.  Those of a changed one
 * are, each (a statx in the worker), since only the birth time tells a
 * new file from an old one whose inode number it took.
 */
uint64_t
ftimes_entry(pid_t tid, int dfd, const char *name, uint64_t ino,
    const struct stat *dir)
{
	const unsigned int	 need = STATX_TYPE | STATX_INO;
	struct ftimes_real	 r;
	struct statx		 sx;

	if (!fregistry_on() || fregistry_old((struct ftime){
	    dir->st_ctim.tv_sec, dir->st_ctim.tv_nsec }))
		return ino;
	if (statx(dfd, name, AT_SYMLINK_NOFOLLOW, STATX_TYPE | STATX_INO |
	    STATX_BTIME, &sx) == -1 || (sx.stx_mask & need) != need ||
	    sx.stx_ino != ino)
		return ino;
	memset(&r, 0, sizeof(r));
	r.r_dev = makedev(sx.stx_dev_major, sx.stx_dev_minor);
	r.r_ino = sx.stx_ino;
	r.r_b = from_sx(sx.stx_btime);
	r.r_hasb = (sx.stx_mask & STATX_BTIME) != 0;
	if (!kind_logical(tid, r.r_dev))
		return ino;
	return fregistry_entry(&r);
}
