/*
 * The virtual network: AF_INET and AF_INET6 sockets of sandboxed
 * processes are AF_UNIX sockets in disguise (vsock.h), bound and
 * connected to abstract names that the supervisor's registry gives out.
 * Only the calls that name addresses stop here: socket, bind, listen,
 * connect, accept, getsockname, getpeername and the options.  read,
 * write, shutdown, close and dup act on the AF_UNIX socket in the
 * kernel, at full speed.
 *
 * Injected calls never block: bind, getsockname, and connect, which for
 * AF_UNIX only queues the connection (listen() raises the backlog so that
 * the queue has room, and a full queue is left to the program's own
 * call).  accept, which blocks, runs as the program's own call, and its
 * addresses are filled in at its exit.
 */
#include <sys/syscall.h>
#include <netinet/in.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "../../common/vnet.h"
#include "sandbox.h"
#include "vsock.h"

/* As net.core.somaxconn: connects queue instead of blocking. */
#define BACKLOG	4096

static long
sb_socket(struct it_task *t, int domain, unsigned int type, int protocol)
{
	struct vsock	 vs;
	unsigned int	 base = type & 0xf;
	long		 fd;
	int		 e;

	if (domain != AF_INET && domain != AF_INET6)
		return IT_RUN_ORIGINAL;	/* AF_UNIX and the rest: as they are */
	/* __sock_create's and inet_create's order: flags, type, protocol
	 * range, then what the family has of that type */
	if ((type & ~0xfU & ~(unsigned)(SOCK_NONBLOCK | SOCK_CLOEXEC)) != 0 ||
	    base > SOCK_PACKET || protocol < 0 || protocol >= IPPROTO_MAX)
		return -EINVAL;
	if (base == SOCK_RAW || base == SOCK_PACKET)
		return -EPERM;		/* never a real packet */
	if (base != SOCK_STREAM && base != SOCK_DGRAM)
		return -ESOCKTNOSUPPORT;
	/* UDP-Lite is UDP here: its checksum coverage has nothing to
	 * cover (netopt.c keeps its options) */
	if (protocol != 0 && protocol != (base == SOCK_STREAM ?
	    IPPROTO_TCP : IPPROTO_UDP) && (base != SOCK_DGRAM ||
	    protocol != IPPROTO_UDPLITE))
		return -EPROTONOSUPPORT;
	fd = it_task_syscall(t, SYS_socket, AF_UNIX, type, 0, 0, 0, 0);
	if (fd < 0)
		return fd;
	if ((e = vsock_add(t, (int)fd, domain, (int)base, &vs)) < 0) {
		(void)it_task_syscall(t, SYS_close, (uint64_t)fd, 0, 0, 0, 0, 0);
		return e;
	}
	if (protocol == IPPROTO_UDPLITE)
		vsock_opt_set(&vs, SOL_SOCKET, SO_PROTOCOL, protocol);
	if (base == SOCK_DGRAM)
		vsock_set_state(&vs, VS_UNCONN);
	return fd;
}

/* Is fd bound to a name yet? */
static int
bound(struct it_task *t, const struct vsock *vs, int fd)
{
	struct vaddr	 va;

	return vsock_name(t, vs, fd, 0, &va) == 0 && va.va_port != 0;
}

static long
bind_to(struct it_task *t, const struct vsock *vs, int fd,
    const struct vaddr *va)
{
	char	 name[VNET_NAME_MAX + 1];
	int	 e;

	if (bound(t, vs, fd))
		return -EINVAL;
	if ((e = vsock_reg_bind(vs, va, name)) < 0)
		return e;
	return vsock_bind_name(t, fd, name);
}

static int
opt_on(const struct vsock *vs, int level, int name)
{
	int	 v = 0;

	return vsock_opt_get(vs, level, name, &v) && v != 0;
}

