/*
 * net_reach: what the sandbox's virtual network lets through, for
 * --sandbox (a native run would send real packets):
 *	- TCP connects to a port nobody listens on, and outside the machine;
 *	- a datagram to nobody, and a UDP connect;
 *	- a dual-stack IPv6 listener reached over IPv4 and over ::1;
 *	- SO_DOMAIN/SO_PROTOCOL, getaddrinfo("localhost"), a raw socket;
 *	- a listener's fd dup'ed, the original closed, the dup accepting;
 *	- a datagram to a UDP socket connected to another one;
 *	- the interfaces of SIOCGIFCONF, and SIOCGIF* queries.
 * Prints one line per check, addresses included.
 */
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <err.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *
name(const struct sockaddr *sa)
{
	static char	 buf[80];
	char		 ip[INET6_ADDRSTRLEN];

	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s = (const void *)sa;

		inet_ntop(AF_INET, &s->sin_addr, ip, sizeof(ip));
		snprintf(buf, sizeof(buf), "%s:%u", ip, ntohs(s->sin_port));
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s = (const void *)sa;

		inet_ntop(AF_INET6, &s->sin6_addr, ip, sizeof(ip));
		snprintf(buf, sizeof(buf), "[%s]:%u", ip, ntohs(s->sin6_port));
	} else
		snprintf(buf, sizeof(buf), "family %d", sa->sa_family);
	return buf;
}

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

static void
try_connect(int type, const char *ip, int port)
{
	struct sockaddr_in	 s = in4(ip, port);
	int			 fd;

	if ((fd = socket(AF_INET, type, 0)) == -1)
		err(1, "socket");
	printf("%s connect %s: %s\n", type == SOCK_STREAM ? "tcp" : "udp",
	    name((struct sockaddr *)&s),
	    connect(fd, (struct sockaddr *)&s, sizeof(s)) == 0 ? "ok" :
	    strerrorname_np(errno));
	close(fd);
}

