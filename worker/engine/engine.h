/*
 * The stop handling of a worker (engine.c): one loop over waitpid for the
 * threads of the traced process.
 */
#ifndef ENGINE_H
#define ENGINE_H

#include <sys/types.h>
#include <sys/ptrace.h>

/* The ptrace options every traced task carries. */
#define WORKER_PTRACE_OPTS						\
	(PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK |			\
	 PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | \
	 PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL)
/*
 * Those of a process attached with -p (and its children): no filter of
 * ours, so every call stops under PTRACE_SYSCALL; the program's own
 * filter's RET_TRACE answers ENOSYS as it would untraced; and if isotrace
 * dies the process is let go, not killed: it was running before us.
 */
#define WORKER_PTRACE_OPTS_NOFILTER					\
	(PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK |			\
	 PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC)


/* What the engine asks of the worker around it (worker.c), which it does
 * not include: the traced process's name (for a hand-off), a new title
 * after an execve, a look at every stop (fault injection). */
struct engine_host {
	const char	*(*eh_comm)(void);
	void		 (*eh_exec)(void);
	void		 (*eh_stop)(void);
};
void	engine_host(const struct engine_host *);

struct sock_fprog;
struct worker_opts;

/* Prepares the table, the verbose output and the filter (into prog);
 * 0, or -1 when the filter cannot be built. */
int	engine_init(const struct worker_opts *, int chan, struct sock_fprog *);
/* The process this worker traces (already seized); root: it is the
 * command, whose end the supervisor must hear of. */
void	engine_trace(pid_t, int root, int nofilter);
/* schedule.h: a task held at its turn looks at its call again. */
struct it_task;
void	engine_again(struct it_task *);
/* -p: the process has no filter of ours (attached, or a child of one):
 * every call stops at entry and exit under PTRACE_SYSCALL. */
void	engine_nofilter(int);
/* -p: seizes the running process pid with its threads, to be traced
 * without a filter; 0 or -errno. */
int	engine_attach(pid_t pid);
/* Handles stops until no traced task is left, or (-p) until every task
 * is detached once the supervisor asks. */
void	engine_loop(void);
/* The options of PTRACE_SEIZE: WORKER_PTRACE_OPTS (_NOFILTER for -p),
 * and the exit stop when the trace is printed (see on_exit_stop). */
unsigned long	engine_ptrace_opts(int nofilter);
/* The verbose "+++ exited/killed +++" line of a process. */
void	engine_trace_exit(pid_t, int wstatus);

/* -p: the process ran before isotrace and is let go, never killed, if
 * isotrace dies (async-signal-safe). */
int	engine_lets_go(void);

#endif
