/*
 * ftimes: what a program can learn from file times.  Usage: ftimes OLD,
 * OLD being a file made before the run; works in the current directory.
 *
 * "check NAME yes|no" lines are facts every correct system agrees on (a
 * time set with utimes reads back, "now" is now, a write moves mtime, a
 * chmod does not): they must be the same natively and in the sandbox.
 * They follow gnulib's utimes probe and automake's sanity check.
 * "value ..." lines print the times themselves; only the sandbox makes
 * them the same on every run.
 */
#include <sys/stat.h>
#include <sys/time.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void
check(const char *name, int ok)
{
	printf("check %s %s\n", name, ok ? "yes" : "no");
}

static void
value(const char *name, const struct timespec *ts)
{
	printf("value %s %lld.%09ld\n", name, (long long)ts->tv_sec,
	    ts->tv_nsec);
}

static int
before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec ||
	    (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

static int
same(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

static struct stat
get(const char *path)
{
	struct stat	 st;

	if (stat(path, &st) == -1) {
		perror(path);
		exit(1);
	}
	return st;
}

int
main(int argc, char **argv)
{
	static const struct timeval tv[2] = {
		{ 315620000 + 10, 10 }, { 315620000 + 1000000, 999998 } };
	const struct timespec ns[2] = { { 1, 2 }, { 3, 4 } };
	const struct timespec omit[2] = { { 0, UTIME_OMIT }, { 5, 6 } };
	struct stat	 old, a, b;
	struct statx	 sx;
	time_t		 now;
	int		 fd;

	if (argc != 2) {
		fprintf(stderr, "usage: ftimes OLD\n");
		return 2;
	}
	old = get(argv[1]);
	value("old.atime", &old.st_atim);
	value("old.mtime", &old.st_mtim);
	value("old.ctime", &old.st_ctim);

	/* automake's "whether build environment is sane" */
	if ((fd = open("conftest.file", O_WRONLY | O_CREAT | O_TRUNC,
	    0644)) == -1 || write(fd, "timestamp\n", 10) != 10 ||
	    close(fd) == -1) {
		perror("conftest.file");
		return 1;
	}
	a = get("conftest.file");
	check("new-newer-than-old", before(&old.st_mtim, &a.st_mtim));
	value("new.mtime", &a.st_mtim);

	/* gnulib's "whether the utimes function works" */
	check("utimes", utimes("conftest.file", tv) == 0);
	a = get("conftest.file");
	check("utimes-reads-back", a.st_atim.tv_sec == tv[0].tv_sec &&
	    a.st_atim.tv_nsec == tv[0].tv_usec * 1000 &&
	    a.st_mtim.tv_sec == tv[1].tv_sec &&
	    a.st_mtim.tv_nsec == tv[1].tv_usec * 1000);
	check("utimes-now", utimes("conftest.file", NULL) == 0);
	a = get("conftest.file");
	now = time(NULL);
	/* (time() reads the coarse clock: it may be a tick behind) */
	check("now-is-now", labs(now - a.st_mtime) <= 2 &&
	    labs(now - a.st_atime) <= 2);

	/* nanoseconds, and a time left as it is */
	check("utimensat", utimensat(AT_FDCWD, "conftest.file", ns, 0) == 0);
	a = get("conftest.file");
	check("ns-reads-back", same(&a.st_atim, &ns[0]) &&
	    same(&a.st_mtim, &ns[1]));
	check("omit", utimensat(AT_FDCWD, "conftest.file", omit, 0) == 0);
	a = get("conftest.file");
	check("omit-reads-back", same(&a.st_atim, &ns[0]) &&
	    same(&a.st_mtim, &omit[1]));
	check("statx", statx(AT_FDCWD, "conftest.file", 0, STATX_BASIC_STATS,
	    &sx) == 0 && sx.stx_mtime.tv_sec == 5 && sx.stx_mtime.tv_nsec == 6);

	/* a chmod is a change (ctime) but leaves mtime alone; a write
	 * moves both */
	check("chmod", chmod("conftest.file", 0600) == 0);
	b = get("conftest.file");
	check("chmod-keeps-mtime", same(&a.st_mtim, &b.st_mtim));
	check("chmod-moves-ctime", before(&a.st_ctim, &b.st_ctim));
	if ((fd = open("conftest.file", O_WRONLY | O_APPEND)) == -1 ||
	    write(fd, "more\n", 5) != 5) {
		perror("conftest.file");
		return 1;
	}
	a = get("conftest.file");
	check("write-moves-mtime", before(&b.st_mtim, &a.st_mtim) &&
	    same(&a.st_mtim, &a.st_ctim));
	check("write-newer-than-old", before(&old.st_mtim, &a.st_mtim));
	check("futimens-now", futimens(fd, NULL) == 0);
	b = get("conftest.file");
	check("futimens-moves", before(&a.st_mtim, &b.st_mtim) &&
	    same(&b.st_atim, &b.st_mtim));
	close(fd);
	value("written.mtime", &b.st_mtim);
	value("written.ctime", &b.st_ctim);
	unlink("conftest.file");
	return 0;
}
