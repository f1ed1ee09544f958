/*
 * memfs: files under /memfs/ served from the tool's memory.  An example
 * of a layer with descriptors of its own (<isotrace/layer.h>):
 *
 *	cc -D_GNU_SOURCE -Iinclude -o memfs examples/memfs.c \
 *	    build/libisotrace.a $(pkg-config --libs libbsd-ctor libprotobuf-c \
 *	    jansson)
 *	./memfs cat /memfs/hello.txt
 *	./memfs sh -c 'exec </memfs/lines.txt; head -c 20; wc -l'
 *
 * An open of /memfs/NAME makes a placeholder descriptor (a sparse memfd of
 * the file's size, so that lseek and the shared file offset are the
 * kernel's) and attaches the file's index to it; read and pread64 on it
 * copy the bytes from here; fstat, and stat of the name, show a
 * read-only file.  Calls that
 * would read the placeholder's (zero) bytes behind the tool's back
 * (mmap, sendfile, splice, copy_file_range, readv) fail on it, and
 * programs fall back to read.  Nothing can be written under /memfs/.
 */
#include <sys/mman.h>
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <isotrace/isotrace.h>

#define MEMFS_DIR	"/memfs/"

struct memfs_file {
	const char	*mf_name;
	char		*mf_data;
	size_t		 mf_size;
};

static struct memfs_file	 files[2];

/* The file behind descriptor fd, or NULL (not the tool's). */
static const struct memfs_file *
memfs_file(struct it_task *t, int fd)
{
	const void	*obj = it_fd_object(t, fd);
	uint32_t	 idx;

	if (obj == NULL)
		return NULL;
	memcpy(&idx, obj, sizeof(idx));
	return idx < sizeof(files) / sizeof(files[0]) ? &files[idx] : NULL;
}

/* The file of a /memfs/ name, or NULL. */
static const struct memfs_file *
memfs_lookup(const char *path)
{
	size_t	 i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (strcmp(files[i].mf_name, path + strlen(MEMFS_DIR)) == 0)
			return &files[i];
	return NULL;
}

static long
memfs_open(struct it_task *t, it_gp_str path, unsigned int flags)
{
	const struct memfs_file	*f;
	char			 buf[PATH_MAX];
	uint32_t		 i;

	if (it_mem_read_str(t, path, buf, sizeof(buf)) < 0 ||
	    strncmp(buf, MEMFS_DIR, strlen(MEMFS_DIR)) != 0)
		return IT_RUN_ORIGINAL;
	if ((f = memfs_lookup(buf)) == NULL)
		return (flags & O_CREAT) ? -EROFS : -ENOENT;
	i = (uint32_t)(f - files);
	if ((flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC)))
		return -EROFS;
	if (flags & O_DIRECTORY)
		return -ENOTDIR;
	return it_fd_memfd(t, "memfs", (flags & O_CLOEXEC) ? MFD_CLOEXEC : 0,
	    f->mf_size, &i, sizeof(i));
}

static long
memfs_openat(struct it_task *t, int dirfd, it_gp_str path,
    unsigned int flags, unsigned int mode)
{
	(void)dirfd;		/* only absolute names are the tool's */
	(void)mode;
	return memfs_open(t, path, flags);
}

static long
memfs_open2(struct it_task *t, it_gp_str path, unsigned int flags,
    unsigned int mode)
{
	(void)mode;
	return memfs_open(t, path, flags);
}

/* Copies from offset off; the count the program got, or -errno. */
static long
memfs_copy(struct it_task *t, const struct memfs_file *f, it_gptr buf,
    size_t count, long long off)
{
	size_t	 n;

	if (off < 0)
		return -EINVAL;
	if ((unsigned long long)off >= f->mf_size || count == 0)
		return 0;
	n = f->mf_size - (size_t)off;
	if (n > count)
		n = count;
	return it_mem_write_part(t, buf.addr, f->mf_data + off, n);
}

static long
memfs_read(struct it_task *t, int fd, it_gptr buf, size_t count)
{
	const struct memfs_file	*f = memfs_file(t, fd);
	long			 off, n;

	if (f == NULL)
		return IT_RUN_ORIGINAL;
	/* The offset is the placeholder's, shared as the kernel shares it. */
	if ((off = it_task_syscall(t, IT_SYS_lseek, (uint64_t)fd, 0, SEEK_CUR,
	    0, 0, 0)) < 0)
		return off;
	if ((n = memfs_copy(t, f, buf, count, off)) > 0)
		(void)it_task_syscall(t, IT_SYS_lseek, (uint64_t)fd,
		    (uint64_t)(off + n), SEEK_SET, 0, 0, 0);
	return n;
}

static long
memfs_pread64(struct it_task *t, int fd, it_gptr buf, size_t count,
    long long off)
{
	const struct memfs_file	*f = memfs_file(t, fd);

	return f == NULL ? IT_RUN_ORIGINAL : memfs_copy(t, f, buf, count, off);
}

/* fstat of the placeholder, made a read-only file's. */
static long
memfs_stat_exit(struct it_task *t, long result, void *arg)
{
	it_gp_stat	 p = { (uint64_t)(uintptr_t)arg };
	struct stat	 sb;

	if (result == 0 && it_read_stat(t, p, &sb) == 0) {
		sb.st_mode = S_IFREG | 0444;
		(void)it_write_stat(t, p, &sb);
	}
	return result;
}

