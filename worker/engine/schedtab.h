/*
 * The run's table for the deterministic schedule (schedule.h), as its
 * files see it: one page set the supervisor maps before any worker is
 * forked.  Every change is made under r_lock; the turn's holder is the
 * only worker that moves the clock or hands the turn on, so the order of
 * changes is the order of turns.
 */
#ifndef SCHEDTAB_H
#define SCHEDTAB_H

#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/types.h>

#include "schedule.h"

#define SCHED_SLOTS	512	/* threads alive at once in the run */
#define SCHED_WORKERS	256	/* workers that ever traced a process */
#define SCHED_FDS	8	/* descriptors a blocked poll is watched by */
#define SCHED_NONE	UINT64_MAX	/* no deadline */

enum slot_state {
	SLOT_FREE,
	SLOT_RUN,		/* held at a stop, ready to go on */
	SLOT_BLOCK,		/* held at a call that would block */
	SLOT_STOPPED,		/* in a group-stop: the kernel resumes it */
};

/* What a blocked thread's call waits for (besides a signal). */
enum block_kind {
	BK_SLEEP,		/* its deadline only */
	BK_FUTEX,		/* a wake of (tgid, address), or its value */
	BK_FDS,			/* one of b_fd ready for b_ev */
	BK_CHILD,		/* a child of its process to wait for */
	BK_SIGNAL,		/* a signal only (pause, sigsuspend) */
	BK_VFORK,		/* its vfork child's exec or end */
	BK_LOCK,		/* a file lock on b_fd[0] (flock, fcntl) */
	BK_ANY,			/* anything: its worker looks again */
	BK_FIFO,		/* as BK_ANY: a FIFO's (b_val: device,
				   b_addr: inode) writer at its open
				   (b_bits O_WRONLY), or reader waiting
				   for it (O_RDONLY) */
};

/* Which signals interrupt a blocked call. */
enum block_mask {
	BM_THREAD,		/* those the thread does not block */
	BM_MASK,		/* those b_mask does not (sigsuspend, ppoll) */
	BM_WAITSET,		/* b_mask's, blocked or not (sigtimedwait) */
};

/* s_flags */
#define SF_WOKEN	0x01	/* a futex wake or its vfork child: go */
#define SF_TIMEDOUT	0x02	/* the clock passed its deadline */
#define SF_TIMER	0x04	/* its process's timer is due */
#define SF_READY	0x08	/* found ready (fds, signal): it stays a
				   candidate until it has run, for the
				   step that made it ready is not seen
				   again */

struct sched_block {
	int32_t		 b_kind;
	uint32_t	 b_nfd;
	uint64_t	 b_addr;	/* futex word */
	uint32_t	 b_val;		/* ... while it holds this */
	uint32_t	 b_bits;	/* ... and a wake of these bits */
	int32_t		 b_shared;	/* not FUTEX_PRIVATE_FLAG */
	int32_t		 b_child;	/* BK_VFORK: its host tid */
	int32_t		 b_stops;	/* BK_CHILD: stopped children too */
	int32_t		 b_exits;	/* ... ended ones (waitid: WEXITED) */
	int32_t		 b_wpid;	/* ... which: wait4's pid argument,
					   in NSpid's last terms */
	int32_t		 b_wthread;	/* ... only the caller's (__WNOTHREAD) */
	int32_t		 b_maskmode;	/* enum block_mask */
	uint64_t	 b_mask;		/* ... its signal set */
	int32_t		 b_fd[SCHED_FDS];
	int16_t		 b_ev[SCHED_FDS];
	int32_t		 b_lockcmd;	/* BK_LOCK: flock's op, or fcntl's
					   command (F_SETLKW, F_OFD_SETLKW) */
	struct {
		int16_t	 type, whence;
		int64_t	 start, len;
	}		 b_lock;	/* ... and its struct flock */
	uint64_t	 b_since;	/* step it blocked at (wake order) */
	uint64_t	 b_io;		/* r_io when last found blocked */
	uint64_t	 b_sig;		/* r_sig likewise */
};

struct sched_slot {
	int32_t		 s_state;	/* enum slot_state */
	int32_t		 s_tid;		/* host tid */
	int32_t		 s_tgid;
	int32_t		 s_worker;	/* index in r_workers, -1: not yet */
	uint32_t	 s_flags;
	uint32_t	 s_prio;	/* --chaos: higher runs first */
	uint64_t	 s_deadline;	/* run clock, SCHED_NONE */
	uint64_t	 s_ctid;	/* the word the kernel clears and wakes
					   at the thread's end, or 0 */
	struct sched_block s_blk;
};