static long
sb_bind(struct it_task *t, int fd, it_gp_sockaddr addr, unsigned int len)
{
	struct vsock	 vs;
	struct vaddr	 va;
	int		 e;

	if (!vsock_get(t, fd, &vs))
		return IT_RUN_ORIGINAL;
	e = vsock_addr_in(t, &vs, addr.addr, len, &va);
	if (e == -EFAULT || (int)len < 0 || len > sizeof(struct
	    sockaddr_storage))
		return e;
	/* inet_bind checks the length before the family */
	if (len < (vs.vs_family == AF_INET ? sizeof(struct sockaddr_in) :
	    SIN6_LEN_RFC2133))
		return -EINVAL;
	/* and takes AF_UNSPEC for AF_INET if it names INADDR_ANY */
	if (e == 1 && vs.vs_family == AF_INET && vnet_is_any(va.va_addr))
		e = 0;
	if (e != 0)
		return e < 0 ? e : -EAFNOSUPPORT;
	/* the virtual host has only lo (and a program that asked for
	 * IP_FREEBIND or IP_TRANSPARENT may bind what it likes) */
	if (!vnet_is_any(va.va_addr) && !vnet_is_loopback(va.va_addr) &&
	    !opt_on(&vs, IPPROTO_IP, IP_FREEBIND) &&
	    !opt_on(&vs, IPPROTO_IPV6, IPV6_FREEBIND) &&
	    !opt_on(&vs, IPPROTO_IP, IP_TRANSPARENT) &&
	    !opt_on(&vs, IPPROTO_IPV6, IPV6_TRANSPARENT))
		return -EADDRNOTAVAIL;
	return bind_to(t, &vs, fd, &va);
}

static long
sb_listen(struct it_task *t, int fd, int backlog)
{
	struct vsock	 vs;
	struct vaddr	 any;
	long		 e;

	(void)backlog;
	if (!vsock_get(t, fd, &vs))
		return IT_RUN_ORIGINAL;
	if (vs.vs_type == SOCK_STREAM && !bound(t, &vs, fd)) {
		/* as TCP: listening unbound takes a port on every address */
		vsock_any(vs.vs_family, &any);
		if ((e = bind_to(t, &vs, fd, &any)) < 0)
			return e;
	}
	it_task_set_arg(t, 1, BACKLOG);
	return IT_RUN_ORIGINAL;
}

/* An exit function's failed call: if it waited out SO_RCVTIMEO (EAGAIN
 * with sc_timeo set at entry), the clock moves by it. */
long
net_timed_out(struct it_task *t, long r)
{
	uint64_t	 ns;

	if (r == -EAGAIN && it_mem_read(t, SCRATCH(t) + SC_OFF(sc_timeo), &ns,
	    sizeof(ns)) == 0 && ns > 0)
		sandbox_sleep(ns);
	return r;
}

/* A destination of 0.0.0.0 or :: is the local host, as the kernel takes
 * it: its loopback address. */
void
net_local(struct vaddr *va)
{
	unsigned int	 port = va->va_port;

	if (!vnet_is_any(va->va_addr))
		return;
	vsock_loopback(vnet_is_v4(va->va_addr) ? AF_INET : AF_INET6, va);
	va->va_port = port;
}

/*
 * The registry's answer for a connect (or a send) to va: the peer's name
 * at guest address at (its length), having bound fd first if it was not.
 */
long
net_reach(struct it_task *t, const struct vsock *vs, int fd,
    const struct vaddr *va, uint64_t at)
{
	char		 peer[VNET_NAME_MAX + 1], local[VNET_NAME_MAX + 1];
	struct vaddr	 me;
	long		 e;
	int		 unbound = !bound(t, vs, fd);

	if (unbound) {
		if (vs->vs_type == SOCK_DGRAM)
			vsock_any(vs->vs_family, &me);	/* as UDP */
		else if (vnet_is_any(va->va_addr))
			vsock_loopback(vs->vs_family, &me);
		else
			me = *va;
		me.va_port = 0;
	}
	if ((e = vsock_reg_connect(vs, va, unbound ? &me : NULL, peer,
	    local)) < 0)
		return e;
	if (unbound && (e = vsock_bind_name(t, fd, local)) < 0)
		return e;
	return vsock_put_name(t, peer, at);
}

/*
 * A non-blocking TCP connect on loopback says EINPROGRESS, and the next
 * connect, once the handshake is done, 0 (then EISCONN): event loops
 * count on it.  The AF_UNIX connect underneath is done at once; these are
 * the sockets whose next connect is to say 0.
 */
#define INPROGRESS_MAX	64
static uint64_t	 inprogress[INPROGRESS_MAX];

static int
inprogress_take(uint64_t inode)
{
	size_t	 i;

	for (i = 0; i < INPROGRESS_MAX; i++)
		if (inprogress[i] == inode) {
			inprogress[i] = 0;
			return 1;
		}
	return 0;
}

static void
inprogress_put(uint64_t inode)
{
	static size_t	 next;

	inprogress[next++ % INPROGRESS_MAX] = inode;
}

/*
 * Connects fd to the sockaddr_un at sun, without ever blocking the worker:
 * a blocking socket is made non-blocking for the injected connect, which
 * for AF_UNIX fails with EAGAIN only when the listener's queue is full;
 * then the program's own call waits for room, in the tracee.
 */
