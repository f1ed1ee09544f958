/*
 * vtimers MODE [x]: a timer, and what the program sees of it.  Every line
 * is the same natively (rounded to what a loaded host keeps) and in the
 * sandbox; with "x" the lines also show the exact times and counts that
 * only the sandbox's virtual clock makes reproducible.
 *
 *	alarm	alarm(1), then a 5 s nanosleep: EINTR, rem, SIGALRM's si_code
 *	itimer	ITIMER_REAL every 100 ms through 50 sleeps of 10 ms
 *	late	ITIMER_REAL every 100 ms through 6 sleeps of 99 ms: each
 *		sleep ends 1 ms before the timer, which cuts the next one
 *		(natively only on an idle host: "x" lines only)
 *	posix	timer_create: SIGEV_SIGNAL with overruns while blocked,
 *		SIGEV_NONE, SIGEV_THREAD_ID to a thread that sleeps
 *	timerfd	a relative periodic timerfd, and a blocking read
 *	fork	a child of fork has no timers; its parent keeps them
 *	spin	alarm(1) and a loop with no system call until SIGALRM
 *	exec	alarm(1) survives execve (into "execd"), a POSIX timer not
 *	pause	pause, sigsuspend and sigwaitinfo, each ended by a timer
 *	select	select and poll on no descriptor, ended by alarm(1)
 */
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int			 exact;
static volatile sig_atomic_t	 hits, code, overrun, tid_ok, timerid;
static volatile intptr_t	 value;

static void
on_sig(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	hits++;
	code = si->si_code;
	if (si->si_code == SI_TIMER) {
		overrun = si->si_overrun;
		timerid = si->si_timerid;
		value = (intptr_t)si->si_value.sival_ptr;
	}
	tid_ok = 1;
}

static void
catch(int sig)
{
	struct sigaction	 sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sig;
	sa.sa_flags = SA_SIGINFO;
	sigaction(sig, &sa, NULL);
}

static double
secs(const struct timespec *ts)
{
	return ts->tv_sec + ts->tv_nsec / 1e9;
}

/* want, when got is within what a loaded host adds (0.3 s, or half of
 * want) of it; 0 (a timer that never ran) stays apart from want. */
static double
near(double got, double want)
{
	double	 slack = want / 2 < 0.3 ? want / 2 : 0.3;

	return got - want <= slack && want - got <= slack ? want : got;
}

static uint64_t
mono(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
}

static void
nap(long ms)
{
	struct timespec	 ts = { ms / 1000, ms % 1000 * 1000000 };

	nanosleep(&ts, NULL);
}

static const char *
code_name(int c)
{
	return c == SI_KERNEL ? "SI_KERNEL" : c == SI_TIMER ? "SI_TIMER" :
	    c == SI_QUEUE ? "SI_QUEUE" : "other";
}

/* A 5 s sleep that the alarm armed 1 s before ends. */
static void
t_alarm_wait(void)
{
	struct timespec	 req = { 5, 0 }, rem = { 0, 0 };
	uint64_t	 t0, t1;
	int		 r, e;

	catch(SIGALRM);
	t0 = mono();
	r = nanosleep(&req, &rem);
	e = errno;
	t1 = mono();
	printf("nanosleep %d %s\n", r, r == -1 ? strerror(e) : "");
	printf("rem %.1f\n", near(secs(&rem), 4.0));
	printf("SIGALRM %d %s\n", (int)hits, code_name(code));
	printf("elapsed %.1f\n", near((t1 - t0) / 1e9, 1.0));
	printf("alarm left %u\n", alarm(0));
	if (exact)
		printf("x rem %ld.%09ld elapsed %llu\n", (long)rem.tv_sec,
		    rem.tv_nsec, (unsigned long long)(t1 - t0));
}

static void
t_alarm(void)
{
	alarm(1);
	t_alarm_wait();
}

static void
t_itimer(void)
{
	struct itimerval	 it = { { 0, 100000 }, { 0, 100000 } }, cur;
	int			 i, eintr = 0;
	struct timespec		 ts = { 0, 10000000 };

	catch(SIGALRM);
	setitimer(ITIMER_REAL, &it, NULL);
	for (i = 0; i < 50; i++)
		if (nanosleep(&ts, NULL) == -1 && errno == EINTR)
			eintr++;
	getitimer(ITIMER_REAL, &cur);
	printf("interval %ld.%06ld\n", (long)cur.it_interval.tv_sec,
	    (long)cur.it_interval.tv_usec);
	printf("armed %s\n", cur.it_value.tv_usec > 0 ? "yes" : "no");
	if (exact)
		printf("x SIGALRM %d eintr %d left %ld.%06ld\n", (int)hits,
		    eintr, (long)cur.it_value.tv_sec,
		    (long)cur.it_value.tv_usec);
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, &cur);
	getitimer(ITIMER_REAL, &cur);
	printf("disarmed %ld.%06ld\n", (long)cur.it_value.tv_sec,
	    (long)cur.it_value.tv_usec);
}

