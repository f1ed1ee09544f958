/*
 * Starting the traced command.  The child must be traced before it runs a
 * single instruction of the command, and under the filter before execve:
 * it waits on a pipe until the worker has seized it, installs the filter,
 * then execs.  Every later process inherits both.
 *
 * With --sandbox-pids=namespace the command runs in a user, pid, mount
 * and UTS namespace of the run's own (spawn_namespace below): pids, /proc
 * and credentials inside are the kernel's own, exact, at no cost per call.
 */
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <errno.h>
#include <grp.h>
#include <sched.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/log.h"
#include "engine/engine.h"
#include "../proto/channel.h"
#include "seccomp.h"
#include "worker.h"

extern char **environ;

static void
restore_disposition(const struct worker_opts *o, int sig)
{
	signal(sig, sigismember(&o->wo_ignored, sig) ? SIG_IGN : SIG_DFL);
}

/* Runs in the child: nothing here may return.  gate -1: the child was
 * traced from its birth, nothing to wait for. */
static void __attribute__((noreturn))
child(const struct worker_opts *o, const struct sock_fprog *prog, int gate)
{
	size_t	 i;
	char	 c;
	int	 e;

	/* The workers ignore these (and WORKER_DETACH_SIG until a -p
	 * worker's handler is in place); the command gets the dispositions
	 * and the mask isotrace itself was started with. */
	for (i = 0; i < NWORKER_IGNORED; i++)
		restore_disposition(o, worker_ignored[i]);
	restore_disposition(o, WORKER_DETACH_SIG);
	sigprocmask(SIG_SETMASK, &o->wo_sigmask, NULL);
	if (gate != -1) {
		while (read(gate, &c, 1) == -1 && errno == EINTR)
			;
		close(gate);
	}
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

#define NS_FLAGS	(CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | \
			    CLONE_NEWCGROUP)

/*
 * The namespace's init (pid 1), a copy of this worker that is traced by
 * nobody once the command exists: it mounts the namespace's /proc, forks
 * the command as pid VPID_ROOT and reaps whatever is left to it until the
 * namespace is empty.  Signals from inside the namespace do not reach an
 * init that has no handler for them (the kernel drops them), so a
 * command's "kill $PPID" touches nothing.  When it exits, the kernel kills
 * what is left in the namespace; it exits only once nothing is.
 */
static void __attribute__((noreturn))
ns_init(const struct worker_opts *o, const struct sock_fprog *prog, int gate)
{
	static const char	 last[] = "999";	/* VPID_ROOT - 1 */
	sigset_t		 all;
	pid_t			 root, pid;
	char			 c;
	int			 fd, st, status = EXIT_INTERNAL;

	_Static_assert(VPID_ROOT == 1000, "ns_last_pid gives VPID_ROOT");
	/* Its parent is the supervisor (CLONE_PARENT): without it, no one
	 * reports anything, and the namespace goes with its init. */
	(void)prctl(PR_SET_PDEATHSIG, SIGKILL);
	setproctitle("sandbox init");
	/* One byte once the maps are written and this process is seized:
	 * end of file means the worker gave up. */
	while ((fd = (int)read(gate, &c, 1)) == -1 && errno == EINTR)
		;
	if (fd != 1)
		_exit(EXIT_INTERNAL);
	close(gate);
	/* Private first, so the mounts below stay out of the host's
	 * namespace whatever the host's propagation is.  The name the
	 * sandbox's uname answers, resolved by its /etc/hosts (whose copy
	 * passes through /proc: before the namespace's proc). */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1) {
		log_warn("sandbox: /");
		_exit(EXIT_INTERNAL);
	}
	(void)sethostname(SANDBOX_UTS_NODE, strlen(SANDBOX_UTS_NODE));
	(void)hosts_mount(SANDBOX_UTS_NODE);
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
	    NULL) == -1) {
		log_warn("sandbox: /proc");
		_exit(EXIT_INTERNAL);
	}
	/* Its CPUs in /sys and the limits of its memory. */
	(void)sysfs_mount(o->wo_sandbox_config.sc_cpus ?
	    o->wo_sandbox_config.sc_cpus : SANDBOX_CPUS);
	procfs_limits();
	/*
	 * The root's pid: the next pid is the one after ns_last_pid.  This
	 * process has CAP_SYS_ADMIN over the namespace and is alone in it,
	 * so no other fork can come between the write and the fork.
	 */
	if ((fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY | O_CLOEXEC))
	    == -1 || write(fd, last, sizeof(last) - 1) == -1)
		log_warn("sandbox: ns_last_pid");
	if (fd != -1)
		close(fd);
	switch (root = fork()) {
	case -1:
		log_warn("sandbox: fork");
		_exit(EXIT_INTERNAL);
	case 0:
		child(o, prog, -1);
	}
	/* Nothing of isotrace's stays open in here: a pipe the command's
	 * reader waits on must close when the command's last writer does. */
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	(void)syscall(SYS_close_range, 0, ~0U, 0);
	for (;;) {
		if ((pid = wait(&st)) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pid == root)
			status = WIFEXITED(st) ? WEXITSTATUS(st) :
			    128 + WTERMSIG(st);
	}
	_exit(status);
}

static int
write_file(pid_t pid, const char *name, const char *text)
{
	char	 path[64];
	int	 fd, e = 0;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) == -1)
		return -errno;
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		e = -errno;
	close(fd);
	return e;
}

