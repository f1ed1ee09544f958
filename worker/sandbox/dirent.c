/*
 * Directory listings in name order.  The order in which getdents64 gives
 * a directory's entries is the file system's (ext4 hashes names, tmpfs
 * gives the newest first), so a program that lists a directory and
 * prints, archives or links what it finds does so in a host order.  Under
 * --sandbox each listing is sorted by name (bytes, as LC_ALL=C), as the
 * deterministic build tools do themselves.
 *
 * Sorting needs the whole directory: at a listing's first call the worker
 * reads it through /proc/PID/fd/N (a description of its own, so the
 * program's is untouched), sorts it, and serves it from that copy.  The
 * position in the listing is the program's own file offset, the index of
 * the next entry, which the worker reads and sets itself through a copy of
 * the program's descriptor (pidfd_getfd, reach.c; moving the offset from
 * here costs the thread no stop, where an injected lseek would cost
 * two): so rewinddir, seekdir and
 * telldir (an entry's d_off is the index after it), dup and fork all keep
 * working, and a call costs its one stop.  A listing
 * at offset 0 reads the directory again.  Entries made in the run show the
 * run's inode numbers (ftimes.c), as stat does.
 */
#include <sys/stat.h>
#include <sys/syscall.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sandbox.h"

struct dent {
	uint64_t	 de_ino;
	unsigned char	 de_type;
	char		*de_name;
};

/* The listings a process has open; more are simply read again. */
#define DIRENT_CACHED	8

struct listing {
	pid_t		 l_pid;		/* a worker traces one process after
					   another */
	int		 l_fd;		/* -1: free */
	dev_t		 l_dev;
	ino_t		 l_ino;
	uint64_t	 l_used;	/* for eviction: the oldest goes */
	size_t		 l_n;
	struct dent	*l_ents;
};

static struct listing	 cache[DIRENT_CACHED] = {
	[0 ... DIRENT_CACHED - 1] = { .l_fd = -1 },
};
static uint64_t		 uses;

static void
forget(struct listing *l)
{
	size_t	 i;

	for (i = 0; i < l->l_n; i++)
		free(l->l_ents[i].de_name);
	free(l->l_ents);
	memset(l, 0, sizeof(*l));
	l->l_fd = -1;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(((const struct dent *)a)->de_name,
	    ((const struct dent *)b)->de_name);
}

/* Reads the whole directory open as dfd into l, sorted. */
static int
load(struct listing *l, pid_t tid, int dfd, const struct stat *dir)
{
	char		 buf[32768];
	struct dent	*ents = NULL, *n;
	size_t		 cnt = 0, cap = 0, i;
	long		 len, off;
	struct it_k_dirent64 *d;

	while ((len = syscall(SYS_getdents64, dfd, buf, sizeof(buf))) > 0)
		for (off = 0; off < len; off += d->d_reclen) {
			d = (struct it_k_dirent64 *)(buf + off);
			if (cnt == cap) {
				cap = cap ? cap * 2 : 64;
				if ((n = reallocarray(ents, cap,
				    sizeof(*ents))) == NULL)
					goto fail;
				ents = n;
			}
			ents[cnt].de_ino = d->d_ino;
			ents[cnt].de_type = d->d_type;
			if ((ents[cnt].de_name = strdup(d->d_name)) == NULL)
				goto fail;
			cnt++;
		}
	if (len < 0)
		goto fail;
	qsort(ents, cnt, sizeof(*ents), by_name);
	/* In name order: new files are numbered in the order first seen. */
	for (i = 0; i < cnt; i++)
		ents[i].de_ino = ftimes_entry(tid, dfd, ents[i].de_name,
		    ents[i].de_ino, dir);
	l->l_ents = ents;
	l->l_n = cnt;
	return 0;
fail:
	while (cnt > 0)
		free(ents[--cnt].de_name);
	free(ents);
	return -1;
}

/* Reads the directory open as the thread's fd into l, through a
 * description of the worker's own (the program's offset stays put). */
