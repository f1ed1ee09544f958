/*
 * Socket options of the virtual network.  Those of the IP, IPv6, TCP,
 * UDP and UDP-Lite levels, which AF_UNIX has not, are kept by socket
 * (vsock_opt_set) and read back, and do nothing else; the socket level's
 * are the AF_UNIX socket's own but for the few that tell the family, the
 * protocol, a peer's credentials or a refused connect, and SO_REUSEPORT,
 * which AF_UNIX has not either.
 */
#include <netinet/in.h>
#include <errno.h>

#include "sandbox.h"
#include "vsock.h"

#ifndef UDPLITE_SEND_CSCOV
#define UDPLITE_SEND_CSCOV	10
#define UDPLITE_RECV_CSCOV	11
#endif

/* Levels that AF_UNIX has not.  UDP's and UDP-Lite's are one level to
 * the kernel (udp_lib_setsockopt), and here. */
static int
ip_level(int *level)
{
	if (*level == IPPROTO_UDPLITE)
		*level = IPPROTO_UDP;
	return *level == IPPROTO_IP || *level == IPPROTO_IPV6 ||
	    *level == IPPROTO_TCP || *level == IPPROTO_UDP;
}

static int
protocol(const struct vsock *vs)
{
	int	 p;

	if (vsock_opt_get(vs, SOL_SOCKET, SO_PROTOCOL, &p))
		return p;
	return vs->vs_type == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;
}

/*
 * A UDP-level option's value as udp_lib_setsockopt takes it: -errno, or
 * 0 with *v as stored.  The checksum coverage is UDP-Lite's only, and at
 * least the 8 bytes of the header (0 is the whole datagram).
 */
static int
udp_value(struct it_task *t, const struct vsock *vs, int name, uint64_t val,
    unsigned int len, int *v)
{
	int	 e;

	if ((int)len < (int)sizeof(*v))
		return -EINVAL;
	if ((e = it_mem_read(t, val, v, sizeof(*v))) < 0)
		return e;
	if (name != UDPLITE_SEND_CSCOV && name != UDPLITE_RECV_CSCOV)
		return 0;
	if (protocol(vs) != IPPROTO_UDPLITE)
		return -ENOPROTOOPT;
	if (*v != 0 && *v < 8)
		*v = 8;
	else if (*v > 0xffff)
		*v = 0xffff;
	return 0;
}

/* The level is the socket's own: IPv6's on an IPv6 socket, TCP's on a
 * stream one, UDP's on a datagram one (else the protocol passes it down
 * to IP, which knows it not). */
static int
level_of(const struct vsock *vs, int level)
{
	if ((level == IPPROTO_IPV6 && vs->vs_family != AF_INET6) ||
	    (level == IPPROTO_TCP && vs->vs_type != SOCK_STREAM) ||
	    (level == IPPROTO_UDP && vs->vs_type != SOCK_DGRAM))
		return -ENOPROTOOPT;
	return 0;
}

/* An int option's value: IP's take a single byte too (ip_setsockopt),
 * the others want a whole int. */
static int
int_value(struct it_task *t, int level, int name, uint64_t val,
    unsigned int len, int *v)
{
	unsigned char	 c;
	int		 e;

	*v = 0;
	if (level == IPPROTO_IP && (int)len >= 1 && len < sizeof(*v)) {
		if ((e = it_mem_read(t, val, &c, 1)) < 0)
			return e;
		*v = c;
		return 0;
	}
	if ((int)len < (int)sizeof(*v))
		return level == IPPROTO_IP && name == IP_OPTIONS ? 0 : -EINVAL;
	return it_mem_read(t, val, v, sizeof(*v));
}

static long
sb_setsockopt(struct it_task *t, int fd, int level, int name, it_gptr val,
    unsigned int len)
{
	struct vsock	 vs;
	int		 v = 0, e;

	if (vsock_timeo_opt(level, name)) {
		if (vsock_get(t, fd, &vs))
			vsock_timeo_set(t, &vs, val.addr, len);
		return IT_RUN_ORIGINAL;
	}
	if (level == SOL_SOCKET && name == SO_REUSEPORT) {
		/* AF_UNIX refuses it (EOPNOTSUPP): kept as the IP levels' */
		if (!vsock_get(t, fd, &vs))
			return IT_RUN_ORIGINAL;
		if ((int)len < (int)sizeof(v))
			return -EINVAL;
		if ((e = it_mem_read(t, val.addr, &v, sizeof(v))) < 0)
			return e;
		vsock_opt_set(&vs, level, name, v != 0);
		return 0;
	}
	if (!ip_level(&level) || !vsock_get(t, fd, &vs))
		return IT_RUN_ORIGINAL;
	if ((e = level_of(&vs, level)) < 0)
		return e;
	if (level == IPPROTO_UDP)
		e = udp_value(t, &vs, name, val.addr, len, &v);
	else
		e = int_value(t, level, name, val.addr, len, &v);
	if (e < 0)
		return e;
	vsock_opt_set(&vs, level, name, v);
	return 0;
}

static long
sb_getsockopt(struct it_task *t, int fd, int level, int name, it_gptr val,
    it_gp_socklen lenp)
{
	struct vsock	 vs;
	socklen_t	 len;
	int		 v = 0, e;

	if (level == SOL_SOCKET && name == SO_PEERCRED)
		return sandbox_peercred(t, val);
	if (level == SOL_SOCKET && (name == SO_DOMAIN || name == SO_PROTOCOL)) {
		if (!vsock_get(t, fd, &vs))
			return IT_RUN_ORIGINAL;
		v = name == SO_DOMAIN ? vs.vs_family : protocol(&vs);
	} else if (level == SOL_SOCKET && name == SO_REUSEPORT) {
		if (!vsock_get(t, fd, &vs))
			return IT_RUN_ORIGINAL;
		(void)vsock_opt_get(&vs, level, name, &v);
	} else if (level == SOL_SOCKET && name == SO_ERROR) {
		if (!vsock_watched() || !vsock_get(t, fd, &vs) ||
		    !netgone_soerror(&vs, &v))
			return IT_RUN_ORIGINAL;
	} else if (!ip_level(&level) || !vsock_get(t, fd, &vs))
		return IT_RUN_ORIGINAL;
	else if (level_of(&vs, level) < 0)
		/* ip_getsockopt's word for a level it knows not */
		return vs.vs_family == AF_INET ? -EOPNOTSUPP : -ENOPROTOOPT;
	else
		(void)vsock_opt_get(&vs, level, name, &v);
	if ((e = it_read_socklen(t, lenp, &len)) < 0)
		return e;
	if ((int)len < 0)
		return -EINVAL;
	if (len > sizeof(v))
		len = sizeof(v);
	if ((e = it_mem_write(t, val.addr, &v, len)) < 0 ||
	    (e = it_write_socklen(t, lenp, &len)) < 0)
		return e;
	return 0;
}

const struct it_table sandbox_netopt = {
	.setsockopt = sb_setsockopt,
	.getsockopt = sb_getsockopt,
};