static long
memfs_fstat(struct it_task *t, int fd, it_gp_stat statbuf)
{
	if (memfs_file(t, fd) != NULL)
		it_task_on_exit(t, memfs_stat_exit,
		    (void *)(uintptr_t)statbuf.addr);
	return IT_RUN_ORIGINAL;
}

/* A stat by name of /memfs/NAME: made up whole. */
static long
memfs_stat_name(struct it_task *t, const char *path, it_gp_stat statbuf)
{
	const struct memfs_file	*f;
	struct stat		 sb;

	if ((f = memfs_lookup(path)) == NULL)
		return -ENOENT;
	memset(&sb, 0, sizeof(sb));
	sb.st_dev = 0x3e6;
	sb.st_ino = (ino_t)(f - files) + 2;
	sb.st_mode = S_IFREG | 0444;
	sb.st_nlink = 1;
	sb.st_size = (off_t)f->mf_size;
	sb.st_blksize = 4096;
	sb.st_blocks = (blkcnt_t)((f->mf_size + 511) / 512);
	return it_write_stat(t, statbuf, &sb);
}

/* glibc's fstat is newfstatat(fd, "", buf, AT_EMPTY_PATH); stat(2) of
 * a name is newfstatat(AT_FDCWD, name, buf, 0). */
static long
memfs_newfstatat(struct it_task *t, int dirfd, it_gp_str path,
    it_gp_stat statbuf, unsigned int flags)
{
	char	 buf[PATH_MAX];

	if (it_mem_read_str(t, path, buf, sizeof(buf)) < 0)
		return IT_RUN_ORIGINAL;
	if (buf[0] == '\0' && (flags & AT_EMPTY_PATH))
		return memfs_fstat(t, dirfd, statbuf);
	if (strncmp(buf, MEMFS_DIR, strlen(MEMFS_DIR)) == 0)
		return memfs_stat_name(t, buf, statbuf);
	return IT_RUN_ORIGINAL;
}

static long
memfs_mmap(struct it_task *t, it_gaddr addr, size_t length, unsigned int prot,
    unsigned int flags, int fd, long long offset)
{
	(void)addr, (void)length, (void)prot, (void)offset;
	if (!(flags & MAP_ANONYMOUS) && memfs_file(t, fd) != NULL)
		return -ENODEV;
	return IT_RUN_ORIGINAL;
}

static long
memfs_sendfile(struct it_task *t, int out_fd, int in_fd, it_gp_off off,
    size_t count)
{
	(void)out_fd, (void)off, (void)count;
	return memfs_file(t, in_fd) != NULL ? -EINVAL : IT_RUN_ORIGINAL;
}

static long
memfs_copy_file_range(struct it_task *t, int fd_in, it_gp_off off_in,
    int fd_out, it_gp_off off_out, size_t len, unsigned int flags)
{
	(void)off_in, (void)fd_out, (void)off_out, (void)len, (void)flags;
	return memfs_file(t, fd_in) != NULL ? -EXDEV : IT_RUN_ORIGINAL;
}

static long
memfs_splice(struct it_task *t, int fd_in, it_gp_off off_in, int fd_out,
    it_gp_off off_out, size_t len, unsigned int flags)
{
	(void)off_in, (void)fd_out, (void)off_out, (void)len, (void)flags;
	return memfs_file(t, fd_in) != NULL ? -EINVAL : IT_RUN_ORIGINAL;
}

static long
memfs_readv(struct it_task *t, int fd, it_gp_iovec iov, int iovcnt)
{
	(void)iov, (void)iovcnt;
	return memfs_file(t, fd) != NULL ? -EINVAL : IT_RUN_ORIGINAL;
}

static const struct it_table	 memfs_table = {
	.open = memfs_open2,
	.openat = memfs_openat,
	.read = memfs_read,
	.pread64 = memfs_pread64,
	.fstat = memfs_fstat,
	.newfstatat = memfs_newfstatat,
	.mmap = memfs_mmap,
	.sendfile = memfs_sendfile,
	.copy_file_range = memfs_copy_file_range,
	.splice = memfs_splice,
	.readv = memfs_readv,
};

static const struct it_layer	 memfs = {
	.l_name = "memfs",
	.l_table = &memfs_table,
};

int
main(int argc, char *argv[])
{
	static char	 hello[] = "hello from memfs\n";
	size_t		 cap = 5000 * 32, len = 0;
	char		*lines;
	int		 i;

	/* lines.txt: as seq -f 'line %g of memfs' 1 5000 prints it. */
	if ((lines = malloc(cap)) == NULL)
		return 125;
	for (i = 1; i <= 5000; i++)
		len += (size_t)snprintf(lines + len, cap - len,
		    "line %d of memfs\n", i);
	files[0] = (struct memfs_file){ "hello.txt", hello, sizeof(hello) - 1 };
	files[1] = (struct memfs_file){ "lines.txt", lines, len };
	return it_main_layer(argc, argv, &memfs);
}