static int
reload(struct listing *l, pid_t tid, int fd, const struct stat *dir)
{
	char	 path[64];
	int	 dfd, r;

	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)tid, fd);
	if ((dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	r = load(l, tid, dfd, dir);
	close(dfd);
	return r;
}

static struct listing *
listing(pid_t pid, pid_t tid, int fd, const struct stat *dir, int fresh)
{
	dev_t		 dev = dir->st_dev;
	ino_t		 ino = dir->st_ino;
	struct listing	*l, *victim = NULL;
	size_t		 i;

	for (i = 0; i < DIRENT_CACHED; i++) {
		l = &cache[i];
		if (l->l_pid == pid && l->l_fd == fd && l->l_dev == dev &&
		    l->l_ino == ino && !fresh) {
			l->l_used = ++uses;
			return l;
		}
	}
	/* This fd's earlier listing, a free slot, or the oldest one. */
	for (i = 0; i < DIRENT_CACHED; i++) {
		l = &cache[i];
		if (l->l_pid == pid && l->l_fd == fd) {
			victim = l;
			break;
		}
		if (victim == NULL || l->l_used < victim->l_used)
			victim = l;
	}
	forget(victim);
	if (reload(victim, tid, fd, dir) < 0)
		return NULL;
	victim->l_pid = pid;
	victim->l_fd = fd;
	victim->l_dev = dev;
	victim->l_ino = ino;
	victim->l_used = ++uses;
	return victim;
}

/* Packs entries from index pos into buf; returns the bytes, and the
 * index after the last one in *next. */
static size_t
pack(const struct listing *l, size_t pos, unsigned char *buf, size_t cap,
    size_t *next)
{
	struct it_k_dirent64	*d;
	size_t			 used = 0, len, rec;

	for (; pos < l->l_n; pos++) {
		len = strlen(l->l_ents[pos].de_name);
		rec = (offsetof(struct it_k_dirent64, d_name) + len + 1 + 7) &
		    ~(size_t)7;
		if (used + rec > cap)
			break;
		d = (struct it_k_dirent64 *)(buf + used);
		memset(d, 0, rec);
		d->d_ino = l->l_ents[pos].de_ino;
		d->d_off = (int64_t)pos + 1;
		d->d_reclen = (uint16_t)rec;
		d->d_type = l->l_ents[pos].de_type;
		memcpy(d->d_name, l->l_ents[pos].de_name, len);
		used += rec;
	}
	*next = pos;
	return used;
}

static long
sb_getdents64(struct it_task *t, int fd, it_gp_dirent dirp,
    unsigned int count)
{
	struct listing	*l = NULL;
	struct stat	 st;
	unsigned char	*buf;
	size_t		 len, next;
	off_t		 pos = -1;
	long		 r;
	int		 sfd, fl;

	/* Anything but a directory open for reading (not O_PATH): the
	 * kernel's answer. */
	if ((sfd = reach_getfd(it_task_tid(t), fd)) == -1)
		return IT_RUN_ORIGINAL;
	if (fstat(sfd, &st) == 0 && S_ISDIR(st.st_mode) &&
	    (fl = fcntl(sfd, F_GETFL)) != -1 && !(fl & O_PATH) &&
	    (pos = lseek(sfd, 0, SEEK_CUR)) >= 0)
		l = listing(it_task_pid(t), it_task_tid(t), fd, &st, pos == 0);
	if (l == NULL) {
		close(sfd);
		return IT_RUN_ORIGINAL;
	}
	r = 0;
	if ((size_t)pos < l->l_n) {
		if (count > 1 << 20)
			count = 1 << 20;	/* more is never needed at once */
		if ((buf = malloc(count)) == NULL)
			r = -ENOMEM;
		else if ((len = pack(l, (size_t)pos, buf, count, &next)) == 0)
			r = -EINVAL;	/* not even one entry fits */
		else if ((r = it_mem_write(t, dirp.addr, buf, len)) == 0)
			r = lseek(sfd, (off_t)next, SEEK_SET) == -1 ? -errno :
			    (long)len;
		free(buf);
	}
	close(sfd);
	return r;
}

const struct it_table sandbox_dirent = {
	.getdents64 = sb_getdents64,
};
