/*
 * vtime CASE...: for each case, one timed wait that nothing ends, and
 * what the program sees of it: the call's result and whether the time it
 * measured on the wait's own clock is its timeout (at least it, less
 * than 1 s more: a loaded host).
 * The same natively and in the sandbox, where the clock is virtual.
 *
 *	cond-rt, cond-mono	pthread_cond_timedwait, absolute, 300 ms
 *	sem			sem_timedwait (CLOCK_REALTIME), 300 ms
 *	futex			FUTEX_WAIT, relative, 200 ms
 *	futex-bitset		FUTEX_WAIT_BITSET, CLOCK_MONOTONIC, 200 ms
 *	semop			semtimedop, relative, 200 ms
 *	mq			mq_timedreceive (CLOCK_REALTIME), 200 ms
 *	sigwait			sigtimedwait, relative, 200 ms
 *	poll			poll on a pipe nobody writes, 200 ms
 *	aio			io_getevents, no event, relative, 200 ms
 *	cputime			a 100 ms sleep moves the CPU-time clocks
 *				by less than 20 ms
 *	sigyield		50 nanosleeps of 10 ms (restarted with what
 *				is left on EINTR) while another thread sends
 *				SIGWINCH (ignored) and SIGUSR1 (handled) every
 *				0.2 ms: 500 ms elapse; were any interrupted?
 *	order			a thread waits 300 ms on a condition variable
 *				while the main thread sleeps 1 s: did the wait
 *				time out before the sleep ended?
 *	errors			bad pointers and timespecs: each call's errno
 */
#include <sys/epoll.h>
#include <sys/ipc.h>
#include <sys/select.h>
#include <sys/sem.h>
#include <sys/syscall.h>
#include <linux/futex.h>
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NS	1000000000LL
#define MS	1000000LL
#define BAD	((void *)8)		/* never mapped */

static int64_t
now(int clk)
{
	struct timespec	 ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * NS + ts.tv_nsec;
}

static struct timespec
at(int clk, int64_t ms)
{
	int64_t	 ns = now(clk) + ms * MS;

	return (struct timespec){ ns / NS, ns % NS };
}

static struct timespec
rel(int64_t ms)
{
	return (struct timespec){ ms / 1000, ms % 1000 * MS };
}

/* The result (an errno name, or the value) and the elapsed verdict. */
static void
report(const char *what, int err, int clk, int64_t t0, int64_t ms)
{
	int64_t	 d = now(clk) - t0;

	printf("%s %s elapsed %s\n", what, err == 0 ? "ok" :
	    err == ETIMEDOUT ? "ETIMEDOUT" : err == EAGAIN ? "EAGAIN" :
	    strerror(err), d >= ms * MS && d < (ms + 1000) * MS ? "ok" :
	    d < ms * MS ? "short" : "long");
}

static void
cond(int clk)
{
	pthread_condattr_t	 a;
	pthread_cond_t		 c;
	pthread_mutex_t		 m = PTHREAD_MUTEX_INITIALIZER;
	struct timespec		 ts;
	int64_t			 t0;
	int			 e;

	pthread_condattr_init(&a);
	pthread_condattr_setclock(&a, clk);
	pthread_cond_init(&c, &a);
	pthread_mutex_lock(&m);
	t0 = now(clk);
	ts = at(clk, 300);
	while ((e = pthread_cond_timedwait(&c, &m, &ts)) == 0)
		;
	report(clk == CLOCK_REALTIME ? "cond-rt" : "cond-mono", e, clk, t0,
	    300);
}

static volatile int	 pester_stop;
static volatile int	 caught;

static void
catch(int sig)
{
	(void)sig;
	caught++;
}

static void *
pester(void *arg)
{
	pthread_t		 main_thread = *(pthread_t *)arg;
	struct timespec		 ts = { 0, 200000 };
	int			 n = 0;

	while (!pester_stop) {
		pthread_kill(main_thread, n++ % 2 ? SIGWINCH : SIGUSR1);
		nanosleep(&ts, NULL);
	}
	return NULL;
}

