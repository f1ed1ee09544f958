/*
 * badptr: system calls given bad pointers must fail with EFAULT (or, where
 * the kernel never reads the buffer, succeed) exactly as they do natively;
 * a tracer that decodes the arguments must survive them.
 *
 * Also passes strings that run into a PROT_NONE page before their NUL.
 * Prints "what: result" per call, result as a number or "-1 ENAME".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

/* volatile so the compiler cannot see (or warn about) the bad values */
static void *volatile bad = (void *)8;
static void *volatile null;

static void
report(const char *what, long r)
{
	if (r < 0)
		printf("%s: -1 %s\n", what, strerrorname_np(errno));
	else
		printf("%s: %ld\n", what, r);
	fflush(stdout);
}

int
main(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	struct stat st;
	struct iovec iov;
	char *map, *tail10, *tail100;
	int zero, devnull;

	report("write", write(1, bad, 10));
	report("openat", openat(AT_FDCWD, bad, O_RDONLY));
	report("openat NULL", openat(AT_FDCWD, null, O_RDONLY));
	report("stat", stat(bad, &st));
	report("stat buf", stat("/", bad));

	zero = open("/dev/zero", O_RDONLY);
	report("read", read(zero, bad, 10));
	report("read 0 bytes", read(zero, bad, 0));

	iov.iov_base = bad;
	iov.iov_len = 10;
	report("writev bad base", writev(1, &iov, 1));
	report("writev bad iov", writev(1, bad, 1));
	report("clock_gettime", syscall(SYS_clock_gettime, CLOCK_REALTIME, bad));
	report("uname", syscall(SYS_uname, bad));
	report("pipe2", syscall(SYS_pipe2, bad, 0));
	report("execve", syscall(SYS_execve, bad, NULL, NULL));

	/* Two pages; the second PROT_NONE.  Strings end at the boundary. */
	map = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED || mprotect(map + pg, pg, PROT_NONE) != 0) {
		perror("badptr: mmap");
		return 2;
	}
	memset(map, 'a', pg);
	tail100 = map + pg - 100;
	tail10 = map + pg - 10;
	report("openat unterminated 100", openat(AT_FDCWD, tail100, O_RDONLY));
	report("openat unterminated 10", openat(AT_FDCWD, tail10, O_RDONLY));
	report("stat unterminated 10", stat(tail10, &st));

	/* /dev/null never reads the buffer: succeeds although it crosses. */
	devnull = open("/dev/null", O_WRONLY);
	report("write /dev/null crossing", write(devnull, tail10, 100));
	report("write /dev/null bad", write(devnull, bad, 100));
	/* A short, valid write proves the process is still sane. */
	report("write ok", write(1, "ok\n", 3));
	return 0;
}
