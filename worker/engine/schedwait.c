/*
 * A worker's waits under the deterministic schedule (schedule.h): for a
 * stop of the thread it let go, and for the turn.  Both come as signals
 * the worker keeps blocked and takes with sigtimedwait: SIGCHLD for a
 * tracee's stop (the kernel sends its tracer one at each), SCHED_SIG
 * for the turn (schedtab's hand-over sends it), so one wait sees
 * either.
 *
 * A thread that holds the turn and makes no call for PREEMPT_MS of real
 * time is interrupted if it is asleep in a call the schedule did not see
 * would block, or once it has computed PREEMPT_MS more (schedcpu.c): the
 * turn passes at a point the host's timing chose, which is a hazard to
 * determinism; the first is told on stderr, and all are counted for
 * --verify.  A thread alone in the run, with no timer armed, is left to
 * compute: it takes nobody's turn.
 */
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../common/log.h"
#include "shared.h"
#include "engine.h"
#include "schedtab.h"
#include "task.h"

#ifndef PREEMPT_MS
#define PREEMPT_MS	100	/* schedcpu.c says of what */
#endif
#define IDLE_MS		50	/* a waiting worker looks around */
#define SPIN_NS		50000	/* as waitstop.c's, and for the same
				   reason: a halted vCPU wakes slowly */
#define MISSES_MAX	8

static pid_t	 running;	/* the thread this worker let go */
static uint64_t	 run_since;	/* ... at this host time (ns) */
static int	 preempted;	/* ... and has interrupted (1), or found
				   nobody else to run (2) */
static uint64_t	 cpu_mark;	/* ... its CPU time then (schedcpu.c) */
static int	 blocked_sigs;
static unsigned	 misses;	/* waits the spin did not see end */
static pid_t	 spun_pid;	/* a status the spin took */
static int	 spun_st;

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

/* Until a stop or the turn may have come, at most ms: 0 if neither
 * did. */
static int
wait_signal(long ms)
{
	struct timespec	 ts = { ms / 1000, ms % 1000 * 1000000 };
	sigset_t	 s;

	sigemptyset(&s);
	sigaddset(&s, SIGCHLD);
	sigaddset(&s, SCHED_SIG);
	return sigtimedwait(&s, NULL, &ts) != -1;
}

/* The running thread starts its step now. */
static void
started(struct it_task *t)
{
	running = t->t_tid;
	run_since = now_ns();
	preempted = 0;
	cpu_mark = 0;
}

static void
hazard(struct it_task *t, uint64_t ms)
{
	sched_hazard();
	if (__atomic_exchange_n(&sched_run->r_said, 1, __ATOMIC_ACQ_REL))
		return;
	fprintf(stderr, "isotrace: determinism hazard: host thread %d ran "
	    "%llu ms without a system call the schedule could follow (a "
	    "computation, or a call that blocked unseen) and was preempted; "
	    "this run's schedule may not repeat\n", (int)t->t_tid,
	    (unsigned long long)ms);
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
		sched_run->r_exit++;
	}
	sched_give(i < 0 ? -1 : i);
}

void
sched_running(struct it_task *t)
{
	started(t);
	t->t_schedran = -1;
}

/* Whether a thread other than t could go on now, or a timer wait for
 * the clock to move (else t holds no turn another could use). */
static int
others_can_go(const struct it_task *t)
{
	const struct sched_slot	*s;
	uint32_t		 i;
	int			 any = 0;

	sched_lock();
	for (i = 0; i < sched_run->r_run && !any; i++) {
		s = &sched_run->r_slots[i];
		if ((int)i == t->t_sslot - 1)
			continue;
		any = s->s_state == SLOT_RUN || (s->s_state == SLOT_BLOCK &&
		    (s->s_flags & (SF_WOKEN | SF_TIMEDOUT | SF_TIMER |
		    SF_READY)));
	}
	/* A timer armed anywhere (its own alarm, say) is due only if the
	 * clock moves: a cut moves it by the time the computation took. */
	for (i = 0; i < SCHED_WORKERS && !any; i++)
		any = sched_run->r_workers[i].w_pid != 0 &&
		    sched_run->r_workers[i].w_timer != SCHED_NONE;
	sched_unlock();
	return any;
}

/* The running thread's step is over: it stopped and was handled. */
static void
step_over(struct it_task *t)
{
	running = 0;
	sched_lock();
	/* A step the fallback cut took the host's time, not a step's. */
	if (preempted == 1)
		sched_clock_to(sched_run->r_clock + (now_ns() - run_since));
	sched_run->r_cut = preempted == 1;
	sched_publish(t);
	sched_pass(t->t_sslot - 1);
	sched_unlock();
}

/* t, which may hold the turn, is in a group-stop: the kernel, not the
 * schedule, resumes it, so its step is over now. */
