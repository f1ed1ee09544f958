/*
 * Logical file times.  Under --sandbox a file's times must say what the
 * run did to it and nothing about the host: a file the run never changed
 * reads as the epoch, one it changed reads as a virtual time, and a time
 * the program set with utime(2) and friends reads back as it was set.
 *
 * Writes, utimensat, chmod, rename and mkdir are not trapped, and must
 * stay so (each trap is a ptrace stop).  So the file's real inode is the
 * record of what happened and the sandbox only reads it, at the stops it
 * already has: the exit of the stat family, and the entry of an open that
 * may write.  The kernel's own bookkeeping makes the reading exact:
 *
 *  - every change of a file (content, times, mode, name) sets its real
 *    ctime, and since Linux 6.13 (multigrain timestamps, on ext4, xfs,
 *    btrfs and tmpfs) a ctime that was looked at is replaced by a finer
 *    one at the next change, so a change after a stat is never missed
 *    even within one clock tick;
 *  - a write, a truncation and utime(NULL) set mtime to the host's clock,
 *    after the run's start; a time the program sets with utime comes from
 *    the virtual clock, an archive or a constant, before the run's start
 *    (cp -p, tar, touch -d): a changed mtime after the start is "changed
 *    now", one before it was set, and so is one ahead of the host's clock
 *    when the sandbox looks (no write stamps a time to come).
 *  - the birth time (statx) tells a file made in the run, all of whose
 *    changes are the run's, from an older one that the host may change
 *    too, and a new file from an old one whose inode number it reuses.
 *    stat has none, so the worker asks for it when a change is seen.
 *
 * The run's registry maps (st_dev, st_ino) to the real times last seen
 * and the logical times given.  It is shared by every worker of the run:
 * a page mapping made by the supervisor before it forks the first worker,
 * under a spin lock held for a few hundred nanoseconds.  A message round
 * trip to the supervisor would cost more than the stat it serves, and
 * would have to be ordered against the other workers' messages.
 *
 * A change the run made gets the virtual time at which the sandbox first
 * sees it, never one before an earlier change's; and whoever sees a file
 * moves its own clock to at least that stamp (Lamport), so that what a
 * process makes after looking at a file is newer than the file, whichever
 * process's clock stamped it.  That is what make(1) needs.  A file whose
 * real ctime is before the run's start, and that the run did not open for
 * writing, has no entry: all its times are the epoch.
 *
 * Only files of real file systems (FIFOs and sockets made there too) get
 * logical times; pipes, sockets and the kernel's pseudo file systems
 * (/proc, /sys, /dev) keep the epoch, since the kernel makes their inodes
 * when they are first looked at, which no run controls.
 */
#include <sys/mman.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../common/log.h"
#include "ftimes.h"
#include "sandbox.h"

#define NS		1000000000LL
/* Files a run may change; a full table leaves the rest at first-sight
 * times.  The mapping is only committed where entries are. */
#define FTIMES_SLOTS	(1U << 17)
/*
 * A file made in the run has an inode number that the host chose: it gets
 * one of the run's instead, in the order files are first seen, far above
 * what ext4 (32 bits), tmpfs or btrfs give, so that it meets no older
 * file's.
 */
#define FTIMES_VINO	(1ULL << 48)
/*
 * Pipes, sockets and anonymous files (memfd, eventfd) take their numbers
 * from a counter of the host's, which every pipe made anywhere moves: they
 * get the run's too, from a range and a count of their own, so that a
 * program's pipes do not renumber its files.
 */
#define FTIMES_AINO	(1ULL << 47)

struct fentry {
	uint64_t	 fe_dev, fe_ino;
	/* From here on, cleared when the number is reused. */
	struct ftime	 fe_ra, fe_rm, fe_rc;	/* real, when last seen */
	struct ftime	 fe_a, fe_m, fe_c, fe_b;	/* logical */
	struct ftime	 fe_rb;		/* real birth time, if fe_hasb */
	int		 fe_hasb;
	int		 fe_new;	/* to be set up as a new file */
	int		 fe_mine;	/* born in the run, or opened for
					   writing by it */
	uint64_t	 fe_stamp;	/* virtual ns of the latest change */
	uint64_t	 fe_vino;	/* born in the run: its number */
};

struct fshared {
	pid_t		 fs_lock;	/* its owner, or 0 */
	int		 fs_full;
	struct ftime	 fs_start;	/* real time at the run's start */
	uint32_t	 fs_count;
	uint64_t	 fs_last;	/* the latest change's stamp */
	uint64_t	 fs_vinos;	/* inode numbers given */
	uint64_t	 fs_ainos;	/* and to anonymous inodes */
	/*
	 * The slots in use, a bit each: a stat of a file the run never
	 * changed (tar's, a compiler's headers) probes these 16 KiB
	 * instead of an entry on a page of its own, which every worker
	 * would fault in (and the first one allocate) on first sight.
	 */
	uint64_t	 fs_used[FTIMES_SLOTS / 64];
	struct fentry	 fs_e[FTIMES_SLOTS];
};

