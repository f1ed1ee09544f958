/*
 * Reaching the file a call names from the worker, as the calling thread
 * would reach it, so that a stat can be answered at its seccomp stop.
 * Letting the kernel run the call and fixing its result at the exit
 * costs the thread a second stop (~15 us on this machine's kind, twice
 * what the answer itself costs); tar stats each file three times.
 *
 * A descriptor is the program's own open file description, taken with
 * pidfd_getfd (the tracer may): its fstat is the program's, whatever the
 * file.  A name is walked from the thread's own root, working directory
 * or directory descriptor (through /proc/TID, which leads into the
 * thread's mount namespace), with openat2's RESOLVE_NO_SYMLINKS and
 * RESOLVE_BENEATH or RESOLVE_IN_ROOT: without symbolic links and without
 * ".." above the start, the walk meets the same directories and mounts as
 * the thread's.  It also needs the same rights to search them: only a
 * thread whose file system user and group are the worker's is served (in
 * the run's user namespace it has the worker's host user and
 * capabilities on top), so what the worker finds, the thread finds.
 * (Its supplementary groups and a capability it dropped are not looked
 * at.)
 *
 * Anything else (a symbolic link on the way, "..", a thread of another
 * user, a refusal) is left to the kernel: the caller runs the original
 * call.  A name that does not exist is answered (ENOENT, ENOTDIR): a walk
 * without links fails where the thread's would.
 */
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/openat2.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sandbox.h"

/* pidfd_open's flag for a thread's own pidfd (Linux 6.9), if the
 * headers predate it. */
#ifndef PIDFD_THREAD
#define PIDFD_THREAD	O_EXCL
#endif

/*
 * What the worker keeps open of the last few threads it reached: the
 * thread's pidfd and its /proc/TID directory.  A stat names its file
 * through them, and opening them again at each stop walked /proc (a third
 * of the worker's time for a stat).  Each holds its thread's struct pid,
 * so it cannot come to stand for another task (pidfd_getfd fails with
 * ESRCH, /proc/TID is empty and root's); they are dropped when the
 * thread is gone (reach_forget), before its number can be reused.
 */
#define THREADS		8

static struct thread {
	pid_t		 th_tid;	/* 0: free */
	int		 th_pidfd;	/* -1 until asked for */
	int		 th_procfd;	/* -1 until asked for */
	unsigned	 th_used;	/* the oldest goes first */
} threads[THREADS];
static unsigned	 uses;

static void
drop(struct thread *th)
{
	if (th->th_tid != 0 && th->th_pidfd != -1)
		close(th->th_pidfd);
	if (th->th_tid != 0 && th->th_procfd != -1)
		close(th->th_procfd);
	th->th_tid = 0;
}

static struct thread *
thread_of(pid_t tid)
{
	struct thread	*th, *victim = &threads[0];
	size_t		 i;

	for (i = 0; i < THREADS; i++) {
		th = &threads[i];
		if (th->th_tid == tid) {
			th->th_used = ++uses;
			return th;
		}
		if (th->th_tid == 0 || (victim->th_tid != 0 &&
		    th->th_used < victim->th_used))
			victim = th;
	}
	drop(victim);
	*victim = (struct thread){ tid, -1, -1, ++uses };
	return victim;
}

void
reach_forget(pid_t tid)
{
	size_t	 i;

	for (i = 0; tid != 0 && i < THREADS; i++)
		if (threads[i].th_tid == tid)
			drop(&threads[i]);
}

/*
 * The thread's own descriptor table: a thread may have one of its own
 * (clone without CLONE_FILES), and a leader that has exited has none, so
 * a thread that is not the leader is reached through its own pidfd.
 */
static int
pidfd_of(struct thread *th)
{
	if (th->th_pidfd == -1 && (th->th_pidfd = (int)syscall(SYS_pidfd_open,
	    th->th_tid, PIDFD_THREAD)) == -1)
		th->th_pidfd = (int)syscall(SYS_pidfd_open, th->th_tid, 0);
	return th->th_pidfd;
}

int
reach_getfd(pid_t tid, int fd)
{
	struct thread	*th = thread_of(tid);
	int		 r, e;

	if (pidfd_of(th) == -1)
		return -1;
	if ((r = (int)syscall(SYS_pidfd_getfd, th->th_pidfd, fd, 0)) == -1 &&
	    (e = errno) == ESRCH) {
		drop(th);	/* of an earlier task of this number */
		errno = e;
	}
	return r;
}

/* The thread's /proc/TID directory. */
static int
proc_tid(pid_t tid)
{
	struct thread	*th = thread_of(tid);
	char		 path[64];

	if (th->th_procfd == -1) {
		snprintf(path, sizeof(path), "/proc/%d", (int)tid);
		th->th_procfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	}
	return th->th_procfd;
}

