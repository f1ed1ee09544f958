/*
 * The hop limit (IPv4's TTL) and traffic class (IPv4's TOS) a virtual
 * datagram carries, from its sender to a receiver that asked for them
 * (IPV6_RECVHOPLIMIT, IPV6_RECVTCLASS, IP_RECVTTL, IP_RECVTOS; netcmsg.c).
 *
 * On loopback a datagram arrives with the values its sender gave it: an
 * IPV6_HOPLIMIT, IPV6_TCLASS, IP_TTL or IP_TOS message of the sendmsg, or
 * else the socket's IPV6_UNICAST_HOPS, IPV6_TCLASS, IP_TTL or IP_TOS,
 * or else 64 and 0.  An AF_UNIX datagram carries its sender's name and
 * nothing of the kind, so a send with values other than those defaults
 * leaves a note here: the sender's virtual address and a digest of the
 * datagram's first bytes, with the values.  A receive in the same process
 * (the notes are the worker's) takes the note that matches what it got
 * from whom; a datagram from another process, or one of which no note is
 * left (NOTES later sends overwrite the oldest), comes with the defaults.
 *
 * The sender's messages are checked as the kernel checks them
 * (ip6_datagram_send_ctl, ip_cmsg_send): AF_UNIX ignores their level.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "sandbox.h"
#include "vsock.h"

#define NOTES		64
#define HEAD		64	/* bytes of a datagram in its digest */
#define HOPS		64	/* loopback's default hop limit and TTL */

struct note {
	struct vaddr	 n_from;
	uint32_t	 n_digest;
	int		 n_used;
	struct vhops	 n_hops;
};
static struct note	 notes[NOTES];
static unsigned int	 next;

/* FNV-1a of the first HEAD bytes of a datagram of len bytes, at buf or
 * else in the iovecs (iov, n of them). */
static int
digest(struct it_task *t, uint64_t buf, uint64_t iov, size_t n, size_t len,
    uint32_t *d)
{
	unsigned char	 head[HEAD];
	struct iovec	 v;
	size_t		 i, got = 0, k;
	int		 e;

	if (len > HEAD)
		len = HEAD;
	if (buf != 0) {
		if ((e = it_mem_read(t, buf, head, len)) < 0)
			return e;
		got = len;
	}
	for (i = 0; buf == 0 && i < n && got < len; i++) {
		if ((e = it_mem_read(t, iov + i * sizeof(v), &v,
		    sizeof(v))) < 0)
			return e;
		k = v.iov_len < len - got ? v.iov_len : len - got;
		if (k > 0 && (e = it_mem_read(t, (uint64_t)v.iov_base,
		    head + got, k)) < 0)
			return e;
		got += k;
	}
	*d = 2166136261u;
	for (i = 0; i < got; i++)
		*d = (*d ^ head[i]) * 16777619u;
	return 0;
}

/* The socket's own value of an option, or def. */
static int
opt(const struct vsock *vs, int level, int name, int def)
{
	int	 v;

	return vsock_opt_get(vs, level, name, &v) && v != -1 ? v : def;
}

/* Reads one int message (IPv4's TOS may be one byte): -EINVAL unless its
 * length and value are what the kernel takes. */
static int
value(struct it_task *t, uint64_t at, const struct cmsghdr *c, int lo,
    int *v)
{
	unsigned char	 b;
	int		 e;

	if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TOS &&
	    c->cmsg_len == CMSG_LEN(1)) {
		if ((e = it_mem_read(t, at + CMSG_LEN(0), &b, 1)) < 0)
			return e;
		*v = b;
		return 0;
	}
	if (c->cmsg_len != CMSG_LEN(sizeof(int)))
		return -EINVAL;
	if ((e = it_mem_read(t, at + CMSG_LEN(0), v, sizeof(*v))) < 0)
		return e;
	return *v < lo || *v > 0xff ? -EINVAL : 0;
}

/* The values a sendmsg's control messages (m) give, over *h. */
static int
from_cmsgs(struct it_task *t, const struct vsock *vs, const struct msghdr *m,
    struct vhops *h)
{
	struct cmsghdr	 c;
	uint64_t	 at = (uint64_t)m->msg_control, end;
	int		 ip = vs->vs_family == AF_INET ? IPPROTO_IP : IPPROTO_IPV6;
	int		 v, e;

