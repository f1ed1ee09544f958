/*
 * Logical file times.  Under --sandbox a file's times must say what the
 * run did to it and nothing about the host: a file the run never changed
 * reads as the epoch, one it changed reads as a virtual time, and a time
 * the program set with utime(2) and friends reads back as it was set.
 *
 * Writes, utimensat, chmod, rename and mkdir are not trapped, and must
 * stay so (each trap is a ptrace stop).  So the file's real inode is the
 * record of what happened and the sandbox only reads it, at the stops it
 * already has: the stat family, and the exit of an open that may write.
 * The kernel's own bookkeeping makes the reading exact:
 *
 *  - every change of a file (content, times, mode, name) sets its real
 *    ctime, and since Linux 6.13 (multigrain timestamps, on ext4, xfs,
 *    btrfs and tmpfs) a ctime that was looked at is replaced by a finer
 *    one at the next change, so a change after a stat is never missed
 *    even within one clock tick;
 *  - a write, a truncation and utime(NULL) set mtime to the host's clock,
 *    after the run's start; a time the program sets with utime comes from
 *    the virtual clock, an archive or a constant, before the run's start
 *    (cp -p, tar, touch -d, make's "touch" of a target): a changed mtime
 *    after the start is "changed now", one before it was set.  (A time
 *    set ahead of the host's clock is taken for a change, a limit the
 *    man page states.)
 *
 * The run's registry maps (st_dev, st_ino) to the real times last seen
 * and the logical times given.  It is shared by every worker of the run:
 * a page mapping made by the supervisor before it forks the first worker,
 * under a spin lock held for a few hundred nanoseconds.  A message round
 * trip to the supervisor would cost more than the stat it serves, and
 * would have to be ordered against the other workers' messages.
 *
 * A change gets the virtual time at which the sandbox first sees it (the
 * exit of the open that created or truncated the file, or the next stat),
 * and never one before an earlier change's; and whoever sees a file
 * moves its own clock to at least that stamp (Lamport), so that what a
 * process makes after looking at a file is newer than the file, whichever
 * process's clock stamped it.  That is what make(1) needs.  A file whose
 * real ctime is before the run's start, and that the run did not open for
 * writing, has no entry: all its times are the epoch.
 *
 * Only regular files, directories and symbolic links on real file systems
 * get logical times; devices, pipes, sockets and the kernel's pseudo file
 * systems (/proc, /sys, /dev) keep the epoch, since the kernel makes their
 * inodes when they are first looked at, which no run controls.
 */
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../../common/log.h"
#include "sandbox.h"

#define NS		1000000000LL
/* Files a run may change; a full table leaves the rest at first-sight
 * times.  The mapping is only committed where entries are. */
#define FTIMES_SLOTS	(1U << 17)

struct ftime {
	int64_t		 ft_s, ft_ns;
};

struct fentry {
	uint64_t	 fe_dev, fe_ino;
	struct ftime	 fe_ra, fe_rm, fe_rc;	/* real, when last seen */
	struct ftime	 fe_a, fe_m, fe_c, fe_b;	/* logical */
	uint64_t	 fe_stamp;	/* virtual ns of the latest change */
	int		 fe_used;
	int		 fe_foreign;	/* first seen changed, not opened */
};

struct fshared {
	int		 fs_lock;
	int		 fs_full;
	struct ftime	 fs_start;	/* real time at the run's start */
	uint32_t	 fs_count;
	uint64_t	 fs_last;	/* the latest change's stamp */
	struct fentry	 fs_e[FTIMES_SLOTS];
};

static struct fshared	*shared;

/* The devices seen by this worker, and whether their times are logical. */
#define DEVS_MAX	128
static struct {
	dev_t		 d_dev;
	int		 d_logical;
}			 devs[DEVS_MAX];
static size_t		 ndevs;

/* Types whose inodes the kernel makes on first sight. */
static const char *const pseudo_fs[] = {
	"proc", "sysfs", "devtmpfs", "devpts", "cgroup", "cgroup2",
	"debugfs", "tracefs", "securityfs", "bpf", "mqueue", "pstore",
	"configfs", "fusectl", "binfmt_misc", "autofs", "efivarfs",
	"hugetlbfs", "rpc_pipefs", "nsfs",
};

