/*
 * schedspin [N]: one thread computes N (5000) million loop turns without
 * a system call while another waits for it to start, then writes lines
 * and sleeps until it is done.  Under a deterministic schedule the
 * spinner holds the turn without reaching a call boundary: only the
 * real-time fallback can hand the turn over, and isotrace reports that
 * once as a determinism hazard.  The output does not depend on it.
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static volatile int	started, done;
static long		turns = 5000;

static void *
spinner(void *arg)
{
	volatile unsigned long	 x = 0;
	long			 i;

	(void)arg;
	started = 1;
	for (i = 0; i < turns * 1000000; i++)
		x += (unsigned long)i;
	done = 1;
	return NULL;
}

int
main(int argc, char *argv[])
{
	struct timespec	 ms = { 0, 1000000 };
	pthread_t	 t;
	int		 i;

	if (argc > 1)
		turns = atol(argv[1]);
	if (pthread_create(&t, NULL, spinner, NULL) != 0)
		return 1;
	while (!started)
		sched_yield();
	for (i = 0; i < 3; i++)
		printf("other thread: line %d\n", i);
	fflush(stdout);
	while (!done)
		nanosleep(&ms, NULL);
	pthread_join(t, NULL);
	puts("spinner done");
	return 0;
}
