/*
 * faultwrite: calls that write a result, aimed at memory the program
 * cannot write (a read-only page, a PROT_NONE page), must fail with
 * EFAULT and leave that memory as it was; getrandom into a buffer that
 * runs into such a page, or into a hole, returns the bytes before it.
 * The sandbox answers these calls itself: its writes must follow the
 * kernel's rules, not a debugger's.
 *
 * Prints "call target: result", result "ok", a count, or "-1 ENAME".
 */
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void
report(const char *call, const char *target, long r, int count)
{
	if (r < 0)
		printf("%s %s: -1 %s\n", call, target, strerrorname_np(errno));
	else if (count)
		printf("%s %s: %ld\n", call, target, r);
	else
		printf("%s %s: ok\n", call, target);
}

static void
calls(const char *name, char *p)
{
	report("clock_gettime", name,
	    syscall(SYS_clock_gettime, CLOCK_REALTIME, p), 0);
	report("clock_getres", name,
	    syscall(SYS_clock_getres, CLOCK_MONOTONIC, p), 0);
	report("gettimeofday tv", name, syscall(SYS_gettimeofday, p, NULL), 0);
	report("gettimeofday tz", name, syscall(SYS_gettimeofday, NULL, p), 0);
	report("time", name, syscall(SYS_time, p), 0);
	report("uname", name, syscall(SYS_uname, p), 0);
	report("sysinfo", name, syscall(SYS_sysinfo, p), 0);
	report("times", name, syscall(SYS_times, p), 0);
	report("getrusage", name, syscall(SYS_getrusage, RUSAGE_SELF, p), 0);
	report("getrandom", name, syscall(SYS_getrandom, p, 16, 0), 1);
	report("getresuid", name, syscall(SYS_getresuid, p, p + 8, p + 16), 0);
	report("getresgid", name, syscall(SYS_getresgid, p, p + 8, p + 16), 0);
}

int
main(void)
{
	long	 pg = sysconf(_SC_PAGESIZE);
	char	*m, *ro, *none;
	int	 i, dirty = 0;

	/* rw | ro | none | rw | hole */
	m = mmap(NULL, 5 * pg, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED) {
		perror("faultwrite: mmap");
		return 2;
	}
	ro = m + pg;
	none = m + 2 * pg;
	if (mprotect(ro, pg, PROT_READ) != 0 ||
	    mprotect(none, pg, PROT_NONE) != 0 ||
	    munmap(m + 4 * pg, pg) != 0) {
		perror("faultwrite: mprotect");
		return 2;
	}
	calls("read-only", ro);
	calls("prot_none", none);
	report("getrandom", "into read-only",
	    syscall(SYS_getrandom, ro - 100, 300, 0), 1);
	report("getrandom", "into a hole",
	    syscall(SYS_getrandom, m + 4 * pg - 1000, 3000, 0), 1);
	report("getrandom", "from a hole",
	    syscall(SYS_getrandom, m + 4 * pg, 10, 0), 1);
	for (i = 0; i < pg; i++)
		dirty += ro[i] != 0;
	printf("read-only page: %d bytes changed\n", dirty);
	return 0;
}
