/*
 * -yy: a socket's endpoints, asked of the kernel through NETLINK_SOCK_DIAG
 * (what ss(8) uses): an AF_UNIX socket is looked up by its inode, with
 * its name and its peer's inode; TCP and UDP sockets by a dump of the
 * family's sockets, matched on the inode.  The text follows strace -yy:
 *	TCP:[127.0.0.1:40000->127.0.0.1:8000]	TCPv6:[[::1]:8000]
 *	UNIX-STREAM:[1234->1235]		UNIX:[1236,@"name"]
 *	NETLINK:[ROUTE:1234]
 */
#include <sys/socket.h>
#include <sys/un.h>
#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/in.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "decode/decode_impl.h"
#include "decode/decode_fdpath.h"

#define DIAG_BUF	16384

/* Sends req and hands each answer to fn until fn returns 1 (found) or
 * the dump ends; 0 when found, else -1. */
static int
diag_query(void *req, size_t reqlen,
    int (*fn)(const struct nlmsghdr *, void *), void *arg)
{
	struct sockaddr_nl	 nl = { .nl_family = AF_NETLINK };
	struct nlmsghdr		*h;
	static char		 buf[DIAG_BUF]
	    __attribute__((aligned(NLMSG_ALIGNTO)));
	ssize_t			 n;
	int			 fd, found = -1, done = 0;

	if ((fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
	    NETLINK_SOCK_DIAG)) == -1)
		return -1;
	if (sendto(fd, req, reqlen, 0, (struct sockaddr *)&nl,
	    sizeof(nl)) != (ssize_t)reqlen) {
		close(fd);
		return -1;
	}
	while (!done && found < 0 && (n = recv(fd, buf, sizeof(buf), 0)) > 0)
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n);
		    h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_DONE ||
			    h->nlmsg_type == NLMSG_ERROR) {
				done = 1;
				break;
			}
			if (fn(h, arg) == 1) {
				found = 0;
				break;
			}
		}
	close(fd);
	return found;
}

struct unix_answer {
	unsigned long	 ua_inode;
	uint32_t	 ua_peer;
	char		 ua_name[sizeof(((struct sockaddr_un *)0)->sun_path) + 1];
	size_t		 ua_namelen;
};

static int
unix_answer(const struct nlmsghdr *h, void *arg)
{
	struct unix_answer	*ua = arg;
	const struct unix_diag_msg *m = NLMSG_DATA(h);
	const struct rtattr	*a;
	unsigned int		 len;

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*m)) || m->udiag_ino !=
	    ua->ua_inode)
		return 0;
	len = h->nlmsg_len - NLMSG_LENGTH(sizeof(*m));
	for (a = (const struct rtattr *)(m + 1); RTA_OK(a, len);
	    a = RTA_NEXT(a, len)) {
		if (a->rta_type == UNIX_DIAG_PEER &&
		    (size_t)RTA_PAYLOAD(a) >= sizeof(uint32_t))
			memcpy(&ua->ua_peer, RTA_DATA(a), sizeof(uint32_t));
		else if (a->rta_type == UNIX_DIAG_NAME) {
			ua->ua_namelen = (size_t)RTA_PAYLOAD(a);
			if (ua->ua_namelen > sizeof(ua->ua_name) - 1)
				ua->ua_namelen = sizeof(ua->ua_name) - 1;
			memcpy(ua->ua_name, RTA_DATA(a), ua->ua_namelen);
		}
	}
	return 1;
}

static int
describe_unix(struct sbuf *sb, const char *proto, unsigned long inode)
{
	struct {
		struct nlmsghdr		h;
		struct unix_diag_req	r;
	} req = {
		.h = { .nlmsg_len = sizeof(req),
		    .nlmsg_type = SOCK_DIAG_BY_FAMILY,
		    .nlmsg_flags = NLM_F_REQUEST },
		.r = { .sdiag_family = AF_UNIX, .udiag_states = ~0U,
		    .udiag_ino = (uint32_t)inode,
		    .udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_PEER,
		    .udiag_cookie = { INET_DIAG_NOCOOKIE,
		    INET_DIAG_NOCOOKIE } },
	};
	struct unix_answer	 ua = { .ua_inode = inode };

	if (diag_query(&req, sizeof(req), unix_answer, &ua) < 0)
		return -1;
	sbuf_printf(sb, "%s:[%lu", proto, inode);
	if (ua.ua_peer != 0)
		sbuf_printf(sb, "->%u", ua.ua_peer);
	if (ua.ua_namelen > 0) {
		/* An abstract name starts with a NUL, shown as '@'. */
		sbuf_puts(sb, ",");
		if (ua.ua_name[0] == '\0') {
			sbuf_puts(sb, "@");
			sbuf_quote(sb, (unsigned char *)ua.ua_name + 1,
			    ua.ua_namelen - 1, DEC_PATHMAX, 1);
		} else
			sbuf_quote(sb, (unsigned char *)ua.ua_name,
			    strnlen(ua.ua_name, ua.ua_namelen), DEC_PATHMAX, 1);
	}
	sbuf_puts(sb, "]");
	return 0;
}

