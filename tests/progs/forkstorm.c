/*
 * forkstorm MS: forks without a pause for MS milliseconds: each child
 * forks three grandchildren that exit at once, waits for them and exits;
 * the parent reaps as it goes.  Prints "storm over" at the end.  Killing
 * isotrace at any moment of it must leave no process of the storm
 * behind, traced, parked or otherwise.
 */
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static long
ms_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
main(int argc, char *argv[])
{
	long	 end = ms_now() + (argc > 1 ? atol(argv[1]) : 1000);
	int	 i;

	while (ms_now() < end) {
		if (fork() == 0) {
			for (i = 0; i < 3; i++)
				if (fork() == 0)
					_exit(0);
			while (wait(NULL) > 0)
				;
			_exit(0);
		}
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
	}
	while (wait(NULL) > 0)
		;
	printf("storm over\n");
	return 0;
}
