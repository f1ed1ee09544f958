/*
 * Virtual sockets: which fds are ones, their addresses, and the requests
 * to the registry.  See vsock.h.
 */
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../common/vnet.h"
#include "../rpc.h"
#include "sandbox.h"
#include "vsock.h"

/*
 * What the registry said of socket inodes, both yes and no: an inode
 * number is not reused while its socket lives, and a virtual socket made
 * by this process is entered here when it is made.
 */
#define CACHE_SIZE	256

struct known {
	uint64_t	 k_inode;	/* 0: empty */
	int		 k_family;	/* 0: not virtual */
	int		 k_type;
	int		 k_state;
};
static struct known	 cache[CACHE_SIZE];
static int		 watched;	/* entries with a k_state */
static int		 used;		/* USED_*: has the process any? */

#define USED_UNKNOWN	0
#define USED_NONE	1		/* none when its fds were looked at */
#define USED_SOME	2
#define SCAN_MAX	64		/* sockets asked about at that look */

static struct known *
slot(uint64_t inode)
{
	return &cache[(inode * 0x9e3779b97f4a7c15ULL) >> 56];
}

static int
inode_of(struct it_task *t, int fd, uint64_t *inode)
{
	struct stat	 st;
	char		 path[64];

	if (fd < 0)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)it_task_pid(t),
	    fd);
	if (stat(path, &st) == -1 || !S_ISSOCK(st.st_mode))
		return 0;
	*inode = st.st_ino;
	return 1;
}

static int
lookup(uint64_t inode, struct known *k)
{
	Isotrace__Envelope	 env, *reply;
	Isotrace__NetLookup	 m = ISOTRACE__NET_LOOKUP__INIT;
	int			 e;

	m.inode = inode;
	channel_init(&env, ISOTRACE__ENVELOPE__PAYLOAD_NET_LOOKUP);
	env.net_lookup = &m;
	if ((e = rpc_call(&env, ISOTRACE__ENVELOPE__PAYLOAD_NET_REPLY,
	    &reply)) < 0)
		return e;
	if (k->k_state != VS_PLAIN)
		watched--;
	k->k_inode = inode;
	k->k_state = VS_PLAIN;
	k->k_family = reply->net_reply->error == 0 ?
	    reply->net_reply->family : 0;
	if (k->k_family != 0)
		used = USED_SOME;
	k->k_type = reply->net_reply->type;
	channel_free(reply);
	return 0;
}

static int
get_inode(uint64_t inode, struct vsock *vs)
{
	struct known	*k;

	k = slot(inode);
	if (k->k_inode != inode && lookup(inode, k) < 0)
		return 0;
	if (k->k_family == 0)
		return 0;
	vs->vs_inode = inode;
	vs->vs_family = k->k_family;
	vs->vs_type = k->k_type;
	vs->vs_state = k->k_state;
	return 1;
}

int
vsock_get(struct it_task *t, int fd, struct vsock *vs)
{
	uint64_t	 inode;

	return inode_of(t, fd, &inode) && get_inode(inode, vs);
}

/*
 * The same through the program's own socket, taken with pidfd_getfd: as
 * cheap as the stat of /proc/PID/fd/N (each ~5 us here), and the socket
 * is then at hand for a look at its state.
 */
int
vsock_get_file(struct it_task *t, int fd, struct vsock *vs, int *file)
{
	struct stat	 st;

	if (fd < 0)
		return 0;
	if ((*file = reach_getfd(it_task_tid(t), fd)) == -1)
		return vsock_get(t, fd, vs);
	if (fstat(*file, &st) == 0 && S_ISSOCK(st.st_mode) &&
	    get_inode(st.st_ino, vs))
		return 1;
	close(*file);
	*file = -1;
	return 0;
}

/*
 * Whether the process has virtual sockets, for calls that would look up
 * every descriptor they are given otherwise (a send: ~5 us each).  It
 * has some once one was made (vsock_add) or found; before, its
 * descriptors are looked at once, for those it had when its worker took
 * it (those a child inherited).  Sockets that come later by
 * SCM_RIGHTS alone are missed.
 */
int
vsock_used(struct it_task *t)
{
	struct dirent	*d;
	struct vsock	 vs;
	char		 path[64];
	DIR		*dir;
	int		 n = 0;
	char		*end;
	long		 fd;

	if (used != USED_UNKNOWN)
		return used == USED_SOME;
	used = USED_NONE;
	snprintf(path, sizeof(path), "/proc/%d/fd", (int)it_task_pid(t));
	if ((dir = opendir(path)) == NULL)
		return 0;
	while (used == USED_NONE && n < SCAN_MAX &&
	    (d = readdir(dir)) != NULL) {
		fd = strtol(d->d_name, &end, 10);
		if (*end != '\0' || end == d->d_name || d->d_type != DT_LNK)
			continue;
		n++;
		(void)vsock_get(t, (int)fd, &vs);
	}
	closedir(dir);
	return used == USED_SOME;
}

