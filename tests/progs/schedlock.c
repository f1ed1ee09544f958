/*
 * schedlock FILE: a parent and its child take turns at a lock on FILE,
 * three kinds in turn: flock, an open file description's fcntl lock
 * (F_OFD_SETLKW) and a process's (F_SETLKW).  The parent holds the
 * lock while its child asks for it, says so, sleeps 20 ms and lets go;
 * the child then gets it.  Each line says who had which lock; natively
 * the parent's line comes first every time.
 */
#include <sys/file.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *const kinds[] = { "flock", "ofd", "posix" };

static void
lock(int fd, int kind, int on)
{
	struct flock	 fl;

	if (kind == 0) {
		flock(fd, on ? LOCK_EX : LOCK_UN);
		return;
	}
	memset(&fl, 0, sizeof(fl));
	fl.l_type = on ? F_WRLCK : F_UNLCK;
	fl.l_whence = SEEK_SET;
	fcntl(fd, kind == 1 ? F_OFD_SETLKW : F_SETLKW, &fl);
}

int
main(int argc, char **argv)
{
	struct timespec	 d = { 0, 20000000 };
	int		 fd, kind, go[2], st;
	pid_t		 pid;
	char		 c;

	if (argc != 2)
		return 2;
	for (kind = 0; kind < 3; kind++) {
		if ((fd = open(argv[1], O_RDWR | O_CREAT, 0600)) == -1 ||
		    pipe(go) == -1)
			return 1;
		lock(fd, kind, 1);
		if ((pid = fork()) == 0) {
			close(fd);
			fd = open(argv[1], O_RDWR);
			if (write(go[1], "g", 1) != 1)
				_exit(1);
			lock(fd, kind, 1);
			printf("%s: child has it\n", kinds[kind]);
			_exit(0);
		}
		if (read(go[0], &c, 1) != 1)
			return 1;
		nanosleep(&d, NULL);
		printf("%s: parent had it\n", kinds[kind]);
		fflush(stdout);
		lock(fd, kind, 0);
		waitpid(pid, &st, 0);
		close(fd);
		close(go[0]);
		close(go[1]);
	}
	return 0;
}
