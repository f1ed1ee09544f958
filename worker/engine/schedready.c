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
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "schedtab.h"
#include "task.h"

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
	uint64_t	 pend, blk, ign;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	if (task_proc_read(path, buf, sizeof(buf)) < 0)
		return 1;	/* gone: let its worker see */
	pend = hex_field(buf, "\nSigPnd:\t") | hex_field(buf, "\nShdPnd:\t");
	blk = hex_field(buf, "\nSigBlk:\t");
	ign = hex_field(buf, "\nSigIgn:\t");
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

static int
fds_ready(const struct sched_slot *s)
{
	const struct sched_block *b = &s->s_blk;
	uint32_t	 k;
	int		 pfd, fd, r = 0;

	if ((pfd = (int)syscall(SYS_pidfd_open, s->s_tgid, 0)) == -1)
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
	close(pfd);
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

/* Child c's number as its parent sees it: the last of its NSpid (the
 * run's pid namespace), else its own. */
static long
child_pid(long c)
{
	char	 path[64], buf[4096], *p, *e;
	long	 v, last = c;

	snprintf(path, sizeof(path), "/proc/%ld/status", c);
	if (task_proc_read(path, buf, sizeof(buf)) < 0 ||
	    (p = strstr(buf, "\nNSpid:")) == NULL)
		return c;
	for (p += 7; (v = strtol(p, &e, 10)) > 0 && e != p; p = e)
		last = v;
	return last;
}

/* A child of process tgid (only the one numbered pid, when pid > 0 and
 * it is one of them) has ended (state Z; its worker may not have reaped
 * it yet, the kernel's wait4 then waits the moment it takes), or with
 * stops, is stopped; or there is none (ECHILD at once).  A wait for one
 * child must not go to the kernel because another has ended: it would
 * block there. */
int
sched_children_ready(pid_t tgid, int stops, pid_t pid)
{
	char		 path[320], buf[4096], *p, *e;
	DIR		*d;
	struct dirent	*de;
	long		 c;
	int		 r = 0, any = 0, rone = 0, one = 0;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)tgid);
	if ((d = opendir(path)) == NULL)
		return 1;
	while (!(pid > 0 ? one : r) && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/children",
		    (int)tgid, de->d_name);
		if (task_proc_read(path, buf, sizeof(buf)) < 0)
			continue;
		for (p = buf; !(pid > 0 ? one : r) &&
		    (c = strtol(p, &e, 10)) > 0; p = e) {
			char	 st[4096], *q;
			int	 z;

			any = 1;
			snprintf(path, sizeof(path), "/proc/%ld/stat", c);
			if (task_proc_read(path, st, sizeof(st)) < 0 ||
			    (q = strrchr(st, ')')) == NULL)
				continue;
			z = q[2] == 'Z' || (stops &&
			    (q[2] == 'T' || q[2] == 't'));
			r |= z;
			if (pid > 0 && child_pid(c) == pid) {
				one = 1;
				rone = z;
			}
		}
	}
	closedir(d);
	/* The child asked for, if found (a number the schedule cannot
	 * map, under --sandbox-pids=translate, counts as any child). */
	if (one)
		return rone;
	/* No child at all: the call fails with ECHILD at once. */
	return r || !any;
}

int
sched_ready(struct sched_slot *s)
{
	struct sched_block	*b = &s->s_blk;
	int			 io = b->b_io != sched_run->r_io;

	if (b->b_sig != sched_run->r_sig) {
		b->b_sig = sched_run->r_sig;
		if (sched_signal_ready(s->s_tid, b))
			return 1;
		/* A signal it blocks may make a signalfd readable. */
		io |= b->b_kind == BK_FDS;
	}
	if (!io)
		return 0;
	b->b_io = sched_run->r_io;
	switch (b->b_kind) {
	case BK_FUTEX:
		return b->b_shared && futex_changed(s);
	case BK_FDS:
		return fds_ready(s);
	case BK_CHILD:
		return sched_children_ready(s->s_tgid, b->b_stops,
		    b->b_child);
	case BK_ANY:
	case BK_FIFO:
		return 1;
	}
	return 0;
}