void
vsock_set_state(struct vsock *vs, int state)
{
	struct known	*k = slot(vs->vs_inode);

	vs->vs_state = state;
	if (k->k_inode != vs->vs_inode || k->k_state == state)
		return;
	watched += (state != VS_PLAIN) - (k->k_state != VS_PLAIN);
	k->k_state = state;
}

int
vsock_watched(void)
{
	return watched > 0;
}

int
vsock_add(struct it_task *t, int fd, int family, int type, struct vsock *vs)
{
	Isotrace__Envelope	 env, *reply;
	Isotrace__NetSocket	 m = ISOTRACE__NET_SOCKET__INIT;
	struct known		*k;
	uint64_t		 inode;
	int			 e;

	if (!inode_of(t, fd, &inode))
		return -EBADF;
	m.inode = inode;
	m.family = family;
	m.type = type;
	channel_init(&env, ISOTRACE__ENVELOPE__PAYLOAD_NET_SOCKET);
	env.net_socket = &m;
	if ((e = rpc_call(&env, ISOTRACE__ENVELOPE__PAYLOAD_NET_REPLY,
	    &reply)) < 0)
		return e;
	channel_free(reply);
	used = USED_SOME;
	k = slot(inode);
	if (k->k_state != VS_PLAIN)
		watched--;
	k->k_inode = inode;
	k->k_family = family;
	k->k_type = type;
	k->k_state = VS_PLAIN;
	vs->vs_inode = inode;
	vs->vs_family = family;
	vs->vs_type = type;
	vs->vs_state = VS_PLAIN;
	return 0;
}

static const uint8_t	 v4mapped[12] = { [10] = 0xff, [11] = 0xff };

void
vsock_any(int family, struct vaddr *va)
{
	memset(va, 0, sizeof(*va));
	if (family == AF_INET)
		memcpy(va->va_addr, v4mapped, sizeof(v4mapped));
}

void
vsock_loopback(int family, struct vaddr *va)
{
	vsock_any(family, va);
	if (family == AF_INET)
		va->va_addr[12] = 127;
	va->va_addr[15] = 1;
}

int
vsock_addr_in(struct it_task *t, const struct vsock *vs, uint64_t addr,
    unsigned int len, struct vaddr *va)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in6	 sin6;
	struct sockaddr_in	 sin;
	int			 e;

	/* The kernel copies the whole address in first (move_addr_to_
	 * kernel): a length past sockaddr_storage is EINVAL, an address
	 * running into a hole EFAULT, before anything is looked at. */
	if ((int)len < 0 || len > sizeof(ss))
		return -EINVAL;
	memset(&ss, 0, sizeof(ss));
	if ((e = it_mem_read(t, addr, &ss, len)) < 0)
		return e;
	if (len < sizeof(ss.ss_family))
		return -EINVAL;
	memset(va, 0, sizeof(*va));
	if (ss.ss_family == AF_INET || ss.ss_family == AF_UNSPEC) {
		/* AF_UNSPEC read as IPv4 too: bind takes one that names
		 * INADDR_ANY */
		memcpy(&sin, &ss, sizeof(sin));
		memcpy(va->va_addr, v4mapped, sizeof(v4mapped));
		memcpy(va->va_addr + 12, &sin.sin_addr, 4);
		va->va_port = ntohs(sin.sin_port);
		if (ss.ss_family == AF_UNSPEC)
			return 1;
		if (len < sizeof(sin))
			return -EINVAL;
		return vs->vs_family == AF_INET ? 0 : 2;
	}
	if (ss.ss_family != AF_INET6 || vs->vs_family != AF_INET6)
		return -EAFNOSUPPORT;
	if (len < SIN6_LEN_RFC2133)
		return -EINVAL;
	memcpy(&sin6, &ss, sizeof(sin6));
	memcpy(va->va_addr, &sin6.sin6_addr, 16);
	va->va_port = ntohs(sin6.sin6_port);
	return 0;
}

int
vsock_addr_out(struct it_task *t, const struct vsock *vs, uint64_t addr,
    uint64_t lenp, const struct vaddr *va)
{
	union {
		struct sockaddr_in	 sin;
		struct sockaddr_in6	 sin6;
	} u;
	socklen_t	 ulen, len;
	int		 e;

	memset(&u, 0, sizeof(u));
	if (vs->vs_family == AF_INET) {
		u.sin.sin_family = AF_INET;
		memcpy(&u.sin.sin_addr, va->va_addr + 12, 4);
		u.sin.sin_port = htons((uint16_t)va->va_port);
		len = sizeof(u.sin);
	} else {
		u.sin6.sin6_family = AF_INET6;
		memcpy(&u.sin6.sin6_addr, va->va_addr, 16);
		u.sin6.sin6_port = htons((uint16_t)va->va_port);
		len = sizeof(u.sin6);
	}
	/* move_addr_to_user's order: the length (EFAULT), its sign
	 * (EINVAL), the address (EFAULT unless no byte is asked for) */
	if ((e = it_mem_read(t, lenp, &ulen, sizeof(ulen))) < 0)
		return e;
	if ((int)ulen < 0)
		return -EINVAL;
	if ((e = it_mem_write(t, addr, &u, ulen < len ? ulen : len)) < 0 ||
	    (e = it_mem_write(t, lenp, &len, sizeof(len))) < 0)
		return e;
	return 0;
}

