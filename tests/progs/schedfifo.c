/*
 * schedfifo DIR: a parent and its child open the two ends of a FIFO in
 * DIR, whose opens wait for each other: the child reads, the parent
 * writes, five rounds.  1: the reader opens first (the writer 20 ms
 * later); 2: the writer first; 3: the writer opens and closes without a
 * word (the reader sees the end); 4 and 5: both open and close at once,
 * the writer first, then the reader first (Python's test_eintr).  The parent prints what the child
 * read, after the child's end: natively the same lines every time.
 */
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void
pause_ms(long ms)
{
	struct timespec	 d = { 0, ms * 1000000 };

	nanosleep(&d, NULL);
}

int
main(int argc, char **argv)
{
	static const char *const words[] = { "one", "two", "", "", "" };
	char		 path[4096], buf[64];
	int		 round, fd, p[2], st;
	ssize_t		 n;
	pid_t		 pid;

	if (argc != 2)
		return 2;
	snprintf(path, sizeof(path), "%s/fifo", argv[1]);
	for (round = 1; round <= 5; round++) {
		unlink(path);
		if (mkfifo(path, 0600) == -1 || pipe(p) == -1)
			return 1;
		if ((pid = fork()) == 0) {
			if (round == 2 || round == 4)
				pause_ms(20);
			if ((fd = open(path, O_RDONLY)) == -1)
				_exit(1);
			if (round >= 4) {
				close(fd);
				dprintf(p[1], "opened and closed");
				_exit(0);
			}
			n = read(fd, buf, sizeof(buf) - 1);
			buf[n < 0 ? 0 : n] = '\0';
			dprintf(p[1], "read %zd \"%s\"", n, buf);
			_exit(0);
		}
		close(p[1]);
		if (round != 2 && round != 4)
			pause_ms(20);
		if ((fd = open(path, O_WRONLY)) == -1)
			return 1;
		if (write(fd, words[round - 1], strlen(words[round - 1])) < 0)
			return 1;
		close(fd);
		waitpid(pid, &st, 0);
		n = read(p[0], buf, sizeof(buf) - 1);
		buf[n < 0 ? 0 : n] = '\0';
		printf("%d: child %s, status %d\n", round, buf, st);
		close(p[0]);
	}
	unlink(path);
	return 0;
}
