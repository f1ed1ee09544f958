/*
 * Timeouts of the waiting calls: poll, ppoll, select, pselect6 and the
 * epoll waits.  A wait on no descriptor at all is a sleep (poll(NULL, 0,
 * ms) is a common one): it returns at once and moves the clock, as
 * nanosleep does.  A wait on descriptors runs for real, since only the
 * kernel knows when they become ready; when it times out, the clock moves
 * by the whole timeout, so what the program measures does not depend on
 * the host.
 */
#include <sys/select.h>
#include <errno.h>
#include <stdint.h>

#include "sandbox.h"
#include "timers.h"

#define NS		1000000000ULL
#define MS		1000000ULL

/* After the call: a result of 0 is a timeout that expired. */
static long
expired(struct it_task *t, long r, void *arg)
{
	(void)t;
	if (r == 0)
		sandbox_sleep((uint64_t)(uintptr_t)arg);
	return r;
}

static long
wait_for(struct it_task *t, uint64_t ns)
{
	if (ns > 0)
		it_task_on_exit(t, expired, (void *)(uintptr_t)ns);
	return IT_RUN_ORIGINAL;
}

/* A timespec timeout: 0 and *ns, 1 for none (wait forever), or -errno. */
static int
timespec_ns(struct it_task *t, it_gp_timespec p, uint64_t *ns)
{
	return p.addr == 0 ? 1 : sandbox_timespec(t, p, ns);
}

/* The kernel writes back what is left of a timeout: nothing. */
static long
slept(struct it_task *t, it_gptr left, size_t size, uint64_t ns)
{
	static const struct timespec	 zero;

	if (left.addr != 0 && it_mem_write(t, left.addr, &zero, size) < 0)
		return -EFAULT;
	return timers_nap(t, ns, NULL);	/* a timer's signal may cut it */
}

static long
sb_poll(struct it_task *t, it_gp_pollfd fds, unsigned int nfds, int timeout)
{
	(void)fds;
	if (timeout < 0)
		return IT_RUN_ORIGINAL;
	if (nfds == 0)
		return timers_nap(t, (uint64_t)timeout * MS, NULL);
	return wait_for(t, (uint64_t)timeout * MS);
}

static long
sb_ppoll(struct it_task *t, it_gp_pollfd fds, unsigned int nfds,
    it_gp_timespec tmo, it_gp_sigset mask, size_t masksize)
{
	uint64_t	 ns;
	int		 e;

	(void)fds;
	(void)mask;
	(void)masksize;
	if ((e = timespec_ns(t, tmo, &ns)) != 0)
		return e < 0 ? e : IT_RUN_ORIGINAL;
	if (nfds == 0)
		return slept(t, (it_gptr){ tmo.addr }, sizeof(struct timespec),
		    ns);
	return wait_for(t, ns);
}

static long
sb_select(struct it_task *t, int nfds, it_gp_fd_set r, it_gp_fd_set w,
    it_gp_fd_set x, it_gp_timeval tmo)
{
	struct timeval	 tv;
	uint64_t	 ns;

	if (tmo.addr == 0)
		return IT_RUN_ORIGINAL;
	if (it_read_timeval(t, tmo, &tv) < 0)
		return -EFAULT;
	if (tv.tv_sec < 0 || tv.tv_usec < 0 || tv.tv_usec >= 1000000)
		return -EINVAL;
	ns = (uint64_t)tv.tv_sec * NS + (uint64_t)tv.tv_usec * 1000;
	if (nfds == 0 || (r.addr == 0 && w.addr == 0 && x.addr == 0))
		return slept(t, (it_gptr){ tmo.addr }, sizeof(tv), ns);
	return wait_for(t, ns);
}

static long
sb_pselect6(struct it_task *t, int nfds, it_gp_fd_set r, it_gp_fd_set w,
    it_gp_fd_set x, it_gp_timespec tmo, it_gptr mask)
{
	uint64_t	 ns;
	int		 e;

	(void)mask;
	if ((e = timespec_ns(t, tmo, &ns)) != 0)
		return e < 0 ? e : IT_RUN_ORIGINAL;
	if (nfds == 0 || (r.addr == 0 && w.addr == 0 && x.addr == 0))
		return slept(t, (it_gptr){ tmo.addr }, sizeof(struct timespec),
		    ns);
	return wait_for(t, ns);
}

static long
sb_epoll_wait(struct it_task *t, int epfd, it_gp_epoll_event ev, int max,
    int timeout)
{
	(void)epfd;
	(void)ev;
	(void)max;
	return timeout > 0 ? wait_for(t, (uint64_t)timeout * MS) :
	    IT_RUN_ORIGINAL;
}

static long
sb_epoll_pwait(struct it_task *t, int epfd, it_gp_epoll_event ev, int max,
    int timeout, it_gp_sigset mask, size_t masksize)
{
	(void)mask;
	(void)masksize;
	return sb_epoll_wait(t, epfd, ev, max, timeout);
}

static long
sb_epoll_pwait2(struct it_task *t, int epfd, it_gp_epoll_event ev, int max,
    it_gp_timespec tmo, it_gp_sigset mask, size_t masksize)
{
	uint64_t	 ns;
	int		 e;

	(void)epfd;
	(void)ev;
	(void)max;
	(void)mask;
	(void)masksize;
	if ((e = timespec_ns(t, tmo, &ns)) != 0)
		return e < 0 ? e : IT_RUN_ORIGINAL;
	return wait_for(t, ns);
}

const struct it_table sandbox_timeouts = {
	.poll = sb_poll,
	.ppoll = sb_ppoll,
	.select = sb_select,
	.pselect6 = sb_pselect6,
	.epoll_wait = sb_epoll_wait,
	.epoll_pwait = sb_epoll_pwait,
	.epoll_pwait2 = sb_epoll_pwait2,
};
