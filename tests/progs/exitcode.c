/*
 * exitcode: end in a chosen way.
 *
 *	exitcode N		exit(N)
 *	exitcode -s SIG		die of signal SIG (name like TERM/SIGTERM, or
 *				number): the disposition is reset to default,
 *				the signal unblocked, then raise()d
 *	exitcode -f		die of a real SIGSEGV (store through NULL)
 *
 * Before a signal it writes one marker line to stderr, so a trace has a
 * known write() to look for.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct { const char *name; int sig; } sigs[] = {
	{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT },
	{ "ILL", SIGILL }, { "TRAP", SIGTRAP }, { "ABRT", SIGABRT },
	{ "BUS", SIGBUS }, { "FPE", SIGFPE }, { "KILL", SIGKILL },
	{ "USR1", SIGUSR1 }, { "SEGV", SIGSEGV }, { "USR2", SIGUSR2 },
	{ "PIPE", SIGPIPE }, { "ALRM", SIGALRM }, { "TERM", SIGTERM },
	{ "XCPU", SIGXCPU }, { "XFSZ", SIGXFSZ }, { "VTALRM", SIGVTALRM },
	{ "PROF", SIGPROF }, { "SYS", SIGSYS },
};

static int
parse_sig(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);

	if (*s != '\0' && *end == '\0')
		return n > 0 && n < NSIG ? (int)n : -1;
	if (strncmp(s, "SIG", 3) == 0)
		s += 3;
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (strcmp(s, sigs[i].name) == 0)
			return sigs[i].sig;
	return -1;
}

/* A global the compiler cannot see through: the store is not elided. */
int *volatile nowhere;

static void
marker(const char *msg)
{
	/* One write() of the whole line. */
	if (write(2, msg, strlen(msg)) < 0)
		_exit(121);
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "-s") == 0) {
		int sig = parse_sig(argv[2]);
		sigset_t set;
		char msg[64];

		if (sig < 0) {
			fprintf(stderr, "exitcode: bad signal %s\n", argv[2]);
			return 122;
		}
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
		sigemptyset(&set);
		sigaddset(&set, sig);
		sigprocmask(SIG_UNBLOCK, &set, NULL);
		fflush(stdout);
		snprintf(msg, sizeof(msg), "exitcode: raising signal %d\n",
		    sig);
		marker(msg);
		raise(sig);
		fprintf(stderr, "exitcode: still alive after signal %d\n", sig);
		return 120;
	}
	if (argc == 2 && strcmp(argv[1], "-f") == 0) {
		signal(SIGSEGV, SIG_DFL);
		marker("exitcode: about to fault\n");
		*(volatile int *)nowhere = 1;
		fprintf(stderr, "exitcode: still alive after fault\n");
		return 120;
	}
	if (argc == 2) {
		char *end;
		long n = strtol(argv[1], &end, 10);

		if (*argv[1] != '\0' && *end == '\0')
			exit((int)n);
	}
	fprintf(stderr, "usage: exitcode N | -s SIG | -f\n");
	return 122;
}
