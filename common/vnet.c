/*
 * Names of virtual sockets: see vnet.h.
 */
#include <sys/socket.h>
#include <stdio.h>
#include <string.h>

#include "vnet.h"

static const uint8_t	 v4prefix[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
static const uint8_t	 zero[16];

int
vnet_name(char *buf, size_t len, const char *run, int type,
    const uint8_t addr[16], unsigned int port)
{
	char	 hex[33];
	int	 i, n;

	for (i = 0; i < 16; i++)
		snprintf(hex + 2 * i, 3, "%02x", addr[i]);
	n = snprintf(buf, len, "isotrace-%s-%c-%s-%u", run,
	    type == SOCK_STREAM ? 's' : 'd', hex, port);
	if (n < 0 || (size_t)n >= len || n > VNET_NAME_MAX)
		return -1;
	return n;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int
vnet_parse(const char *name, size_t len, int *type, uint8_t addr[16],
    unsigned int *port)
{
	const char	*p, *end = name + len;
	unsigned long	 v = 0;
	int		 i, hi, lo;

	if (len < 9 || memcmp(name, "isotrace-", 9) != 0)
		return -1;
	/* the run: up to the next dash; then "-T-", ADDR, "-" and at
	 * least one digit */
	if ((p = memchr(name + 9, '-', len - 9)) == NULL || end - p < 37)
		return -1;
	if ((p[1] != 's' && p[1] != 'd') || p[2] != '-')
		return -1;
	*type = p[1] == 's' ? SOCK_STREAM : SOCK_DGRAM;
	p += 3;
	for (i = 0; i < 16; i++, p += 2) {
		if ((hi = hexval(p[0])) < 0 || (lo = hexval(p[1])) < 0)
			return -1;
		addr[i] = (uint8_t)(hi << 4 | lo);
	}
	if (*p++ != '-' || p == end)
		return -1;
	for (; p < end; p++) {
		if (*p < '0' || *p > '9' || (v = v * 10 + (unsigned)(*p - '0'))
		    > 65535)
			return -1;
	}
	*port = (unsigned int)v;
	return 0;
}

int
vnet_is_v4(const uint8_t addr[16])
{
	return memcmp(addr, v4prefix, sizeof(v4prefix)) == 0;
}

int
vnet_is_any(const uint8_t addr[16])
{
	return memcmp(addr, zero, 16) == 0 ||
	    (vnet_is_v4(addr) && memcmp(addr + 12, zero, 4) == 0);
}

int
vnet_is_loopback(const uint8_t addr[16])
{
	static const uint8_t	 one6[16] = { [15] = 1 };

	return memcmp(addr, one6, 16) == 0 ||
	    (vnet_is_v4(addr) && addr[12] == 127);
}
