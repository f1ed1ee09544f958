/*
 * net_threads: TCP and UDP over 127.0.0.1 inside one process.  A
 * background thread accepts while the main thread connects; they exchange
 * data with send/recv, sendmsg/recvmsg, writev/readv, and wait with poll,
 * ppoll, select, pselect and epoll; then setsockopt/getsockopt, shutdown,
 * UDP with sendmmsg/recvmmsg and sendto/recvfrom, and a socketpair that
 * passes a descriptor with SCM_RIGHTS.
 *
 * Only the main thread prints (the server's findings are printed after the
 * join), so the output is the same on every run.  Ports change from run to
 * run; they are printed only with -a (for --sandbox, where they do not).
 */
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <err.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int	 show_addrs;
static int	 lfd;
static char	 server_log[1024];

static void
slog(const char *fmt, const char *s)
{
	size_t	 n = strlen(server_log);

	snprintf(server_log + n, sizeof(server_log) - n, fmt, s);
}

static const char *
addr(const struct sockaddr_in *sin)
{
	static char	 buf[2][64];
	static int	 i;
	char		 ip[INET_ADDRSTRLEN];

	i ^= 1;
	inet_ntop(AF_INET, &sin->sin_addr, ip, sizeof(ip));
	snprintf(buf[i], sizeof(buf[i]), "%s:%u", ip, ntohs(sin->sin_port));
	return buf[i];
}

static void
print_addr(const char *what, int fd, int peer)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof(sin);

	if ((peer ? getpeername(fd, (struct sockaddr *)&sin, &len) :
	    getsockname(fd, (struct sockaddr *)&sin, &len)) == -1)
		err(1, "%s", peer ? "getpeername" : "getsockname");
	if (sin.sin_family != AF_INET || len != sizeof(sin))
		errx(1, "%s: family %d len %u", what, sin.sin_family, len);
	if (show_addrs)
		printf("%s %s\n", what, addr(&sin));
}

static void
recv_exact(int fd, char *buf, size_t len)
{
	ssize_t	 n;
	size_t	 got = 0;

	while (got < len) {
		if ((n = recv(fd, buf + got, len - got, 0)) <= 0)
			errx(1, "recv: %s", n == 0 ? "eof" : strerror(errno));
		got += (size_t)n;
	}
	buf[len] = '\0';
}

static void *
server(void *arg)
{
	struct sockaddr_in	 peer;
	socklen_t		 plen = sizeof(peer);
	struct msghdr		 msg;
	struct iovec		 iov[2];
	char			 a[8], b[8], buf[64];
	ssize_t			 n;
	int			 fd;

	(void)arg;
	if ((fd = accept4(lfd, (struct sockaddr *)&peer, &plen,
	    SOCK_CLOEXEC)) == -1)
		err(1, "accept4");
	slog("server accepted %s\n", peer.sin_family == AF_INET ?
	    "AF_INET" : "?");
	recv_exact(fd, buf, 5);
	slog("server got \"%s\"\n", buf);
	if (send(fd, "world", 5, 0) != 5)
		err(1, "send");

	memset(&msg, 0, sizeof(msg));
	iov[0] = (struct iovec){ a, 3 };
	iov[1] = (struct iovec){ b, 4 };
	msg.msg_iov = iov;
	msg.msg_iovlen = 2;
	if ((n = recvmsg(fd, &msg, MSG_WAITALL)) != 7)
		err(1, "recvmsg %zd", n);
	a[3] = b[4] = '\0';
	slog("server recvmsg \"%s\"", a);
	slog(" \"%s\"\n", b);
	iov[0] = (struct iovec){ b, 4 };
	iov[1] = (struct iovec){ a, 3 };
	if (sendmsg(fd, &msg, 0) != 7)
		err(1, "sendmsg");

	/* the client shuts down its writing side: end of file here */
	n = read(fd, buf, sizeof(buf));
	slog("server read after shutdown: %s\n", n == 0 ? "eof" : "data");
	if (write(fd, "bye", 3) != 3)
		err(1, "write");
	close(fd);
	return NULL;
}

static void
wait_readable(int fd, int how)
{
	struct timespec	 ts = { 5, 0 };
	struct timeval	 tv = { 5, 0 };
	struct epoll_event ev = { .events = EPOLLIN }, out;
	struct pollfd	 pfd = { .fd = fd, .events = POLLIN };
	fd_set		 rfds;
	sigset_t	 mask;
	int		 ep, r = -1;

	FD_ZERO(&rfds);
	FD_SET(fd, &rfds);
	sigemptyset(&mask);
	switch (how) {
	case 0:
		r = poll(&pfd, 1, 5000);
		break;
	case 1:
		r = ppoll(&pfd, 1, &ts, &mask);
		break;
	case 2:
		r = select(fd + 1, &rfds, NULL, NULL, &tv);
		break;
	case 3:
		r = pselect(fd + 1, &rfds, NULL, NULL, &ts, &mask);
		break;
	case 4:
		if ((ep = epoll_create1(EPOLL_CLOEXEC)) == -1)
			err(1, "epoll_create1");
		ev.data.fd = fd;
		if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) == -1)
			err(1, "epoll_ctl");
		r = epoll_wait(ep, &out, 1, 5000);
		if (r == 1 && out.data.fd != fd)
			errx(1, "epoll_wait: wrong fd");
		close(ep);
		break;
	}
	if (r != 1)
		errx(1, "wait %d: %d", how, r);
}

