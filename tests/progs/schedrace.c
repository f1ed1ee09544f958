/*
 * schedrace [THREADS [ROUNDS]]: threads (4) each add 1 to a shared
 * counter ROUNDS (25) times, with a read-modify-write that yields
 * between the read and the write.  Prints the order of the writes (one
 * letter per thread) and how many of the additions were lost.
 *
 * Natively both vary from run to run.  Under a deterministic schedule
 * (isotrace --sandbox --schedule=deterministic) threads switch only at
 * system-call boundaries, in an order fixed by the seed: one output per
 * seed, and different seeds give different outputs.
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>

#define MAXTHREADS	8
#define MAXROUNDS	100

static volatile long	counter;
static char		order[MAXTHREADS * MAXROUNDS + 1];
static int		pos;
static int		rounds = 25;

static void *
adder(void *arg)
{
	long	 v;
	int	 i;

	for (i = 0; i < rounds; i++) {
		v = counter;
		sched_yield();		/* the window: a switch point */
		counter = v + 1;
		order[__atomic_fetch_add(&pos, 1, __ATOMIC_SEQ_CST)] =
		    'A' + (char)(long)arg;
	}
	return NULL;
}

int
main(int argc, char *argv[])
{
	pthread_t	 t[MAXTHREADS];
	int		 n = 4, i;

	if (argc > 1)
		n = atoi(argv[1]);
	if (argc > 2)
		rounds = atoi(argv[2]);
	if (n < 1 || n > MAXTHREADS || rounds < 1 || rounds > MAXROUNDS)
		return 2;
	for (i = 0; i < n; i++)
		if (pthread_create(&t[i], NULL, adder, (void *)(long)i) != 0)
			return 1;
	for (i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	printf("order %s\n", order);
	printf("counter %ld of %d, lost %ld\n", counter, n * rounds,
	    n * rounds - counter);
	return 0;
}
