/*
 * Whether a blocked thread's call can complete now (schedpick.c asks,
 * in whichever worker holds the turn): its descriptors polled through
 * copies of them (pidfd_getfd), a shared futex word read
 * (process_vm_readv), its process's children and its pending signals
 * read from /proc.  The run stands still while this is asked (only the
 * turn's holder runs, and it is stopped), so the answer is the same on
 * every run.
 *
 * Each is asked again only when a step since the last answer may have
 * changed it (r_io, r_sig): a write, an exit, a signal.
 */
#include <sys/syscall.h>
#include <sys/uio.h>
#include <dirent.h>
#include <sys/file.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "schedtab.h"
#include "task.h"

#define SIGBIT(n)	(1ULL << ((n) - 1))
#define DFL_IGNORED	(SIGBIT(SIGCHLD) | SIGBIT(SIGCONT) | SIGBIT(SIGURG) | \
			    SIGBIT(SIGWINCH))

static uint64_t
hex_field(const char *buf, const char *name)
{
	const char	*p = strstr(buf, name);

	return p != NULL ? strtoull(p + strlen(name), NULL, 16) : 0;
}

int
sched_signal_ready(pid_t tid, const struct sched_block *b)
{
	char		 path[64], buf[4096];
	uint64_t	 pend, blk, ign, cgt;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	if (task_proc_read(path, buf, sizeof(buf)) < 0)
		return 1;	/* gone: let its worker see */
	pend = hex_field(buf, "\nSigPnd:\t") | hex_field(buf, "\nShdPnd:\t");
	blk = hex_field(buf, "\nSigBlk:\t");
	ign = hex_field(buf, "\nSigIgn:\t");
	cgt = hex_field(buf, "\nSigCgt:\t");
	/* A signal whose default is to do nothing, without a handler, is
	 * queued only because the thread is traced: the kernel drops it at
	 * delivery and the wait goes on, so it interrupts nothing. */
	ign |= DFL_IGNORED & ~cgt;
	switch (b->b_maskmode) {
	case BM_WAITSET:
		return (pend & b->b_mask) != 0 || (pend & ~blk & ~ign) != 0;
	case BM_MASK:
		blk = b->b_mask;
		break;
	}
	/* SIGKILL (bit 8) and SIGSTOP (bit 18) cannot be blocked. */
	blk &= ~((1ULL << 8) | (1ULL << 18));
	return (pend & ~blk & ~ign) != 0;
}

/* A pidfd of process tgid, the last few kept: the same processes wait
 * step after step.  A number reused by a new process is caught by
 * pidfd_getfd failing (ESRCH) on the old one's. */
#define PIDFDS	8
static struct { pid_t p_tgid; int p_fd; } pidfds[PIDFDS];
static unsigned	 pidfd_next;

static int
pidfd_of(pid_t tgid)
{
	unsigned	 i;
	int		 fd;

	for (i = 0; i < PIDFDS; i++)
		if (pidfds[i].p_tgid == tgid && pidfds[i].p_fd > 0) {
			if (syscall(SYS_pidfd_send_signal, pidfds[i].p_fd, 0,
			    NULL, 0) == 0)
				return pidfds[i].p_fd;
			close(pidfds[i].p_fd);
			pidfds[i].p_fd = 0;
		}
	if ((fd = (int)syscall(SYS_pidfd_open, tgid, 0)) == -1)
		return -1;
	i = pidfd_next++ % PIDFDS;
	if (pidfds[i].p_fd > 0)
		close(pidfds[i].p_fd);
	pidfds[i].p_tgid = tgid;
	pidfds[i].p_fd = fd;
	return fd;
}

static int
fds_ready(const struct sched_slot *s)
{
	const struct sched_block *b = &s->s_blk;
	uint32_t	 k;
	int		 pfd, fd, r = 0;

	if ((pfd = pidfd_of(s->s_tgid)) == -1)
		return 1;
	for (k = 0; k < b->b_nfd && !r; k++) {
		if ((fd = (int)syscall(SYS_pidfd_getfd, pfd, b->b_fd[k],
		    0)) == -1) {
			r = 1;	/* closed meanwhile: the call fails now */
			break;
		}
		r = schedfd_ready(s->s_tid, fd, b->b_fd[k], b->b_ev[k]);
		close(fd);
	}
	return r;
}

static int
futex_changed(const struct sched_slot *s)
{
	const struct sched_block *b = &s->s_blk;
	struct iovec	 l, rm;
	uint32_t	 v;

	l.iov_base = &v;
	l.iov_len = sizeof(v);
	rm.iov_base = (void *)(uintptr_t)b->b_addr;
	rm.iov_len = sizeof(v);
	if (process_vm_readv(s->s_tid, &l, 1, &rm, 1, 0) != sizeof(v))
		return 1;
	return v != b->b_val;
}

/* The last number of status line name (NSpid, NSpgid): the id as the
 * run's threads see it (in its pid namespace, or the host's); 0: none. */
static long
ns_last(const char *buf, const char *name)
{
	const char	*p = strstr(buf, name);
	char		*e;
	long		 v = 0, x;

	if (p == NULL)
		return 0;
	for (p += strlen(name); *p != '\n' && *p != '\0'; p = e) {
		x = strtol(p, &e, 10);
		if (e == p)
			break;
		v = x;
	}
	return v;
}

/* Is host pid c in a group-stop?  Every child of the run is traced and
 * shows 't' at each held stop; only the table knows a group-stop. */