static void
tcp(void)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof(sin);
	struct msghdr		 msg;
	struct iovec		 iov[2];
	pthread_t		 th;
	char			 buf[64];
	int			 fd, one = 1, v = 0, i;
	ssize_t			 n;

	if ((lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		err(1, "socket");
	if (setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)))
		err(1, "setsockopt");
	len = sizeof(v);
	if (getsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &v, &len) == -1)
		err(1, "getsockopt");
	printf("SO_REUSEADDR %d\n", v);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		err(1, "bind");
	if (listen(lfd, 8) == -1)
		err(1, "listen");
	len = sizeof(sin);
	if (getsockname(lfd, (struct sockaddr *)&sin, &len) == -1)
		err(1, "getsockname");
	print_addr("listening on", lfd, 0);
	/* before the thread: a blocked accept has its fd number already */
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		err(1, "socket");
	if ((errno = pthread_create(&th, NULL, server, NULL)) != 0)
		err(1, "pthread_create");
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		err(1, "connect");
	print_addr("client", fd, 0);
	print_addr("client peer", fd, 1);
	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)))
		err(1, "setsockopt TCP_NODELAY");
	len = sizeof(v);
	if (getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &v, &len) == -1)
		err(1, "getsockopt");
	printf("TCP_NODELAY %d\n", v);

	if (send(fd, "hello", 5, 0) != 5)
		err(1, "send");
	wait_readable(fd, 0);
	recv_exact(fd, buf, 5);
	printf("client got \"%s\"\n", buf);

	memset(&msg, 0, sizeof(msg));
	iov[0] = (struct iovec){ "abc", 3 };
	iov[1] = (struct iovec){ "defg", 4 };
	msg.msg_iov = iov;
	msg.msg_iovlen = 2;
	if (sendmsg(fd, &msg, 0) != 7)
		err(1, "sendmsg");
	for (i = 1; i < 5; i++)		/* every waiter sees the same data */
		wait_readable(fd, i);
	printf("poll ppoll select pselect epoll_wait: readable\n");
	recv_exact(fd, buf, 7);
	printf("client recvmsg reply \"%s\"\n", buf);

	if (shutdown(fd, SHUT_WR) == -1)
		err(1, "shutdown");
	n = read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	printf("client read \"%s\"\n", buf);
	n = read(fd, buf, sizeof(buf));
	printf("client read again: %s\n", n == 0 ? "eof" : "data");
	if ((errno = pthread_join(th, NULL)) != 0)
		err(1, "pthread_join");
	fputs(server_log, stdout);
	close(fd);
	close(lfd);
}

