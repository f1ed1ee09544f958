/*
 * Timers on the virtual clock.  A timer the kernel ran would fire in real
 * time, at a point of the program that differs from run to run; here the
 * worker keeps every timer of the wall and monotonic clocks and fires it
 * at the call boundary where the process's clock (state.c) passes its
 * deadline: a clock read's step, a sleep, a timed wait's timeout.
 *
 * Firing sends the signal from the worker (the tracer may queue any
 * negative si_code): si_code SI_TIMER with the timer's id and value for a
 * POSIX timer, to the process or, SIGEV_THREAD_ID, to its thread.  While
 * the last one is still pending the kernel's timer counts an overrun
 * instead of queueing another; so does this one, from the pending sets
 * in /proc.  The overrun goes into the siginfo when the signal is
 * delivered (the tracer's signal-delivery stop) or taken by sigwaitinfo,
 * as the kernel computes it at dequeue time; timer_getoverrun answers the
 * last one delivered.  A signal read from a signalfd is neither: its
 * si_overrun stays 0.  SIGALRM of alarm and ITIMER_REAL is SI_KERNEL,
 * which only the kernel may send: it goes as a marked SI_TIMER and is
 * rewritten where it is received.
 *
 * The POSIX timer itself is the kernel's, created by the program's own
 * timer_create and never armed: ids, limits (RLIMIT_SIGPENDING) and the
 * checks of the sigevent stay the kernel's, and execve deletes it there
 * as here.  CPU-time clocks (ITIMER_VIRTUAL, ITIMER_PROF, the CPU-time
 * POSIX clocks) measure real work: they are left to the kernel.  A fork's
 * child has no timers; alarm and ITIMER_REAL survive execve.
 *
 * A sleep stops at the first deadline whose signal would interrupt it
 * (caught, or fatal, and not blocked): EINTR, what is left in rem.
 * pause, sigsuspend and sigtimedwait of a single-threaded process jump
 * the clock to the deadline that ends them, since nothing else can
 * happen first.  Otherwise (a thread runs on, a program spins with no
 * system call, a blocking read of a timerfd) a real-time backstop fires
 * the next deadline (timerwait.c): that path depends on the host's speed,
 * as the native program does.
 */
#include <sys/syscall.h>
#include <sys/time.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../common/log.h"
#include "../engine/task.h"
#include "../engine/schedule.h"
#include "sandbox.h"
#include "timers.h"

#define NS		1000000000ULL
#define TIMERS_MAX	64
#define NEVER		UINT64_MAX
/* An alarm's SIGALRM in flight, until its delivery stop. */
#define ALARM_MARK	INT_MIN
#define ALARM_VALUE	0x616c61726d000000ULL

static struct vtimer	 timers[TIMERS_MAX];
static uint64_t		 vclock;	/* where the clock last moved */
static uint64_t		 next = NEVER;	/* the earliest deadline */
static pid_t		 proc;		/* the host tgid */

static void
renext(void)
{
	size_t	 i;

	next = NEVER;
	for (i = 0; i < TIMERS_MAX; i++)
		if (timers[i].v_kind != VT_FREE &&
		    timers[i].v_deadline != 0 && timers[i].v_deadline < next)
			next = timers[i].v_deadline;
}

pid_t
timers_pid(void)
{
	return proc;
}

struct vtimer *
timers_new(enum vtimer_kind kind)
{
	size_t	 i;

	for (i = 0; i < TIMERS_MAX; i++)
		if (timers[i].v_kind == VT_FREE) {
			memset(&timers[i], 0, sizeof(timers[i]));
			timers[i].v_kind = kind;
			timers[i].v_hostfd = -1;
			return &timers[i];
		}
	return NULL;
}

struct vtimer *
timers_find(enum vtimer_kind kind, int id)
{
	size_t	 i;

	for (i = 0; i < TIMERS_MAX; i++)
		if (timers[i].v_kind == (int)kind &&
		    (kind == VT_ITIMER || timers[i].v_id == id))
			return &timers[i];
	return NULL;
}

void
timers_free(struct vtimer *v)
{
	if (v->v_hostfd >= 0)
		close(v->v_hostfd);
	v->v_kind = VT_FREE;
	v->v_hostfd = -1;
	renext();
}

