/*
 * Sockets and descriptors waited on: socket addresses (unix, inet, inet6,
 * netlink), in-out lengths, iovec arrays, msghdr and mmsghdr, pollfd
 * arrays, fd_set bitmaps and epoll events.
 */
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <poll.h>
#include <string.h>

#include "decode_impl.h"
#include "decode_fdpath.h"
#include "../engine/task.h"

#define A(c, i)		((c)->c_args[i])

/* Elements of an array shown, as strace: the string limit, within reason. */
#define ARRAYMAX	(decode_strsize < 1024 ? decode_strsize : 1024)

void
dput_sockaddr(struct dctx *c, uint64_t addr, size_t len)
{
	struct sockaddr_storage	 ss;
	struct sbuf		*sb = c->c_sb;
	char			 ip[INET6_ADDRSTRLEN];
	size_t			 n;

	if (len > sizeof(ss))
		len = sizeof(ss);
	memset(&ss, 0, sizeof(ss));
	if (len < sizeof(sa_family_t)) {
		dput_addr(sb, addr);
		return;
	}
	if (dfetch(c, addr, &ss, len) < 0)
		return;
	sbuf_puts(sb, "{sa_family=");
	dput_enum(sb, IT_X_socket_domain, ss.ss_family);
	switch (ss.ss_family) {
	case AF_UNIX: {
		const struct sockaddr_un *un = (void *)&ss;

		n = len - offsetof(struct sockaddr_un, sun_path);
		if (n == 0)
			break;
		sbuf_puts(sb, ", sun_path=");
		if (un->sun_path[0] == '\0') {
			sbuf_puts(sb, "@");
			sbuf_quote(sb, (const unsigned char *)un->sun_path + 1,
			    n - 1, n, 1);
		} else
			sbuf_quote(sb, (const unsigned char *)un->sun_path,
			    strnlen(un->sun_path, n), n, 1);
		break;
	}
	case AF_INET: {
		const struct sockaddr_in *in = (void *)&ss;

		inet_ntop(AF_INET, &in->sin_addr, ip, sizeof(ip));
		/* Quoted as any string: -x and -xx apply. */
		sbuf_printf(sb, ", sin_port=htons(%u), sin_addr=inet_addr(",
		    ntohs(in->sin_port));
		sbuf_quote(sb, (unsigned char *)ip, strlen(ip), sizeof(ip), 1);
		sbuf_puts(sb, ")");
		break;
	}
	case AF_INET6: {
		const struct sockaddr_in6 *in6 = (void *)&ss;

		inet_ntop(AF_INET6, &in6->sin6_addr, ip, sizeof(ip));
		sbuf_printf(sb, ", sin6_port=htons(%u), "
		    "sin6_flowinfo=htonl(%u), inet_pton(AF_INET6, ",
		    ntohs(in6->sin6_port), ntohl(in6->sin6_flowinfo));
		sbuf_quote(sb, (unsigned char *)ip, strlen(ip), sizeof(ip), 1);
		sbuf_printf(sb, ", &sin6_addr), sin6_scope_id=%u",
		    in6->sin6_scope_id);
		break;
	}
	case AF_NETLINK: {
		const struct sockaddr_nl *nl = (void *)&ss;

		sbuf_printf(sb, ", nl_pid=%u, nl_groups=%08x", nl->nl_pid,
		    nl->nl_groups);
		break;
	}
	default:
		n = len - sizeof(sa_family_t);
		sbuf_puts(sb, ", sa_data=");
		sbuf_quote(sb, (const unsigned char *)&ss + sizeof(sa_family_t),
		    n, n, 1);
		break;
	}
	sbuf_puts(sb, "}");
}

/* The address's length: the next argument, or what the kernel wrote into
 * the in-out length that follows it. */
void
dput_sockaddr_arg(struct dctx *c, uint64_t addr, int i)
{
	const struct argdesc	*next;
	uint32_t		 len = 0;

	if (i >= 5) {
		dput_addr(c->c_sb, addr);
		return;
	}
	next = &c->c_d->s_args[i + 1];
	if (next->a_kind == DK_INOUT) {
		if (it_mem_read(c->c_t, c->c_args[i + 1], &len,
		    sizeof(len)) < 0) {
			dput_addr(c->c_sb, addr);
			return;
		}
	} else
		len = (uint32_t)c->c_args[i + 1];
	dput_sockaddr(c, addr, len);
}

