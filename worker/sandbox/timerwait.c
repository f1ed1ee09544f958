/*
 * Waiting for a timer (timers.c).  pause, sigsuspend and sigtimedwait of
 * a single-threaded process move the clock to the deadline whose signal
 * ends them: nothing else can happen first.
 *
 * The real-time backstop.  A process may wait for its timer where no
 * system call moves its clock: a loop with no call, a blocking read or
 * poll of a timerfd, a thread waiting while another runs.  Whenever the worker sleeps in waitpid with a deadline pending,
 * its own ITIMER_REAL runs for the virtual time left; if it expires
 * before the next stop, its handler moves the process's clock to that
 * deadline, which fires the timer (sending a signal, setting a timerfd's
 * count: system calls only, safe in a handler).  The engine does nothing
 * else while it waits, and the worker is single-threaded, so nothing
 * else touches the clock then.  Each sleep of the worker starts it
 * afresh: only a wait that lasts the whole virtual time left, for real,
 * ends this way.  Nor does it run while a thread yields for a sleep: that
 * thread's next call moves the clock first, wherever the host's load puts
 * it in real time.
 */
#include <sys/time.h>
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "../engine/task.h"
#include "sandbox.h"
#include "timers.h"

#define NS		1000000000ULL
#define NEVER		UINT64_MAX

/* Armed (for deadline bs_at) while the worker sleeps. */
static volatile sig_atomic_t	 bs_armed;
static uint64_t			 bs_at;
static int			 bs_handler;

static long
sb_pause(struct it_task *t)
{
	timers_wait_jump(t, NEVER, NULL, NULL);
	return IT_RUN_ORIGINAL;
}

static long
sb_rt_sigsuspend(struct it_task *t, it_gp_sigset mask, size_t size)
{
	it_k_sigset	 m;

	if (size == sizeof(m) && it_read_sigset(t, mask, &m) == 0)
		timers_wait_jump(t, NEVER, (const uint64_t *)&m.sig[0], NULL);
	return IT_RUN_ORIGINAL;
}

void
timers_sigwait(struct it_task *t, it_gp_sigset set, it_gp_timespec timeout)
{
	it_k_sigset	 s;
	uint64_t	 ns = NEVER, now = timers_now();

	if (timers_awaited() == NEVER || it_read_sigset(t, set, &s) < 0)
		return;
	if (timeout.addr != 0 && sandbox_timespec(t, timeout, &ns) < 0)
		return;
	timers_wait_jump(t, ns < NEVER - now ? now + ns : NEVER, NULL,
	    (const uint64_t *)&s.sig[0]);
}

static long
sigwaited(struct it_task *t, long r, void *arg)
{
	timers_sigwaited(t, r, (it_gp_siginfo){ (uint64_t)(uintptr_t)arg });
	deadline_ended(t, r, -EAGAIN);	/* timed out: its whole timeout */
	return r;
}

/* In the run's namespace (pids.c has the slot when it translates). */
static long
sb_rt_sigtimedwait(struct it_task *t, it_gp_sigset set, it_gp_siginfo info,
    it_gp_timespec timeout, size_t size)
{
	(void)size;
	deadline_note(t, timeout);
	timers_sigwait(t, set, timeout);
	it_task_on_exit(t, sigwaited, (void *)(uintptr_t)info.addr);
	return IT_RUN_ORIGINAL;
}

static void
backstop(int sig)
{
	int	 saved = errno;

	(void)sig;
	if (bs_armed) {
		bs_armed = 0;
		sandbox_sleep_until(bs_at);
	}
	errno = saved;
}

void
timers_idle(int idle)
{
	struct itimerval	 it;
	struct sigaction	 sa;
	uint64_t		 left, at, now;

	memset(&it, 0, sizeof(it));
	if (!idle) {
		if (bs_armed) {
			bs_armed = 0;
			(void)setitimer(ITIMER_REAL, &it, NULL);
		}
		return;
	}
	/* A thread in a yield comes back to a call first (deadline.c). */
	if ((at = timers_awaited()) == NEVER || yielding_any())
		return;
	if (!bs_handler) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = backstop;
		sa.sa_flags = SA_RESTART;
		sigfillset(&sa.sa_mask);
		if (sigaction(SIGALRM, &sa, NULL) == -1)
			return;
		bs_handler = 1;
	}
	now = timers_now();
	left = at > now ? at - now : 1;
	it.it_value.tv_sec = (time_t)(left / NS);
	it.it_value.tv_usec = (suseconds_t)(left % NS / 1000);
	if (it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0)
		it.it_value.tv_usec = 1;
	bs_at = at;
	bs_armed = 1;
	if (setitimer(ITIMER_REAL, &it, NULL) == -1)
		bs_armed = 0;
}

const struct it_table sandbox_timers = {
	.pause = sb_pause,
	.rt_sigsuspend = sb_rt_sigsuspend,
	.rt_sigtimedwait = sb_rt_sigtimedwait,
};