void
timers_start(pid_t pid, uint64_t now)
{
	size_t	 i;

	for (i = 0; i < TIMERS_MAX; i++)
		if (timers[i].v_kind != VT_FREE)
			timers_free(&timers[i]);
	proc = pid;
	vclock = now;
	next = NEVER;
}

void
timers_exec(void)
{
	size_t	 i;

	for (i = 0; i < TIMERS_MAX; i++)
		if (timers[i].v_kind == VT_POSIX)
			timers_free(&timers[i]);
}

/*
 * The clocks of timer_create and timerfd_create that time.c reads from
 * the virtual clock, with the same offsets: the wall clocks from the
 * epoch as set (clock_settime), the others from a virtual boot.
 */
int
timers_clock(int clk, int64_t *off)
{
	switch (clk) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_ALARM:
	case CLOCK_TAI:
		*off = sandbox_rtoff();
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_BOOTTIME:
	case CLOCK_BOOTTIME_ALARM:
		*off = (int64_t)SANDBOX_BOOT_NS -
		    (int64_t)sandbox_config()->sc_epoch * (int64_t)NS;
		return 0;
	}
	return -1;
}

/* In ns, at most some 292 years: far enough never to come. */
static uint64_t
ts_ns(const struct timespec *ts)
{
	if ((uint64_t)ts->tv_sec >= INT64_MAX / NS)
		return INT64_MAX;
	return (uint64_t)ts->tv_sec * NS + (uint64_t)ts->tv_nsec;
}

static struct timespec
ns_ts(uint64_t ns)
{
	return (struct timespec){ (time_t)(ns / NS), (long)(ns % NS) };
}

/* A signal's bit in a "SigPnd:"-style hex mask line of a status file. */
static int
status_has(const char *path, const char *field, int sig)
{
	char			 buf[4096], *p;
	unsigned long long	 mask;
	size_t			 n = strlen(field);

	if (task_proc_read(path, buf, sizeof(buf)) < 0)
		return 0;
	for (p = buf; p != NULL; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (strncmp(p, field, n) == 0 && p[n] == ':') {
			mask = strtoull(p + n + 1, NULL, 16);
			return (mask >> (sig - 1)) & 1;
		}
	}
	return 0;
}

static int
pending(const struct vtimer *v)
{
	char	 path[64];

	if (v->v_notify == SIGEV_THREAD_ID && v->v_tid > 0) {
		(void)snprintf(path, sizeof(path), "/proc/%d/task/%d/status",
		    (int)proc, (int)v->v_tid);
		return status_has(path, "SigPnd", v->v_signo);
	}
	(void)snprintf(path, sizeof(path), "/proc/%d/status", (int)proc);
	return status_has(path, "ShdPnd", v->v_signo);
}

static void
signal_send(const struct vtimer *v)
{
	siginfo_t	 si;
	long		 r;

	if (proc <= 0)		/* no process started (-p) */
		return;
	memset(&si, 0, sizeof(si));
	si.si_signo = v->v_signo;
	si.si_code = SI_TIMER;
	if (v->v_kind == VT_ITIMER) {
		si.si_timerid = ALARM_MARK;
		si.si_value.sival_ptr = (void *)(uintptr_t)ALARM_VALUE;
	} else {
		si.si_timerid = v->v_id;
		si.si_value.sival_ptr = (void *)(uintptr_t)v->v_value;
	}
	if (v->v_notify == SIGEV_THREAD_ID && v->v_tid > 0)
		r = syscall(SYS_rt_tgsigqueueinfo, proc, v->v_tid,
		    v->v_signo, &si);
	else
		r = syscall(SYS_rt_sigqueueinfo, proc, v->v_signo, &si);
	(void)r;	/* ESRCH: the process or its thread is gone */
}

static void
add_overrun(struct vtimer *v, uint64_t n)
{
	uint64_t	 o = (uint64_t)v->v_overrun + n;

	v->v_overrun = o > INT_MAX ? INT_MAX : (int)o;
}

static void
expire(struct vtimer *v, uint64_t count)
{
	switch (v->v_kind) {
	case VT_TIMERFD:
		timerfd_expired(v, count);
		return;
	case VT_ITIMER:
		/* SIGALRM is not queued twice: one pending is all. */
		if (!pending(v))
			signal_send(v);
		return;
	case VT_POSIX:
		if (v->v_notify == SIGEV_NONE)
			return;
		if (pending(v))
			add_overrun(v, count);
		else {
			add_overrun(v, count - 1);
			signal_send(v);
		}
		return;
	}
}