struct inet_answer {
	unsigned long		 ia_inode;
	struct inet_diag_msg	 ia_msg;
};

static int
inet_answer(const struct nlmsghdr *h, void *arg)
{
	struct inet_answer		*ia = arg;
	const struct inet_diag_msg	*m = NLMSG_DATA(h);

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*m)) || m->idiag_inode !=
	    ia->ia_inode)
		return 0;
	ia->ia_msg = *m;
	return 1;
}

static void
put_endpoint(struct sbuf *sb, int family, const uint32_t *addr,
    uint16_t port)
{
	char	 text[INET6_ADDRSTRLEN];

	if (inet_ntop(family, addr, text, sizeof(text)) == NULL)
		strlcpy(text, "?", sizeof(text));
	sbuf_printf(sb, family == AF_INET6 ? "[%s]:%u" : "%s:%u", text,
	    ntohs(port));
}

static int
describe_inet(struct sbuf *sb, const char *proto, unsigned long inode,
    int family, int protocol)
{
	struct {
		struct nlmsghdr		h;
		struct inet_diag_req_v2	r;
	} req = {
		.h = { .nlmsg_len = sizeof(req),
		    .nlmsg_type = SOCK_DIAG_BY_FAMILY,
		    .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP },
		.r = { .sdiag_family = (uint8_t)family,
		    .sdiag_protocol = (uint8_t)protocol,
		    .idiag_states = ~0U },
	};
	struct inet_answer	 ia = { .ia_inode = inode };
	const struct inet_diag_sockid *id = &ia.ia_msg.id;

	static const uint32_t	 any[4];

	/* Neither bound nor connected: only its inode says anything. */
	if (diag_query(&req, sizeof(req), inet_answer, &ia) < 0 ||
	    (id->idiag_sport == 0 && id->idiag_dport == 0 &&
	    memcmp(id->idiag_src, any, sizeof(any)) == 0))
		return -1;
	sbuf_printf(sb, "%s:[", proto);
	put_endpoint(sb, family, id->idiag_src, id->idiag_sport);
	if (id->idiag_dport != 0) {
		sbuf_puts(sb, "->");
		put_endpoint(sb, family, id->idiag_dst, id->idiag_dport);
	}
	sbuf_puts(sb, "]");
	return 0;
}

struct netlink_answer {
	unsigned long		 na_inode;
	struct netlink_diag_msg	 na_msg;
};

static int
netlink_answer(const struct nlmsghdr *h, void *arg)
{
	struct netlink_answer		*na = arg;
	const struct netlink_diag_msg	*m = NLMSG_DATA(h);

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*m)) || m->ndiag_ino !=
	    na->na_inode)
		return 0;
	na->na_msg = *m;
	return 1;
}

/* NETLINK:[ROUTE:1234], the protocol and the port id; an unbound one
 * (port 0) is known by its inode only. */
static int
describe_netlink(struct sbuf *sb, const char *proto, unsigned long inode)
{
	struct {
		struct nlmsghdr		h;
		struct netlink_diag_req	r;
	} req = {
		.h = { .nlmsg_len = sizeof(req),
		    .nlmsg_type = SOCK_DIAG_BY_FAMILY,
		    .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP },
		.r = { .sdiag_family = AF_NETLINK,
		    .sdiag_protocol = NDIAG_PROTO_ALL },
	};
	struct netlink_answer	 na = { .na_inode = inode };
	const char		*name;

	if (diag_query(&req, sizeof(req), netlink_answer, &na) < 0 ||
	    na.na_msg.ndiag_portid == 0)
		return -1;
	name = xlat_name(it_xlat_netlink_proto, na.na_msg.ndiag_protocol);
	if (name != NULL && strncmp(name, "NETLINK_", 8) == 0)
		sbuf_printf(sb, "%s:[%s:%u]", proto, name + 8,
		    na.na_msg.ndiag_portid);
	else
		sbuf_printf(sb, "%s:[%u:%u]", proto, na.na_msg.ndiag_protocol,
		    na.na_msg.ndiag_portid);
	return 0;
}

int
sockdiag_describe(struct sbuf *sb, const char *proto, unsigned long inode)
{
	static const struct {
		const char	*p_name;
		int		 p_family, p_protocol;
	} inet[] = {
		{ "TCP", AF_INET, IPPROTO_TCP },
		{ "TCPv6", AF_INET6, IPPROTO_TCP },
		{ "UDP", AF_INET, IPPROTO_UDP },
		{ "UDPv6", AF_INET6, IPPROTO_UDP },
		{ "UDPLITE", AF_INET, IPPROTO_UDPLITE },
		{ "UDPLITEv6", AF_INET6, IPPROTO_UDPLITE },
	};
	size_t	 i;

	if (strncmp(proto, "UNIX", 4) == 0)
		return describe_unix(sb, proto, inode);
	if (strcmp(proto, "NETLINK") == 0)
		return describe_netlink(sb, proto, inode);
	for (i = 0; i < sizeof(inet) / sizeof(inet[0]); i++)
		if (strcmp(proto, inet[i].p_name) == 0)
			return describe_inet(sb, proto, inode,
			    inet[i].p_family, inet[i].p_protocol);
	return -1;
}
