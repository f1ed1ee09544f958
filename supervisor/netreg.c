/*
 * The sandbox's virtual network registry: which sockets of the run are
 * virtual (by socket inode), and which virtual addresses are bound.
 *
 * The data never passes here.  A bound virtual socket is an AF_UNIX
 * socket in its tracee, bound to an abstract name made here (vnet.h); a
 * connect is answered with the name to connect to.  The names carry this
 * run's id, so two runs never meet, and a host program cannot reach them
 * through AF_INET at all.
 *
 * Nobody tells the registry when a socket is closed.  A binding found in
 * the way of a new one is checked against the kernel instead: if its name
 * can be bound now, its socket is gone, and the binding is dropped.
 * Ports for bind(0) and for clients come from a counter per socket type,
 * so they are the same on every run in which sockets bind in the same
 * order.
 */
#include <sys/socket.h>
#include <sys/un.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/log.h"
#include "../common/vnet.h"
#include "../proto/channel.h"
#include "supervisor.h"

#define PORT_FIRST	32768		/* as ip_local_port_range */
#define PORT_LAST	60999

struct vsock {
	uint64_t	 vs_inode;
	int		 vs_family, vs_type;
};

struct binding {
	int		 b_type;
	uint8_t		 b_addr[16];
	unsigned int	 b_port;
	int		 b_v6only;	/* IPV6_V6ONLY */
	char		 b_name[VNET_NAME_MAX + 1];
};

static struct vsock	*socks;
static size_t		 nsocks, socks_cap;
static struct binding	*binds;
static size_t		 nbinds, binds_cap;
static unsigned int	 next_port[2] = { PORT_FIRST, PORT_FIRST };
static char		 run[VNET_RUN_MAX];

static void *
grow(void *p, size_t *cap, size_t size)
{
	size_t	 n = *cap ? *cap * 2 : 64;

	if ((p = reallocarray(p, n, size)) == NULL)
		fatal("reallocarray");
	*cap = n;
	return p;
}

static const char *
run_id(void)
{
	if (run[0] == '\0')
		snprintf(run, sizeof(run), "%d", (int)getpid());
	return run;
}

/* Is the binding's name still held by a socket?  Probe by binding it. */
static int
alive(const struct binding *b)
{
	struct sockaddr_un	 sun = { .sun_family = AF_UNIX };
	size_t			 n = strlen(b->b_name);
	int			 fd, in_use;

	if ((fd = socket(AF_UNIX, b->b_type | SOCK_CLOEXEC, 0)) == -1)
		return 1;	/* cannot tell: keep it */
	memcpy(sun.sun_path + 1, b->b_name, n);
	in_use = bind(fd, (struct sockaddr *)&sun,
	    (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n)) == -1 &&
	    errno == EADDRINUSE;
	close(fd);
	return in_use;
}

/* Does a wildcard a (an IPV6_V6ONLY one if v6only) cover address b?
 * 0.0.0.0 covers IPv4, :: everything, or IPv6 only with V6ONLY. */
static int
covers(const uint8_t a[16], int v6only, const uint8_t b[16])
{
	if (!vnet_is_any(a))
		return 0;
	if (vnet_is_v4(a))
		return vnet_is_v4(b);
	return !v6only || !vnet_is_v4(b);
}

/* Do bindings to a and b clash on one port? */
static int
overlap(const uint8_t a[16], int a6only, const uint8_t b[16], int b6only)
{
	return memcmp(a, b, 16) == 0 || covers(a, a6only, b) ||
	    covers(b, b6only, a);
}

static int
in_use(int type, const uint8_t addr[16], int v6only, unsigned int port)
{
	size_t	 i;

	for (i = 0; i < nbinds; i++) {
		if (binds[i].b_type != type || binds[i].b_port != port ||
		    !overlap(binds[i].b_addr, binds[i].b_v6only, addr, v6only))
			continue;
		if (alive(&binds[i]))
			return 1;
		binds[i--] = binds[--nbinds];	/* its socket is gone */
	}
	return 0;
}

static unsigned int
ephemeral(int type, const uint8_t addr[16], int v6only)
{
	unsigned int	*next = &next_port[type == SOCK_STREAM];
	unsigned int	 i, p;

	for (i = 0; i <= PORT_LAST - PORT_FIRST; i++) {
		p = (*next)++;
		if (*next > PORT_LAST)
			*next = PORT_FIRST;
		if (!in_use(type, addr, v6only, p))
			return p;
	}
	return 0;
}

/* Records a binding; 0 and its name, or an errno. */
static int
bind_addr(int type, const uint8_t addr[16], int v6only, unsigned int port,
    const char **name)
{
	struct binding	*b;

	v6only = v6only && !vnet_is_v4(addr);
	if (port == 0) {
		if ((port = ephemeral(type, addr, v6only)) == 0)
			return EADDRINUSE;
	} else if (in_use(type, addr, v6only, port))
		return EADDRINUSE;
	if (nbinds == binds_cap)
		binds = grow(binds, &binds_cap, sizeof(*binds));
	b = &binds[nbinds];
	b->b_type = type;
	memcpy(b->b_addr, addr, 16);
	b->b_port = port;
	b->b_v6only = v6only;
	if (vnet_name(b->b_name, sizeof(b->b_name), run_id(), type, addr,
	    port) < 0)
		return ENAMETOOLONG;
	nbinds++;
	*name = b->b_name;
	return 0;
}

