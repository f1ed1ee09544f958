/*
 * The run's /etc/hosts: the host's, with one line more that names the
 * run's host name, as Debian's installer names a host without a fixed
 * address: "127.0.1.1<TAB>name".  Programs look their own name up at
 * start (getaddrinfo(gethostname()), Python's getfqdn, Java's
 * InetAddress.getLocalHost, sendmail); without the line the run's
 * "sandbox" is unknown to the files and the lookup goes to DNS and fails.
 * The virtual network takes all of 127/8 as loopback, as the kernel does,
 * so the address also binds and connects.
 *
 * In the run's own mount namespace the namespace's init writes the copy in
 * a tmpfs and bind-mounts it over /etc/hosts: the host's file is never
 * written, whatever the run writes there, and stat, mmap and inotify see
 * an ordinary file.  The tmpfs is mounted for a moment on /proc, which is
 * there on every host and gets the namespace's own proc right after; the
 * bind keeps the file once the tmpfs is gone from /proc.
 *
 * A sethostname in the run renames the line (hosts_rename), from the
 * worker through the tracee's /proc/PID/root, when the file is still the
 * run's copy with the line last.
 *
 * Without the namespace (--sandbox-pids=translate) there is nothing to
 * mount on: an open of /etc/hosts for reading gets a memfd of the same
 * text instead (devices.c, hosts_content), made at each open with the
 * name of the moment.  A stat of the path still shows the host's file.
 */
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../../common/log.h"
#include "sandbox.h"

#define HOSTS		"/etc/hosts"
#define HOSTS_ADDR	"127.0.1.1"	/* Debian's for the host's own name */
#define SCRATCH		"/proc"		/* the tmpfs's moment */

/* The line that names node, in buf: its length. */
static size_t
hosts_line(char *buf, size_t size, const char *node)
{
	int	 n;

	n = snprintf(buf, size, "%s\t%s\n", HOSTS_ADDR, node);
	return n > 0 && (size_t)n < size ? (size_t)n : 0;
}

/* Copies the host's file to fd and adds node's line: 0 or -1. */
static int
hosts_copy(int in, int out, const char *node)
{
	char	 buf[8192], line[128];
	ssize_t	 n;
	size_t	 len;
	char	 last = '\n';

	while ((n = read(in, buf, sizeof(buf))) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (write(out, buf, (size_t)n) != n)
			return -1;
		last = buf[n - 1];
	}
	/* A host file without its last newline would glue the two lines. */
	if (last != '\n' && write(out, "\n", 1) != 1)
		return -1;
	if ((len = hosts_line(line, sizeof(line), node)) == 0 ||
	    write(out, line, len) != (ssize_t)len)
		return -1;
	return 0;
}

/*
 * Called by the namespace's init, alone in its mount namespace, before
 * it mounts the namespace's /proc: 0, or -1 with the host's file left in
 * place (no /etc/hosts here: nothing to add to).
 */
