/*
 * Timeouts of the waiting calls: poll, ppoll, select, pselect6, the
 * epoll waits, semtimedop, the message queues' timed calls and the AIO
 * waits (rt_sigtimedwait is timerwait.c's, which calls deadline_note).
 * A wait on no descriptor at all is a sleep (poll(NULL, 0, ms) is a
 * common one): it moves the clock as nanosleep does and
 * yields briefly.  Any other wait runs for real with the program's
 * timeout (an absolute one moved to the host's clock), since only the
 * kernel knows when it ends; when its time is up, the clock moves to its
 * deadline (deadline.c), so what the program measures does not depend on
 * the host.
 */
#include <sys/select.h>
#include <sys/sem.h>
#include <errno.h>
#include <stdint.h>

#include "../engine/schedule.h"
#include "sandbox.h"
#include "timers.h"

#define NS		1000000000ULL
#define MS		1000000ULL
#define SEMOPS_MAX	64	/* sembufs read to look for IPC_NOWAIT */

/* A wait of ns that has timed out when the kernel returns code. */
static long
wait_for(struct it_task *t, uint64_t ns, long code)
{
	deadline_expect(t, code, ns);
	return IT_RUN_ORIGINAL;
}

/* A timespec timeout: 0 and *ns, 1 for none (wait forever), or -errno. */
static int
timespec_ns(struct it_task *t, it_gp_timespec p, uint64_t *ns)
{
	return p.addr == 0 ? 1 : sandbox_timespec(t, p, ns);
}

/*
 * A wait on nothing: the kernel would write back what is left of its
 * timeout, nothing (a timeout it cannot write back is left alone, as the
 * kernel does), and the call yields with the timeout arg replaced.
 */
static long
slept(struct it_task *t, it_gptr left, int timeval, uint64_t ns, int arg)
{
	static const struct timespec	 zero;
	uint64_t			 y;

	long				 r;

	/* Among threads, the others first (quiesce.c). */
	if ((y = quiesce_sleep(t, &ns, timeval ? DEADLINE_TIMEVAL :
	    DEADLINE_TIMESPEC)) != 0)
		goto yield;
	(void)it_mem_write(t, left.addr, &zero, timeval ?
	    sizeof(struct timeval) : sizeof(struct timespec));
	if ((r = timers_nap(t, ns, NULL)) != 0)
		return r;		/* a timer's signal cut it: EINTR */
	if ((y = deadline_yield(t, ns, timeval)) == 0)
		return 0;
yield:
	it_task_set_arg(t, arg, y);
	return IT_RUN_ORIGINAL;
}

static long
sb_poll(struct it_task *t, it_gp_pollfd fds, unsigned int nfds, int timeout)
{
	uint64_t	 ns, y;
	long		 r;

	/* Under the deterministic schedule it runs only once it can
	 * end at once (schedcall.c): with its own timeout. */
	if (sched_on())
		return IT_RUN_ORIGINAL;
	(void)fds;
	if (timeout < 0)
		return IT_RUN_ORIGINAL;
	if (nfds == 0) {
		ns = (uint64_t)timeout * MS;
		/* Among threads, the others first (quiesce.c). */
		if ((y = quiesce_sleep(t, &ns, DEADLINE_MS)) == 0) {
			if ((r = timers_nap(t, ns, NULL)) != 0)
				return r;	/* a timer's signal: EINTR */
			if ((y = (uint64_t)deadline_yield_ms(t, ns)) == 0)
				return 0;
		}
		it_task_set_arg(t, 2, y);
		return IT_RUN_ORIGINAL;
	}
	return wait_for(t, (uint64_t)timeout * MS, 0);
}

static long
sb_ppoll(struct it_task *t, it_gp_pollfd fds, unsigned int nfds,
    it_gp_timespec tmo, it_gp_sigset mask, size_t masksize)
{
	uint64_t	 ns;
	int		 e;

	/* Under the deterministic schedule it runs only once it can
	 * end at once (schedcall.c): with its own timeout. */
	if (sched_on())
		return IT_RUN_ORIGINAL;
	(void)fds;
	(void)mask;
	(void)masksize;
	if ((e = timespec_ns(t, tmo, &ns)) != 0)
		return e < 0 ? e : IT_RUN_ORIGINAL;
	if (nfds == 0)
		return slept(t, (it_gptr){ tmo.addr }, 0, ns, 2);
	return wait_for(t, ns, 0);
}

