/*
 * The links of /proc/PID/fd as the program's own fstat tells its files.
 * The kernel writes a pipe's or socket's link as "pipe:[N]" with the
 * host's inode number N, which differs from run to run and from the
 * run's number that fstat shows (ftimes.c): the link gets the run's.  A
 * virtual file (/proc/uptime, /dev/urandom) is a memfd, whose link reads
 * "/memfd:/proc/uptime (deleted)": it reads as the file's name, as the
 * kernel writes the link of the file itself.
 *
 * Only readlink is answered (nsid.c traps it): ls -l, lsof-style readers
 * and the shell's own checks all read the link so.  The thread's own
 * links (/proc/self/fd/N, /proc/thread-self/fd/N, /dev/fd/N) are read by
 * the worker and answered at the entry; another process's at the exit,
 * from the kernel's text, unless the buffer cut it (its number cut too,
 * the host's: left as the kernel wrote it).
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ftimes.h"
#include "sandbox.h"

/* The exit's argument: the buffer's address (a user address has 47
 * bits) and, above it, its size as far as FDLINK_MAX. */
#define ADDR_BITS	48
#define FDLINK_MAX	4095	/* longer than any link rewritten here */

void *
fdlink_arg(it_gptr buf, size_t bufsiz)
{
	/* (readlink's size is an int: 2^32 + 5 is 5, 2^31 refused) */
	int		 len = (int)bufsiz;
	uint64_t	 n = len < FDLINK_MAX ? (uint64_t)len : FDLINK_MAX;

	if (len <= 0 || buf.addr >> ADDR_BITS != 0)
		return NULL;
	return (void *)(uintptr_t)(buf.addr | n << ADDR_BITS);
}

/* Skips a decimal number at *p: 0, or -1 if there is none. */
static int
digits(const char **p)
{
	if (**p < '0' || **p > '9')
		return -1;
	while (**p >= '0' && **p <= '9')
		(*p)++;
	return 0;
}

/*
 * Whether path names a link of a fd directory as the kernel's own names
 * go: /proc/{self,thread-self,PID[/task/TID]}/fd/N or /dev/fd/N.  Any
 * other name ending in "fd/..." is a link of a file system, whose text
 * ("pipe:[5]" or "/memfd:..." written by ln -s) is the program's own and
 * read back as it was written.
 */
int
fdlink_wanted(const char *path)
{
	const char	*p;

	if (strncmp(path, "/dev/fd/", 8) == 0)
		p = path + 8;
	else if (strncmp(path, "/proc/", 6) != 0)
		return 0;
	else {
		p = path + 6;
		if (strncmp(p, "self/", 5) == 0)
			p += 4;
		else if (strncmp(p, "thread-self/", 12) == 0)
			p += 11;
		else if (digits(&p) < 0)
			return 0;
		else if (strncmp(p, "/task/", 6) == 0 &&
		    (p += 6, digits(&p) < 0))
			return 0;
		if (strncmp(p, "/fd/", 4) != 0)
			return 0;
		p += 4;
	}
	return digits(&p) == 0 && *p == '\0';
}

/* The device of the kernel's pipes (sock 0) or sockets (sock 1). */
static dev_t
kind_dev(int sock)
{
	static dev_t	 dev[2];
	struct stat	 st;
	int		 fds[2];

	if (dev[sock] != 0)
		return dev[sock];
	if ((sock ? socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, fds) :
	    pipe2(fds, O_CLOEXEC)) == -1)
		return 0;
	if (fstat(fds[0], &st) == 0)
		dev[sock] = st.st_dev;
	close(fds[0]);
	close(fds[1]);
	return dev[sock];
}

/* "pipe:[N]" or "socket:[N]" with the run's N, in out. */
static int
anon_link(const char *link, char *out, size_t size)
{
	static const char *const kinds[] = { "pipe:[", "socket:[" };
	unsigned long long	 ino;
	size_t			 i, n;
	char			*end;
	dev_t			 dev;

	for (i = 0; i < 2; i++) {
		n = strlen(kinds[i]);
		if (strncmp(link, kinds[i], n) == 0)
			break;
	}
	if (i == 2 || link[n] < '0' || link[n] > '9')
		return -1;
	ino = strtoull(link + n, &end, 10);
	if (strcmp(end, "]") != 0 || (dev = kind_dev((int)i)) == 0)
		return -1;
	snprintf(out, size, "%.*s%llu]", (int)n, link,
	    (unsigned long long)fregistry_anon((uint64_t)dev, ino));
	return 0;
}

/* The run's text of a kernel link in out, or -1 (not one to rewrite). */
static int
rewrite(struct it_task *t, const char *link, char *out, size_t size)
{
	if (fregistry_on() && anon_link(link, out, size) == 0)
		return 0;
	return devices_virtual_name(t, link, out, size);
}

/* The kernel's rule: as much as fits, no NUL; the length written. */
static long
put(struct it_task *t, uint64_t buf, size_t bufsiz, const char *text)
{
	size_t	 n = strlen(text) < bufsiz ? strlen(text) : bufsiz;
	int	 e;

	if ((e = it_mem_write(t, buf, text, n)) < 0)
		return e;
	return (long)n;
}

long
fdlink_own(struct it_task *t, const char *path, it_gptr buf, size_t bufsiz)
{
	char		 host[64], link[PATH_MAX], out[PATH_MAX];
	const char	*n;
	pid_t		 who = it_task_pid(t);
	ssize_t		 r;

	if (strncmp(path, "/dev/fd/", 8) == 0)
		n = path + 8;
	else if (strncmp(path, "/proc/self/fd/", 14) == 0)
		n = path + 14;
	else if (strncmp(path, "/proc/thread-self/fd/", 21) == 0) {
		n = path + 21;
		who = it_task_tid(t);
	} else
		return IT_RUN_ORIGINAL;
	/* (a size readlink refuses, a closed fd: the kernel's errors;
	 * the size is an int to readlink) */
	if ((int)bufsiz <= 0 || strlen(n) > 10)
		return IT_RUN_ORIGINAL;
	bufsiz = (size_t)(int)bufsiz;
	snprintf(host, sizeof(host), "/proc/%d/fd/%s", (int)who, n);
	if ((r = readlink(host, link, sizeof(link) - 1)) <= 0)
		return IT_RUN_ORIGINAL;
	link[r] = '\0';
	return put(t, buf.addr, bufsiz, rewrite(t, link, out, sizeof(out)) ==
	    0 ? out : link);
}

long
fdlink_done(struct it_task *t, long r, void *arg)
{
	uint64_t	 buf = (uint64_t)(uintptr_t)arg & ((1ULL << ADDR_BITS) - 1);
	size_t		 bufsiz = (size_t)((uintptr_t)arg >> ADDR_BITS);
	char		 link[PATH_MAX], out[PATH_MAX];
	long		 n;

	/* A link cut to the buffer cannot be read whole. */
	if (r <= 0 || (size_t)r >= bufsiz || (size_t)r >= sizeof(link) ||
	    it_mem_read(t, buf, link, (size_t)r) < 0)
		return r;
	link[r] = '\0';
	if (rewrite(t, link, out, sizeof(out)) < 0 ||
	    (n = put(t, buf, bufsiz, out)) < 0)
		return r;
	return n;
}