/* "[in => out]" when the kernel changed the length, else "[out]". */
void
dput_socklen(struct dctx *c, uint64_t addr, int i)
{
	uint32_t	 len;

	(void)i;
	if (dfetch(c, addr, &len, sizeof(len)) < 0)
		return;
	if (c->c_exiting && c->c_t->t_dsave != len)
		sbuf_printf(c->c_sb, "[%u => %u]", c->c_t->t_dsave, len);
	else
		sbuf_printf(c->c_sb, "[%u]", len);
}

/*
 * "[elem, elem, ...]": n elements of len bytes at addr, each read into buf
 * and printed by put; cut at ARRAYMAX, and at an unreadable element,
 * which shows as its address.
 */
static void
put_array(struct dctx *c, uint64_t addr, size_t n, void *buf, size_t len,
    void (*put)(struct dctx *, const void *, void *), void *arg)
{
	size_t	 k;

	sbuf_puts(c->c_sb, "[");
	for (k = 0; k < n; k++) {
		if (k == ARRAYMAX) {
			sbuf_puts(c->c_sb, ", ...");
			break;
		}
		if (k)
			sbuf_puts(c->c_sb, ", ");
		if (it_mem_read(c->c_t, addr + k * len, buf, len) < 0) {
			dput_addr(c->c_sb, addr + k * len);
			break;
		}
		put(c, buf, arg);
	}
	sbuf_puts(c->c_sb, "]");
}

/* arg: the bytes still to show (long *), or < 0 for all of each. */
static void
put_iov(struct dctx *c, const void *elem, void *arg)
{
	const struct iovec	*iov = elem;
	long			*limit = arg;
	size_t			 n = iov->iov_len;

	if (*limit >= 0 && (size_t)*limit < n)
		n = (size_t)*limit;
	sbuf_puts(c->c_sb, "{iov_base=");
	dput_bytes(c, (uint64_t)(uintptr_t)iov->iov_base, n);
	sbuf_printf(c->c_sb, ", iov_len=%zu}", iov->iov_len);
	if (*limit >= 0)
		*limit -= (long)n;
}

/* limit >= 0: only that many bytes were transferred (readv, recvmsg). */
void
dput_iovec(struct dctx *c, uint64_t addr, size_t count, long limit)
{
	struct iovec	 iov;

	if (addr == 0) {
		sbuf_puts(c->c_sb, "NULL");
		return;
	}
	if (it_mem_read(c->c_t, addr, &iov, sizeof(iov)) < 0 && count > 0) {
		dput_addr(c->c_sb, addr);
		return;
	}
	put_array(c, addr, count, &iov, sizeof(iov), put_iov, &limit);
}

void
dput_msghdr_val(struct dctx *c, const struct msghdr *m, long limit)
{
	struct sbuf	*sb = c->c_sb;

	sbuf_puts(sb, "{msg_name=");
	if (m->msg_name == NULL)
		sbuf_puts(sb, "NULL");
	else
		dput_sockaddr(c, (uint64_t)(uintptr_t)m->msg_name,
		    m->msg_namelen);
	sbuf_printf(sb, ", msg_namelen=%u, msg_iov=", m->msg_namelen);
	dput_iovec(c, (uint64_t)(uintptr_t)m->msg_iov, m->msg_iovlen, limit);
	sbuf_printf(sb, ", msg_iovlen=%zu", m->msg_iovlen);
	if (m->msg_controllen != 0) {
		sbuf_puts(sb, ", msg_control=");
		dput_addr(sb, (uint64_t)(uintptr_t)m->msg_control);
	}
	sbuf_printf(sb, ", msg_controllen=%zu, msg_flags=", m->msg_controllen);
	dput_flags(sb, IT_X_msg, (unsigned)m->msg_flags);
	sbuf_puts(sb, "}");
}

void
dput_msghdr(struct dctx *c, uint64_t addr, int i)
{
	struct msghdr	 m;

	(void)i;
	if (dfetch(c, addr, &m, sizeof(m)) < 0)
		return;
	dput_msghdr_val(c, &m, c->c_exiting && c->c_nr == IT_SYS_recvmsg ?
	    c->c_result : -1);
}

