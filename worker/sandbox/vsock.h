/*
 * Virtual sockets of the sandbox, as the network handlers see them.
 *
 * A virtual AF_INET or AF_INET6 socket is a real AF_UNIX socket of the
 * same type in the tracee; the supervisor's registry (supervisor/netreg.c)
 * knows it by its socket inode and gives out the abstract names it binds
 * and connects to (common/vnet.h).  Everything a socket has besides its
 * family lives in the kernel: which fds refer to it (dup, fork, close and
 * exec need no bookkeeping here) and its addresses, read back from its
 * AF_UNIX names.
 */
#ifndef VSOCK_H
#define VSOCK_H

#include <sys/socket.h>
#include <sys/un.h>
#include <stdint.h>

#include <isotrace/isotrace.h>

struct vsock {
	uint64_t	 vs_inode;
	int		 vs_family;	/* AF_INET or AF_INET6 */
	int		 vs_type;	/* SOCK_STREAM or SOCK_DGRAM */
	int		 vs_state;	/* VS_*, as this process knows it */
};

/*
 * What a process knows of a socket beyond the kernel's AF_UNIX state
 * (lost at a hand-off, where the socket counts as VS_PLAIN):
 */
#define VS_PLAIN	0	/* nothing */
#define VS_UNCONN	1	/* a datagram socket never connected */
#define VS_REFUSED	2	/* a non-blocking connect refused (netgone.c) */
#define VS_ABORTED	6	/* the same, its error taken */
#define VS_NOBODY	3	/* datagrams connected to an unbound port */
#define VS_NOBODY_ERR	4	/* the same, an "ICMP" error pending */
#define VS_WRDONE	5	/* a stream that may send no more (netreset.c) */

/* A virtual address: IPv4 as IPv4-mapped IPv6. */
struct vaddr {
	uint8_t		 va_addr[16];
	unsigned int	 va_port;
};

/*
 * The scratch area of a call (it_task_scratch, 16 KiB): what a handler
 * saves for its exit function, and the AF_UNIX arguments it makes up.
 * SC_MMSG messages of sendmmsg and recvmmsg, each with its sockaddr_un,
 * fit in it; the kernel takes at most 1024 (UIO_MAXIOV), which do not.
 */
#define SC_MMSG		64

struct vsock_scratch {
	uint64_t		 sc_saved[2];	/* the program's pointers */
	uint64_t		 sc_timeo;	/* vsock_timeo of the call */
	int32_t			 sc_family, sc_type, sc_fd;
	socklen_t		 sc_len;
	struct sockaddr_un	 sc_sun;
	struct msghdr		 sc_msg;
	/* sendmmsg and recvmmsg, a batch of at most SC_MMSG at a time */
	struct mmsghdr		 sc_mm[SC_MMSG];
	struct sockaddr_un	 sc_mmsun[SC_MMSG];
};
#define SCRATCH(t)	it_task_scratch((t), sizeof(struct vsock_scratch))
_Static_assert(sizeof(struct vsock_scratch) <= 16384, "scratch too small");
#define SC_OFF(m)	offsetof(struct vsock_scratch, m)

/* 1 with *vs when fd is a virtual socket, 0 when it is anything else. */
int	vsock_get(struct it_task *, int fd, struct vsock *);
/* The same, and with 1 *file: the program's socket in the worker (to be
 * closed), or -1 when it could not be had. */
int	vsock_get_file(struct it_task *, int fd, struct vsock *, int *file);
/* Sets what this process knows of vs; vsock_watched: whether any socket
 * of the process may be in a state other than VS_PLAIN (if not, calls
 * need not look their fd up). */
void	vsock_set_state(struct vsock *, int);
int	vsock_watched(void);
/* Whether the process may have virtual sockets at all. */
int	vsock_used(struct it_task *);
/* Makes the AF_UNIX socket fd (just created in the tracee) virtual. */
int	vsock_add(struct it_task *, int fd, int family, int type,
	    struct vsock *);

/* The kernel's shortest sockaddr_in6: without sin6_scope_id. */
#define SIN6_LEN_RFC2133	24

/* A program's sockaddr, checked as the kernel checks it for this socket:
 * 0, -EINVAL, -EAFNOSUPPORT or -EFAULT.  AF_UNSPEC gives 1 (and *va read
 * as if it were AF_INET), and an AF_INET one given to an IPv6 socket 2
 * (connect and send take it as IPv4-mapped, bind does not). */
int	vsock_addr_in(struct it_task *, const struct vsock *, uint64_t addr,
	    unsigned int len, struct vaddr *);
/* Writes a virtual address to the program (addr, *lenp) in the socket's
 * family, cut to the buffer's size, with the kernel's errors: a NULL
 * lenp, or a NULL addr with a length, is -EFAULT. */
int	vsock_addr_out(struct it_task *, const struct vsock *, uint64_t addr,
	    uint64_t lenp, const struct vaddr *);
/* The address of a kernel AF_UNIX name of len bytes; unnamed: the
 * wildcard of the socket's family, port 0. */