void
ftimes_setup(void)
{
	struct timespec	 start, coarse;
	struct fshared	*s;

	s = mmap(NULL, sizeof(*s), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (s == MAP_FAILED) {
		log_warn("file times registry");
		return;	/* every time then reads as the epoch */
	}
	/*
	 * A change made before this instant has a ctime at or before it.
	 * A change made after it is stamped with the coarse clock (or a
	 * finer one, never behind it): wait until the coarse clock has
	 * passed start, at most one tick, and the two never meet.
	 */
	clock_gettime(CLOCK_REALTIME, &start);
	do {
		nanosleep(&(struct timespec){ 0, 500000 }, NULL);
		clock_gettime(CLOCK_REALTIME_COARSE, &coarse);
	} while (coarse.tv_sec < start.tv_sec ||
	    (coarse.tv_sec == start.tv_sec && coarse.tv_nsec <= start.tv_nsec));
	s->fs_start = (struct ftime){ start.tv_sec, start.tv_nsec };
	shared = s;
}

static void
lock(void)
{
	while (__atomic_exchange_n(&shared->fs_lock, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&shared->fs_lock, __ATOMIC_RELAXED))
			__builtin_ia32_pause();
}

static void
unlock(void)
{
	__atomic_store_n(&shared->fs_lock, 0, __ATOMIC_RELEASE);
}

static int
ft_eq(struct ftime a, struct ftime b)
{
	return a.ft_s == b.ft_s && a.ft_ns == b.ft_ns;
}

/* Before the run, or at its very start. */
static int
ft_old(struct ftime a)
{
	struct ftime	 s = shared->fs_start;

	return a.ft_s < s.ft_s || (a.ft_s == s.ft_s && a.ft_ns <= s.ft_ns);
}

static struct ftime
ft_virtual(uint64_t ns)
{
	return (struct ftime){ (int64_t)(ns / NS), (int64_t)(ns % NS) };
}

static struct ftime
ft_epoch(void)
{
	return (struct ftime){ sandbox_config()->sc_epoch, 0 };
}

static void
devs_add(dev_t dev, int logical)
{
	size_t	 i;

	for (i = 0; i < ndevs; i++)
		if (devs[i].d_dev == dev) {
			devs[i].d_logical = logical;
			return;
		}
	if (ndevs == DEVS_MAX)
		ndevs = 0;	/* forget them all: they are read again */
	devs[ndevs].d_dev = dev;
	devs[ndevs++].d_logical = logical;
}

/* Reads the tracee's mount table: each mount's device and type. */
static void
devs_load(pid_t tid)
{
	char		 path[64], line[4096], *p, *type;
	unsigned int	 maj, min;
	size_t		 i;
	FILE		*f;
	int		 logical;

	snprintf(path, sizeof(path), "/proc/%d/mountinfo", (int)tid);
	if ((f = fopen(path, "re")) == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "%*u %*u %u:%u", &maj, &min) != 2 ||
		    (p = strstr(line, " - ")) == NULL)
			continue;
		type = p + 3;
		type[strcspn(type, " ")] = '\0';
		logical = 1;
		for (i = 0; i < sizeof(pseudo_fs) / sizeof(pseudo_fs[0]); i++)
			if (strcmp(type, pseudo_fs[i]) == 0)
				logical = 0;
		devs_add(makedev(maj, min), logical);
	}
	fclose(f);
}

static int
devs_logical(pid_t tid, dev_t dev)
{
	size_t	 i;
	int	 pass;

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < ndevs; i++)
			if (devs[i].d_dev == dev)
				return devs[i].d_logical;
		if (pass == 0)
			devs_load(tid);
	}
	/* Not mounted anywhere: a memfd, a pipe, an anonymous inode. */
	devs_add(dev, 0);
	return 0;
}

