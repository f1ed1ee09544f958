/*
 * netreset: sends on a TCP socket whose peer has closed, on loopback, one
 * call per line ("call: result", the errno name on failure, and how many
 * SIGPIPEs came so far).  The peer closes with nothing unread (a FIN: the
 * first send succeeds, the RST it draws fails the next with EPIPE), with
 * data unread (a RST: ECONNRESET, then EPIPE), or shuts both halves; the
 * program shuts its own writing half (EPIPE at once).  send, sendto and
 * sendmsg, with and without MSG_NOSIGNAL, and in a child that inherited
 * the socket.  Natively this is the kernel's
 * answer; --sandbox must give the same.
 */
#include <sys/socket.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t	 pipes;
static struct sockaddr_in	 addr;
static int			 listener;

static void
on_pipe(int sig)
{
	(void)sig;
	pipes++;
}

static void
report(const char *what, long r)
{
	if (r < 0)
		printf("%s: -1 %s", what, strerrorname_np(errno));
	else
		printf("%s: %ld", what, r);
	printf(" (SIGPIPE %d)\n", (int)pipes);
	fflush(stdout);
}
#define T(what, call)	report(what, (long)(call))

/* A connection: c the program's end, s the peer's. */
static void
connection(int *c, int *s)
{
	*c = socket(AF_INET, SOCK_STREAM, 0);
	if (connect(*c, (struct sockaddr *)&addr, sizeof(addr)) == -1)
		perror("connect");
	*s = accept(listener, NULL, NULL);
}

/* Until fd has seen what it waits for (the peer's FIN or RST, data: on
 * loopback at once; the pause lets a RST drawn by a send come back too). */
static void
settle(int fd, short events)
{
	struct pollfd	 p = { .fd = fd, .events = events };

	(void)poll(&p, 1, 1000);
	usleep(10000);
}

static long
msg(int c, int flags)
{
	struct iovec	 iov = { .iov_base = "abcd", .iov_len = 4 };
	struct msghdr	 m = { .msg_iov = &iov, .msg_iovlen = 1 };

	return sendmsg(c, &m, flags);
}

int
main(void)
{
	socklen_t	 len = sizeof(addr);
	char		 buf[16];
	int		 c, s;

	signal(SIGPIPE, on_pipe);
	listener = socket(AF_INET, SOCK_STREAM, 0);
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(listener, (struct sockaddr *)&addr, sizeof(addr)) == -1 ||
	    getsockname(listener, (struct sockaddr *)&addr, &len) == -1 ||
	    listen(listener, 8) == -1) {
		perror("listener");
		return 1;
	}

	puts("peer closed, nothing unread");
	connection(&c, &s);
	close(s);
	settle(c, POLLRDHUP);
	T("send", send(c, "abc", 3, 0));
	settle(c, POLLRDHUP);
	T("send", send(c, "abc", 3, 0));
	T("send", send(c, "abc", 3, 0));
	T("recv", recv(c, buf, sizeof(buf), 0));
	close(c);

	puts("peer closed, nothing unread: recv first, MSG_NOSIGNAL");
	connection(&c, &s);
	close(s);
	settle(c, POLLRDHUP);
	T("recv", recv(c, buf, sizeof(buf), 0));
	T("sendmsg", msg(c, MSG_NOSIGNAL));
	settle(c, POLLRDHUP);
	T("sendmsg", msg(c, MSG_NOSIGNAL));
	T("sendto", sendto(c, "ab", 2, MSG_NOSIGNAL, NULL, 0));
	T("recv", recv(c, buf, sizeof(buf), 0));
	close(c);

	puts("peer closed with data unread");
	connection(&c, &s);
	T("send", send(c, "x", 1, 0));
	settle(s, POLLIN);
	close(s);
	settle(c, POLLRDHUP);
	T("sendto", sendto(c, "abc", 3, 0, (struct sockaddr *)&addr,
	    sizeof(addr)));
	settle(c, POLLRDHUP);
	T("sendmsg", msg(c, 0));
	T("recv", recv(c, buf, sizeof(buf), 0));
	close(c);

	puts("peer shut both halves");
	connection(&c, &s);
	shutdown(s, SHUT_RDWR);
	settle(c, POLLRDHUP);
	T("send", send(c, "abc", 3, 0));
	settle(c, POLLRDHUP);
	T("send", send(c, "abc", 3, 0));
	T("recv", recv(c, buf, sizeof(buf), 0));
	close(s);
	close(c);

	puts("peer closed, a child sends");
	connection(&c, &s);
	close(s);
	settle(c, POLLRDHUP);
	fflush(stdout);
	if (fork() == 0) {
		T("send", send(c, "abc", 3, 0));
		settle(c, POLLRDHUP);
		T("send", send(c, "abc", 3, MSG_NOSIGNAL));
		_exit(0);
	}
	wait(NULL);
	close(c);

	puts("own writing half shut, then the peer closed");
	connection(&c, &s);
	T("shutdown", shutdown(c, SHUT_WR));
	T("send", send(c, "abc", 3, MSG_NOSIGNAL));
	close(s);
	settle(c, POLLRDHUP);
	T("send", send(c, "abc", 3, 0));
	T("recv", recv(c, buf, sizeof(buf), 0));
	close(c);
	return 0;
}
