/*
 * The numbers of the run's own namespaces.  A link under /proc/PID/ns
 * reads "pid:[4026532190]": the inode number the kernel gave the
 * namespace when isotrace made it, from a counter the whole machine
 * shares, so it changes from run to run.  The run's user, pid, mount and
 * UTS namespaces read as the numbers a machine's first namespaces have
 * (the kernel's fixed ones; the mount namespace as the first one the
 * counter gives), as if the run were alone on its machine.
 *
 * The run's namespaces are those of its init, pid 1 in the /proc the
 * process sees.  Namespaces the program makes itself keep the kernel's
 * numbers, as do the host's (network, IPC, cgroup, time: the same on
 * every run on one machine).  Only readlink is answered: the inode
 * number that stat shows for such a link's target stays the kernel's.
 */
#include <sys/stat.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox.h"

static const struct {
	const char	*n_type;	/* the link's prefix */
	const char	*n_file;	/* the link of pid 1 to compare with */
	unsigned long	 n_ino;
} fixed[] = {
	{ "user", "user", 0xEFFFFFFDUL },	/* PROC_USER_INIT_INO */
	{ "pid", "pid", 0xEFFFFFFCUL },		/* PROC_PID_INIT_INO */
	{ "uts", "uts", 0xEFFFFFFEUL },		/* PROC_UTS_INIT_INO */
	{ "mnt", "mnt", 0xF0000000UL },		/* the first dynamic one */
};

/* A link's text "type:[N]" with N the run's: the same text, fixed N. */
static long
nsid_done(struct it_task *t, long r, void *arg)
{
	uint64_t	 buf = (uint64_t)(uintptr_t)arg;
	struct stat	 st;
	char		 link[64], path[96], *end;
	unsigned long	 ino;
	size_t		 i, n;

	if (r <= 0 || (size_t)r >= sizeof(link) ||
	    it_mem_read(t, buf, link, (size_t)r) < 0)
		return r;
	link[r] = '\0';
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		n = strlen(fixed[i].n_type);
		if (strncmp(link, fixed[i].n_type, n) == 0 &&
		    strncmp(link + n, ":[", 2) == 0)
			break;
	}
	if (i == sizeof(fixed) / sizeof(fixed[0]))
		return r;
	ino = strtoul(link + n + 2, &end, 10);
	if (strcmp(end, "]") != 0)
		return r;
	snprintf(path, sizeof(path), "/proc/%d/root/proc/1/ns/%s",
	    (int)it_task_tid(t), fixed[i].n_file);
	if (stat(path, &st) == -1 || st.st_ino != ino)
		return r;
	/* Both numbers have ten digits: the length stays what it was. */
	if (snprintf(link, sizeof(link), "%s:[%lu]", fixed[i].n_type,
	    fixed[i].n_ino) != r)
		return r;
	(void)it_mem_write(t, buf, link, (size_t)r);
	return r;
}

static long
sb_readlinkat(struct it_task *t, int dirfd, it_gp_str pathname, it_gptr buf,
    size_t bufsiz)
{
	char	 path[PATH_MAX], *slash;
	void	*arg;
	long	 r;

	(void)dirfd;
	if (it_mem_read_str(t, pathname, path, sizeof(path)) < 0)
		return IT_RUN_ORIGINAL;
	if (fdlink_wanted(path)) {
		if ((r = fdlink_own(t, path, buf, bufsiz)) != IT_RUN_ORIGINAL)
			return r;
		if ((arg = fdlink_arg(buf, bufsiz)) != NULL)
			it_task_on_exit(t, fdlink_done, arg);
		return IT_RUN_ORIGINAL;
	}
	/* Only a name whose last directory is "ns" can be such a link. */
	if ((slash = strrchr(path, '/')) == NULL || slash - path < 2 ||
	    strncmp(slash - 2, "ns", 2) != 0 ||
	    (slash - path > 2 && slash[-3] != '/'))
		return IT_RUN_ORIGINAL;
	it_task_on_exit(t, nsid_done, (void *)(uintptr_t)buf.addr);
	return IT_RUN_ORIGINAL;
}

static long
sb_readlink(struct it_task *t, it_gp_str pathname, it_gptr buf,
    size_t bufsiz)
{
	return sb_readlinkat(t, AT_FDCWD, pathname, buf, bufsiz);
}

const struct it_table sandbox_nsid = {
	.readlink = sb_readlink,
	.readlinkat = sb_readlinkat,
};