static void
put_mmsghdr(struct dctx *c, const void *elem, void *arg)
{
	const struct mmsghdr	*mm = elem;

	(void)arg;
	sbuf_puts(c->c_sb, "{msg_hdr=");
	dput_msghdr_val(c, &mm->msg_hdr, c->c_nr == IT_SYS_recvmmsg ?
	    (long)mm->msg_len : -1);
	sbuf_printf(c->c_sb, ", msg_len=%u}", mm->msg_len);
}

/* sendmmsg/recvmmsg: the kernel handled as many messages as it says. */
void
dput_mmsghdr(struct dctx *c, uint64_t addr, int i)
{
	struct mmsghdr	 mm;
	size_t		 n = (size_t)(uint32_t)c->c_args[i + 1];

	if (c->c_exiting && c->c_result >= 0 && (size_t)c->c_result < n)
		n = (size_t)c->c_result;
	if (n > 0 && it_mem_read(c->c_t, addr, &mm, sizeof(mm)) < 0) {
		dput_addr(c->c_sb, addr);
		return;
	}
	put_array(c, addr, n, &mm, sizeof(mm), put_mmsghdr, NULL);
}

/* revents: the result's list, of the entries the kernel marked. */
void
dput_pollfds(struct dctx *c, uint64_t addr, size_t n, int revents)
{
	struct pollfd	 p;
	size_t		 k, shown = 0;

	/* The kernel refuses more than RLIMIT_NOFILE entries anyway. */
	if (n > 1 << 20)
		n = 1 << 20;
	if (addr == 0) {
		sbuf_puts(c->c_sb, "NULL");
		return;
	}
	sbuf_puts(c->c_sb, "[");
	for (k = 0; k < n; k++) {
		if (it_mem_read(c->c_t, addr + k * sizeof(p), &p,
		    sizeof(p)) < 0) {
			if (!revents)
				sbuf_printf(c->c_sb, "%s%#llx", k ? ", " : "",
				    (unsigned long long)(addr + k * sizeof(p)));
			break;
		}
		if (revents && p.revents == 0)
			continue;
		if (shown == ARRAYMAX) {
			sbuf_puts(c->c_sb, ", ...");
			break;
		}
		sbuf_printf(c->c_sb, "%s{fd=%d", shown ? ", " : "", p.fd);
		/* -y: as strace, on the request, not on the answer. */
		if (!revents)
			fdpath_put(c, p.fd);
		sbuf_printf(c->c_sb, ", %s=", revents ? "revents" : "events");
		dput_flags(c->c_sb, IT_X_poll_events,
		    (unsigned short)(revents ? p.revents : p.events));
		sbuf_puts(c->c_sb, "}");
		shown++;
	}
	sbuf_puts(c->c_sb, "]");
}

void
dput_pollfd_arg(struct dctx *c, uint64_t addr, int i)
{
	dput_pollfds(c, addr, (size_t)(uint32_t)c->c_args[i + 1], 0);
}

void
dput_fdset(struct dctx *c, uint64_t addr, int nfds)
{
	unsigned char	 set[1024 / 8];
	size_t		 len;
	int		 fd, first = 1;

	if (nfds < 0)
		nfds = 0;
	if (nfds > 1024)
		nfds = 1024;
	len = ((size_t)nfds + 63) / 64 * 8;
	if (addr == 0) {
		sbuf_puts(c->c_sb, "NULL");
		return;
	}
	if (len == 0) {
		sbuf_puts(c->c_sb, "[]");
		return;
	}
	if (dfetch(c, addr, set, len) < 0)
		return;
	sbuf_puts(c->c_sb, "[");
	for (fd = 0; fd < nfds; fd++)
		if (set[fd / 8] & (1u << (fd % 8))) {
			sbuf_printf(c->c_sb, "%s%d", first ? "" : " ", fd);
			if (!c->c_exiting)
				fdpath_put(c, fd);
			first = 0;
		}
	sbuf_puts(c->c_sb, "]");
}

void
dput_fdset_arg(struct dctx *c, uint64_t addr, int i)
{
	(void)i;
	dput_fdset(c, addr, (int)c->c_args[0]);
}

static void
put_epoll_event(struct sbuf *sb, const struct epoll_event *ev)
{
	sbuf_puts(sb, "{events=");
	dput_flags(sb, IT_X_epoll_events, ev->events);
	sbuf_printf(sb, ", data={u32=%u, u64=%llu}}", (unsigned)ev->data.u64,
	    (unsigned long long)ev->data.u64);
}