	end = at + m->msg_controllen;
	while (at != 0 && end - at >= sizeof(c)) {
		if ((e = it_mem_read(t, at, &c, sizeof(c))) < 0)
			return e;
		if (c.cmsg_len < sizeof(c) || c.cmsg_len > end - at)
			return 0;	/* the kernel's own check, later */
		if (c.cmsg_level == ip && (ip == IPPROTO_IPV6 ?
		    c.cmsg_type == IPV6_HOPLIMIT || c.cmsg_type == IPV6_TCLASS :
		    c.cmsg_type == IP_TTL || c.cmsg_type == IP_TOS)) {
			/* -1 is "the socket's" for IPv6; a TTL is 1..255 */
			if ((e = value(t, at, &c, ip == IPPROTO_IPV6 ? -1 :
			    c.cmsg_type == IP_TTL ? 1 : 0, &v)) < 0)
				return e;
			if (c.cmsg_type == IPV6_HOPLIMIT || c.cmsg_type == IP_TTL)
				h->vh_hops = v != -1 ? v : h->vh_hops;
			else
				h->vh_tclass = v != -1 ? v : h->vh_tclass;
		}
		at += CMSG_ALIGN(c.cmsg_len);
	}
	return 0;
}

/* fd's own address, asked of the program's socket in the worker (an
 * injected getsockname would take the scratch area the call's own
 * arguments are in). */
static int
own_name(struct it_task *t, const struct vsock *vs, int fd, struct vaddr *va)
{
	struct sockaddr_un	 sun;
	socklen_t		 len = sizeof(sun);
	int			 s, r;

	if ((s = reach_getfd(it_task_tid(t), fd)) == -1)
		return -1;
	r = getsockname(s, (struct sockaddr *)&sun, &len);
	close(s);
	if (r == -1)
		return -1;
	vsock_addr_of(vs, &sun, len, va);
	return 0;
}

int
nethops_send(struct it_task *t, const struct vsock *vs, int fd,
    const struct msghdr *m, uint64_t buf, size_t len)
{
	struct vhops	 h;
	struct note	*n;
	int		 e;

	if (vs->vs_type != SOCK_DGRAM)
		return 0;
	if (vs->vs_family == AF_INET) {
		h.vh_hops = opt(vs, IPPROTO_IP, IP_TTL, HOPS);
		h.vh_tclass = opt(vs, IPPROTO_IP, IP_TOS, 0);
	} else {
		h.vh_hops = opt(vs, IPPROTO_IPV6, IPV6_UNICAST_HOPS, HOPS);
		h.vh_tclass = opt(vs, IPPROTO_IPV6, IPV6_TCLASS, 0);
	}
	if (m != NULL && m->msg_controllen > 0 &&
	    (e = from_cmsgs(t, vs, m, &h)) < 0)
		return e;
	if (h.vh_hops == HOPS && h.vh_tclass == 0)
		return 0;		/* what a receive says by default */
	n = &notes[next++ % NOTES];
	n->n_used = own_name(t, vs, fd, &n->n_from) == 0 &&
	    digest(t, m != NULL ? 0 : buf, m != NULL ? (uint64_t)m->msg_iov :
	    0, m != NULL ? m->msg_iovlen : 0, len, &n->n_digest) == 0;
	n->n_hops = h;
	return 0;
}

void
nethops_recv(struct it_task *t, const struct vaddr *from,
    const struct msghdr *m, size_t len, struct vhops *h)
{
	struct note	*n;
	uint32_t	 d;
	unsigned int	 i;

	h->vh_hops = HOPS;
	h->vh_tclass = 0;
	if (digest(t, 0, (uint64_t)m->msg_iov, m->msg_iovlen, len, &d) < 0)
		return;
	/* the oldest note first: datagrams arrive in order */
	for (i = 0; i < NOTES; i++) {
		n = &notes[(next + i) % NOTES];
		if (n->n_used && n->n_digest == d &&
		    n->n_from.va_port == from->va_port &&
		    memcmp(n->n_from.va_addr, from->va_addr, 16) == 0) {
			*h = n->n_hops;
			n->n_used = 0;
			return;
		}
	}
}
