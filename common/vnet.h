/*
 * Names of the sandbox's virtual sockets.  A bound virtual AF_INET or
 * AF_INET6 socket is an AF_UNIX socket bound to an abstract name that
 * spells its virtual address:
 *
 *	isotrace-RUN-T-ADDR-PORT
 *
 * RUN tells one isotrace run from another (two runs may both bind port
 * 8000), T is s (stream) or d (datagram), ADDR the 16-byte address in hex
 * (IPv4 as ::ffff:a.b.c.d) and PORT decimal.  The registry makes names;
 * a worker reads a virtual address back from the name the kernel reports
 * (getsockname, getpeername, accept, recvfrom), so the addresses of a
 * connection are kept by the kernel, not by isotrace.
 */
#ifndef VNET_H
#define VNET_H

#include <stddef.h>
#include <stdint.h>

#define VNET_NAME_MAX	100	/* bytes of a name, without the NUL */
#define VNET_RUN_MAX	32

/* Writes the name (NUL-terminated); its length, or -1 if it does not fit. */
int	vnet_name(char *buf, size_t len, const char *run, int type,
	    const uint8_t addr[16], unsigned int port);
/* Reads a name of len bytes (no NUL needed): 0, or -1 if it is not one. */
int	vnet_parse(const char *name, size_t len, int *type, uint8_t addr[16],
	    unsigned int *port);

/* Addresses: IPv4-mapped, the two wildcards, loopback. */
int	vnet_is_v4(const uint8_t addr[16]);
int	vnet_is_any(const uint8_t addr[16]);
int	vnet_is_loopback(const uint8_t addr[16]);

#endif
