/*
 * counts NPPID NFAIL [NCHILD [ctxt]]: known numbers of calls for -c and
 * -e trace= tests.  Calls syscall(SYS_getppid) NPPID times and the legacy
 * open(2) of a missing file NFAIL times (ENOENT; glibc itself only uses
 * openat, so every open is ours), then forks a child that calls getppid
 * NCHILD times, and waits for it.  With "ctxt", prints its own
 * voluntary context switches (each ptrace stop is one), read from
 * /proc/self/status after the child is gone.
 */
#include <sys/syscall.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
getppids(long n)
{
	long	 i;

	for (i = 0; i < n; i++)
		syscall(SYS_getppid);
}

static long
switches(void)
{
	char	 line[256];
	long	 n = -1;
	FILE	*f;

	if ((f = fopen("/proc/self/status", "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "voluntary_ctxt_switches:", 24) == 0)
			n = atol(line + 24);
	fclose(f);
	return n;
}

int
main(int argc, char **argv)
{
	long	 nppid, nfail, nchild, i;
	pid_t	 pid;
	int	 st;

	if (argc < 3) {
		fprintf(stderr, "usage: counts NPPID NFAIL [NCHILD [ctxt]]\n");
		return 2;
	}
	nppid = atol(argv[1]);
	nfail = atol(argv[2]);
	nchild = argc > 3 ? atol(argv[3]) : 0;
	getppids(nppid);
	for (i = 0; i < nfail; i++)
		if (syscall(SYS_open, "/nonexistent/counts", O_RDONLY) != -1)
			return 1;
	if (nchild > 0) {
		if ((pid = fork()) == -1)
			return 1;
		if (pid == 0) {
			getppids(nchild);
			_exit(0);
		}
		if (waitpid(pid, &st, 0) != pid || st != 0)
			return 1;
	}
	if (argc > 4 && strcmp(argv[4], "ctxt") == 0)
		printf("ctxt %ld\n", switches());
	return 0;
}
