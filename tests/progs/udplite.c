/*
 * udplite: UDP-Lite sockets (IPPROTO_UDPLITE) of both families on
 * loopback: a datagram each way, and the checksum coverage options as the
 * kernel takes them (0, at least 8, at most 65535; UDP-Lite's only).
 * One case per line; --sandbox must print what the kernel does.
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifndef UDPLITE_SEND_CSCOV
#define UDPLITE_SEND_CSCOV	10
#define UDPLITE_RECV_CSCOV	11
#endif

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
set(int fd, int level, int name, int v)
{
	char	 what[64];

	snprintf(what, sizeof(what), "  set %d/%d to %d", level, name, v);
	T(what, setsockopt(fd, level, name, &v, sizeof(v)));
}

static void
get(int fd, int level, int name)
{
	socklen_t	 len = sizeof(int);
	char		 what[64];
	int		 v = -1;

	snprintf(what, sizeof(what), "  get %d/%d", level, name);
	T(what, getsockopt(fd, level, name, &v, &len));
	printf("    = %d (len %u)\n", v, len);
}

static void
options(int family)
{
	int	 s = socket(family, SOCK_DGRAM, IPPROTO_UDPLITE);
	int	 u = socket(family, SOCK_DGRAM, 0);
	short	 v = 1;

	get(s, SOL_SOCKET, SO_PROTOCOL);
	get(s, IPPROTO_UDPLITE, UDPLITE_SEND_CSCOV);
	set(s, IPPROTO_UDPLITE, UDPLITE_SEND_CSCOV, 20);
	get(s, IPPROTO_UDPLITE, UDPLITE_SEND_CSCOV);
	set(s, IPPROTO_UDPLITE, UDPLITE_RECV_CSCOV, 5);
	get(s, IPPROTO_UDPLITE, UDPLITE_RECV_CSCOV);
	set(s, IPPROTO_UDPLITE, UDPLITE_SEND_CSCOV, 0);
	get(s, IPPROTO_UDPLITE, UDPLITE_SEND_CSCOV);
	set(s, IPPROTO_UDPLITE, UDPLITE_SEND_CSCOV, -5);
	get(s, IPPROTO_UDP, UDPLITE_SEND_CSCOV);
	set(s, IPPROTO_UDP, UDPLITE_RECV_CSCOV, 100000);
	get(s, IPPROTO_UDPLITE, UDPLITE_RECV_CSCOV);
	T("  set short", setsockopt(s, IPPROTO_UDPLITE, UDPLITE_SEND_CSCOV,
	    &v, sizeof(v)));
	get(u, SOL_SOCKET, SO_PROTOCOL);
	get(u, IPPROTO_UDPLITE, UDPLITE_SEND_CSCOV);
	set(u, IPPROTO_UDPLITE, UDPLITE_SEND_CSCOV, 20);
	T("  stream", socket(family, SOCK_STREAM, IPPROTO_UDPLITE));
	close(s);
	close(u);
}

static void
exchange(int family)
{
	struct sockaddr_storage	 a, from;
	socklen_t		 len = sizeof(a);
	char			 buf[16], host[64];
	int			 s = socket(family, SOCK_DGRAM, IPPROTO_UDPLITE);
	int			 c = socket(family, SOCK_DGRAM, IPPROTO_UDPLITE);
	ssize_t			 n;

	memset(&a, 0, sizeof(a));
	a.ss_family = (sa_family_t)family;
	if (family == AF_INET)
		((struct sockaddr_in *)&a)->sin_addr.s_addr =
		    htonl(INADDR_LOOPBACK);
	else
		((struct sockaddr_in6 *)&a)->sin6_addr = in6addr_loopback;
	T("  bind", bind(s, (struct sockaddr *)&a, (socklen_t)(family ==
	    AF_INET ? sizeof(struct sockaddr_in) :
	    sizeof(struct sockaddr_in6))));
	(void)getsockname(s, (struct sockaddr *)&a, &len);
	T("  sendto", sendto(c, "lite", 4, 0, (struct sockaddr *)&a, len));
	len = sizeof(from);
	n = recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);
	T("  recvfrom", n);
	(void)getnameinfo((struct sockaddr *)&from, len, host, sizeof(host),
	    NULL, 0, NI_NUMERICHOST);
	printf("    %.*s from %s\n", (int)(n > 0 ? n : 0), buf, host);
	T("  sendto back", sendto(s, "back", 4, 0, (struct sockaddr *)&from,
	    len));
	T("  recv", recv(c, buf, sizeof(buf), 0));
	close(s);
	close(c);
}

int
main(void)
{
	printf("AF_INET\n");
	options(AF_INET);
	exchange(AF_INET);
	printf("AF_INET6\n");
	options(AF_INET6);
	exchange(AF_INET6);
	return 0;
}