static long
connect_name(struct it_task *t, const struct vsock *vs, int fd, uint64_t sun,
    long len)
{
	long	 fl, r;

	if ((fl = it_task_syscall(t, SYS_fcntl, (uint64_t)fd, F_GETFL, 0, 0,
	    0, 0)) < 0)
		return fl;
	if (fl & O_NONBLOCK) {
		r = it_task_syscall(t, SYS_connect, (uint64_t)fd, sun,
		    (uint64_t)len, 0, 0, 0);
		if (r != 0 || vs->vs_type != SOCK_STREAM)
			return r;
		inprogress_put(vs->vs_inode);
		return -EINPROGRESS;
	}
	if ((r = it_task_syscall(t, SYS_fcntl, (uint64_t)fd, F_SETFL,
	    (uint64_t)(fl | O_NONBLOCK), 0, 0, 0)) < 0)
		return r;
	r = it_task_syscall(t, SYS_connect, (uint64_t)fd, sun, (uint64_t)len,
	    0, 0, 0);
	(void)it_task_syscall(t, SYS_fcntl, (uint64_t)fd, F_SETFL,
	    (uint64_t)fl, 0, 0, 0);
	if (r != -EAGAIN)
		return r;
	it_task_set_arg(t, 1, sun);
	it_task_set_arg(t, 2, (uint64_t)len);
	return IT_RUN_ORIGINAL;
}

static long
sb_connect(struct it_task *t, int fd, it_gp_sockaddr addr, unsigned int len)
{
	struct vsock	 vs;
	struct vaddr	 va;
	long		 n;
	int		 e;

	if (!vsock_get(t, fd, &vs))
		return IT_RUN_ORIGINAL;
	if (inprogress_take(vs.vs_inode))
		return 0;	/* the "handshake" of EINPROGRESS is over */
	if (vs.vs_state == VS_REFUSED || vs.vs_state == VS_ABORTED)
		return netgone_reconnect(&vs);
	if ((e = vsock_addr_in(t, &vs, addr.addr, len, &va)) < 0)
		return e;
	if (e == 1) {		/* AF_UNSPEC: a datagram socket disconnects */
		if (vs.vs_type == SOCK_DGRAM)
			vsock_set_state(&vs, VS_UNCONN);
		return IT_RUN_ORIGINAL;
	}
	net_local(&va);
	n = net_reach(t, &vs, fd, &va, SCRATCH(t) + SC_OFF(sc_sun));
	if (n >= 0)
		n = connect_name(t, &vs, fd, SCRATCH(t) + SC_OFF(sc_sun), n);
	/* nobody there, or a name whose socket is closed just now */
	if (n == -ECONNREFUSED && va.va_port != 0)
		return netgone_connect(t, &vs, fd, &va);
	if (n != 0 && n != IT_RUN_ORIGINAL && n != -EINPROGRESS)
		return n;
	if (vs.vs_type == SOCK_DGRAM)
		vsock_set_state(&vs, VS_PLAIN);
	return n;
}

/* accept's exit: the new socket is virtual too, and its peer is named
 * in the program's buffer. */
static long
accept_done(struct it_task *t, long fd, void *arg)
{
	struct vsock_scratch	 sc;
	struct vsock		 vs;
	struct vaddr		 va;
	int			 e;

	(void)arg;
	if (fd < 0)
		return net_timed_out(t, fd);
	if (it_mem_read(t, SCRATCH(t), &sc, SC_OFF(sc_len)) < 0 ||
	    vsock_add(t, (int)fd, sc.sc_family, sc.sc_type, &vs) < 0)
		return fd;	/* cannot happen short of a dying worker */
	if (sc.sc_saved[0] != 0) {
		if ((e = vsock_name(t, &vs, (int)fd, 1, &va)) < 0)
			vsock_any(vs.vs_family, &va);
		vsock_as_peer(&vs, &va);
		if ((e = vsock_addr_out(t, &vs, sc.sc_saved[0],
		    sc.sc_saved[1], &va)) < 0) {
			/* the kernel drops the new socket then: the
			 * connection is lost */
			(void)it_task_syscall(t, SYS_close, (uint64_t)fd, 0,
			    0, 0, 0, 0);
			return e;
		}
	}
	return fd;
}

static long
accept_virtual(struct it_task *t, int fd, uint64_t addr, uint64_t lenp)
{
	struct vsock_scratch	 sc;
	struct vsock		 vs;
	int			 e;

	if (!vsock_get(t, fd, &vs))
		return IT_RUN_ORIGINAL;
	memset(&sc, 0, sizeof(sc));
	sc.sc_saved[0] = addr;
	sc.sc_saved[1] = lenp;
	sc.sc_family = vs.vs_family;
	sc.sc_type = vs.vs_type;
	sc.sc_timeo = vsock_timeo(t, fd, 0);
	if ((e = it_mem_write(t, SCRATCH(t), &sc, SC_OFF(sc_len))) < 0)
		return e;
	/* the kernel would write an AF_UNIX address there */
	it_task_set_arg(t, 1, 0);
	it_task_set_arg(t, 2, 0);
	it_task_on_exit(t, accept_done, NULL);
	return IT_RUN_ORIGINAL;
}