static void
udp(void)
{
	struct sockaddr_in	 a, b, from, srcs[2];
	socklen_t		 len;
	struct mmsghdr		 mm[3];
	struct iovec		 iov[3];
	char			 bufs[3][16];
	int			 fa, fb, i, n;
	const char		*words[] = { "one", "two", "three" };

	if ((fa = socket(AF_INET, SOCK_DGRAM, 0)) == -1 ||
	    (fb = socket(AF_INET, SOCK_DGRAM, 0)) == -1)
		err(1, "socket");
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	b = a;
	if (bind(fa, (struct sockaddr *)&a, sizeof(a)) == -1 ||
	    bind(fb, (struct sockaddr *)&b, sizeof(b)) == -1)
		err(1, "bind");
	len = sizeof(b);
	if (getsockname(fb, (struct sockaddr *)&b, &len) == -1)
		err(1, "getsockname");
	len = sizeof(a);
	if (getsockname(fa, (struct sockaddr *)&a, &len) == -1)
		err(1, "getsockname");
	print_addr("udp a", fa, 0);
	print_addr("udp b", fb, 0);

	if (sendto(fa, "ping", 4, 0, (struct sockaddr *)&b, sizeof(b)) != 4)
		err(1, "sendto");
	len = sizeof(from);
	n = (int)recvfrom(fb, bufs[0], sizeof(bufs[0]) - 1, 0,
	    (struct sockaddr *)&from, &len);
	if (n < 0)
		err(1, "recvfrom");
	bufs[0][n] = '\0';
	printf("udp b got \"%s\" from a: %s\n", bufs[0],
	    from.sin_port == a.sin_port && len == sizeof(from) ? "yes" : "no");
	if (show_addrs)
		printf("udp from %s\n", addr(&from));

	/* b answers with three datagrams at once, to the sender it saw */
	if (connect(fb, (struct sockaddr *)&from, len) == -1)
		err(1, "connect udp");
	memset(mm, 0, sizeof(mm));
	for (i = 0; i < 3; i++) {
		iov[i] = (struct iovec){ (void *)words[i], strlen(words[i]) };
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	if ((n = sendmmsg(fb, mm, 3, 0)) != 3)
		err(1, "sendmmsg %d", n);
	memset(mm, 0, sizeof(mm));
	for (i = 0; i < 3; i++) {
		iov[i] = (struct iovec){ bufs[i], sizeof(bufs[i]) - 1 };
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	if ((n = recvmmsg(fa, mm, 3, MSG_WAITFORONE, NULL)) < 1)
		err(1, "recvmmsg");
	/* the rest, if they had not all arrived yet */
	while (n < 3) {
		i = recvmmsg(fa, mm + n, 3 - n, 0, NULL);
		if (i < 1)
			err(1, "recvmmsg");
		n += i;
	}
	for (i = 0; i < 3; i++) {
		bufs[i][mm[i].msg_len] = '\0';
		printf("udp a got \"%s\"\n", bufs[i]);
	}

	/* and back, each datagram addressed, each source asked for */
	memset(mm, 0, sizeof(mm));
	for (i = 0; i < 2; i++) {
		iov[i] = (struct iovec){ (void *)words[i], strlen(words[i]) };
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
		mm[i].msg_hdr.msg_name = &b;
		mm[i].msg_hdr.msg_namelen = sizeof(b);
	}
	if ((n = sendmmsg(fa, mm, 2, 0)) != 2)
		err(1, "sendmmsg named %d", n);
	memset(mm, 0, sizeof(mm));
	for (i = 0; i < 2; i++) {
		iov[i] = (struct iovec){ bufs[i], sizeof(bufs[i]) - 1 };
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
		mm[i].msg_hdr.msg_name = &srcs[i];
		mm[i].msg_hdr.msg_namelen = sizeof(srcs[i]);
	}
	for (n = 0; n < 2; n += i)
		if ((i = recvmmsg(fb, mm + n, 2 - n, 0, NULL)) < 1)
			err(1, "recvmmsg named");
	for (i = 0; i < 2; i++) {
		bufs[i][mm[i].msg_len] = '\0';
		printf("udp b got \"%s\" from a: %s\n", bufs[i],
		    mm[i].msg_hdr.msg_namelen == sizeof(srcs[i]) &&
		    srcs[i].sin_port == a.sin_port ? "yes" : "no");
	}
	close(fa);
	close(fb);
}

static void
pass_fd(void)
{
	union {
		struct cmsghdr	 hdr;
		char		 buf[CMSG_SPACE(sizeof(int))];
	} cm;
	struct msghdr	 msg;
	struct cmsghdr	*c;
	struct iovec	 iov;
	char		 buf[16];
	int		 sv[2], p[2], fd;
	ssize_t		 n;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1)
		err(1, "socketpair");
	if (pipe(p) == -1)
		err(1, "pipe");
	if (write(p[1], "through a pipe", 14) != 14)
		err(1, "write");
	close(p[1]);
	memset(&msg, 0, sizeof(msg));
	iov = (struct iovec){ "x", 1 };
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cm.buf;
	msg.msg_controllen = sizeof(cm.buf);
	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &p[0], sizeof(int));
	if (sendmsg(sv[0], &msg, 0) != 1)
		err(1, "sendmsg SCM_RIGHTS");
	close(p[0]);

	memset(&msg, 0, sizeof(msg));
	memset(&cm, 0, sizeof(cm));
	iov = (struct iovec){ buf, sizeof(buf) };
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cm.buf;
	msg.msg_controllen = sizeof(cm.buf);
	if (recvmsg(sv[1], &msg, MSG_CMSG_CLOEXEC) != 1)
		err(1, "recvmsg SCM_RIGHTS");
	if ((c = CMSG_FIRSTHDR(&msg)) == NULL || c->cmsg_type != SCM_RIGHTS)
		errx(1, "no SCM_RIGHTS");
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	n = read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	printf("SCM_RIGHTS fd reads \"%s\"\n", buf);
	close(fd);
	close(sv[0]);
	close(sv[1]);
}

int
main(int argc, char *argv[])
{
	show_addrs = argc > 1 && strcmp(argv[1], "-a") == 0;
	closefrom(3);		/* fd numbers as in the trace tests */
	setvbuf(stdout, NULL, _IOLBF, 0);
	tcp();
	udp();
	pass_fd();
	return 0;
}
