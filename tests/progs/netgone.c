/*
 * netgone: TCP and UDP sockets on loopback that reach nobody, one case per
 * line ("case: result", the errno name on failure).  A non-blocking TCP
 * connect to a port nobody listens on (EINPROGRESS, poll, SO_ERROR once,
 * the connects after it), a blocking one, and a UDP socket connected to a
 * port nobody has bound (the connect succeeds; each datagram sent comes
 * back as ECONNREFUSED on the next send, receive or SO_ERROR); a send
 * without an address on an unconnected UDP socket.  Natively this is the
 * kernel's answer; --sandbox must give the same.
 */
#include <sys/socket.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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

/* What poll says of fd, but POLLIN and POLLERR: the virtual network's
 * refused socket has neither (see CAVEATS). */
static void
poll_for(int fd, short events)
{
	struct pollfd	 p = { .fd = fd, .events = events };

	T("poll", poll(&p, 1, 1000));
	printf("  revents 0x%x\n", p.revents & ~(POLLIN | POLLERR));
}

/* A loopback port nobody uses: one that was just bound, then freed. */
static struct sockaddr_in
nobody(int family, int type)
{
	struct sockaddr_in	 a;
	socklen_t		 len = sizeof(a);
	int			 s = socket(family, type, 0);

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	(void)bind(s, (struct sockaddr *)&a, sizeof(a));
	(void)getsockname(s, (struct sockaddr *)&a, &len);
	close(s);
	return a;
}

static void
tcp(void)
{
	struct sockaddr_in	 a = nobody(AF_INET, SOCK_STREAM), me, peer;
	socklen_t		 len;
	char			 buf[8];
	int			 c;

	c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	T("tcp nonblocking connect", connect(c, (struct sockaddr *)&a,
	    sizeof(a)));
	usleep(20000);
	poll_for(c, POLLIN | POLLOUT);
	len = sizeof(me);
	T("tcp getsockname", getsockname(c, (struct sockaddr *)&me, &len));
	printf("  bound %s, a port %d\n", inet_ntoa(me.sin_addr),
	    me.sin_port != 0);
	len = sizeof(peer);
	T("tcp getpeername", getpeername(c, (struct sockaddr *)&peer, &len));
	so_error(c);
	so_error(c);
	poll_for(c, POLLIN | POLLOUT);
	T("tcp recv", recv(c, buf, sizeof(buf), 0));
	T("tcp send", send(c, "x", 1, MSG_NOSIGNAL));
	T("tcp connect again", connect(c, (struct sockaddr *)&a, sizeof(a)));
	T("tcp connect anew", connect(c, (struct sockaddr *)&a, sizeof(a)));
	close(c);

	c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	T("tcp nonblocking connect", connect(c, (struct sockaddr *)&a,
	    sizeof(a)));
	usleep(20000);
	T("tcp connect before SO_ERROR", connect(c, (struct sockaddr *)&a,
	    sizeof(a)));
	so_error(c);
	close(c);

	c = socket(AF_INET, SOCK_STREAM, 0);
	T("tcp blocking connect", connect(c, (struct sockaddr *)&a,
	    sizeof(a)));
	close(c);
}