int
hosts_mount(const char *node)
{
	struct stat	 st;
	int		 in, out = -1, r = -1;

	if ((in = open(HOSTS, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(in, &st) == -1 || !S_ISREG(st.st_mode)) {
		log_debug("sandbox: %s: not a file here", HOSTS);
		if (in != -1)
			close(in);
		return -1;
	}
	if (mount("sandbox", SCRATCH, "tmpfs", MS_NOSUID | MS_NODEV |
	    MS_NOEXEC, "mode=700") == -1) {
		log_warn("sandbox: %s: tmpfs", HOSTS);
		close(in);
		return -1;
	}
	if ((out = open(SCRATCH "/hosts", O_WRONLY | O_CREAT | O_EXCL |
	    O_CLOEXEC, st.st_mode & 0777)) == -1 ||
	    fchmod(out, st.st_mode & 0777) == -1 ||
	    hosts_copy(in, out, node) == -1)
		log_warn("sandbox: %s", HOSTS);
	else if (mount(SCRATCH "/hosts", HOSTS, NULL, MS_BIND, NULL) == -1)
		log_warn("sandbox: %s: bind", HOSTS);
	else
		r = 0;
	if (out != -1)
		close(out);
	close(in);
	if (umount2(SCRATCH, MNT_DETACH) == -1)
		log_warn("sandbox: %s: umount", SCRATCH);
	return r;
}

/*
 * The text of the run's /etc/hosts for an open by name, with translated
 * pids only: its length, 0 to leave the open to the host's file (the
 * namespace has its copy mounted, or the host has no file that fits).
 */
size_t
hosts_content(const char *path, char *buf, size_t size)
{
	char	 node[65], domain[65], line[128];
	size_t	 len = 0, llen;
	ssize_t	 n = -1;
	int	 fd;

	if (sandbox_config()->sc_pids != SANDBOX_PIDS_TRANSLATE ||
	    strcmp(path, HOSTS) != 0)
		return 0;
	sandbox_uts_get(node, domain);
	if ((llen = hosts_line(line, sizeof(line), node)) == 0 ||
	    (fd = open(HOSTS, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	while (len < size && (n = read(fd, buf + len, size - len)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (n != 0 || len + 1 + llen > size) {
		log_debug("sandbox: %s: larger than %zu bytes", HOSTS, size);
		return 0;
	}
	if (len > 0 && buf[len - 1] != '\n')
		buf[len++] = '\n';
	memcpy(buf + len, line, llen);
	return len + llen;
}

/*
 * The thread's /etc/hosts, for writing, if it may be the run's copy: -1
 * otherwise.  The worker is the host's user and walks the thread's path,
 * which the program made as it liked (it is root in its own user and
 * mount namespaces: it may mount, link and chroot).  Through
 * /proc/TID/root alone, a symbolic link or ".." on the way would be
 * resolved from the worker's root, outside the thread's (a link to
 * /proc/P/root/... reaches another run's /etc/hosts).  So the name is
 * resolved within the thread's root (rootwalk.c), first without opening
 * it (O_PATH: a device or FIFO put there is not opened by the host's
 * user); and the file must be one the program could write itself, a
 * regular file of a tmpfs owned by the run's root (the worker's user,
 * as the init that made it), not the worker's own /etc/hosts.
 */
static int
hosts_open(pid_t tid, struct stat *st)
{
	struct statfs	 sf;
	struct stat	 host;
	char		 path[64];
	int		 fd, rw = -1;

	if ((fd = rootwalk_open(tid, HOSTS, O_PATH | O_NOFOLLOW, 0)) == -1)
		return -1;
	if (fstatfs(fd, &sf) == 0 && sf.f_type == TMPFS_MAGIC &&
	    fstat(fd, st) == 0 && S_ISREG(st->st_mode) &&
	    st->st_uid == geteuid() && !(stat(HOSTS, &host) == 0 &&
	    host.st_dev == st->st_dev && host.st_ino == st->st_ino)) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		rw = open(path, O_RDWR | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	}
	close(fd);
	return rw;
}

/*
 * The run's sethostname(node) renames the line the init added, if the
 * thread's /etc/hosts is still the run's copy (hosts_open) and the line
 * is still its last.  A reader in between sees the file without the
 * line.
 */
void
hosts_rename(pid_t tid, const char *old, const char *node)
{
	struct stat	 st;
	char		 line[128], tail[129];
	size_t		 olen, nlen, lead;
	off_t		 at;
	int		 fd;

	if (sandbox_config()->sc_pids != SANDBOX_PIDS_NAMESPACE ||
	    strcmp(old, node) == 0 ||
	    (olen = hosts_line(line, sizeof(line), old)) == 0 ||
	    (fd = hosts_open(tid, &st)) == -1)
		return;
	if ((size_t)st.st_size < olen)
		goto done;
	/* The line, whole, at the end: after a newline, or all the file. */
	at = st.st_size - (off_t)olen;
	lead = at > 0;
	if (pread(fd, tail, olen + lead, at - (off_t)lead) !=
	    (ssize_t)(olen + lead) || (lead && tail[0] != '\n') ||
	    memcmp(tail + lead, line, olen) != 0)
		goto done;
	if ((nlen = hosts_line(line, sizeof(line), node)) == 0 ||
	    ftruncate(fd, at) == -1 ||
	    pwrite(fd, line, nlen, at) != (ssize_t)nlen)
		log_warn("sandbox: %s", HOSTS);
done:
	close(fd);
}
