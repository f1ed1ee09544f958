/*
 * Device numbers and mount ids (--sandbox).  The kernel numbers devices
 * without a disk (tmpfs, overlay, /proc) and mounts in the order they
 * were made since boot, so st_dev, stx_mnt_id and the numbers of
 * /proc/PID/mountinfo differ from one run (and one machine) to the next.
 *
 * The sandbox shows each mounted device as 0:N and each mount as id N,
 * N derived from the mount point paths of the traced process's mount
 * table, which every worker of the run reads alike: no table is shared
 * between workers, and two processes of one mount namespace agree.  A
 * mount is named by its mount point and how many mounts at that path the
 * table lists before it ("/proc#1": the pid namespace's /proc over the
 * host's), a device by the least (strcmp) name of its mounts.  N is a hash of that name, so / and /tmp keep theirs on any
 * machine; two names of one hash are settled in the names' sorted order,
 * the later taking the next free number, so a collision moves a number
 * only where the set of mounts differs.  Devices mounted nowhere (pipes,
 * sockets, memfds) keep the host's numbers: the kernel gives them theirs
 * at boot, before any mount the run could see.
 */
#include <sys/sysmacros.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox.h"

#define MNTS_MAX	512
#define SPREAD		4096		/* numbers a hash is folded into */
#define DEV_FIRST	256		/* virtual minors: 0:256 on */
#define MNT_FIRST	32		/* virtual mount ids: 32 on */
#define MNT_OUTSIDE	1		/* a parent outside the table */
#define MISSES_MAX	64

struct mnt {
	uint64_t	 m_id, m_parent, m_vid;
	dev_t		 m_dev, m_vdev;
	char		 m_point[256];
	char		 m_name[272];	/* point#rank: unique */
};

static struct mnt	 mnts[MNTS_MAX];
static size_t		 nmnts;

/* Values looked up since the last load and not found (a pipe's device):
 * not worth reading the table again for each. */
static struct {
	uint64_t	 x_value;
	int		 x_dev;
}			 misses[MISSES_MAX];
static size_t		 nmisses, nextmiss;

/* A name to number and the mount it numbers (for the sort). */
struct name {
	char		 n_key[272];
	size_t		 n_mnt;
};

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(((const struct name *)a)->n_key,
	    ((const struct name *)b)->n_key);
}

/* FNV-1a: a hash every build computes alike. */
static uint32_t
hash(const char *s)
{
	uint32_t	 h = 2166136261U;

	while (*s != '\0') {
		h ^= (unsigned char)*s++;
		h *= 16777619U;
	}
	return h;
}

/* Numbers n names (sorted here) into [0, SPREAD), one each. */
static void
assign(struct name *names, size_t n, uint32_t *out)
{
	static unsigned char	 used[SPREAD];
	uint32_t		 h;
	size_t			 i;

	memset(used, 0, sizeof(used));
	qsort(names, n, sizeof(*names), name_cmp);
	for (i = 0; i < n; i++) {
		h = hash(names[i].n_key) % SPREAD;
		while (used[h])
			h = (h + 1) % SPREAD;
		used[h] = 1;
		out[i] = h;
	}
}

/* The virtual numbers of every mount of the table now in mnts. */
static void
number(void)
{
	static struct name	 names[MNTS_MAX];
	static uint32_t		 out[MNTS_MAX];
	size_t			 i, j, n = 0, k;

	/* Mounts: by mount point and rank among mounts at that point. */
	for (i = 0; i < nmnts; i++) {
		for (j = k = 0; j < i; j++)
			k += strcmp(mnts[j].m_point, mnts[i].m_point) == 0;
		snprintf(mnts[i].m_name, sizeof(mnts[i].m_name), "%s#%zu",
		    mnts[i].m_point, k);
		strlcpy(names[i].n_key, mnts[i].m_name,
		    sizeof(names[i].n_key));
		names[i].n_mnt = i;
	}
	assign(names, nmnts, out);
	for (i = 0; i < nmnts; i++)
		mnts[names[i].n_mnt].m_vid = MNT_FIRST + out[i];

	/* Devices: by the least name of their mounts (a device over
	 * another at one point, as /proc in a pid namespace, is the
	 * later: unique). */
	for (i = 0; i < nmnts; i++) {
		for (j = 0; j < n; j++)
			if (mnts[names[j].n_mnt].m_dev == mnts[i].m_dev)
				break;
		if (j == n) {
			names[n].n_mnt = i;
			strlcpy(names[n++].n_key, mnts[i].m_name,
			    sizeof(names[0].n_key));
		} else if (strcmp(mnts[i].m_name, names[j].n_key) < 0)
			strlcpy(names[j].n_key, mnts[i].m_name,
			    sizeof(names[0].n_key));
	}
	assign(names, n, out);
	for (i = 0; i < n; i++)
		for (j = 0; j < nmnts; j++)
			if (mnts[j].m_dev == mnts[names[i].n_mnt].m_dev)
				mnts[j].m_vdev = makedev(0, DEV_FIRST +
				    out[i]);
}

