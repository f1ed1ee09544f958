/*
 * udpsize: the largest UDP datagram on loopback, one case per line
 * ("case: result", the errno name on failure): 65507 bytes over IPv4
 * (and from an IPv6 socket to an IPv4-mapped address), 65527 over IPv6;
 * more is EMSGSIZE whoever it is for, after the address's own checks.
 * Natively this is the kernel's answer; --sandbox must give the same.
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char	 big[70000];

static void
report(const char *what, size_t n, long r)
{
	if (r < 0)
		printf("%s %zu: -1 %s\n", what, n, strerrorname_np(errno));
	else
		printf("%s %zu: %ld\n", what, n, r);
	fflush(stdout);
}

/* A bound receiver of family f (its address in a), and one freed port
 * nobody uses (in gone). */
static int
receiver(int f, struct sockaddr_in6 *a, struct sockaddr_in6 *gone)
{
	socklen_t	 len = sizeof(*a);
	int		 r, s;

	memset(a, 0, sizeof(*a));
	if (f == AF_INET) {
		((struct sockaddr_in *)a)->sin_family = AF_INET;
		((struct sockaddr_in *)a)->sin_addr.s_addr =
		    htonl(INADDR_LOOPBACK);
	} else {
		a->sin6_family = AF_INET6;
		a->sin6_addr = in6addr_loopback;
	}
	*gone = *a;
	s = socket(f, SOCK_DGRAM, 0);
	bind(s, (struct sockaddr *)gone, sizeof(*gone));
	getsockname(s, (struct sockaddr *)gone, &len);
	close(s);
	r = socket(f, SOCK_DGRAM, 0);
	bind(r, (struct sockaddr *)a, sizeof(*a));
	len = sizeof(*a);
	getsockname(r, (struct sockaddr *)a, &len);
	return r;
}

/* Reads what r got: an AF_UNIX sender under the sandbox waits for room
 * in its receiver's queue, where UDP's would drop the datagram. */
static void
drain(int r)
{
	static char	 in[sizeof(big)];

	while (recv(r, in, sizeof(in), MSG_DONTWAIT) >= 0)
		;
}

static void
sizes(const char *what, int s, const struct sockaddr_in6 *to, const size_t *n,
    int r)
{
	struct iovec	 iov = { .iov_base = big };
	struct msghdr	 m;
	int		 i;

	for (i = 0; n[i] != 0; i++) {
		if (to != NULL)
			report(what, n[i], sendto(s, big, n[i], 0,
			    (const struct sockaddr *)to, sizeof(*to)));
		else
			report(what, n[i], send(s, big, n[i], 0));
		memset(&m, 0, sizeof(m));
		iov.iov_len = n[i];
		m.msg_iov = &iov;
		m.msg_iovlen = 1;
		m.msg_name = (void *)to;
		m.msg_namelen = to != NULL ? sizeof(*to) : 0;
		report("  sendmsg", n[i], sendmsg(s, &m, 0));
		drain(r);
	}
}

int
main(void)
{
	static const size_t	 v4[] = { 65507, 65508, 65535, 65536, 0 };
	static const size_t	 v6[] = { 65527, 65528, 0 };
	struct sockaddr_in6	 a, gone, mapped;
	struct sockaddr_in	*sin;
	int			 r, s;

	r = receiver(AF_INET, &a, &gone);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	sizes("udp unconnected", s, NULL, v4, r);
	sizes("udp sendto", s, &a, v4, r);
	sizes("udp sendto nobody", s, &gone, v4, r);
	connect(s, (struct sockaddr *)&gone, sizeof(gone));
	sizes("udp connected nobody", s, NULL, v4, r);
	connect(s, (struct sockaddr *)&a, sizeof(a));
	sizes("udp connected", s, NULL, v4, r);
	close(s);
	/* an IPv6 socket to the IPv4 receiver, IPv4-mapped */
	sin = (struct sockaddr_in *)&a;
	memset(&mapped, 0, sizeof(mapped));
	mapped.sin6_family = AF_INET6;
	mapped.sin6_port = sin->sin_port;
	mapped.sin6_addr.s6_addr[10] = mapped.sin6_addr.s6_addr[11] = 0xff;
	memcpy(&mapped.sin6_addr.s6_addr[12], &sin->sin_addr, 4);
	s = socket(AF_INET6, SOCK_DGRAM, 0);
	sizes("udp6 sendto mapped", s, &mapped, v4, r);
	connect(s, (struct sockaddr *)&mapped, sizeof(mapped));
	sizes("udp6 connected mapped", s, NULL, v4, r);
	close(s);
	close(r);
	r = receiver(AF_INET6, &a, &gone);
	s = socket(AF_INET6, SOCK_DGRAM, 0);
	sizes("udp6 sendto", s, &a, v6, r);
	sizes("udp6 sendto nobody", s, &gone, v6, r);
	connect(s, (struct sockaddr *)&a, sizeof(a));
	sizes("udp6 connected", s, NULL, v6, r);
	close(s);
	close(r);
	return 0;
}
