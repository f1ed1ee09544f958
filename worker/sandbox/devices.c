/*
 * Virtual random devices.  Opening /dev/urandom, /dev/random or the
 * kernel's uuid and boot_id files gives a memfd filled from the process's
 * stream instead, so the program's read()s stay untrapped (they read an
 * ordinary file in the kernel) and still give the same bytes on every run.
 *
 * Only opens are trapped.  The memfd is created in the tracee by an
 * injected memfd_create(), named after the path (still in the tracee's
 * memory), and filled by the worker through /proc/PID/fd, which opens a
 * description of its own and leaves the tracee's offset at 0.
 */
#include <sys/mman.h>
#include <sys/syscall.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sandbox.h"

/* Enough for any seed or key; a program reading more sees end of file. */
#define URANDOM_BYTES	(1024 * 1024)

static int
put(int wfd, const unsigned char *data, size_t len)
{
	ssize_t	 n;

	while (len > 0) {
		if ((n = write(wfd, data, len)) <= 0)
			return n < 0 ? -errno : -EIO;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Writes len bytes into the tracee's fd: data, or stream bytes made a
 * block at a time when data is NULL (a worker stays small). */
static int
fill(pid_t tid, int fd, const void *data, size_t len)
{
	unsigned char	 block[16384];
	char		 path[64];
	size_t		 n;
	int		 wfd, e = 0;

	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)tid, fd);
	if ((wfd = open(path, O_WRONLY | O_CLOEXEC)) == -1)
		return -errno;
	if (data != NULL)
		e = put(wfd, data, len);
	else
		for (; len > 0 && e == 0; len -= n) {
			n = len < sizeof(block) ? len : sizeof(block);
			sandbox_random(block, n);
			e = put(wfd, block, n);
		}
	close(wfd);
	return e;
}

static void
uuid(char out[37])
{
	unsigned char	 b[16];

	sandbox_random(b, sizeof(b));
	b[6] = (b[6] & 0x0f) | 0x40;	/* version 4 */
	b[8] = (b[8] & 0x3f) | 0x80;	/* RFC 4122 variant */
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5],
	    b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

/* The content of a virtual file at path: its length, with the bytes in
 * buf (80 bytes), or left NULL for a stream; 0 if path is not virtual. */
static size_t
content(const char *path, unsigned char *buf, const void **data)
{
	static const char	 boot_id[] =
	    "00000000-0000-4000-8000-000000000000\n";

	*data = buf;
	if (strcmp(path, "/dev/urandom") == 0 ||
	    strcmp(path, "/dev/random") == 0) {
		*data = NULL;
		return URANDOM_BYTES;
	}
	if (strcmp(path, "/proc/sys/kernel/random/uuid") == 0) {
		uuid((char *)buf);
		buf[36] = '\n';
		return 37;
	}
	if (strcmp(path, "/proc/sys/kernel/hostname") == 0 ||
	    strcmp(path, "/proc/sys/kernel/domainname") == 0) {
		char	 node[65], domain[65];

		sandbox_uts_get(node, domain);
		return (size_t)snprintf((char *)buf, 80, "%s\n",
		    path[17] == 'h' ? node : domain);
	}
	if (strcmp(path, "/proc/sys/kernel/random/boot_id") == 0) {
		memcpy(buf, boot_id, sizeof(boot_id) - 1);
		return sizeof(boot_id) - 1;
	}
	return 0;
}

static long
open_virtual(struct it_task *t, it_gp_str pathname, unsigned int flags)
{
	unsigned char		 buf[80];
	const void		*data;
	char			 path[64];
	size_t			 len;
	long			 fd;
	int			 e;

	/* Every open stops here: answer the ordinary ones fast. */
	if (it_mem_read_str(t, pathname, path, sizeof(path)) < 0 ||
	    (strncmp(path, "/dev/", 5) != 0 && strncmp(path, "/proc/", 6) != 0))
		return sandbox_open_check(t, flags);
	if ((len = content(path, buf, &data)) == 0)
		return sandbox_open_check(t, flags);
	if ((flags & O_ACCMODE) != O_RDONLY)
		return sandbox_open_check(t, flags);
	fd = it_task_syscall(t, SYS_memfd_create, pathname.addr,
	    (flags & O_CLOEXEC) ? MFD_CLOEXEC : 0, 0, 0, 0, 0);
	if (fd < 0)
		return fd;
	if ((e = fill(it_task_tid(t), (int)fd, data, len)) < 0) {
		(void)it_task_syscall(t, SYS_close, (uint64_t)fd, 0, 0, 0, 0, 0);
		return e;
	}
	return fd;
}

static long
sb_open(struct it_task *t, it_gp_str pathname, unsigned int flags,
    unsigned int mode)
{
	long	 r;

	(void)mode;
	if ((r = open_virtual(t, pathname, flags)) == IT_RUN_ORIGINAL)
		ftimes_opening(t, AT_FDCWD, pathname, flags);
	return r;
}

static long
sb_openat(struct it_task *t, int dirfd, it_gp_str pathname,
    unsigned int flags, unsigned int mode)
{
	long	 r;

	(void)mode;
	if ((r = open_virtual(t, pathname, flags)) == IT_RUN_ORIGINAL)
		ftimes_opening(t, dirfd, pathname, flags);
	return r;
}

const struct it_table sandbox_devices = {
	.open = sb_open,
	.openat = sb_openat,
};
