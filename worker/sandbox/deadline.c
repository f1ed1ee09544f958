/*
 * Deadlines of the timed waits, on the virtual clock.
 *
 * A timed wait that something else can end (a futex, a semaphore, a
 * message queue, a signal, descriptors) runs in the kernel, in the
 * thread, for as long as its timeout says: a relative timeout goes to
 * the kernel as the program gave it, an absolute one (a time of the
 * virtual clock, long past on the host's) is moved to the host's clock at
 * the same distance from now, in scratch memory.  So a watchdog waits as
 * long natively as in the sandbox, and what it watches has the time to
 * happen.  When the kernel says the time is up, the clock moves to the
 * deadline, so the program sees its whole timeout elapsed; woken early,
 * the clock moves as for any read.
 *
 * A pure sleep (nanosleep, a wait on no descriptor) has nothing to wait
 * for but its time: it moves the clock by all of it at once, and the
 * thread really sleeps for at most SLEEP_YIELD_NS, so that a loop that
 * polls a child between sleeps lets the child run.  The yield runs in the
 * thread (a shortened call of its own), never in the worker, which serves
 * the process's other threads meanwhile.  Among threads, a sleep first
 * waits for the others (quiesce.c): the pending waits and sleeps below
 * tell it which of them end first.  Across processes, it yields on while
 * another process of the run still runs (runbusy.c) or has a timed wait
 * that ends first (runwaits.c).
 */
#include <sys/time.h>
#include <errno.h>
#include <stdint.h>
#include <time.h>

#include "../engine/task.h"
#include "sandbox.h"
#include "timers.h"

#define NS		1000000000ULL
#define FOREVER		((uint64_t)INT64_MAX)	/* ns: 292 years */

/*
 * Measured on 2 busy vCPUs (medians of 3, noisy): a sandboxed shell loop
 * of 100 "sleep 0.01" took 0.61 s with no yield, 0.87 s with 1 ms, 1.05 s
 * with 2 ms, 2.3 s with 5 ms; a python parent polling (sleeps of 50 ms)
 * a child doing 0.3 s of work saw it end after 300 virtual seconds (it
 * gave up: no yield), 21 s, 16 s and 8 s.  2 ms keeps both small.
 */
#ifndef SLEEP_YIELD_NS
#define SLEEP_YIELD_NS	(2 * 1000000ULL)
#endif
#define ACT_NS		(20 * 1000000ULL)	/* see yield_ns */
/* A timed wait's thread is woken this long after its host deadline at
 * the latest (the kernel's timer slack is 50 us); a sleeping thread that
 * stopped renewing its entry for this long is gone. */
#define WAKE_NS		(1000000ULL)
#define GRACE_NS	(100 * 1000000ULL)
#define WAITS_MAX	64

/* The kernel's results for a call it restarts or fails with EINTR once
 * it knows whether a handler runs (after the exit stop). */
#define ERESTARTSYS		512
#define ERESTARTNOINTR		513
#define ERESTARTNOHAND		514
#define ERESTART_RESTARTBLOCK	516

/* Sums of times, saturated: "forever" ({ LONG_MAX, 0 }) stays so. */
static uint64_t
add(uint64_t a, uint64_t b)
{
	return a > FOREVER - b ? FOREVER : a + b;
}

uint64_t
deadline_after(uint64_t left)
{
	return add(sandbox_now(), left);
}

int
deadline_left(int clk, uint64_t at, uint64_t *left)
{
	uint64_t	 now;

	if (sandbox_clock(clk, &now) < 0)
		return -1;
	*left = at > now ? at - now : 0;
	return 0;
}

int
deadline_timespec(struct it_task *t, uint64_t addr, uint64_t *ns)
{
	struct timespec	 ts;

	if (it_mem_read(t, addr, &ts, sizeof(ts)) < 0 || ts.tv_sec < 0 ||
	    ts.tv_nsec < 0 || ts.tv_nsec >= (long)NS)
		return -1;
	*ns = (uint64_t)ts.tv_sec >= FOREVER / NS ? FOREVER :
	    (uint64_t)ts.tv_sec * NS + (uint64_t)ts.tv_nsec;
	return 0;
}

/*
 * The timed waits under way, so that another thread's sleep past one's
 * deadline lets it time out first (see deadline_yield).  A thread that
 * dies in its wait leaves a stale entry, harmless once its host deadline
 * is past.
 */
struct pending {
	pid_t		 pw_pid, pw_tid;
	int		 pw_sleep;	/* a sleep's (quiesce.c), no wait's */
	uint64_t	 pw_at;		/* virtual deadline */
	uint64_t	 pw_host;	/* the host's CLOCK_MONOTONIC one */
};
static struct pending	 waits[WAITS_MAX];

uint64_t
deadline_host_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NS + (uint64_t)ts.tv_nsec;
}

#define host_now	deadline_host_now

/* Until when an entry may still stand for a thread that is alive: a
 * sleep's is renewed at each of its slices. */
static uint64_t
stale_at(const struct pending *w)
{
	return add(w->pw_host, w->pw_sleep ? GRACE_NS : WAKE_NS);
}

