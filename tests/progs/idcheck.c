/*
 * idcheck: prints what getppid(), uname() and getuid() return, for the
 * ittest tool (getppid -> 4242, nodename -> "isotrace-test", getuid
 * emulated by getpid).  The last line compares getuid() with getpid(), so
 * the getuid emulation shows without printing a pid.  umask(0777) then
 * umask(0) prints the mask the first call really set (ittest rewrites its
 * argument to 022).  A FUTEX_WAKE of 4242 waiters on a word nobody waits
 * on wakes 0, or what ittest says.
 */
#include <sys/syscall.h>
#include <linux/futex.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <stdio.h>
#include <sys/utsname.h>
#include <unistd.h>

int
main(void)
{
	struct utsname u;
	uid_t uid;
	pid_t pid;

	printf("getppid %ld\n", (long)getppid());
	if (uname(&u) != 0) {
		perror("idcheck: uname");
		return 1;
	}
	printf("nodename %s\n", u.nodename);
	uid = getuid();
	pid = getpid();
	printf("getuid %ld\n", (long)uid);
	printf("getuid==getpid %s\n", (long)uid == (long)pid ? "yes" : "no");
	printf("getgid %u\n", (unsigned)getgid());
	printf("nice %d\n", getpriority(PRIO_PROCESS, 0));
	printf("futex_wake %ld\n",
	    syscall(SYS_futex, &pid, FUTEX_WAKE, 4242, NULL, NULL, 0));
	umask(0777);
	printf("umask %03o\n", (unsigned)umask(0));
	return 0;
}
