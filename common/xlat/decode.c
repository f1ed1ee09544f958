/*
 * Sets the verbose decoder needs inside structures and results rather than
 * as syscall arguments: file types, descriptor flags, filesystem magics,
 * socket options, poll and epoll events, sigaction and siginfo fields,
 * ioctl commands.  They are named in sets.def like every other set.
 */
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <linux/magic.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <termios.h>

#include "../xlat.h"

/* The type bits of st_mode: one value of the S_IFMT field. */
const struct xlat it_xlat_file_type[] = {
	XLAT_M(S_IFREG, S_IFMT),
	XLAT_M(S_IFDIR, S_IFMT),
	XLAT_M(S_IFLNK, S_IFMT),
	XLAT_M(S_IFCHR, S_IFMT),
	XLAT_M(S_IFBLK, S_IFMT),
	XLAT_M(S_IFIFO, S_IFMT),
	XLAT_M(S_IFSOCK, S_IFMT),
	XLAT_END
};

/* F_GETFD / F_SETFD. */
const struct xlat it_xlat_fdflags[] = {
	XLAT(FD_CLOEXEC),
	XLAT_END
};

const struct xlat it_xlat_fs_magic[] = {
	XLAT(EXT2_SUPER_MAGIC),
	XLAT(PROC_SUPER_MAGIC),
	XLAT(TMPFS_MAGIC),
	XLAT(SYSFS_MAGIC),
	XLAT(DEVPTS_SUPER_MAGIC),
	XLAT(CGROUP2_SUPER_MAGIC),
	XLAT(OVERLAYFS_SUPER_MAGIC),
	XLAT(BTRFS_SUPER_MAGIC),
	XLAT(XFS_SUPER_MAGIC),
	XLAT(NFS_SUPER_MAGIC),
	XLAT(SQUASHFS_MAGIC),
	XLAT(BPF_FS_MAGIC),
	XLAT(DEBUGFS_MAGIC),
	XLAT(SECURITYFS_MAGIC),
	XLAT(PIPEFS_MAGIC),
	XLAT(SOCKFS_MAGIC),
	XLAT(ANON_INODE_FS_MAGIC),
	XLAT(HUGETLBFS_MAGIC),
	XLAT(MSDOS_SUPER_MAGIC),
	XLAT(FUSE_SUPER_MAGIC),
	XLAT(RAMFS_MAGIC),
	XLAT_END
};

/* statfs's f_flags: the kernel's ST_* (glibc has only part of them). */
#define ST_VALID	0x0020
#ifndef ST_NOSYMFOLLOW
#define ST_NOSYMFOLLOW	0x2000
#endif
const struct xlat it_xlat_statfs_flags[] = {
	XLAT(ST_VALID),
	XLAT(ST_RDONLY),
	XLAT(ST_NOSUID),
	XLAT(ST_NODEV),
	XLAT(ST_NOEXEC),
	XLAT(ST_SYNCHRONOUS),
	XLAT(ST_MANDLOCK),
	XLAT(ST_WRITE),
	XLAT(ST_APPEND),
	XLAT(ST_IMMUTABLE),
	XLAT(ST_NOATIME),
	XLAT(ST_NODIRATIME),
	XLAT(ST_RELATIME),
	XLAT(ST_NOSYMFOLLOW),
	XLAT_END
};

/* SOL_SOCKET option names. */
const struct xlat it_xlat_so[] = {
	XLAT(SO_DEBUG),
	XLAT(SO_REUSEADDR),
	XLAT(SO_TYPE),
	XLAT(SO_ERROR),
	XLAT(SO_DONTROUTE),
	XLAT(SO_BROADCAST),
	XLAT(SO_SNDBUF),
	XLAT(SO_RCVBUF),
	XLAT(SO_KEEPALIVE),
	XLAT(SO_OOBINLINE),
	XLAT(SO_NO_CHECK),
	XLAT(SO_PRIORITY),
	XLAT(SO_LINGER),
	XLAT(SO_BSDCOMPAT),
	XLAT(SO_REUSEPORT),
	XLAT(SO_PASSCRED),
	XLAT(SO_PEERCRED),
	XLAT(SO_RCVLOWAT),
	XLAT(SO_SNDLOWAT),
	XLAT(SO_RCVTIMEO_OLD),
	XLAT(SO_SNDTIMEO_OLD),
	XLAT(SO_BINDTODEVICE),
	XLAT(SO_ACCEPTCONN),
	XLAT(SO_SNDBUFFORCE),
	XLAT(SO_RCVBUFFORCE),
	XLAT(SO_PROTOCOL),
	XLAT(SO_DOMAIN),
	XLAT_END
};