static void
pending_set(struct it_task *t, uint64_t at, uint64_t host, int sleep)
{
	struct pending	*w, *slot = NULL;
	uint64_t	 now = host_now();

	for (w = waits; w < waits + WAITS_MAX; w++)
		if (w->pw_tid == it_task_tid(t) || (slot == NULL &&
		    (w->pw_tid == 0 || stale_at(w) <= now)))
			slot = w;
	if (slot != NULL)
		*slot = (struct pending){ it_task_pid(t), it_task_tid(t),
		    sleep, at, host };
}

static void
pending_add(struct it_task *t, uint64_t at, uint64_t host)
{
	pending_set(t, at, host, 0);
	runwaits_add(t, host);		/* for the other processes' sleeps */
}

static void
pending_del(struct it_task *t)
{
	struct pending	*w;

	for (w = waits; w < waits + WAITS_MAX; w++)
		if (w->pw_tid == it_task_tid(t))
			w->pw_tid = 0;
	runwaits_del(t);
}

static long
timedout(struct it_task *t, long r, long code, void *arg)
{
	pending_del(t);
	if (r == code)
		sandbox_sleep_until((uint64_t)(uintptr_t)arg);
	return r;
}

static long
exit_etimedout(struct it_task *t, long r, void *arg)
{
	return timedout(t, r, -ETIMEDOUT, arg);
}

static long
exit_eagain(struct it_task *t, long r, void *arg)
{
	return timedout(t, r, -EAGAIN, arg);
}

static long
exit_zero(struct it_task *t, long r, void *arg)
{
	return timedout(t, r, 0, arg);
}

void
deadline_expect(struct it_task *t, long code, uint64_t left)
{
	uint64_t	 deadline = deadline_after(left);
	it_exit_fn	 fn;

	switch (code) {
	case -ETIMEDOUT:
		fn = exit_etimedout;
		break;
	case -EAGAIN:
		fn = exit_eagain;
		break;
	default:
		fn = exit_zero;
		break;
	}
	it_task_on_exit(t, fn, (void *)(uintptr_t)deadline);
	pending_add(t, deadline, add(host_now(), left));
}

/*
 * The same for a slot whose exit function is another's (the timers' and
 * the pids' rt_sigtimedwait): deadline_note at the entry, deadline_ended
 * from that exit function.
 */
void
deadline_note(struct it_task *t, it_gp_timespec tmo)
{
	uint64_t	 left;

	if (tmo.addr != 0 && deadline_timespec(t, tmo.addr, &left) == 0)
		pending_add(t, deadline_after(left), add(host_now(), left));
	else
		pending_del(t);
}

void
deadline_ended(struct it_task *t, long r, long code)
{
	struct pending	*w;

	for (w = waits; w < waits + WAITS_MAX; w++)
		if (w->pw_tid == it_task_tid(t)) {
			w->pw_tid = 0;
			if (r == code)
				sandbox_sleep_until(w->pw_at);
		}
	runwaits_del(t);
}

uint64_t
deadline_host(struct it_task *t, int clk, uint64_t left)
{
	struct timespec	 ts;
	uint64_t	 ns, addr;

	if (clock_gettime(clk, &ts) == -1)
		return 0;
	ns = add((uint64_t)ts.tv_sec * NS + (uint64_t)ts.tv_nsec, left);
	ts.tv_sec = (time_t)(ns / NS);
	ts.tv_nsec = (long)(ns % NS);
	if ((addr = it_task_scratch(t, sizeof(ts))) == 0 ||
	    it_mem_write(t, addr, &ts, sizeof(ts)) < 0)
		return 0;
	return addr;
}

/*
 * The entries of the other threads of t's process that end, in the
 * program's time, before a sleep of t ending at at: timed waits whose
 * time has not yet come for real, sleeps under way (quiesce.c).  1 and
 * the earliest host time at which one of them ends in *until, or 0.
 */
int
deadline_first(struct it_task *t, uint64_t at, uint64_t host,
    uint64_t *until)
{
	struct pending	*w;
	int		 found = 0;

	for (w = waits; w < waits + WAITS_MAX; w++) {
		if (w->pw_tid == 0 || w->pw_pid != it_task_pid(t) ||
		    w->pw_tid == it_task_tid(t) || stale_at(w) <= host)
			continue;
		/* Two ends at one time: the lower tid first, so that two
		 * sleeps never wait for each other. */
		if (w->pw_at > at || (w->pw_at == at &&
		    w->pw_tid > it_task_tid(t)))
			continue;
		if (!found || w->pw_host < *until)
			*until = w->pw_host;
		found = 1;
	}
	return found;
}

void
deadline_sleeping(struct it_task *t, uint64_t at, uint64_t host)
{
	pending_set(t, at, host, 1);
}

void
deadline_woke(struct it_task *t)
{
	pending_del(t);
}

/*
 * The yield's end.  The clock has moved by the whole sleep already, so
 * whatever interrupts the yield (a signal, handled or ignored) comes at
 * the sleep's end: the sleep returns 0 and the handler runs after it, as
 * it may natively.  Nor is it restarted (an ignored signal's restart of
 * select or ppoll would come to the table again and sleep twice).
 */