static void
sigyield(void)
{
	struct sigaction	 sa;
	struct timespec		 ts, left;
	pthread_t		 self = pthread_self(), p;
	int64_t			 t0;
	int			 i, fails = 0, eintr = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = catch;
	sigaction(SIGUSR1, &sa, NULL);
	if (pthread_create(&p, NULL, pester, &self) != 0)
		exit(1);
	t0 = now(CLOCK_MONOTONIC);
	for (i = 0; i < 50 && !fails; i++) {
		ts = rel(10);
		while (nanosleep(&ts, &left) == -1) {
			if (errno != EINTR)
				fails++;
			eintr++;
			ts = left;
		}
	}
	pester_stop = 1;
	pthread_join(p, NULL);
	report("sigyield", fails ? EIO : 0, CLOCK_MONOTONIC, t0, 500);
	printf("sigyield interrupted %s\n", eintr ? "yes" : "no");
}

static volatile int	 waiter_done, waiter_waits;

static void *
waiter(void *arg)
{
	pthread_cond_t		 c = PTHREAD_COND_INITIALIZER;
	pthread_mutex_t		 m = PTHREAD_MUTEX_INITIALIZER;
	struct timespec		 ts = at(CLOCK_REALTIME, 300);

	(void)arg;
	pthread_mutex_lock(&m);
	waiter_waits = 1;
	while (pthread_cond_timedwait(&c, &m, &ts) == 0)
		;
	waiter_done = 1;
	return NULL;
}

static void
order(void)
{
	struct timespec	 ts = rel(1000);
	pthread_t	 p;
	int64_t		 t0;
	volatile long	 spin;

	if (pthread_create(&p, NULL, waiter, NULL) != 0)
		exit(1);
	/* Until the waiter is in its wait, with no call that moves the
	 * clock: a sleep that starts first ends first. */
	while (!waiter_waits)
		;
	for (spin = 0; spin < 20000000; spin++)
		;
	t0 = now(CLOCK_MONOTONIC);
	nanosleep(&ts, NULL);
	printf("order waiter timed out first: %s\n", waiter_done ? "yes" :
	    "no");
	pthread_join(p, NULL);
	report("order", 0, CLOCK_MONOTONIC, t0, 1000);
}

static long
futex(uint32_t *u, int op, uint32_t val, const struct timespec *ts)
{
	return syscall(SYS_futex, u, op, val, ts, NULL, FUTEX_BITSET_MATCH_ANY);
}

static int
err(long r)
{
	return r == -1 ? errno : 0;
}

