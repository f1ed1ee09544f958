/*
 * The virtual network's sends and receives that name an address:
 * sendto/sendmsg with a destination, recvfrom/recvmsg asking for the
 * source.  The call itself runs in the tracee (it may block) with the
 * address swapped for an AF_UNIX one in the scratch area; a source is
 * translated back at the call's exit.  Sends and receives without an
 * address are the kernel's alone.
 *
 * A stream socket has no addresses to give: as TCP, a destination is
 * ignored and the source comes back empty.  A datagram sent to a port
 * nobody has bound is lost, as UDP's is.
 */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include "sandbox.h"
#include "vsock.h"

/* The destination of a datagram: its sockaddr_un's length (written at
 * guest address at), 0 when it is to be dropped, or -errno. */
static long
destination(struct it_task *t, struct vsock *vs, int fd, uint64_t addr,
    unsigned int len, uint64_t at)
{
	struct vaddr	 va;
	long		 n;
	int		 e;

	if ((e = vsock_addr_in(t, vs, addr, len, &va)) < 0)
		return e;
	if (e == 1)
		return -EAFNOSUPPORT;
	net_local(&va);
	if ((n = net_reach(t, vs, fd, &va, at)) == -ECONNREFUSED) {
		/* the ICMP error reaches a socket connected to nobody (one
		 * connected to somebody would see it too, unknown here) */
		if (vs->vs_state == VS_NOBODY)
			vsock_set_state(vs, VS_NOBODY_ERR);
		return 0;
	}
	return n;
}

/*
 * A datagram socket connected elsewhere refuses (EPERM) what an AF_UNIX
 * socket sends it, and a name whose socket was closed since the registry
 * gave it out is refused (ECONNREFUSED); UDP drops both and the sender
 * never knows.
 */
static long
datagram_sent(struct it_task *t, long n, void *len)
{
	(void)t;
	return n == -EPERM || n == -ECONNREFUSED ? (long)(uintptr_t)len : n;
}

/* The same for a socket connected to nobody (its fd in sc_fd): a
 * datagram lost to nobody brings it an error, as on loopback. */
static long
nobody_sent(struct it_task *t, long n, void *len)
{
	struct vsock	 vs;
	int		 fd;

	if (n == -ECONNREFUSED && it_mem_read(t, SCRATCH(t) + SC_OFF(sc_fd),
	    &fd, sizeof(fd)) == 0 && vsock_get(t, fd, &vs) &&
	    vs.vs_state == VS_NOBODY)
		vsock_set_state(&vs, VS_NOBODY_ERR);
	return datagram_sent(t, n, len);
}

/* The exit function of a datagram sent with an address. */
static int
sent_by(struct it_task *t, const struct vsock *vs, int fd, size_t len)
{
	int	 e;

	if (vs->vs_state == VS_NOBODY) {
		if ((e = it_mem_write(t, SCRATCH(t) + SC_OFF(sc_fd), &fd,
		    sizeof(fd))) < 0)
			return e;
		it_task_on_exit(t, nobody_sent, (void *)(uintptr_t)len);
	} else
		it_task_on_exit(t, datagram_sent, (void *)(uintptr_t)len);
	return 0;
}

/* What the kernel does to any address before its protocol looks at it
 * (move_addr_to_kernel): a length out of range is EINVAL, an address it
 * cannot copy whole EFAULT; TCP then ignores it. */
static int
addr_copyable(struct it_task *t, uint64_t addr, unsigned int len)
{
	struct sockaddr_storage	 ss;

	if ((int)len < 0 || len > sizeof(ss))
		return -EINVAL;
	return it_mem_read(t, addr, &ss, len);
}

