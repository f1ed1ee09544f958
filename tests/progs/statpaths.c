/*
 * The stat family along the paths it can take: names with and without
 * symbolic links, "..", missing or non-directory components, descriptors
 * of every kind, bad pointers.  Prints what each call saw except the
 * times and numbers (which --sandbox makes its own), so that the native
 * run and a sandboxed one can be compared line by line.
 *
 * usage: statpaths DIR	(an empty directory to work in)
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
show(const char *what, int r, const struct stat *st)
{
	if (r == -1)
		printf("%s: -1 %s\n", what, strerrorname_np(errno));
	else
		printf("%s: 0 mode %o size %lld nlink %lu\n", what,
		    (unsigned)st->st_mode, (long long)st->st_size,
		    (unsigned long)st->st_nlink);
}

static void
showx(const char *what, int r, const struct statx *sx)
{
	if (r == -1)
		printf("%s: -1 %s\n", what, strerrorname_np(errno));
	else
		printf("%s: 0 mask %x mode %o size %llu nlink %u\n", what,
		    sx->stx_mask & (STATX_TYPE | STATX_MODE | STATX_SIZE |
		    STATX_NLINK | STATX_MTIME), (unsigned)sx->stx_mode,
		    (unsigned long long)sx->stx_size, sx->stx_nlink);
}

/* The kind of file system only: its counts are the sandbox's. */
static void
showfs(const char *what, int r, const struct statfs *sf)
{
	if (r == -1)
		printf("%s: -1 %s\n", what, strerrorname_np(errno));
	else
		printf("%s: 0 type %lx bsize %ld\n", what, (long)sf->f_type,
		    (long)sf->f_bsize);
}

#define S(what, call)	do { memset(&st, 0, sizeof(st));		\
	show(what, call, &st); } while (0)
#define X(what, call)	do { memset(&sx, 0, sizeof(sx));		\
	showx(what, call, &sx); } while (0)
#define F(what, call)	do { memset(&sf, 0, sizeof(sf));		\
	showfs(what, call, &sf); } while (0)

