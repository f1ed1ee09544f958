/*
 * schedrev MODE: cases where --schedule=deterministic once differed from
 * the kernel (tests/it/schedrev.sh).  Each prints what it saw; natively
 * the output is the same on every run.
 *
 *   pipe	a thread blocks in read(2) on a pipe; main writes a byte,
 *		then spins on sched_yield until the reader says it got it
 *   signal	a thread blocks in sigsuspend(2); main sends it SIGUSR1, then
 *		spins on sched_yield until its handler has run
 *   sigchld	a child exits while its parent sleeps 200 ms (SIGCHLD
 *		default: nanosleep is not interrupted), then the same
 *		with a thread of the parent in sem_wait
 *   pwait2	epoll_pwait2 on an empty set times out; the timeout it
 *		was given is as it was (the kernel does not write it)
 *   waitpid	waitpid (WUNTRACED) for a child that sleeps while another
 *		child has already exited; waitpid(0) for a child of our
 *		process group that sleeps while one of another group has
 *		exited
 *   threads	600 threads alive at once, each in sem_wait
 *   spin	sched_yield for ever
 *   stop	a child stops itself with SIGSTOP, its parent waits for
 *		the stop (WUNTRACED) and continues it
 *   futex	the futex calls' edge cases: a wake of 0, an unaligned
 *		address, a negative requeue count
 */
#include <sys/epoll.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int		 p[2];
static volatile int	 done;
static sem_t		 sem;

static void *
reader(void *a)
{
	char	 c;

	(void)a;
	if (read(p[0], &c, 1) == 1)
		done = 1;
	return NULL;
}

static void
on_usr1(int sig)
{
	(void)sig;
	done = 1;
}

static volatile int	 waiting;

/* SIGUSR1 blocked until it waits for it, so that it may come before. */
static void *
pauser(void *a)
{
	sigset_t	 none;

	(void)a;
	sigemptyset(&none);
	waiting = 1;
	sigsuspend(&none);
	return NULL;
}

static void *
sem_waiter(void *a)
{
	int	 r;

	(void)a;
	r = sem_wait(&sem);
	printf("sem_wait %d %s\n", r, r == 0 ? "ok" : strerror(errno));
	return NULL;
}

/* Main spins with sched_yield (a call that changes nothing for the
 * others) until the other thread is done. */
static void
spin(void)
{
	long	 n;

	for (n = 0; !done && n < 100000000; n++)
		sched_yield();
	printf("%s\n", done ? "done" : "never done");
}

static int
mode_pipe(void)
{
	pthread_t	 t;
	int		 i;

	if (pipe(p) == -1)
		return 1;
	pthread_create(&t, NULL, reader, NULL);
	for (i = 0; i < 20; i++)
		sched_yield();
	if (write(p[1], "x", 1) != 1)
		return 1;
	spin();
	pthread_join(t, NULL);
	return 0;
}

static int
mode_signal(void)
{
	pthread_t	 t;
	int		 i;

	sigset_t	 usr1;

	signal(SIGUSR1, on_usr1);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &usr1, NULL);
	pthread_create(&t, NULL, pauser, NULL);
	for (i = 0; !waiting; i++)
		sched_yield();
	for (i = 0; i < 20; i++)
		sched_yield();
	pthread_kill(t, SIGUSR1);
	spin();
	pthread_join(t, NULL);
	return 0;
}

static int
mode_sigchld(void)
{
	struct timespec	 ts = { 0, 200000000 }, rem = { 0, 0 };
	pthread_t	 t;
	int		 r, st;

	if (fork() == 0)
		_exit(0);
	r = nanosleep(&ts, &rem);
	printf("nanosleep %d %s\n", r, r == 0 ? "ok" : strerror(errno));
	wait(&st);
	sem_init(&sem, 0, 0);
	pthread_create(&t, NULL, sem_waiter, NULL);
	nanosleep(&ts, NULL);		/* the thread waits */
	if (fork() == 0)
		_exit(0);
	nanosleep(&ts, NULL);		/* its SIGCHLD comes */
	wait(&st);
	sem_post(&sem);
	pthread_join(t, NULL);
	return 0;
}

static int
mode_pwait2(void)
{
	struct timespec		 ts = { 0, 50000000 };
	struct epoll_event	 ev;
	int			 ep = epoll_create1(0);
	long			 r;

	r = syscall(SYS_epoll_pwait2, ep, &ev, 1, &ts, NULL, 8);
	printf("epoll_pwait2 %ld, timeout %ld.%09ld\n", r, (long)ts.tv_sec,
	    ts.tv_nsec);
	return 0;
}

