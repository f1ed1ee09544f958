/*
 * Opening a FIFO under the deterministic schedule (schedule.h).  A
 * blocking open of a FIFO for reading waits in the kernel until it has
 * a writer, one for writing until it has a reader: the two ends meet
 * there.  Under the schedule only one thread runs at a time, so two
 * openers left to the kernel never meet: each is cut by the fallback in
 * its turn, for ever.
 *
 * So the reader never waits at the open: it opens with O_NONBLOCK, which
 * the kernel lets through at once, and the flag is taken off the file
 * again at the thread's next call, before that call is looked at.  Its
 * reads then wait as natively they would after the open: a FIFO that
 * never had a writer since this reader opened polls as not ready (and
 * the schedule holds the read), one whose writer came and went polls as
 * ended.  A writer goes on once a reader is there (an O_NONBLOCK open
 * of the worker's own, ENXIO without one, tells), and waits held
 * otherwise; a reader's open is a step that may let it go.
 */
#include <sys/stat.h>
#include <sys/syscall.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../engine/schedtab.h"
#include "../engine/task.h"
#include "sandbox.h"

/* A reader let through with O_NONBLOCK whose flag is still to go. */
static pid_t	 fix_tid;
static ino_t	 fix_ino;
static dev_t	 fix_dev;

/* The open's file, if it is a FIFO (O_PATH, the caller closes); -1. */
static int
fifo_of(struct it_task *t, int at)
{
	uint64_t	*a = t->t_args;
	struct stat	 st;
	int		 fd;

	if ((fd = reach_open(t, at ? (int)a[0] : AT_FDCWD,
	    (it_gp_str){ a[at ? 1 : 0] }, 0)) < 0)
		return -1;
	if (fstat(fd, &st) == -1 || !S_ISFIFO(st.st_mode)) {
		close(fd);
		return -1;
	}
	return fd;
}

int
schedfifo_call(struct it_task *t, struct sched_block *b)
{
	uint64_t	*a = t->t_args;
	struct stat	 st;
	char		 path[64];
	int		 at = t->t_nr == IT_SYS_openat, fd, w, flags;

	flags = (int)a[at ? 2 : 1];
	if ((flags & (O_NONBLOCK | O_PATH)) || (flags & O_ACCMODE) == O_RDWR ||
	    (fd = fifo_of(t, at)) == -1)
		return 0;
	if ((flags & O_ACCMODE) == O_RDONLY) {
		if (fstat(fd, &st) == 0) {
			fix_tid = t->t_tid;
			fix_ino = st.st_ino;
			fix_dev = st.st_dev;
			t->t_args[at ? 2 : 1] = (uint64_t)(flags | O_NONBLOCK);
			it_task_set_arg(t, at ? 2 : 1, t->t_args[at ? 2 : 1]);
			sched_lock();
			sched_run->r_io++;	/* a held writer looks again */
			sched_unlock();
		}
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	w = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (w != -1 || fstat(fd, &st) == -1) {
		if (w != -1)
			close(w);
		close(fd);
		return 0;	/* a reader is there: it will not wait */
	}
	close(fd);
	memset(b, 0, sizeof(*b));
	b->b_kind = BK_FIFO;
	b->b_addr = st.st_ino;
	b->b_val = (uint32_t)st.st_dev;
	b->b_bits = O_WRONLY;
	return 1;
}

/* At t's next call: the O_NONBLOCK its FIFO's open was given goes. */
void
schedfifo_fix(struct it_task *t)
{
	struct dirent	*de;
	struct stat	 st;
	char		 path[300];
	DIR		*d;
	int		 c, fl;

	if (fix_tid != t->t_tid)
		return;
	fix_tid = 0;
	snprintf(path, sizeof(path), "/proc/%d/fd", (int)t->t_tid);
	if ((d = opendir(path)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/fd/%s", (int)t->t_tid,
		    de->d_name);
		if (stat(path, &st) == -1 || st.st_ino != fix_ino ||
		    st.st_dev != fix_dev ||
		    (c = reach_getfd(t->t_tid, atoi(de->d_name))) == -1)
			continue;
		if ((fl = fcntl(c, F_GETFL)) != -1 && (fl & O_NONBLOCK) &&
		    (fl & O_ACCMODE) == O_RDONLY)
			(void)fcntl(c, F_SETFL, fl & ~O_NONBLOCK);
		close(c);
	}
	closedir(d);
}