int
main(int argc, char **argv)
{
	struct stat	 st;
	struct statx	 sx;
	struct statfs	 sf;
	int		 d, sub, f, p[2], s[2];

	if (argc != 2 || chdir(argv[1]) == -1)
		errx(2, "usage: statpaths DIR");
	if ((f = open("f", O_WRONLY | O_CREAT | O_EXCL, 0640)) == -1 ||
	    write(f, "hello\n", 6) != 6 || close(f) == -1 ||
	    mkdir("sub", 0750) == -1 || symlink("f", "rel") == -1 ||
	    symlink("/usr/include/stdio.h", "abs") == -1 ||
	    symlink("sub/..", "up") == -1 || symlink("nowhere", "dangling") ==
	    -1 || (d = open(".", O_RDONLY | O_DIRECTORY)) == -1 ||
	    (sub = open("sub", O_PATH)) == -1 || pipe(p) == -1 ||
	    socketpair(AF_UNIX, SOCK_STREAM, 0, s) == -1)
		err(2, "setup");

	S("stat f", stat("f", &st));
	S("lstat f", lstat("f", &st));
	S("stat rel", stat("rel", &st));
	S("lstat rel", lstat("rel", &st));
	S("stat abs", stat("abs", &st));
	S("lstat abs", lstat("abs", &st));
	S("stat dangling", stat("dangling", &st));
	S("lstat dangling", lstat("dangling", &st));
	S("stat up/f", stat("up/f", &st));
	S("stat sub/../f", stat("sub/../f", &st));
	S("stat ./sub/./", stat("./sub/./", &st));
	S("stat missing", stat("missing", &st));
	S("stat missing/x", stat("missing/x", &st));
	S("stat f/x", stat("f/x", &st));
	S("stat f/", stat("f/", &st));
	S("stat empty", stat("", &st));
	S("stat /", stat("/", &st));
	S("stat /..", stat("/../usr/include/stdio.h", &st));
	S("stat /usr/include/stdio.h", stat("/usr/include/stdio.h", &st));
	S("stat abs path of dir", stat(argv[1], &st));
	S("fstatat d f", fstatat(d, "f", &st, 0));
	S("fstatat d rel nofollow", fstatat(d, "rel", &st,
	    AT_SYMLINK_NOFOLLOW));
	S("fstatat sub ../f", fstatat(sub, "../f", &st, 0));
	S("fstatat sub ../../..", fstatat(sub, "../../..", &st, 0));
	S("fstatat f-fd x", fstatat(p[0], "x", &st, 0));
	S("fstatat d empty", fstatat(d, "", &st, 0));
	S("fstatat d empty AT_EMPTY_PATH", fstatat(d, "", &st, AT_EMPTY_PATH));
	S("fstatat cwd empty AT_EMPTY_PATH", fstatat(AT_FDCWD, "", &st,
	    AT_EMPTY_PATH));
	S("fstatat sub (O_PATH) empty", fstatat(sub, "", &st, AT_EMPTY_PATH));
	S("fstatat bad flags", fstatat(d, "f", &st, 0x40000000));
	S("fstatat bad fd", fstatat(99, "f", &st, 0));
	S("fstatat bad fd abs", fstatat(99, "/", &st, 0));
	S("fstat d", fstat(d, &st));
	S("fstat pipe", fstat(p[0], &st));
	S("fstat socket", fstat(s[0], &st));
	S("fstat bad", fstat(99, &st));
	S("fstat -1", fstat(-1, &st));
	S("stat bad buf", (int)syscall(SYS_stat, "f", (void *)8));
	S("stat bad path", (int)syscall(SYS_stat, (void *)8, &st));
	S("fstat bad buf", (int)syscall(SYS_fstat, d, (void *)8));
	S("stat missing bad buf", (int)syscall(SYS_stat, "missing",
	    (void *)8));
	X("statx f", statx(d, "f", 0, STATX_SIZE, &sx));
	X("statx f basic", statx(AT_FDCWD, "f", 0, STATX_BASIC_STATS, &sx));
	X("statx rel", statx(AT_FDCWD, "rel", 0, STATX_BASIC_STATS, &sx));
	X("statx rel nofollow", statx(AT_FDCWD, "rel", AT_SYMLINK_NOFOLLOW,
	    STATX_BASIC_STATS, &sx));
	X("statx empty fd", statx(p[1], "", AT_EMPTY_PATH, STATX_MODE, &sx));
	X("statx missing", statx(AT_FDCWD, "missing", 0, STATX_SIZE, &sx));
	X("statx bad flags", statx(AT_FDCWD, "f", 0x40000000, STATX_SIZE,
	    &sx));
	X("statx reserved mask", statx(AT_FDCWD, "f", 0, 0x80000000U, &sx));
	X("statx sync", statx(AT_FDCWD, "f", AT_STATX_FORCE_SYNC, STATX_SIZE,
	    &sx));
	X("statx bad sync", statx(AT_FDCWD, "f", AT_STATX_FORCE_SYNC |
	    AT_STATX_DONT_SYNC, STATX_SIZE, &sx));
	F("statfs /", statfs("/", &sf));
	F("statfs /proc", statfs("/proc", &sf));
	F("statfs rel", statfs("rel", &sf));
	F("statfs up", statfs("up", &sf));
	F("statfs missing", statfs("missing", &sf));
	F("statfs empty", statfs("", &sf));
	F("fstatfs d", fstatfs(d, &sf));
	F("fstatfs pipe", fstatfs(p[0], &sf));
	F("fstatfs bad", fstatfs(99, &sf));
	F("statfs bad buf", (int)syscall(SYS_statfs, "/", (void *)8));
	F("statfs bad path", (int)syscall(SYS_statfs, (void *)8, &sf));
	return 0;
}
