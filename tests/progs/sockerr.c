/*
 * sockerr: TCP and UDP sockets on loopback given bad arguments, one case
 * per line: "case: result" with the errno name on failure.  Natively
 * this is the kernel's answer; under --sandbox the virtual network must
 * give the same, in the same order of checks.  Also: connect to
 * 0.0.0.0 (the local host), MSG_ERRQUEUE with nothing queued, a
 * non-blocking connect, SO_RCVTIMEO (a receive that times out took that
 * long, on the sandbox's clock too), SO_SNDTIMEO and SO_REUSEPORT.
 */
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char	*page_end;	/* the end of a page before a hole */
static char	*ro;		/* a read-only page */

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

static struct sockaddr_in
in4(const char *ip, int port)
{
	struct sockaddr_in	 s;

	memset(&s, 0, sizeof(s));
	s.sin_family = AF_INET;
	s.sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, ip, &s.sin_addr);
	return s;
}

static int
port_of(int fd)
{
	struct sockaddr_in	 a;
	socklen_t		 len = sizeof(a);

	if (getsockname(fd, (struct sockaddr *)&a, &len) == -1)
		return -1;
	return ntohs(a.sin_port);
}

/* A listener on 127.0.0.1, its port in *port. */
static int
listener(int *port)
{
	struct sockaddr_in	 a = in4("127.0.0.1", 0);
	int			 l = socket(AF_INET, SOCK_STREAM, 0);

	if (l == -1 || bind(l, (struct sockaddr *)&a, sizeof(a)) == -1 ||
	    listen(l, 8) == -1) {
		perror("sockerr: listener");
		exit(2);
	}
	*port = port_of(l);
	return l;
}

static void
creation(void)
{
	T("socket type 999", socket(AF_INET, 999, 0));
	T("socket inet6 type 999", socket(AF_INET6, 999, 0));
	T("socket bad flags", socket(AF_INET, SOCK_STREAM | 0x40000000, 0));
	T("socket stream udp", socket(AF_INET, SOCK_STREAM, IPPROTO_UDP));
	T("socket dgram tcp", socket(AF_INET, SOCK_DGRAM, IPPROTO_TCP));
	T("socket seqpacket", socket(AF_INET, SOCK_SEQPACKET, 0));
	T("socket protocol 999", socket(AF_INET, SOCK_STREAM, 999));
}

static void
names(void)
{
	struct sockaddr_in	 a = in4("127.0.0.1", 0);
	struct sockaddr_in6	 a6;
	socklen_t		 len;
	int			 on;
	int			 s = socket(AF_INET, SOCK_STREAM, 0);
	int			 u = socket(AF_INET, SOCK_DGRAM, 0);

	T("getsockname NULL NULL", getsockname(s, NULL, NULL));
	len = sizeof(a);
	T("getsockname NULL addr", getsockname(s, NULL, &len));
	len = 0;
	T("getsockname NULL addr len 0", getsockname(s, NULL, &len));
	T("getsockname NULL len", getsockname(s, (struct sockaddr *)&a, NULL));
	len = (socklen_t)-1;
	T("getsockname len -1", getsockname(s, (struct sockaddr *)&a, &len));
	len = sizeof(a);
	T("getsockname read-only", getsockname(s, (struct sockaddr *)ro,
	    &len));
	len = 4;
	T("getsockname short", getsockname(s, (struct sockaddr *)&a, &len));
	printf("getsockname short len: %u\n", len);
	len = sizeof(a);
	T("getpeername unconnected", getpeername(s, (struct sockaddr *)&a,
	    &len));

	T("bind len 0", bind(s, (struct sockaddr *)&a, 0));
	T("bind len 1", bind(s, (struct sockaddr *)&a, 1));
	T("bind len 15", bind(s, (struct sockaddr *)&a, 15));
	T("bind len 200", bind(s, (struct sockaddr *)&a, 200));
	T("bind len -1", bind(s, (struct sockaddr *)&a, (socklen_t)-1));
	T("bind into a hole", bind(s, (struct sockaddr *)(page_end - 8),
	    sizeof(a)));
	T("bind long into a hole", bind(s, (struct sockaddr *)(page_end -
	    sizeof(a)), 100));
	memset(&a6, 0, sizeof(a6));
	a6.sin6_family = AF_INET6;
	T("bind inet6 address", bind(s, (struct sockaddr *)&a6,
	    sizeof(a6)));
	a = in4("0.0.0.0", 0);
	a.sin_family = AF_UNSPEC;
	T("bind AF_UNSPEC any", bind(u, (struct sockaddr *)&a, sizeof(a)));
	a = in4("10.1.2.3", 0);
	T("bind 10.1.2.3", bind(s, (struct sockaddr *)&a, sizeof(a)));
	a = in4("127.0.0.1", 0);
	T("bind", bind(s, (struct sockaddr *)&a, sizeof(a)));
	T("bind again", bind(s, (struct sockaddr *)&a, sizeof(a)));
	T("listen dgram", listen(u, 1));
	T("accept unlistened", accept(s, NULL, NULL));
	T("connect len 0", connect(s, (struct sockaddr *)&a, 0));
	T("connect len 200", connect(s, (struct sockaddr *)&a, 200));
	T("connect inet6 address", connect(s, (struct sockaddr *)&a6,
	    sizeof(a6)));
	T("connect into a hole", connect(s, (struct sockaddr *)(page_end - 8),
	    sizeof(a)));
	T("shutdown unconnected", shutdown(s, SHUT_RDWR));
	/* an inet-only option, which AF_UNIX refuses */
	len = 1;
	T("SO_REUSEPORT", setsockopt(s, SOL_SOCKET, SO_REUSEPORT, &len,
	    sizeof(len)));
	T("SO_REUSEPORT short", setsockopt(s, SOL_SOCKET, SO_REUSEPORT, &len,
	    2));
	len = sizeof(on);
	on = -1;
	T("SO_REUSEPORT get", getsockopt(s, SOL_SOCKET, SO_REUSEPORT, &on,
	    &len));
	printf("SO_REUSEPORT is %d\n", on);
	close(s);
	close(u);
}

