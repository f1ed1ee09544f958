/*
 * int80: a 64-bit program that makes calls through the other ABIs the
 * kernel offers it: int $0x80 (the i386 table) and x32 numbers
 * (__X32_SYSCALL_BIT).  Prints one line per attempt:
 *	i386 clone(CLONE_UNTRACED): RESULT	ok (the child ran) or -errno
 *	i386 fork: child traced=yes|no		TracerPid of the child
 *	i386 time|getpid|getrandom: ok|-errno
 *	x32 clone(CLONE_UNTRACED)|getpid: ok|-errno
 * Natively the untraced clone succeeds and nothing is traced; x32 is off
 * on most kernels (ENOSYS, -38).  Under isotrace no clone escapes
 * (EPERM, -1, on both ABIs) and the fork child is traced; under
 * --sandbox the time, pid and randomness calls fail with ENOSYS.
 */
#include <sys/mman.h>
#include <sys/wait.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define I386_FORK	2
#define I386_TIME	13
#define I386_GETPID	20
#define I386_CLONE	120
#define I386_GETRANDOM	355
#define X32_BIT		0x40000000L
#define X32_GETPID	39
#define X32_CLONE	56
#define CLONE_UNTRACED	0x00800000L

static long
int80(long nr, long a, long b, long c)
{
	long	 r;

	/* int 0x80 from 64-bit code zeroes r8-r11 on return. */
	__asm__ volatile("int $0x80" : "=a"(r) : "a"(nr), "b"(a), "c"(b),
	    "d"(c), "S"(0L), "D"(0L) : "memory", "r8", "r9", "r10", "r11");
	return (int)r;
}

static long
x32(long nr, long a)
{
	long	 r;

	__asm__ volatile("syscall" : "=a"(r) : "a"(X32_BIT | nr), "D"(a),
	    "S"(0L), "d"(0L) : "memory", "rcx", "r11");
	return r;
}

static long
tracer(void)
{
	char	 line[256];
	long	 pid = -1;
	FILE	*f;

	if ((f = fopen("/proc/self/status", "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "TracerPid: %ld", &pid) == 1)
			break;
	fclose(f);
	return pid;
}

static void
result(const char *what, long r)
{
	if (r < 0 && r > -4096)
		printf("%s: %ld\n", what, r);
	else
		printf("%s: ok\n", what);
	fflush(stdout);
}

/* A child of a clone or fork: its tracer through the pipe, and out. */
static void
child(int fd)
{
	long	 t = tracer();

	(void)!write(fd, &t, sizeof(t));
	_exit(0);
}

int
main(void)
{
	unsigned char	*low;
	long		 r, t;
	int		 fds[2];

	/* int 0x80 takes 32-bit pointers. */
	low = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	if (low == MAP_FAILED || pipe(fds) == -1)
		return 1;

	if ((r = int80(I386_CLONE, CLONE_UNTRACED | SIGCHLD, 0, 0)) == 0)
		child(fds[1]);
	result("i386 clone(CLONE_UNTRACED)", r);
	if (r > 0) {
		(void)!read(fds[0], &t, sizeof(t));
		waitpid((pid_t)r, NULL, 0);
	}

	if ((r = int80(I386_FORK, 0, 0, 0)) == 0)
		child(fds[1]);
	if (r > 0 && read(fds[0], &t, sizeof(t)) == (ssize_t)sizeof(t)) {
		printf("i386 fork: child traced=%s\n", t > 0 ? "yes" : "no");
		waitpid((pid_t)r, NULL, 0);
	} else
		result("i386 fork", r);

	result("i386 time", int80(I386_TIME, 0, 0, 0));
	result("i386 getpid", int80(I386_GETPID, 0, 0, 0));
	result("i386 getrandom", int80(I386_GETRANDOM, (long)(uintptr_t)low,
	    16, 0));

	if ((r = x32(X32_CLONE, CLONE_UNTRACED | SIGCHLD)) == 0)
		child(fds[1]);
	result("x32 clone(CLONE_UNTRACED)", r);
	if (r > 0)
		waitpid((pid_t)r, NULL, 0);
	result("x32 getpid", x32(X32_GETPID, 0));
	return 0;
}
