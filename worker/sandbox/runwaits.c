/*
 * The timed waits under way in every process of the run, so that a
 * process's sleep does not overtake another's timeout.  Each process has
 * its own virtual clock and a pure sleep yields only a moment (deadline.c),
 * so without this a child's "sleep 100" ends long before its parent's
 * 3 s wait for it has timed out: the reverse of the native order.  A
 * worker knows only its own process's waits, so each writes them, with
 * their deadlines on the host's clock (the one clock the processes
 * share), into a table the supervisor maps shared before it forks any
 * worker; a sleep of another process reads it.
 *
 * A sleep that began before the wait did not see it: when its yield ends
 * it looks again, and yields again (its call sent back to the table,
 * which comes to runwaits_resumed before it moves the clock) while a
 * wait begun meanwhile comes before the sleep's end.  A wait that a busy
 * process has yet to begin would come too late for that look: while
 * another process of the run may still act (runbusy.c) the sleep yields
 * in slices, as quiesce.c's among threads, and looks at the waits only
 * once they are all blocked, or have computed for the sleep's length or
 * 1 s (of CPU time: a loaded host makes it longer in real time, up to
 * 10 s).  After a wait it yielded for, the process that acts on its
 * timeout gets as long again.
 *
 * No lock, as in pstart.c: a slot is claimed by swapping its tid for -1
 * and published by storing the tid back.  A slot that a dead thread or
 * worker left behind is harmless once its deadline has passed, and is
 * then free for another.
 */
#include <stdint.h>
#include <string.h>

#include "../../common/log.h"
#include "../engine/task.h"
#include "sandbox.h"

#define MS		1000000ULL
#define SLOTS		256
#define ACT_NS		(20 * MS)	/* as deadline.c's */
#define WAKE_NS		(1 * MS)	/* as deadline.c's */
#define AGAIN_NS	(1000 * MS)	/* as quiesce.c's */
/* As quiesce.c's: a process that never blocks holds a sleep for its own
 * length at most, and at most this much of CPU time, or of real time
 * (a stop that its worker keeps for itself). */
#ifndef BUSY_CAP_NS
#define BUSY_CAP_NS	(1000 * MS)
#endif
#define BUSY_REAL_NS	(10 * BUSY_CAP_NS)
#define SLICE_MIN_NS	(1 * MS)
#define SLICE_MAX_NS	(16 * MS)
/* A stop its worker keeps, seen that long, is no stop being handled. */
#define HELD_NS		(20 * MS)
#define SLEEPS_MAX	64

/* One thread's timed wait. */
struct slot {
	int32_t		 s_tid;		/* host tid; 0 free, -1 being set */
	int32_t		 s_pid;		/* its host process */
	uint64_t	 s_host;	/* CLOCK_MONOTONIC deadline */
};

static struct slot	*slots;

/* This worker's sleeps in a yield, by thread, to look again at its end. */
struct sleep {
	pid_t		 sl_tid;
	int		 sl_again;	/* its call comes back to the table */
	long		 sl_nr;		/* ... as this call, these arguments */
	uint64_t	 sl_args[6];
	uint64_t	 sl_end;	/* host: where the sleep ends */
	uint64_t	 sl_left;	/* host: when its last yield ended */
	uint64_t	 sl_y;		/* the next yield */
	uint64_t	 sl_since;	/* host: it waits for busy processes
					   since then (0: it does not) */
	uint64_t	 sl_slice;	/* the next slice, ns */
	uint64_t	 sl_cap;	/* CPU time they may have meanwhile */
	int		 sl_done;	/* it waits for them no more */
	uint64_t	 sl_held;	/* host: the looks have seen one held at
					   a stop since then (0: none) */
	struct runbusy	 sl_busy;
};
static struct sleep	 sleeps[SLEEPS_MAX];

void
runwaits_setup(void)
{
	if (slots != NULL)
		return;
	slots = shared_map(SLOTS * sizeof(*slots));
}

static uint64_t
add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/*
 * Claim slot i for tid at host time now: a free one, tid's own, or one
 * whose deadline has passed (with the wake-up's delay: it no longer holds
 * back any sleep).  With force, also one whose process is gone whatever
 * its deadline, for an endless wait's would never pass.
 */