struct sched_worker {
	int32_t		 w_pid;		/* 0: free */
	uint64_t	 w_timer;	/* its process's next timer, or NONE */
	int32_t		 w_tgid;	/* the process it traces */
	int32_t		 w_spinning;	/* looks for the turn: no signal */
};

struct sched_run {
	pthread_mutex_t	 r_lock;
	int32_t		 r_mode;	/* enum sched_mode */
	int32_t		 r_turn;	/* slot holding the turn, -1: none */
	uint64_t	 r_seed;
	uint64_t	 r_rng;		/* the schedule's own stream */
	uint64_t	 r_clock;	/* ns since 1970, virtual */
	uint64_t	 r_steps;
	uint64_t	 r_io;		/* steps that may have made a call
					   ready (writes, exits, ...) */
	uint64_t	 r_sig;		/* ... or sent a signal */
	uint64_t	 r_exit;	/* ... or ended or stopped a thread
					   (what a wait for a child sees) */
	uint32_t	 r_hazards;	/* real-time preemptions */
	uint32_t	 r_said;	/* the hazard was told */
	uint32_t	 r_run;		/* slot index past the last used */
	uint32_t	 r_switches;	/* hand-overs between workers */
	uint32_t	 r_cut;		/* the step just over was preempted */
	uint32_t	 r_low;		/* --chaos: the last priority dropped to */
	struct sched_worker r_workers[SCHED_WORKERS];
	struct sched_slot r_slots[SCHED_SLOTS];
};

extern struct sched_run	*sched_run;

void	 sched_lock(void);
void	 sched_unlock(void);
/* This worker's index in r_workers (claimed at its first process). */
int	 sched_me(void);
/* schedpick.c: the turn to the next slot, chosen among those that can
 * go (the clock moved to the earliest deadline when none can); -1 when
 * every thread waits for the world outside.  Under the lock. */
int	 sched_pick(int current);
/* schedpick.c: a new slot's place in the chaos order. */
void	 sched_prio_new(struct sched_slot *);
/* The seed's stream (splitmix64). */
uint64_t sched_rand(void);
/* schedready.c: whether blocked slot s can go on now; whether a signal
 * that ends b's wait is pending for thread tid; whether a child of
 * process tgid (of thread tid) that b's wait selects can be waited for
 * (or there is none). */
int	 sched_ready(struct sched_slot *);
int	 sched_signal_ready(pid_t tid, const struct sched_block *b);
int	 sched_children_ready(pid_t tgid, pid_t tid,
	    const struct sched_block *b);
/* schedfd.c: whether descriptor fd of thread tid, of which copy is the
 * worker's copy, is ready for ev as the thread's own poll would say. */
int	 schedfd_ready(pid_t tid, int copy, int fd, short ev);
/* Whether the lock b asks for can be had now (an open file
 * description's lock taken for the thread, which then has it). */
int	 sched_lock_ready(pid_t tid, pid_t tgid, const struct sched_block *b);

/* Hands the turn to slot i (waking its worker). Under the lock. */
void	 sched_give(int i);
/* schedwait.c: the turn passes on from slot cur, to a thread that can
 * go (waiting, lock let go, for the world outside if none can). */
void	 sched_pass(int cur);
/* schedwait.c: t stopped (a group-stop) while it held the turn. */
void	 sched_step_stopped(struct it_task *t);
/* t runs with the turn (the root, at its start). */
void	 sched_running(struct it_task *t);
/* sched.c: a task's slot, filled on first sight; the live slot of
 * host tid, or -1. */
struct sched_slot *sched_slot_for(struct it_task *);
int	 sched_slot_of_tid(pid_t tid);
/* The slot of a task this worker traces, or NULL. */
struct it_task;
struct sched_slot *sched_slot(const struct it_task *);
/* The generation of changes a wait of kind k looks at again after:
 * r_exit for a wait for a child, else r_io (b_io holds it). */
static inline uint64_t
sched_gen(int k)
{
	return k == BK_CHILD ? sched_run->r_exit : sched_run->r_io;
}

/* The hooks' (schedule.h), or nothing without them. */
void	 sched_publish(struct it_task *);
void	 sched_timers_due(void);

/* schedcpu.c: whether thread tid, let go ms of real time ago, is to be
 * preempted now; *mark: 0 at its grant, then the schedule's own. */
int	 schedcpu_overdue(pid_t tid, uint64_t ms, uint64_t *mark);

/* A preemption by the fallback, counted. */
void	 sched_hazard(void);

/* The signal that tells a worker the turn is its. */
#define SCHED_SIG	SIGURG

#endif
