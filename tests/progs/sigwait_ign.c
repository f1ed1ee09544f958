/*
 * sigwait_ign: waits in sigtimedwait/sigwaitinfo for SIGUSR1 while
 * signals it ignores arrive (SIGUSR2 set to SIG_IGN, SIGCHLD by default);
 * prints what each wait returned.  Natively an ignored signal is
 * discarded and never ends the wait.
 */
#include <sys/wait.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double
secs(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A child that sends the parent SIGUSR2, then sig (0: none), then exits
 * (SIGCHLD). */
static pid_t
pester(int sig)
{
	pid_t	 parent = getpid(), c;

	if ((c = fork()) == 0) {
		usleep(30000);
		kill(parent, SIGUSR2);
		usleep(30000);
		if (sig != 0)
			kill(parent, sig);
		_exit(0);
	}
	return c;
}

int
main(void)
{
	struct timespec	 to = { 0, 300000000 };
	siginfo_t	 si;
	sigset_t	 set;
	double		 t0;
	pid_t		 c;
	int		 r;

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGUSR2, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);

	c = pester(0);
	t0 = secs();
	r = sigtimedwait(&set, &si, &to);
	printf("sigtimedwait: %s, waited the timeout: %s\n",
	    r == -1 ? strerrorname_np(errno) : "a signal",
	    secs() - t0 >= 0.28 ? "yes" : "no");
	waitpid(c, NULL, 0);

	c = pester(SIGUSR1);
	r = sigwaitinfo(&set, &si);
	printf("sigwaitinfo: %s\n", r == -1 ? strerrorname_np(errno) :
	    sigabbrev_np(r));
	waitpid(c, NULL, 0);
	return 0;
}
