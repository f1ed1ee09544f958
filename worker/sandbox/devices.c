/*
 * Virtual devices and files.  Opening /dev/urandom, /dev/random, the
 * kernel's uuid and boot_id files, or one of the /proc and /sys files that
 * describe the host (procfs.c) gives a memfd holding the sandbox's bytes
 * instead, so the program's read()s stay untrapped (they read an ordinary
 * file in the kernel) and still give the same bytes on every run.
 *
 * Only opens are trapped, and fstat of such an fd, which answers as the
 * host's file would (a character device for /dev/urandom).  A memfd is
 * created in the tracee by an injected memfd_create(), named after the
 * path (still in the tracee's memory), and filled by the worker through
 * /proc/PID/fd, which opens a description of its own and leaves the
 * tracee's offset at 0.
 *
 * The random devices share one memfd per process, its "pool": a later
 * open is a dup of an fd the process still holds on it, so 300 open fds
 * cost one pool, not 300, and each read still takes the next bytes of
 * the stream.  A pool more than half read, or one a fork shared with a
 * child (whose reads would race the parent's), is left for a new one.
 */
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sandbox.h"

/* Enough for any seed or key; a program reading more sees end of file. */
#define POOL_BYTES	(1024 * 1024)

/* The random devices, whose memfds are pools. */
static const char *const pooled[] = { "/dev/urandom", "/dev/random" };
#define NPOOLS	(sizeof(pooled) / sizeof(pooled[0]))

static struct pool {
	int		 p_valid;
	dev_t		 p_dev;
	ino_t		 p_ino;
	int		 p_fd;		/* the tracee's fd last handed out */
} pools[NPOOLS];

void
devices_forget(void)
{
	memset(pools, 0, sizeof(pools));
}

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

static int
pool_index(const char *path)
{
	size_t	 i;

	for (i = 0; i < NPOOLS; i++)
		if (strcmp(path, pooled[i]) == 0)
			return (int)i;
	return -1;
}

/* The content of a virtual file at path other than a pool: its length,
 * with the bytes in buf; 0 if path is not virtual. */
static size_t
content(struct it_task *t, const char *path, char *buf, size_t size)
{
	size_t	 len;

	if (strcmp(path, "/proc/sys/kernel/random/uuid") == 0) {
		uuid(buf);
		buf[36] = '\n';
		return 37;
	}
	if (strcmp(path, "/proc/sys/kernel/hostname") == 0 ||
	    strcmp(path, "/proc/sys/kernel/domainname") == 0) {
		char	 node[65], domain[65];

		sandbox_uts_get(node, domain);
		return (size_t)snprintf(buf, size, "%s\n",
		    path[17] == 'h' ? node : domain);
	}
	if ((len = sandbox_uts_file(path, buf, size)) > 0)
		return len;
	if (strcmp(path, "/proc/sys/kernel/random/boot_id") == 0) {
		/* one per run, from the seed (procfs.c) */
		return procfs_boot_id(buf, size);
	}
	return procfs_content(t, path, buf, size);
}

/* Does the tracee's fd refer to the pool's memfd? */
static int
pool_holds(pid_t tid, const struct pool *p, int fd)
{
	struct stat	 st;
	char		 path[64];

	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)tid, fd);
	return stat(path, &st) == 0 && st.st_dev == p->p_dev &&
	    st.st_ino == p->p_ino;
}