void	vsock_addr_of(const struct vsock *, const struct sockaddr_un *,
	    socklen_t len, struct vaddr *);
/* A peer bound to a wildcard is seen from its loopback address, as a
 * host's peer is seen from the address it sent from. */
void	vsock_as_peer(const struct vsock *, struct vaddr *);
/* fd's own (peer 0) or its peer's address, from the kernel:
 * 0, or -ENOTCONN and the like. */
int	vsock_name(struct it_task *, const struct vsock *, int fd, int peer,
	    struct vaddr *);
/* The wildcard or the loopback address of a family. */
void	vsock_any(int family, struct vaddr *);
void	vsock_loopback(int family, struct vaddr *);

/* Puts the abstract name at guest address at as a sockaddr_un; returns
 * its length, or -errno. */
long	vsock_put_name(struct it_task *, const char *name, uint64_t at);
/* Binds fd to name in the tracee. */
long	vsock_bind_name(struct it_task *, int fd, const char *name);

/* Registry requests; names are VNET_NAME_MAX + 1 bytes.  0 or -errno. */
int	vsock_reg_bind(const struct vsock *, const struct vaddr *,
	    char *name);
int	vsock_reg_connect(const struct vsock *, const struct vaddr *to,
	    const struct vaddr *local, char *peer, char *localname);

/* net.c: where a connect or a send to va goes: the peer's sockaddr_un at
 * guest address at (returns its length) after binding fd if it was not;
 * -ECONNREFUSED when nobody has that address, -ENETUNREACH outside. */
long	net_reach(struct it_task *, const struct vsock *, int fd,
	    const struct vaddr *va, uint64_t at);

/* net.c: r, having moved the clock if the call timed out (see
 * vsock_timeo; for exit functions of calls that saved sc_timeo). */
long	net_timed_out(struct it_task *, long r);

/* net.c: a destination of 0.0.0.0 or :: made the loopback address, as
 * the kernel takes it. */
void	net_local(struct vaddr *);

/* netgone.c: sockets that reached nobody (see there).  _connect is
 * connect's answer when the registry refused va; the others give a
 * result, or IT_RUN_ORIGINAL when the socket's state has none to give. */
long	netgone_connect(struct it_task *, struct vsock *, int fd,
	    const struct vaddr *va);
long	netgone_reconnect(struct vsock *);
long	netgone_send(struct it_task *, struct vsock *, int fd, size_t len,
	    unsigned int flags);
long	netgone_recv(struct it_task *, struct vsock *, unsigned int flags);
int	netgone_soerror(struct vsock *, int *err);

/* netreset.c: a send of len bytes on a stream socket (file: the program's
 * socket from vsock_get_file, or -1) whose peer may have closed: its
 * result, or IT_RUN_ORIGINAL. */
long	netreset_send(struct vsock *, int file, size_t len);
/* netsize.c: 0 if a datagram of len bytes to addr (or, 0, fd's peer)
 * fits in one UDP packet, -EMSGSIZE if not. */
int	netsize_check(struct it_task *, const struct vsock *, int fd,
	    uint64_t addr, unsigned int alen, size_t len);

/* A datagram's hop limit (TTL) and traffic class (TOS). */
struct vhops {
	int	 vh_hops, vh_tclass;
};

/* nethops.c: a datagram of len bytes sent on fd (a sendmsg's m, or
 * sendto's buf): 0, or -EINVAL for IP-level messages the kernel refuses;
 * the values it carries, for a datagram of len bytes received from
 * (the defaults when unknown). */
int	nethops_send(struct it_task *, const struct vsock *, int fd,
	    const struct msghdr *m, uint64_t buf, size_t len);
void	nethops_recv(struct it_task *, const struct vaddr *from,
	    const struct msghdr *m, size_t len, struct vhops *);

/* netcmsg.c: 1 if the program asked for IP-level ancillary data on this
 * socket; netcmsg_put appends it to the program's control buffer
 * (control, cap bytes, *used of them taken), as loopback gives it, with
 * the datagram's values h (NULL: the defaults). */
int	netcmsg_wanted(const struct vsock *);
int	netcmsg_put(struct it_task *, const struct vsock *, int fd,
	    const struct vhops *h, uint64_t control, size_t cap, size_t *used,
	    int *flags);

/* SO_RCVTIMEO: is (level, name) it; remember the program's timeval at
 * val for vs; the ns by which a receive on fd with these flags that
 * times out moves the clock (0: it cannot time out). */
int		 vsock_timeo_opt(int level, int name);
void		 vsock_timeo_set(struct it_task *, const struct vsock *,
		    uint64_t val, unsigned int len);
uint64_t	 vsock_timeo(struct it_task *, int fd, unsigned int flags);

/* Emulated options of the IP and TCP/UDP levels, by socket. */
int	vsock_opt_get(const struct vsock *, int level, int name, int *val);
void	vsock_opt_set(const struct vsock *, int level, int name, int val);

#endif