static long
sb_select(struct it_task *t, int nfds, it_gp_fd_set r, it_gp_fd_set w,
    it_gp_fd_set x, it_gp_timeval tmo)
{
	struct timeval	 tv;
	uint64_t	 ns;

	/* Under the deterministic schedule it runs only once it can
	 * end at once (schedcall.c): with its own timeout. */
	if (sched_on())
		return IT_RUN_ORIGINAL;
	if (tmo.addr == 0)
		return IT_RUN_ORIGINAL;
	if (it_read_timeval(t, tmo, &tv) < 0)
		return -EFAULT;
	/* The kernel carries whole seconds of tv_usec over. */
	if (tv.tv_sec < 0 || tv.tv_usec < 0)
		return -EINVAL;
	ns = (uint64_t)tv.tv_sec * NS + (uint64_t)tv.tv_usec * 1000;
	if (nfds == 0 || (r.addr == 0 && w.addr == 0 && x.addr == 0))
		return slept(t, (it_gptr){ tmo.addr }, 1, ns, 4);
	return wait_for(t, ns, 0);
}

static long
sb_pselect6(struct it_task *t, int nfds, it_gp_fd_set r, it_gp_fd_set w,
    it_gp_fd_set x, it_gp_timespec tmo, it_gptr mask)
{
	uint64_t	 ns;
	int		 e;

	/* Under the deterministic schedule it runs only once it can
	 * end at once (schedcall.c): with its own timeout. */
	if (sched_on())
		return IT_RUN_ORIGINAL;
	(void)mask;
	if ((e = timespec_ns(t, tmo, &ns)) != 0)
		return e < 0 ? e : IT_RUN_ORIGINAL;
	if (nfds == 0 || (r.addr == 0 && w.addr == 0 && x.addr == 0))
		return slept(t, (it_gptr){ tmo.addr }, 0, ns, 4);
	return wait_for(t, ns, 0);
}

static long
sb_epoll_wait(struct it_task *t, int epfd, it_gp_epoll_event ev, int max,
    int timeout)
{
	(void)epfd;
	(void)ev;
	(void)max;
	if (sched_on())
		return IT_RUN_ORIGINAL;	/* as sb_poll */
	return timeout > 0 ? wait_for(t, (uint64_t)timeout * MS, 0) :
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

	/* Under the deterministic schedule it runs only once it can
	 * end at once (schedcall.c): with its own timeout. */
	if (sched_on())
		return IT_RUN_ORIGINAL;
	(void)epfd;
	(void)ev;
	(void)max;
	(void)mask;
	(void)masksize;
	if ((e = timespec_ns(t, tmo, &ns)) != 0)
		return e < 0 ? e : IT_RUN_ORIGINAL;
	return wait_for(t, ns, 0);
}

/* A relative timeout the kernel takes as it is: it reads it (EFAULT,
 * EINVAL) itself. */
static long
relative(struct it_task *t, uint64_t addr, long code)
{
	uint64_t	 ns;

	if (addr == 0 || deadline_timespec(t, addr, &ns) < 0)
		return IT_RUN_ORIGINAL;
	return wait_for(t, ns, code);
}

/*
 * An absolute timeout (arg idx) on clock clk, moved to the host's clock
 * at the same distance from now.  One the kernel refuses goes as it is;
 * so does one without scratch memory, which then expires at once.
 */
long
timeouts_absolute(struct it_task *t, int idx, uint64_t addr, int clk,
    long code)
{
	uint64_t	 at, left, host;

	if (addr == 0 || deadline_timespec(t, addr, &at) < 0 ||
	    deadline_left(clk, at, &left) < 0)
		return IT_RUN_ORIGINAL;
	if ((host = deadline_host(t, clk, left)) == 0)
		return IT_RUN_ORIGINAL;
	it_task_set_arg(t, idx, host);
	deadline_expect(t, code, left);
	return IT_RUN_ORIGINAL;
}

