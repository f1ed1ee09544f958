/*
 * The supervisor never traces: it forks the worker and reports how the
 * traced command ended.  A worker that dies (a bug, a signal) takes its
 * tracees with it (PTRACE_O_EXITKILL), and the supervisor says so.
 */
#include <sys/prctl.h>
#include <sys/wait.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "../common/log.h"
#include "supervisor.h"

int
supervisor_run(const struct worker_opts *o)
{
	pid_t	 pid, self = getpid();
	int	 st;

	switch (pid = fork()) {
	case -1:
		fatal("fork");
	case 0:
		/* Without the supervisor nobody reports the status: the
		 * worker, and with it every tracee (EXITKILL), goes too. */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 || getppid() != self)
			_exit(EXIT_INTERNAL);
		_exit(worker_main(o));
	}
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR)
			fatal("waitpid");
	if (WIFSIGNALED(st)) {
		log_warnx("worker %d died (SIG%s); its processes killed",
		    (int)pid, sigabbrev_np(WTERMSIG(st)) ? : "?");
		return EXIT_INTERNAL;
	}
	return WEXITSTATUS(st);
}
