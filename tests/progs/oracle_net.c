/*
 * oracle_net: sockets of the unix, inet, inet6 and netlink families, and
 * the calls that wait on descriptors, for tests/it/oracle.sh.  Everything
 * happens in one process: a client and its server are both ours, so no
 * call ever waits for another process.
 */
#include <sys/types.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
main(void)
{
	struct sockaddr_un	 un;
	struct sockaddr_in	 in;
	struct sockaddr_in6	 in6;
	struct sockaddr_nl	 nl;
	struct msghdr		 msg;
	struct iovec		 iov[2];
	struct mmsghdr		 mm[2];
	struct pollfd		 pfd[2];
	struct epoll_event	 ev, evs[4];
	struct timeval		 tv = { 0, 0 };
	struct timespec		 ts = { 0, 0 };
	struct linger		 lg = { 1, 5 };
	fd_set			 rfds;
	sigset_t		 mask;
	socklen_t		 len;
	char			 buf[64];
	int			 sv[2], s, c, a, one = 1, val, ep;

	socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv);
	send(sv[0], "ping", 4, 0);
	recv(sv[1], buf, sizeof(buf), 0);
	sendto(sv[1], "pong", 4, MSG_DONTWAIT, NULL, 0);
	recvfrom(sv[0], buf, sizeof(buf), MSG_PEEK, NULL, NULL);
	recvfrom(sv[0], buf, sizeof(buf), 0, NULL, NULL);
	iov[0] = (struct iovec){ "one ", 4 };
	iov[1] = (struct iovec){ "two", 3 };
	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = iov;
	msg.msg_iovlen = 2;
	sendmsg(sv[0], &msg, 0);
	iov[0] = (struct iovec){ buf, 16 };
	msg.msg_iovlen = 1;
	recvmsg(sv[1], &msg, 0);
	memset(mm, 0, sizeof(mm));
	iov[0] = (struct iovec){ "m1", 2 };
	iov[1] = (struct iovec){ "m2", 2 };
	mm[0].msg_hdr.msg_iov = &iov[0];
	mm[0].msg_hdr.msg_iovlen = 1;
	mm[1].msg_hdr.msg_iov = &iov[1];
	mm[1].msg_hdr.msg_iovlen = 1;
	sendmmsg(sv[0], mm, 2, 0);
	shutdown(sv[0], SHUT_WR);
	pfd[0] = (struct pollfd){ sv[1], POLLIN, 0 };
	pfd[1] = (struct pollfd){ sv[0], POLLOUT, 0 };
	poll(pfd, 2, 0);
	ppoll(pfd, 1, &ts, NULL);
	FD_ZERO(&rfds);
	FD_SET(sv[1], &rfds);
	select(sv[1] + 1, &rfds, NULL, NULL, &tv);
	FD_ZERO(&rfds);
	FD_SET(sv[1], &rfds);
	sigemptyset(&mask);
	pselect(sv[1] + 1, &rfds, NULL, NULL, &ts, &mask);
	ep = epoll_create1(EPOLL_CLOEXEC);
	ev.events = EPOLLIN | EPOLLRDHUP;
	ev.data.u64 = 7;
	epoll_ctl(ep, EPOLL_CTL_ADD, sv[1], &ev);
	epoll_wait(ep, evs, 4, 0);
	epoll_pwait(ep, evs, 4, 0, &mask);
	epoll_ctl(ep, EPOLL_CTL_DEL, sv[1], NULL);
	close(ep);
	close(sv[0]);
	close(sv[1]);

	s = socket(AF_UNIX, SOCK_DGRAM, 0);
	memset(&un, 0, sizeof(un));
	un.sun_family = AF_UNIX;
	strcpy(un.sun_path, "oracle_net.sock");
	unlink(un.sun_path);
	bind(s, (struct sockaddr *)&un, sizeof(un));
	len = sizeof(un);
	getsockname(s, (struct sockaddr *)&un, &len);
	sendto(s, "self", 4, 0, (struct sockaddr *)&un, sizeof(un));
	len = sizeof(un);
	recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&un, &len);
	unlink(un.sun_path);
	close(s);

	s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	len = sizeof(val);
	getsockopt(s, SOL_SOCKET, SO_TYPE, &val, &len);
	len = sizeof(val);
	getsockopt(s, SOL_SOCKET, SO_RCVBUF, &val, &len);
	memset(&in, 0, sizeof(in));
	in.sin_family = AF_INET;
	in.sin_port = htons(0);
	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(s, (struct sockaddr *)&in, sizeof(in));
	listen(s, 4);
	len = sizeof(in);
	getsockname(s, (struct sockaddr *)&in, &len);
	c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	connect(c, (struct sockaddr *)&in, sizeof(in));
	len = sizeof(in);
	a = accept4(s, (struct sockaddr *)&in, &len, SOCK_CLOEXEC);
	len = sizeof(in);
	getpeername(a, (struct sockaddr *)&in, &len);
	write(a, "hi", 2);
	close(a);
	close(c);
	c = socket(AF_INET, SOCK_STREAM, 0);
	len = sizeof(in);
	getsockname(s, (struct sockaddr *)&in, &len);
	connect(c, (struct sockaddr *)&in, sizeof(in));
	a = accept(s, NULL, NULL);
	close(a);
	close(c);
	close(s);

	s = socket(AF_INET6, SOCK_DGRAM, 0);
	memset(&in6, 0, sizeof(in6));
	in6.sin6_family = AF_INET6;
	in6.sin6_addr = in6addr_loopback;
	bind(s, (struct sockaddr *)&in6, sizeof(in6));
	close(s);
	s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
	memset(&in, 0, sizeof(in));
	in.sin_family = AF_INET;
	in.sin_port = htons(9);
	in.sin_addr.s_addr = htonl(0x7f000001);
	connect(s, (struct sockaddr *)&in, sizeof(in));
	close(s);

	s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	memset(&nl, 0, sizeof(nl));
	nl.nl_family = AF_NETLINK;
	bind(s, (struct sockaddr *)&nl, sizeof(nl));
	close(s);
	socket(AF_PACKET + 1000, SOCK_STREAM, 0);
	return 0;
}