/* EAGAIN is the timeout's only if no operation asked not to wait. */
static long
sb_semtimedop(struct it_task *t, int semid, it_gp_sembuf sops, size_t nsops,
    it_gp_timespec tmo)
{
	struct it_k_sembuf	 b[SEMOPS_MAX];
	size_t			 i;

	(void)semid;
	if (nsops == 0 || nsops > SEMOPS_MAX ||
	    it_mem_read(t, sops.addr, b, nsops * sizeof(b[0])) < 0)
		return IT_RUN_ORIGINAL;
	for (i = 0; i < nsops; i++)
		if (b[i].sem_flg & IPC_NOWAIT)
			return IT_RUN_ORIGINAL;
	return relative(t, tmo.addr, -EAGAIN);
}

static long
sb_mq_timedsend(struct it_task *t, int mqdes, it_gptr msg, size_t len,
    unsigned int prio, it_gp_timespec tmo)
{
	(void)mqdes;
	(void)msg;
	(void)len;
	(void)prio;
	return timeouts_absolute(t, 4, tmo.addr, CLOCK_REALTIME, -ETIMEDOUT);
}

static long
sb_mq_timedreceive(struct it_task *t, int mqdes, it_gptr msg, size_t len,
    it_gp_uint prio, it_gp_timespec tmo)
{
	(void)mqdes;
	(void)msg;
	(void)len;
	(void)prio;
	return timeouts_absolute(t, 4, tmo.addr, CLOCK_REALTIME, -ETIMEDOUT);
}

/* What an AIO wait keeps to its exit: fewer events than min_nr is the
 * timeout's doing. */
struct aio_wait {
	uint64_t	 aw_deadline;
	int64_t		 aw_min;
};

static long
aio_done(struct it_task *t, long r, void *arg)
{
	struct aio_wait	 w;

	if (r >= 0 && it_mem_read(t, (uint64_t)(uintptr_t)arg, &w,
	    sizeof(w)) == 0 && r < w.aw_min)
		sandbox_sleep_until(w.aw_deadline);
	return r;
}

static long
aio_wait(struct it_task *t, long min_nr, it_gp_timespec tmo)
{
	struct aio_wait	 w;
	uint64_t	 ns, addr;

	if (tmo.addr == 0 || min_nr <= 0 ||
	    deadline_timespec(t, tmo.addr, &ns) < 0)
		return IT_RUN_ORIGINAL;
	w.aw_deadline = deadline_after(ns);
	w.aw_min = min_nr;
	if ((addr = it_task_scratch(t, sizeof(w))) != 0 &&
	    it_mem_write(t, addr, &w, sizeof(w)) == 0)
		it_task_on_exit(t, aio_done, (void *)(uintptr_t)addr);
	return IT_RUN_ORIGINAL;
}

static long
sb_io_getevents(struct it_task *t, unsigned long ctx, long min_nr, long nr,
    it_gp_io_event ev, it_gp_timespec tmo)
{
	(void)ctx;
	(void)nr;
	(void)ev;
	return aio_wait(t, min_nr, tmo);
}

static long
sb_io_pgetevents(struct it_task *t, unsigned long ctx, long min_nr, long nr,
    it_gp_io_event ev, it_gp_timespec tmo, it_gptr usig)
{
	(void)usig;
	return sb_io_getevents(t, ctx, min_nr, nr, ev, tmo);
}

const struct it_table sandbox_timeouts = {
	.poll = sb_poll,
	.ppoll = sb_ppoll,
	.select = sb_select,
	.pselect6 = sb_pselect6,
	.epoll_wait = sb_epoll_wait,
	.epoll_pwait = sb_epoll_pwait,
	.epoll_pwait2 = sb_epoll_pwait2,
	.semtimedop = sb_semtimedop,
	.mq_timedsend = sb_mq_timedsend,
	.mq_timedreceive = sb_mq_timedreceive,
	.io_getevents = sb_io_getevents,
	.io_pgetevents = sb_io_pgetevents,
};
