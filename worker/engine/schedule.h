/*
 * --schedule=deterministic and --chaos: the threads of every process of
 * the run take turns, one at a time, switching at their stops (every
 * system call traps in this mode).  Which thread runs next depends only
 * on the run's own history and the seed.  A thread whose call would
 * block leaves the runnable set and comes back when its call can
 * complete; when no thread can run, the run's one logical clock jumps to
 * the earliest deadline.
 *
 * sched.c keeps the run's table (shared by every worker, mapped by the
 * supervisor before it forks any) and hands the turn over; schedpick.c
 * chooses; schedcall.c tells a call that would block and emulates the
 * waits; schedwait.c waits for stops and for the turn.
 */
#ifndef SCHEDULE_H
#define SCHEDULE_H

#include <sys/types.h>
#include <stdint.h>

enum sched_mode {
	SCHED_HOST,		/* the host's scheduler (the default) */
	SCHED_DETERMINISTIC,	/* turns in an order fixed by the seed */
	SCHED_CHAOS,		/* the same, with adversarial priorities */
};

struct it_task;

/* The supervisor, once, before any worker: the run's table. */
void		 sched_setup(enum sched_mode, uint64_t seed);
/* Whether this run takes turns (workers and supervisor). */
int		 sched_on(void);
/* Preemptions by the real-time fallback so far (the hazards); --verify
 * has each run count them into a word of its own, set before the run's
 * supervisor starts (inherited by its workers). */
unsigned	 sched_hazards(void);
void		 sched_count_hazards(unsigned *);

/* A signal came from outside the run: held waits look again. */
void		 sched_signalled(void);

/* The run's logical clock: ns since the epoch, one for every process. */
uint64_t	 sched_clock(void);
/* The clock moves on to ns (never back). */
void		 sched_clock_to(uint64_t ns);
/* The clock at the start of the run, set by its first process. */
void		 sched_clock_init(uint64_t ns);

/*
 * The engine's side.  sched_trace: a process this worker now traces
 * (root: the run's first, whose thread holds the first turn).  A task
 * the engine would resume is held (sched_hold) until its turn; the
 * engine's loop asks sched_next for what to do after every status.
 */
void		 sched_trace(struct it_task *, int root);
void		 sched_new_task(struct it_task *creator, pid_t tid,
		    pid_t tgid);
void		 sched_hold(struct it_task *);
void		 sched_gone(struct it_task *, int wstatus);
void		 sched_exec(struct it_task *, pid_t former);
/* A group-stop: out of the schedule until the kernel resumes it. */
void		 sched_stopped(struct it_task *);
/* A vfork's parent waits for its child's exec or end (the kernel holds
 * it until then); sched_unblock lets it go once it has come. */
void		 sched_vfork(struct it_task *, pid_t child);
void		 sched_unblock(struct it_task *);
/* set_tid_address: the word the kernel clears and wakes at t's end. */
void		 sched_clear_tid(struct it_task *, uint64_t addr);
/* Wait for the next status of this worker's tasks, the turn taken
 * first when it is this worker's: like waitpid(-1, st, __WALL). */
pid_t		 sched_wait(int *st);
/* The process this worker traces is gone: its slots are freed. */
void		 sched_done(void);

/*
 * schedcall.c: a call at its entry stop, before the table sees it.
 * SCHED_CALL_RUN: handle it as usual; SCHED_CALL_BLOCKED: it would
 * block, the thread waits at this stop (sched_hold it); else the call's
 * result, emulated (the kernel skips it).  A call held so (T_SCHEDBLK)
 * comes back here when the thread gets the turn again.
 */
#define SCHED_CALL_RUN		(-4096 - 1)
#define SCHED_CALL_BLOCKED	(-4096 - 2)
long		 sched_call(struct it_task *);

/*
 * What the calls mean is the layer's that keeps the run's time (the
 * sandbox): sh_call answers sched_call; sh_step tells the table what a
 * step now over may have changed (schedtab.h's r_io, r_sig, w_timer);
 * sh_timers fires the timers of this worker's process that are due.
 */
struct sched_hooks {
	long	(*sh_call)(struct it_task *);
	void	(*sh_step)(struct it_task *);
	void	(*sh_timers)(void);
};
void		 sched_hooks(const struct sched_hooks *);

#endif