/* epoll_ctl's one event, or the array epoll_wait filled. */
void
dput_epoll_event(struct dctx *c, uint64_t addr, int i)
{
	struct epoll_event	 ev;
	size_t			 k, n;

	if (c->c_d->s_args[i].a_kind == DK_IN) {
		if (dfetch(c, addr, &ev, sizeof(ev)) == 0)
			put_epoll_event(c->c_sb, &ev);
		return;
	}
	n = c->c_result > 0 ? (size_t)c->c_result : 0;
	if (n > 0 && it_mem_read(c->c_t, addr, &ev, sizeof(ev)) < 0) {
		dput_addr(c->c_sb, addr);
		return;
	}
	sbuf_puts(c->c_sb, "[");
	for (k = 0; k < n; k++) {
		if (k == ARRAYMAX) {
			sbuf_puts(c->c_sb, ", ...");
			break;
		}
		if (it_mem_read(c->c_t, addr + k * sizeof(ev), &ev,
		    sizeof(ev)) < 0)
			break;
		if (k)
			sbuf_puts(c->c_sb, ", ");
		put_epoll_event(c->c_sb, &ev);
	}
	sbuf_puts(c->c_sb, "]");
}

/*
 * Per-call rules of the socket calls (see decode_special.c).
 */

/* socket and socketpair: the protocol's names depend on the family. */
static int
socket_arg(struct dctx *c, int i)
{
	int	 set;

	if (i != 2)
		return 0;
	switch ((int)A(c, 0)) {
	case AF_INET: case AF_INET6:
		set = IT_X_ipproto;
		break;
	case AF_NETLINK:
		set = IT_X_netlink_proto;
		break;
	default:
		return 0;
	}
	if (!dput_enum_known(c->c_sb, set, (unsigned)A(c, 2)))
		sbuf_printf(c->c_sb, "%d", (int)A(c, 2));
	return 1;
}

/* setsockopt/getsockopt: option names by level; int values in brackets,
 * SO_LINGER as its struct. */
static void
put_optval(struct dctx *c, uint64_t addr, uint32_t len)
{
	struct linger	 lg;

	if ((int)A(c, 1) == SOL_SOCKET && (int)A(c, 2) == SO_LINGER &&
	    len >= sizeof(lg)) {
		if (dfetch(c, addr, &lg, sizeof(lg)) == 0)
			sbuf_printf(c->c_sb, "{l_onoff=%d, l_linger=%d}",
			    lg.l_onoff, lg.l_linger);
		return;
	}
	if (len == sizeof(int))
		dput_int_array(c, addr, 1, 1);
	else
		dput_bytes(c, addr, len);
}

static int
sockopt_arg(struct dctx *c, int i)
{
	uint32_t	 len;
	int		 set = -1;

	if (i == 2) {
		if ((int)A(c, 1) == SOL_SOCKET)
			set = IT_X_so;
		else if ((int)A(c, 1) == IPPROTO_TCP)
			set = IT_X_tcp;
		if (set < 0 || !dput_enum_known(c->c_sb, set,
		    (unsigned)A(c, 2)))
			sbuf_printf(c->c_sb, "%d", (int)A(c, 2));
		return 1;
	}
	if (i != 3)
		return 0;
	if (c->c_nr == IT_SYS_setsockopt) {
		put_optval(c, A(c, 3), (uint32_t)A(c, 4));
		return 1;
	}
	if (c->c_result < 0 ||
	    it_mem_read(c->c_t, A(c, 4), &len, sizeof(len)) < 0)
		dput_addr(c->c_sb, A(c, 3));
	else
		put_optval(c, A(c, 3), len);
	return 1;
}

static int
sockopt_level_arg(struct dctx *c, int i)
{
	if (i == 1 && (int)A(c, 1) == IPPROTO_TCP) {
		sbuf_puts(c->c_sb, "SOL_TCP");
		return 1;
	}
	return sockopt_arg(c, i);
}

static int
getsockopt_first_out(const struct dctx *c)
{
	(void)c;
	return 3;
}

const struct dspecial dspecial_net[IT_NR_MAX] = {
	[IT_SYS_socket] = { .ds_arg = socket_arg },
	[IT_SYS_socketpair] = { .ds_arg = socket_arg },
	[IT_SYS_setsockopt] = { .ds_arg = sockopt_level_arg },
	[IT_SYS_getsockopt] = { .ds_first_out = getsockopt_first_out,
	    .ds_arg = sockopt_level_arg },
};
