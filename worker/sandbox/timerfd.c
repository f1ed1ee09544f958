/*
 * timerfds on the virtual clock.  timerfd_settime and timerfd_gettime of a
 * timerfd of the wall or monotonic clocks are answered from a virtual
 * timer (timers.c), relative or absolute; the kernel's timer is kept
 * disarmed.  When the process's clock passes the deadline, the worker
 * sets the expiration count of the program's own file (its copy of the
 * open file description, by pidfd_getfd, which the tracer may take) with
 * TFD_IOC_SET_TICKS: the count is there before the program's next call,
 * read returns it and poll sees the fd readable, as if the kernel had
 * counted.  A read or poll blocking on a deadline still to come ends
 * through the timers' real-time backstop, with the clock moved to that
 * deadline: such a wait takes the virtual time left, for real.
 *
 * The timer follows the clock of the process that armed it: a child of
 * fork that shares the file sees expirations as its parent's clock moves.
 */
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <linux/kcmp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../engine/task.h"
#include "sandbox.h"
#include "timers.h"


#ifndef TFD_IOC_SET_TICKS
#define TFD_IOC_SET_TICKS	_IOW('T', 0, uint64_t)
#endif

/* A number of a "name: value" line of fdinfo; -1 if absent. */
static long long
fdinfo_field(pid_t pid, int fd, const char *name)
{
	char	 path[64], buf[1024], *p;
	size_t	 n = strlen(name);

	(void)snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", (int)pid, fd);
	if (task_proc_read(path, buf, sizeof(buf)) < 0)
		return -1;
	for (p = buf; p != NULL; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (strncmp(p, name, n) == 0 && p[n] == ':')
			return strtoll(p + n + 1, NULL, 10);
	}
	return -1;
}

/* The program's fd as the worker's, taken afresh for each process. */
static int
take_fd(int fd)
{
	static pid_t	 opened;
	static int	 pidfd = -1;
	pid_t		 pid = timers_pid();

	if (opened != pid) {
		if (pidfd != -1)
			close(pidfd);
		opened = pid;
		pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	}
	if (pidfd == -1)
		return -1;
	return (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
}

/*
 * The virtual timer of the program's timerfd fd, made at its first use;
 * NULL for a descriptor that is not a timerfd of a virtual clock (the
 * kernel answers it).  A number closed and reused for another file gets
 * a new timer.
 */
static struct vtimer *
timerfd_of(struct it_task *t, int fd, int make)
{
	struct vtimer	*v;
	long long	 clk;
	int64_t		 off;
	int		 h;

	if ((v = timers_find(VT_TIMERFD, fd)) != NULL) {
		if (syscall(SYS_kcmp, getpid(), timers_pid(), KCMP_FILE,
		    v->v_hostfd, fd) == 0)
			return v;
		timers_free(v);
	}
	if (!make)
		return NULL;
	if ((clk = fdinfo_field(it_task_tid(t), fd, "clockid")) < 0 ||
	    timers_clock((int)clk, &off) < 0 || (h = take_fd(fd)) < 0)
		return NULL;
	if ((v = timers_new(VT_TIMERFD)) == NULL) {
		close(h);
		return NULL;
	}
	v->v_id = fd;
	v->v_clock = (int)clk;
	v->v_hostfd = h;
	return v;
}

void
timerfd_expired(struct vtimer *v, uint64_t count)
{
	long long	 had;
	uint64_t	 n;

	had = fdinfo_field(getpid(), v->v_hostfd, "ticks");
	n = (had > 0 ? (uint64_t)had : 0) + count;
	(void)ioctl(v->v_hostfd, TFD_IOC_SET_TICKS, &n);
}

static long
sb_timerfd_settime(struct it_task *t, int fd, unsigned int flags,
    it_gp_itimerspec new_value, it_gp_itimerspec old_value)
{
	static const struct itimerspec	 off;
	struct itimerspec		 its;
	struct vtimer			*v;

	/* Anything the kernel would refuse goes to it as it is. */
	if ((flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)) != 0 ||
	    it_read_itimerspec(t, new_value, &its) < 0 ||
	    !timers_valid(&its) || (v = timerfd_of(t, fd, 1)) == NULL)
		return IT_RUN_ORIGINAL;
	/* Disarmed in the kernel, and its count back to 0, as a settime
	 * leaves it. */
	if (timerfd_settime(v->v_hostfd, 0, &off, NULL) == -1)
		return -errno;
	return timers_settime(t, v, (flags & TFD_TIMER_ABSTIME) != 0, &its,
	    old_value);
}

static long
sb_timerfd_gettime(struct it_task *t, int fd, it_gp_itimerspec cur)
{
	struct itimerspec	 its;
	struct vtimer		*v;

	if ((v = timerfd_of(t, fd, 0)) == NULL)
		return IT_RUN_ORIGINAL;
	timers_get(v, &its);
	return it_write_itimerspec(t, cur, &its);
}

const struct it_table sandbox_timerfd = {
	.timerfd_settime = sb_timerfd_settime,
	.timerfd_gettime = sb_timerfd_gettime,
};
