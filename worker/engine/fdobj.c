/*
 * Descriptors a tool owns (<isotrace/layer.h>).  A tool's file is known by
 * the identity of its placeholder, a memfd's (st_dev, st_ino), never by a
 * descriptor number: the kernel itself then follows dup, dup2, dup3,
 * F_DUPFD, close, close_range and close-on-exec, and keeps the file
 * offset shared between the copies, so no call has to be trapped for the
 * map's sake.  The map is the per-process state of a layer of its own,
 * pushed under a tool's layer: the engine copies it at a fork and carries
 * it through a hand-off.
 *
 * An entry outlives its last descriptor (the worker does not see every
 * close); a full map drops the entries no descriptor of the process
 * refers to any longer.
 */
#include <sys/stat.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <isotrace/isotrace.h>

#include "fdobj.h"

struct fdobj_entry {
	uint64_t	 fe_dev;	/* 0: a free slot */
	uint64_t	 fe_ino;
	unsigned char	 fe_obj[IT_FD_OBJ_MAX];
};

struct fdobj_map {
	struct fdobj_entry	 fm_e[IT_FD_MAX];
};

const struct it_layer	 fdobj_layer = {
	.l_name = "fdobj",
	.l_statesize = sizeof(struct fdobj_map),
};

/* The placeholder's identity behind descriptor fd of tid: 0, or -1. */
static int
fdobj_ident(pid_t tid, int fd, struct stat *sb)
{
	char	 path[64];

	(void)snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)tid, fd);
	return stat(path, sb);
}

/* Is the file (dev, ino) still open in process pid (any descriptor)? */
static int
fdobj_open_in(pid_t pid, const struct fdobj_entry *e)
{
	char		 path[64];
	struct dirent	*d;
	struct stat	 sb;
	DIR		*dir;
	int		 found = 0;

	(void)snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	if ((dir = opendir(path)) == NULL)
		return 1;	/* cannot tell: keep it */
	while (!found && (d = readdir(dir)) != NULL)
		if (d->d_name[0] != '.' &&
		    fstatat(dirfd(dir), d->d_name, &sb, 0) == 0 &&
		    (uint64_t)sb.st_dev == e->fe_dev &&
		    (uint64_t)sb.st_ino == e->fe_ino)
			found = 1;
	closedir(dir);
	return found;
}

static struct fdobj_entry *
fdobj_free_slot(struct fdobj_map *m, pid_t pid)
{
	size_t	 i;

	for (i = 0; i < IT_FD_MAX; i++)
		if (m->fm_e[i].fe_dev == 0)
			return &m->fm_e[i];
	for (i = 0; i < IT_FD_MAX; i++)
		if (!fdobj_open_in(pid, &m->fm_e[i])) {
			memset(&m->fm_e[i], 0, sizeof(m->fm_e[i]));
			return &m->fm_e[i];
		}
	return NULL;
}

long
it_fd_memfd(struct it_task *t, const char *name, unsigned int flags,
    uint64_t size, const void *obj, size_t len)
{
	struct fdobj_map	*m = it_layer_state(&fdobj_layer);
	struct fdobj_entry	*e;
	struct stat		 sb;
	size_t			 nlen = strlen(name) + 1;
	uint64_t		 a;
	long			 fd, r;

	if (m == NULL || len > IT_FD_OBJ_MAX || nlen > 250)
		return -EINVAL;
	if ((e = fdobj_free_slot(m, it_task_pid(t))) == NULL)
		return -EMFILE;
	if ((a = it_task_scratch(t, nlen)) == 0 ||
	    it_mem_write(t, a, name, nlen) < 0)
		return -ENOMEM;
	if ((fd = it_task_syscall(t, IT_SYS_memfd_create, a, flags, 0, 0, 0,
	    0)) < 0)
		return fd;
	if ((r = it_task_syscall(t, IT_SYS_ftruncate, (uint64_t)fd, size, 0,
	    0, 0, 0)) < 0 || (r = fdobj_ident(it_task_tid(t), (int)fd,
	    &sb) < 0 ? -errno : 0) < 0) {
		(void)it_task_syscall(t, IT_SYS_close, (uint64_t)fd, 0, 0, 0,
		    0, 0);
		return r;
	}
	e->fe_dev = (uint64_t)sb.st_dev;
	e->fe_ino = (uint64_t)sb.st_ino;
	memset(e->fe_obj, 0, sizeof(e->fe_obj));
	memcpy(e->fe_obj, obj, len);
	return fd;
}

const void *
it_fd_object(struct it_task *t, int fd)
{
	struct fdobj_map	*m = it_layer_state(&fdobj_layer);
	struct stat		 sb;
	size_t			 i;

	if (m == NULL || fd < 0 || fdobj_ident(it_task_tid(t), fd, &sb) < 0)
		return NULL;
	for (i = 0; i < IT_FD_MAX; i++)
		if (m->fm_e[i].fe_dev != 0 &&
		    m->fm_e[i].fe_dev == (uint64_t)sb.st_dev &&
		    m->fm_e[i].fe_ino == (uint64_t)sb.st_ino)
			return m->fm_e[i].fe_obj;
	return NULL;
}