/*
 * Uid 0 inside is the user isotrace runs as.  Root may map every id onto
 * itself, so a program that changes its uid (setuid(65534)) gets what it
 * would natively; anyone else (or a root whose own namespace maps fewer
 * ids) maps only its own ids.
 */
static int
write_maps(pid_t pid)
{
	char	 map[64];
	int	 e;

	if (geteuid() == 0 &&
	    write_file(pid, "uid_map", "0 0 4294967295\n") == 0)
		return write_file(pid, "gid_map", "0 0 4294967295\n");
	snprintf(map, sizeof(map), "0 %u 1\n", (unsigned)geteuid());
	if ((e = write_file(pid, "uid_map", map)) < 0)
		return e;
	snprintf(map, sizeof(map), "0 %u 1\n", (unsigned)getegid());
	if (write_file(pid, "gid_map", map) == 0)
		return 0;
	/* Without CAP_SETGID over it, a gid map needs setgroups denied. */
	if ((e = write_file(pid, "setgroups", "deny")) < 0)
		return e;
	return write_file(pid, "gid_map", map);
}

/* Waits for one stop of pid; -1 if it ended instead. */
static int
wait_stop(pid_t pid, int *st)
{
	while (waitpid(pid, st, __WALL) == -1)
		if (errno != EINTR)
			return -1;
	return WIFSTOPPED(*st) ? 0 : -1;
}

/*
 * The init is cloned as the supervisor's child (CLONE_PARENT), so its
 * life does not hang on this worker's; it waits until its maps are
 * written and it is seized, with fork events on, so its child (the
 * command) is traced from birth.  Then the init is let go.  Returns the
 * command's pid as this worker sees it.
 */
static pid_t
spawn_namespace(const struct worker_opts *o, const struct sock_fprog *prog)
{
	unsigned long	 msg;
	pid_t		 init, pid;
	int		 gate[2], st, e;

	if (pipe2(gate, O_CLOEXEC) == -1)
		fatal("pipe");
	switch (init = (pid_t)syscall(SYS_clone, CLONE_PARENT | NS_FLAGS, 0,
	    NULL, NULL, 0)) {
	case -1:
		fatal("sandbox: new namespaces");
	case 0:
		close(gate[1]);
		ns_init(o, prog, gate[0]);
	}
	close(gate[0]);
	if ((e = write_maps(init)) < 0) {
		errno = -e;
		kill(init, SIGKILL);
		fatal("sandbox: uid and gid maps");
	}
	if (ptrace(PTRACE_SEIZE, init, NULL, (void *)(long)WORKER_PTRACE_OPTS)
	    == -1) {
		kill(init, SIGKILL);
		fatal("ptrace seize");
	}
	if (write(gate[1], "", 1) != 1)
		fatal("sandbox: gate");
	close(gate[1]);
	for (;;) {
		if (wait_stop(init, &st) < 0)
			fatalx("sandbox: init ended before the command");
		if ((st >> 16) == PTRACE_EVENT_FORK)
			break;
		/* Nothing else is expected; pass it on. */
		if (ptrace(PTRACE_CONT, init, NULL, (void *)(long)
		    ((st >> 16) == 0 ? WSTOPSIG(st) : 0)) == -1)
			fatal("ptrace cont");
	}
	if (ptrace(PTRACE_GETEVENTMSG, init, NULL, &msg) == -1)
		fatal("ptrace geteventmsg");
	pid = (pid_t)msg;
	if (ptrace(PTRACE_DETACH, init, NULL, NULL) == -1)
		fatal("ptrace detach");
	/* The command's first stop (it was auto-attached); then it runs to
	 * its execve, the engine's first event. */
	if (wait_stop(pid, &st) < 0 || ptrace(PTRACE_CONT, pid, NULL, NULL)
	    == -1)
		fatalx("sandbox: the command ended at its start");
	return pid;
}

/* Can this process make the namespaces and mount a /proc in them? */
int
spawn_namespace_works(void)
{
	pid_t	 pid, init;
	int	 st;

	switch (pid = fork()) {
	case -1:
		return 0;
	case 0:
		if (unshare(NS_FLAGS) == -1)
			_exit(1);
		if ((init = fork()) == 0)
			_exit(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)
			    == -1 || mount("proc", "/proc", "proc", 0, NULL) ==
			    -1);
		_exit(init == -1 || waitpid(init, &st, 0) != init ||
		    !WIFEXITED(st) || WEXITSTATUS(st) != 0);
	}
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR)
			return 0;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

pid_t
spawn_command(const struct worker_opts *o, const struct sock_fprog *prog)
{
	int	 gate[2];
	pid_t	 pid;

	if (o->wo_sandbox &&
	    o->wo_sandbox_config.sc_pids == SANDBOX_PIDS_NAMESPACE)
		return spawn_namespace(o, prog);

	if (pipe2(gate, O_CLOEXEC) == -1)
		fatal("pipe");
	/* Workers are not dumpable (supervisor.c), but the child must be,
	 * or seizing it would take CAP_SYS_PTRACE; execve decides anew. */
	(void)prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	switch (pid = fork()) {
	case -1:
		fatal("fork");
	case 0:
		close(gate[1]);
		child(o, prog, gate[0]);
	}
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	close(gate[0]);
	if (ptrace(PTRACE_SEIZE, pid, NULL, (void *)engine_ptrace_opts(0))
	    == -1) {
		kill(pid, SIGKILL);
		fatal("ptrace seize");
	}
	close(gate[1]);
	return pid;
}
