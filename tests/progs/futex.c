/*
 * futex: mutex and condition-variable traffic between threads.
 *
 *	futex [THREADS [ITERS [ROUNDS]]]	(default 8 10000 1000)
 *
 * THREADS threads each increment a shared counter ITERS times under one
 * pthread mutex; then two threads hand a token back and forth ROUNDS times
 * through a condition variable.  Prints the final counts; exits 1 if any
 * count is off.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static long iters = 10000;

static pthread_mutex_t turn_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turn_cond = PTHREAD_COND_INITIALIZER;
static int turn;		/* 0: ping's turn, 1: pong's turn */
static long rounds = 1000;
static long hits[2];

static void *
incrementer(void *arg)
{
	(void)arg;
	for (long i = 0; i < iters; i++) {
		pthread_mutex_lock(&count_lock);
		counter++;
		pthread_mutex_unlock(&count_lock);
	}
	return NULL;
}

static void *
player(void *arg)
{
	int me = (int)(long)arg;

	for (long i = 0; i < rounds; i++) {
		pthread_mutex_lock(&turn_lock);
		while (turn != me)
			pthread_cond_wait(&turn_cond, &turn_lock);
		hits[me]++;
		turn = !me;
		pthread_cond_signal(&turn_cond);
		pthread_mutex_unlock(&turn_lock);
	}
	return NULL;
}

static void
start(pthread_t *t, void *(*fn)(void *), void *arg)
{
	if (pthread_create(t, NULL, fn, arg) != 0) {
		perror("futex: pthread_create");
		exit(2);
	}
}

int
main(int argc, char **argv)
{
	long nthreads = 8;
	pthread_t t[64], p[2];

	if (argc > 1)
		nthreads = atol(argv[1]);
	if (argc > 2)
		iters = atol(argv[2]);
	if (argc > 3)
		rounds = atol(argv[3]);
	if (nthreads < 1 || nthreads > 64 || iters < 0 || rounds < 0) {
		fprintf(stderr, "usage: futex [THREADS(1-64) [ITERS [ROUNDS]]]\n");
		return 2;
	}

	for (long i = 0; i < nthreads; i++)
		start(&t[i], incrementer, NULL);
	for (long i = 0; i < nthreads; i++)
		pthread_join(t[i], NULL);
	printf("mutex: %ld threads x %ld: counter %ld\n", nthreads, iters,
	    counter);

	start(&p[1], player, (void *)1L);
	start(&p[0], player, (void *)0L);
	pthread_join(p[0], NULL);
	pthread_join(p[1], NULL);
	printf("condvar: %ld rounds: ping %ld pong %ld\n", rounds, hits[0],
	    hits[1]);

	return counter == nthreads * iters && hits[0] == rounds &&
	    hits[1] == rounds ? 0 : 1;
}
