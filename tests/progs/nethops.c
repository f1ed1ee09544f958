/*
 * nethops: UDP datagrams on loopback carry the hop limit and traffic
 * class (IPv4: TTL and TOS) their sender gave them, by a message of the
 * sendmsg or an option of its socket, to a receiver that asked for them;
 * messages of a wrong size or value are refused (EINVAL).  One send per
 * line ("send: result", the errno name on failure) and the IP-level
 * messages received ("  level/type len: value").  Natively this is the
 * kernel's answer; --sandbox must give the same.
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int	 rx, tx, family;

static void
report(const char *what, long r)
{
	if (r < 0)
		printf("%s: -1 %s\n", what, strerrorname_np(errno));
	else
		printf("%s: %ld\n", what, r);
	fflush(stdout);
}

/* Sends "data" with the messages (level, type, value, size) given, then
 * receives and prints it if it was sent. */
static void
send_with(const char *what, int n, const int *lv, const int *ty,
    const int *val, const int *size)
{
	union {
		char		 buf[256];
		struct cmsghdr	 align;
	} c;
	struct iovec	 iov = { .iov_base = "data", .iov_len = 4 };
	struct msghdr	 m = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr	*h;
	char		 got[16];
	long		 r;
	int		 i, v;

	memset(&c, 0, sizeof(c));
	m.msg_control = n > 0 ? c.buf : NULL;
	for (i = 0, m.msg_controllen = 0; i < n; i++) {
		h = (struct cmsghdr *)(c.buf + m.msg_controllen);
		h->cmsg_level = lv[i];
		h->cmsg_type = ty[i];
		h->cmsg_len = CMSG_LEN(size[i]);
		memcpy(CMSG_DATA(h), &val[i], size[i]);
		m.msg_controllen += CMSG_SPACE(size[i]);
	}
	r = sendmsg(tx, &m, 0);
	report(what, r);
	if (r < 0)
		return;
	memset(&c, 0, sizeof(c));
	iov.iov_base = got;
	iov.iov_len = sizeof(got);
	m.msg_control = c.buf;
	m.msg_controllen = sizeof(c.buf);
	report("  recvmsg", recvmsg(rx, &m, 0));
	for (h = CMSG_FIRSTHDR(&m); h != NULL; h = CMSG_NXTHDR(&m, h)) {
		v = 0;
		memcpy(&v, CMSG_DATA(h), h->cmsg_len - CMSG_LEN(0) < sizeof(v) ?
		    h->cmsg_len - CMSG_LEN(0) : sizeof(v));
		printf("  %d/%d %zu: %d\n", h->cmsg_level, h->cmsg_type,
		    (size_t)(h->cmsg_len - CMSG_LEN(0)), v);
	}
}

#define SEND(what, ...) do {						\
	int	 spec[][4] = { __VA_ARGS__ };				\
	int	 lv[8], ty[8], val[8], sz[8], k;			\
	int	 cnt = (int)(sizeof(spec) / sizeof(spec[0]));		\
	for (k = 0; k < cnt; k++) {					\
		lv[k] = spec[k][0]; ty[k] = spec[k][1];			\
		val[k] = spec[k][2]; sz[k] = spec[k][3];		\
	}								\
	send_with(what, spec[0][3] ? cnt : 0, lv, ty, val, sz);		\
} while (0)

static void
pair(int fam)
{
	struct sockaddr_storage	 a;
	socklen_t		 len = sizeof(a);
	int			 on = 1;

	family = fam;
	memset(&a, 0, sizeof(a));
	a.ss_family = fam;
	if (fam == AF_INET)
		((struct sockaddr_in *)&a)->sin_addr.s_addr =
		    htonl(INADDR_LOOPBACK);
	else
		((struct sockaddr_in6 *)&a)->sin6_addr = in6addr_loopback;
	rx = socket(fam, SOCK_DGRAM, 0);
	tx = socket(fam, SOCK_DGRAM, 0);
	if (bind(rx, (struct sockaddr *)&a, fam == AF_INET ?
	    sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6)) == -1 ||
	    getsockname(rx, (struct sockaddr *)&a, &len) == -1 ||
	    connect(tx, (struct sockaddr *)&a, len) == -1)
		perror("pair");
	if (fam == AF_INET) {
		setsockopt(rx, IPPROTO_IP, IP_RECVTTL, &on, sizeof(on));
		setsockopt(rx, IPPROTO_IP, IP_RECVTOS, &on, sizeof(on));
	} else {
		setsockopt(rx, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &on,
		    sizeof(on));
		setsockopt(rx, IPPROTO_IPV6, IPV6_RECVTCLASS, &on, sizeof(on));
	}
}

int
main(void)
{
	int	 v;

	pair(AF_INET6);
	SEND("udp6 defaults", { 0, 0, 0, 0 });
	SEND("udp6 hop limit 2", { IPPROTO_IPV6, IPV6_HOPLIMIT, 2, 4 });
	SEND("udp6 traffic class 0x20, hop limit 3",
	    { IPPROTO_IPV6, IPV6_TCLASS, 0x20, 4 },
	    { IPPROTO_IPV6, IPV6_HOPLIMIT, 3, 4 });
	SEND("udp6 traffic class of 5 bytes",
	    { IPPROTO_IPV6, IPV6_TCLASS, 0x20, 5 },
	    { IPPROTO_IPV6, IPV6_HOPLIMIT, 3, 4 });
	SEND("udp6 hop limit 256", { IPPROTO_IPV6, IPV6_HOPLIMIT, 256, 4 });
	v = 7;
	setsockopt(tx, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &v, sizeof(v));
	v = 0x40;
	setsockopt(tx, IPPROTO_IPV6, IPV6_TCLASS, &v, sizeof(v));
	SEND("udp6 the socket's 7 and 0x40", { 0, 0, 0, 0 });
	SEND("udp6 hop limit -1", { IPPROTO_IPV6, IPV6_HOPLIMIT, -1, 4 });
	report("udp6 send", send(tx, "data", 4, 0));
	SEND("udp6 and what comes after", { 0, 0, 0, 0 });
	close(rx);
	close(tx);

	pair(AF_INET);
	SEND("udp defaults", { 0, 0, 0, 0 });
	SEND("udp ttl 3, tos 0x10", { IPPROTO_IP, IP_TTL, 3, 4 },
	    { IPPROTO_IP, IP_TOS, 0x10, 1 });
	SEND("udp ttl 0", { IPPROTO_IP, IP_TTL, 0, 4 });
	SEND("udp tos of 2 bytes", { IPPROTO_IP, IP_TOS, 0x10, 2 });
	v = 9;
	setsockopt(tx, IPPROTO_IP, IP_TTL, &v, sizeof(v));
	SEND("udp the socket's ttl 9", { 0, 0, 0, 0 });
	return 0;
}
