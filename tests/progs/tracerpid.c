/*
 * tracerpid: which process traces each kind of new process, compared with
 * the parent's tracer (TracerPid in /proc/self/status).  For fork, vfork +
 * exec, clone(CLONE_VM), posix_spawn and a grandchild, prints
 *	KIND: traced=yes|no other-tracer=yes|no
 * Natively nothing is traced.  Under isotrace every process has a worker
 * of its own, so each is traced by another tracer than its parent.
 */
#include <sys/types.h>
#include <sys/wait.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

static int	 fds[2];
static char	 self[4096];

static long
tracer(void)
{
	char	 line[256];
	long	 pid = -1;
	FILE	*f;

	if ((f = fopen("/proc/self/status", "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "TracerPid: %ld", &pid) == 1)
			break;
	fclose(f);
	return pid;
}

static void
report(long t)
{
	if (write(fds[1], &t, sizeof(t)) != (ssize_t)sizeof(t))
		_exit(2);
}

static void
show(const char *kind, long parent, pid_t child)
{
	long	 t = -1;
	int	 st;

	if (read(fds[0], &t, sizeof(t)) != (ssize_t)sizeof(t))
		t = -1;
	if (child > 0)
		waitpid(child, &st, __WALL);
	printf("%s: traced=%s other-tracer=%s\n", kind, t > 0 ? "yes" : "no",
	    t != parent ? "yes" : "no");
	fflush(stdout);
}

static int
clone_child(void *arg)
{
	(void)arg;
	report(tracer());
	return 0;
}

static char *
fdarg(void)
{
	static char	 buf[16];

	snprintf(buf, sizeof(buf), "%d", fds[1]);
	return buf;
}

int
main(int argc, char *argv[])
{
	static char	 stack[65536];
	char		*args[4];
	long		 me;
	pid_t		 pid;

	if (argc == 3 && strcmp(argv[1], "child") == 0) {
		fds[1] = atoi(argv[2]);
		report(tracer());
		return 0;
	}
	if (readlink("/proc/self/exe", self, sizeof(self) - 1) < 0 ||
	    pipe(fds) == -1)
		return 1;
	me = tracer();
	args[0] = self;
	args[1] = "child";
	args[2] = fdarg();
	args[3] = NULL;

	if ((pid = fork()) == 0) {
		report(tracer());
		_exit(0);
	}
	show("fork", me, pid);

	if ((pid = vfork()) == 0) {
		execve(self, args, environ);
		_exit(127);
	}
	show("vfork+exec", me, pid);

	pid = clone(clone_child, stack + sizeof(stack), CLONE_VM | SIGCHLD,
	    NULL);
	show("clone(CLONE_VM)", me, pid);

	if (posix_spawn(&pid, self, NULL, NULL, args, environ) != 0)
		pid = -1;
	show("posix_spawn", me, pid);

	/* A grandchild: traced by neither its parent's tracer nor ours. */
	if ((pid = fork()) == 0) {
		long	 mine = tracer();
		pid_t	 g;

		if ((g = fork()) == 0) {
			long t = tracer();

			report(t > 0 && t != mine ? t : -1);
			_exit(0);
		}
		waitpid(g, NULL, 0);
		_exit(0);
	}
	show("grandchild", me, pid);
	return 0;
}