static long
sb_sendto(struct it_task *t, int fd, it_gptr buf, size_t len,
    unsigned int flags, it_gp_sockaddr dest, unsigned int destlen)
{
	struct vsock	 vs;
	long		 n;
	int		 e, file;

	/* (sends without an address go to sockets of any kind) */
	if ((dest.addr == 0 && !vsock_used(t)) ||
	    !vsock_get_file(t, fd, &vs, &file))
		return IT_RUN_ORIGINAL;
	if (vs.vs_type == SOCK_STREAM) {
		/* a stream whose peer may have gone, or refused */
		if (dest.addr == 0 ||
		    (n = addr_copyable(t, dest.addr, destlen)) == 0)
			n = vs.vs_state == VS_PLAIN ?
			    netreset_send(&vs, file, len) :
			    netgone_send(t, &vs, fd, len, flags);
		if (file != -1)
			close(file);
		if (n != IT_RUN_ORIGINAL || dest.addr == 0)
			return n;
		it_task_set_arg(t, 4, 0);
		it_task_set_arg(t, 5, 0);
		return IT_RUN_ORIGINAL;
	}
	if (file != -1)
		close(file);
	/* (an unconnected one has no destination to be too large for) */
	if ((dest.addr != 0 || vs.vs_state != VS_UNCONN) &&
	    (e = netsize_check(t, &vs, fd, dest.addr, destlen, len)) < 0)
		return e;
	/* an unconnected or unreachable datagram socket */
	if (dest.addr == 0) {
		if ((n = netgone_send(t, &vs, fd, len, flags)) ==
		    IT_RUN_ORIGINAL &&
		    (e = nethops_send(t, &vs, fd, NULL, buf.addr, len)) < 0)
			return e;
		return n;
	}
	if ((n = destination(t, &vs, fd, dest.addr, destlen,
	    SCRATCH(t) + SC_OFF(sc_sun))) <= 0)
		return n < 0 ? n : (long)len;
	if ((e = nethops_send(t, &vs, fd, NULL, buf.addr, len)) < 0 ||
	    (e = sent_by(t, &vs, fd, len)) < 0)
		return e;
	it_task_set_arg(t, 4, SCRATCH(t) + SC_OFF(sc_sun));
	it_task_set_arg(t, 5, (uint64_t)n);
	return IT_RUN_ORIGINAL;
}

/* The most bytes one call moves: the kernel's MAX_RW_COUNT. */
#define RW_MAX	((long)(INT_MAX & ~4095))

/* The bytes of a message's iovecs, which a lost datagram still sends,
 * with the kernel's checks: a negative length is EINVAL, and the total
 * is cut at RW_MAX. */
static long
iov_total(struct it_task *t, const struct msghdr *m)
{
	struct iovec	 iov;
	size_t		 i;
	long		 total = 0;
	int		 e;

	if (m->msg_iovlen > IOV_MAX)
		return -EMSGSIZE;
	for (i = 0; i < m->msg_iovlen; i++) {
		if ((e = it_mem_read(t, (uint64_t)m->msg_iov + i * sizeof(iov),
		    &iov, sizeof(iov))) < 0)
			return e;
		if ((long)iov.iov_len < 0)
			return -EINVAL;
		total += (long)iov.iov_len > RW_MAX - total ? RW_MAX - total :
		    (long)iov.iov_len;
	}
	return total;
}

/* A message with an address on a virtual socket: 1 and both read, 0 for
 * anything else, or -errno. */
static int
named(struct it_task *t, int fd, it_gp_msghdr msg, struct vsock *vs,
    struct msghdr *m)
{
	int	 e;

	if (!vsock_get(t, fd, vs))
		return 0;
	if ((e = it_read_msghdr(t, msg, m)) < 0)
		return e;
	return m->msg_name != NULL;
}

/* A message on a stream whose peer may have gone (netreset_send), or
 * whose connect was refused (netgone_send). */
static long
stream_msg(struct it_task *t, int fd, struct vsock *vs,
    const struct msghdr *m, unsigned int flags)
{
	long	 n;
	int	 file;

	if ((n = iov_total(t, m)) < 0)
		return n;
	if (vs->vs_state != VS_PLAIN)
		return netgone_send(t, vs, fd, (size_t)n, flags);
	file = reach_getfd(it_task_tid(t), fd);
	n = netreset_send(vs, file, (size_t)n);
	if (file != -1)
		close(file);
	return n;
}