static int
claim(uint32_t i, int32_t tid, uint64_t now, int force)
{
	int32_t		 old;

	old = __atomic_load_n(&slots[i].s_tid, __ATOMIC_ACQUIRE);
	if (old < 0 || (old != 0 && old != tid &&
	    add(slots[i].s_host, WAKE_NS) > now && (!force ||
	    !shared_gone(slots[i].s_pid))))
		return 0;
	return __atomic_compare_exchange_n(&slots[i].s_tid, &old, -1, 0,
	    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

/* The thread t's timed wait ends at host (CLOCK_MONOTONIC) time. */
void
runwaits_add(struct it_task *t, uint64_t host)
{
	int32_t		 tid = it_task_tid(t);
	uint64_t	 now;
	uint32_t	 i, k;
	int		 force;

	if (slots == NULL)
		return;		/* no supervisor: a unit test */
	runwaits_del(t);
	now = deadline_host_now();
	for (force = 0; force < 2; force++)
		for (k = 0; k < SLOTS; k++) {
			i = ((uint32_t)tid + k) % SLOTS;
			if (!claim(i, tid, now, force))
				continue;
			slots[i].s_pid = it_task_pid(t);
			slots[i].s_host = host;
			__atomic_store_n(&slots[i].s_tid, tid,
			    __ATOMIC_RELEASE);
			return;
		}
	log_debug("tid %d: no slot for its timed wait", (int)tid);
}

/* t's wait is over (or t is gone). */
void
runwaits_del(struct it_task *t)
{
	int32_t		 tid = it_task_tid(t), old;
	uint32_t	 i;

	/* A plain read first: a locked exchange on every slot would take
	 * each one's cache line from the other workers. */
	for (i = 0; slots != NULL && i < SLOTS; i++)
		if ((old = __atomic_load_n(&slots[i].s_tid,
		    __ATOMIC_RELAXED)) == tid)
			(void)__atomic_compare_exchange_n(&slots[i].s_tid,
			    &old, 0, 0, __ATOMIC_RELEASE, __ATOMIC_RELAXED);
}

/*
 * How long a sleep of ns by t, starting at host time now, must really
 * last for the timed waits of the run's other processes whose deadlines
 * come before its end to time out first: until the last of them has
 * passed, and a little more (at most what the sleep goes beyond it) for
 * its process to act on it, as deadline.c's yield_ns among threads.
 * 0 when there is none; the caller cuts it at ns.
 */
uint64_t
runwaits_yield(struct it_task *t, uint64_t ns, uint64_t now)
{
	int32_t		 tid, pid = it_task_pid(t);
	uint64_t	 end = add(now, ns), at, after, y = 0;
	uint32_t	 i;

	for (i = 0; slots != NULL && i < SLOTS; i++) {
		tid = __atomic_load_n(&slots[i].s_tid, __ATOMIC_ACQUIRE);
		if (tid <= 0 || slots[i].s_pid == pid)
			continue;
		at = slots[i].s_host;
		if (__atomic_load_n(&slots[i].s_tid, __ATOMIC_ACQUIRE) != tid ||
		    at <= now || at > end)
			continue;
		/* A worker killed with its process leaves its slots. */
		if (shared_gone(slots[i].s_pid))
			continue;
		after = end - at < ACT_NS ? end - at : ACT_NS;
		if (at - now + after > y)
			y = at - now + after;
	}
	return y;
}

static struct sleep *
sleep_of(struct it_task *t, int make)
{
	struct sleep	*sl, *slot = NULL;

	for (sl = sleeps; sl < sleeps + SLEEPS_MAX; sl++) {
		if (sl->sl_tid == it_task_tid(t))
			return sl;
		if (slot == NULL && sl->sl_tid == 0)
			slot = sl;
	}
	if (make && slot != NULL)
		slot->sl_tid = it_task_tid(t);
	return make ? slot : NULL;
}

/* t yields in a sleep of ns that began at host time now. */
void
runwaits_sleeping(struct it_task *t, uint64_t ns, uint64_t now)
{
	struct sleep	*sl;

	if (slots == NULL || (sl = sleep_of(t, 1)) == NULL)
		return;
	sl->sl_again = 0;
	sl->sl_nr = t->t_nr;
	memcpy(sl->sl_args, t->t_args, sizeof(sl->sl_args));
	sl->sl_end = add(now, ns);
	/* A sleep shorter than a slice would only add stops. */
	sl->sl_done = ns < SLICE_MIN_NS;
	sl->sl_since = 0;
	sl->sl_held = 0;
}

/*
 * The next yield of sl, at host time now and left before its end, while
 * another process may still act, or 0.  A thread at a stop that its
 * worker keeps counts for HELD_NS: the kernel shows a stop just begun so
 * for a moment before its worker wakes, and a worker waits for a new
 * child's first stop, or an injected call's end, with its thread held.
 */
static uint64_t
busy_slice(struct it_task *t, struct sleep *sl, uint64_t now, uint64_t left)
{
	uint64_t	 y;
	int		 b;

	if (sl->sl_done)
		return 0;
	if (sl->sl_since == 0) {
		memset(&sl->sl_busy, 0, sizeof(sl->sl_busy));
		sl->sl_slice = SLICE_MIN_NS;
		sl->sl_cap = left < BUSY_CAP_NS ? left : BUSY_CAP_NS;
	}
	b = runbusy_look(it_task_pid(t), &sl->sl_busy);
	if (b != RUNBUSY_HELD)
		sl->sl_held = 0;
	else if (sl->sl_held == 0)
		sl->sl_held = now;
	if (b == RUNBUSY_QUIET || (b == RUNBUSY_HELD &&
	    now - sl->sl_held >= HELD_NS)) {
		sl->sl_held = 0;
		return 0;
	}
	if (sl->sl_since == 0)
		sl->sl_since = now;
	/* Real time: the sleep's end comes first (left) below 10 s. */
	if (runbusy_spent(&sl->sl_busy) >= sl->sl_cap ||
	    now - sl->sl_since >= BUSY_REAL_NS) {
		sl->sl_done = 1;	/* they compute for ever */
		return 0;
	}
	y = sl->sl_slice;
	if (sl->sl_slice < SLICE_MAX_NS)
		sl->sl_slice *= 2;
	return y;
}

/*
 * t's yield has ended with r: 1 if it ran out and another process may
 * still act, or has a wait begun meanwhile that ends before the sleep
 * does; the call then goes back to the table, for runwaits_resumed.
 */
int
runwaits_again(struct it_task *t, long r)
{
	struct sleep	*sl;
	uint64_t	 now, y;

	if ((sl = sleep_of(t, 0)) == NULL)
		return 0;
	now = deadline_host_now();
	if (r == 0 && sl->sl_end > now) {
		if ((y = busy_slice(t, sl, now, sl->sl_end - now)) == 0 &&
		    (y = runwaits_yield(t, sl->sl_end - now, now)) != 0) {
			/* Its process acts on the timeout: while it runs
			 * it is waited for again, as long. */
			sl->sl_since = 0;
			sl->sl_done = 0;
		}
		if (y != 0) {
			sl->sl_y = y < sl->sl_end - now ? y : sl->sl_end - now;
			sl->sl_again = 1;
			sl->sl_left = now;
			return 1;
		}
	}
	sl->sl_tid = 0;
	return 0;
}

/* The next yield of t's sleep if its call is the one sent back, else 0
 * (and the call is a new one). */
uint64_t
runwaits_resumed(struct it_task *t)
{
	struct sleep	*sl;

	if ((sl = sleep_of(t, 0)) == NULL)
		return 0;
	if (sl->sl_again && sl->sl_nr == t->t_nr &&
	    memcmp(sl->sl_args, t->t_args, sizeof(sl->sl_args)) == 0 &&
	    deadline_host_now() - sl->sl_left < AGAIN_NS) {
		sl->sl_again = 0;
		return sl->sl_y;
	}
	sl->sl_tid = 0;		/* a handler that jumped out of it */
	return 0;
}

/* A thread gone: its sleep and its wait. */
void
runwaits_gone(struct it_task *t)
{
	struct sleep	*sl;

	if ((sl = sleep_of(t, 0)) != NULL)
		sl->sl_tid = 0;
	runwaits_del(t);
}