void
vsock_addr_of(const struct vsock *vs, const struct sockaddr_un *sun,
    socklen_t len, struct vaddr *va)
{
	size_t	 off = offsetof(struct sockaddr_un, sun_path) + 1;
	int	 type;

	if (len <= off || len > sizeof(*sun) || sun->sun_path[0] != '\0' ||
	    vnet_parse(sun->sun_path + 1, len - off, &type, va->va_addr,
	    &va->va_port) < 0) {
		vsock_any(vs->vs_family, va);
		return;
	}
}

void
vsock_as_peer(const struct vsock *vs, struct vaddr *va)
{
	unsigned int	 port = va->va_port;

	if (vnet_is_any(va->va_addr)) {
		vsock_loopback(vnet_is_v4(va->va_addr) ? AF_INET :
		    vs->vs_family, va);
		va->va_port = port;
	}
}

int
vsock_name(struct it_task *t, const struct vsock *vs, int fd, int peer,
    struct vaddr *va)
{
	struct sockaddr_un	 sun;
	uint64_t		 sc = SCRATCH(t);
	socklen_t		 len = sizeof(sun);
	long			 r;

	if ((r = it_mem_write(t, sc + SC_OFF(sc_len), &len, sizeof(len))) < 0)
		return (int)r;
	r = it_task_syscall(t, peer ? SYS_getpeername : SYS_getsockname,
	    (uint64_t)fd, sc + SC_OFF(sc_sun), sc + SC_OFF(sc_len), 0, 0, 0);
	if (r < 0)
		return (int)r;
	memset(&sun, 0, sizeof(sun));
	if ((r = it_mem_read(t, sc + SC_OFF(sc_len), &len, sizeof(len))) < 0 ||
	    (r = it_mem_read(t, sc + SC_OFF(sc_sun), &sun,
	    len < sizeof(sun) ? len : sizeof(sun))) < 0)
		return (int)r;
	vsock_addr_of(vs, &sun, len, va);
	return 0;
}

