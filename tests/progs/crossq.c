/*
 * crossq [-w M] MS CMD [ARG...]: a child runs CMD (say "sleep 100") with the
 * write end of a pipe open; its parent waits MS ms for it in poll.
 * Natively a child sleeping longer than the timeout is still asleep when
 * poll times out, and the parent kills it; one that sleeps less closes
 * the pipe first.  Under --sandbox each process has its own clock, so
 * the child's sleep must still not end before the parent's wait has
 * timed out.  CMD "nanosleep" is the child's own nanosleep of 100 s
 * right after fork: its sleep begins before the parent's poll.  With -w
 * the parent first computes M million rounds (some 50-100 ms for 100):
 * the child's sleep begins long before the poll does.
 */
#include <sys/wait.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int
main(int argc, char *argv[])
{
	struct pollfd	 pfd;
	struct timespec	 ts = { 100, 0 };
	pid_t		 pid;
	volatile unsigned long	 n = 0;
	unsigned long	 work = 0;
	int		 p[2], ms, r, st;

	if (argc > 2 && strcmp(argv[1], "-w") == 0) {
		work = strtoul(argv[2], NULL, 10) * 1000000;
		argc -= 2;
		argv += 2;
	}
	if (argc < 3)
		return 2;
	ms = atoi(argv[1]);
	if (pipe(p) == -1 || (pid = fork()) == -1)
		return 1;
	if (pid == 0) {
		close(p[0]);
		if (strcmp(argv[2], "nanosleep") == 0)
			_exit(nanosleep(&ts, NULL) == 0 ? 0 : 1);
		execvp(argv[2], argv + 2);
		_exit(127);
	}
	close(p[1]);
	while (n < work)
		n++;
	pfd.fd = p[0];
	pfd.events = POLLIN;
	r = poll(&pfd, 1, ms);
	if (r == 0) {
		puts("poll timed out");
		kill(pid, SIGKILL);
	} else
		printf("poll %d%s\n", r, pfd.revents & POLLHUP ? " hup" : "");
	if (waitpid(pid, &st, 0) != pid)
		return 1;
	if (WIFSIGNALED(st))
		printf("child killed by signal %d\n", WTERMSIG(st));
	else
		printf("child exited %d\n", WEXITSTATUS(st));
	return 0;
}
