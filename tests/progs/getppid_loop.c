/*
 * getppid_loop: getppid_loop [N]	calls syscall(SYS_getppid) N times
 * (default 200000), then prints "done".  A micro benchmark of a trapped
 * call, and with -v an exact count of trace lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 200000;
	long first = syscall(SYS_getppid);

	for (long i = 1; i < n; i++)
		if (syscall(SYS_getppid) != first) {
			printf("getppid changed at call %ld\n", i);
			return 1;
		}
	printf("done\n");
	return 0;
}
