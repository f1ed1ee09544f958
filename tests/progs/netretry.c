/*
 * netretry: a non-blocking TCP socket whose connect was refused connects
 * again on loopback, to the same port once it listens (having said what
 * a reset socket says to a receive and a send), watched all along by one
 * epoll instance and reached through a descriptor duplicated while
 * it was refused: the open file description is the same throughout.  One
 * step per line ("step: result", the errno name on failure).  Natively
 * this is the kernel's answer; --sandbox must give the same.
 */
#include <sys/epoll.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t	 pipes;

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
		printf("%s: -1 %s\n", what, strerrorname_np(errno));
	else
		printf("%s: %ld\n", what, r);
	fflush(stdout);
}
#define T(what, call)	report(what, (long)(call))

static void
so_error(int fd)
{
	socklen_t	 len = sizeof(int);
	int		 e = -1;

	T("SO_ERROR", getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len));
	printf("  so_error %s\n", e ? strerrorname_np(e) : "0");
}

/* Whether ep reports c writable (POLLERR and POLLHUP, which loopback
 * adds for the refused socket, are left out: see CAVEATS). */
static void
wait_out(int ep, int c)
{
	struct epoll_event	 ev;
	int			 n;

	n = epoll_wait(ep, &ev, 1, 1000);
	T("epoll_wait", n);
	if (n == 1)
		printf("  fd %s, EPOLLOUT %d\n", ev.data.fd == c ? "c" : "?",
		    (ev.events & EPOLLOUT) != 0);
}

int
main(void)
{
	struct sockaddr_in	 a, peer;
	struct epoll_event	 ev = { .events = EPOLLOUT };
	socklen_t		 len = sizeof(a);
	char			 buf[8];
	int			 l, c, d, s, ep;

	signal(SIGPIPE, on_pipe);
	/* a port that is bound, but not listening yet */
	l = socket(AF_INET, SOCK_STREAM, 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(l, (struct sockaddr *)&a, sizeof(a)) == -1 ||
	    getsockname(l, (struct sockaddr *)&a, &len) == -1) {
		perror("bind");
		return 1;
	}
	c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	ep = epoll_create1(0);
	ev.data.fd = c;
	T("epoll_ctl add", epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev));
	T("connect", connect(c, (struct sockaddr *)&a, sizeof(a)));
	wait_out(ep, c);
	so_error(c);
	T("recv", recv(c, buf, sizeof(buf), 0));
	T("send", send(c, "x", 1, 0));
	printf("  SIGPIPE %d\n", (int)pipes);
	d = dup(c);
	T("listen", listen(l, 1));
	T("connect again", connect(c, (struct sockaddr *)&a, sizeof(a)));
	T("connect anew", connect(c, (struct sockaddr *)&a, sizeof(a)));
	wait_out(ep, c);
	so_error(c);
	T("connect once more", connect(c, (struct sockaddr *)&a, sizeof(a)));
	T("epoll_ctl mod", epoll_ctl(ep, EPOLL_CTL_MOD, c, &ev));
	len = sizeof(peer);
	T("getpeername of the dup", getpeername(d, (struct sockaddr *)&peer,
	    &len));
	printf("  the listener's port %d\n", peer.sin_port == a.sin_port);
	T("dup non-blocking", (fcntl(d, F_GETFL) & O_NONBLOCK) != 0);
	s = accept(l, NULL, NULL);
	T("send on the dup", send(d, "hello", 5, 0));
	T("recv", recv(s, buf, sizeof(buf), 0));
	close(s);
	close(d);
	close(c);
	return 0;
}