/* The binding a connect to addr:port reaches: exact first, else a
 * wildcard that covers it. */
static const struct binding *
find(int type, const uint8_t addr[16], unsigned int port)
{
	const struct binding	*wild = NULL;
	size_t			 i;

	for (i = 0; i < nbinds; i++) {
		if (binds[i].b_type != type || binds[i].b_port != port)
			continue;
		if (memcmp(binds[i].b_addr, addr, 16) == 0)
			return &binds[i];
		if (wild == NULL && covers(binds[i].b_addr,
		    binds[i].b_v6only, addr))
			wild = &binds[i];
	}
	return wild;
}

/* An address of this sandbox: loopback, a wildcard, or a bound one. */
static int
local(const uint8_t addr[16])
{
	size_t	 i;

	if (vnet_is_loopback(addr) || vnet_is_any(addr))
		return 1;
	for (i = 0; i < nbinds; i++)
		if (memcmp(binds[i].b_addr, addr, 16) == 0)
			return 1;
	return 0;
}

/*
 * The virtual sockets: an open-addressing table by inode, at most half
 * full.  Nothing is ever removed (closes are not reported), which is
 * harmless: an inode number is not reused for a long time.
 */
static struct vsock *
sock_slot(struct vsock *tab, size_t cap, uint64_t inode)
{
	size_t	 i = (size_t)(inode * 0x9e3779b97f4a7c15ULL) & (cap - 1);

	while (tab[i].vs_inode != 0 && tab[i].vs_inode != inode)
		i = (i + 1) & (cap - 1);
	return &tab[i];
}

static const struct vsock *
sock_find(uint64_t inode)
{
	struct vsock	*s;

	if (socks_cap == 0)
		return NULL;
	s = sock_slot(socks, socks_cap, inode);
	return s->vs_inode == inode ? s : NULL;
}

static void
sock_add(const Isotrace__NetSocket *m)
{
	struct vsock	*s, *old = socks;
	size_t		 i, n = socks_cap;

	if (2 * (nsocks + 1) > socks_cap) {
		socks_cap = n ? 2 * n : 1024;
		if ((socks = calloc(socks_cap, sizeof(*socks))) == NULL)
			fatal("calloc");
		for (i = 0; i < n; i++)
			if (old[i].vs_inode != 0)
				*sock_slot(socks, socks_cap, old[i].vs_inode) =
				    old[i];
		free(old);
	}
	s = sock_slot(socks, socks_cap, m->inode);
	nsocks += s->vs_inode == 0;
	s->vs_inode = m->inode;
	s->vs_family = m->family;
	s->vs_type = m->type;
}

static int
connect_to(const Isotrace__NetConnect *m, Isotrace__NetReply *r)
{
	static char		 peer[VNET_NAME_MAX + 1];
	const struct binding	*b;
	const char		*name;
	int			 e;

	/* outside, a wildcard listener is not reached either */
	if (!local(m->addr.data))
		return ENETUNREACH;
	if ((b = find(m->type, m->addr.data, m->port)) == NULL)
		return ECONNREFUSED;
	/* a copy: bind_addr() can grow or compact the array */
	strlcpy(peer, b->b_name, sizeof(peer));
	r->name = peer;
	if (m->local_addr.len == 0)
		return 0;
	if ((e = bind_addr(m->type, m->local_addr.data, 0, 0, &name)) != 0)
		return e;
	r->local_name = (char *)name;
	return 0;
}

int
netreg_request(int fd, const Isotrace__Envelope *req)
{
	Isotrace__Envelope	 env;
	Isotrace__NetReply	 r = ISOTRACE__NET_REPLY__INIT;
	const struct vsock	*s;
	const char		*name = "";
	int			 e = 0;

	switch (req->payload_case) {
	case ISOTRACE__ENVELOPE__PAYLOAD_NET_SOCKET:
		sock_add(req->net_socket);
		break;
	case ISOTRACE__ENVELOPE__PAYLOAD_NET_LOOKUP:
		if ((s = sock_find(req->net_lookup->inode)) == NULL)
			e = ENOENT;
		else {
			r.family = s->vs_family;
			r.type = s->vs_type;
		}
		break;
	case ISOTRACE__ENVELOPE__PAYLOAD_NET_BIND:
		e = bind_addr(req->net_bind->type, req->net_bind->addr.data,
		    req->net_bind->v6only, req->net_bind->port, &name);
		r.name = (char *)name;
		break;
	case ISOTRACE__ENVELOPE__PAYLOAD_NET_CONNECT:
		e = connect_to(req->net_connect, &r);
		break;
	default:
		return -EBADMSG;
	}
	r.error = e;
	if (e != 0)
		r.name = r.local_name = "";
	channel_init(&env, ISOTRACE__ENVELOPE__PAYLOAD_NET_REPLY);
	env.net_reply = &r;
	return channel_send(fd, &env);
}