static struct fentry *
lookup(uint64_t dev, uint64_t ino, int add)
{
	uint64_t	 h = (dev * 0x9e3779b97f4a7c15ULL) ^ ino;
	uint32_t	 n;
	struct fentry	*e;

	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 32;
	for (n = 0; n < FTIMES_SLOTS; n++) {
		e = &shared->fs_e[(h + n) & (FTIMES_SLOTS - 1)];
		if (!e->fe_used)
			break;
		if (e->fe_dev == dev && e->fe_ino == ino)
			return e;
	}
	/* Kept below 3/4 full so that probes stay short. */
	if (!add || n == FTIMES_SLOTS ||
	    shared->fs_count >= FTIMES_SLOTS / 4 * 3) {
		if (add && !shared->fs_full) {
			shared->fs_full = 1;
			log_warnx("more than %u files changed: the times of "
			    "the others are no longer kept", shared->fs_count);
		}
		return NULL;
	}
	memset(e, 0, sizeof(*e));
	e->fe_used = 1;
	e->fe_dev = dev;
	e->fe_ino = ino;
	shared->fs_count++;
	return e;
}

/* The real times, as the file has them now. */
struct ftimes_real {
	uint64_t	 r_dev, r_ino;
	struct ftime	 r_a, r_m, r_c;
	int		 r_logical;
};

/*
 * Virtual now for a change of e: after every change seen before it in the
 * run, whichever process's clock stamped that one.  Per-process clocks do
 * not meet (a shell's clock stays where it was while its children run):
 * without this, a file touched by a later command could read as older
 * than one made by an earlier one.  A per-file order would not do either:
 * inode numbers are reused, so a new file would inherit a deleted one's.
 */
static struct ftime
stamp(struct fentry *e)
{
	sandbox_sleep_until(shared->fs_last);
	e->fe_stamp = shared->fs_last = sandbox_now();
	return ft_virtual(e->fe_stamp);
}

/*
 * The time of a change the run may not have made: a directory that other
 * processes of the host change too (/tmp, which every bash looks at) must
 * neither move the clocks nor order the run's own changes, or one run
 * would differ from the next.  It reads as the latest change of the run.
 */
static struct ftime
quiet(void)
{
	uint64_t	 ep = (uint64_t)sandbox_config()->sc_epoch * NS;

	return ft_virtual(shared->fs_last > ep ? shared->fs_last : ep);
}

/*
 * Maps real times to logical ones (out: atime, mtime, ctime, btime).  An
 * opener (write access) enters a file even when it is old, so that the
 * writes that follow are seen as changes.
 */
static void
observe(const struct ftimes_real *r, int opener, struct ftime out[4])
{
	struct fentry	*e;
	struct ftime	 t, ep = ft_epoch();
	int		 i;

	for (i = 0; i < 4; i++)
		out[i] = ep;
	if (shared == NULL || !r->r_logical)
		return;
	lock();
	if ((e = lookup(r->r_dev, r->r_ino, 0)) == NULL) {
		if (ft_old(r->r_c) && !opener) {
			unlock();
			return;
		}
		if ((e = lookup(r->r_dev, r->r_ino, 1)) == NULL) {
			unlock();
			return;
		}
		if (ft_old(r->r_c))
			e->fe_a = e->fe_m = e->fe_c = e->fe_b = ep;
		else {
			/* Changed in the run, out of our sight (mkdir,
			 * link, a write through an inherited fd), or by
			 * someone else (/tmp). */
			e->fe_foreign = !opener;
			t = e->fe_foreign ? quiet() : stamp(e);
			e->fe_c = t;
			e->fe_m = ft_old(r->r_m) ? ep : t;
			e->fe_a = ft_old(r->r_a) ? ep : t;
			e->fe_b = e->fe_m;
		}
	} else if (!ft_eq(r->r_c, e->fe_rc)) {
		t = e->fe_foreign && !opener ? quiet() : stamp(e);
		e->fe_c = t;
		/* A value of the host's clock in the run is a write, maybe
		 * followed by a rename or chmod before we looked; any
		 * other one came from utime. */
		if (!ft_eq(r->r_m, e->fe_rm))
			e->fe_m = ft_old(r->r_m) ? r->r_m : t;
		/* A read moves the real atime without a change (relatime):
		 * only a value at the ctime or from before the run was
		 * set by this change. */
		if (!ft_eq(r->r_a, e->fe_ra)) {
			if (ft_eq(r->r_a, r->r_c))
				e->fe_a = t;
			else if (ft_old(r->r_a))
				e->fe_a = r->r_a;
		}
	}
	if (opener)
		e->fe_foreign = 0;	/* its changes are the run's now */
	e->fe_ra = r->r_a;
	e->fe_rm = r->r_m;
	e->fe_rc = r->r_c;
	out[0] = e->fe_a;
	out[1] = e->fe_m;
	out[2] = e->fe_c;
	out[3] = e->fe_b;
	sandbox_sleep_until(e->fe_stamp);
	unlock();
}

