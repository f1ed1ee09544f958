/*
 * urandom_many: opens /dev/urandom N times (default 300) and keeps every
 * fd open, reads 16 bytes from each, and prints what fstat, fstatat and
 * statx say the fds are, whether any two reads were equal, and what the
 * fds cost: the distinct files behind them (stat through /proc/PID/fd,
 * with the number, follows the link to whatever the fd really is; the
 * sandbox shows /proc/self/fd/N as the program opened it) and their
 * bytes.  Then
 * 16 bytes read from an openat2() of /dev/urandom.
 */
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <linux/openat2.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAXFDS	1000

static void
kind(const char *how, mode_t mode, unsigned maj, unsigned min)
{
	printf("%s %s %u:%u\n", how, S_ISCHR(mode) ? "chr" :
	    S_ISREG(mode) ? "reg" : "other", maj, min);
}

int
main(int argc, char *argv[])
{
	static unsigned char	 bytes[MAXFDS][16];
	static int		 fds[MAXFDS];
	static ino_t		 inos[MAXFDS];
	struct open_how		 how;
	struct statx		 sx;
	struct stat		 st;
	char			 path[64];
	long long		 cost = 0;
	int			 n = argc > 1 ? atoi(argv[1]) : 300;
	int			 i, j, fd, files = 0, same = 0;

	if (n < 1 || n > MAXFDS)
		return 2;
	for (i = 0; i < n; i++)
		if ((fds[i] = open("/dev/urandom", O_RDONLY)) == -1 ||
		    read(fds[i], bytes[i], 16) != 16) {
			printf("open/read %d failed\n", i);
			return 1;
		}
	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++)
			same += memcmp(bytes[i], bytes[j], 16) == 0;
	printf("equal reads %d\n", same);
	if (fstat(fds[0], &st) == 0)
		kind("fstat", st.st_mode, major(st.st_rdev), minor(st.st_rdev));
	if (fstatat(fds[1], "", &st, AT_EMPTY_PATH) == 0)
		kind("fstatat", st.st_mode, major(st.st_rdev),
		    minor(st.st_rdev));
	if (statx(fds[2], "", AT_EMPTY_PATH, STATX_BASIC_STATS, &sx) == 0)
		kind("statx", sx.stx_mode, sx.stx_rdev_major,
		    sx.stx_rdev_minor);
	if (stat("/dev/urandom", &st) == 0)
		kind("stat", st.st_mode, major(st.st_rdev), minor(st.st_rdev));
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)getpid(),
		    fds[i]);
		if (stat(path, &st) == -1)
			continue;
		for (j = 0; j < files && inos[j] != st.st_ino; j++)
			;
		if (j == files) {
			inos[files++] = st.st_ino;
			cost += (long long)st.st_blocks * 512;
		}
	}
	printf("opens %d files %d bytes %lld\n", n, files, cost);
	memset(&how, 0, sizeof(how));
	how.flags = O_RDONLY | O_CLOEXEC;
	if ((fd = (int)syscall(SYS_openat2, AT_FDCWD, "/dev/urandom", &how,
	    sizeof(how))) == -1 || read(fd, bytes[0], 16) != 16)
		printf("openat2 failed\n");
	else {
		printf("openat2");
		for (i = 0; i < 16; i++)
			printf(" %02x", bytes[0][i]);
		printf("\n");
	}
	return 0;
}
