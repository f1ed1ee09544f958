/*
 * Starting the traced command.  The child must be traced before it runs a
 * single instruction of the command, and under the filter before execve:
 * it waits on a pipe until the worker has seized it, installs the filter,
 * then execs.  Every later process inherits both.
 */
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <errno.h>
#include <grp.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/log.h"
#include "engine.h"
#include "seccomp.h"
#include "worker.h"

extern char **environ;

/* Runs in the child: nothing here may return. */
static void __attribute__((noreturn))
child(const struct worker_opts *o, const struct sock_fprog *prog, int gate)
{
	size_t	 i;
	char	 c;
	int	 e;

	/* The workers ignore these; the command gets the dispositions and
	 * the mask isotrace itself was started with. */
	for (i = 0; i < NWORKER_IGNORED; i++)
		signal(worker_ignored[i],
		    sigismember(&o->wo_ignored, worker_ignored[i]) ?
		    SIG_IGN : SIG_DFL);
	sigprocmask(SIG_SETMASK, &o->wo_sigmask, NULL);
	while (read(gate, &c, 1) == -1 && errno == EINTR)
		;
	close(gate);
	/* The sandbox's address space is the same on every run; children
	 * inherit the personality. */
	if (o->wo_sandbox && personality(ADDR_NO_RANDOMIZE) == -1) {
		log_warn("personality");
		_exit(EXIT_INTERNAL);
	}
	/* rdtsc and rdtscp fault (SIGSEGV) instead of reading the host's
	 * counter; the engine answers them from the virtual clock. */
	if (o->wo_sandbox && prctl(PR_SET_TSC, PR_TSC_SIGSEGV, 0, 0, 0) == -1) {
		log_warn("prctl PR_SET_TSC");
		_exit(EXIT_INTERNAL);
	}
	for (i = 0; i < o->wo_nsetenv; i++)
		if ((strchr(o->wo_setenv[i], '=') != NULL ?
		    putenv(o->wo_setenv[i]) : unsetenv(o->wo_setenv[i])) != 0) {
			log_warn("-E %s", o->wo_setenv[i]);
			_exit(EXIT_INTERNAL);
		}
	/* -u: before the filter, so that these calls are not traced; the
	 * filter then needs no_new_privs, which a non-root user must set. */
	if (o->wo_user != NULL && (initgroups(o->wo_user, o->wo_gid) == -1 ||
	    setgid(o->wo_gid) == -1 || setuid(o->wo_uid) == -1)) {
		log_warn("-u %s", o->wo_user);
		_exit(EXIT_INTERNAL);
	}
	if ((e = seccomp_install(prog)) < 0) {
		errno = -e;
		log_warn("seccomp");
		_exit(EXIT_INTERNAL);
	}
	execve(o->wo_path, o->wo_argv, environ);
	e = errno;
	if (e == ENOEXEC) {
		/* As execvp(3): a file without a #! line is a shell script. */
		size_t	 n;
		char	**argv;

		for (n = 0; o->wo_argv[n] != NULL; n++)
			;
		if ((argv = calloc(n + 2, sizeof(*argv))) != NULL) {
			argv[0] = "sh";
			argv[1] = (char *)o->wo_path;
			memcpy(argv + 2, o->wo_argv + 1, n * sizeof(*argv));
			execve("/bin/sh", argv, environ);
		}
	}
	errno = e;
	log_warn("%s", o->wo_argv[0]);
	_exit(e == ENOENT ? 127 : 126);
}

pid_t
spawn_command(const struct worker_opts *o, const struct sock_fprog *prog)
{
	int	 gate[2];
	pid_t	 pid;

	if (pipe2(gate, O_CLOEXEC) == -1)
		fatal("pipe");
	switch (pid = fork()) {
	case -1:
		fatal("fork");
	case 0:
		close(gate[1]);
		child(o, prog, gate[0]);
	}
	close(gate[0]);
	if (ptrace(PTRACE_SEIZE, pid, NULL, (void *)engine_ptrace_opts(0))
	    == -1) {
		kill(pid, SIGKILL);
		fatal("ptrace seize");
	}
	close(gate[1]);
	return pid;
}