static long
sb_sendmsg(struct it_task *t, int fd, it_gp_msghdr msg, unsigned int flags)
{
	struct msghdr	 m;
	struct vsock	 vs = { .vs_state = VS_PLAIN };
	uint64_t	 sc;
	long		 n = 0;
	int		 e;

	if ((e = named(t, fd, msg, &vs, &m)) <= 0) {
		if (e == 0 && vs.vs_type == SOCK_DGRAM &&
		    vs.vs_state != VS_UNCONN && (n = iov_total(t, &m)) >= 0 &&
		    (e = netsize_check(t, &vs, fd, 0, 0, (size_t)n)) < 0)
			return e;
		if (e == 0 && vs.vs_state == VS_PLAIN &&
		    vs.vs_type == SOCK_DGRAM && (n = iov_total(t, &m)) >= 0)
			e = nethops_send(t, &vs, fd, &m, 0, (size_t)n);
		if (e < 0 || (vs.vs_state == VS_PLAIN &&
		    vs.vs_type != SOCK_STREAM))
			return e < 0 ? e : IT_RUN_ORIGINAL;
		if (vs.vs_type == SOCK_STREAM)
			return stream_msg(t, fd, &vs, &m, flags);
		if ((n = iov_total(t, &m)) < 0)
			return n;
		return netgone_send(t, &vs, fd, (size_t)n, flags);
	}
	/* __copy_msghdr: a negative length is EINVAL, a long one is cut */
	if ((int)m.msg_namelen < 0)
		return -EINVAL;
	if (m.msg_namelen > sizeof(struct sockaddr_storage))
		m.msg_namelen = sizeof(struct sockaddr_storage);
	if (vs.vs_type == SOCK_STREAM &&
	    ((e = addr_copyable(t, (uint64_t)m.msg_name, m.msg_namelen)) < 0 ||
	    (n = stream_msg(t, fd, &vs, &m, flags)) != IT_RUN_ORIGINAL))
		return e < 0 ? e : n;
	if (vs.vs_type == SOCK_DGRAM && (n = iov_total(t, &m)) >= 0 &&
	    (e = netsize_check(t, &vs, fd, (uint64_t)m.msg_name,
	    m.msg_namelen, (size_t)n)) < 0)
		return e;
	n = 0;
	if (vs.vs_type == SOCK_DGRAM &&
	    (n = destination(t, &vs, fd, (uint64_t)m.msg_name,
	    m.msg_namelen, SCRATCH(t) + SC_OFF(sc_sun))) <= 0) {
		if (n < 0)
			return n;
		/* lost, but sent, if the kernel takes its messages */
		if ((n = iov_total(t, &m)) < 0 ||
		    (e = nethops_send(t, &vs, fd, &m, 0, (size_t)n)) == 0)
			return n;
		return e;
	}
	sc = SCRATCH(t);
	m.msg_name = n ? (void *)(sc + SC_OFF(sc_sun)) : NULL;
	m.msg_namelen = (socklen_t)n;
	if ((e = it_mem_write(t, sc + SC_OFF(sc_msg), &m, sizeof(m))) < 0)
		return e;
	it_task_set_arg(t, 1, sc + SC_OFF(sc_msg));
	if (vs.vs_type == SOCK_DGRAM && (n = iov_total(t, &m)) >= 0 &&
	    ((e = nethops_send(t, &vs, fd, &m, 0, (size_t)n)) < 0 ||
	    (e = sent_by(t, &vs, fd, (size_t)n)) < 0))
		return e;
	return IT_RUN_ORIGINAL;
}