static struct fshared	*shared;

void
fregistry_setup(void)
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

/*
 * The lock word holds its owner's pid.  A worker may be killed at any
 * moment (crash isolation): a lock whose owner is gone is taken over
 * rather than waited for, and a long wait yields the CPU (two of them
 * here, and many workers) instead of spinning out its time slice.
 */
static void
lock(void)
{
	/* Only workers lock, and a worker forks no other worker: its pid,
	 * asked once rather than at every stat. */
	static pid_t	 self;
	pid_t		 owner;
	unsigned int	 spins = 0;

	if (self == 0)
		self = getpid();

	for (;;) {
		owner = 0;
		if (__atomic_compare_exchange_n(&shared->fs_lock, &owner, self,
		    0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			return;
		if (++spins % 64 != 0) {
			__builtin_ia32_pause();
			continue;
		}
		if (shared_gone(owner) &&
		    __atomic_compare_exchange_n(&shared->fs_lock, &owner, self,
		    0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			return;
		sched_yield();
	}
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

/* Ahead of the host's clock: set with utime, never a write's stamp. */
static int
ft_future(struct ftime a)
{
	struct timespec	 now;

	clock_gettime(CLOCK_REALTIME, &now);
	return a.ft_s > now.tv_sec || (a.ft_s == now.tv_sec &&
	    a.ft_ns > now.tv_nsec);
}

/* A time the program set (utime), rather than a change's stamp. */
static int
ft_set(struct ftime a)
{
	return ft_old(a) || ft_future(a);
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

static struct fentry *
lookup(uint64_t dev, uint64_t ino, int add)
{
	uint64_t	 h = (dev * 0x9e3779b97f4a7c15ULL) ^ ino;
	uint32_t	 n, i = 0;
	struct fentry	*e;

	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 32;
	for (n = 0; n < FTIMES_SLOTS; n++) {
		i = (uint32_t)(h + n) & (FTIMES_SLOTS - 1);
		if (!(shared->fs_used[i / 64] & (1ULL << (i % 64))))
			break;
		e = &shared->fs_e[i];
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
	e = &shared->fs_e[i];
	memset(e, 0, sizeof(*e));
	shared->fs_used[i / 64] |= 1ULL << (i % 64);
	e->fe_dev = dev;
	e->fe_ino = ino;
	shared->fs_count++;
	return e;
}

/*
 * Virtual now for a change the run made: after every change seen before
 * it in the run, whichever process's clock stamped that one.  Per-process
 * clocks do not meet (a shell's clock stays where it was while its
 * children run): without this, a file touched by a later command could
 * read as older than one made by an earlier one.
 */
static struct ftime
stamp(struct fentry *e)
{
	sandbox_sleep_until(shared->fs_last);
	e->fe_stamp = shared->fs_last = sandbox_now();
	return ft_virtual(e->fe_stamp);
}

/*
 * The time of a change to a file the run neither made nor opened for
 * writing.  It may be the host's doing (/tmp, which every bash looks at,
 * changes whenever any process of the host makes a file there), so it
 * must neither move a clock nor order the run's own changes, or one run
 * would differ from the next: it reads as the run's latest change.
 */
static struct ftime
quiet(void)
{
	uint64_t	 ep = (uint64_t)sandbox_config()->sc_epoch * NS;

	return ft_virtual(shared->fs_last > ep ? shared->fs_last : ep);
}

static void
copy_out(const struct fentry *e, struct ftimes_out *out)
{
	out->o_a = e->fe_a;
	out->o_m = e->fe_m;
	out->o_c = e->fe_c;
	out->o_b = e->fe_b;
	if (e->fe_vino != 0)
		out->o_ino = e->fe_vino;
}

/*
 * The common case, without the file's birth time: a file seen before and
 * unchanged since, or one untouched since before the run.  Returns 0 when
 * observe() must decide.
 */
int
fregistry_quick(const struct ftimes_real *r, int opener, struct ftimes_out *out)
{
	struct fentry	*e;
	int		 done = 1;

	lock();
	if ((e = lookup(r->r_dev, r->r_ino, 0)) != NULL &&
	    ft_eq(r->r_c, e->fe_rc) && (e->fe_mine || !opener)) {
		copy_out(e, out);
		sandbox_sleep_until(e->fe_stamp);
	} else if (e != NULL || !ft_old(r->r_c) || opener)
		done = 0;
	unlock();
	return done;
}

/*
 * Maps real times to logical ones (out: atime, mtime, ctime, btime).  An
 * inode born before the run (its real birth time, which also tells a new
 * file from an old one whose number it reuses) is the run's own once the
 * run opens it for writing; one born in the run always is.
 */
void
fregistry_observe(const struct ftimes_real *r, int opener, struct ftimes_out *out)
{
	struct fentry	*e;
	struct ftime	 t, ep = ft_epoch();
	int		 born;

	lock();
	e = lookup(r->r_dev, r->r_ino, 0);
	if (e != NULL && r->r_hasb && e->fe_hasb && !ft_eq(r->r_b, e->fe_rb)) {
		memset(&e->fe_ra, 0, sizeof(*e) - offsetof(struct fentry,
		    fe_ra));
		e->fe_new = 1;
	}
	if (e == NULL || e->fe_new) {
		if (e == NULL && ft_old(r->r_c) && !opener) {
			unlock();
			return;
		}
		if (e == NULL &&
		    (e = lookup(r->r_dev, r->r_ino, 1)) == NULL) {
			unlock();
			return;
		}
		e->fe_new = 0;
		/* Without a birth time only an open that made it counts. */
		born = r->r_hasb ? !ft_old(r->r_b) : opener && !ft_old(r->r_c);
		e->fe_mine = born || opener;
		if (ft_old(r->r_c))
			e->fe_a = e->fe_m = e->fe_c = e->fe_b = ep;
		else {
			/* An old time on a file born in the run was set
			 * (touch -d, tar); on an older file it is the
			 * host's. */
			t = e->fe_mine ? stamp(e) : quiet();
			e->fe_c = t;
			e->fe_m = ft_future(r->r_m) ? r->r_m :
			    !ft_old(r->r_m) ? t : born ? r->r_m : ep;
			e->fe_a = ft_future(r->r_a) ? r->r_a :
			    !ft_old(r->r_a) ? t : born ? r->r_a : ep;
			e->fe_b = born ? t : ep;
		}
		if (born && e->fe_vino == 0)
			e->fe_vino = FTIMES_VINO + ++shared->fs_vinos;
	} else if (!ft_eq(r->r_c, e->fe_rc)) {
		t = e->fe_mine || opener ? stamp(e) : quiet();
		e->fe_c = t;
		/* A value of the host's clock in the run is a write, maybe
		 * followed by a rename or chmod before we looked; any
		 * other one came from utime. */
		if (!ft_eq(r->r_m, e->fe_rm))
			e->fe_m = ft_set(r->r_m) ? r->r_m : t;
		/* A read moves the real atime without a change (relatime):
		 * only a value at the ctime or from before the run was
		 * set by this change. */
		if (!ft_eq(r->r_a, e->fe_ra)) {
			if (ft_eq(r->r_a, r->r_c))
				e->fe_a = t;
			else if (ft_set(r->r_a))
				e->fe_a = r->r_a;
		}
	}
	if (opener)
		e->fe_mine = 1;
	e->fe_ra = r->r_a;
	e->fe_rm = r->r_m;
	e->fe_rc = r->r_c;
	if (r->r_hasb) {
		e->fe_rb = r->r_b;
		e->fe_hasb = 1;
	}
	copy_out(e, out);
	sandbox_sleep_until(e->fe_stamp);
	unlock();
}


int
fregistry_on(void)
{
	return shared != NULL;
}

int
fregistry_old(struct ftime a)
{
	return ft_old(a);
}

struct ftime
fregistry_epoch(void)
{
	return ft_epoch();
}

/*
 * The number a directory listing shows for a file.  A listing is no look
 * at the file's times: it stamps nothing and moves no clock (whether a
 * listing comes before or after a change is the scheduler's business),
 * it only gives a file born in the run its number, for stat to show too.
 */
uint64_t
fregistry_entry(const struct ftimes_real *r)
{
	struct fentry	*e;
	uint64_t	 shown = r->r_ino;
	int		 born = r->r_hasb && !ft_old(r->r_b);

	if (shared == NULL)
		return shown;
	lock();
	e = lookup(r->r_dev, r->r_ino, 0);
	if (e != NULL && r->r_hasb && e->fe_hasb && !ft_eq(r->r_b, e->fe_rb)) {
		memset(&e->fe_ra, 0, sizeof(*e) - offsetof(struct fentry,
		    fe_ra));
		e->fe_new = 1;
	}
	if (e == NULL && born && (e = lookup(r->r_dev, r->r_ino, 1)) != NULL)
		e->fe_new = 1;	/* its times are set when it is looked at */
	if (e != NULL) {
		if (e->fe_new && born && e->fe_vino == 0)
			e->fe_vino = FTIMES_VINO + ++shared->fs_vinos;
		if (r->r_hasb) {
			e->fe_rb = r->r_b;
			e->fe_hasb = 1;
		}
		if (e->fe_vino != 0)
			shown = e->fe_vino;
	}
	unlock();
	return shown;
}

/*
 * The number a pipe, socket or anonymous file shows: the run's, in the
 * order first seen.  Its entry holds no times (those stay the epoch).
 */
uint64_t
fregistry_anon(uint64_t dev, uint64_t ino)
{
	struct fentry	*e;
	uint64_t	 shown = ino;

	if (shared == NULL)
		return shown;
	lock();
	if ((e = lookup(dev, ino, 1)) != NULL) {
		if (e->fe_vino == 0)
			e->fe_vino = FTIMES_AINO + ++shared->fs_ainos;
		shown = e->fe_vino;
	}
	unlock();
	return shown;
}