/* An fd of the tracee's on the pool, fit to share: -1 if none. */
static int
pool_find(pid_t tid, struct pool *p)
{
	struct dirent	*de;
	DIR		*d;
	FILE		*f;
	char		 path[64], line[64];
	long long	 pos = -1;
	int		 fd = -1;

	if (!p->p_valid)
		return -1;
	if (!pool_holds(tid, p, p->p_fd)) {
		snprintf(path, sizeof(path), "/proc/%d/fd", (int)tid);
		if ((d = opendir(path)) == NULL)
			return -1;
		while (fd == -1 && (de = readdir(d)) != NULL)
			if (de->d_name[0] != '.' &&
			    pool_holds(tid, p, atoi(de->d_name)))
				fd = atoi(de->d_name);
		closedir(d);
		if (fd == -1)
			return -1;
		p->p_fd = fd;
	}
	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", (int)tid, p->p_fd);
	if ((f = fopen(path, "re")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "pos: %lld", &pos) == 1)
			break;
	fclose(f);
	return pos >= 0 && pos < POOL_BYTES / 2 ? p->p_fd : -1;
}

/* A new memfd for path in the tracee, holding len bytes of data (or of
 * the stream when data is NULL). */
static long
make(struct it_task *t, it_gp_str pathname, unsigned int flags,
    const void *data, size_t len)
{
	long	 fd;
	int	 e;

	if (pathname.addr == 0)
		return -ENOMEM;
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
open_pool(struct it_task *t, it_gp_str pathname, unsigned int flags,
    struct pool *p)
{
	struct stat	 st;
	char		 path[64];
	pid_t		 tid = it_task_tid(t);
	long		 fd;
	int		 held;

	if ((held = pool_find(tid, p)) >= 0)
		return it_task_syscall(t, SYS_fcntl, (uint64_t)held,
		    (flags & O_CLOEXEC) ? F_DUPFD_CLOEXEC : F_DUPFD, 0, 0, 0,
		    0);
	if ((fd = make(t, pathname, flags, NULL, POOL_BYTES)) < 0)
		return fd;
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)tid, (int)fd);
	if (stat(path, &st) == 0) {
		p->p_valid = 1;
		p->p_dev = st.st_dev;
		p->p_ino = st.st_ino;
		p->p_fd = (int)fd;
	}
	return fd;
}

/*
 * A name relative to a directory fd (lscpu opens "/proc", then
 * "cpuinfo" in it) as the absolute name the virtual files go by, in
 * path; 0 if the directory is one of /dev, /proc or /sys.  Names relative
 * to the working directory stay the host's: looking up the directory of
 * every relative open would cost each build's opens a readlink.
 */
static int
absolute(struct it_task *t, int dirfd, char *path, size_t size)
{
	/* The last names of the virtual files (content() here, files[]
	 * of procfs.c and of procpid.c): any other relative open (tar's,
	 * find's) costs no readlink. */
	static const char *const names[] = { "uptime", "loadavg", "stat",
	    "cpuinfo", "meminfo", "cmdline", "interrupts", "softirqs",
	    "vmstat", "diskstats", "partitions", "swaps", "online",
	    "possible", "present", "boot_id", "uuid", "hostname",
	    "domainname", "urandom", "random", "status", "statm", "sched",
	    "schedstat", "io", "mountinfo" };
	const char	*last;
	char		 link[64], dir[PATH_MAX];
	ssize_t		 n;
	size_t		 i;

	if (dirfd < 0 || path[0] == '/')
		return -1;
	last = strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(last, names[i]) == 0)
			break;
	if (i == sizeof(names) / sizeof(names[0]))
		return -1;
	snprintf(link, sizeof(link), "/proc/%d/fd/%d", (int)it_task_tid(t),
	    dirfd);
	if ((n = readlink(link, dir, sizeof(dir) - 1)) <= 0)
		return -1;
	dir[n] = '\0';
	if (strcmp(dir, "/dev") != 0 && strcmp(dir, "/proc") != 0 &&
	    strcmp(dir, "/sys") != 0 && strncmp(dir, "/dev/", 5) != 0 &&
	    strncmp(dir, "/proc/", 6) != 0 && strncmp(dir, "/sys/", 5) != 0)
		return -1;
	if (strlen(dir) + 1 + strlen(path) + 1 > size)
		return -1;
	memmove(path + n + 1, path, strlen(path) + 1);
	memcpy(path, dir, (size_t)n);
	path[n] = '/';
	return 0;
}

