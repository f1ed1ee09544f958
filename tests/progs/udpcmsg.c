/*
 * udpcmsg: the ancillary data a UDP socket on loopback asks for with
 * IP_PKTINFO, IP_RECVTTL and IP_RECVTOS (IPv4) and IPV6_RECVPKTINFO,
 * IPV6_RECVHOPLIMIT and IPV6_RECVTCLASS (IPv6): every control message as
 * it came, then the same with a control buffer too small for them all
 * (MSG_CTRUNC, and what length the kernel reports).  Prints one line per
 * message.
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <err.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void
show(struct msghdr *m, ssize_t n)
{
	struct cmsghdr		*c;
	struct in_pktinfo	 p4;
	struct in6_pktinfo	 p6;
	char			 a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	int			 v;

	printf("  got %zd, controllen %zu, ctrunc %d\n", n,
	    (size_t)m->msg_controllen, (m->msg_flags & MSG_CTRUNC) != 0);
	for (c = CMSG_FIRSTHDR(m); c != NULL; c = CMSG_NXTHDR(m, c)) {
		printf("  cmsg level %d type %d len %zu", c->cmsg_level,
		    c->cmsg_type, (size_t)c->cmsg_len);
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO &&
		    c->cmsg_len == CMSG_LEN(sizeof(p4))) {
			memcpy(&p4, CMSG_DATA(c), sizeof(p4));
			inet_ntop(AF_INET, &p4.ipi_spec_dst, a, sizeof(a));
			inet_ntop(AF_INET, &p4.ipi_addr, b, sizeof(b));
			printf(": ifindex %d spec_dst %s addr %s",
			    p4.ipi_ifindex, a, b);
		} else if (c->cmsg_level == IPPROTO_IPV6 &&
		    c->cmsg_type == IPV6_PKTINFO &&
		    c->cmsg_len == CMSG_LEN(sizeof(p6))) {
			memcpy(&p6, CMSG_DATA(c), sizeof(p6));
			inet_ntop(AF_INET6, &p6.ipi6_addr, a, sizeof(a));
			printf(": ifindex %u addr %s", p6.ipi6_ifindex, a);
		} else if (c->cmsg_level == IPPROTO_IP &&
		    c->cmsg_type == IP_TOS && c->cmsg_len == CMSG_LEN(1))
			printf(": %u", *(unsigned char *)CMSG_DATA(c));
		else if (c->cmsg_len == CMSG_LEN(sizeof(v))) {
			memcpy(&v, CMSG_DATA(c), sizeof(v));
			printf(": %d", v);
		}
		printf("\n");
	}
}

static void
one(int family, const int *opts, size_t nopts)
{
	struct sockaddr_storage	 ss, from;
	struct msghdr		 m;
	struct iovec		 iov;
	socklen_t		 len = sizeof(ss);
	char			 buf[64], control[256];
	size_t			 i, small[] = { 256, 40, 20, 8 };
	int			 r, s, level, on = 1;

	level = family == AF_INET ? IPPROTO_IP : IPPROTO_IPV6;
	memset(&ss, 0, sizeof(ss));
	ss.ss_family = family;
	if (family == AF_INET)
		inet_pton(AF_INET, "127.0.0.1",
		    &((struct sockaddr_in *)&ss)->sin_addr);
	else
		inet_pton(AF_INET6, "::1",
		    &((struct sockaddr_in6 *)&ss)->sin6_addr);
	if ((r = socket(family, SOCK_DGRAM, 0)) == -1 ||
	    (s = socket(family, SOCK_DGRAM, 0)) == -1 ||
	    bind(r, (struct sockaddr *)&ss, family == AF_INET ?
	    sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6)) == -1 ||
	    getsockname(r, (struct sockaddr *)&ss, &len) == -1)
		err(1, "socket");
	for (i = 0; i < nopts; i++)
		if (setsockopt(r, level, opts[i], &on, sizeof(on)) == -1)
			err(1, "setsockopt %d", opts[i]);
	printf("%s\n", family == AF_INET ? "ipv4" : "ipv6");
	for (i = 0; i < sizeof(small) / sizeof(small[0]); i++) {
		if (sendto(s, "ping", 4, 0, (struct sockaddr *)&ss, len) != 4)
			err(1, "sendto");
		memset(&m, 0, sizeof(m));
		memset(control, 0, sizeof(control));
		iov.iov_base = buf;
		iov.iov_len = sizeof(buf);
		m.msg_iov = &iov;
		m.msg_iovlen = 1;
		m.msg_control = control;
		m.msg_controllen = small[i];
		/* with the sender's address the first time only */
		if (i == 0) {
			m.msg_name = &from;
			m.msg_namelen = sizeof(from);
		}
		printf(" control %zu\n", small[i]);
		show(&m, recvmsg(r, &m, 0));
	}
	close(r);
	close(s);
}

int
main(void)
{
	static const int	 v4[] = { IP_PKTINFO, IP_RECVTTL, IP_RECVTOS };
	static const int	 v6[] = { IPV6_RECVPKTINFO, IPV6_RECVHOPLIMIT,
				    IPV6_RECVTCLASS };

	setvbuf(stdout, NULL, _IOLBF, 0);
	one(AF_INET, v4, 3);
	one(AF_INET6, v6, 3);
	return 0;
}
