/*
 * Virtual sockets that reached nobody, made to behave as loopback's do.
 *
 * A non-blocking TCP connect to a port nobody listens on says EINPROGRESS
 * on loopback; the RST comes at once, so poll then says POLLOUT, POLLERR
 * and POLLHUP, SO_ERROR gives ECONNREFUSED once, reads give 0 and writes
 * EPIPE.  An AF_UNIX stream socket gets all of that (with ECONNRESET for
 * an error) when it connects to a listener that is closed before it
 * accepts: the worker makes such a listener in the tracee for the
 * moment of the connect, and SO_ERROR's ECONNRESET is told as
 * ECONNREFUSED.
 *
 * A UDP connect to a port nobody has bound succeeds; each datagram then
 * sent is lost and its ICMP "port unreachable" comes back as an error
 * (ECONNREFUSED) that the socket's next send, receive or SO_ERROR reports
 * once.  The AF_UNIX datagram socket is connected to a socket that is
 * closed at once (so getpeername names the address, and a write() that
 * this file does not see says ECONNREFUSED), and the error is kept here,
 * in the state of the socket (vsock.h).
 */
#include <sys/syscall.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "../../common/vnet.h"
#include "sandbox.h"
#include "vsock.h"

/*
 * Connects fd to a socket of its type bound to va's name, which is closed
 * at once.  The name's run is this worker's own ("gone" and its pid), so
 * it never clashes with one the registry gave out.
 */
static long
dead_peer(struct it_task *t, int fd, int type, const struct vaddr *va)
{
	char		 run[VNET_RUN_MAX], name[VNET_NAME_MAX + 1];
	uint64_t	 sun = SCRATCH(t) + SC_OFF(sc_sun);
	long		 len, s, r;

	snprintf(run, sizeof(run), "gone%d", (int)getpid());
	if (vnet_name(name, sizeof(name), run, type, va->va_addr,
	    va->va_port) < 0)
		return -ENAMETOOLONG;
	if ((len = vsock_put_name(t, name, sun)) < 0)
		return len;
	s = it_task_syscall(t, SYS_socket, AF_UNIX,
	    (uint64_t)type | SOCK_CLOEXEC, 0, 0, 0, 0);
	if (s < 0)
		return s;
	r = it_task_syscall(t, SYS_bind, (uint64_t)s, sun, (uint64_t)len, 0,
	    0, 0);
	/* a backlog of 1 with nothing queued: the connect cannot wait */
	if (r == 0 && type == SOCK_STREAM)
		r = it_task_syscall(t, SYS_listen, (uint64_t)s, 1, 0, 0, 0, 0);
	if (r == 0)
		r = it_task_syscall(t, SYS_connect, (uint64_t)fd, sun,
		    (uint64_t)len, 0, 0, 0);
	(void)it_task_syscall(t, SYS_close, (uint64_t)s, 0, 0, 0, 0, 0);
	return r;
}

/* A connect binds an unbound socket to a port of its own, as net_reach
 * would have: UDP on the wildcard, TCP on the address it goes to. */
static long
bind_local(struct it_task *t, const struct vsock *vs, int fd,
    const struct vaddr *va)
{
	char		 name[VNET_NAME_MAX + 1];
	struct vaddr	 me;
	int		 e;

	if (vsock_name(t, vs, fd, 0, &me) == 0 && me.va_port != 0)
		return 0;
	if (vs->vs_type == SOCK_DGRAM)
		vsock_any(vs->vs_family, &me);
	else
		me = *va;
	me.va_port = 0;
	if ((e = vsock_reg_bind(vs, &me, name)) < 0)
		return e;
	return vsock_bind_name(t, fd, name);
}

long
netgone_connect(struct it_task *t, struct vsock *vs, int fd,
    const struct vaddr *va)
{
	long	 fl, r;

	/* both keep the port they were given for it */
	if (vs->vs_type == SOCK_DGRAM) {
		if ((r = bind_local(t, vs, fd, va)) < 0 ||
		    (r = dead_peer(t, fd, SOCK_DGRAM, va)) < 0)
			return r;
		vsock_set_state(vs, VS_NOBODY);
		return 0;
	}
	if ((fl = it_task_syscall(t, SYS_fcntl, (uint64_t)fd, F_GETFL, 0, 0,
	    0, 0)) < 0)
		return fl;
	if (!(fl & O_NONBLOCK))
		return -ECONNREFUSED;	/* a blocking one waits for the RST */
	if ((r = bind_local(t, vs, fd, va)) < 0 ||
	    (r = dead_peer(t, fd, SOCK_STREAM, va)) < 0)
		return r;
	vsock_set_state(vs, VS_REFUSED);
	return -EINPROGRESS;
}

/* The AF_UNIX socket's pending error, taken (getsockopt SO_ERROR). */
static long
take_error(struct it_task *t, int fd)
{
	uint64_t	 sc = SCRATCH(t);
	socklen_t	 len = sizeof(int);
	int		 v = 0;
	long		 r;

	if ((r = it_mem_write(t, sc + SC_OFF(sc_len), &len, sizeof(len))) < 0 ||
	    (r = it_task_syscall(t, SYS_getsockopt, (uint64_t)fd, SOL_SOCKET,
	    SO_ERROR, sc + SC_OFF(sc_type), sc + SC_OFF(sc_len), 0)) < 0 ||
	    (r = it_mem_read(t, sc + SC_OFF(sc_type), &v, sizeof(v))) < 0)
		return r;
	return v;
}

