/*
 * nproc: forks children that stay alive (each waits on a pipe) until
 * fork fails, then lets them all go and prints why fork failed:
 *	fork failed: EAGAIN
 *	all children ended
 * Run under a low RLIMIT_NPROC.  Under isotrace, where every process
 * needs a worker, the fork that cannot get one fails the same way, and
 * only that fork: the program and isotrace carry on.
 */
#include <sys/wait.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
main(void)
{
	int	 fds[2], n = 0, st, bad = 0;
	pid_t	 pid;
	char	 c;

	if (pipe(fds) == -1)
		return 2;
	for (;;) {
		if ((pid = fork()) == -1)
			break;
		if (pid == 0) {
			close(fds[1]);
			_exit(read(fds[0], &c, 1) == 0 ? 0 : 1);
		}
		if (++n == 4096)
			return 3;
	}
	printf("fork failed: %s\n", strerrorname_np(errno));
	close(fds[1]);
	while ((pid = wait(&st)) > 0)
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			bad++;
	printf(bad ? "%d children ended badly\n" : "all children ended\n",
	    bad);
	return 0;
}
