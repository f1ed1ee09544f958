/*
 * forkburst N: forks N children at once; each waits on a pipe until all
 * are forked, then exits with its index modulo 100.  Prints how many
 * ended with the status they should have.  Under isotrace every child is
 * parked and adopted by a worker of its own while the others wait.
 */
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int
main(int argc, char *argv[])
{
	int	 n = argc > 1 ? atoi(argv[1]) : 1000, i, ok = 0, st, fds[2];
	pid_t	*pids;
	char	 c;

	if (n < 1 || (pids = calloc((size_t)n, sizeof(*pids))) == NULL ||
	    pipe(fds) == -1)
		return 2;
	for (i = 0; i < n; i++) {
		if ((pids[i] = fork()) == -1) {
			perror("fork");
			return 1;
		}
		if (pids[i] == 0) {
			close(fds[1]);
			(void)read(fds[0], &c, 1);
			_exit(i % 100);
		}
	}
	close(fds[1]);
	for (i = 0; i < n; i++)
		if (waitpid(pids[i], &st, 0) == pids[i] && WIFEXITED(st) &&
		    WEXITSTATUS(st) == i % 100)
			ok++;
	printf("%d of %d children ended as they should\n", ok, n);
	return ok == n ? 0 : 1;
}
