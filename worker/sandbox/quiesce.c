/*
 * A sleep among threads.  Alone, a thread's sleep moves the clock by all
 * of it at once (deadline.c): nothing else can happen meanwhile.  Beside
 * other threads it may not: a thread that computes takes no time on the
 * virtual clock, and natively it would have reached its next call long
 * before a sleep of a second ended.  So the sleep ends only when, in the
 * program's time, nothing else could come first: every other thread of
 * the process is blocked in the kernel, in a wait that ends after the
 * sleep (or never), and no other wait or sleep ends before it.  Until
 * then the sleeping thread really waits, in slices, and the clock stays
 * where the other threads move it.
 *
 * Whether a thread is blocked is the kernel's to say (field 3 of
 * /proc/TID/stat: S, or t while the worker has not resumed it yet), read
 * only here, at the sleeper's own stops: nothing is added to a call of
 * another thread.  A slice is the call itself, shortened; at its exit
 * stop it goes back to the table (IT_RUN_AGAIN), which looks again.  A
 * thread that computes for ever cannot hold a sleep longer than the
 * sleep's own length, nor than QUIESCE_CAP_NS of real time.
 */
#include <stdio.h>
#include <string.h>

#include "../engine/task.h"
#include "sandbox.h"
#include "timers.h"

#define MS		1000000ULL
/*
 * Measured (2 vCPUs, load 5): a thread that computes 50 ms (alone)
 * before a timed wait is seen blocked after 150-220 ms of real time,
 * four that compute 20 ms each after 20-70 ms, Python threads on their
 * way from one barrier to the next after 1-4 ms.  A second covers them
 * with room for a busier host; a thread that spins until the sleeper
 * wakes costs it that second (62 looks, 124 stops).
 */
#ifndef QUIESCE_CAP_NS
#define QUIESCE_CAP_NS	(1000 * MS)
#endif
#define SLICE_MIN_NS	(1 * MS)	/* first look again after this */
#define SLICE_MAX_NS	(16 * MS)	/* ... then after twice as long */
#define ACT_NS		(20 * MS)	/* for a thread whose wait ended */
#define AGAIN_NS	(1000 * MS)	/* a slice's call back after this is
					   no longer the same sleep */
#define SLEEPERS_MAX	64

struct sleeper {
	pid_t		 s_tid;
	int		 s_again;	/* its slice ended: its call comes back */
	long		 s_nr;		/* ... as this call, these arguments */
	uint64_t	 s_args[6];
	uint64_t	 s_end;		/* virtual: where the sleep ends */
	uint64_t	 s_until;	/* host: it waits for running threads
					   until then */
	uint64_t	 s_slice;	/* the next slice, ns */
	uint64_t	 s_left;	/* host: when its last slice ended */
};
static struct sleeper	 sleepers[SLEEPERS_MAX];
static unsigned		 nsleepers;	/* of them in use */

static void
sleeper_end(struct sleeper *s)
{
	if (s->s_tid != 0) {
		s->s_tid = 0;
		nsleepers--;
	}
}

/* Whether a thread other than the sleeper's can run, as the kernel says. */
struct busy {
	pid_t	 b_pid, b_self;
	int	 b_busy;
};

static void
busy_one(struct it_task *o, void *arg)
{
	struct busy	*b = arg;
	char		 path[64], buf[256], *p;

	if (b->b_busy || o->t_tgid != b->b_pid || o->t_tid == b->b_self)
		return;
	(void)snprintf(path, sizeof(path), "/proc/%d/task/%d/stat",
	    (int)o->t_tgid, (int)o->t_tid);
	if (task_proc_read(path, buf, sizeof(buf)) < 0)
		return;			/* gone */
	/* The command may hold any byte: the state follows its last ')'. */
	if ((p = strrchr(buf, ')')) == NULL || p[1] != ' ')
		return;
	switch (p[2]) {
	case 'R':		/* running, or woken */
	case 'D':		/* in a short uninterruptible wait: I/O */
	case 't':		/* at a stop: the worker resumes it next */
		b->b_busy = 1;
		break;
	}
}

static int
others_busy(struct it_task *t)
{
	struct busy	 b = { it_task_pid(t), it_task_tid(t), 0 };

	task_foreach(busy_one, &b);
	return b.b_busy;
}