static void
t_late(void)
{
	struct itimerval	 it = { { 0, 100000 }, { 0, 100000 } };
	struct timespec		 ts = { 0, 99000000 }, rem;
	int			 i, r;

	catch(SIGALRM);
	setitimer(ITIMER_REAL, &it, NULL);
	for (i = 0; i < 6; i++) {
		memset(&rem, 0, sizeof(rem));
		r = nanosleep(&ts, &rem);
		if (exact)
			printf("x sleep %d %s rem %ld ms SIGALRM %d\n", i,
			    r == -1 && errno == EINTR ? "EINTR" : "done",
			    rem.tv_nsec / 1000000, (int)hits);
	}
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	printf("sleeps %d\n", i);
}

struct target {
	pid_t			 tg_tid;
	int			 tg_ready, tg_go;
	int			 tg_ret, tg_errno;
	int			 tg_hit;
	pthread_mutex_t		 tg_mu;
	pthread_cond_t		 tg_cv;
};

static __thread int	 mine;

static void
on_thread_sig(int sig)
{
	(void)sig;
	mine++;
}

static void *
target_main(void *arg)
{
	struct target	*tg = arg;
	struct timespec	 ts = { 2, 0 };

	pthread_mutex_lock(&tg->tg_mu);
	tg->tg_tid = (pid_t)syscall(SYS_gettid);
	tg->tg_ready = 1;
	pthread_cond_broadcast(&tg->tg_cv);
	while (!tg->tg_go)	/* until its timer is armed */
		pthread_cond_wait(&tg->tg_cv, &tg->tg_mu);
	pthread_mutex_unlock(&tg->tg_mu);
	tg->tg_ret = nanosleep(&ts, NULL);
	tg->tg_errno = errno;
	tg->tg_hit = mine;
	return NULL;
}