void
sched_step_stopped(struct it_task *t)
{
	if (running == t->t_tid)
		step_over(t);
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

/*
 * ISOTRACE_SCHED_TRACE=file: a line per turn given (the step, the
 * thread's slot, the call it goes on with or -1), to compare the
 * schedules of two runs.
 */
static void
trace_turn(const struct it_task *t)
{
	static int	 fd = -2;
	const char	*path;
	char		 line[96];
	int		 n;

	if (fd == -2)
		fd = (path = getenv("ISOTRACE_SCHED_TRACE")) == NULL ? -1 :
		    open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	n = snprintf(line, sizeof(line), "%llu %d %ld\n",
	    (unsigned long long)sched_run->r_steps, t->t_sslot - 1,
	    t->t_schednext);
	if (n > 0 && write(fd, line, (size_t)n) != n)
		log_debug("sched trace: %s", strerror(errno));
}

/*
 * A worker that died (a crash; the supervisor kills its process) holds
 * its threads' slots and maybe the turn: a worker that finds the turn
 * idle for long looks, frees them, and passes the turn on.
 */
static void
orphans(void)
{
	struct sched_slot	*s;
	uint32_t		 k;
	int			 i, wi;

	sched_lock();
	i = sched_run->r_turn;
	if (i >= 0 && (wi = sched_run->r_slots[i].s_worker) >= 0 &&
	    wi != sched_me() && shared_gone(sched_run->r_workers[wi].w_pid)) {
		log_debug("sched: worker %d gone with the turn",
		    (int)sched_run->r_workers[wi].w_pid);
		for (k = 0; k < sched_run->r_run; k++) {
			s = &sched_run->r_slots[k];
			if (s->s_state != SLOT_FREE && s->s_worker == wi) {
				s->s_state = SLOT_FREE;
				s->s_worker = -1;
			}
		}
		sched_run->r_workers[wi].w_timer = SCHED_NONE;
		sched_run->r_workers[wi].w_pid = 0;	/* free for another */
		sched_run->r_io++;
		sched_run->r_sig++;
		sched_run->r_exit++;
		sched_pass(-1);
	}
	sched_unlock();
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
	started(t);
	t->t_schedran = t->t_schednext;
	trace_turn(t);
	if (t->t_flags & T_SCHED) {
		t->t_flags &= ~T_SCHED;
		task_resume_now(t);
	}
}

/* Whether the turn is this worker's, at a glance (no lock). */
static int
turn_here(void)
{
	int	 i = __atomic_load_n(&sched_run->r_turn, __ATOMIC_ACQUIRE);

	return i >= 0 && __atomic_load_n(&sched_run->r_slots[i].s_worker,
	    __ATOMIC_RELAXED) == sched_me();
}

/*
 * Before sleeping, look for a stop (running) or the turn for SPIN_NS,
 * yielding the CPU at each look, unless the last waits all took longer.
 * While it spins for the turn the worker says so, and a hand-over to it
 * needs no signal (sched.c's sched_give); it looks once more after it
 * stops saying so, so that no hand-over is missed.
 */
static int
spin(int for_turn)
{
	struct sched_worker	*w = &sched_run->r_workers[sched_me()];
	uint64_t		 start = now_ns();
	int			 seen = 0;

	if (misses >= MISSES_MAX)
		goto out;
	if (for_turn)
		__atomic_store_n(&w->w_spinning, 1, __ATOMIC_SEQ_CST);
	do {
		if (for_turn ? turn_here() : (spun_pid = waitpid(-1,
		    &spun_st, __WALL | WNOHANG)) != 0) {
			seen = 1;
			break;
		}
		sched_yield();
	} while (now_ns() - start < SPIN_NS);
	if (for_turn)
		__atomic_store_n(&w->w_spinning, 0, __ATOMIC_SEQ_CST);
out:
	if (!seen && for_turn)
		seen = turn_here();
	if (seen)
		misses = 0;
	else if (misses < MISSES_MAX)
		misses++;
	return seen;
}

pid_t
sched_wait(int *st)
{
	struct it_task	*t;
	uint64_t	 ran;
	pid_t		 pid;

	block_sigs();
	for (;;) {
		if (spun_pid != 0) {
			pid = spun_pid;
			*st = spun_st;
			spun_pid = 0;
			return pid;
		}
		if ((pid = waitpid(-1, st, __WALL | WNOHANG)) != 0)
			return pid;
		if (running != 0) {
			if ((t = task_find(running)) == NULL) {
				running = 0;	/* gone: the turn was passed */
				continue;
			}
			/* Held at its next stop, or in a group-stop (the
			 * kernel, not the schedule, resumes it): its step is
			 * over. */
			if ((t->t_flags & T_SCHED) || (sched_slot(t) != NULL &&
			    sched_slot(t)->s_state == SLOT_STOPPED)) {
				step_over(t);
				continue;
			}
			ran = (now_ns() - run_since) / 1000000;
			/* Alone, it takes nobody's turn: no cut, no hazard
			 * (a lone thread's time stays the same every run). */
			if (ran >= PREEMPT_MS && !preempted &&
			    !others_can_go(t))
				preempted = 2;	/* looked: none */
			if (ran >= PREEMPT_MS && !preempted &&
			    schedcpu_overdue(t->t_tid, PREEMPT_MS, &cpu_mark)) {
				preempted = 1;
				hazard(t, ran);
				if (ptrace(PTRACE_INTERRUPT, t->t_tid, NULL,
				    NULL) == -1 && errno != ESRCH)
					log_warn("interrupt %d", (int)t->t_tid);
			}
			if (!spin(0))
				wait_signal(preempted ? IDLE_MS :
				    ran >= PREEMPT_MS ? PREEMPT_MS / 10 :
				    (long)(PREEMPT_MS - ran) + 1);
			continue;
		}
		if ((t = turn_task()) != NULL) {
			grant(t);
			continue;
		}
		if (!spin(1) && !wait_signal(IDLE_MS))
			orphans();
	}
}