/* The source of what was received, in the program's own buffer. */
static int
source_out(struct it_task *t, const struct vsock_scratch *sc,
    const struct sockaddr_un *sun, socklen_t len, uint64_t addr,
    uint64_t lenp)
{
	struct vsock	 vs = { .vs_family = sc->sc_family,
			       .vs_type = sc->sc_type };
	struct vaddr	 va;
	socklen_t	 zero = 0, ulen;
	int		 e;

	/* TCP gives no address, but its length is checked and set all the
	 * same (move_addr_to_user) */
	if (vs.vs_type == SOCK_STREAM) {
		if ((e = it_mem_read(t, lenp, &ulen, sizeof(ulen))) < 0)
			return e;
		if ((int)ulen < 0)
			return -EINVAL;
		return it_mem_write(t, lenp, &zero, sizeof(zero));
	}
	vsock_addr_of(&vs, sun, len, &va);
	vsock_as_peer(&vs, &va);
	return vsock_addr_out(t, &vs, addr, lenp, &va);
}

static long
recvfrom_done(struct it_task *t, long n, void *arg)
{
	struct vsock_scratch	 sc;
	int			 e;

	(void)arg;
	if (n < 0)
		return net_timed_out(t, n);
	/* the batches of sendmmsg and recvmmsg are not this call's */
	if ((e = it_mem_read(t, SCRATCH(t), &sc, SC_OFF(sc_mm))) < 0 ||
	    (e = source_out(t, &sc, &sc.sc_sun, sc.sc_len, sc.sc_saved[0],
	    sc.sc_saved[1])) < 0)
		return e;
	return n;
}

/* Saves the program's pointers and the socket's kind for the exit. */
static int
save(struct it_task *t, const struct vsock *vs, uint64_t a, uint64_t b,
    uint64_t timeo)
{
	struct vsock_scratch	 sc;

	memset(&sc, 0, sizeof(sc));
	sc.sc_saved[0] = a;
	sc.sc_saved[1] = b;
	sc.sc_timeo = timeo;
	sc.sc_family = vs->vs_family;
	sc.sc_type = vs->vs_type;
	sc.sc_len = sizeof(sc.sc_sun);
	return it_mem_write(t, SCRATCH(t), &sc, SC_OFF(sc_sun));
}

/*
 * MSG_ERRQUEUE: the virtual network has no ICMP, so a virtual socket's
 * error queue is always empty (EAGAIN, without blocking, as the kernel's
 * ip_recv_error); AF_UNIX would ignore the flag and return data.
 */
static long
errqueue(struct it_task *t, int fd)
{
	struct vsock	 vs;

	return vsock_get(t, fd, &vs) ? -EAGAIN : IT_RUN_ORIGINAL;
}

/* A receive without an address of its own that may wait out its
 * SO_RCVTIMEO: the clock moves by it if it does. */
static long
timed(struct it_task *t, long r, void *arg)
{
	(void)t;
	if (r == -EAGAIN)
		sandbox_sleep((uint64_t)(uintptr_t)arg);
	return r;
}

static long
sb_recvfrom(struct it_task *t, int fd, it_gptr buf, size_t len,
    unsigned int flags, it_gp_sockaddr src, it_gp_socklen srclen)
{
	struct vsock	 vs;
	uint64_t	 timeo;
	long		 r;
	int		 e;

	(void)buf;
	(void)len;
	if (flags & MSG_ERRQUEUE)
		return errqueue(t, fd);
	if (vsock_watched() && vsock_get(t, fd, &vs) &&
	    (r = netgone_recv(t, &vs, flags)) != IT_RUN_ORIGINAL)
		return r;
	timeo = vsock_timeo(t, fd, flags);
	if (src.addr == 0 || srclen.addr == 0 || !vsock_get(t, fd, &vs)) {
		if (timeo > 0)
			it_task_on_exit(t, timed, (void *)(uintptr_t)timeo);
		return IT_RUN_ORIGINAL;
	}
	if ((e = save(t, &vs, src.addr, srclen.addr, timeo)) < 0)
		return e;
	it_task_set_arg(t, 4, SCRATCH(t) + SC_OFF(sc_sun));
	it_task_set_arg(t, 5, SCRATCH(t) + SC_OFF(sc_len));
	it_task_on_exit(t, recvfrom_done, NULL);
	return IT_RUN_ORIGINAL;
}

