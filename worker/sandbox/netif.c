/*
 * The virtual network's one interface: interface ioctls on a virtual
 * socket (SIOCGIFCONF and the SIOCGIF* queries, which the kernel would
 * answer with the host's interfaces for any socket) see only "lo",
 * 127.0.0.1/8, index 1.
 *
 * Every ioctl stops under --sandbox anyway (the pid family translates
 * the terminal's process groups); the others go on to that family.
 */
#include <sys/ioctl.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <errno.h>
#include <string.h>

#include "sandbox.h"
#include "vsock.h"

#define LO_INDEX	1
#define LO_MTU		65536

static void
lo_addr(struct sockaddr *sa, uint32_t ip)
{
	struct sockaddr_in	 sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(ip);
	memcpy(sa, &sin, sizeof(sin));
}

static long
ifconf(struct it_task *t, uint64_t arg)
{
	struct ifconf	 ifc;
	struct ifreq	 ifr;
	int		 e;

	if ((e = it_mem_read(t, arg, &ifc, sizeof(ifc))) < 0)
		return e;
	if (ifc.ifc_buf != NULL && ifc.ifc_len >= (int)sizeof(ifr)) {
		memset(&ifr, 0, sizeof(ifr));
		strcpy(ifr.ifr_name, "lo");
		lo_addr(&ifr.ifr_addr, INADDR_LOOPBACK);
		if ((e = it_mem_write(t, (uint64_t)ifc.ifc_buf, &ifr,
		    sizeof(ifr))) < 0)
			return e;
		ifc.ifc_len = sizeof(ifr);
	} else		/* no buffer: the size wanted; too small: none fit */
		ifc.ifc_len = ifc.ifc_buf == NULL ? (int)sizeof(ifr) : 0;
	return it_mem_write(t, arg, &ifc, sizeof(ifc));
}

/* One SIOCGIF* query about "lo" (or, by index, SIOCGIFNAME). */
static long
ifquery(struct it_task *t, unsigned long req, uint64_t arg)
{
	struct ifreq	 ifr;
	int		 e;

	if ((e = it_mem_read(t, arg, &ifr, sizeof(ifr))) < 0)
		return e;
	if (req == SIOCGIFNAME) {
		if (ifr.ifr_ifindex != LO_INDEX)
			return -ENODEV;
		strcpy(ifr.ifr_name, "lo");
	} else if (strncmp(ifr.ifr_name, "lo", IFNAMSIZ) != 0)
		return -ENODEV;
	switch (req) {
	case SIOCGIFADDR:
		lo_addr(&ifr.ifr_addr, INADDR_LOOPBACK);
		break;
	case SIOCGIFNETMASK:
		lo_addr(&ifr.ifr_netmask, 0xff000000);
		break;
	case SIOCGIFBRDADDR:
	case SIOCGIFDSTADDR:
		lo_addr(&ifr.ifr_addr, 0);
		break;
	case SIOCGIFFLAGS:
		ifr.ifr_flags = IFF_UP | IFF_LOOPBACK | IFF_RUNNING;
		break;
	case SIOCGIFINDEX:
		ifr.ifr_ifindex = LO_INDEX;
		break;
	case SIOCGIFMTU:
		ifr.ifr_mtu = LO_MTU;
		break;
	case SIOCGIFHWADDR:
		memset(&ifr.ifr_hwaddr, 0, sizeof(ifr.ifr_hwaddr));
		ifr.ifr_hwaddr.sa_family = ARPHRD_LOOPBACK;
		break;
	}
	if ((e = it_mem_write(t, arg, &ifr, sizeof(ifr))) < 0)
		return e;
	return 0;
}

/* Every request sb_ioctl below and the pids' (pids.c) act on; the
 * filter lets the others run (layer.h).  Keep it in step with both. */
const uint32_t sandbox_ioctls[] = {
	SIOCGIFCONF, SIOCGIFNAME, SIOCGIFADDR, SIOCGIFNETMASK,
	SIOCGIFBRDADDR, SIOCGIFDSTADDR, SIOCGIFFLAGS, SIOCGIFINDEX,
	SIOCGIFMTU, SIOCGIFHWADDR,
	TIOCGPGRP, TIOCGSID, TIOCSPGRP,
	0
};

static long
sb_ioctl(struct it_task *t, int fd, unsigned long req, unsigned long arg)
{
	struct vsock	 vs;

	switch (req) {
	case SIOCGIFCONF:
	case SIOCGIFNAME:
	case SIOCGIFADDR:
	case SIOCGIFNETMASK:
	case SIOCGIFBRDADDR:
	case SIOCGIFDSTADDR:
	case SIOCGIFFLAGS:
	case SIOCGIFINDEX:
	case SIOCGIFMTU:
	case SIOCGIFHWADDR:
		break;
	default:
		/* the terminal's requests are the pid family's (pids.c);
		 * one handler per slot, so this one passes them on */
		return sandbox_pids.ioctl(t, fd, req, arg);
	}
	if (!vsock_get(t, fd, &vs))
		return IT_RUN_ORIGINAL;
	return req == SIOCGIFCONF ? ifconf(t, arg) : ifquery(t, req, arg);
}

const struct it_table sandbox_netif = {
	.ioctl = sb_ioctl,
};