/* Each call as the kernel sees it: EFAULT, EINVAL, or what it said. */
static void
errors(void)
{
	struct timespec	 big = { 0, NS }, neg = { -1, 0 }, ok = { 0, 1000 };
	struct timeval	 tv = { 0, 1000 }, neg_tv = { 0, -1 };
	uint32_t	 u = 0;
	struct sembuf	 op = { 0, -1, 0 };
	sigset_t	 set;
	fd_set		 rd;
	char		 buf[64];
	int		 id, q, fds[2];

	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (pipe(fds) == -1)
		exit(1);
#define ROW(name, call)	printf("%-28s %s\n", name, strerror(err(call)))
	ROW("nanosleep bad", syscall(SYS_nanosleep, BAD, NULL));
	ROW("nanosleep nsec", syscall(SYS_nanosleep, &big, NULL));
	ROW("nanosleep neg", syscall(SYS_nanosleep, &neg, NULL));
	ROW("clock_nanosleep abs bad", syscall(SYS_clock_nanosleep,
	    CLOCK_MONOTONIC, TIMER_ABSTIME, BAD, NULL));
	ROW("clock_nanosleep nsec", syscall(SYS_clock_nanosleep,
	    CLOCK_REALTIME, 0, &big, NULL));
	ROW("clock_nanosleep raw", syscall(SYS_clock_nanosleep,
	    CLOCK_MONOTONIC_RAW, 0, &ok, NULL));
	ROW("clock_nanosleep thread", syscall(SYS_clock_nanosleep,
	    CLOCK_THREAD_CPUTIME_ID, 0, &ok, NULL));
	ROW("futex wait bad", futex(&u, FUTEX_WAIT, 0, BAD));
	ROW("futex wait nsec", futex(&u, FUTEX_WAIT, 0, &big));
	ROW("futex bitset bad", futex(&u, FUTEX_WAIT_BITSET, 0, BAD));
	ROW("futex bitset nsec", futex(&u, FUTEX_WAIT_BITSET, 0, &big));
	ROW("futex bitset rt neg", futex(&u, FUTEX_WAIT_BITSET |
	    FUTEX_CLOCK_REALTIME, 0, &neg));
	ROW("futex bitset value", futex(&u, FUTEX_WAIT_BITSET, 1, &ok));
	ROW("futex wait rt", futex(&u, FUTEX_WAIT | FUTEX_CLOCK_REALTIME, 0,
	    &ok));
	ROW("futex_waitv clock", syscall(SYS_futex_waitv, NULL, 0, 0, &ok,
	    CLOCK_BOOTTIME));
	ROW("poll past", poll(NULL, 0, 0));
	ROW("ppoll bad", syscall(SYS_ppoll, NULL, 0, BAD, NULL, 8));
	ROW("ppoll nsec", syscall(SYS_ppoll, NULL, 0, &big, NULL, 8));
	/* 2 s in tv_usec, carried over by the kernel; the pipe is ready. */
	tv.tv_usec = 2000000;
	FD_ZERO(&rd);
	FD_SET(fds[0], &rd);
	if (write(fds[1], "x", 1) != 1)
		exit(1);
	ROW("select usec carried", syscall(SYS_select, fds[0] + 1, &rd, NULL,
	    NULL, &tv));
	ROW("select neg", syscall(SYS_select, 0, NULL, NULL, NULL, &neg_tv));
	ROW("select bad", syscall(SYS_select, 0, NULL, NULL, NULL, BAD));
	ROW("pselect6 nsec", syscall(SYS_pselect6, 0, NULL, NULL, NULL, &big,
	    NULL));
	ROW("rt_sigtimedwait bad", syscall(SYS_rt_sigtimedwait, &set, NULL,
	    BAD, 8));
	ROW("rt_sigtimedwait nsec", syscall(SYS_rt_sigtimedwait, &set, NULL,
	    &big, 8));
	if ((id = semget(IPC_PRIVATE, 1, 0600)) != -1) {
		ROW("semtimedop bad", semtimedop(id, &op, 1, BAD));
		ROW("semtimedop nsec", semtimedop(id, &op, 1, &big));
		semctl(id, 0, IPC_RMID);
	}
	snprintf(buf, sizeof(buf), "/vtime-errors-%d", (int)getpid());
	if ((q = mq_open(buf, O_RDWR | O_CREAT | O_EXCL, 0600, NULL)) != -1) {
		mq_unlink(buf);
		ROW("mq_timedreceive bad", syscall(SYS_mq_timedreceive, q, buf,
		    sizeof(buf), NULL, BAD));
		ROW("mq_timedreceive nsec", syscall(SYS_mq_timedreceive, q,
		    buf, sizeof(buf), NULL, &big));
	}
	ROW("epoll_pwait2 nsec", syscall(SYS_epoll_pwait2, epoll_create1(0),
	    buf, 1, &big, NULL, 8));
#undef ROW
}