/*
 * A new AF_UNIX socket in place of fd's, with its flags: a TCP socket
 * whose connect failed is unconnected again and may connect anew, which
 * an AF_UNIX one may not.
 */
static long
renew(struct it_task *t, struct vsock *vs, int fd)
{
	long	 fl, fdfl, s, r;

	if ((fl = it_task_syscall(t, SYS_fcntl, (uint64_t)fd, F_GETFL, 0, 0,
	    0, 0)) < 0 ||
	    (fdfl = it_task_syscall(t, SYS_fcntl, (uint64_t)fd, F_GETFD, 0, 0,
	    0, 0)) < 0)
		return -1;
	s = it_task_syscall(t, SYS_socket, AF_UNIX, (uint64_t)SOCK_STREAM |
	    ((fl & O_NONBLOCK) ? SOCK_NONBLOCK : 0) | SOCK_CLOEXEC, 0, 0, 0,
	    0);
	if (s < 0)
		return s;
	r = it_task_syscall(t, SYS_dup3, (uint64_t)s, (uint64_t)fd,
	    (fdfl & FD_CLOEXEC) ? O_CLOEXEC : 0, 0, 0, 0);
	(void)it_task_syscall(t, SYS_close, (uint64_t)s, 0, 0, 0, 0, 0);
	if (r < 0)
		return r;
	vsock_set_state(vs, VS_PLAIN);
	return vsock_add(t, fd, vs->vs_family, vs->vs_type, vs);
}

/*
 * A connect on a socket whose connect was refused: the refusal if nobody
 * took it yet, ECONNABORTED if SO_ERROR did; after either the socket is
 * unconnected, as TCP's.
 */
long
netgone_reconnect(struct it_task *t, struct vsock *vs, int fd)
{
	long	 e;

	e = take_error(t, fd) == ECONNRESET ? -ECONNREFUSED : -ECONNABORTED;
	(void)renew(t, vs, fd);
	return e;
}

/*
 * A send without an address on a datagram socket: EDESTADDRREQ when it
 * is not connected, and to nobody a lost datagram, or the error of the
 * one before.
 */
long
netgone_send(struct it_task *t, struct vsock *vs, int fd, size_t len,
    unsigned int flags)
{
	struct vaddr	 va;

	if (vs->vs_type != SOCK_DGRAM)
		return IT_RUN_ORIGINAL;
	switch (vs->vs_state) {
	case VS_UNCONN:
		/* another process may have connected it since: the kernel
		 * says (once: it is PLAIN then) */
		if (vsock_name(t, vs, fd, 1, &va) != -ENOTCONN) {
			vsock_set_state(vs, VS_PLAIN);
			return IT_RUN_ORIGINAL;
		}
		/* udp_sendmsg's order */
		if (len > 0xffff)
			return -EMSGSIZE;
		if (flags & MSG_OOB)
			return -EOPNOTSUPP;
		return -EDESTADDRREQ;
	case VS_NOBODY:
		vsock_set_state(vs, VS_NOBODY_ERR);
		return (long)len;
	case VS_NOBODY_ERR:
		vsock_set_state(vs, VS_NOBODY);
		return -ECONNREFUSED;
	}
	return IT_RUN_ORIGINAL;
}

/* A receive takes the pending error too. */
long
netgone_recv(struct it_task *t, struct vsock *vs, unsigned int flags)
{
	(void)t;
	if (vs->vs_state != VS_NOBODY_ERR || (flags & MSG_ERRQUEUE))
		return IT_RUN_ORIGINAL;
	vsock_set_state(vs, VS_NOBODY);
	return -ECONNREFUSED;
}

/* SO_ERROR's exit on a refused TCP socket: AF_UNIX's word for it. */
static long
soerror_done(struct it_task *t, long r, void *arg)
{
	uint64_t	 saved[2];
	socklen_t	 len;
	int		 v;

	(void)arg;
	if (r == 0 && it_mem_read(t, SCRATCH(t), saved, sizeof(saved)) == 0 &&
	    it_mem_read(t, saved[1], &len, sizeof(len)) == 0 &&
	    len == sizeof(v) && it_mem_read(t, saved[0], &v, sizeof(v)) == 0 &&
	    v == ECONNRESET) {
		v = ECONNREFUSED;
		(void)it_mem_write(t, saved[0], &v, sizeof(v));
	}
	return r;
}

/* getsockopt SO_ERROR (value at val, its length at lenp): 1 and the
 * error to give in *err, or 0 when the kernel's own call is to run. */
int
netgone_soerror(struct it_task *t, struct vsock *vs, uint64_t val,
    uint64_t lenp, int *err)
{
	uint64_t	 saved[2] = { val, lenp };

	switch (vs->vs_state) {
	case VS_NOBODY_ERR:
		vsock_set_state(vs, VS_NOBODY);
		*err = ECONNREFUSED;
		return 1;
	case VS_REFUSED:
		if (it_mem_write(t, SCRATCH(t), saved, sizeof(saved)) == 0)
			it_task_on_exit(t, soerror_done, NULL);
		return 0;
	}
	return 0;
}
