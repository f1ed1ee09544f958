/*
 * sigcatch: catches every signal it can (the ones given, by name, or
 * all), creates the file "ready", and waits until each given signal came
 * once; prints their names in signal order.  A wrapper that passes on
 * what it is sent lets every one through.
 *	sigcatch USR1 USR2 ALRM ...
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t	 seen[NSIG];

static void
on_sig(int sig)
{
	seen[sig] = 1;
}

static int
signum(const char *name)
{
	int	 sig;

	for (sig = 1; sig < SIGRTMIN; sig++)
		if (sigabbrev_np(sig) != NULL &&
		    strcmp(sigabbrev_np(sig), name) == 0)
			return sig;
	if (strncmp(name, "RTMIN+", 6) == 0)
		return SIGRTMIN + atoi(name + 6);
	return -1;
}

int
main(int argc, char **argv)
{
	struct sigaction	 sa;
	sigset_t		 all, none;
	int			 want[NSIG], sig, i, left;
	const char		*sep = "";
	FILE			*f;

	memset(want, 0, sizeof(want));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sig;
	sigfillset(&all);
	sigemptyset(&none);
	sigprocmask(SIG_BLOCK, &all, NULL);
	for (i = 1; i < argc; i++) {
		if ((sig = signum(argv[i])) <= 0) {
			fprintf(stderr, "sigcatch: %s: no such signal\n",
			    argv[i]);
			return 2;
		}
		want[sig] = 1;
		sigaction(sig, &sa, NULL);
	}
	if ((f = fopen("ready", "w")) == NULL)
		return 2;
	fclose(f);
	for (;;) {
		for (sig = 1, left = 0; sig < NSIG; sig++)
			left += want[sig] && !seen[sig];
		if (left == 0)
			break;
		sigsuspend(&none);
	}
	for (sig = 1; sig < NSIG; sig++)
		if (want[sig]) {
			if (sig < SIGRTMIN)
				printf("%s%s", sep, sigabbrev_np(sig));
			else
				printf("%sRTMIN+%d", sep, sig - SIGRTMIN);
			sep = " ";
		}
	printf("\n");
	return 0;
}