/* The absolute name in the thread's scratch memory, for the memfd's
 * name: fstat finds the host's file by it.  0 if there is none. */
static it_gp_str
guest_name(struct it_task *t, const char *path)
{
	it_gp_str	 g;

	g.addr = it_task_scratch(t, strlen(path) + 1);
	if (g.addr != 0 && it_mem_write(t, g.addr, path, strlen(path) + 1) < 0)
		g.addr = 0;
	return g;
}

/*
 * The memfd's name: the file's absolute name as /proc/PID/fd shows it
 * natively, so that its link reads the same once "/memfd:" and
 * " (deleted)" are taken off (fdlink.c): /proc/self and
 * /proc/thread-self name the process and thread.
 */
static it_gp_str
memfd_name(struct it_task *t, const char *path, int rel, it_gp_str given)
{
	char	 name[PATH_MAX];
	long	 pid, tid;

	if (strncmp(path, "/proc/self/", 11) == 0 ||
	    strncmp(path, "/proc/thread-self/", 18) == 0) {
		procpid_own_ids(t, &pid, &tid);
		if (pid <= 0 || tid <= 0)
			return given;
		if (path[6] == 's')
			snprintf(name, sizeof(name), "/proc/%ld/%s", pid,
			    path + 11);
		else
			snprintf(name, sizeof(name), "/proc/%ld/task/%ld/%s",
			    pid, tid, path + 18);
		return guest_name(t, name);
	}
	return rel ? guest_name(t, path) : given;
}

static long
open_virtual(struct it_task *t, int dirfd, it_gp_str pathname,
    uint64_t flags)
{
	static char	 buf[65536];
	char		 path[256];
	size_t		 len;
	int		 i, rel;

	/* Every open stops here: answer the ordinary ones fast (the host
	 * guard checks opens for writing). */
	if (it_mem_read_str(t, pathname, path, sizeof(path)) < 0)
		return sandbox_open_check(t, (unsigned int)flags);
	rel = absolute(t, dirfd, path, sizeof(path)) == 0;
	/* The run's /etc/hosts where no namespace has its copy mounted. */
	if (path[1] == 'e' && (flags & O_ACCMODE) == O_RDONLY &&
	    !(flags & O_PATH) && (len = hosts_content(path, buf,
	    sizeof(buf))) > 0)
		return make(t, pathname, (unsigned int)flags, buf, len);
	if ((strncmp(path, "/dev/", 5) != 0 &&
	    strncmp(path, "/proc/", 6) != 0 && strncmp(path, "/sys/", 5) != 0))
		return sandbox_open_check(t, (unsigned int)flags);
	/* Writing feeds the pool, O_PATH opens nothing: as the host. */
	if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_PATH))
		return sandbox_open_check(t, (unsigned int)flags);
	if ((i = pool_index(path)) >= 0)
		return open_pool(t, memfd_name(t, path, rel, pathname),
		    (unsigned int)flags, &pools[i]);
	if ((len = content(t, path, buf, sizeof(buf))) == 0)
		return sandbox_open_check(t, (unsigned int)flags);
	return make(t, memfd_name(t, path, rel, pathname), (unsigned int)flags,
	    buf, len);
}

static long
sb_open(struct it_task *t, it_gp_str pathname, unsigned int flags,
    unsigned int mode)
{
	long	 r;

	(void)mode;
	if ((r = open_virtual(t, AT_FDCWD, pathname, flags)) == IT_RUN_ORIGINAL)
		ftimes_opening(t, AT_FDCWD, pathname, flags);
	return r;
}

static long
sb_openat(struct it_task *t, int dirfd, it_gp_str pathname,
    unsigned int flags, unsigned int mode)
{
	long	 r;

	(void)mode;
	if ((r = open_virtual(t, dirfd, pathname, flags)) == IT_RUN_ORIGINAL)
		ftimes_opening(t, dirfd, pathname, flags);
	return r;
}