static void
transfer(void)
{
	struct sockaddr_in	 a, from, nobody;
	struct msghdr		 m;
	struct iovec		 iov;
	socklen_t		 len;
	char			 buf[64];
	int			 port, l, c, s, u, v;

	l = listener(&port);
	a = in4("0.0.0.0", port);
	c = socket(AF_INET, SOCK_STREAM, 0);
	T("connect 0.0.0.0", connect(c, (struct sockaddr *)&a, sizeof(a)));
	len = sizeof(from);
	T("getpeername after 0.0.0.0", getpeername(c, (struct sockaddr *)&from,
	    &len));
	printf("peer %s port-ok %d\n", inet_ntoa(from.sin_addr),
	    ntohs(from.sin_port) == port);
	T("connect again", connect(c, (struct sockaddr *)&a, sizeof(a)));
	s = accept(l, NULL, NULL);
	/* a second connection, which this accept loses as the kernel's */
	v = socket(AF_INET, SOCK_STREAM, 0);
	(void)connect(v, (struct sockaddr *)&a, sizeof(a));
	T("accept NULL len", accept(l, (struct sockaddr *)&from, NULL));
	close(v);

	T("recv MSG_ERRQUEUE", recv(c, buf, sizeof(buf), MSG_ERRQUEUE |
	    MSG_DONTWAIT));
	T("send", send(c, "hello", 5, 0));
	len = (socklen_t)-1;
	T("recvfrom len -1", recvfrom(s, buf, 2, 0, (struct sockaddr *)&from,
	    &len));
	len = sizeof(from);
	T("recvfrom into a hole", recvfrom(s, page_end - 1, 2, 0,
	    (struct sockaddr *)&from, &len));
	len = sizeof(from);
	T("recvfrom", recvfrom(s, buf, sizeof(buf), 0,
	    (struct sockaddr *)&from, &len));
	printf("recvfrom stream len: %u\n", len);
	T("sendmsg bad msghdr", sendmsg(c, (struct msghdr *)(page_end - 8),
	    0));
	memset(&m, 0, sizeof(m));
	iov.iov_base = page_end - 2;
	iov.iov_len = 10;
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	T("sendmsg bad buffer", sendmsg(c, &m, 0));
	m.msg_name = &a;
	m.msg_namelen = sizeof(a);
	T("sendmsg bad buffer named", sendmsg(c, &m, 0));
	T("sendto bad buffer", sendto(c, page_end - 2, 10, 0, NULL, 0));
	T("sendto dest in a hole", sendto(c, "x", 1, 0,
	    (struct sockaddr *)(page_end - 8), sizeof(a)));
	T("sendto dest len 200", sendto(c, "x", 1, 0, (struct sockaddr *)&a,
	    200));
	iov.iov_base = "y";
	iov.iov_len = 1;
	m.msg_namelen = (socklen_t)-1;
	T("sendmsg namelen -1", sendmsg(c, &m, 0));
	m.msg_name = page_end - 8;
	m.msg_namelen = sizeof(a);
	T("sendmsg name in a hole", sendmsg(c, &m, 0));
	T("recv after sends", recv(s, buf, sizeof(buf), MSG_DONTWAIT));
	close(c);
	close(s);

	u = socket(AF_INET, SOCK_DGRAM, 0);
	v = socket(AF_INET, SOCK_DGRAM, 0);
	a = in4("127.0.0.1", 0);
	(void)bind(v, (struct sockaddr *)&a, sizeof(a));
	a.sin_port = htons((uint16_t)port_of(v));
	T("udp sendto len 0", sendto(u, "x", 1, 0, (struct sockaddr *)&a, 0));
	T("udp sendto len 8", sendto(u, "x", 1, 0, (struct sockaddr *)&a, 8));
	T("udp sendto bad buffer", sendto(u, page_end - 2, 10, 0,
	    (struct sockaddr *)&a, sizeof(a)));
	T("udp sendto dest in a hole", sendto(u, "x", 1, 0,
	    (struct sockaddr *)(page_end - 8), sizeof(a)));
	memset(&m, 0, sizeof(m));
	iov.iov_base = "x";
	iov.iov_len = 1;
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_name = &a;
	m.msg_namelen = 200;
	T("udp sendmsg namelen 200", sendmsg(u, &m, 0));
	m.msg_namelen = sizeof(a);
	iov.iov_len = (size_t)-1;
	T("udp sendmsg iov_len -1", sendmsg(u, &m, 0));
	nobody = in4("127.0.0.1", 9);	/* discard: nobody listens */
	m.msg_name = &nobody;
	T("udp sendmsg iov_len -1 to nobody", sendmsg(u, &m, 0));
	iov.iov_len = 1;
	m.msg_name = &a;
	T("udp recv", recv(v, buf, sizeof(buf), 0));
	T("udp sendto", sendto(u, "datagram", 8, 0, (struct sockaddr *)&a,
	    sizeof(a)));
	T("udp recv MSG_ERRQUEUE", recv(v, buf, sizeof(buf), MSG_ERRQUEUE |
	    MSG_DONTWAIT));
	len = (socklen_t)-1;
	T("udp recvfrom len -1", recvfrom(v, buf, sizeof(buf), MSG_DONTWAIT,
	    (struct sockaddr *)&from, &len));
	len = sizeof(from);
	T("udp recvfrom empty", recvfrom(v, buf, sizeof(buf), MSG_DONTWAIT,
	    (struct sockaddr *)&from, &len));
	close(u);
	close(v);
	close(l);
}

