/*
 * udpcmsg: the ancillary data a UDP socket on loopback asks for with
 * IP_PKTINFO, IP_RECVTTL and IP_RECVTOS (IPv4) and IPV6_RECVPKTINFO,
 * IPV6_RECVHOPLIMIT and IPV6_RECVTCLASS (IPv6): every control message as
 * it came, then the same with a control buffer too small for them all
 * (MSG_CTRUNC, and what length the kernel reports); the same through
 * recvmmsg, and sendmmsg/recvmmsg of more messages than a few.  Prints
 * one line per message.
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

/*
 * The same through recvmmsg, one control buffer size per message, and
 * then MANY datagrams at once through sendmmsg and recvmmsg, with their
 * addresses: how many each call took, and where they came from.
 */
#define NSMALL	4
/* at most 10: an AF_UNIX datagram socket queues no more (max_dgram_qlen),
 * and the virtual network is made of them (CAVEATS) */
#define MANY	10

static void
batch(int r, int s, struct sockaddr_storage *to, socklen_t tolen,
    const size_t *small)
{
	struct sockaddr_storage	 from[MANY], me;
	struct mmsghdr		 mm[MANY];
	struct iovec		 iov[MANY];
	socklen_t		 len = sizeof(me);
	char			 buf[MANY][8], control[NSMALL][256];
	int			 i, n, same = 0;

	memset(mm, 0, sizeof(mm));
	for (i = 0; i < NSMALL; i++) {
		if (sendto(s, "ping", 4, 0, (struct sockaddr *)to, tolen) != 4)
			err(1, "sendto");
		iov[i].iov_base = buf[i];
		iov[i].iov_len = sizeof(buf[i]);
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
		mm[i].msg_hdr.msg_control = control[i];
		mm[i].msg_hdr.msg_controllen = small[i];
	}
	memset(control, 0, sizeof(control));
	n = recvmmsg(r, mm, NSMALL, 0, NULL);
	printf(" recvmmsg: %d\n", n);
	for (i = 0; i < n; i++) {
		printf(" control %zu\n", small[i]);
		show(&mm[i].msg_hdr, mm[i].msg_len);
	}

	memset(mm, 0, sizeof(mm));
	for (i = 0; i < MANY; i++) {
		iov[i].iov_base = buf[i];
		iov[i].iov_len = (size_t)snprintf(buf[i], sizeof(buf[i]),
		    "%d", i);
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
		mm[i].msg_hdr.msg_name = to;
		mm[i].msg_hdr.msg_namelen = tolen;
	}
	printf(" sendmmsg %d: %d\n", MANY, sendmmsg(s, mm, MANY, 0));
	memset(mm, 0, sizeof(mm));
	for (i = 0; i < MANY; i++) {
		iov[i].iov_base = buf[i];
		iov[i].iov_len = sizeof(buf[i]);
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
		mm[i].msg_hdr.msg_name = &from[i];
		mm[i].msg_hdr.msg_namelen = sizeof(from[i]);
	}
	n = recvmmsg(r, mm, MANY, MSG_DONTWAIT, NULL);
	if (getsockname(s, (struct sockaddr *)&me, &len) == -1)
		err(1, "getsockname");
	/* the same port (sin_port and sin6_port are at one offset) */
	for (i = 0; i < n; i++)
		same += mm[i].msg_hdr.msg_namelen == len &&
		    ((struct sockaddr_in *)&from[i])->sin_port ==
		    ((struct sockaddr_in *)&me)->sin_port &&
		    mm[i].msg_len == 1;
	printf(" recvmmsg %d: %d, %d from the sender\n", MANY, n, same);
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
	batch(r, s, &ss, len, small);
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