long
vsock_put_name(struct it_task *t, const char *name, uint64_t at)
{
	struct sockaddr_un	 sun = { .sun_family = AF_UNIX };
	size_t			 n = strlen(name);
	long			 e;

	if (n + 1 > sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	memcpy(sun.sun_path + 1, name, n);
	n += offsetof(struct sockaddr_un, sun_path) + 1;
	if ((e = it_mem_write(t, at, &sun, n)) < 0)
		return e;
	return (long)n;
}

long
vsock_bind_name(struct it_task *t, int fd, const char *name)
{
	long	 len;

	if ((len = vsock_put_name(t, name, SCRATCH(t) + SC_OFF(sc_sun))) < 0)
		return len;
	return it_task_syscall(t, SYS_bind, (uint64_t)fd,
	    SCRATCH(t) + SC_OFF(sc_sun), (uint64_t)len, 0, 0, 0);
}

static int
reply_names(const Isotrace__Envelope *req, char *name, char *local)
{
	Isotrace__Envelope	*reply;
	int			 e;

	if ((e = rpc_call(req, ISOTRACE__ENVELOPE__PAYLOAD_NET_REPLY,
	    &reply)) < 0)
		return e;
	e = -reply->net_reply->error;
	if (e == 0) {
		snprintf(name, VNET_NAME_MAX + 1, "%s", reply->net_reply->name);
		if (local != NULL)
			snprintf(local, VNET_NAME_MAX + 1, "%s",
			    reply->net_reply->local_name);
	}
	channel_free(reply);
	return e;
}

int
vsock_reg_bind(const struct vsock *vs, const struct vaddr *va, char *name)
{
	Isotrace__Envelope	 env;
	Isotrace__NetBind	 m = ISOTRACE__NET_BIND__INIT;
	int			 v6only = 0;

	m.type = vs->vs_type;
	/* the registry is told, so that 0.0.0.0 and :: may share a port */
	m.v6only = vs->vs_family == AF_INET6 &&
	    vsock_opt_get(vs, IPPROTO_IPV6, IPV6_V6ONLY, &v6only) &&
	    v6only != 0;
	m.addr.data = (uint8_t *)va->va_addr;
	m.addr.len = 16;
	m.port = va->va_port;
	channel_init(&env, ISOTRACE__ENVELOPE__PAYLOAD_NET_BIND);
	env.net_bind = &m;
	return reply_names(&env, name, NULL);
}

int
vsock_reg_connect(const struct vsock *vs, const struct vaddr *to,
    const struct vaddr *local, char *peer, char *localname)
{
	Isotrace__Envelope	 env;
	Isotrace__NetConnect	 m = ISOTRACE__NET_CONNECT__INIT;

	m.type = vs->vs_type;
	m.addr.data = (uint8_t *)to->va_addr;
	m.addr.len = 16;
	m.port = to->va_port;
	if (local != NULL) {
		m.local_addr.data = (uint8_t *)local->va_addr;
		m.local_addr.len = 16;
	}
	channel_init(&env, ISOTRACE__ENVELOPE__PAYLOAD_NET_CONNECT);
	env.net_connect = &m;
	if (to->va_port == 0)
		return -ECONNREFUSED;
	if (local != NULL)
		localname[0] = '\0';
	return reply_names(&env, peer, local != NULL ? localname : NULL);
}

/* Options of the IP levels, which AF_UNIX has not: kept here, by socket,
 * so that a program reads back what it set. */
#define OPTS_SIZE	128

struct opt {
	uint64_t	 o_inode;
	int		 o_level, o_name, o_val;
};
static struct opt	 opts[OPTS_SIZE];

static struct opt *
opt_slot(const struct vsock *vs, int level, int name)
{
	uint64_t	 h = vs->vs_inode * 31 + (uint64_t)level * 131 +
			     (uint64_t)name;

	return &opts[(h * 0x9e3779b97f4a7c15ULL) >> 57];
}

int
vsock_opt_get(const struct vsock *vs, int level, int name, int *val)
{
	struct opt	*o = opt_slot(vs, level, name);

	if (o->o_inode != vs->vs_inode || o->o_level != level ||
	    o->o_name != name)
		return 0;
	*val = o->o_val;
	return 1;
}

void
vsock_opt_set(const struct vsock *vs, int level, int name, int val)
{
	struct opt	*o = opt_slot(vs, level, name);

	o->o_inode = vs->vs_inode;
	o->o_level = level;
	o->o_name = name;
	o->o_val = val;
}

/*
 * SO_RCVTIMEO of virtual sockets, remembered in microseconds (the kernel
 * applies it to the AF_UNIX socket itself): a receive that waits it out
 * moves the virtual clock by it, as a poll that times out does, so that a
 * loop of timed receives up to a deadline ends.  Nothing is looked up
 * until some socket of the process has one.
 */
static int	 timeo_seen;

#ifndef SO_RCVTIMEO_NEW
#define SO_RCVTIMEO_NEW	66
#endif

int
vsock_timeo_opt(int level, int name)
{
	return level == SOL_SOCKET && (name == SO_RCVTIMEO ||
	    name == SO_RCVTIMEO_NEW);
}

void
vsock_timeo_set(struct it_task *t, const struct vsock *vs, uint64_t val,
    unsigned int len)
{
	struct timeval	 tv;
	uint64_t	 us;

	if (len < sizeof(tv) || it_mem_read(t, val, &tv, sizeof(tv)) < 0 ||
	    tv.tv_usec < 0 || tv.tv_usec >= 1000000 || tv.tv_sec < 0)
		return;		/* the kernel refuses it (EDOM, EFAULT) */
	us = (uint64_t)tv.tv_sec * 1000000 + (uint64_t)tv.tv_usec;
	vsock_opt_set(vs, SOL_SOCKET, SO_RCVTIMEO, us > INT32_MAX ?
	    INT32_MAX : (int)us);
	timeo_seen = 1;
}

/* Whether fd is in non-blocking mode, from /proc (no injection). */
static int
nonblocking(struct it_task *t, int fd)
{
	char	 path[64], line[128];
	FILE	*f;
	int	 nb = 0;

	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d",
	    (int)it_task_pid(t), fd);
	if ((f = fopen(path, "re")) == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "flags:", 6) == 0) {
			nb = (strtoul(line + 6, NULL, 8) & O_NONBLOCK) != 0;
			break;
		}
	fclose(f);
	return nb;
}

uint64_t
vsock_timeo(struct it_task *t, int fd, unsigned int flags)
{
	struct vsock	 vs;
	int		 us = 0;

	if (!timeo_seen || (flags & MSG_DONTWAIT) || !vsock_get(t, fd, &vs) ||
	    !vsock_opt_get(&vs, SOL_SOCKET, SO_RCVTIMEO, &us) || us <= 0 ||
	    nonblocking(t, fd))
		return 0;
	return (uint64_t)us * 1000;
}