static long
elapsed_ms(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000 +
	    (b->tv_nsec - a->tv_nsec) / 1000000;
}

static void
nonblocking(void)
{
	struct timespec		 t0, t1;
	struct sockaddr_in	 a;
	struct pollfd		 p;
	struct timeval		 tv = { 0, 50000 };
	socklen_t		 len;
	char			 buf[8];
	int			 port, l, c, s, e;

	l = listener(&port);
	a = in4("127.0.0.1", port);
	c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	T("nonblocking connect", connect(c, (struct sockaddr *)&a,
	    sizeof(a)));
	p.fd = c;
	p.events = POLLOUT;
	T("poll writable", poll(&p, 1, 1000));
	printf("revents 0x%x\n", p.revents);
	len = sizeof(e);
	T("SO_ERROR", getsockopt(c, SOL_SOCKET, SO_ERROR, &e, &len));
	printf("so_error %d\n", e);
	T("connect once more", connect(c, (struct sockaddr *)&a, sizeof(a)));
	s = accept(l, NULL, NULL);
	T("SO_RCVTIMEO", setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv,
	    sizeof(tv)));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	T("recv timeout", recv(s, buf, sizeof(buf), 0));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	/* the sandbox's clock moves by a timeout that expired */
	printf("recv waited 50 ms: %d\n", elapsed_ms(&t0, &t1) >= 50);
	len = sizeof(a);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	T("recvfrom timeout", recvfrom(s, buf, sizeof(buf), 0,
	    (struct sockaddr *)&a, &len));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("recvfrom waited 50 ms: %d\n", elapsed_ms(&t0, &t1) >= 50);
	T("SO_SNDTIMEO", setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv,
	    sizeof(tv)));
	close(c);
	close(s);
	close(l);
}