static int
mode_waitpid(void)
{
	struct timespec	 ts = { 0, 300000000 }, ms = { 0, 1000000 };
	pid_t		 a, b, c, d;
	int		 st, i;

	if ((b = fork()) == 0)
		_exit(2);
	if ((a = fork()) == 0) {
		for (i = 0; i < 3; i++)
			nanosleep(&ts, NULL);
		_exit(3);
	}
	nanosleep(&ms, NULL);		/* b ends meanwhile */
	waitpid(a, &st, WUNTRACED);
	printf("a %d\n", WEXITSTATUS(st));
	waitpid(b, &st, 0);
	printf("b %d\n", WEXITSTATUS(st));
	/* c, of a group of its own, ends; d, of ours, sleeps. */
	if ((c = fork()) == 0) {
		setpgid(0, 0);
		_exit(4);
	}
	setpgid(c, c);
	if ((d = fork()) == 0) {
		nanosleep(&ts, NULL);
		_exit(5);
	}
	nanosleep(&ms, NULL);
	printf("group %d\n", waitpid(0, &st, 0) == d ? WEXITSTATUS(st) : -1);
	printf("c %d\n", waitpid(-c, &st, 0) == c ? WEXITSTATUS(st) : -1);
	return 0;
}

static void *
sem_sleeper(void *a)
{
	(void)a;
	sem_wait(&sem);
	return NULL;
}

/* 600 threads alive at once, each waiting on a semaphore. */
static int
mode_threads(void)
{
	static pthread_t	 t[600];
	pthread_attr_t		 at;
	int			 i, n, r = 0;

	sem_init(&sem, 0, 0);
	pthread_attr_init(&at);
	pthread_attr_setstacksize(&at, 65536);
	for (n = 0; n < 600; n++)
		if ((r = pthread_create(&t[n], &at, sem_sleeper, NULL)) != 0)
			break;
	printf("created %d%s%s\n", n, r != 0 ? ", then " : "",
	    r != 0 ? strerror(r) : "");
	for (i = 0; i < n; i++)
		sem_post(&sem);
	for (i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	printf("joined\n");
	return 0;
}

/* A child stops itself; its parent sees it stopped and continues it. */
static int
mode_stop(void)
{
	pid_t	 c;
	int	 st;

	if ((c = fork()) == 0) {
		raise(SIGSTOP);
		printf("child resumed\n");
		_exit(7);
	}
	waitpid(c, &st, WUNTRACED);
	printf("stopped %d\n", WIFSTOPPED(st) ? WSTOPSIG(st) : -1);
	kill(c, SIGCONT);
	waitpid(c, &st, 0);
	printf("exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return 0;
}

static uint32_t		 word[2];

static long
futex(uint32_t *w, int op, uint32_t val, long val2, uint32_t *w2,
    uint32_t val3)
{
	return syscall(SYS_futex, w, op, val, val2, w2, val3);
}

static void *
futex_waiter(void *a)
{
	(void)a;
	while (__atomic_load_n(&word[0], __ATOMIC_ACQUIRE) == 0)
		futex(&word[0], FUTEX_WAIT_PRIVATE, 0, 0, NULL, 0);
	return NULL;
}

static void
futex_said(const char *what, long r)
{
	printf("%s %ld%s%s\n", what, r, r < 0 ? " " : "",
	    r < 0 ? strerror(errno) : "");
}

/*
 * The kernel's futex answers at their edges: a wake of 0 waiters wakes
 * one (the count is checked after each wake), an address not aligned to
 * 4 bytes and a negative requeue count are EINVAL.
 */
static int
mode_futex(void)
{
	pthread_t	 t;
	long		 r;

	futex_said("unaligned wake",
	    futex((uint32_t *)(void *)((char *)word + 1), FUTEX_WAKE_PRIVATE,
	    1, 0, NULL, 0));
	futex_said("requeue -1", futex(&word[0], FUTEX_REQUEUE_PRIVATE, 1, -1,
	    &word[1], 0));
	pthread_create(&t, NULL, futex_waiter, NULL);
	/* Until the waiter waits: a wake of 0 then wakes it. */
	while ((r = futex(&word[0], FUTEX_WAKE_PRIVATE, 0, 0, NULL, 0)) == 0)
		sched_yield();
	futex_said("wake 0", r);
	__atomic_store_n(&word[0], 1, __ATOMIC_RELEASE);
	futex(&word[0], FUTEX_WAKE_PRIVATE, 1, 0, NULL, 0);
	pthread_join(t, NULL);
	return 0;
}

/* Calls for ever, holding the turn most of the time. */
static int
mode_spin(void)
{
	while (sched_yield() == 0)
		;
	return 1;
}

int
main(int argc, char *argv[])
{
	static const struct {
		const char	*name;
		int		(*fn)(void);
	} modes[] = {
		{ "pipe", mode_pipe }, { "signal", mode_signal },
		{ "sigchld", mode_sigchld }, { "pwait2", mode_pwait2 },
		{ "waitpid", mode_waitpid }, { "threads", mode_threads },
		{ "spin", mode_spin }, { "stop", mode_stop },
		{ "futex", mode_futex },
	};
	size_t	 i;

	setvbuf(stdout, NULL, _IONBF, 0);
	for (i = 0; argc == 2 && i < sizeof(modes) / sizeof(modes[0]); i++)
		if (strcmp(argv[1], modes[i].name) == 0)
			return modes[i].fn();
	fprintf(stderr, "usage: schedrev pipe|signal|sigchld|pwait2|waitpid|"
	    "threads|spin|stop|futex\n");
	return 2;
}