/* SOL_TCP option names. */
const struct xlat it_xlat_tcp[] = {
	XLAT(TCP_NODELAY),
	XLAT(TCP_MAXSEG),
	XLAT(TCP_CORK),
	XLAT(TCP_KEEPIDLE),
	XLAT(TCP_KEEPINTVL),
	XLAT(TCP_KEEPCNT),
	XLAT(TCP_SYNCNT),
	XLAT(TCP_LINGER2),
	XLAT(TCP_DEFER_ACCEPT),
	XLAT(TCP_WINDOW_CLAMP),
	XLAT(TCP_INFO),
	XLAT(TCP_QUICKACK),
	XLAT(TCP_CONGESTION),
	XLAT(TCP_FASTOPEN),
	XLAT(TCP_USER_TIMEOUT),
	XLAT_END
};

/* socket()'s protocol for the inet families. */
const struct xlat it_xlat_ipproto[] = {
	XLAT(IPPROTO_IP),
	XLAT(IPPROTO_ICMP),
	XLAT(IPPROTO_TCP),
	XLAT(IPPROTO_UDP),
	XLAT(IPPROTO_IPV6),
	XLAT(IPPROTO_ICMPV6),
	XLAT(IPPROTO_SCTP),
	XLAT(IPPROTO_UDPLITE),
	XLAT(IPPROTO_RAW),
	XLAT(IPPROTO_MPTCP),
	XLAT_END
};

/* socket()'s protocol for AF_NETLINK. */
const struct xlat it_xlat_netlink_proto[] = {
	XLAT(NETLINK_ROUTE),
	XLAT(NETLINK_USERSOCK),
	XLAT(NETLINK_SOCK_DIAG),
	XLAT(NETLINK_NFLOG),
	XLAT(NETLINK_XFRM),
	XLAT(NETLINK_SELINUX),
	XLAT(NETLINK_ISCSI),
	XLAT(NETLINK_AUDIT),
	XLAT(NETLINK_FIB_LOOKUP),
	XLAT(NETLINK_CONNECTOR),
	XLAT(NETLINK_NETFILTER),
	XLAT(NETLINK_IP6_FW),
	XLAT(NETLINK_DNRTMSG),
	XLAT(NETLINK_KOBJECT_UEVENT),
	XLAT(NETLINK_GENERIC),
	XLAT(NETLINK_SCSITRANSPORT),
	XLAT(NETLINK_ECRYPTFS),
	XLAT(NETLINK_RDMA),
	XLAT(NETLINK_CRYPTO),
	XLAT_END
};

const struct xlat it_xlat_poll_events[] = {
	XLAT(POLLIN),
	XLAT(POLLPRI),
	XLAT(POLLOUT),
	XLAT(POLLERR),
	XLAT(POLLHUP),
	XLAT(POLLNVAL),
	XLAT(POLLRDNORM),
	XLAT(POLLRDBAND),
	XLAT(POLLWRNORM),
	XLAT(POLLWRBAND),
	XLAT(POLLMSG),
	XLAT(POLLRDHUP),
	XLAT_END
};

const struct xlat it_xlat_epoll_events[] = {
	XLAT(EPOLLIN),
	XLAT(EPOLLPRI),
	XLAT(EPOLLOUT),
	XLAT(EPOLLERR),
	XLAT(EPOLLHUP),
	XLAT(EPOLLRDNORM),
	XLAT(EPOLLRDBAND),
	XLAT(EPOLLWRNORM),
	XLAT(EPOLLWRBAND),
	XLAT(EPOLLMSG),
	XLAT(EPOLLRDHUP),
	XLAT(EPOLLEXCLUSIVE),
	XLAT(EPOLLWAKEUP),
	XLAT(EPOLLONESHOT),
	XLAT(EPOLLET),
	XLAT_END
};

/* sa_flags; SA_RESTORER is the kernel's, glibc does not export it. */
#ifndef SA_RESTORER
#define SA_RESTORER	0x04000000
#endif
const struct xlat it_xlat_sa_flags[] = {
	XLAT(SA_RESTORER),
	XLAT(SA_ONSTACK),
	XLAT(SA_RESTART),
	XLAT(SA_NODEFER),
	XLAT(SA_RESETHAND),
	XLAT(SA_SIGINFO),
	XLAT(SA_NOCLDSTOP),
	XLAT(SA_NOCLDWAIT),
	XLAT_END
};

