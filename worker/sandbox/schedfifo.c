/*
 * Opening a FIFO under the deterministic schedule (schedule.h).  A
 * blocking open of a FIFO for reading waits in the kernel until it has
 * a writer, one for writing until it has a reader: the two ends meet
 * there.  Under the schedule only one thread runs at a time, so two
 * openers left to the kernel never meet: each is cut by the fallback in
 * its turn, for ever.
 *
 * So the reader never waits at the open: it opens with O_NONBLOCK, which
 * the kernel lets through at once, and at the thread's next call, before
 * that call is looked at, the flag is taken off the file again and the
 * thread waits there, held, until a writer has come (one of the run has
 * the FIFO open for writing, or data or a writer's end is there to
 * read): as natively its open would not have returned before.  A writer
 * goes on once a process of the run has the FIFO open for reading (their
 * descriptors are looked at in /proc: an open of the worker's own would
 * be a writer come and gone, an end of file for the reader), and waits
 * held otherwise.  Either's open is a step that may let the other go.
 * (An opener outside the run is not seen.)
 */
#include <sys/stat.h>
#include <sys/syscall.h>
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../engine/schedtab.h"
#include "../engine/task.h"
#include "sandbox.h"

/* A reader let through with O_NONBLOCK whose flag is still to go, and
 * whether it waits for a writer held at the same FIFO. */
static pid_t	 fix_tid;
static ino_t	 fix_ino;
static dev_t	 fix_dev;
static pid_t	 wait_tid;

/* The access mode of tgid's fd, from its fdinfo; -1 if gone. */
static int
fd_mode(pid_t tgid, const char *fd)
{
	char	 path[300], buf[256], *p;

	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%s", (int)tgid, fd);
	if (task_proc_read(path, buf, sizeof(buf)) < 0 ||
	    (p = strstr(buf, "flags:")) == NULL)
		return -1;
	return (int)(strtoul(p + 6, NULL, 8) & O_ACCMODE);
}

/* Whether a process of the run has FIFO st open for reading (want
 * O_RDONLY) or writing (O_WRONLY). */
static int
in_run(const struct stat *st, int want)
{
	struct sched_slot	*s;
	struct dirent		*de;
	struct stat		 fs;
	char			 path[300];
	DIR			*d;
	pid_t			 seen[SCHED_SLOTS];
	uint32_t		 i, k, n = 0;
	int			 m, found = 0;

	for (i = 0; i < sched_run->r_run && !found; i++) {
		s = &sched_run->r_slots[i];
		if (s->s_state == SLOT_FREE)
			continue;
		for (k = 0; k < n && seen[k] != s->s_tgid; k++)
			;
		if (k < n)
			continue;
		seen[n++] = s->s_tgid;
		snprintf(path, sizeof(path), "/proc/%d/fd", (int)s->s_tgid);
		if ((d = opendir(path)) == NULL)
			continue;
		while (!found && (de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "/proc/%d/fd/%s",
			    (int)s->s_tgid, de->d_name);
			if (stat(path, &fs) == -1 || fs.st_ino != st->st_ino ||
			    fs.st_dev != st->st_dev)
				continue;
			m = fd_mode(s->s_tgid, de->d_name);
			found = m == want || m == O_RDWR;
		}
		closedir(d);
	}
	return found;
}

static void
fifo_block(struct sched_block *b, const struct stat *st, int mode)
{
	memset(b, 0, sizeof(*b));
	b->b_kind = BK_FIFO;
	b->b_addr = st->st_ino;
	b->b_val = (uint32_t)st->st_dev;
	b->b_bits = (uint32_t)mode;
}

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
	int		 at = t->t_nr == IT_SYS_openat, fd, flags;

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
			wait_tid = t->t_tid;
			sched_lock();
			sched_run->r_io++;	/* a held writer looks again */
			sched_unlock();
		}
		close(fd);
		return 0;
	}
	if (fstat(fd, &st) == -1 || in_run(&st, O_RDONLY)) {
		close(fd);
		/* A reader is there: it will not wait, and a reader that
		 * waits for it looks again. */
		sched_lock();
		sched_run->r_io++;
		sched_unlock();
		return 0;
	}
	close(fd);
	fifo_block(b, &st, O_WRONLY);
	return 1;
}

/*
 * t's FIFO, opened for reading with O_NONBLOCK, in its process: the flag
 * taken off (fix), and whether a writer has come since (polled: data,
 * or the end of a writer gone).
 */
static int
fifo_visit(struct it_task *t, int fix)
{
	struct dirent	*de;
	struct stat	 st;
	struct pollfd	 p;
	char		 path[300];
	DIR		*d;
	int		 c, fl, came = 0;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)t->t_tid);
	if ((d = opendir(path)) == NULL)
		return 1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/fd/%s", (int)t->t_tid,
		    de->d_name);
		if (stat(path, &st) == -1 || st.st_ino != fix_ino ||
		    st.st_dev != fix_dev ||
		    (c = reach_getfd(t->t_tid, atoi(de->d_name))) == -1)
			continue;
		fl = fcntl(c, F_GETFL);
		if (fix && fl != -1 && (fl & O_NONBLOCK) &&
		    (fl & O_ACCMODE) == O_RDONLY)
			(void)fcntl(c, F_SETFL, fl & ~O_NONBLOCK);
		p.fd = c;
		p.events = POLLIN;
		p.revents = 0;
		if (fl != -1 && (fl & O_ACCMODE) != O_WRONLY &&
		    poll(&p, 1, 0) > 0)
			came = 1;
		close(c);
	}
	closedir(d);
	return came;
}

/* At t's next calls: the O_NONBLOCK its FIFO's open was given goes;
 * until a writer has come, 1 and b filled (hold it), as its open would
 * natively still wait. */
int
schedfifo_fix(struct it_task *t, struct sched_block *b)
{
	struct stat	 st;
	int		 fix = fix_tid == t->t_tid, came;

	if (!fix && wait_tid != t->t_tid)
		return 0;
	fix_tid = 0;
	came = fifo_visit(t, fix);
	st.st_ino = fix_ino;
	st.st_dev = fix_dev;
	if (!came) {
		sched_lock();
		came = in_run(&st, O_WRONLY);
		sched_unlock();
	}
	if (came) {
		wait_tid = 0;
		return 0;
	}
	wait_tid = t->t_tid;
	fifo_block(b, &st, O_RDONLY);
	return 1;
}
