/*
 * nonet: run a command without network access, and show which files it
 * opens.  An example of a tool built only on <isotrace/isotrace.h>:
 *
 *	cc -D_GNU_SOURCE -Iinclude -o nonet examples/nonet.c \
 *	    build/libisotrace.a $(pkg-config --libs libbsd-ctor libprotobuf-c)
 *	./nonet curl http://example.org/	(fails: socket denied)
 *
 * Two typed handlers; every other syscall keeps the passthru default and
 * is not even trapped.
 */
#include <sys/socket.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#include <isotrace/isotrace.h>

static long
nonet_socket(struct it_task *t, int domain, unsigned int type, int protocol)
{
	(void)t;
	(void)type;
	(void)protocol;
	if (domain == AF_INET || domain == AF_INET6)
		return -EACCES;
	return IT_RUN_ORIGINAL;
}

static long
nonet_openat(struct it_task *t, int dirfd, it_gp_str path, unsigned int flags,
    unsigned int mode)
{
	char	 buf[PATH_MAX];
	char	 line[PATH_MAX + 64];
	int	 n;

	(void)dirfd;
	(void)flags;
	(void)mode;
	if (it_mem_read_str(t, path, buf, sizeof(buf)) >= 0) {
		n = snprintf(line, sizeof(line), "nonet: open %s\n", buf);
		if (n > 0 && (size_t)n < sizeof(line))
			(void)write(STDERR_FILENO, line, (size_t)n);
	}
	return IT_RUN_ORIGINAL;
}

static const struct it_table nonet = {
	.socket = nonet_socket,
	.openat = nonet_openat,
};

int
main(int argc, char *argv[])
{
	return it_main(argc, argv, &nonet);
}