/* Options of the levels AF_UNIX has not: the level's and length's
 * checks, and IP's single-byte values. */
static void
options(void)
{
	static char	 big[70000];
	unsigned char	 c = 7;
	socklen_t	 len;
	int		 t = socket(AF_INET, SOCK_STREAM, 0);
	int		 u = socket(AF_INET, SOCK_DGRAM, 0);
	int		 t6 = socket(AF_INET6, SOCK_STREAM, 0);
	int		 v = 1;

	T("TCP_NODELAY len 2", setsockopt(t, IPPROTO_TCP, TCP_NODELAY, &v,
	    2));
	T("TCP_NODELAY NULL", setsockopt(t, IPPROTO_TCP, TCP_NODELAY, NULL,
	    sizeof(v)));
	T("TCP_NODELAY on udp", setsockopt(u, IPPROTO_TCP, TCP_NODELAY, &v,
	    sizeof(v)));
	T("UDP_CORK len 2", setsockopt(u, IPPROTO_UDP, UDP_CORK, &v, 2));
	T("UDP_CORK on tcp", setsockopt(t, IPPROTO_UDP, UDP_CORK, &v,
	    sizeof(v)));
	T("IP_TOS len 1", setsockopt(u, IPPROTO_IP, IP_TOS, &c, 1));
	len = sizeof(v);
	v = -1;
	T("IP_TOS get", getsockopt(u, IPPROTO_IP, IP_TOS, &v, &len));
	printf("IP_TOS is %d\n", v);
	T("IP_TTL len 0", setsockopt(u, IPPROTO_IP, IP_TTL, &v, 0));
	T("IPV6_V6ONLY len 2", setsockopt(t6, IPPROTO_IPV6, IPV6_V6ONLY, &v,
	    2));
	T("IPV6_V6ONLY on inet", setsockopt(t, IPPROTO_IPV6, IPV6_V6ONLY, &v,
	    sizeof(v)));
	len = sizeof(v);
	T("IPV6_V6ONLY get on inet", getsockopt(t, IPPROTO_IPV6, IPV6_V6ONLY,
	    &v, &len));
	T("udp send MSG_OOB", send(u, "x", 1, MSG_OOB));
	T("udp send 70000", send(u, big, sizeof(big), 0));
	close(t);
	close(u);
	close(t6);
}

/* IPV6_V6ONLY: a :: listener with it shares its port with a 0.0.0.0 one
 * and leaves IPv4 to it; without it, the port is taken. */
static void
dualstack(void)
{
	struct sockaddr_in6	 a6;
	struct sockaddr_in	 a = in4("0.0.0.0", 0);
	socklen_t		 len = sizeof(a);
	int			 l4, l6, c, off = 0, on = 1, port;

	l4 = socket(AF_INET, SOCK_STREAM, 0);
	(void)bind(l4, (struct sockaddr *)&a, sizeof(a));
	(void)listen(l4, 1);
	(void)getsockname(l4, (struct sockaddr *)&a, &len);
	port = ntohs(a.sin_port);
	memset(&a6, 0, sizeof(a6));
	a6.sin6_family = AF_INET6;
	a6.sin6_port = htons((uint16_t)port);
	l6 = socket(AF_INET6, SOCK_STREAM, 0);
	(void)setsockopt(l6, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
	T("bind :: beside 0.0.0.0", bind(l6, (struct sockaddr *)&a6,
	    sizeof(a6)));
	close(l6);
	l6 = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK, 0);
	(void)setsockopt(l6, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
	T("bind :: V6ONLY beside 0.0.0.0", bind(l6, (struct sockaddr *)&a6,
	    sizeof(a6)));
	T("listen", listen(l6, 1));
	a = in4("127.0.0.1", port);
	c = socket(AF_INET, SOCK_STREAM, 0);
	T("connect 127.0.0.1", connect(c, (struct sockaddr *)&a, sizeof(a)));
	T("accepted by ::", accept(l6, NULL, NULL));
	close(c);
	close(l6);
	close(l4);
}

int
main(void)
{
	long	 pg = sysconf(_SC_PAGESIZE);
	char	*m;

	m = mmap(NULL, 3 * pg, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED || munmap(m + pg, pg) == -1 ||
	    mprotect(m + 2 * pg, pg, PROT_READ) == -1) {
		perror("sockerr: mmap");
		return 2;
	}
	page_end = m + pg;
	ro = m + 2 * pg;
	creation();
	names();
	transfer();
	nonblocking();
	options();
	dualstack();
	return 0;
}
