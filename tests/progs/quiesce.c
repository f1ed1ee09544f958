/*
 * quiesce CASE: a thread's sleep against what the process's other
 * threads do meanwhile; prints the order in which things happened.
 *
 *	compute	the main thread sleeps 1 s while another computes for
 *		~0.1 s of CPU, then waits 0.3 s on a condition variable:
 *		the wait times out before the sleep ends
 *	barrier	5 threads leave a barrier; one sleeps 1 s, the other four
 *		compute a little and wait for it at a second barrier with
 *		a 0.5 s timeout: they give up, and the sleeper finds the
 *		barrier broken (Python's BarrierTests.test_timeout in C)
 *	polls	a thread sleeps 0.5 s twice, raising a flag after each,
 *		while the main thread polls the flags with 10 ms sleeps:
 *		it sees each flag alone, many polls apart
 *	spin	the main thread sleeps 5 s while another computes until
 *		it has woken: the sleep ends anyway
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NS	1000000000LL
#define MS	1000000LL
#define EVENTS	16

static pthread_mutex_t	 lock = PTHREAD_MUTEX_INITIALIZER;
static const char	*events[EVENTS];
static int		 nevents;

/* What happened, in the order it happened. */
static void
event(const char *what)
{
	pthread_mutex_lock(&lock);
	if (nevents < EVENTS)
		events[nevents++] = what;
	pthread_mutex_unlock(&lock);
}

static void
print_events(void)
{
	int	 i;

	for (i = 0; i < nevents; i++)
		printf("%s\n", events[i]);
}

static void
sleep_ms(long ms)
{
	struct timespec	 ts = { ms / 1000, ms % 1000 * MS };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* Work with no system call: ~0.1 s of CPU per 100 units here. */
static void
compute(long units)
{
	volatile unsigned long	 x = 0;
	long			 i;

	for (i = 0; i < units * 1000000; i++)
		x += (unsigned long)i * 2654435761UL;
}

static struct timespec
after_ms(long ms)
{
	struct timespec	 ts;
	int64_t		 ns;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ns = ts.tv_sec * NS + ts.tv_nsec + ms * MS;
	return (struct timespec){ ns / NS, ns % NS };
}

static void *
computer(void *arg)
{
	pthread_condattr_t	 a;
	pthread_cond_t		 c;
	pthread_mutex_t		 m = PTHREAD_MUTEX_INITIALIZER;
	struct timespec		 ts;
	int			 e;

	(void)arg;
	compute(100);
	pthread_condattr_init(&a);
	pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	pthread_cond_init(&c, &a);
	pthread_mutex_lock(&m);
	ts = after_ms(300);
	while ((e = pthread_cond_timedwait(&c, &m, &ts)) == 0)
		;
	event(e == ETIMEDOUT ? "waiter timed out" : "waiter failed");
	pthread_mutex_unlock(&m);
	return NULL;
}

static void
case_compute(void)
{
	pthread_t	 p;

	struct timespec	 t0, t1;
	int64_t		 d;

	if (pthread_create(&p, NULL, computer, NULL) != 0)
		exit(1);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	sleep_ms(1000);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	d = (t1.tv_sec - t0.tv_sec) * NS + t1.tv_nsec - t0.tv_nsec;
	event(d >= NS && d < NS + 100 * MS ? "sleeper woke after 1 s" :
	    "sleeper woke, but not after 1 s");
	pthread_join(p, NULL);
	print_events();
}

/* A barrier with a timeout, as Python's threading.Barrier. */
#define PARTIES	5
static pthread_cond_t	 bcond;
static int		 barrived, bround, bbroken;

static const char *
barrier_wait(long ms)
{
	struct timespec	 ts = after_ms(ms);
	int		 round, e = 0;

	pthread_mutex_lock(&lock);
	if (bbroken) {
		pthread_mutex_unlock(&lock);
		return "broken";
	}
	round = bround;
	if (++barrived == PARTIES) {
		barrived = 0;
		bround++;
		pthread_cond_broadcast(&bcond);
		pthread_mutex_unlock(&lock);
		return "passed";
	}
	while (bround == round && !bbroken && e != ETIMEDOUT)
		e = pthread_cond_timedwait(&bcond, &lock, &ts);
	if (bround == round && !bbroken) {
		bbroken = 1;		/* the timeout's: the others see it */
		pthread_cond_broadcast(&bcond);
	}
	pthread_mutex_unlock(&lock);
	return bround != round ? "passed" : "broken";
}

static const char	*bresult[PARTIES];

static void *
party(void *arg)
{
	long	 i = (long)arg;

	barrier_wait(5000);
	if (i == PARTIES / 2)
		sleep_ms(1000);
	else
		compute(20);
	bresult[i] = barrier_wait(500);
	return NULL;
}

static void
case_barrier(void)
{
	pthread_condattr_t	 a;
	pthread_t		 p[PARTIES];
	long			 i;

	pthread_condattr_init(&a);
	pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	pthread_cond_init(&bcond, &a);
	for (i = 0; i < PARTIES; i++)
		if (pthread_create(&p[i], NULL, party, (void *)i) != 0)
			exit(1);
	for (i = 0; i < PARTIES; i++)
		pthread_join(p[i], NULL);
	for (i = 0; i < PARTIES; i++)
		printf("party %ld: %s%s\n", i, bresult[i],
		    i == PARTIES / 2 ? " (the late one)" : "");
}

static volatile int	 flag;

static void *
raiser(void *arg)
{
	(void)arg;
	sleep_ms(500);
	flag = 1;
	sleep_ms(500);
	flag = 2;
	return NULL;
}

static void
case_polls(void)
{
	pthread_t	 p;
	int		 polls = 0, at1 = -1;

	if (pthread_create(&p, NULL, raiser, NULL) != 0)
		exit(1);
	while (flag != 2) {
		if (flag == 1 && at1 < 0)
			at1 = polls;
		sleep_ms(10);
		polls++;
	}
	pthread_join(p, NULL);
	/* Natively ~50 polls before each flag: some are always lost. */
	printf("polls before the first flag: %s\n", at1 >= 20 ? "many" :
	    at1 < 0 ? "none (both flags at once)" : "few");
	printf("polls between the flags: %s\n", at1 >= 0 &&
	    polls - at1 >= 20 ? "many" : "few");
}

static volatile int	 woke;

static void *
spinner(void *arg)
{
	(void)arg;
	while (!woke)
		;
	event("spinner saw the sleeper wake");
	return NULL;
}

static void
case_spin(void)
{
	pthread_t	 p;

	if (pthread_create(&p, NULL, spinner, NULL) != 0)
		exit(1);
	sleep_ms(5000);
	event("sleeper woke");
	woke = 1;
	pthread_join(p, NULL);
	print_events();
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc != 2)
		goto usage;
	if (strcmp(argv[1], "compute") == 0)
		case_compute();
	else if (strcmp(argv[1], "barrier") == 0)
		case_barrier();
	else if (strcmp(argv[1], "polls") == 0)
		case_polls();
	else if (strcmp(argv[1], "spin") == 0)
		case_spin();
	else
		goto usage;
	return 0;
usage:
	fprintf(stderr, "usage: quiesce compute|barrier|polls|spin\n");
	return 2;
}