/* Reads the mount table of tid and numbers it. */
static void
load(pid_t tid)
{
	char		 path[64], line[4096];
	unsigned int	 maj, min;
	struct mnt	*m;
	FILE		*f;

	nmnts = nmisses = nextmiss = 0;
	snprintf(path, sizeof(path), "/proc/%d/mountinfo", (int)tid);
	if ((f = fopen(path, "re")) == NULL)
		return;
	while (nmnts < MNTS_MAX && fgets(line, sizeof(line), f) != NULL) {
		m = &mnts[nmnts];
		if (sscanf(line, "%lu %lu %u:%u %*s %255s", &m->m_id,
		    &m->m_parent, &maj, &min, m->m_point) != 5)
			continue;
		m->m_dev = makedev(maj, min);
		nmnts++;
	}
	fclose(f);
	number();
}

static const struct mnt *
lookup(uint64_t value, int dev)
{
	size_t	 i;

	for (i = 0; i < nmnts; i++)
		if (dev ? mnts[i].m_dev == value : mnts[i].m_id == value)
			return &mnts[i];
	return NULL;
}

/* The mount of a device (dev) or of a mount id, the table read again
 * once for a value not seen; NULL if it is in no mount of tid's. */
static const struct mnt *
find(pid_t tid, uint64_t value, int dev)
{
	const struct mnt	*m;
	size_t			 i;

	if ((m = lookup(value, dev)) != NULL)
		return m;
	for (i = 0; i < nmisses; i++)
		if (misses[i].x_value == value && misses[i].x_dev == dev)
			return NULL;
	load(tid);
	if ((m = lookup(value, dev)) != NULL)
		return m;
	misses[nextmiss].x_value = value;
	misses[nextmiss].x_dev = dev;
	nextmiss = (nextmiss + 1) % MISSES_MAX;
	if (nmisses < MISSES_MAX)
		nmisses++;
	return NULL;
}

dev_t
devnums_dev(pid_t tid, dev_t host)
{
	const struct mnt	*m;

	return (m = find(tid, host, 1)) != NULL ? m->m_vdev : host;
}

uint64_t
devnums_mnt(pid_t tid, uint64_t host)
{
	const struct mnt	*m;

	return (m = find(tid, host, 0)) != NULL ? m->m_vid : host;
}

/*
 * /proc/PID/mountinfo as the reader (tid) sees it: the kernel's text
 * (host), each line's mount id, parent id and major:minor replaced.
 */
size_t
devnums_mountinfo(pid_t tid, char *host, char *buf, size_t size)
{
	unsigned long	 id, parent;
	unsigned int	 maj, min;
	const struct mnt *m, *p;
	char		*line, *next, *rest;
	size_t		 len = 0;
	int		 n, off;
	dev_t		 vdev;

	for (line = host; *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		else
			next = line + strlen(line);
		if (sscanf(line, "%lu %lu %u:%u%n", &id, &parent, &maj, &min,
		    &off) != 4)
			continue;
		rest = line + off;
		vdev = devnums_dev(tid, makedev(maj, min));
		m = find(tid, id, 0);
		p = find(tid, parent, 0);
		n = snprintf(buf + len, size - len, "%llu %llu %u:%u%s\n",
		    (unsigned long long)(m != NULL ? m->m_vid : id),
		    (unsigned long long)(p != NULL ? p->m_vid : MNT_OUTSIDE),
		    major(vdev), minor(vdev), rest);
		if (n < 0 || (size_t)n >= size - len)
			break;
		len += (size_t)n;
	}
	return len;
}