static void
dual_stack(void)
{
	struct sockaddr_in6	 s6, peer;
	struct sockaddr_in	 s4;
	socklen_t		 len;
	int			 lfd, fd, c, i, zero = 0;

	if ((lfd = socket(AF_INET6, SOCK_STREAM, 0)) == -1)
		err(1, "socket6");
	(void)setsockopt(lfd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	memset(&s6, 0, sizeof(s6));
	s6.sin6_family = AF_INET6;
	s6.sin6_addr = in6addr_any;
	s6.sin6_port = htons(8080);
	if (bind(lfd, (struct sockaddr *)&s6, sizeof(s6)) == -1 ||
	    listen(lfd, 4) == -1)
		err(1, "bind6");
	len = sizeof(s6);
	if (getsockname(lfd, (struct sockaddr *)&s6, &len) == -1)
		err(1, "getsockname");
	printf("v6 listener %s len %u\n", name((struct sockaddr *)&s6), len);
	/* the listener goes on as a dup of itself */
	if ((fd = dup(lfd)) == -1)
		err(1, "dup");
	close(lfd);
	lfd = fd;
	for (i = 0; i < 2; i++) {
		if (i == 0) {
			s4 = in4("127.0.0.1", 8080);
			c = socket(AF_INET, SOCK_STREAM, 0);
			if (connect(c, (struct sockaddr *)&s4, sizeof(s4)))
				err(1, "connect v4");
		} else {
			s6.sin6_addr = in6addr_loopback;
			c = socket(AF_INET6, SOCK_STREAM, 0);
			if (connect(c, (struct sockaddr *)&s6, sizeof(s6)))
				err(1, "connect v6");
		}
		len = sizeof(peer);
		if ((fd = accept(lfd, (struct sockaddr *)&peer, &len)) == -1)
			err(1, "accept");
		printf("v6 listener accepted %s\n",
		    name((struct sockaddr *)&peer));
		close(fd);
		close(c);
	}
	/* the wildcard listener is not an address outside */
	try_connect(SOCK_STREAM, "10.1.2.3", 8080);
	close(lfd);
}

/* A datagram to a UDP socket connected to another one is dropped. */
static void
udp_connected_elsewhere(void)
{
	struct sockaddr_in	 s[3];
	socklen_t		 len;
	int			 fd[3], i;

	for (i = 0; i < 3; i++) {
		s[i] = in4("127.0.0.1", 0);
		len = sizeof(s[i]);
		if ((fd[i] = socket(AF_INET, SOCK_DGRAM, 0)) == -1 ||
		    bind(fd[i], (struct sockaddr *)&s[i], sizeof(s[i])) ||
		    getsockname(fd[i], (struct sockaddr *)&s[i], &len))
			err(1, "udp socket");
	}
	if (connect(fd[0], (struct sockaddr *)&s[1], sizeof(s[1])))
		err(1, "connect");
	printf("udp send to a socket connected elsewhere: %zd\n",
	    sendto(fd[2], "lost", 4, 0, (struct sockaddr *)&s[0],
	    sizeof(s[0])));
	for (i = 0; i < 3; i++)
		close(fd[i]);
}

static void
interfaces(void)
{
	struct ifreq	 ifr[16];
	struct ifconf	 ifc;
	int		 fd, i, n;

	if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) == -1)
		err(1, "socket");
	ifc.ifc_len = sizeof(ifr);
	ifc.ifc_req = ifr;
	if (ioctl(fd, SIOCGIFCONF, &ifc) == -1)
		err(1, "SIOCGIFCONF");
	n = ifc.ifc_len / (int)sizeof(ifr[0]);
	for (i = 0; i < n; i++)
		printf("interface %s %s\n", ifr[i].ifr_name,
		    name(&ifr[i].ifr_addr));
	memset(&ifr[0], 0, sizeof(ifr[0]));
	strcpy(ifr[0].ifr_name, "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr[0]) == -1)
		err(1, "SIOCGIFFLAGS");
	printf("lo flags%s%s\n", ifr[0].ifr_flags & IFF_UP ? " up" : "",
	    ifr[0].ifr_flags & IFF_LOOPBACK ? " loopback" : "");
	strcpy(ifr[0].ifr_name, "eth0");
	printf("eth0 index: %s\n", ioctl(fd, SIOCGIFINDEX, &ifr[0]) == -1 ?
	    strerrorname_np(errno) : "found");
	close(fd);
}

int
main(void)
{
	struct addrinfo		 hints, *res;
	struct sockaddr_in	 s;
	socklen_t		 len;
	int			 fd, v, e;

	setvbuf(stdout, NULL, _IOLBF, 0);
	try_connect(SOCK_STREAM, "127.0.0.1", 9);
	try_connect(SOCK_STREAM, "10.1.2.3", 80);
	try_connect(SOCK_STREAM, "93.184.216.34", 443);
	try_connect(SOCK_DGRAM, "127.0.0.1", 9);

	if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) == -1)
		err(1, "socket");
	s = in4("127.0.0.1", 9);
	printf("udp send to nobody: %zd\n", sendto(fd, "lost", 4, 0,
	    (struct sockaddr *)&s, sizeof(s)));
	s = in4("10.1.2.3", 53);
	printf("udp send outside: %s\n", sendto(fd, "lost", 4, 0,
	    (struct sockaddr *)&s, sizeof(s)) == -1 ? strerrorname_np(errno) :
	    "sent");
	len = sizeof(v);
	getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &v, &len);
	printf("SO_DOMAIN %s", v == AF_INET ? "AF_INET" : "other");
	getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &v, &len);
	printf(" SO_PROTOCOL %s\n", v == IPPROTO_UDP ? "IPPROTO_UDP" : "other");
	close(fd);
	printf("raw socket: %s\n", socket(AF_INET, SOCK_RAW, IPPROTO_ICMP) ==
	    -1 ? strerrorname_np(errno) : "ok");

	dual_stack();
	udp_connected_elsewhere();
	interfaces();

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_STREAM;
	if ((e = getaddrinfo("localhost", "8000", &hints, &res)) != 0)
		errx(1, "getaddrinfo: %s", gai_strerror(e));
	printf("getaddrinfo localhost: %s\n", name(res->ai_addr));
	freeaddrinfo(res);
	return 0;
}