static int
kind_logical(struct it_task *t, mode_t mode, dev_t dev)
{
	if (!S_ISREG(mode) && !S_ISDIR(mode) && !S_ISLNK(mode))
		return 0;
	return devs_logical(it_task_tid(t), dev);
}

static void
real_stat(struct it_task *t, const struct stat *st, struct ftimes_real *r)
{
	r->r_dev = st->st_dev;
	r->r_ino = st->st_ino;
	r->r_a = (struct ftime){ st->st_atim.tv_sec, st->st_atim.tv_nsec };
	r->r_m = (struct ftime){ st->st_mtim.tv_sec, st->st_mtim.tv_nsec };
	r->r_c = (struct ftime){ st->st_ctim.tv_sec, st->st_ctim.tv_nsec };
	r->r_logical = shared != NULL &&
	    kind_logical(t, st->st_mode, st->st_dev);
}

static struct timespec
to_ts(struct ftime f)
{
	return (struct timespec){ f.ft_s, f.ft_ns };
}

void
ftimes_stat(struct it_task *t, struct stat *st)
{
	struct ftimes_real	 r;
	struct ftime		 out[4];

	real_stat(t, st, &r);
	observe(&r, 0, out);
	st->st_atim = to_ts(out[0]);
	st->st_mtim = to_ts(out[1]);
	st->st_ctim = to_ts(out[2]);
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
ftimes_statx(struct it_task *t, struct statx *sx)
{
	struct ftimes_real	 r;
	struct ftime		 out[4];
	dev_t			 dev;

	dev = makedev(sx->stx_dev_major, sx->stx_dev_minor);
	r.r_dev = dev;
	r.r_ino = sx->stx_ino;
	r.r_a = from_sx(sx->stx_atime);
	r.r_m = from_sx(sx->stx_mtime);
	r.r_c = from_sx(sx->stx_ctime);
	/* Without the ctime nothing can be told: the epoch, as before. */
	r.r_logical = shared != NULL &&
	    (sx->stx_mask & (STATX_TYPE | STATX_CTIME | STATX_INO)) ==
	    (STATX_TYPE | STATX_CTIME | STATX_INO) &&
	    kind_logical(t, sx->stx_mode, dev);
	observe(&r, 0, out);
	sx->stx_atime = to_sx(out[0]);
	sx->stx_mtime = to_sx(out[1]);
	sx->stx_ctime = to_sx(out[2]);
	sx->stx_btime = to_sx(out[3]);
}

int
ftimes_writes(unsigned int flags)
{
	return (flags & O_ACCMODE) != O_RDONLY ||
	    (flags & (O_CREAT | O_TRUNC)) != 0;
}

long
ftimes_opened(struct it_task *t, long fd, void *arg)
{
	struct ftimes_real	 r;
	struct ftime		 out[4];
	struct stat		 st;
	char			 path[64];

	(void)arg;
	if (fd < 0 || shared == NULL)
		return fd;
	snprintf(path, sizeof(path), "/proc/%d/fd/%ld", (int)it_task_tid(t),
	    fd);
	if (stat(path, &st) == -1)
		return fd;
	real_stat(t, &st, &r);
	observe(&r, 1, out);
	return fd;
}
