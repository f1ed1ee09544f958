/*
 * attachee: attachee T MS	a process for -p to attach to: T-1 threads
 * besides main tick (nanosleep 5 ms) for about MS milliseconds; main
 * prints "ready", then every 5 ms looks for a file "go" in the working
 * directory: the first time it is there, it forks a child that tries to
 * open "attachee-child-mark" (absent: ENOENT) and exits 7, and prints
 * "child 7".  At the end it prints "done" and exits 5.
 */
#include <sys/wait.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static long ticks;

static void
nap(void)
{
	struct timespec	 ts = { 0, 5000000 };

	nanosleep(&ts, NULL);
}

static void *
ticker(void *arg)
{
	long	 i;

	(void)arg;
	for (i = 0; i < ticks; i++)
		nap();
	return NULL;
}

int
main(int argc, char **argv)
{
	long		 t = argc > 1 ? atol(argv[1]) : 2, i;
	pthread_t	 th[64];
	pid_t		 pid;
	int		 forked = 0, st;

	ticks = (argc > 2 ? atol(argv[2]) : 2000) / 5;
	if (t < 1 || t > 64 || ticks < 1) {
		fprintf(stderr, "usage: attachee [T(1-64) [MS]]\n");
		return 2;
	}
	for (i = 1; i < t; i++)
		if (pthread_create(&th[i], NULL, ticker, NULL) != 0) {
			perror("pthread_create");
			return 1;
		}
	printf("ready\n");
	fflush(stdout);
	for (i = 0; i < ticks; i++) {
		nap();
		if (forked || access("go", F_OK) != 0)
			continue;
		forked = 1;
		if ((pid = fork()) == 0) {
			if (open("attachee-child-mark", O_RDONLY) != -1)
				_exit(1);
			_exit(7);
		}
		if (pid == -1 || waitpid(pid, &st, 0) != pid) {
			perror("fork");
			return 1;
		}
		printf("child %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
		fflush(stdout);
	}
	for (i = 1; i < t; i++)
		pthread_join(th[i], NULL);
	printf("done\n");
	return 5;
}
