/*
 * schedlone [N]: the only thread of the run computes N (500) million
 * loop turns without a system call, then prints the time.  Under plain
 * --sandbox the time is the same on every run (a clock that moves by
 * calls).  Under a deterministic schedule there is no other thread to
 * hand the turn to, so the real-time fallback has nothing to do: no
 * hazard, and the time must not depend on how long the loop took.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int
main(int argc, char *argv[])
{
	struct timespec		 ts;
	volatile unsigned long	 x = 0;
	long			 i, turns = 500;

	if (argc > 1)
		turns = atol(argv[1]);
	for (i = 0; i < turns * 1000000; i++)
		x += (unsigned long)i;
	clock_gettime(CLOCK_REALTIME, &ts);
	printf("%lld.%09ld\n", (long long)ts.tv_sec, ts.tv_nsec);
	return 0;
}