static long
recvmsg_done(struct it_task *t, long n, void *arg)
{
	struct vsock_scratch	 sc;
	struct msghdr		 m;
	struct vsock		 vs;
	struct vaddr		 from;
	struct vhops		 h;
	it_gp_msghdr		 user;
	size_t			 used;
	int			 e, flags;

	(void)arg;
	if (n < 0)
		return net_timed_out(t, n);
	if ((e = it_mem_read(t, SCRATCH(t), &sc, SC_OFF(sc_mm))) < 0)
		return e;
	user.addr = sc.sc_saved[0];
	if ((e = it_read_msghdr(t, user, &m)) < 0)
		return e;
	/* what the kernel wrote in our copy goes to the program's, and
	 * after it the IP-level messages AF_UNIX has not */
	used = sc.sc_msg.msg_controllen;
	flags = sc.sc_msg.msg_flags;
	sc.sc_len = sc.sc_msg.msg_namelen;
	if (vsock_get(t, sc.sc_fd, &vs) && netcmsg_wanted(&vs)) {
		/* the values its sender gave the datagram */
		vsock_addr_of(&vs, &sc.sc_sun, sc.sc_len, &from);
		nethops_recv(t, &from, &m, (size_t)n, &h);
		if ((e = netcmsg_put(t, &vs, sc.sc_fd, &h,
		    (uint64_t)m.msg_control, m.msg_controllen, &used,
		    &flags)) < 0)
			return e;
	}
	m.msg_controllen = used;
	m.msg_flags = flags;
	if ((e = it_write_msghdr(t, user, &m)) < 0)
		return e;
	if (m.msg_name != NULL && (e = source_out(t, &sc, &sc.sc_sun,
	    sc.sc_len, (uint64_t)m.msg_name,
	    user.addr + offsetof(struct msghdr, msg_namelen))) < 0)
		return e;
	return n;
}

static long
sb_recvmsg(struct it_task *t, int fd, it_gp_msghdr msg, unsigned int flags)
{
	struct msghdr	 m;
	struct vsock	 vs;
	uint64_t	 sc, timeo;
	long		 r;
	int		 e;

	if (!vsock_get(t, fd, &vs))
		return IT_RUN_ORIGINAL;
	if ((e = it_read_msghdr(t, msg, &m)) < 0)
		return e;
	if (flags & MSG_ERRQUEUE)
		return -EAGAIN;
	if ((r = netgone_recv(t, &vs, flags)) != IT_RUN_ORIGINAL)
		return r;
	timeo = vsock_timeo(t, fd, flags);
	if (m.msg_name == NULL && !netcmsg_wanted(&vs)) {
		if (timeo > 0)
			it_task_on_exit(t, timed, (void *)(uintptr_t)timeo);
		return IT_RUN_ORIGINAL;
	}
	if ((e = save(t, &vs, msg.addr, 0, timeo)) < 0 ||
	    (e = it_mem_write(t, SCRATCH(t) + SC_OFF(sc_fd), &fd,
	    sizeof(fd))) < 0)
		return e;
	sc = SCRATCH(t);
	/* the source is wanted for the IP-level messages too (nethops.c),
	 * and told the program only if it asked */
	m.msg_name = (void *)(sc + SC_OFF(sc_sun));
	m.msg_namelen = sizeof(struct sockaddr_un);
	if ((e = it_mem_write(t, sc + SC_OFF(sc_msg), &m, sizeof(m))) < 0)
		return e;
	it_task_set_arg(t, 1, sc + SC_OFF(sc_msg));
	it_task_on_exit(t, recvmsg_done, NULL);
	return IT_RUN_ORIGINAL;
}

/*
 * sendmmsg and recvmmsg with addresses (or, for recvmmsg, IP-level
 * ancillary data to add) take at most SC_MMSG messages at a time: their
 * copies live in the thread's scratch area (fewer than asked is a valid
 * result; the program calls again for the rest).  A batch of sendmmsg
 * stops before a datagram that is lost or refused, so that one is
 * answered on its own.
 */
