/*
 * jobctl: job-control stops seen by a parent through waitpid().
 *
 * Four children, handled one after another:
 *   A  loops; parent SIGSTOPs it (WUNTRACED), SIGCONTs it (WCONTINUED),
 *      then SIGUSR1 makes it exit 7;
 *   B  stops itself with raise(SIGSTOP); parent sees the stop, SIGCONTs it
 *      (WCONTINUED), then SIGUSR1 makes it exit 8;
 *   C  loops; parent SIGSTOPs it, then SIGKILLs it while stopped;
 *   D  loops; parent SIGTERMs it.
 * A looping child sleeps 10 ms at a time and gives up (exit 99) after 2 s,
 * so nothing hangs.  Prints every state observed.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t quit;

static void
on_usr1(int sig)
{
	(void)sig;
	quit = 1;
}

static void
loop(int code)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };

	for (int i = 0; i < 200 && !quit; i++)
		nanosleep(&ts, NULL);
	_exit(quit ? code : 99);
}

static pid_t
child(int self_stop, int code)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("jobctl: fork");
		exit(2);
	}
	if (pid == 0) {
		if (self_stop)
			raise(SIGSTOP);
		loop(code);
	}
	return pid;
}

static const char *
signame(int sig)
{
	static char buf[32];
	const char *abbrev = sigabbrev_np(sig);

	if (abbrev)
		snprintf(buf, sizeof(buf), "SIG%s", abbrev);
	else
		snprintf(buf, sizeof(buf), "signal %d", sig);
	return buf;
}

static void
describe(const char *who, int st)
{
	if (WIFEXITED(st))
		printf("%s: exited with status %d\n", who, WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		printf("%s: killed by %s\n", who, signame(WTERMSIG(st)));
	else if (WIFSTOPPED(st))
		printf("%s: stopped by %s\n", who, signame(WSTOPSIG(st)));
	else if (WIFCONTINUED(st))
		printf("%s: continued\n", who);
	else
		printf("%s: unknown status 0x%x\n", who, st);
}

static void
wait_for(const char *who, pid_t pid, int flags)
{
	int st;
	pid_t r;

	do
		r = waitpid(pid, &st, flags);
	while (r < 0 && errno == EINTR);
	if (r != pid) {
		printf("%s: waitpid: %s\n", who, r < 0 ? strerror(errno) :
		    "wrong pid");
		fflush(stdout);
		kill(pid, SIGKILL);
		exit(1);
	}
	describe(who, st);
}

int
main(void)
{
	struct sigaction sa;
	pid_t pid;

	/* Installed before fork so a child can never die of SIGUSR1. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);

	pid = child(0, 7);
	kill(pid, SIGSTOP);
	wait_for("A", pid, WUNTRACED);
	kill(pid, SIGCONT);
	wait_for("A", pid, WCONTINUED);
	kill(pid, SIGUSR1);
	wait_for("A", pid, 0);

	pid = child(1, 8);
	wait_for("B", pid, WUNTRACED);
	kill(pid, SIGCONT);
	wait_for("B", pid, WCONTINUED);
	kill(pid, SIGUSR1);
	wait_for("B", pid, 0);

	pid = child(0, 9);
	kill(pid, SIGSTOP);
	wait_for("C", pid, WUNTRACED);
	kill(pid, SIGKILL);
	wait_for("C", pid, 0);

	pid = child(0, 10);
	kill(pid, SIGTERM);
	wait_for("D", pid, 0);
	return 0;
}
