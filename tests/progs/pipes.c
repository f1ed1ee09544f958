/*
 * pipes: data through pipes between processes.
 *
 * 1. the parent pushes 256 KiB (more than a pipe holds) to a child, which
 *    counts and checksums it and answers on a second pipe;
 * 2. a child's stdout is dup2()ed onto a pipe and it execs /bin/echo;
 * 3. writing to a pipe with no reader: EPIPE with SIGPIPE ignored, death
 *    by SIGPIPE by default;
 * 4. poll() on an empty pipe times out, then sees data.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define TOTAL	(256 * 1024)

static int
wait_status(pid_t pid, char *buf, size_t len)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		return snprintf(buf, len, "waitpid: %s", strerror(errno));
	if (WIFEXITED(st))
		return snprintf(buf, len, "exit %d", WEXITSTATUS(st));
	if (WIFSIGNALED(st))
		return snprintf(buf, len, "killed by SIG%s",
		    sigabbrev_np(WTERMSIG(st)));
	return snprintf(buf, len, "status 0x%x", st);
}

static pid_t
xfork(void)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("pipes: fork");
		exit(2);
	}
	return pid;
}

static void
bulk(void)
{
	int down[2], up[2];
	unsigned long sum = 0;
	char buf[8192], msg[128], st[64];
	ssize_t n;
	pid_t pid;

	if (pipe(down) != 0 || pipe(up) != 0)
		exit(2);
	pid = xfork();
	if (pid == 0) {
		unsigned long csum = 0;
		long count = 0;
		int len;

		close(down[1]);
		close(up[0]);
		while ((n = read(down[0], buf, sizeof(buf))) > 0) {
			for (ssize_t i = 0; i < n; i++)
				csum = csum * 31 + (unsigned char)buf[i];
			count += n;
		}
		len = snprintf(msg, sizeof(msg), "%ld bytes, checksum %lx",
		    count, csum);
		_exit(write(up[1], msg, len) == len ? 0 : 1);
	}
	close(down[0]);
	close(up[1]);
	for (long off = 0; off < TOTAL; off += sizeof(buf)) {
		for (size_t i = 0; i < sizeof(buf); i++) {
			buf[i] = (char)((off + i) * 7 % 251);
			sum = sum * 31 + (unsigned char)buf[i];
		}
		for (size_t done = 0; done < sizeof(buf); done += n) {
			n = write(down[1], buf + done, sizeof(buf) - done);
			if (n <= 0) {
				perror("pipes: write");
				exit(1);
			}
		}
	}
	close(down[1]);
	n = read(up[0], msg, sizeof(msg) - 1);
	msg[n > 0 ? n : 0] = '\0';
	close(up[0]);
	wait_status(pid, st, sizeof(st));
	printf("bulk: child read %s (%s); sent checksum %lx\n", msg, st, sum);
}

static void
echo_through_pipe(void)
{
	char *argv[] = { "echo", "hello through a pipe", NULL };
	char buf[128], st[64];
	ssize_t n, got = 0;
	int p[2];
	pid_t pid;

	if (pipe(p) != 0)
		exit(2);
	pid = xfork();
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		execve("/bin/echo", argv, environ);
		_exit(127);
	}
	close(p[1]);
	while ((n = read(p[0], buf + got, sizeof(buf) - 1 - got)) > 0)
		got += n;
	buf[got] = '\0';
	close(p[0]);
	wait_status(pid, st, sizeof(st));
	printf("echo via pipe: %s", buf);
	printf("echo via pipe: %s\n", st);
}

static void
broken_pipe(void)
{
	char st[64];
	ssize_t r;
	int p[2];
	pid_t pid;

	if (pipe(p) != 0)
		exit(2);
	close(p[0]);
	signal(SIGPIPE, SIG_IGN);
	r = write(p[1], "x", 1);
	printf("write to pipe without reader, SIGPIPE ignored: %zd %s\n", r,
	    r < 0 ? strerrorname_np(errno) : "");
	signal(SIGPIPE, SIG_DFL);
	pid = xfork();
	if (pid == 0) {
		r = write(p[1], "x", 1);
		_exit(r < 0 ? 1 : 0);
	}
	close(p[1]);
	wait_status(pid, st, sizeof(st));
	printf("write to pipe without reader, SIGPIPE default: %s\n", st);
}

static void
polling(void)
{
	struct pollfd pfd;
	int p[2], r;

	if (pipe(p) != 0)
		exit(2);
	pfd.fd = p[0];
	pfd.events = POLLIN;
	r = poll(&pfd, 1, 10);
	printf("poll empty pipe: %d\n", r);
	if (write(p[1], "y", 1) != 1)
		exit(1);
	r = poll(&pfd, 1, 1000);
	printf("poll after write: %d%s\n", r, pfd.revents & POLLIN ?
	    " POLLIN" : "");
	close(p[0]);
	close(p[1]);
}

int
main(void)
{
	bulk();
	echo_through_pipe();
	broken_pipe();
	polling();
	return 0;
}
