/*
 * Files of a traced thread's own view, opened by the worker.
 *
 * The worker reaches the thread's mount namespace through the magic link
 * /proc/TID/root, but the kernel follows that link only once: after it,
 * a symbolic link whose target starts with "/" restarts the walk from the
 * worker's root, and ".." climbs above the thread's root, which is not
 * the worker's.  The program is root in its own user and mount
 * namespaces: it may mount a tmpfs of its own on /proc, /etc or any
 * directory, put links there and chroot.  A walk that followed them as
 * the worker's would reach any file of the host, and other processes'
 * mount namespaces through /proc/P/root (another run's files among them),
 * with the host's user's rights.  So every such walk starts at the
 * thread's root and keeps it as the root for "/" and ".."
 * (RESOLVE_IN_ROOT), as the thread's own walk would.
 */
#include <sys/syscall.h>
#include <linux/openat2.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sandbox.h"

int
rootwalk_open(pid_t tid, const char *name, int flags, uint64_t resolve)
{
	struct open_how	 how;
	char		 root[64];
	int		 dfd, fd, e;

	snprintf(root, sizeof(root), "/proc/%d/root", (int)tid);
	if ((dfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	memset(&how, 0, sizeof(how));
	how.flags = (uint64_t)(flags | O_CLOEXEC);
	how.resolve = resolve | RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
	while (*name == '/')
		name++;
	fd = (int)syscall(SYS_openat2, dfd, *name ? name : ".", &how,
	    sizeof(how));
	e = errno;
	close(dfd);
	errno = e;
	return fd;
}

/*
 * A path the worker built, opened: one under the thread's
 * "/proc/TID/root/" is walked inside that root without any symbolic link
 * (the files asked for this way, the thread's own /proc/PID/... and
 * device nodes, have none on their way); any other is the worker's own.
 */
int
rootwalk_path(pid_t tid, const char *path, int flags)
{
	char	 root[64];
	int	 n;

	n = snprintf(root, sizeof(root), "/proc/%d/root/", (int)tid);
	if (n > 0 && strncmp(path, root, (size_t)n) == 0)
		return rootwalk_open(tid, path + n, flags,
		    RESOLVE_NO_SYMLINKS);
	return open(path, flags | O_CLOEXEC);
}