static long
yield_done(struct it_task *t, long r, void *arg)
{
	if (arg != NULL)
		pending_del(t);
	/* Slept out, but another process's wait begun since ends first. */
	if (runwaits_again(t, r))
		return IT_RUN_AGAIN;
	if (r == -EINTR || r == -ERESTARTSYS || r == -ERESTARTNOINTR ||
	    r == -ERESTARTNOHAND || r == -ERESTART_RESTARTBLOCK)
		return 0;
	return r;
}

/*
 * How long a sleep of ns, which has just moved the clock, really yields:
 * SLEEP_YIELD_NS at most, unless another thread of the process is in a
 * timed wait whose deadline the clock has now passed.  That wait has
 * timed out, in the program's time, before this sleep ends: the sleep
 * lasts until it has for real (and a little more, at most what the
 * sleep goes beyond the deadline, for its thread to act on it), so that
 * a thread sleeping 1 s finds a barrier that another gave up on after
 * 0.3 s broken, as natively.
 */
static uint64_t
yield_ns(struct it_task *t, uint64_t ns)
{
	struct pending	*w;
	uint64_t	 y = ns < SLEEP_YIELD_NS ? ns : SLEEP_YIELD_NS, now = 0;
	uint64_t	 host = 0, clock = 0, want, after;

	for (w = waits; w < waits + WAITS_MAX; w++) {
		if (w->pw_tid == 0 || w->pw_pid != it_task_pid(t) ||
		    w->pw_tid == it_task_tid(t) || w->pw_sleep)
			continue;
		if (now == 0) {
			host = host_now();
			clock = sandbox_now();
			now = 1;
		}
		if (w->pw_at > clock || w->pw_host <= host)
			continue;
		after = clock - w->pw_at < ACT_NS ? clock - w->pw_at : ACT_NS;
		want = w->pw_host - host + after;
		if (want > y)
			y = want;
	}
	/* The same for the other processes' timed waits (runwaits.c). */
	if ((want = runwaits_yield(t, ns, now ? host : host_now())) > y)
		y = want;
	return y < ns ? y : ns;
}

/* A thread killed in its yield or its timed wait never comes to the exit. */
void
deadline_gone(struct it_task *t)
{
	yielding_gone(t);
	runwaits_gone(t);
}

/*
 * The real yield y as the call takes it: a timespec or a timeval in
 * scratch memory (its address), or ms; 0 when there is none.
 */
uint64_t
deadline_yield_as(struct it_task *t, uint64_t y, int form, it_exit_fn fn,
    void *arg)
{
	struct timespec	 ts;
	struct timeval	 tv;
	uint64_t	 addr;
	int		 e;

	if (y == 0)
		return 0;
	if (form == DEADLINE_MS) {
		yielding_on_exit(t, fn, arg);
		return (y + 999999) / 1000000;
	}
	if ((addr = it_task_scratch(t, sizeof(ts))) == 0)
		return 0;
	if (form == DEADLINE_TIMEVAL) {
		y = (y + 999) / 1000;
		tv.tv_sec = (time_t)(y / 1000000);
		tv.tv_usec = (suseconds_t)(y % 1000000);
		e = it_mem_write(t, addr, &tv, sizeof(tv));
	} else {
		ts.tv_sec = (time_t)(y / NS);
		ts.tv_nsec = (long)(y % NS);
		e = it_mem_write(t, addr, &ts, sizeof(ts));
	}
	if (e < 0)
		return 0;
	yielding_on_exit(t, fn, arg);
	return addr;
}

/*
 * The yield of a sleep that has moved the clock.  Among threads, the
 * others see it as a sleep under way until its yield ends (a sleep that
 * ends later waits for it: quiesce.c); alone, nothing needs to.
 */
static uint64_t
yield_as(struct it_task *t, uint64_t ns, uint64_t y, int form)
{
	uint64_t	 r;
	int		 among = y != 0 && task_count() > 1;

	r = deadline_yield_as(t, y, form, yield_done, among ? t : NULL);
	if (r != 0 && among)
		deadline_sleeping(t, timers_now(), add(host_now(), y));
	if (r != 0 && ns != 0)	/* a sleep's first yield (runwaits.c) */
		runwaits_sleeping(t, ns, host_now());
	return r;
}

/* A sleep's call sent back by yield_done: its next yield, the clock
 * left where the sleep's start moved it (runwaits.c). */
uint64_t
deadline_resumed(struct it_task *t, int form)
{
	uint64_t	 y = runwaits_resumed(t);

	return y != 0 ? yield_as(t, 0, y, form) : 0;
}

uint64_t
deadline_yield(struct it_task *t, uint64_t ns, int timeval)
{
	return yield_as(t, ns, yield_ns(t, ns), timeval ? DEADLINE_TIMEVAL :
	    DEADLINE_TIMESPEC);
}

long
deadline_yield_ms(struct it_task *t, uint64_t ns)
{
	return (long)yield_as(t, ns, yield_ns(t, ns), DEADLINE_MS);
}