/* Fires, in deadline order, every timer whose deadline now has passed. */
static void
fire(uint64_t now)
{
	struct vtimer	*v;
	uint64_t	 count;
	size_t		 i;

	while (next <= now) {
		v = NULL;
		for (i = 0; i < TIMERS_MAX; i++)
			if (timers[i].v_kind != VT_FREE &&
			    timers[i].v_deadline == next) {
				v = &timers[i];
				break;
			}
		if (v == NULL)
			break;
		count = 1;
		if (v->v_interval != 0) {
			count += (now - v->v_deadline) / v->v_interval;
			v->v_deadline += count * v->v_interval;
		} else
			v->v_deadline = 0;
		renext();
		expire(v, count);
	}
}

void
timers_moved(uint64_t now)
{
	vclock = now;
	if (next <= now)
		fire(now);
}

/* The earliest deadline that something can wait for: a signal's or a
 * timerfd's (a SIGEV_NONE timer only counts down). */
uint64_t
timers_awaited(void)
{
	uint64_t	 at = NEVER;
	size_t		 i;

	for (i = 0; i < TIMERS_MAX; i++)
		if (timers[i].v_kind != VT_FREE &&
		    timers[i].v_deadline != 0 && timers[i].v_deadline < at &&
		    !(timers[i].v_kind == VT_POSIX &&
		    timers[i].v_notify == SIGEV_NONE))
			at = timers[i].v_deadline;
	return at;
}

uint64_t
timers_now(void)
{
	return vclock;
}

void
timers_set(struct vtimer *v, int abs, const struct itimerspec *its)
{
	uint64_t	 val = ts_ns(&its->it_value), cnow;
	int64_t		 off = 0;

	v->v_interval = ts_ns(&its->it_interval);
	v->v_overrun = 0;
	if (val == 0)
		v->v_deadline = 0;
	else if (abs && timers_clock(v->v_clock, &off) == 0) {
		/* A time of the timer's clock: as far from its now. */
		cnow = vclock + (uint64_t)off;
		v->v_deadline = vclock + (val > cnow ? val - cnow : 0);
	} else
		v->v_deadline = vclock + val;
	if (v->v_deadline == 0)		/* never before the epoch */
		v->v_interval = 0;
	renext();
	fire(vclock);		/* a deadline already past fires now */
}

void
timers_get(const struct vtimer *v, struct itimerspec *its)
{
	its->it_interval = ns_ts(v->v_interval);
	its->it_value = ns_ts(v->v_deadline > vclock ?
	    v->v_deadline - vclock : 0);
}

int
timers_valid(const struct itimerspec *its)
{
	return its->it_value.tv_sec >= 0 && its->it_value.tv_nsec >= 0 &&
	    its->it_value.tv_nsec < (long)NS && its->it_interval.tv_sec >= 0 &&
	    its->it_interval.tv_nsec >= 0 && its->it_interval.tv_nsec < (long)NS;
}

long
timers_settime(struct it_task *t, struct vtimer *v, int abs,
    const struct itimerspec *its, it_gp_itimerspec old_value)
{
	struct itimerspec	 old;

	timers_get(v, &old);
	timers_set(v, abs, its);
	if (old_value.addr != 0 &&
	    it_write_itimerspec(t, old_value, &old) < 0)
		return -EFAULT;
	return 0;
}

/*
 * Whether sig (of timer v) ends a wait of thread t: caught or fatal, and
 * neither blocked (by mask when given, the wait's own) nor ignored; and
 * for a wait on a set, any signal of the set.
 */
static int
interrupts(struct it_task *t, const struct vtimer *v, const uint64_t *mask,
    const uint64_t *set)
{
	char	 path[64];
	int	 sig = v->v_signo;

	if (v->v_kind == VT_TIMERFD || (v->v_kind == VT_POSIX &&
	    v->v_notify == SIGEV_NONE))
		return 0;
	if (v->v_notify == SIGEV_THREAD_ID && v->v_tid > 0 &&
	    v->v_tid != it_task_tid(t))
		return 0;
	if (set != NULL && ((*set >> (sig - 1)) & 1))
		return 1;
	(void)snprintf(path, sizeof(path), "/proc/%d/task/%d/status",
	    (int)proc, (int)it_task_tid(t));
	if (mask != NULL ? (int)((*mask >> (sig - 1)) & 1) :
	    status_has(path, "SigBlk", sig))
		return 0;
	if (status_has(path, "SigCgt", sig))
		return 1;
	if (status_has(path, "SigIgn", sig))
		return 0;
	switch (sig) {		/* default actions that end no wait */
	case SIGCHLD: case SIGURG: case SIGWINCH: case SIGCONT:
	case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU:
		return 0;
	}
	return 1;
}

