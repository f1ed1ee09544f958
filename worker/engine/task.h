/*
 * Traced threads ("tasks") of one worker: their table, their state between
 * ptrace stops, guest memory and syscall injection.  struct it_task is the
 * handle a handler receives.
 */
#ifndef TASK_H
#define TASK_H

#include <sys/types.h>
#include <sys/ptrace.h>
#include <stdint.h>

#include <isotrace/isotrace.h>

#include "../arch.h"

enum task_stop {
	STOP_OTHER,		/* an event or signal stop */
	STOP_SECCOMP,		/* at syscall entry, through the filter */
	STOP_SYSEXIT,		/* at syscall exit (after PTRACE_SYSCALL) */
};

/* t_flags */
#define T_NEW		0x01	/* auto-attached, its first stop not seen */
#define T_INSYSCALL	0x02	/* resumed to see this call's exit stop */
#define T_REISSUE	0x04	/* rewound after an injection: the next
				   seccomp stop runs the call unhandled */
#define T_REGS		0x08	/* t_regs holds the current registers */
#define T_DIRTY		0x10	/* t_regs must be written back */
#define T_DEAD		0x20	/* gone while a handler ran (t_lost) */
#define T_LINE		0x40	/* t_line holds a decoded syscall entry */
#define T_PARKWAIT	0x80	/* a new process stopped before its
				   creator's fork event: parked once the
				   event has given it its state */
#define T_STATE		0x100	/* t_pstate is the new process's state */
#define T_ARGSET	0x200	/* a handler changed the call's arguments:
				   put them back if it is to be restarted */
#define T_WATCH		0x400	/* this call is traced or counted (-e, -c):
				   its exit goes to engine's call_exit */
#define T_LINE386	0x800	/* t_line is of an int 0x80 call */
#define T_HIDDEN	0x1000	/* -P: t_line touches no selected path */
#define T_ATTACHED	0x4000	/* -p: seized running, first stop to come */
#define T_DETACHING	0x2000	/* -p: being detached; a pending line ends
				   "<detached ...>" */
#define T_EXITING	0x8000	/* seen at its PTRACE_EVENT_EXIT stop;
				   t_exitst is its wait status */
#define T_HELD		0x10000	/* a new thread kept at its first stop
				   (sandbox_thread_start) */
#define T_AGAIN		0x20000	/* rewound by IT_RUN_AGAIN: the next seccomp
				   stop at t_reissue_pc is the same call */
#define T_SIGWAIT	0x40000	/* its last trapped call was rt_sigtimedwait,
				   ending at t_waitend (sigwait.c) */
#define T_SCHED		0x80000	/* held at a stop until its turn (schedule.h) */
#define T_SCHEDBLK	0x100000 /* ... at the entry of a call that would
				   block, not yet handled */
#define T_SCHEDTRIED	0x200000 /* its wait, tried without blocking,
				   found nothing (schedcall.c) */

#define TASK_PSTATE_MAX	1024

struct it_task {
	pid_t			 t_tid;
	pid_t			 t_tgid;
	int			 t_flags;
	enum task_stop		 t_stop;
	long			 t_nr;		/* the call being handled */
	uint64_t		 t_args[6];
	int			 t_injected;	/* t_saved holds entry regs */
	uint64_t		 t_reissue_pc;	/* T_REISSUE: where it stops */
	long			 t_reissue_nr;	/* ... and as which call */
	int			 t_sig;		/* signal to deliver at resume */
	uint64_t		 t_waitend;	/* T_SIGWAIT: CLOCK_MONOTONIC ns */
	int			 t_lost;	/* wait status if T_DEAD */
	int			 t_exitst;	/* T_EXITING: wait status */
	it_exit_fn		 t_exit_fn;
	void			*t_exit_arg;
	it_exit_fn		 t_sched_fn;	/* schedule.h's, after the
						   table's */
	void			*t_sched_arg;
	struct regs		 t_regs;
	struct regs		 t_saved;
	pid_t			 t_vtid;	/* --sandbox: a thread's
						   virtual tid; 0 for the
						   leader (its vpid) */
	uint64_t		 t_scratch;	/* scratch.c: its mapping */
	unsigned		 t_scratch_gen;	/* ... in this exec's image */
	unsigned		 t_clonetry;	/* --sandbox: pids tried for
						   the clone being made */
	unsigned char		 t_pstate[TASK_PSTATE_MAX];
	size_t			 t_pstatelen;
	char			*t_line;	/* verbose: the pending line */
	unsigned		 t_watchers;	/* T_WATCH: the layers (bits) that
						   watch the call */
	uint64_t		 t_entered;	/* T_WATCH: entry, stamp_now() */
	uint64_t		 t_spent;	/* ns from entry to exit stop */
	uint64_t		 t_when;	/* verbose: entry, wall-clock ns */
	size_t			 t_linelen;
	uint32_t		 t_dsave;	/* verbose: an in-out length read
						   at entry, shown at exit */
	uint16_t		 t_span[7][2];	/* verbose: where each argument
						   (and, last, the call's
						   name) lies in t_line:
						   offset, length */
	int			 t_sslot;	/* schedule.h: its slot + 1 */
	long			 t_schednext;	/* the call it goes on with */
	long			 t_schedran;	/* ... went on with, -1: none */
	uint64_t		 t_schedpc;	/* T_SCHEDBLK: the entry's */
	uint32_t		 t_schedarch;
	struct it_task		*t_next;	/* hash chain */
};

/* The table of tasks. */
struct it_task	*task_find(pid_t);
struct it_task	*task_add(pid_t tid, pid_t tgid, int flags);
void		 task_remove(struct it_task *);
void		 task_rename(struct it_task *, pid_t tid);
unsigned	 task_count(void);
/* Calls fn for every task (removal of the visited one is allowed). */
void		 task_foreach(void (*)(struct it_task *, void *), void *);

/* Registers, loaded on demand and written back before a resume. */
int	 task_load_regs(struct it_task *);
int	 task_flush_regs(struct it_task *);

/* ptrace resume: PTRACE_SYSCALL when the exit stop is wanted, else CONT;
 * delivers t_sig.  ESRCH (the task vanished) is not an error. */
void	 task_resume(struct it_task *);
/* The same now, whatever the schedule (task_resume holds a task until
 * its turn under the deterministic one, schedule.h). */
void	 task_resume_now(struct it_task *);
/* -p: with no seccomp filter, every resume is PTRACE_SYSCALL, so that
 * each call's entry stops. */
void	 task_trace_all(int);

/* A wait status to handle later; the next one (1) or none (0). */
void	 task_defer(pid_t, int status);
int	 task_undefer(pid_t *, int *status);
/* The first deferred status of pid, taken out of the list (1), or 0. */
int	 task_take_deferred(pid_t, int *status);

/* scratch.c: a gone thread's scratch mapping goes to the next thread;
 * an execve forgets them all. */
void	 scratch_release(struct it_task *);
void	 scratch_exec(void);

/* The thread group id of tid from /proc, or -1. */
pid_t	 task_read_tgid(pid_t);
/* A decimal "Name:\tvalue" line of a /proc text file, or of
 * /proc/PID/status; -1 if absent. */
long	 task_proc_field(const char *path, const char *name);
/* A small /proc text file whole, NUL-terminated: its length, or -1. */
ssize_t	 task_proc_read(const char *path, char *buf, size_t size);
long	 task_status_field(pid_t, const char *name);

#endif