/* t's sleep under way, if its call is the one that yielded last. */
static struct sleeper *
sleeper_find(struct it_task *t, uint64_t host)
{
	struct sleeper	*s;

	for (s = sleepers; s < sleepers + SLEEPERS_MAX; s++) {
		if (s->s_tid != 0 && host - s->s_left >= AGAIN_NS)
			sleeper_end(s);		/* its thread is gone */
		if (s->s_tid != it_task_tid(t))
			continue;
		if (s->s_again && s->s_nr == t->t_nr && memcmp(s->s_args,
		    t->t_args, sizeof(s->s_args)) == 0 &&
		    host - s->s_left < AGAIN_NS)
			return s;
		/* A handler that jumped out of it, a thread gone. */
		sleeper_end(s);
	}
	return NULL;
}

static struct sleeper *
sleeper_new(struct it_task *t, uint64_t ns, uint64_t host)
{
	struct sleeper	*s;
	uint64_t	 now = timers_now();

	for (s = sleepers; s < sleepers + SLEEPERS_MAX; s++)
		if (s->s_tid == 0 || host - s->s_left >= AGAIN_NS)
			break;
	if (s == sleepers + SLEEPERS_MAX)
		return NULL;
	sleeper_end(s);
	nsleepers++;
	memset(s, 0, sizeof(*s));
	s->s_tid = it_task_tid(t);
	s->s_nr = t->t_nr;
	memcpy(s->s_args, t->t_args, sizeof(s->s_args));
	s->s_end = ns < UINT64_MAX - now ? now + ns : UINT64_MAX;
	/* A sleep shorter than a slice would only add stops: it waits for
	 * the other threads' waits and sleeps alone. */
	s->s_until = ns < SLICE_MIN_NS ? host :
	    host + (ns < QUIESCE_CAP_NS ? ns : QUIESCE_CAP_NS);
	s->s_slice = SLICE_MIN_NS;
	s->s_left = host;
	return s;
}

/*
 * A slice's end.  Slept out: the call goes back to the table, which
 * looks again.  Cut by a signal: the sleep ends there, at its end, as a
 * thread's only sleep does (deadline.c's yield_done).
 */
static long
slice_done(struct it_task *t, long r, void *arg)
{
	struct sleeper	*s = arg;

	if (s->s_tid != it_task_tid(t))
		return r;
	s->s_left = deadline_host_now();
	if (r == 0) {
		s->s_again = 1;
		return IT_RUN_AGAIN;
	}
	deadline_woke(t);
	sleeper_end(s);
	sandbox_sleep_until(s->s_end);
	return 0;
}

uint64_t
quiesce_sleep(struct it_task *t, uint64_t *ns, int form)
{
	struct sleeper	*s;
	uint64_t	 host, now, until, y;

	/* A sleep that yields again for another process (runwaits.c). */
	if ((y = deadline_resumed(t, form)) != 0)
		return y;
	/* Alone, and no sleep begun among threads: as it always was. */
	if (task_count() < 2 && nsleepers == 0)
		return 0;
	host = deadline_host_now();
	if ((s = sleeper_find(t, host)) == NULL) {
		if (task_count() < 2 || *ns == 0 ||
		    (s = sleeper_new(t, *ns, host)) == NULL)
			return 0;
	}
	s->s_again = 0;
	now = timers_now();
	if (now >= s->s_end)
		/* Other threads' time has carried the clock past it. */
		y = 0;
	else if (host < s->s_until && others_busy(t)) {
		y = s->s_slice;
		if (s->s_slice < SLICE_MAX_NS)
			s->s_slice *= 2;
		if (y > s->s_until - host)
			y = s->s_until - host;
	} else if (deadline_first(t, s->s_end, host, &until)) {
		/* Another's wait or sleep ends first: until it has, and its
		 * thread has acted on it. */
		y = until > host ? until - host : 0;
		y = y + SLICE_MIN_NS < SLICE_MAX_NS ? y + SLICE_MIN_NS :
		    SLICE_MAX_NS;
		if (s->s_until < until + ACT_NS)
			s->s_until = until + ACT_NS;
		s->s_slice = SLICE_MIN_NS;
	} else
		y = 0;
	if (y != 0) {
		deadline_sleeping(t, s->s_end, host + y);
		if ((y = deadline_yield_as(t, y, form, slice_done, s)) != 0)
			return y;
	}
	/* It ends now: the caller moves the clock to its end. */
	deadline_woke(t);
	sleeper_end(s);
	*ns = now < s->s_end ? s->s_end - now : 0;
	return 0;
}

void
quiesce_gone(struct it_task *t)
{
	struct sleeper	*s;

	for (s = sleepers; nsleepers > 0 && s < sleepers + SLEEPERS_MAX; s++)
		if (s->s_tid == it_task_tid(t))
			sleeper_end(s);
	deadline_woke(t);
}
