/*
 * schedwaitpid: two children, the first sleeps 50 ms, the second ends at
 * once; the parent waits for the first by number (waitpid), then by
 * waitid(P_PID) for the second.  A wait for one child must wait for
 * that one even when another has already ended.  Prints the order.
 */
#include <sys/wait.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

int
main(void)
{
	struct timespec	 d = { 0, 50000000 };
	siginfo_t	 si;
	pid_t		 a, b;
	int		 st;

	if ((a = fork()) == 0) {
		nanosleep(&d, NULL);
		_exit(1);
	}
	if ((b = fork()) == 0)
		_exit(2);
	if (waitpid(a, &st, 0) != a)
		return 1;
	printf("first: status %d\n", WEXITSTATUS(st));
	if (waitid(P_PID, (id_t)b, &si, WEXITED) != 0 || si.si_pid != b)
		return 1;
	printf("second: status %d\n", si.si_status);
	return 0;
}
