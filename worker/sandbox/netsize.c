/*
 * The largest datagram a virtual UDP socket sends, as loopback's.
 *
 * A UDP datagram is one IP packet: on IPv4 its 65535 bytes hold a 20-byte
 * header and UDP's 8, so 65507 bytes of data at most; IPv6's payload
 * length does not count its own header, so 65527 (an IPv6 socket sending
 * to an IPv4-mapped address sends IPv4).  A send of more fails with
 * EMSGSIZE (udp_sendmsg refuses over 65535 at once, ip_append_data and
 * ip6_append_data the rest), whoever the datagram is for, even nobody.
 * The AF_UNIX datagram under the virtual socket takes up to its send
 * buffer (~200 KiB), and a datagram to nobody is not sent at all: the
 * limit is checked here, for the sends that name or look up their socket
 * (send, sendto, sendmsg).  A write() on a connected one is the kernel's
 * AF_UNIX socket's, and sendmmsg's batches are not checked (CAVEATS).
 */
#include <errno.h>
#include <string.h>

#include "sandbox.h"
#include "vsock.h"

#define UDP4_MAX	(65535 - 20 - 8)
#define UDP6_MAX	(65535 - 8)

/*
 * 0 if a datagram of len bytes fits, -EMSGSIZE if not.  Its destination
 * is the address the program gave (addr, alen), else the socket's peer:
 * looked at only for a datagram over 65507 bytes.  The order of the
 * kernel's checks: IPv4's over 65535 first, then the address (one it
 * refuses is left to the send's own checks), then the packet's size.
 */
int
netsize_check(struct it_task *t, const struct vsock *vs, int fd,
    uint64_t addr, unsigned int alen, size_t len)
{
	static const uint8_t	 v4mapped[12] = { [10] = 0xff, [11] = 0xff };
	struct vaddr		 va;
	size_t			 max = UDP6_MAX;
	int			 e = 0;

	if (vs->vs_type != SOCK_DGRAM || len <= UDP4_MAX)
		return 0;
	if (vs->vs_family == AF_INET && len > 0xffff)
		return -EMSGSIZE;
	if (addr != 0)
		e = vsock_addr_in(t, vs, addr, alen, &va);
	else if (vs->vs_family == AF_INET6)
		e = vsock_name(t, vs, fd, 1, &va);
	if (e < 0 || e == 1)
		return 0;
	/* (2: an AF_INET address, which an IPv6 socket sends to mapped) */
	if (vs->vs_family == AF_INET || e == 2 ||
	    memcmp(va.va_addr, v4mapped, sizeof(v4mapped)) == 0)
		max = UDP4_MAX;
	return len > max ? -EMSGSIZE : 0;
}
