/*
 * IP and IPv6 ancillary data of virtual datagram sockets.  An AF_UNIX
 * socket never carries IP_PKTINFO, IP_TTL, IPV6_HOPLIMIT and the like, so
 * when a program asked for them (IP_PKTINFO, IP_RECVTTL, IP_RECVTOS,
 * IPV6_RECVPKTINFO, IPV6_RECVHOPLIMIT, IPV6_RECVTCLASS, remembered by
 * vsock_opt_set) recvmsg's exit appends what loopback would have given:
 * the packet came in on lo (index 1), to the socket's own address (its
 * loopback address if it is bound to a wildcard), with the hop limit and
 * traffic class its sender gave it (nethops.c), by default 64 and 0.
 *
 * They follow the socket-level messages the kernel already wrote, in the
 * kernel's order (ip_cmsg_recv_offset, ip6_datagram_recv_ctl), and are
 * cut as put_cmsg cuts them: a message that does not fit whole is
 * truncated to the room left and MSG_CTRUNC is set.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <string.h>

#include "../../common/vnet.h"
#include "sandbox.h"
#include "vsock.h"

#define LO_INDEX	1
#define HOPS		64

static int
opt_on(const struct vsock *vs, int level, int name)
{
	int	 v = 0;

	return vsock_opt_get(vs, level, name, &v) && v != 0;
}

int
netcmsg_wanted(const struct vsock *vs)
{
	if (vs->vs_type != SOCK_DGRAM)
		return 0;
	if (vs->vs_family == AF_INET)
		return opt_on(vs, IPPROTO_IP, IP_PKTINFO) ||
		    opt_on(vs, IPPROTO_IP, IP_RECVTTL) ||
		    opt_on(vs, IPPROTO_IP, IP_RECVTOS);
	return opt_on(vs, IPPROTO_IPV6, IPV6_RECVPKTINFO) ||
	    opt_on(vs, IPPROTO_IPV6, IPV6_RECVHOPLIMIT) ||
	    opt_on(vs, IPPROTO_IPV6, IPV6_RECVTCLASS);
}

/* One message at control + *used, as put_cmsg writes it. */
static int
put(struct it_task *t, uint64_t control, size_t cap, size_t *used,
    int *flags, int level, int type, const void *data, size_t len)
{
	unsigned char	 buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	struct cmsghdr	*c = (struct cmsghdr *)buf;
	size_t		 room = cap - *used, n = CMSG_LEN(len);
	int		 e;

	if (room < sizeof(*c)) {
		*flags |= MSG_CTRUNC;
		return 0;
	}
	if (room < n) {
		*flags |= MSG_CTRUNC;
		n = room;
	}
	memset(buf, 0, sizeof(buf));
	c->cmsg_len = n;
	c->cmsg_level = level;
	c->cmsg_type = type;
	memcpy(CMSG_DATA(c), data, len);
	if ((e = it_mem_write(t, control + *used, buf, n)) < 0)
		return e;
	*used += CMSG_SPACE(len) < room ? CMSG_SPACE(len) : room;
	return 0;
}

int
netcmsg_put(struct it_task *t, const struct vsock *vs, int fd,
    const struct vhops *h, uint64_t control, size_t cap, size_t *used,
    int *flags)
{
	struct in6_pktinfo	 p6;
	struct in_pktinfo	 p4;
	struct vaddr		 me;
	unsigned char		 tos = h != NULL ? (unsigned char)h->vh_tclass : 0;
	int			 hops = h != NULL ? h->vh_hops : HOPS;
	int			 tclass = h != NULL ? h->vh_tclass : 0, e = 0;

	if (control == 0 || *used > cap)
		return 0;
	if (vsock_name(t, vs, fd, 0, &me) < 0)
		vsock_any(vs->vs_family, &me);
	if (vnet_is_any(me.va_addr))
		vsock_loopback(vs->vs_family, &me);
	if (vs->vs_family == AF_INET) {
		memset(&p4, 0, sizeof(p4));
		p4.ipi_ifindex = LO_INDEX;
		memcpy(&p4.ipi_spec_dst, me.va_addr + 12, 4);
		memcpy(&p4.ipi_addr, me.va_addr + 12, 4);
		if (opt_on(vs, IPPROTO_IP, IP_PKTINFO))
			e = put(t, control, cap, used, flags, IPPROTO_IP,
			    IP_PKTINFO, &p4, sizeof(p4));
		if (e == 0 && opt_on(vs, IPPROTO_IP, IP_RECVTTL))
			e = put(t, control, cap, used, flags, IPPROTO_IP,
			    IP_TTL, &hops, sizeof(hops));
		if (e == 0 && opt_on(vs, IPPROTO_IP, IP_RECVTOS))
			e = put(t, control, cap, used, flags, IPPROTO_IP,
			    IP_TOS, &tos, sizeof(tos));
		return e;
	}
	memset(&p6, 0, sizeof(p6));
	memcpy(&p6.ipi6_addr, me.va_addr, 16);
	p6.ipi6_ifindex = LO_INDEX;
	if (opt_on(vs, IPPROTO_IPV6, IPV6_RECVPKTINFO))
		e = put(t, control, cap, used, flags, IPPROTO_IPV6,
		    IPV6_PKTINFO, &p6, sizeof(p6));
	if (e == 0 && opt_on(vs, IPPROTO_IPV6, IPV6_RECVHOPLIMIT))
		e = put(t, control, cap, used, flags, IPPROTO_IPV6,
		    IPV6_HOPLIMIT, &hops, sizeof(hops));
	if (e == 0 && opt_on(vs, IPPROTO_IPV6, IPV6_RECVTCLASS))
		e = put(t, control, cap, used, flags, IPPROTO_IPV6,
		    IPV6_TCLASS, &tclass, sizeof(tclass));
	return e;
}
