/*
 * Virtual timers (timers.c): alarm, setitimer(ITIMER_REAL), the POSIX
 * timers of the wall and monotonic clocks, and timerfds (timerfd.c) are
 * kept by the worker on the process's virtual clock, and fire when that
 * clock passes their deadline.  The kernel never arms them.
 */
#ifndef TIMERS_H
#define TIMERS_H

#include <sys/types.h>
#include <stdint.h>
#include <time.h>

#include <isotrace/isotrace.h>

enum vtimer_kind {
	VT_FREE,
	VT_ITIMER,		/* alarm, setitimer(ITIMER_REAL) */
	VT_POSIX,		/* timer_create */
	VT_TIMERFD,		/* timerfd_create */
};

struct vtimer {
	int		 v_kind;
	int		 v_id;		/* kernel timer id; guest timerfd */
	int		 v_clock;	/* clockid */
	int		 v_notify;	/* SIGEV_SIGNAL, _NONE, _THREAD_ID */
	int		 v_signo;
	pid_t		 v_tid;		/* SIGEV_THREAD_ID: the host tid */
	uint64_t	 v_value;	/* sigev_value */
	uint64_t	 v_deadline;	/* virtual ns (state.c's clock); 0:
					   disarmed */
	uint64_t	 v_interval;
	int		 v_overrun;	/* expirations since the signal went */
	int		 v_overrun_last; /* the delivered signal's overrun */
	int		 v_hostfd;	/* timerfd: the worker's copy of it */
};

extern const struct it_table	 sandbox_timers, sandbox_itimers;

/* state.c: a new process (it has no timers), and the clock moved. */
void		 timers_start(pid_t pid, uint64_t now);
void		 timers_moved(uint64_t now);
/* layer.c: execve (POSIX timers go), a signal about to be delivered,
 * the worker about to sleep (1) or awake (0). */
void		 timers_exec(void);
void		 timers_signal(struct it_task *, int sig);
void		 timers_idle(int idle);	/* timerwait.c */
/* time.c: a relative sleep of ns (rem written when it is cut short by
 * a timer's signal: -EINTR), or 0. */
long		 timers_sleep(struct it_task *, uint64_t ns, it_gp_timespec rem);
/* timeouts.c: the same for a wait on no descriptor (0 or -EINTR; left,
 * if not NULL, is what was left of ns). */
long		 timers_nap(struct it_task *, uint64_t ns, uint64_t *left);
/* pids.c and timerwait.c: an rt_sigtimedwait is about to wait; it has
 * returned r (a timer's signal's siginfo is then made the kernel's). */
void		 timers_sigwait(struct it_task *, it_gp_sigset set,
		    it_gp_timespec timeout);
void		 timers_sigwaited(struct it_task *, long r, it_gp_siginfo info);

/* A wait of thread t until end (UINT64_MAX: none) that only a timer can
 * end: the clock moves to the first deadline whose signal ends it,
 * blocked by mask (else t's mask) or waited for in set. */
void		 timers_wait_jump(struct it_task *, uint64_t end,
		    const uint64_t *mask, const uint64_t *set);
/* The clock as it last moved, and the earliest deadline a program can
 * wait for (a signal's or a timerfd's; UINT64_MAX: none). */
uint64_t	 timers_now(void);
uint64_t	 timers_awaited(void);
/* For timerfd.c: the table of timers. */
pid_t		 timers_pid(void);
struct vtimer	*timers_new(enum vtimer_kind);
struct vtimer	*timers_find(enum vtimer_kind, int id);
void		 timers_free(struct vtimer *);
/* A clock the timers follow: 0 and the offset of its reading from the
 * virtual clock; -1 for one left to the kernel (CPU time). */
int		 timers_clock(int clk, int64_t *off);
/* Arms v at the value and interval of its (relative or absolute) its. */
void		 timers_set(struct vtimer *, int abs, const struct itimerspec *);
void		 timers_get(const struct vtimer *, struct itimerspec *);
/* The kernel's check of a timer's value: no negative part, the ns of
 * each below a second. */
int		 timers_valid(const struct itimerspec *);
/* A settime of v to its: the value it had goes to old (if not NULL). */
long		 timers_settime(struct it_task *, struct vtimer *, int abs,
		    const struct itimerspec *its, it_gp_itimerspec old);
/* timerfd.c: v's deadline passed count times. */
void		 timerfd_expired(struct vtimer *, uint64_t count);

#endif
