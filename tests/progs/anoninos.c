/*
 * The inode numbers of a process's pipes, sockets and anonymous files, as
 * fstat and statx show them: both ends of a pipe are one inode, a second
 * pipe is another, and statx agrees with fstat.
 */
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

static unsigned long long
ino(int fd)
{
	struct stat	 st;

	if (fstat(fd, &st) == -1)
		err(1, "fstat");
	return (unsigned long long)st.st_ino;
}

static unsigned long long
xino(int fd)
{
	struct statx	 sx;

	if (statx(fd, "", AT_EMPTY_PATH, STATX_INO, &sx) == -1)
		err(1, "statx");
	return (unsigned long long)sx.stx_ino;
}

int
main(void)
{
	int	 p[2], q[2], s[2], m, e;

	if (pipe(p) == -1 || socketpair(AF_UNIX, SOCK_STREAM, 0, s) == -1 ||
	    (m = memfd_create("anon", 0)) == -1 || (e = eventfd(0, 0)) == -1 ||
	    pipe(q) == -1)
		err(1, "setup");
	/* (one number a line: the order they are first seen counts) */
	printf("pipe %llu\n", ino(p[0]));
	printf("its other end %llu\n", ino(p[1]));
	printf("socket %llu\n", ino(s[0]));
	printf("its peer %llu\n", ino(s[1]));
	printf("memfd %llu\n", ino(m));
	printf("eventfd %llu\n", ino(e));
	printf("second pipe %llu\n", ino(q[0]));
	printf("first pipe again %llu\n", ino(p[0]));
	printf("statx pipe %llu\n", xino(p[0]));
	printf("statx memfd %llu\n", xino(m));
	return 0;
}