/* openat2: as openat; its checks of how are the kernel's, and a
 * resolve restriction is the kernel's business too. */
static long
sb_openat2(struct it_task *t, int dirfd, it_gp_str pathname,
    it_gp_open_how how, size_t size)
{
	struct it_k_open_how	 h;

	if (size < sizeof(h) || it_read_open_how(t, how, &h) < 0)
		return IT_RUN_ORIGINAL;	/* the kernel says what is wrong */
	if (h.resolve != 0 || (h.flags & ~(uint64_t)UINT_MAX) != 0)
		return sandbox_open_check(t, (unsigned int)h.flags);
	return open_virtual(t, dirfd, pathname, h.flags);
}

/*
 * The name a virtual file was opened by, from the link of its memfd
 * ("/memfd:PATH (deleted)"): PATH in name, or -1 if link is not one of
 * the sandbox's virtual files.
 */
int
devices_virtual_name(struct it_task *t, const char *link, char *name,
    size_t size)
{
	static const char	 pre[] = "/memfd:", post[] = " (deleted)";
	char			 host[PATH_MAX];
	size_t			 n = strlen(link), plen = strlen(post);

	if (strncmp(link, pre, sizeof(pre) - 1) != 0 ||
	    n < sizeof(pre) - 1 + plen || strcmp(link + n - plen, post) != 0 ||
	    n - plen - (sizeof(pre) - 1) >= size)
		return -1;
	memcpy(name, link + sizeof(pre) - 1, n - plen - (sizeof(pre) - 1));
	name[n - plen - (sizeof(pre) - 1)] = '\0';
	if (pool_index(name) >= 0 ||
	    strcmp(name, "/proc/sys/kernel/random/uuid") == 0 ||
	    strcmp(name, "/proc/sys/kernel/random/boot_id") == 0 ||
	    procfs_host_path(t, name, host, sizeof(host)) == 0)
		return 0;
	return -1;
}

/* The host file the tracee's fd stands for, when it is a virtual one. */
static int
host_file(struct it_task *t, int fd, char *host, size_t size)
{
	char		 path[64], link[PATH_MAX], name[PATH_MAX];
	ssize_t		 n;

	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)it_task_tid(t), fd);
	if (fd < 0 || (n = readlink(path, link, sizeof(link) - 1)) <= 0)
		return -1;
	link[n] = '\0';
	if (devices_virtual_name(t, link, name, sizeof(name)) < 0)
		return -1;
	if (pool_index(name) >= 0 ||
	    strcmp(name, "/proc/sys/kernel/random/uuid") == 0 ||
	    strcmp(name, "/proc/sys/kernel/random/boot_id") == 0) {
		strlcpy(host, name, size);
		return 0;
	}
	return procfs_host_path(t, name, host, size);
}

/* The host file's stat, its times at the epoch as the stat family's. */
static int
host_stat(struct it_task *t, int fd, struct stat *st)
{
	struct timespec	 ts = { sandbox_config()->sc_epoch, 0 };
	char		 host[PATH_MAX], seen[PATH_MAX + 32];
	struct stat	 there;
	pid_t		 tid = it_task_tid(t);
	int		 hfd, r;

	/* (paths in the thread's root are walked inside it: rootwalk.c) */
	if (host_file(t, fd, host, sizeof(host)) < 0 ||
	    (hfd = rootwalk_path(tid, host, O_PATH)) == -1)
		return -1;
	r = fstat(hfd, st);
	close(hfd);
	if (r == -1)
		return -1;
	st->st_atim = st->st_mtim = st->st_ctim = ts;
	/* The device as the thread sees it: its /proc may be another
	 * mount (its pid namespace's) over the worker's. */
	snprintf(seen, sizeof(seen), "/proc/%d/root%s", (int)tid, host);
	if (strncmp(host, seen, strlen(seen) - strlen(host)) != 0 &&
	    (hfd = rootwalk_path(tid, seen, O_PATH)) != -1) {
		if (fstat(hfd, &there) == 0)
			st->st_dev = there.st_dev;
		close(hfd);
	}
	st->st_dev = devnums_dev(it_task_tid(t), st->st_dev);
	return 0;
}

