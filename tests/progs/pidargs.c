/*
 * pidargs: calls given pid arguments no process can have (0, negative,
 * INT_MAX, INT_MIN) fail with the kernel's errno, in the kernel's order
 * of checks, and nothing is printed about them: a bad argument is the
 * program's business.  Prints "call = result" per case.
 */
#include <sys/syscall.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define T(x)	report(#x, (x))

static void
report(const char *what, long r)
{
	if (r < 0)
		printf("%s = -1 %s\n", what, strerrorname_np(errno));
	else
		printf("%s = %ld\n", what, r);
	fflush(stdout);
}

int
main(void)
{
	pid_t	 me = getpid();

	T(syscall(SYS_tgkill, 0, 0, 0));
	T(syscall(SYS_tgkill, -1, 0, 0));
	T(syscall(SYS_tgkill, 0, -1, 0));
	T(syscall(SYS_tgkill, me, 0, 0));
	T(syscall(SYS_tgkill, me, -5, 0));
	T(syscall(SYS_tgkill, INT_MAX, 1, 0));
	T(syscall(SYS_tgkill, INT_MIN, 1, 0));
	T(syscall(SYS_tkill, 0, 0));
	T(syscall(SYS_tkill, -1, 0));
	T(syscall(SYS_kill, INT_MIN, 0));
	T(syscall(SYS_kill, INT_MAX, 0));
	T(syscall(SYS_getpgid, -1));
	T(syscall(SYS_getsid, -1));
	T(syscall(SYS_setpgid, -1, 0));
	T(syscall(SYS_sched_getscheduler, -1));
	T(syscall(SYS_pidfd_open, 0, 0));
	T(syscall(SYS_pidfd_open, -1, 0));
	T(syscall(SYS_rt_sigqueueinfo, 0, 0, 0));
	T(syscall(SYS_rt_tgsigqueueinfo, 0, 0, 0, 0));
	T(syscall(SYS_waitid, 1, 0, 0, 4, 0));
	T(syscall(SYS_wait4, INT_MAX, 0, 0, 0));
	T(syscall(SYS_prlimit64, -1, 0, 0, 0));
	return 0;
}
