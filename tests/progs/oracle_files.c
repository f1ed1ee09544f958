/*
 * oracle_files: file-system and descriptor calls in ./oracle_files.d, each
 * once, for tests/it/oracle.sh to trace under strace and under isotrace.
 * Single-threaded; every result is the same on every run (apart from
 * inode numbers and times, which the test normalises).
 */
#include <sys/types.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/xattr.h>
#include <linux/openat2.h>
#include <dirent.h>
#include <utime.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define D	"oracle_files.d"

int
main(void)
{
	struct stat	 st;
	struct statx	 stx;
	struct open_how	 how = { O_RDONLY | O_CLOEXEC, 0,
	    RESOLVE_BENEATH };
	struct statfs	 sfs;
	struct iovec	 iov[2];
	struct timespec	 ts[2] = { { 1, 2 }, { 3, 4 } };
	struct timeval	 tv[2] = { { 5, 6 }, { 7, 8 } };
	char		 buf[256], a[8], b[8], dents[64];
	struct utimbuf	 ub = { 9, 10 };
	int		 fd, fd2, dfd, p[2], n;
	off_t		 off;

	umask(022);
	mkdir(D, 0755);
	dfd = open(D, O_RDONLY | O_DIRECTORY);
	fd = open(D "/a", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	write(fd, "hello, world\n", 13);
	iov[0] = (struct iovec){ "vec one ", 8 };
	iov[1] = (struct iovec){ "vec two\n", 8 };
	writev(fd, iov, 2);
	pwrite(fd, "P", 1, 0);
	pwritev(fd, iov, 2, 100);
	fsync(fd);
	fdatasync(fd);
	ftruncate(fd, 64);
	fallocate(fd, 0, 0, 128);
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	flock(fd, LOCK_EX);
	flock(fd, LOCK_UN);
	fchmod(fd, 0640);
	fchown(fd, getuid(), -1);
	close(fd);

	fd = syscall(SYS_openat2, dfd, "a", &how, sizeof(how));
	close(fd);
	fd = openat(dfd, "a", O_RDWR | O_CLOEXEC);
	n = read(fd, buf, 5);
	lseek(fd, 2, SEEK_SET);
	lseek(fd, 0, SEEK_END);
	pread(fd, buf, 4, 7);
	iov[0] = (struct iovec){ a, sizeof(a) };
	iov[1] = (struct iovec){ b, sizeof(b) };
	readv(fd, iov, 2);
	preadv(fd, iov, 2, 0);
	fstat(fd, &st);
	fcntl(fd, F_GETFD);
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	fd2 = fcntl(fd, F_DUPFD_CLOEXEC, 10);
	close(fd2);
	fd2 = dup(fd);
	dup2(fd, 20);
	dup3(fd, 21, O_CLOEXEC);
	close(fd2);
	close(20);
	close(21);
	ioctl(fd, FIONREAD, &n);
	ioctl(fd, TCGETS, buf);

	syscall(SYS_stat, D "/a", &st);
	syscall(SYS_lstat, D "/a", &st);
	syscall(SYS_fstat, fd, &st);
	fstatat(dfd, "a", &st, AT_SYMLINK_NOFOLLOW);
	statx(dfd, "a", AT_STATX_SYNC_AS_STAT, STATX_BASIC_STATS, &stx);
	statfs("/proc", &sfs);
	fstatfs(fd, &sfs);
	access(D "/a", R_OK | W_OK);
	access(D "/nonexistent", F_OK);
	faccessat(dfd, "a", X_OK, 0);
	syscall(SYS_faccessat2, dfd, "a", R_OK, AT_EACCESS);
	truncate(D "/a", 32);

	link(D "/a", D "/b");
	linkat(dfd, "b", dfd, "c", 0);
	symlink("a", D "/s");
	symlinkat("b", dfd, "t");
	n = readlink(D "/s", buf, sizeof(buf));
	n = readlinkat(dfd, "t", buf, sizeof(buf));
	rename(D "/b", D "/b2");
	renameat(dfd, "c", dfd, "c2");
	syscall(SYS_renameat2, dfd, "c2", dfd, "c3", RENAME_NOREPLACE);
	chmod(D "/b2", 0600);
	fchmodat(dfd, "c3", 0644, 0);
	chown(D "/b2", -1, getgid());
	lchown(D "/s", -1, -1);
	fchownat(dfd, "c3", -1, -1, AT_SYMLINK_NOFOLLOW);
	utimensat(dfd, "a", ts, 0);
	syscall(SYS_utimes, D "/a", tv);
	syscall(SYS_futimesat, dfd, "a", tv);
	syscall(SYS_utime, D "/a", &ub);
	mkdirat(dfd, "sub", 0700);
	mknodat(dfd, "fifo", S_IFIFO | 0600, 0);
	syscall(SYS_mknod, D "/fifo2", S_IFIFO | 0644, 0);
	creat(D "/new", 0600);
	setxattr(D "/a", "user.k", "v", 1, 0);
	getxattr(D "/a", "user.k", buf, sizeof(buf));
	listxattr(D "/a", buf, sizeof(buf));
	removexattr(D "/a", "user.k");

	chdir(D);
	getcwd(buf, sizeof(buf));
	chdir("..");
	fchdir(dfd);
	getdents64(dfd, dents, sizeof(dents));
	lseek(dfd, 0, SEEK_SET);
	syscall(SYS_getdents, dfd, dents, sizeof(dents));
	chdir("..");

	syscall(SYS_pipe, p);
	write(p[1], "through the pipe", 16);
	splice(p[0], NULL, fd, NULL, 4, 0);
	close(p[0]);
	close(p[1]);
	pipe2(p, O_CLOEXEC | O_NONBLOCK);
	fd2 = open(D "/out", O_WRONLY | O_CREAT | O_APPEND, 0600);
	off = 0;
	sendfile(fd2, fd, &off, 8);
	off = 0;
	copy_file_range(fd, &off, fd2, NULL, 4, 0);
	write(p[1], "tee", 3);
	tee(p[0], p[1], 3, SPLICE_F_NONBLOCK);
	close(p[0]);
	close(p[1]);
	close(fd2);

	fd2 = inotify_init1(IN_CLOEXEC);
	n = inotify_add_watch(fd2, D, IN_CREATE | IN_DELETE);
	inotify_rm_watch(fd2, n);
	close(fd2);
	fd2 = eventfd(3, EFD_CLOEXEC | EFD_NONBLOCK);
	close(fd2);
	fd2 = memfd_create("oracle", MFD_CLOEXEC);
	close(fd2);
	close(fd);
	syncfs(dfd);

	unlinkat(dfd, "sub", AT_REMOVEDIR);
	unlink(D "/fifo");
	unlinkat(dfd, "fifo2", 0);
	unlink(D "/a");
	unlink(D "/b2");
	unlink(D "/c3");
	unlink(D "/s");
	unlink(D "/t");
	unlink(D "/new");
	unlink(D "/out");
	close(dfd);
	rmdir(D);
	rmdir(D);
	close_range(100, 200, 0);
	return 0;
}