static long
sb_accept(struct it_task *t, int fd, it_gp_sockaddr addr, it_gp_socklen len)
{
	return accept_virtual(t, fd, addr.addr, len.addr);
}

static long
sb_accept4(struct it_task *t, int fd, it_gp_sockaddr addr, it_gp_socklen len,
    unsigned int flags)
{
	(void)flags;
	return accept_virtual(t, fd, addr.addr, len.addr);
}

static long
name_of(struct it_task *t, int fd, int peer, uint64_t addr, uint64_t lenp)
{
	struct vsock	 vs;
	struct vaddr	 va, pa;
	int		 e;

	if (!vsock_get(t, fd, &vs))
		return IT_RUN_ORIGINAL;
	if ((e = vsock_name(t, &vs, fd, peer, &va)) < 0)
		return e;
	/* an accepted socket has its listener's name, and a connected
	 * datagram socket its own, maybe a wildcard: it was reached at a
	 * definite address, loopback of its peer's kind (IPv4-mapped for
	 * an IPv4 peer, as glibc's getaddrinfo checks) */
	if (peer)
		vsock_as_peer(&vs, &va);
	else if (vnet_is_any(va.va_addr) && va.va_port != 0 &&
	    vsock_name(t, &vs, fd, 1, &pa) == 0) {
		pa.va_port = va.va_port;
		vsock_loopback(vnet_is_v4(pa.va_addr) ? AF_INET :
		    vs.vs_family, &va);
		va.va_port = pa.va_port;
	}
	return vsock_addr_out(t, &vs, addr, lenp, &va);
}

/* shutdown of a TCP or UDP socket that is neither connected nor
 * listening says ENOTCONN (having set its flags all the same), which
 * AF_UNIX does not. */
static long
shutdown_done(struct it_task *t, long r, void *arg)
{
	(void)t;
	(void)arg;
	return r == 0 ? -ENOTCONN : r;
}

static long
sb_shutdown(struct it_task *t, int fd, int how)
{
	struct vsock	 vs;
	struct vaddr	 va;
	uint64_t	 sc;
	socklen_t	 len = sizeof(int);
	int		 on = 0;

	if (how < SHUT_RD || how > SHUT_RDWR || !vsock_get(t, fd, &vs))
		return IT_RUN_ORIGINAL;
	if (vsock_name(t, &vs, fd, 1, &va) != -ENOTCONN) {
		/* its sends fail at once from now on, as TCP's
		 * (netreset.c) */
		if (how != SHUT_RD && vs.vs_type == SOCK_STREAM &&
		    vs.vs_state == VS_PLAIN)
			vsock_set_state(&vs, VS_WRDONE);
		return IT_RUN_ORIGINAL;
	}
	sc = SCRATCH(t);
	if (vs.vs_type == SOCK_STREAM &&
	    (it_mem_write(t, sc + SC_OFF(sc_len), &len, sizeof(len)) < 0 ||
	    it_task_syscall(t, SYS_getsockopt, (uint64_t)fd, SOL_SOCKET,
	    SO_ACCEPTCONN, sc + SC_OFF(sc_type), sc + SC_OFF(sc_len), 0) < 0 ||
	    it_mem_read(t, sc + SC_OFF(sc_type), &on, sizeof(on)) < 0 || on))
		return IT_RUN_ORIGINAL;
	it_task_on_exit(t, shutdown_done, NULL);
	return IT_RUN_ORIGINAL;
}

static long
sb_getsockname(struct it_task *t, int fd, it_gp_sockaddr addr,
    it_gp_socklen len)
{
	return name_of(t, fd, 0, addr.addr, len.addr);
}

static long
sb_getpeername(struct it_task *t, int fd, it_gp_sockaddr addr,
    it_gp_socklen len)
{
	return name_of(t, fd, 1, addr.addr, len.addr);
}

const struct it_table sandbox_net = {
	.socket = sb_socket,
	.bind = sb_bind,
	.listen = sb_listen,
	.connect = sb_connect,
	.accept = sb_accept,
	.accept4 = sb_accept4,
	.getsockname = sb_getsockname,
	.getpeername = sb_getpeername,
	.shutdown = sb_shutdown,
};