static void
t_posix(void)
{
	struct itimerspec	 its = { { 0, 50000000 }, { 0, 50000000 } }, cur;
	struct sigevent		 sev;
	struct target		 tg;
	struct sigaction	 sa;
	pthread_t		 th;
	sigset_t		 set;
	timer_t			 id, none, tid;

	/* SIGEV_SIGNAL, blocked over three periods: one signal, overrun 2. */
	catch(SIGRTMIN);
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGRTMIN;
	sev.sigev_value.sival_ptr = (void *)(intptr_t)4242;
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (timer_create(CLOCK_MONOTONIC, &sev, &id) == -1) {
		perror("timer_create");
		return;
	}
	timer_settime(id, 0, &its, NULL);
	timer_gettime(id, &cur);
	printf("signal interval %.3f\n", secs(&cur.it_interval));
	if (exact)
		printf("x signal left %.9f\n", secs(&cur.it_value));
	nap(175);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	/* Natively the count depends on how late the sleep ends. */
	printf("signal hits %d %s id %s value %ld overrun %s getoverrun %s\n",
	    (int)hits, code_name(code),
	    timerid == (intptr_t)id ? "same" : "other", (long)value,
	    overrun >= 2 ? ">=2" : "<2",
	    timer_getoverrun(id) == overrun ? "same" : "other");
	if (exact)
		printf("x overrun %d\n", (int)overrun);
	timer_delete(id);
	printf("deleted gettime %d\n", timer_gettime(id, &cur));

	/* SIGEV_NONE: it only counts down. */
	sev.sigev_notify = SIGEV_NONE;
	timer_create(CLOCK_REALTIME, &sev, &none);
	its.it_interval = (struct timespec){ 0, 0 };
	its.it_value = (struct timespec){ 0, 100000000 };
	timer_settime(none, 0, &its, NULL);
	timer_gettime(none, &cur);
	printf("none armed %s\n", secs(&cur.it_value) > 0.05 ? "yes" : "no");
	if (exact)
		printf("x none left %.9f\n", secs(&cur.it_value));
	nap(150);
	timer_gettime(none, &cur);
	printf("none after %.9f hits %d\n", secs(&cur.it_value), (int)hits);

	/* SIGEV_THREAD_ID: the thread's own sleep ends with its signal. */
	memset(&tg, 0, sizeof(tg));
	pthread_mutex_init(&tg.tg_mu, NULL);
	pthread_cond_init(&tg.tg_cv, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_thread_sig;
	sigaction(SIGRTMIN + 1, &sa, NULL);
	pthread_create(&th, NULL, target_main, &tg);
	pthread_mutex_lock(&tg.tg_mu);
	while (!tg.tg_ready)
		pthread_cond_wait(&tg.tg_cv, &tg.tg_mu);
	pthread_mutex_unlock(&tg.tg_mu);
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = SIGRTMIN + 1;
	sev._sigev_un._tid = tg.tg_tid;
	if (timer_create(CLOCK_MONOTONIC, &sev, &tid) == -1) {
		perror("timer_create thread");
		return;
	}
	its.it_value = (struct timespec){ 0, 20000000 };
	timer_settime(tid, 0, &its, NULL);
	pthread_mutex_lock(&tg.tg_mu);
	tg.tg_go = 1;
	pthread_cond_broadcast(&tg.tg_cv);
	pthread_mutex_unlock(&tg.tg_mu);
	pthread_join(th, NULL);
	printf("thread sleep %d %s, its handler ran %d\n", tg.tg_ret,
	    tg.tg_ret == -1 ? strerror(tg.tg_errno) : "", tg.tg_hit);
}

static void
t_timerfd(void)
{
	struct itimerspec	 its = { { 0, 50000000 }, { 0, 50000000 } }, cur;
	uint64_t		 n = 0, t0, t1;
	ssize_t			 r;
	int			 fd;

	/* Non-blocking: nothing yet, then the periods that passed. */
	fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	timerfd_settime(fd, 0, &its, NULL);
	r = read(fd, &n, sizeof(n));
	printf("at once %zd %s\n", r, r == -1 ? strerror(errno) : "");
	nap(125);
	r = read(fd, &n, sizeof(n));
	printf("after 125 ms %zd count %s\n", r, n >= 2 ? ">=2" : "<2");
	if (exact)
		printf("x count %llu\n", (unsigned long long)n);
	timerfd_gettime(fd, &cur);
	printf("interval %.3f\n", secs(&cur.it_interval));
	if (exact)
		printf("x left %.9f\n", secs(&cur.it_value));
	close(fd);

	/* Blocking: read waits for the deadline. */
	fd = timerfd_create(CLOCK_REALTIME, 0);
	its.it_interval = (struct timespec){ 0, 0 };
	its.it_value = (struct timespec){ 0, 200000000 };
	timerfd_settime(fd, 0, &its, NULL);
	timerfd_gettime(fd, &cur);
	t0 = mono();
	r = read(fd, &n, sizeof(n));
	t1 = mono();
	printf("blocking %zd count %llu elapsed %.1f\n", r,
	    (unsigned long long)n, near((t1 - t0) / 1e9, 0.2));
	if (exact)
		printf("x armed %.9f elapsed %llu\n", secs(&cur.it_value),
		    (unsigned long long)(t1 - t0));
	timerfd_gettime(fd, &cur);
	printf("spent %.9f\n", secs(&cur.it_value));
	close(fd);
}

static void
t_fork(void)
{
	struct itimerspec	 its = { { 0, 0 }, { 30, 0 } }, cur;
	struct itimerval	 iv;
	timer_t			 id;
	pid_t			 pid;
	int			 st;

	alarm(30);
	timer_create(CLOCK_MONOTONIC, NULL, &id);
	timer_settime(id, 0, &its, NULL);
	if ((pid = fork()) == 0) {
		getitimer(ITIMER_REAL, &iv);
		st = timer_gettime(id, &cur);
		printf("child itimer %ld gettime %d %s alarm %u\n",
		    (long)iv.it_value.tv_sec, st, strerror(errno), alarm(0));
		/* Its own alarm is its own. */
		t_alarm();
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	printf("child: %s\n", WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "ok" :
	    "failed");
	getitimer(ITIMER_REAL, &iv);
	timer_gettime(id, &cur);
	printf("parent itimer %s timer %s\n",
	    iv.it_value.tv_sec >= 28 ? "kept" : "lost",
	    cur.it_value.tv_sec >= 28 ? "kept" : "lost");
}

static char	*self;

/* After execve: the alarm is still there, the POSIX timer is not. */
static void
t_execd(void)
{
	struct itimerspec	 cur;

	printf("execd gettime %d\n", timer_gettime((timer_t)0, &cur));
	t_alarm_wait();
}

static void
t_exec(void)
{
	struct itimerspec	 its = { { 0, 0 }, { 30, 0 } };
	timer_t			 id;

	timer_create(CLOCK_MONOTONIC, NULL, &id);
	timer_settime(id, 0, &its, NULL);
	printf("timer id %ld\n", (long)(intptr_t)id);
	alarm(1);
	execl(self, self, "execd", exact ? "x" : NULL, (char *)NULL);
	perror("execl");
}

/* Waits on no descriptor are sleeps: alarm(1) ends them too. */
static void
t_select(void)
{
	struct timeval	 tv = { 10, 0 };
	uint64_t	 t0, t1, t2;
	int		 r;

	catch(SIGALRM);
	t0 = mono();
	alarm(1);
	r = select(0, NULL, NULL, NULL, &tv);
	t1 = mono();
	printf("select %d %s hits %d elapsed %.1f\n", r, strerror(errno),
	    (int)hits, near((t1 - t0) / 1e9, 1.0));
	alarm(1);
	r = poll(NULL, 0, 10000);
	t2 = mono();
	printf("poll %d %s hits %d elapsed %.1f\n", r, strerror(errno),
	    (int)hits, near((t2 - t1) / 1e9, 1.0));
	if (exact)
		printf("x %llu %llu\n", (unsigned long long)(t1 - t0),
		    (unsigned long long)(t2 - t1));
}

/* Waits that only the timer ends: pause, sigsuspend, sigtimedwait. */
static void
t_pause(void)
{
	struct itimerval	 it = { { 0, 0 }, { 0, 200000 } };
	struct itimerspec	 its = { { 0, 0 }, { 0, 200000000 } };
	struct sigevent		 sev;
	siginfo_t		 si;
	sigset_t		 set, none;
	uint64_t		 t0, t1, t2, t3;
	timer_t			 id;
	int			 r;

	catch(SIGALRM);
	t0 = mono();
	setitimer(ITIMER_REAL, &it, NULL);
	r = pause();
	t1 = mono();
	printf("pause %d %s hits %d elapsed %.1f\n", r, strerror(errno),
	    (int)hits, near((t1 - t0) / 1e9, 0.2));

	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	sigaddset(&set, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sigemptyset(&none);
	setitimer(ITIMER_REAL, &it, NULL);
	r = sigsuspend(&none);
	t2 = mono();
	printf("sigsuspend %d %s hits %d elapsed %.1f\n", r, strerror(errno),
	    (int)hits, near((t2 - t1) / 1e9, 0.2));

	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGRTMIN;
	sev.sigev_value.sival_int = 7;
	timer_create(CLOCK_BOOTTIME, &sev, &id);
	timer_settime(id, 0, &its, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	r = sigwaitinfo(&set, &si);
	t3 = mono();
	printf("sigwaitinfo %s %s value %d elapsed %.1f\n",
	    r == SIGRTMIN ? "SIGRTMIN" : "other", code_name(si.si_code),
	    si.si_value.sival_int, near((t3 - t2) / 1e9, 0.2));
	/* SIGALRM (blocked since sigsuspend) taken the same way. */
	setitimer(ITIMER_REAL, &it, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	r = sigwaitinfo(&set, &si);
	printf("sigwaitinfo %s %s\n", r == SIGALRM ? "SIGALRM" : "other",
	    code_name(si.si_code));
	if (exact)
		printf("x %llu %llu %llu\n", (unsigned long long)(t1 - t0),
		    (unsigned long long)(t2 - t1),
		    (unsigned long long)(t3 - t2));
}

static void
t_spin(void)
{
	uint64_t	 t0, t1;

	catch(SIGALRM);
	t0 = mono();
	alarm(1);
	while (hits == 0)
		;
	t1 = mono();
	printf("spun SIGALRM %d %s\n", (int)hits, code_name(code));
	if (exact)
		printf("x elapsed %llu\n", (unsigned long long)(t1 - t0));
}

int
main(int argc, char *argv[])
{
	static const struct {
		const char	*m_name;
		void		(*m_fn)(void);
	} modes[] = {
		{ "alarm", t_alarm }, { "itimer", t_itimer }, { "late", t_late },
		{ "posix", t_posix }, { "timerfd", t_timerfd },
		{ "fork", t_fork }, { "spin", t_spin },
		{ "exec", t_exec }, { "execd", t_execd },
		{ "pause", t_pause }, { "select", t_select },
	};
	size_t	 i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	self = argv[0];
	exact = argc > 2 && strcmp(argv[2], "x") == 0;
	for (i = 0; argc > 1 && i < sizeof(modes) / sizeof(modes[0]); i++)
		if (strcmp(argv[1], modes[i].m_name) == 0) {
			modes[i].m_fn();
			return 0;
		}
	fprintf(stderr, "usage: vtimers alarm|itimer|late|posix|timerfd|fork|"
	    "spin|exec|pause|select [x]\n");
	return 2;
}
