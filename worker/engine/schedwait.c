/*
 * A worker's waits under the deterministic schedule (sched.h): for a
 * stop of the thread it let go, and for the turn.  Both come as signals
 * the worker keeps blocked and takes with sigtimedwait: SIGCHLD for a
 * tracee's stop (the kernel sends its tracer one at each), SCHED_SIG
 * for the turn (schedtab's hand-over sends it), so one wait sees
 * either.
 *
 * A thread that holds the turn and makes no call for PREEMPT_MS of real
 * time (it computes, or it is blocked in a call the schedule did not see
 * would block) is interrupted: the turn passes at a point the host's
 * timing chose, which is a hazard to determinism; the first is told on
 * stderr, and all are counted for --verify.
 */
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <stdlib.h>
#include <fcntl.h>

#include "../../common/log.h"
#include "../sandbox/sandbox.h"
#include "engine.h"
#include "schedtab.h"
#include "task.h"

#ifndef PREEMPT_MS
#define PREEMPT_MS	100
#endif
#define IDLE_MS		50	/* a waiting worker looks around */

static pid_t	 running;	/* the thread this worker let go */
static uint64_t	 run_since;	/* ... at this host time (ns) */
static int	 preempted;	/* ... and has interrupted */
static int	 blocked_sigs;

static uint64_t
now_ns(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
}

static void
block_sigs(void)
{
	sigset_t	 s;

	if (blocked_sigs)
		return;
	sigemptyset(&s);
	sigaddset(&s, SIGCHLD);
	sigaddset(&s, SCHED_SIG);
	if (sigprocmask(SIG_BLOCK, &s, NULL) == -1)
		fatal("sigprocmask");
	blocked_sigs = 1;
}

/* Until a stop or the turn may have come, at most ms. */
static void
wait_signal(long ms)
{
	struct timespec	 ts = { ms / 1000, ms % 1000 * 1000000 };
	sigset_t	 s;

	sigemptyset(&s);
	sigaddset(&s, SIGCHLD);
	sigaddset(&s, SCHED_SIG);
	(void)sigtimedwait(&s, NULL, &ts);
}

static void
hazard(struct it_task *t, uint64_t ms)
{
	__atomic_add_fetch(&sched_run->r_hazards, 1, __ATOMIC_RELAXED);
	if (__atomic_exchange_n(&sched_run->r_said, 1, __ATOMIC_ACQ_REL))
		return;
	fprintf(stderr, "isotrace: determinism hazard: thread %d ran %llu ms "
	    "without a system call and was preempted by the real-time "
	    "fallback; this run's schedule may not repeat\n",
	    (int)t->t_tid, (unsigned long long)ms);
}

/* The turn passes on from slot cur (its step is over), at least to a
 * thread of the world outside: while every thread waits for it, the
 * world is looked at again and again, less and less often. */
void
sched_pass(int cur)
{
	long	 ms = 1;
	int	 i;

	while ((i = sched_pick(cur)) == -1) {
		sched_unlock();
		wait_signal(ms);
		if (ms < 64)
			ms *= 2;
		sched_lock();
		sched_run->r_io++;
		sched_run->r_sig++;
	}
	sched_give(i < 0 ? -1 : i);
}

void
sched_running(struct it_task *t)
{
	running = t->t_tid;
	run_since = now_ns();
	preempted = 0;
	t->t_schedran = -1;
}

/* The running thread's step is over: it stopped and was handled. */
static void
step_over(struct it_task *t)
{
	running = 0;
	sched_lock();
	/* A step the fallback cut took the host's time, not a step's. */
	if (preempted)
		sched_clock_to(sched_run->r_clock + (now_ns() - run_since));
	sched_run->r_cut = preempted;
	sched_publish(t);
	sched_pass(t->t_sslot - 1);
	sched_unlock();
}

/* The task of the turn's slot, if it is this worker's. */
static struct it_task *
turn_task(void)
{
	struct sched_slot	*s;
	struct it_task		*t = NULL;
	int			 i;

	sched_lock();
	i = sched_run->r_turn;
	if (i >= 0 && (s = &sched_run->r_slots[i])->s_worker == sched_me() &&
	    s->s_state != SLOT_FREE) {
		if ((t = task_find(s->s_tid)) == NULL && !shared_gone(s->s_tid))
			/* Not seen here yet (a new thread before its first
			 * stop): wait for it. */
			t = NULL;
		else if (t == NULL) {
			/* Gone without its end seen: nobody else will. */
			s->s_state = SLOT_FREE;
			sched_pass(-1);
		}
	}
	sched_unlock();
	return t;
}

/* t holds the turn: let it go, after its blocked call is looked at. */
static void
grant(struct it_task *t)
{
	struct sched_slot	*s = sched_slot(t);

	if (s->s_state == SLOT_BLOCK) {
		if (s->s_flags & SF_TIMER)
			sched_timers_due();
		engine_again(t);
		if ((s = sched_slot(t)) == NULL)
			return;		/* gone meanwhile */
		if (s->s_state == SLOT_BLOCK) {
			/* Still blocked: the turn goes on, no step made. */
			sched_lock();
			sched_pass(t->t_sslot - 1);
			sched_unlock();
			return;
		}
	}
	if (sched_run->r_workers[sched_me()].w_timer <= sched_clock())
		sched_timers_due();
	running = t->t_tid;
	run_since = now_ns();
	preempted = 0;
	t->t_schedran = t->t_schednext;
	{
		static int tfd = -2;
		char b[160];
		if (tfd == -2) { const char *e = getenv("ISOTRACE_SCHED_TRACE"); tfd = e ? open(e, O_WRONLY|O_APPEND|O_CREAT, 0644) : -1; }
		if (tfd >= 0) { int n = snprintf(b, sizeof b, "%llu slot %d nr %ld st %d\n", (unsigned long long)sched_run->r_steps, t->t_sslot - 1, t->t_schednext, t->t_stop); (void)!write(tfd, b, (size_t)n); }
	}
	if (t->t_flags & T_SCHED) {
		t->t_flags &= ~T_SCHED;
		task_resume_now(t);
	}
}

pid_t
sched_wait(int *st)
{
	struct it_task	*t;
	uint64_t	 ran;
	pid_t		 pid;

	block_sigs();
	for (;;) {
		if ((pid = waitpid(-1, st, __WALL | WNOHANG)) != 0)
			return pid;
		if (running != 0) {
			if ((t = task_find(running)) == NULL) {
				running = 0;	/* gone: the turn was passed */
				continue;
			}
			if (t->t_flags & T_SCHED) {
				step_over(t);
				continue;
			}
			ran = (now_ns() - run_since) / 1000000;
			if (ran >= PREEMPT_MS && !preempted) {
				preempted = 1;
				hazard(t, ran);
				if (ptrace(PTRACE_INTERRUPT, t->t_tid, NULL,
				    NULL) == -1 && errno != ESRCH)
					log_warn("interrupt %d", (int)t->t_tid);
			}
			wait_signal(preempted ? IDLE_MS :
			    (long)(PREEMPT_MS - ran) + 1);
			continue;
		}
		if ((t = turn_task()) != NULL) {
			grant(t);
			continue;
		}
		wait_signal(IDLE_MS);
	}
}
