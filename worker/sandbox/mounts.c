/*
 * Which file systems have logical file times: the real ones.  The kernel
 * makes the inodes of its pseudo file systems (/proc, /sys, /dev) when
 * they are first looked at, so their times say when that was, which no
 * run controls; they keep the epoch, as does whatever is mounted under
 * /sys (sysfs.c's tmpfs).  A device is looked up in the traced process's
 * mount table, read again when a new device shows up.
 */
#include <sys/sysmacros.h>
#include <stdio.h>
#include <string.h>

#include "ftimes.h"

/* The devices seen by this worker: whether their times are logical, and
 * whether they are mounted at all (pipes, sockets and memfds are not). */
#define DEVS_MAX	128
static struct {
	dev_t		 d_dev;
	int		 d_logical;
	int		 d_mounted;
}			 devs[DEVS_MAX];
static size_t		 ndevs;

/* Types whose inodes the kernel makes on first sight. */
static const char *const pseudo_fs[] = {
	"proc", "sysfs", "devtmpfs", "devpts", "cgroup", "cgroup2",
	"debugfs", "tracefs", "securityfs", "bpf", "mqueue", "pstore",
	"configfs", "fusectl", "binfmt_misc", "autofs", "efivarfs",
	"hugetlbfs", "rpc_pipefs", "nsfs",
};

static void
remember(dev_t dev, int logical, int mounted)
{
	size_t	 i;

	for (i = 0; i < ndevs; i++)
		if (devs[i].d_dev == dev) {
			devs[i].d_logical = logical;
			devs[i].d_mounted = mounted;
			return;
		}
	if (ndevs == DEVS_MAX)
		ndevs = 0;	/* forget them all: they are read again */
	devs[ndevs].d_dev = dev;
	devs[ndevs].d_logical = logical;
	devs[ndevs++].d_mounted = mounted;
}

/* Reads the tracee's mount table: each mount's device and type. */
static void
load(pid_t tid)
{
	char		 path[64], line[4096], point[256], *p, *type;
	unsigned int	 maj, min;
	size_t		 i;
	FILE		*f;
	int		 logical;

	snprintf(path, sizeof(path), "/proc/%d/mountinfo", (int)tid);
	if ((f = fopen(path, "re")) == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "%*u %*u %u:%u %*s %255s", &maj, &min,
		    point) != 3 || (p = strstr(line, " - ")) == NULL)
			continue;
		type = p + 3;
		type[strcspn(type, " ")] = '\0';
		/* The sandbox's own /sys trees (sysfs.c) are tmpfs, made
		 * before the command: they keep the epoch as /sys does. */
		logical = strncmp(point, "/sys/", 5) != 0;
		for (i = 0; i < sizeof(pseudo_fs) / sizeof(pseudo_fs[0]); i++)
			if (strcmp(type, pseudo_fs[i]) == 0)
				logical = 0;
		remember(makedev(maj, min), logical, 1);
	}
	fclose(f);
}

static size_t
find(pid_t tid, dev_t dev)
{
	size_t	 i;
	int	 pass;

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < ndevs; i++)
			if (devs[i].d_dev == dev)
				return i;
		if (pass == 0)
			load(tid);
	}
	/* Not mounted anywhere: a memfd, a pipe, an anonymous inode. */
	remember(dev, 0, 0);
	return ndevs - 1;
}

int
mounts_logical(pid_t tid, dev_t dev)
{
	return devs[find(tid, dev)].d_logical;
}

int
mounts_mounted(pid_t tid, dev_t dev)
{
	return devs[find(tid, dev)].d_mounted;
}
