/*
 * oracle_signals: dispositions, masks, sending, waiting and timers, for
 * tests/it/oracle.sh.  Every signal is sent by the process to itself and
 * taken at a point the program chooses.
 */
#include <sys/types.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t got;

static void
on_signal(int sig)
{
	got = sig;
}

int
main(void)
{
	struct sigaction sa, old;
	struct itimerval itv = { { 0, 0 }, { 0, 0 } };
	struct itimerspec its = { { 0, 0 }, { 100, 0 } }, oits;
	struct timespec	 ts = { 0, 0 };
	struct sigevent	 sev;
	stack_t		 ss, oss;
	sigset_t	 set, oldset;
	siginfo_t	 si;
	timer_t		 timer;
	char		 stack[16384];
	int		 fd, pidfd;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, &old);
	sa.sa_flags = SA_ONSTACK | SA_SIGINFO;
	sigaction(SIGUSR2, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	sigaction(SIGPIPE, NULL, &old);

	ss.ss_sp = stack;
	ss.ss_size = sizeof(stack);
	ss.ss_flags = 0;
	sigaltstack(&ss, &oss);

	kill(getpid(), SIGUSR1);
	raise(SIGUSR2);
	syscall(SYS_tkill, syscall(SYS_gettid), SIGUSR1);

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, &oldset);
	kill(getpid(), SIGUSR1);
	sigpending(&oldset);
	sigtimedwait(&set, &si, &ts);
	sigtimedwait(&set, &si, &ts);
	memset(&si, 0, sizeof(si));
	si.si_code = SI_QUEUE;
	si.si_pid = getpid();
	si.si_uid = getuid();
	syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, &si);
	sigwaitinfo(&set, &si);
	fd = signalfd(-1, &set, SFD_CLOEXEC);
	close(fd);
	sigprocmask(SIG_SETMASK, NULL, &oldset);
	sigdelset(&set, SIGTERM);
	sigprocmask(SIG_UNBLOCK, &set, NULL);

	alarm(100);
	alarm(0);
	setitimer(ITIMER_REAL, &itv, NULL);
	getitimer(ITIMER_VIRTUAL, &itv);

	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGALRM;
	timer_create(CLOCK_MONOTONIC, &sev, &timer);
	timer_settime(timer, 0, &its, &oits);
	timer_gettime(timer, &oits);
	timer_getoverrun(timer);
	timer_delete(timer);

	sigemptyset(&set);
	kill(getpid(), SIGUSR2);
	pidfd = syscall(SYS_pidfd_open, getpid(), 0);
	syscall(SYS_pidfd_send_signal, pidfd, SIGUSR1, NULL, 0);
	close(pidfd);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	raise(SIGUSR1);
	sigemptyset(&set);
	sigsuspend(&set);
	return got == SIGUSR1 ? 0 : 1;
}
