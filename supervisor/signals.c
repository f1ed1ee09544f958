/*
 * What isotrace does with a signal sent to it.  A wrapper passes on what
 * it is sent, as timeout(1) does: every signal the supervisor can catch
 * reaches the root command, with these exceptions.
 *
 *  - SIGCHLD is isotrace's own (its workers end).
 *  - A signal the supervisor raised on itself (SIGPIPE or SIGXFSZ of a
 *    write of its own) is not the command's business.
 *  - A signal the kernel sent (si_code SI_KERNEL) came from the terminal
 *    to the foreground process group: ^C, ^\, ^Z, a hangup, a background
 *    read or write.  The command, in the same group, got it from the
 *    terminal already; passing it on would deliver it twice.  For the
 *    job-control stops isotrace stops itself, so that the shell sees the
 *    job stopped; the shell's SIGCONT then reaches everyone.
 *
 * With -p (attached to running processes) SIGINT, SIGTERM, SIGHUP and
 * SIGQUIT, from the terminal or not, mean "detach", as under strace -p.
 */
#include <sys/signalfd.h>
#include <signal.h>
#include <unistd.h>

#include "supervisor.h"

void
signals_set(sigset_t *set)
{
	sigfillset(set);
	sigdelset(set, SIGKILL);
	sigdelset(set, SIGSTOP);
}

enum signals_action
signals_action(const struct signalfd_siginfo *si, int attached)
{
	int	 sig = (int)si->ssi_signo;

	if (sig == SIGCHLD)
		return SIGNALS_REAP;
	if (attached && (sig == SIGINT || sig == SIGTERM || sig == SIGHUP ||
	    sig == SIGQUIT))
		return SIGNALS_DETACH;
	if (si->ssi_code == SI_USER && (pid_t)si->ssi_pid == getpid())
		return SIGNALS_DROP;
	if (si->ssi_code == SI_KERNEL) {
		if (sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU)
			return SIGNALS_SUSPEND;
		return SIGNALS_DROP;
	}
	return SIGNALS_FORWARD;
}
