/*
 * Whether a descriptor of a blocked thread is ready, as the thread's own
 * poll would see it (schedule.h).  The worker asks through a copy of the
 * descriptor (pidfd_getfd), which is the same open file, so for pipes,
 * sockets, eventfds and timerfds a poll of the copy answers for the
 * thread.  Two kinds differ:
 *
 * - a signalfd is ready when the process that polls it has one of its
 *   signals pending: the worker's poll would look at the worker's own
 *   signals.  Its readiness is read from the thread's /proc status and
 *   the descriptor's fdinfo mask instead.
 * - an epoll set that watches a signalfd: polling the set re-checks each
 *   ready entry in the poller's context and drops from the set's ready
 *   list the entries that no longer look ready, so the worker's poll
 *   would both answer wrongly and make the thread's own epoll_wait miss
 *   the signalfd for good.  Such a set is answered entry by entry (its
 *   fdinfo lists them), never polled.
 */
#include <sys/syscall.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "schedtab.h"
#include "task.h"

#ifndef PIDFD_THREAD
#define PIDFD_THREAD	O_EXCL
#endif
#define NEST_MAX	4	/* epoll sets within sets looked into */

enum fdkind { FK_OTHER, FK_SIGNALFD, FK_EPOLL };

static enum fdkind
schedfd_kind(int copy)
{
	char	 path[64], link[64];
	ssize_t	 n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", copy);
	if ((n = readlink(path, link, sizeof(link) - 1)) < 0)
		return FK_OTHER;
	link[n] = '\0';
	if (strcmp(link, "anon_inode:[signalfd]") == 0)
		return FK_SIGNALFD;
	if (strcmp(link, "anon_inode:[eventpoll]") == 0)
		return FK_EPOLL;
	return FK_OTHER;
}

/* fd's fdinfo as the thread sees it, NUL-terminated; -1 if gone. */
static int
schedfd_info(pid_t tid, int fd, char *buf, size_t size)
{
	char	 path[64];

	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", (int)tid, fd);
	return task_proc_read(path, buf, size) < 0 ? -1 : 0;
}

static uint64_t
schedfd_hex(const char *buf, const char *name)
{
	const char	*p = strstr(buf, name);

	return p != NULL ? strtoull(p + strlen(name), NULL, 16) : 0;
}

/* A signalfd of tid: one of its signals pending for the thread, or for
 * its process (a read takes either). */
static int
schedfd_signalfd(pid_t tid, int fd, short ev)
{
	char		 buf[4096], path[64];
	uint64_t	 mask, pend;

	if (!(ev & POLLIN) || schedfd_info(tid, fd, buf, sizeof(buf)) < 0)
		return 0;
	mask = schedfd_hex(buf, "sigmask:\t");
	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	if (task_proc_read(path, buf, sizeof(buf)) < 0)
		return 1;	/* gone: let its worker see */
	pend = schedfd_hex(buf, "\nSigPnd:\t") |
	    schedfd_hex(buf, "\nShdPnd:\t");
	return (pend & mask) != 0;
}

static int	 schedfd_at(pid_t, int, int, int, short, int);

/*
 * An epoll set of tid that watches a signalfd: ready when one of its
 * entries is ready for the events it is watched for.  An entry's number
 * is the one it was added by (fdinfo's tfd); one closed since is taken
 * as not ready (the set forgets a closed file).  Edge-triggered entries
 * are taken as level-triggered: the set's own wait, which the kernel
 * runs once this says ready, gives the exact answer.
 */
static int
schedfd_epoll(pid_t tid, int pidfd, int copy, int fd, int depth)
{
	char		 buf[16384], *p;
	unsigned int	 ev;
	int		 tfd, c, r = 0, sig = 0;

	if (depth >= NEST_MAX || schedfd_info(tid, fd, buf, sizeof(buf)) < 0)
		goto plain;
	for (p = buf; (p = strstr(p, "tfd:")) != NULL; p++) {
		if (sscanf(p, "tfd: %d events: %x", &tfd, &ev) != 2)
			continue;
		if ((c = (int)syscall(SYS_pidfd_getfd, pidfd, tfd, 0)) == -1)
			continue;
		if (schedfd_kind(c) != FK_OTHER)
			sig = 1;
		close(c);
	}
	if (!sig)
		goto plain;
	for (p = buf; !r && (p = strstr(p, "tfd:")) != NULL; p++) {
		if (sscanf(p, "tfd: %d events: %x", &tfd, &ev) != 2)
			continue;
		if ((c = (int)syscall(SYS_pidfd_getfd, pidfd, tfd, 0)) == -1)
			continue;
		r = schedfd_at(tid, pidfd, c, tfd, (short)(ev | POLLERR |
		    POLLHUP), depth + 1);
		close(c);
	}
	return r;
plain:
	{
		struct pollfd	 pl = { .fd = copy, .events = POLLIN };

		return poll(&pl, 1, 0) != 0;
	}
}

static int
schedfd_at(pid_t tid, int pidfd, int copy, int fd, short ev, int depth)
{
	struct pollfd	 p;

	switch (schedfd_kind(copy)) {
	case FK_SIGNALFD:
		return schedfd_signalfd(tid, fd, ev);
	case FK_EPOLL:
		if (ev & POLLIN)
			return schedfd_epoll(tid, pidfd, copy, fd, depth);
		break;
	case FK_OTHER:
		break;
	}
	p.fd = copy;
	p.events = ev;
	p.revents = 0;
	return poll(&p, 1, 0) != 0;
}

int
schedfd_ready(pid_t tid, int copy, int fd, short ev)
{
	int	 pidfd, r;

	switch (schedfd_kind(copy)) {
	case FK_OTHER:
		break;
	case FK_SIGNALFD:
		return schedfd_signalfd(tid, fd, ev);
	case FK_EPOLL:
		if ((pidfd = (int)syscall(SYS_pidfd_open, tid,
		    PIDFD_THREAD)) == -1)
			break;
		r = schedfd_at(tid, pidfd, copy, fd, ev, 0);
		close(pidfd);
		return r;
	}
	return schedfd_at(tid, -1, copy, fd, ev, 0);
}