static int
group_stopped(long c)
{
	uint32_t	 i;

	for (i = 0; i < sched_run->r_run; i++)
		if (sched_run->r_slots[i].s_tid == c)
			return __atomic_load_n(&sched_run->r_slots[i].s_state,
			    __ATOMIC_RELAXED) == SLOT_STOPPED;
	return 0;
}

/*
 * A child of process tgid that b's wait selects (b_wpid as the kernel
 * reads wait4's pid: > 0 that child, 0 the caller's process group, < -1
 * group -b_wpid, -1 any) has ended (state Z; its worker may not have
 * reaped it yet, the kernel's wait4 then waits the moment it takes), or
 * with stops, is in a group-stop; or none is selected (ECHILD at once).
 */
int
sched_children_ready(pid_t tgid, pid_t tid, const struct sched_block *b)
{
	char		 path[320], buf[4096], st[4096], *p, *e, *q;
	DIR		*d;
	struct dirent	*de;
	long		 c, mypgid = 0, id;
	int		 r = 0, any = 0;

	if (b->b_wpid == 0) {
		snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
		if (task_proc_read(path, st, sizeof(st)) < 0)
			return 1;
		mypgid = ns_last(st, "\nNSpgid:");
	}
	snprintf(path, sizeof(path), "/proc/%d/task", (int)tgid);
	if ((d = opendir(path)) == NULL)
		return 1;
	while (!r && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || (b->b_wthread &&
		    atoi(de->d_name) != tid))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/children",
		    (int)tgid, de->d_name);
		if (task_proc_read(path, buf, sizeof(buf)) < 0)
			continue;
		for (p = buf; !r && (c = strtol(p, &e, 10)) > 0; p = e) {
			if (b->b_wpid != -1) {
				snprintf(path, sizeof(path), "/proc/%ld/status",
				    c);
				if (task_proc_read(path, st, sizeof(st)) < 0)
					continue;
				id = b->b_wpid > 0 ? ns_last(st, "\nNSpid:") :
				    ns_last(st, "\nNSpgid:");
				if (id != (b->b_wpid > 0 ? b->b_wpid :
				    b->b_wpid == 0 ? mypgid : -(long)b->b_wpid))
					continue;
			}
			any = 1;
			snprintf(path, sizeof(path), "/proc/%ld/stat", c);
			if (task_proc_read(path, st, sizeof(st)) < 0 ||
			    (q = strrchr(st, ')')) == NULL)
				continue;
			if ((b->b_exits && q[2] == 'Z') ||
			    (b->b_stops && group_stopped(c)))
				r = 1;
		}
	}
	closedir(d);
	/* No child at all: the call fails with ECHILD at once. */
	return r || !any;
}

/*
 * A file lock for thread tid of process tgid.  flock's and the open file
 * description locks (F_OFD_SETLKW) belong to the description, which the
 * worker's copy shares: taking the lock without waiting is what the
 * thread's call would do, and its call then finds it had.  A process's
 * own lock (F_SETLKW) cannot be taken for it: F_GETLK asks whether a
 * lock of another process is in the way (one of its own never is).
 */
int
sched_lock_ready(pid_t tid, pid_t tgid, const struct sched_block *b)
{
	struct flock	 fl;
	int		 pfd, c, r;

	if ((pfd = pidfd_of(tgid)) == -1 ||
	    (c = (int)syscall(SYS_pidfd_getfd, pfd, b->b_fd[0], 0)) == -1)
		return 1;	/* the call fails at once */
	(void)tid;
	memset(&fl, 0, sizeof(fl));
	fl.l_type = b->b_lock.type;
	fl.l_whence = b->b_lock.whence;
	fl.l_start = b->b_lock.start;
	fl.l_len = b->b_lock.len;
	switch (b->b_lockcmd) {
	case F_SETLKW:
		r = fcntl(c, F_GETLK, &fl) == -1 || fl.l_type == F_UNLCK ||
		    fl.l_pid == tgid;
		break;
	case F_OFD_SETLKW:
		r = fcntl(c, F_OFD_SETLK, &fl) == 0 || (errno != EAGAIN &&
		    errno != EACCES);
		break;
	default:	/* flock's operation */
		r = flock(c, b->b_lockcmd | LOCK_NB) == 0 ||
		    errno != EWOULDBLOCK;
		break;
	}
	close(c);
	return r;
}

int
sched_ready(struct sched_slot *s)
{
	struct sched_block	*b = &s->s_blk;
	int			 io = b->b_io != sched_gen(b->b_kind);

	if (b->b_sig != sched_run->r_sig) {
		b->b_sig = sched_run->r_sig;
		if (sched_signal_ready(s->s_tid, b))
			return 1;
		/* A signal it blocks may make a signalfd readable. */
		io |= b->b_kind == BK_FDS;
	}
	if (!io)
		return 0;
	b->b_io = sched_gen(b->b_kind);
	switch (b->b_kind) {
	case BK_FUTEX:
		return b->b_shared && futex_changed(s);
	case BK_FDS:
		return fds_ready(s);
	case BK_CHILD:
		return sched_children_ready(s->s_tgid, s->s_tid, b);
	case BK_LOCK:
		return sched_lock_ready(s->s_tid, s->s_tgid, b);
	case BK_ANY:
	case BK_FIFO:
		return 1;
	}
	return 0;
}
