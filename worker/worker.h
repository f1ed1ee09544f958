/*
 * A worker: traces a command and every thread and child it creates, and
 * sends each trapped syscall to the handler table.
 */
#ifndef WORKER_H
#define WORKER_H

#include <signal.h>

#include <isotrace/isotrace.h>

#include "engine/attach.h"
#include "engine/engine.h"
#include "engine/schedule.h"
#include "sandbox/sandbox.h"
#include "decode/decode.h"

struct worker_opts {
	const char		*wo_path;	/* resolved executable */
	char			**wo_argv;
	const struct it_layer	*wo_layer;	/* a tool's layer, or NULL */
	int			 wo_verbose;	/* print the trace lines */
	int			 wo_summary;	/* -c, -C: count the calls */
	int			 wo_filtered;	/* -e trace=: wo_select only */
	uint8_t			 wo_select[IT_NR_MAX];	/* by number */
	int			 wo_stamp;	/* -t..: enum stamp_clock */
	int			 wo_spent;	/* -T */
	int			 wo_json;	/* --json: JSON lines */
	int			 wo_trace_fd;	/* --verbose output */
	const char		*wo_trace_name;
	size_t			 wo_trace_block;	/* see output_init */
	const char		*wo_ff_base;	/* -ff -o base: base.PID files */
	/*
	 * Print each call whole at its exit, never its entry early as
	 * "<unfinished ...>".  An option that decides at a call's exit
	 * whether its line is printed at all (a filter on the result or on
	 * the paths it touched, as strace's -z, -Z, -P, -e status=) sets
	 * it, so that a call it drops has not been half printed.
	 */
	int			 wo_hold_entry;
	sigset_t		 wo_ignored;	/* ignored before isotrace */
	sigset_t		 wo_sigmask;	/* blocked before isotrace */
	int			 wo_sandbox;	/* --sandbox */
	int			 wo_schedule;	/* enum sched_mode */
	struct sandbox_config	 wo_sandbox_config;
	struct decode_opts	 wo_decode;	/* -x -y -z -Z -P -q, -e
						   status= and signal= */
	pid_t			*wo_attach;	/* -p: running processes */
	size_t			 wo_nattach;
	char			**wo_setenv;	/* -E: VAR=VAL, or VAR unset */
	size_t			 wo_nsetenv;
	const char		*wo_user;	/* -u: the command's user */
	uid_t			 wo_uid;
	gid_t			 wo_gid;
};

/*
 * A worker traces one process with all its threads and reports on chan
 * (proto/channel.h).  worker_main starts the command and traces it;
 * worker_adopt_main waits for a hand-off and traces that process.  Each
 * returns when its process is gone (the worker's exit status: 0, or
 * EXIT_INTERNAL for its own failure).
 */
int	worker_main(const struct worker_opts *, int chan);
int	worker_adopt_main(const struct worker_opts *, int chan);
/* -p: seizes the running process pid with all its threads, traces it
 * without a seccomp filter, then serves hand-offs as a spare. */
int	worker_attach_main(const struct worker_opts *, int chan, pid_t pid);

/* Called by the engine: after an execve of the traced process, and at
 * every stop (fault injection, ISOTRACE_CRASH). */
void	worker_title(void);
/* The socket to the supervisor (see rpc.h), or -1 before setup. */
int	worker_channel(void);
/* The traced process's name, as ps(1) shows it. */
const char	*worker_comm(void);
void	worker_crash_check(void);

/* A worker's parent-death signal: caught, it ends in
 * worker_supervisor_died().  Not one of worker_ignored[]. */
#define WORKER_PDEATHSIG	SIGPWR
/* In a new worker: arm WORKER_PDEATHSIG for the supervisor parent; 0, or
 * -1 when it is already gone. */
int	worker_watch_supervisor(pid_t parent);
/* The supervisor died: write the trace lines it had not, kill the
 * traced process (unless attached with -p), exit.  Signal-safe. */
void	worker_supervisor_died(void);

/* Signals a worker ignores (see supervisor.c); the command gets back the
 * dispositions and mask isotrace was started with (spawn.c). */
static const int worker_ignored[] = {
	SIGHUP, SIGINT, SIGQUIT, SIGPIPE, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM,
	SIGVTALRM, SIGPROF, SIGIO, SIGXCPU, SIGXFSZ,
	SIGTSTP, SIGTTIN, SIGTTOU,	/* ^Z stops the job, not its tracers */
};
#define NWORKER_IGNORED	(sizeof(worker_ignored) / sizeof(worker_ignored[0]))

/* WORKER_PTRACE_OPTS (engine/engine.h), WORKER_DETACH_SIG
 * (engine/attach.h): the engine's, which knows nothing of this file. */

/* spawn.c: forks the command, seized and filtered, stopped before its
 * execve; returns its pid. */
struct sock_fprog;
pid_t	spawn_command(const struct worker_opts *, const struct sock_fprog *);
/* 1 if a user+pid+mount+UTS namespace with its own /proc can be made. */
int	spawn_namespace_works(void);

#endif
