#ifndef SUPERVISOR_H
#define SUPERVISOR_H

#include <stddef.h>

#include "../worker/worker.h"

/* The command's path into out; 0 or an errno (ENOENT: not found). */
int	command_resolve(const char *name, char *out, size_t outlen);

/* Forks the worker for the command and waits for the end of the traced
 * process tree; returns isotrace's exit status. */
int	supervisor_run(const struct worker_opts *);

/* signals.c: the signals the supervisor takes through its signalfd, and
 * what it does with one it received. */
struct signalfd_siginfo;
enum signals_action {
	SIGNALS_REAP,		/* a worker ended */
	SIGNALS_FORWARD,	/* to the root command */
	SIGNALS_SUSPEND,	/* the terminal stopped the job: stop too */
	SIGNALS_DETACH,		/* -p: let the processes go */
	SIGNALS_DROP,
};
void	signals_set(sigset_t *);
enum signals_action signals_action(const struct signalfd_siginfo *,
	    int attached);

/* pids.c: answers a worker's pid_claim, pid_lookup or pid_release on
 * its socket; 0 or -errno (the worker is then dropped). */
struct Isotrace__Envelope;
int	pids_request(int fd, const struct Isotrace__Envelope *);

/* netreg.c: the sandbox's virtual network: answers a worker's Net*
 * request on its socket; 0 or -errno (-EBADMSG: not a network request). */
int	netreg_request(int fd, const struct Isotrace__Envelope *);

/* --verify: two sandboxed runs compared; 0 when they are identical. */
int	verify_run(const struct worker_opts *);

#endif