static int
one(const char *c)
{
	struct timespec	 ts;
	struct sembuf	 op = { 0, -1, 0 };
	struct pollfd	 pfd;
	sigset_t	 set;
	sem_t		 s;
	uint32_t	 u = 0;
	char		 name[64], buf[8192];
	unsigned long	 ctx = 0;
	struct {
		uint64_t data, obj;
		int64_t res, res2;
	}		 ev[1];
	int64_t		 t0;
	long		 r;
	int		 id, q, fds[2];

	if (strcmp(c, "cond-rt") == 0)
		cond(CLOCK_REALTIME);
	else if (strcmp(c, "cond-mono") == 0)
		cond(CLOCK_MONOTONIC);
	else if (strcmp(c, "sem") == 0) {
		sem_init(&s, 0, 0);
		t0 = now(CLOCK_REALTIME);
		ts = at(CLOCK_REALTIME, 300);
		report("sem", err(sem_timedwait(&s, &ts)), CLOCK_REALTIME, t0,
		    300);
	} else if (strcmp(c, "futex") == 0) {
		t0 = now(CLOCK_MONOTONIC);
		ts = rel(200);
		report("futex", err(futex(&u, FUTEX_WAIT_PRIVATE, 0, &ts)),
		    CLOCK_MONOTONIC, t0, 200);
	} else if (strcmp(c, "futex-bitset") == 0) {
		t0 = now(CLOCK_MONOTONIC);
		ts = at(CLOCK_MONOTONIC, 200);
		report("futex-bitset", err(futex(&u, FUTEX_WAIT_BITSET, 0,
		    &ts)), CLOCK_MONOTONIC, t0, 200);
	} else if (strcmp(c, "semop") == 0) {
		if ((id = semget(IPC_PRIVATE, 1, 0600)) == -1)
			return 1;
		t0 = now(CLOCK_MONOTONIC);
		ts = rel(200);
		report("semop", err(semtimedop(id, &op, 1, &ts)),
		    CLOCK_MONOTONIC, t0, 200);
		semctl(id, 0, IPC_RMID);
	} else if (strcmp(c, "mq") == 0) {
		snprintf(name, sizeof(name), "/vtime-%d", (int)getpid());
		if ((q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600,
		    NULL)) == -1)
			return 1;
		mq_unlink(name);
		t0 = now(CLOCK_REALTIME);
		ts = at(CLOCK_REALTIME, 200);
		report("mq", err(mq_timedreceive(q, buf, sizeof(buf), NULL,
		    &ts)), CLOCK_REALTIME, t0, 200);
	} else if (strcmp(c, "sigwait") == 0) {
		sigemptyset(&set);
		sigaddset(&set, SIGUSR1);
		sigprocmask(SIG_BLOCK, &set, NULL);
		t0 = now(CLOCK_MONOTONIC);
		ts = rel(200);
		report("sigwait", err(sigtimedwait(&set, NULL, &ts)),
		    CLOCK_MONOTONIC, t0, 200);
	} else if (strcmp(c, "poll") == 0) {
		if (pipe(fds) == -1)
			return 1;
		pfd = (struct pollfd){ fds[0], POLLIN, 0 };
		t0 = now(CLOCK_MONOTONIC);
		report("poll", err(poll(&pfd, 1, 200)), CLOCK_MONOTONIC, t0,
		    200);
	} else if (strcmp(c, "aio") == 0) {
		if (syscall(SYS_io_setup, 1, &ctx) == -1)
			return 1;
		t0 = now(CLOCK_MONOTONIC);
		ts = rel(200);
		r = syscall(SYS_io_getevents, ctx, 1, 1, ev, &ts);
		report("aio", r == 0 ? 0 : r == -1 ? errno : EIO,
		    CLOCK_MONOTONIC, t0, 200);
		syscall(SYS_io_destroy, ctx);
	} else if (strcmp(c, "cputime") == 0) {
		t0 = now(CLOCK_PROCESS_CPUTIME_ID);
		r = now(CLOCK_THREAD_CPUTIME_ID);
		ts = rel(100);
		nanosleep(&ts, NULL);
		printf("cputime process %s thread %s\n",
		    now(CLOCK_PROCESS_CPUTIME_ID) - t0 < 20 * MS ? "ok" : "moved",
		    now(CLOCK_THREAD_CPUTIME_ID) - r < 20 * MS ? "ok" : "moved");
	} else if (strcmp(c, "sigyield") == 0)
		sigyield();
	else if (strcmp(c, "order") == 0)
		order();
	else if (strcmp(c, "errors") == 0)
		errors();
	else {
		fprintf(stderr, "vtime: no case %s\n", c);
		return 2;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	int	 i, r;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 1; i < argc; i++)
		if ((r = one(argv[i])) != 0)
			return r;
	return 0;
}
