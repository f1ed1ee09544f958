/*
 * Who goes next (schedule.h).  The candidates are the threads that can go
 * on: held at a stop, or blocked in a call that can now complete (woken,
 * timed out, or found ready).  With none, the run's clock jumps to the
 * earliest deadline of a blocked call or of a process's timer, and those
 * due are the candidates.
 *
 * --schedule=deterministic: the thread that just ran keeps the turn with
 * probability 7/8 (fewer hand-overs between workers), else a candidate
 * drawn from the seed's stream.  --chaos: the candidate of highest
 * priority goes; each thread gets a random priority when it is made, and
 * at random change points (one step in 16) the running thread's drops
 * below every first priority: the priority schedule with change points
 * of Burckhardt et al. (ASPLOS 2010), which finds an ordering bug of
 * depth d with a probability that a few seeds make large.
 */
#include <stdint.h>

#include "schedtab.h"

#define STEP_NS		1000	/* the clock's move per step */
#define KEEP_ONE_IN	8	/* deterministic: a switch per this many */
#define CHANGE_ONE_IN	4	/* chaos: a change point per this many */
#define PRIO_LOW	1024	/* chaos: priorities after a change point
				   are below this, first ones above */

uint64_t
sched_rand(void)
{
	uint64_t	 z = (sched_run->r_rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void
sched_prio_new(struct sched_slot *s)
{
	s->s_prio = PRIO_LOW + (uint32_t)(sched_rand() % (UINT32_MAX / 2));
}

/* Whether slot i can go on now. */
static int
candidate(uint32_t i)
{
	struct sched_slot	*s = &sched_run->r_slots[i];

	switch (s->s_state) {
	case SLOT_RUN:
		return 1;
	case SLOT_BLOCK:
		if (s->s_deadline <= sched_run->r_clock)
			s->s_flags |= SF_TIMEDOUT;
		if (s->s_flags & (SF_WOKEN | SF_TIMEDOUT | SF_TIMER |
		    SF_READY))
			return 1;
		/* sched_ready looks only at what changed since its last
		 * look: a slot found ready but not chosen keeps it. */
		if (!sched_ready(s))
			return 0;
		s->s_flags |= SF_READY;
		return 1;
	}
	return 0;
}

/* The processes whose timer is due at now: the turn goes to one of
 * their blocked threads, which looks again once its worker has fired
 * it (a process with a thread that can go fires it at its turn). */
static int
timers_due(uint64_t now)
{
	struct sched_worker	*w;
	struct sched_slot	*s;
	uint32_t		 i, k;
	int			 n = 0;

	for (i = 0; i < SCHED_WORKERS; i++) {
		w = &sched_run->r_workers[i];
		if (w->w_pid == 0 || w->w_timer > now)
			continue;
		for (k = 0; k < sched_run->r_run; k++) {
			s = &sched_run->r_slots[k];
			if (s->s_state == SLOT_BLOCK && s->s_worker == (int)i) {
				s->s_flags |= SF_TIMER;
				w->w_timer = SCHED_NONE;
				n++;
				break;
			}
		}
	}
	return n;
}

/* No candidate: the clock to the earliest deadline, whose slots are
 * then due.  0 when there is no deadline at all. */
static int
jump(void)
{
	struct sched_slot	*s;
	uint64_t		 d = SCHED_NONE;
	uint32_t		 i;
	int			 n = 0;

	for (i = 0; i < sched_run->r_run; i++) {
		s = &sched_run->r_slots[i];
		if (s->s_state == SLOT_BLOCK && s->s_deadline < d)
			d = s->s_deadline;
	}
	for (i = 0; i < SCHED_WORKERS; i++)
		if (sched_run->r_workers[i].w_pid != 0 &&
		    sched_run->r_workers[i].w_timer < d)
			d = sched_run->r_workers[i].w_timer;
	if (d == SCHED_NONE)
		return 0;
	sched_clock_to(d);
	for (i = 0; i < sched_run->r_run; i++) {
		s = &sched_run->r_slots[i];
		if (s->s_state == SLOT_BLOCK && s->s_deadline <= d) {
			s->s_flags |= SF_TIMEDOUT;
			n++;
		}
	}
	n += timers_due(d);
	sched_run->r_sig++;
	return n > 0;
}

static int
choose_det(int cur, const uint32_t *cand, uint32_t n)
{
	uint32_t	 k;

	/* Cut by the fallback, it computes: another goes first. */
	if (sched_run->r_cut && n > 1) {
		k = (uint32_t)(sched_rand() % (n - 1));
		return (int)(cand[k] == (uint32_t)cur ? cand[n - 1] : cand[k]);
	}
	if (cur >= 0 && sched_rand() % KEEP_ONE_IN != 0)
		for (k = 0; k < n; k++)
			if (cand[k] == (uint32_t)cur)
				return cur;
	return (int)cand[sched_rand() % n];
}

static int
choose_chaos(int cur, const uint32_t *cand, uint32_t n)
{
	struct sched_slot	*s;
	uint32_t		 k, best = cand[0];

	/* A change point, at a step where the choice matters: the thread
	 * that ran drops below every other, the latest lowest. */
	if (cur >= 0 && n > 1 && (sched_run->r_cut ||
	    sched_rand() % CHANGE_ONE_IN == 0)) {
		s = &sched_run->r_slots[cur];
		s->s_prio = sched_run->r_low > 0 ? --sched_run->r_low : 0;
	}
	for (k = 1; k < n; k++)
		if (sched_run->r_slots[cand[k]].s_prio >
		    sched_run->r_slots[best].s_prio)
			best = cand[k];
	return (int)best;
}

int
sched_pick(int cur)
{
	uint32_t	 cand[SCHED_SLOTS], n = 0, i, live = 0;
	uint64_t	 clock = sched_run->r_clock;

	sched_run->r_steps++;
	sched_clock_to(sched_run->r_clock + STEP_NS);
	(void)timers_due(sched_run->r_clock);
	for (;;) {
		for (i = 0; i < sched_run->r_run; i++) {
			if (sched_run->r_slots[i].s_state != SLOT_FREE)
				live++;
			if (candidate(i))
				cand[n++] = i;
		}
		if (n > 0 || !jump())
			break;
		live = 0;
	}
	if (n == 0) {
		/* No step: how long the world outside takes is not seen. */
		sched_run->r_steps--;
		sched_run->r_clock = clock;
		return live > 0 ? -1 : -2;
	}
	if (sched_run->r_mode == SCHED_CHAOS)
		return choose_chaos(cur, cand, n);
	return choose_det(cur, cand, n);
}