#define MM_NAMELEN(vec, i)	((vec) + (i) * sizeof(struct mmsghdr) + \
    offsetof(struct mmsghdr, msg_hdr.msg_namelen))

/* Reads the first messages of a batch; how many, 0 if none has a name
 * (and named is 0: IP-level ancillary data are not wanted). */
static int
batch(struct it_task *t, uint64_t vec, unsigned int vlen,
    struct mmsghdr *mm, int named)
{
	unsigned int	 i, n = vlen < SC_MMSG ? vlen : SC_MMSG;
	int		 e;

	if (n == 0)
		return 0;
	if ((e = it_mem_read(t, vec, mm, n * sizeof(*mm))) < 0)
		return e;
	for (i = 0; i < n; i++)
		named |= mm[i].msg_hdr.msg_name != NULL;
	return named ? (int)n : 0;
}

/* Runs the call on our copy of the batch's first n messages. */
static long
run_batch(struct it_task *t, const struct vsock *vs, int fd, uint64_t vec,
    const struct mmsghdr *mm, int n, it_exit_fn done)
{
	uint64_t	 sc = SCRATCH(t);
	int		 e;

	if ((e = save(t, vs, vec, 0, 0)) < 0 ||
	    (e = it_mem_write(t, sc + SC_OFF(sc_fd), &fd, sizeof(fd))) < 0 ||
	    (e = it_mem_write(t, sc + SC_OFF(sc_mm), mm,
	    (size_t)n * sizeof(mm[0]))) < 0)
		return e;
	it_task_set_arg(t, 1, sc + SC_OFF(sc_mm));
	it_task_set_arg(t, 2, (uint64_t)n);
	it_task_on_exit(t, done, NULL);
	return IT_RUN_ORIGINAL;
}

static long
sendmmsg_done(struct it_task *t, long n, void *arg)
{
	struct vsock_scratch	 sc;
	long			 i;
	int			 e;

	(void)arg;
	if (n <= 0 || (e = it_mem_read(t, SCRATCH(t), &sc, sizeof(sc))) < 0)
		return n;
	for (i = 0; i < n && i < SC_MMSG; i++)
		if ((e = it_mem_write(t, sc.sc_saved[0] + (uint64_t)i *
		    sizeof(struct mmsghdr) + offsetof(struct mmsghdr, msg_len),
		    &sc.sc_mm[i].msg_len, sizeof(unsigned int))) < 0)
			return e;
	return n;
}

/* The first datagram of a batch is lost: it counts as sent, alone. */
static long
first_lost(struct it_task *t, uint64_t vec, struct mmsghdr *mm)
{
	long	 len;
	int	 e;

	if ((len = iov_total(t, &mm->msg_hdr)) < 0)
		return len;
	mm->msg_len = (unsigned int)len;
	if ((e = it_mem_write(t, vec, mm, sizeof(*mm))) < 0)
		return e;
	return 1;
}

static long
sb_sendmmsg(struct it_task *t, int fd, it_gp_mmsghdr vec, unsigned int vlen,
    unsigned int flags)
{
	struct mmsghdr	 mm[SC_MMSG];
	struct vsock	 vs;
	uint64_t	 sc, at;
	long		 len = 0;
	int		 i, n;

	(void)flags;
	if (!vsock_get(t, fd, &vs))
		return IT_RUN_ORIGINAL;
	if ((n = batch(t, vec.addr, vlen, mm, 0)) <= 0)
		return n < 0 ? n : IT_RUN_ORIGINAL;
	sc = SCRATCH(t);
	for (i = 0; i < n; i++) {
		if (mm[i].msg_hdr.msg_name == NULL)
			continue;
		if (vs.vs_type == SOCK_STREAM)
			len = 0;	/* as TCP, the address is ignored */
		else {
			at = sc + SC_OFF(sc_mmsun) +
			    (uint64_t)i * sizeof(struct sockaddr_un);
			if ((len = destination(t, &vs, fd,
			    (uint64_t)mm[i].msg_hdr.msg_name,
			    mm[i].msg_hdr.msg_namelen, at)) <= 0)
				break;
			mm[i].msg_hdr.msg_name = (void *)at;
		}
		mm[i].msg_hdr.msg_namelen = (socklen_t)len;
		if (len == 0)
			mm[i].msg_hdr.msg_name = NULL;
	}
	if (i == 0)
		return len < 0 ? len : first_lost(t, vec.addr, &mm[0]);
	return run_batch(t, &vs, fd, vec.addr, mm, i, sendmmsg_done);
}