const struct xlat it_xlat_ss_flags[] = {
	XLAT(SS_ONSTACK),
	XLAT(SS_DISABLE),
	XLAT_END
};

/* si_code values every signal may carry. */
const struct xlat it_xlat_si_code[] = {
	XLAT(SI_USER),
	XLAT(SI_KERNEL),
	XLAT(SI_QUEUE),
	XLAT(SI_TIMER),
	XLAT(SI_MESGQ),
	XLAT(SI_ASYNCIO),
	XLAT(SI_SIGIO),
	XLAT(SI_TKILL),
	XLAT(SI_DETHREAD),
	XLAT(SI_ASYNCNL),
	XLAT_END
};

/* si_code of SIGCHLD. */
const struct xlat it_xlat_cld_code[] = {
	XLAT(CLD_EXITED),
	XLAT(CLD_KILLED),
	XLAT(CLD_DUMPED),
	XLAT(CLD_TRAPPED),
	XLAT(CLD_STOPPED),
	XLAT(CLD_CONTINUED),
	XLAT_END
};

/* si_code of SIGSEGV. */
const struct xlat it_xlat_segv_code[] = {
	XLAT(SEGV_MAPERR),
	XLAT(SEGV_ACCERR),
	XLAT(SEGV_BNDERR),
	XLAT(SEGV_PKUERR),
	XLAT_END
};

const struct xlat it_xlat_sigev_notify[] = {
	XLAT(SIGEV_SIGNAL),
	XLAT(SIGEV_NONE),
	XLAT(SIGEV_THREAD),
	XLAT(SIGEV_THREAD_ID),
	XLAT_END
};

/* personality()'s result: the execution domain in the low byte. */
const struct xlat it_xlat_personality[] = {
	XLAT_M(PER_LINUX, PER_MASK),
	XLAT(UNAME26),
	XLAT(ADDR_NO_RANDOMIZE),
	XLAT(FDPIC_FUNCPTRS),
	XLAT(MMAP_PAGE_ZERO),
	XLAT(ADDR_COMPAT_LAYOUT),
	XLAT(READ_IMPLIES_EXEC),
	XLAT(ADDR_LIMIT_32BIT),
	XLAT(SHORT_INODE),
	XLAT(WHOLE_SECONDS),
	XLAT(STICKY_TIMEOUTS),
	XLAT(ADDR_LIMIT_3GB),
	XLAT_END
};

/* PR_GET_DUMPABLE's result. */
const struct xlat it_xlat_dumpable[] = {
	{ 0, 0, "SUID_DUMP_DISABLE" },
	{ 1, 0, "SUID_DUMP_USER" },
	{ 2, 0, "SUID_DUMP_ROOT" },
	XLAT_END
};

/* The common ioctl requests: terminals and descriptors. */
const struct xlat it_xlat_ioctl[] = {
	XLAT(TCGETS),
	XLAT(TCSETS),
	XLAT(TCSETSW),
	XLAT(TCSETSF),
	XLAT(TCGETA),
	XLAT(TCSETA),
	XLAT(TCSBRK),
	XLAT(TCXONC),
	XLAT(TCFLSH),
	XLAT(TIOCEXCL),
	XLAT(TIOCNXCL),
	XLAT(TIOCSCTTY),
	XLAT(TIOCGPGRP),
	XLAT(TIOCSPGRP),
	XLAT(TIOCOUTQ),
	XLAT(TIOCSTI),
	XLAT(TIOCGWINSZ),
	XLAT(TIOCSWINSZ),
	XLAT(TIOCMGET),
	XLAT(TIOCMSET),
	XLAT(FIONREAD),
	XLAT(TIOCLINUX),
	XLAT(TIOCCONS),
	XLAT(TIOCNOTTY),
	XLAT(TIOCGSID),
	XLAT(TIOCGPTN),
	XLAT(TIOCSPTLCK),
	XLAT(FIONBIO),
	XLAT(FIOCLEX),
	XLAT(FIONCLEX),
	XLAT(FIOASYNC),
	XLAT(FIOQSIZE),
	XLAT_END
};
