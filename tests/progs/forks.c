/*
 * forks: every way of making a process, one at a time.
 *
 * fork+waitpid, vfork+_exit, vfork+execve(/bin/true), posix_spawn of
 * /bin/echo, clone(CLONE_VM) on its own stack, fork from a non-main
 * thread, and three levels of nested fork.  Each child prints a line
 * (stdout is flushed before every fork); the parent waits for each child
 * before going on, so the output order is fixed.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* For children that share memory with the parent: no stdio. */
static void
raw(const char *s)
{
	if (write(1, s, strlen(s)) < 0)
		_exit(120);
}

static const char *
status(pid_t pid)
{
	static char buf[64];
	int st;
	pid_t r;

	do
		r = waitpid(pid, &st, __WALL);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		snprintf(buf, sizeof(buf), "waitpid: %s", strerror(errno));
	else if (WIFEXITED(st))
		snprintf(buf, sizeof(buf), "exit %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(buf, sizeof(buf), "killed by signal %d",
		    WTERMSIG(st));
	else
		snprintf(buf, sizeof(buf), "status 0x%x", st);
	return buf;
}

static pid_t
must(pid_t pid, const char *what)
{
	if (pid < 0) {
		say("%s: %s", what, strerror(errno));
		exit(2);
	}
	return pid;
}

static void
do_fork(void)
{
	pid_t pid = must(fork(), "fork");

	if (pid == 0) {
		say("fork child: hello");
		exit(1);
	}
	say("fork: %s", status(pid));
}

static void
do_vfork_exit(void)
{
	pid_t pid = must(vfork(), "vfork");

	if (pid == 0) {
		raw("vfork child: hello\n");
		_exit(2);
	}
	say("vfork+_exit: %s", status(pid));
}

static char *true_argv[] = { "true", NULL };

static void
do_vfork_exec(void)
{
	pid_t pid = must(vfork(), "vfork");

	if (pid == 0) {
		execve("/bin/true", true_argv, environ);
		_exit(127);
	}
	say("vfork+execve /bin/true: %s", status(pid));
}

static void
do_spawn(void)
{
	char *argv[] = { "echo", "posix_spawn child: hello", NULL };
	pid_t pid;
	int e;

	e = posix_spawn(&pid, "/bin/echo", NULL, NULL, argv, environ);
	if (e != 0) {
		say("posix_spawn: %s", strerror(e));
		exit(2);
	}
	say("posix_spawn /bin/echo: %s", status(pid));
}

static volatile int shared;

static int
clone_child(void *arg)
{
	(void)arg;
	raw("clone child: hello\n");
	shared = 42;
	return 5;
}

static void
do_clone_vm(void)
{
	size_t size = 256 * 1024;
	char *stack = malloc(size);
	const char *st;
	pid_t pid;

	if (stack == NULL)
		exit(2);
	pid = must(clone(clone_child, stack + size, CLONE_VM | SIGCHLD, NULL),
	    "clone");
	st = status(pid);	/* before reading shared: the child sets it */
	say("clone(CLONE_VM): %s, shared %d", st, shared);
	free(stack);
}

static void *
thread_forker(void *arg)
{
	sigset_t chld;
	pid_t pid;

	(void)arg;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	pthread_sigmask(SIG_UNBLOCK, &chld, NULL);
	pid = must(fork(), "fork in thread");
	if (pid == 0) {
		say("child of thread: hello");
		exit(4);
	}
	say("fork from thread: %s", status(pid));
	return NULL;
}

static void
do_thread_fork(void)
{
	pthread_t t;
	sigset_t chld, old;

	/*
	 * The child's SIGCHLD goes to the thread that forked it: were the
	 * main thread (waiting in pthread_join) free to take it, the kernel
	 * would pick either, and two traced runs would differ in where the
	 * signal shows.  The new thread starts with this mask and opens it.
	 */
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	pthread_sigmask(SIG_BLOCK, &chld, &old);
	if (pthread_create(&t, NULL, thread_forker, NULL) != 0)
		exit(2);
	pthread_join(t, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/* main forks level 1, which forks level 2, which forks level 3. */
static void
do_nest(void)
{
	int level = 0;
	pid_t pid;

	for (;;) {
		if (level == 3) {
			say("level 3: hello");
			exit(3);
		}
		pid = must(fork(), "fork");
		if (pid == 0) {
			level++;
			continue;
		}
		if (level == 0) {
			say("nested fork: level 1 %s", status(pid));
			return;
		}
		say("level %d: child %s", level, status(pid));
		exit(level);
	}
}

int
main(void)
{
	setvbuf(stdout, NULL, _IOFBF, 4096);
	do_fork();
	do_vfork_exit();
	do_vfork_exec();
	do_spawn();
	do_clone_vm();
	do_thread_fork();
	do_nest();
	say("all done");
	return 0;
}
