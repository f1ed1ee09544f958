/*
 * Syscall-bound micro workload: N getppid() calls (default 200000),
 * made through syscall(2) so nothing is cached in libc.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int
main(int argc, char *argv[])
{
	long i, n = 200000;
	long ppid;

	if (argc > 1)
		n = strtol(argv[1], NULL, 10);
	ppid = syscall(SYS_getppid);
	for (i = 0; i < n; i++) {
		if (syscall(SYS_getppid) != ppid) {
			fprintf(stderr, "getppid: unexpected result\n");
			return 1;
		}
	}
	return 0;
}
