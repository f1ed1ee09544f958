/*
 * signals: handlers, interrupted and restarted calls, masks, per-thread
 * delivery and the alternate stack.  Each case prints one line; the timed
 * ones use 20-60 ms timers, so the whole run takes about 0.15 s.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t usr1_count, alrm_count, chld_count;
static volatile sig_atomic_t handler_tid;
static volatile sig_atomic_t on_altstack;
static char *alt_lo, *alt_hi;

static void
on_usr1(int sig)
{
	(void)sig;
	usr1_count++;
	handler_tid = (sig_atomic_t)syscall(SYS_gettid);
}

static void
on_alrm(int sig)
{
	(void)sig;
	alrm_count++;
}

static void
on_chld(int sig)
{
	(void)sig;
	chld_count++;
}

static void
on_usr2_alt(int sig)
{
	char here;

	(void)sig;
	on_altstack = &here >= alt_lo && &here < alt_hi;
}

static void
handle(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL) != 0) {
		perror("signals: sigaction");
		exit(2);
	}
}

static void
timer_ms(long ms)
{
	struct itimerval it;

	memset(&it, 0, sizeof(it));
	it.it_value.tv_sec = ms / 1000;
	it.it_value.tv_usec = (ms % 1000) * 1000;
	setitimer(ITIMER_REAL, &it, NULL);
}

static const char *
result(long r)
{
	static char buf[64];

	if (r < 0)
		snprintf(buf, sizeof(buf), "-1 %s", strerrorname_np(errno));
	else
		snprintf(buf, sizeof(buf), "%ld", r);
	return buf;
}

static void *
idle_thread(void *arg)
{
	struct timespec ms = { 0, 1000 * 1000 };

	(void)arg;
	for (int i = 0; i < 2000 && usr1_count < 4; i++)
		nanosleep(&ms, NULL);
	return NULL;
}

int
main(void)
{
	int p[2];
	char c;
	long r;
	sigset_t set, old;
	pid_t pid;
	pthread_t t;
	struct timespec ts = { 1, 0 };
	stack_t ss;

	/* 1. a plain handler, three times */
	handle(SIGUSR1, on_usr1, 0);
	raise(SIGUSR1);
	raise(SIGUSR1);
	raise(SIGUSR1);
	printf("SIGUSR1 handled %d times\n", (int)usr1_count);

	/* 2. pause() ended by a timer signal */
	handle(SIGALRM, on_alrm, 0);
	timer_ms(20);
	r = pause();
	printf("pause: %s, SIGALRM handled %d\n", result(r), (int)alrm_count);

	/* 3. alarm() reports the time left on the previous one */
	alarm(5);
	printf("alarm(0) returned %u\n", alarm(0));

	/* 4. a blocking read interrupted, no SA_RESTART */
	if (pipe(p) != 0)
		return 2;
	alrm_count = 0;
	timer_ms(20);
	r = read(p[0], &c, 1);
	printf("read without SA_RESTART: %s, SIGALRM handled %d\n", result(r),
	    (int)alrm_count);

	/* 5. the same read restarted (SA_RESTART); a child writes at 60 ms */
	handle(SIGALRM, on_alrm, SA_RESTART);
	alrm_count = 0;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		struct timespec d = { 0, 60 * 1000 * 1000 };

		nanosleep(&d, NULL);
		_exit(write(p[1], "x", 1) == 1 ? 0 : 1);
	}
	timer_ms(20);
	r = read(p[0], &c, 1);
	printf("read with SA_RESTART: %s '%c', SIGALRM handled %d\n",
	    result(r), r == 1 ? c : '?', (int)alrm_count);
	waitpid(pid, NULL, 0);

	/* 6. a blocked signal stays pending until sigtimedwait takes it */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, &old);
	raise(SIGUSR2);
	sigpending(&set);
	printf("SIGUSR2 pending: %s\n", sigismember(&set, SIGUSR2) ? "yes" :
	    "no");
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	r = sigtimedwait(&set, NULL, &ts);
	printf("sigtimedwait: %s\n", r == SIGUSR2 ? "SIGUSR2" : result(r));
	sigprocmask(SIG_SETMASK, &old, NULL);

	/* 7. SIGCHLD caught by sigsuspend */
	handle(SIGCHLD, on_chld, 0);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, &old);
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(0);
	while (chld_count == 0)
		sigsuspend(&old);
	sigprocmask(SIG_SETMASK, &old, NULL);
	waitpid(pid, NULL, 0);
	printf("SIGCHLD received %d\n", (int)chld_count);

	/* 8. pthread_kill runs the handler in the target thread */
	usr1_count = 3;
	handler_tid = 0;
	{
		sigset_t all;

		/* the thread starts with SIGUSR1 unblocked; then main blocks
		 * it, so only the target could take it anyway */
		sigemptyset(&all);
		sigaddset(&all, SIGUSR1);
		pthread_create(&t, NULL, idle_thread, NULL);
		pthread_sigmask(SIG_BLOCK, &all, &old);
		pthread_kill(t, SIGUSR1);
		pthread_join(t, NULL);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	printf("pthread_kill: handler ran in %s\n",
	    handler_tid != 0 && handler_tid != (sig_atomic_t)getpid() ?
	    "the target thread" : "the wrong thread");

	/* 9. SA_ONSTACK on an alternate signal stack */
	ss.ss_size = 64 * 1024;
	ss.ss_sp = malloc(ss.ss_size);
	ss.ss_flags = 0;
	alt_lo = ss.ss_sp;
	alt_hi = alt_lo + ss.ss_size;
	sigaltstack(&ss, NULL);
	handle(SIGUSR2, on_usr2_alt, SA_ONSTACK);
	raise(SIGUSR2);
	printf("SA_ONSTACK: handler %s the alternate stack\n",
	    on_altstack ? "ran on" : "did not run on");
	return 0;
}
