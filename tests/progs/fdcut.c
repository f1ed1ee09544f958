/*
 * fdcut: readlink of the thread's own fd links with a buffer too short
 * for the link.  For each of /proc/self/fd, /proc/thread-self/fd and
 * /dev/fd, a pipe's link read whole, then cut to one byte less and to 9
 * bytes: "DIR cut-length-right is-a-prefix matches-fstat" per cut.  The
 * kernel writes as much as fits; under --sandbox the text it cuts must be
 * the run's ("pipe:[N]" with the N fstat shows), not the host's.  Then a
 * size of 2^32 + 5, which readlink takes as the int 5: "DIR int: N,
 * untouched-after" (another process's link too, /proc/PID/fd).
 */
#include <sys/stat.h>
#include <sys/syscall.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *
yes(int b)
{
	return b ? "True" : "False";
}

int
main(void)
{
	static const char	*dirs[] = { "/proc/self/fd",
	    "/proc/thread-self/fd", "/dev/fd", NULL, NULL };
	char		 path[64], whole[256], cut[256], mine[64];
	struct stat	 st;
	size_t		 i, k, sizes[2];
	ssize_t		 n, c;
	int		 p[2];

	if (pipe(p) == -1 || fstat(p[0], &st) == -1)
		return 1;
	snprintf(mine, sizeof(mine), "pipe:[%llu]",
	    (unsigned long long)st.st_ino);
	for (i = 0; dirs[i] != NULL; i++) {
		snprintf(path, sizeof(path), "%s/%d", dirs[i], p[0]);
		if ((n = readlink(path, whole, sizeof(whole))) <= 1)
			return 1;
		sizes[0] = (size_t)n - 1;
		sizes[1] = 9;
		for (k = 0; k < 2; k++) {
			c = readlink(path, cut, sizes[k]);
			printf("%s %s %s %s\n", dirs[i],
			    yes(c == (ssize_t)sizes[k]),
			    yes(c > 0 && memcmp(whole, cut, (size_t)c) == 0),
			    yes(c > 0 && strncmp(mine, cut, (size_t)c) == 0));
		}
	}
	snprintf(path, sizeof(path), "/proc/%d/fd", (int)getpid());
	dirs[3] = path;
	for (i = 0; dirs[i] != NULL; i++) {
		snprintf(whole, sizeof(whole), "%s/%d", dirs[i], p[0]);
		memset(cut, 'x', sizeof(cut));
		/* (the call itself: glibc's checks would stop the size) */
		c = syscall(SYS_readlink, whole, cut, ((size_t)1 << 32) + 5);
		printf("%s int: %zd, %s\n", i == 3 ? "/proc/PID/fd" : dirs[i],
		    c, yes(cut[5] == 'x' && cut[6] == 'x'));
	}
	return 0;
}
