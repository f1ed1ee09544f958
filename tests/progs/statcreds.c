/*
 * The stat family of a thread whose user and root change between its
 * calls: the worker answers a stat itself only when it can reach the
 * file as the thread would (worker/sandbox/reach.c): with the thread's
 * user and root as they are at that call, whatever it keeps of the thread
 * from one call to the next.
 * Prints each call's result (no times or numbers), so that the native
 * run and a sandboxed one can be compared line by line.  Run as root.
 *
 * usage: statcreds DIR	(an empty directory to work in)
 */
#include <sys/stat.h>
#include <sys/syscall.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char	 top[PATH_MAX];
static int	 privfd;

static void
show(const char *who, const char *what, int r, const struct stat *st)
{
	if (r == -1)
		printf("%s %s: -1 %s\n", who, what, strerrorname_np(errno));
	else
		printf("%s %s: 0 mode %o size %lld\n", who, what,
		    (unsigned)st->st_mode, (long long)st->st_size);
}

/* By a path, from the working directory, by a directory's descriptor. */
static void
stats(const char *who)
{
	char		 abs[PATH_MAX + 16];
	struct statx	 sx;
	struct stat	 st;
	int		 r;

	snprintf(abs, sizeof(abs), "%s/priv/f", top);
	memset(&st, 0, sizeof(st));
	show(who, "abs", stat(abs, &st), &st);
	memset(&st, 0, sizeof(st));
	show(who, "priv/f", stat("priv/f", &st), &st);
	memset(&st, 0, sizeof(st));
	show(who, "privfd f", fstatat(privfd, "f", &st, AT_SYMLINK_NOFOLLOW),
	    &st);
	memset(&st, 0, sizeof(st));
	show(who, "/inside", stat("/inside", &st), &st);
	memset(&sx, 0, sizeof(sx));
	r = statx(privfd, "f", AT_SYMLINK_NOFOLLOW, STATX_MODE | STATX_SIZE,
	    &sx);
	st.st_mode = sx.stx_mode;
	st.st_size = (off_t)sx.stx_size;
	show(who, "statx privfd f", r, &st);
}

/* The kernel's setresuid is the calling thread's alone (glibc's would
 * change every thread). */
static void
seteuid_thread(uid_t uid)
{
	if (syscall(SYS_setresuid, -1, uid, -1) == -1)
		err(1, "setresuid");
}

static void *
thread(void *arg)
{
	(void)arg;
	stats("root");
	seteuid_thread(65534);
	stats("nobody");
	seteuid_thread(0);
	stats("root again");
	/* A name is walked with the file system user, which setfsuid
	 * changes alone. */
	syscall(SYS_setfsuid, 65534);
	stats("fsuid nobody");
	syscall(SYS_setfsuid, 0);
	/* Every thread's root: they share it. */
	if (chroot("jail") == -1)
		err(1, "chroot");
	stats("jailed");
	return NULL;
}

int
main(int argc, char **argv)
{
	pthread_t	 t;
	int		 fd;

	if (argc != 2 || chdir(argv[1]) == -1 || getcwd(top, sizeof(top)) ==
	    NULL)
		errx(2, "usage: statcreds DIR");
	if (mkdir("priv", 0700) == -1 || (fd = open("priv/f", O_WRONLY |
	    O_CREAT | O_EXCL, 0600)) == -1 || write(fd, "x\n", 2) != 2 ||
	    close(fd) == -1 || mkdir("jail", 0755) == -1 ||
	    mkdir("jail/priv", 0755) == -1 || (fd = open("jail/inside",
	    O_WRONLY | O_CREAT | O_EXCL, 0644)) == -1 || close(fd) == -1 ||
	    (privfd = open("priv", O_RDONLY | O_DIRECTORY)) == -1)
		err(2, "setup");
	stats("main");
	if ((errno = pthread_create(&t, NULL, thread, NULL)) != 0 ||
	    (errno = pthread_join(t, NULL)) != 0)
		err(2, "thread");
	stats("main jailed");
	return 0;
}