static void
udp(void)
{
	struct sockaddr_in	 a = nobody(AF_INET, SOCK_DGRAM), peer;
	struct msghdr		 m;
	struct iovec		 iov = { .iov_base = "x", .iov_len = 1 };
	socklen_t		 len;
	char			 buf[8];
	int			 u;

	u = socket(AF_INET, SOCK_DGRAM, 0);
	T("udp send unconnected", send(u, "x", 1, 0));
	memset(&m, 0, sizeof(m));
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	T("udp sendmsg unconnected", sendmsg(u, &m, 0));
	T("udp connect to nobody", connect(u, (struct sockaddr *)&a,
	    sizeof(a)));
	len = sizeof(peer);
	T("udp getpeername", getpeername(u, (struct sockaddr *)&peer, &len));
	printf("  peer %s, its port %d\n", inet_ntoa(peer.sin_addr),
	    peer.sin_port == a.sin_port);
	T("udp send", send(u, "x", 1, 0));
	usleep(20000);
	T("udp recv", recv(u, buf, sizeof(buf), MSG_DONTWAIT));
	T("udp recv again", recv(u, buf, sizeof(buf), MSG_DONTWAIT));
	T("udp send", send(u, "x", 1, 0));
	usleep(20000);
	T("udp send after", send(u, "x", 1, 0));
	T("udp sendmsg", sendmsg(u, &m, 0));
	usleep(20000);
	so_error(u);
	so_error(u);
	T("udp sendto it", sendto(u, "x", 1, 0, (struct sockaddr *)&a,
	    sizeof(a)));
	usleep(20000);
	len = sizeof(peer);
	T("udp recvfrom", recvfrom(u, buf, sizeof(buf), MSG_DONTWAIT,
	    (struct sockaddr *)&peer, &len));
	a.sin_family = AF_UNSPEC;
	T("udp disconnect", connect(u, (struct sockaddr *)&a, sizeof(a)));
	T("udp send disconnected", send(u, "x", 1, 0));
	close(u);
}

/* As glibc's getaddrinfo orders its answers: an IPv6 UDP socket connected
 * to each, its own address read back (IPv4-mapped for an IPv4 one). */
static void
udp6(void)
{
	struct sockaddr_in	 a = nobody(AF_INET, SOCK_DGRAM);
	struct sockaddr_in6	 a6, me;
	struct sockaddr		 unspec = { .sa_family = AF_UNSPEC };
	socklen_t		 len;
	char			 buf[INET6_ADDRSTRLEN];
	int			 u = socket(AF_INET6, SOCK_DGRAM, 0);

	memset(&a6, 0, sizeof(a6));
	a6.sin6_family = AF_INET6;
	a6.sin6_port = a.sin_port;
	a6.sin6_addr = in6addr_loopback;
	T("udp6 connect ::1", connect(u, (struct sockaddr *)&a6, sizeof(a6)));
	len = sizeof(me);
	T("udp6 getsockname", getsockname(u, (struct sockaddr *)&me, &len));
	printf("  %s\n", inet_ntop(AF_INET6, &me.sin6_addr, buf, sizeof(buf)));
	T("udp6 disconnect", connect(u, &unspec, sizeof(unspec)));
	T("udp6 connect 127.0.0.1", connect(u, (struct sockaddr *)&a,
	    sizeof(a)));
	len = sizeof(me);
	T("udp6 getsockname", getsockname(u, (struct sockaddr *)&me, &len));
	printf("  %s\n", inet_ntop(AF_INET6, &me.sin6_addr, buf, sizeof(buf)));
	close(u);
}

/* A socket another process connected is connected here too. */
static void
udp_child(void)
{
	struct sockaddr_in	 a;
	socklen_t		 len = sizeof(a);
	char			 buf[8];
	int			 r = socket(AF_INET, SOCK_DGRAM, 0);
	int			 u = socket(AF_INET, SOCK_DGRAM, 0);
	int			 st;
	pid_t			 pid;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	(void)bind(r, (struct sockaddr *)&a, sizeof(a));
	(void)getsockname(r, (struct sockaddr *)&a, &len);
	if ((pid = fork()) == 0)
		_exit(connect(u, (struct sockaddr *)&a, sizeof(a)) == 0 ? 0 : 1);
	(void)waitpid(pid, &st, 0);
	printf("child connected: %d\n", WIFEXITED(st) && WEXITSTATUS(st) == 0);
	T("udp send after the child's connect", send(u, "x", 1, 0));
	T("udp recv it", recv(r, buf, sizeof(buf), MSG_DONTWAIT));
	close(u);
	close(r);
}

int
main(void)
{
	tcp();
	udp();
	udp6();
	udp_child();
	return 0;
}
