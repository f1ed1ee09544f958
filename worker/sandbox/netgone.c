/*
 * Virtual sockets that reached nobody, made to behave as loopback's do.
 *
 * A non-blocking TCP connect to a port nobody listens on says EINPROGRESS
 * on loopback; the RST comes at once, so SO_ERROR, a receive or a send
 * then gives ECONNREFUSED once, and after it reads give 0 and writes
 * EPIPE; a connect again says ECONNREFUSED (or ECONNABORTED once the
 * error was taken) and leaves the socket unconnected, free to connect
 * anew.  An AF_UNIX socket that has connected can never connect again, so
 * the one underneath is left unconnected (bound to the port the connect
 * took) and the refusal is kept here, in the socket's state (VS_REFUSED,
 * then VS_ABORTED): the program's open file description stays, and with
 * it its epoll registrations, its duplicates and its flags.  poll sees an
 * unconnected socket (POLLOUT and POLLHUP), read and write, which do not
 * stop, its EINVAL and ENOTCONN.
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
#include <signal.h>
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
	if ((r = bind_local(t, vs, fd, va)) < 0)
		return r;
	vsock_set_state(vs, VS_REFUSED);
	return -EINPROGRESS;
}

/*
 * A connect on a socket whose connect was refused: the refusal if nobody
 * took it yet, ECONNABORTED if somebody did; after either the socket is
 * unconnected, as TCP's.
 */
long
netgone_reconnect(struct vsock *vs)
{
	long	 e = vs->vs_state == VS_REFUSED ? -ECONNREFUSED : -ECONNABORTED;

	vsock_set_state(vs, VS_PLAIN);
	return e;
}

/* The refusal, taken; then what a reset TCP socket says. */
static long
refused(struct vsock *vs, long after)
{
	if (vs->vs_state == VS_REFUSED) {
		vsock_set_state(vs, VS_ABORTED);
		return -ECONNREFUSED;
	}
	return after;
}

/* The SIGPIPE of a send that fails with EPIPE, as the kernel's: to the
 * thread, by the numbers of the thread's own pid namespace. */
static void
sigpipe(struct it_task *t)
{
	long	 pid, tid;

	pid = it_task_syscall(t, SYS_getpid, 0, 0, 0, 0, 0, 0);
	tid = it_task_syscall(t, SYS_gettid, 0, 0, 0, 0, 0, 0);
	if (pid > 0 && tid > 0)
		(void)it_task_syscall(t, SYS_tgkill, (uint64_t)pid,
		    (uint64_t)tid, SIGPIPE, 0, 0, 0);
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

	if (vs->vs_type != SOCK_DGRAM) {
		if (vs->vs_state != VS_REFUSED && vs->vs_state != VS_ABORTED)
			return IT_RUN_ORIGINAL;
		if (vs->vs_state == VS_ABORTED && !(flags & MSG_NOSIGNAL))
			sigpipe(t);
		return refused(vs, -EPIPE);
	}
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
	if ((vs->vs_state == VS_REFUSED || vs->vs_state == VS_ABORTED) &&
	    !(flags & MSG_ERRQUEUE))
		return refused(vs, 0);
	if (vs->vs_state != VS_NOBODY_ERR || (flags & MSG_ERRQUEUE))
		return IT_RUN_ORIGINAL;
	vsock_set_state(vs, VS_NOBODY);
	return -ECONNREFUSED;
}

/* getsockopt SO_ERROR: 1 and the error to give in *err, or 0 when the
 * kernel's own call is to run. */
int
netgone_soerror(struct vsock *vs, int *err)
{
	switch (vs->vs_state) {
	case VS_NOBODY_ERR:
		vsock_set_state(vs, VS_NOBODY);
		*err = ECONNREFUSED;
		return 1;
	case VS_REFUSED:
		vsock_set_state(vs, VS_ABORTED);
		*err = ECONNREFUSED;
		return 1;
	}
	return 0;
}