/* The thread's /proc/TID/what, opened as a path. */
static int
proc_dir(pid_t tid, const char *what)
{
	int	 dfd;

	if ((dfd = proc_tid(tid)) == -1)
		return -1;
	return openat(dfd, what, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

/*
 * PIDFD_GET_INFO (Linux 6.13) with PIDFD_INFO_CREDS: the thread's ids,
 * in the worker's user namespace.  The kernel's layout, declared here
 * since the headers may predate it.
 */
struct pidinfo {
	uint64_t	 pi_mask;
	uint64_t	 pi_cgroupid;
	uint32_t	 pi_pid, pi_tgid, pi_ppid;
	uint32_t	 pi_ruid, pi_rgid, pi_euid, pi_egid, pi_suid, pi_sgid;
	uint32_t	 pi_fsuid, pi_fsgid;
	uint32_t	 pi_spare;
};
#define PIDINFO_CREDS	(1ULL << 1)
#define PIDINFO_GET	_IOWR(0xFF, 11, struct pidinfo)

/*
 * Does the thread walk paths as the worker does?  A name is walked with
 * the file system ids (setfsuid changes them alone), which the pidfd
 * tells; without PIDFD_GET_INFO, the owner of /proc/TID, the effective
 * user (root when the thread is not dumpable).  Both are asked afresh
 * each time: a thread's ids change without a stop.  The worker's own
 * never change (spawn.c's -u is the command's).
 */
static int
same_user(pid_t tid)
{
	static uid_t	 euid = (uid_t)-1;
	static gid_t	 egid;
	static int	 noinfo;
	struct thread	*th = thread_of(tid);
	struct pidinfo	 pi;
	struct stat	 st;
	int		 dfd;

	if (euid == (uid_t)-1) {
		euid = geteuid();
		egid = getegid();
	}
	if (!noinfo && pidfd_of(th) != -1) {
		memset(&pi, 0, sizeof(pi));
		pi.pi_mask = PIDINFO_CREDS;
		if (ioctl(th->th_pidfd, PIDINFO_GET, &pi) == 0)
			return (pi.pi_mask & PIDINFO_CREDS) &&
			    pi.pi_fsuid == euid && pi.pi_fsgid == egid;
		if (errno == ESRCH)
			return 0;
		noinfo = 1;	/* ENOTTY: an older kernel */
	}
	return (dfd = proc_tid(tid)) != -1 && fstat(dfd, &st) == 0 &&
	    st.st_uid == euid;
}

/* The descriptor a name is walked from, or -1. */
static int
base_of(pid_t tid, int dirfd, const char *name)
{
	if (name[0] == '/')
		return proc_dir(tid, "root");
	if (dirfd == AT_FDCWD)
		return proc_dir(tid, "cwd");
	return reach_getfd(tid, dirfd);
}

/* The name of a call, read; 0 or REACH_KERNEL. */
static int
read_name(struct it_task *t, it_gp_str path, char *name, size_t size)
{
	/* fstat's fd, or (since Linux 6.11) a NULL path with AT_EMPTY_PATH. */
	if (path.addr == 0)
		name[0] = '\0';
	else if (it_mem_read_str(t, path, name, size) < 0)
		return REACH_KERNEL;
	return 0;
}

/* reach_open with the name read. */
static int
open_name(pid_t tid, int dirfd, const char *name, unsigned int flags)
{
	struct open_how	 how;
	int		 base, fd, e;

	if (name[0] == '\0') {
		if (!(flags & AT_EMPTY_PATH))
			return REACH_KERNEL;
		fd = dirfd == AT_FDCWD ? proc_dir(tid, "cwd") :
		    reach_getfd(tid, dirfd);
		return fd == -1 ? REACH_KERNEL : fd;
	}
	if (!same_user(tid) || (base = base_of(tid, dirfd, name)) == -1)
		return REACH_KERNEL;
	memset(&how, 0, sizeof(how));
	how.flags = O_PATH | O_CLOEXEC |
	    ((flags & AT_SYMLINK_NOFOLLOW) ? O_NOFOLLOW : 0);
	how.resolve = RESOLVE_NO_SYMLINKS |
	    (name[0] == '/' ? RESOLVE_IN_ROOT : RESOLVE_BENEATH);
	fd = (int)syscall(SYS_openat2, base, name, &how, sizeof(how));
	e = errno;
	close(base);
	if (fd >= 0)
		return fd;
	return e == ENOENT || e == ENOTDIR ? -e : REACH_KERNEL;
}

int
reach_open(struct it_task *t, int dirfd, it_gp_str path, unsigned int flags)
{
	char	 name[PATH_MAX];

	if (read_name(t, path, name, sizeof(name)) < 0)
		return REACH_KERNEL;
	return open_name(it_task_tid(t), dirfd, name, flags);
}

/*
 * One name in a directory (tar stats each file so, by its directory's
 * descriptor) is asked about from that directory at once: with no
 * directory to cross, no symbolic link but the last can be met, and the
 * last is not followed (the caller asks with AT_SYMLINK_NOFOLLOW, and
 * leaves a link the call wanted followed to the kernel).  Three of the
 * worker's system calls fewer than opening the file.
 */
int
reach_at(struct it_task *t, int dirfd, it_gp_str path, unsigned int flags,
    char *name, size_t size)
{
	pid_t	 tid = it_task_tid(t);
	int	 base, fd;

	if (read_name(t, path, name, size) < 0)
		return REACH_KERNEL;
	if (name[0] == '\0' || strchr(name, '/') != NULL ||
	    strcmp(name, "..") == 0) {
		fd = open_name(tid, dirfd, name, flags);
		name[0] = '\0';
		return fd;
	}
	if (!same_user(tid) || (base = base_of(tid, dirfd, name)) == -1)
		return REACH_KERNEL;
	return base;
}

int
reach_stat(struct it_task *t, int dirfd, it_gp_str path, unsigned int flags,
    struct stat *st)
{
	char	 name[PATH_MAX];
	int	 fd, r, e;

	if ((fd = reach_at(t, dirfd, path, flags, name, sizeof(name))) < 0)
		return fd;
	r = fstatat(fd, name, st, name[0] == '\0' ? AT_EMPTY_PATH :
	    AT_SYMLINK_NOFOLLOW | (flags & AT_NO_AUTOMOUNT));
	e = errno;
	close(fd);
	if (r == -1)
		return name[0] != '\0' && (e == ENOENT || e == ENOTDIR) ? -e :
		    REACH_KERNEL;
	if (name[0] != '\0' && S_ISLNK(st->st_mode) &&
	    !(flags & AT_SYMLINK_NOFOLLOW))
		return REACH_KERNEL;
	return 0;
}