long
devices_fstat(struct it_task *t, int fd, it_gp_stat buf)
{
	struct stat	 st;

	if (host_stat(t, fd, &st) < 0)
		return IT_RUN_ORIGINAL;
	return it_write_stat(t, buf, &st);
}

/* fstatat and statx name the fd itself with AT_EMPTY_PATH and "". */
/*
 * The descriptor a stat by path names: dirfd itself for an empty path,
 * or N for the thread's own /proc/self/fd/N, /proc/thread-self/fd/N or
 * /dev/fd/N followed to the file (a virtual file there is its memfd to
 * the kernel); -1 for any other path.
 */
static int
named_fd(struct it_task *t, int dirfd, it_gp_str path, unsigned int flags)
{
	static const char *const dirs[] = { "/proc/self/fd/",
	    "/proc/thread-self/fd/", "/dev/fd/" };
	char		 name[64], *end;
	size_t		 i, n;
	long		 fd;

	if (path.addr == 0 ||
	    it_mem_read_str(t, path, name, sizeof(name)) < 0)
		return -1;
	if (name[0] == '\0')
		return (flags & AT_EMPTY_PATH) ? dirfd : -1;
	if (flags & AT_SYMLINK_NOFOLLOW)
		return -1;
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		n = strlen(dirs[i]);
		if (strncmp(name, dirs[i], n) != 0 || name[n] < '0' ||
		    name[n] > '9')
			continue;
		fd = strtol(name + n, &end, 10);
		return *end == '\0' && fd <= INT_MAX ? (int)fd : -1;
	}
	return -1;
}

long
devices_fstatat(struct it_task *t, int dirfd, it_gp_str path,
    unsigned int flags, it_gp_stat buf)
{
	int	 fd;

	if ((fd = named_fd(t, dirfd, path, flags)) < 0)
		return IT_RUN_ORIGINAL;
	return devices_fstat(t, fd, buf);
}

long
devices_statx(struct it_task *t, int dirfd, it_gp_str path,
    unsigned int flags, it_gp_statx buf)
{
	struct statx_timestamp	 ts = { .tv_sec = sandbox_config()->sc_epoch };
	struct statx		 sx;
	struct stat		 st;
	int			 fd;

	if ((fd = named_fd(t, dirfd, path, flags)) < 0 ||
	    host_stat(t, fd, &st) < 0)
		return IT_RUN_ORIGINAL;
	memset(&sx, 0, sizeof(sx));
	sx.stx_mask = STATX_BASIC_STATS;
	sx.stx_blksize = (uint32_t)st.st_blksize;
	sx.stx_nlink = (uint32_t)st.st_nlink;
	sx.stx_uid = st.st_uid;
	sx.stx_gid = st.st_gid;
	sx.stx_mode = (uint16_t)st.st_mode;
	sx.stx_ino = st.st_ino;
	sx.stx_size = (uint64_t)st.st_size;
	sx.stx_blocks = (uint64_t)st.st_blocks;
	sx.stx_atime = sx.stx_ctime = sx.stx_mtime = ts;
	sx.stx_rdev_major = major(st.st_rdev);
	sx.stx_rdev_minor = minor(st.st_rdev);
	sx.stx_dev_major = major(st.st_dev);
	sx.stx_dev_minor = minor(st.st_dev);
	return it_write_statx(t, buf, &sx);
}

const struct it_table sandbox_devices = {
	.open = sb_open,
	.openat = sb_openat,
	.openat2 = sb_openat2,
};