static long
recvmmsg_done(struct it_task *t, long n, void *arg)
{
	struct vsock_scratch	 sc;
	struct mmsghdr		 user;
	struct vsock		 vs;
	uint64_t		 at;
	size_t			 used;
	long			 i;
	int			 e, flags, want;

	(void)arg;
	if (n <= 0)
		return n;
	if ((e = it_mem_read(t, SCRATCH(t), &sc, sizeof(sc))) < 0)
		return e;
	want = vsock_get(t, sc.sc_fd, &vs) && netcmsg_wanted(&vs);
	for (i = 0; i < n && i < SC_MMSG; i++) {
		at = sc.sc_saved[0] + (uint64_t)i * sizeof(user);
		if ((e = it_mem_read(t, at, &user, sizeof(user))) < 0)
			return e;
		/* what the kernel wrote in our copy goes to the program's,
		 * and after it the IP-level messages, as recvmsg's */
		used = sc.sc_mm[i].msg_hdr.msg_controllen;
		flags = sc.sc_mm[i].msg_hdr.msg_flags;
		if (want && (e = netcmsg_put(t, &vs, sc.sc_fd, NULL,
		    (uint64_t)user.msg_hdr.msg_control,
		    user.msg_hdr.msg_controllen, &used, &flags)) < 0)
			return e;
		user.msg_len = sc.sc_mm[i].msg_len;
		user.msg_hdr.msg_flags = flags;
		user.msg_hdr.msg_controllen = used;
		if ((e = it_mem_write(t, at, &user, sizeof(user))) < 0)
			return e;
		if (user.msg_hdr.msg_name != NULL &&
		    (e = source_out(t, &sc, &sc.sc_mmsun[i],
		    sc.sc_mm[i].msg_hdr.msg_namelen,
		    (uint64_t)user.msg_hdr.msg_name,
		    MM_NAMELEN(sc.sc_saved[0], (uint64_t)i))) < 0)
			return e;
	}
	return n;
}

static long
sb_recvmmsg(struct it_task *t, int fd, it_gp_mmsghdr vec, unsigned int vlen,
    unsigned int flags, it_gp_timespec timeout)
{
	struct mmsghdr	 mm[SC_MMSG];
	struct vsock	 vs;
	uint64_t	 sc;
	int		 i, n;

	(void)timeout;
	if (!vsock_get(t, fd, &vs))
		return IT_RUN_ORIGINAL;
	if (flags & MSG_ERRQUEUE)
		return -EAGAIN;
	if ((n = batch(t, vec.addr, vlen, mm, netcmsg_wanted(&vs))) <= 0)
		return n < 0 ? n : IT_RUN_ORIGINAL;
	sc = SCRATCH(t);
	for (i = 0; i < n; i++) {
		if (mm[i].msg_hdr.msg_name == NULL)
			continue;
		mm[i].msg_hdr.msg_name = (void *)(sc + SC_OFF(sc_mmsun) +
		    (uint64_t)i * sizeof(struct sockaddr_un));
		mm[i].msg_hdr.msg_namelen = sizeof(struct sockaddr_un);
	}
	return run_batch(t, &vs, fd, vec.addr, mm, n, recvmmsg_done);
}

const struct it_table sandbox_netmsg = {
	.sendto = sb_sendto,
	.recvfrom = sb_recvfrom,
	.sendmsg = sb_sendmsg,
	.recvmsg = sb_recvmsg,
	.sendmmsg = sb_sendmmsg,
	.recvmmsg = sb_recvmmsg,
};
