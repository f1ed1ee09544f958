/*
 * -y: a descriptor's path after its number, read from /proc/TID/fd/N
 * when the argument is printed (at entry for the arguments the kernel
 * reads, so close(3) still shows what 3 was; at exit for a descriptor the
 * call returned).  The path is quoted as strace quotes it: C escapes,
 * and '<' and '>' escaped so the brackets stay unambiguous.
 */
#include <sys/xattr.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decode_impl.h"
#include "decode_fdpath.h"
#include "../engine/task.h"

int
fdpath_read(pid_t tid, int fd, char *buf, size_t len)
{
	char	 link[64];
	ssize_t	 n;

	if (fd == AT_FDCWD)
		snprintf(link, sizeof(link), "/proc/%d/cwd", (int)tid);
	else
		snprintf(link, sizeof(link), "/proc/%d/fd/%d", (int)tid, fd);
	if (len == 0 || (n = readlink(link, buf, len - 1)) == -1)
		return -errno;
	buf[n] = '\0';
	return 0;
}

/*
 * -yy: "socket:[INODE]" becomes the protocol and its endpoints.  The
 * kernel names the protocol in the system.sockprotoname attribute of the
 * /proc link ("TCP", "UDPv6", "UNIX-STREAM"...).
 */
static int
put_socket(struct sbuf *sb, pid_t tid, int fd, const char *target)
{
	char		 link[64], proto[32];
	unsigned long	 inode;
	ssize_t		 n;

	if (sscanf(target, "socket:[%lu]", &inode) != 1)
		return -1;
	snprintf(link, sizeof(link), "/proc/%d/fd/%d", (int)tid, fd);
	if ((n = getxattr(link, "system.sockprotoname", proto,
	    sizeof(proto) - 1)) <= 0)
		return -1;
	proto[n] = '\0';
	if (sockdiag_describe(sb, proto, inode) == 0)
		return 0;
	sbuf_printf(sb, "%s:[%lu]", proto, inode);
	return 0;
}

void
fdpath_put(struct dctx *c, int fd)
{
	static const char		 deleted[] = " (deleted)";
	const struct decode_opts	*o = decode_options();
	char				 path[DEC_PATHMAX];
	size_t				 len;
	int				 gone = 0;

	if (o->do_fdpath == 0 || (fd < 0 && fd != AT_FDCWD) ||
	    fdpath_read(c->c_t->t_tid, fd, path, sizeof(path)) < 0)
		return;
	/* strace puts the kernel's " (deleted)" after the brackets. */
	len = strlen(path);
	if (len > sizeof(deleted) - 1 && strcmp(path + len -
	    (sizeof(deleted) - 1), deleted) == 0) {
		path[len - (sizeof(deleted) - 1)] = '\0';
		gone = 1;
	}
	sbuf_puts(c->c_sb, "<");
	if (o->do_fdpath < 2 || fd == AT_FDCWD ||
	    put_socket(c->c_sb, c->c_t->t_tid, fd, path) < 0)
		sbuf_quote_bare(c->c_sb, path, "<>");
	sbuf_puts(c->c_sb, gone ? ">(deleted)" : ">");
}
