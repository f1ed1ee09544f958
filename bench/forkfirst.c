/*
 * forkfirst N: N times, the time from just before fork() in the parent
 * to the first instruction of the child (a clock read sent back through
 * a pipe), then the child exits and is reaped.  Prints the median and
 * the 90th percentile in microseconds.  Under isotrace this is the cost
 * of a hand-off: the park, the adoption by a worker, the parent's wait
 * for it.
 */
#include <sys/wait.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static uint64_t
now_ns(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
}

static int
cmp(const void *a, const void *b)
{
	uint64_t	 x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char *argv[])
{
	int		 n = argc > 1 ? atoi(argv[1]) : 500, i, fds[2];
	uint64_t	*lat, t0, t1;
	pid_t		 pid;

	if (n < 1 || (lat = calloc((size_t)n, sizeof(*lat))) == NULL ||
	    pipe(fds) == -1)
		return 1;
	for (i = 0; i < n; i++) {
		t0 = now_ns();
		if ((pid = fork()) == 0) {
			t1 = now_ns();
			_exit(write(fds[1], &t1, sizeof(t1)) != sizeof(t1));
		}
		if (pid == -1 || read(fds[0], &t1, sizeof(t1)) != sizeof(t1))
			return 1;
		lat[i] = t1 - t0;
		waitpid(pid, NULL, 0);
	}
	qsort(lat, (size_t)n, sizeof(*lat), cmp);
	printf("fork to first instruction: median %.1f us, p90 %.1f us\n",
	    lat[n / 2] / 1e3, lat[n * 9 / 10] / 1e3);
	return 0;
}