/* The earliest timer before end whose signal ends t's wait, or NULL. */
static struct vtimer *
first_waking(struct it_task *t, uint64_t end, const uint64_t *mask,
    const uint64_t *set)
{
	struct vtimer	*best = NULL;
	size_t		 i;

	for (i = 0; i < TIMERS_MAX; i++)
		if (timers[i].v_kind != VT_FREE &&
		    timers[i].v_deadline != 0 && timers[i].v_deadline < end &&
		    (best == NULL || timers[i].v_deadline < best->v_deadline) &&
		    interrupts(t, &timers[i], mask, set))
			best = &timers[i];
	return best;
}

/* A wait with nothing else to end it: the clock goes to the deadline
 * that does, before end. */
void
timers_wait_jump(struct it_task *t, uint64_t end, const uint64_t *mask,
    const uint64_t *set)
{
	struct vtimer	*v;

	/* Under the deterministic schedule the clock jumps there itself,
	 * only when no thread of the run can go on (schedpick.c). */
	if (next == NEVER || task_count() != 1 || sched_on())
		return;
	if ((v = first_waking(t, end, mask, set)) != NULL)
		sandbox_sleep_until(v->v_deadline);
}

long
timers_nap(struct it_task *t, uint64_t ns, uint64_t *left)
{
	struct vtimer	*v;
	uint64_t	 end, at;

	end = ns < NEVER - vclock ? vclock + ns : NEVER - 1;
	if (next < end && (v = first_waking(t, end, NULL, NULL)) != NULL) {
		at = v->v_deadline;
		sandbox_sleep_until(at);
		if (left != NULL)
			*left = end - at;
		return -EINTR;
	}
	sandbox_sleep_until(end);
	return 0;
}

long
timers_sleep(struct it_task *t, uint64_t ns, it_gp_timespec rem)
{
	struct timespec	 ts;
	uint64_t	 left;

	if (timers_nap(t, ns, &left) == 0)
		return 0;
	ts = ns_ts(left);
	if (rem.addr != 0 && it_write_timespec(t, rem, &ts) < 0)
		return -EFAULT;
	return -EINTR;
}

/*
 * A timer's signal as the program receives it: the overrun counted while
 * it was pending, and an alarm's SIGALRM made the kernel's (SI_KERNEL).
 * 0 when si is no signal of a virtual timer.
 */
static int
received(siginfo_t *si)
{
	struct vtimer	*v;
	int		 sig = si->si_signo;

	if (si->si_code != SI_TIMER)
		return 0;
	if (si->si_timerid == ALARM_MARK &&
	    (uint64_t)(uintptr_t)si->si_value.sival_ptr == ALARM_VALUE) {
		memset(si, 0, sizeof(*si));
		si->si_signo = sig;
		si->si_code = SI_KERNEL;
		return 1;
	}
	if ((v = timers_find(VT_POSIX, si->si_timerid)) == NULL ||
	    v->v_signo != sig)
		return 0;
	si->si_overrun = v->v_overrun;
	v->v_overrun_last = v->v_overrun;
	v->v_overrun = 0;
	return 1;
}

/* Its delivery stop (a handler, or the default action). */
void
timers_signal(struct it_task *t, int sig)
{
	siginfo_t	 si;

	if (ptrace(PTRACE_GETSIGINFO, it_task_tid(t), NULL, &si) == -1 ||
	    si.si_signo != sig || !received(&si))
		return;
	if (ptrace(PTRACE_SETSIGINFO, it_task_tid(t), NULL, &si) == -1)
		log_debug("timer siginfo of %d: %s", (int)it_task_tid(t),
		    strerror(errno));
}

/* Taken by rt_sigtimedwait (sigwaitinfo) instead: no delivery stop. */
void
timers_sigwaited(struct it_task *t, long r, it_gp_siginfo info)
{
	siginfo_t	 si;

	if (r > 0 && info.addr != 0 && it_read_siginfo(t, info, &si) == 0 &&
	    received(&si))
		(void)it_write_siginfo(t, info, &si);
}
