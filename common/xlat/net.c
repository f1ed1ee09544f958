/*
 * Sockets: address families, socket types and their creation flags,
 * send/recv flags, shutdown's how, and setsockopt/getsockopt levels.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include "../xlat.h"

/* Address families (AF_LOCAL is AF_UNIX's alias and is not listed). */
const struct xlat it_xlat_socket_domain[] = {
	XLAT(AF_UNSPEC),
	XLAT(AF_UNIX),
	XLAT(AF_INET),
	XLAT(AF_AX25),
	XLAT(AF_IPX),
	XLAT(AF_APPLETALK),
	XLAT(AF_NETROM),
	XLAT(AF_BRIDGE),
	XLAT(AF_ATMPVC),
	XLAT(AF_X25),
	XLAT(AF_INET6),
	XLAT(AF_ROSE),
	XLAT(AF_DECnet),
	XLAT(AF_NETBEUI),
	XLAT(AF_SECURITY),
	XLAT(AF_KEY),
	XLAT(AF_NETLINK),
	XLAT(AF_PACKET),
	XLAT(AF_ASH),
	XLAT(AF_ECONET),
	XLAT(AF_ATMSVC),
	XLAT(AF_RDS),
	XLAT(AF_SNA),
	XLAT(AF_IRDA),
	XLAT(AF_PPPOX),
	XLAT(AF_WANPIPE),
	XLAT(AF_LLC),
	XLAT(AF_IB),
	XLAT(AF_MPLS),
	XLAT(AF_CAN),
	XLAT(AF_TIPC),
	XLAT(AF_BLUETOOTH),
	XLAT(AF_IUCV),
	XLAT(AF_RXRPC),
	XLAT(AF_ISDN),
	XLAT(AF_PHONET),
	XLAT(AF_IEEE802154),
	XLAT(AF_CAIF),
	XLAT(AF_ALG),
	XLAT(AF_NFC),
	XLAT(AF_VSOCK),
	XLAT(AF_KCM),
	XLAT(AF_QIPCRTR),
	XLAT(AF_SMC),
	XLAT(AF_XDP),
#ifdef AF_MCTP
	XLAT(AF_MCTP),
#endif
	XLAT_END
};

/*
 * socket/socketpair type: the low four bits are the type proper, the
 * creation flags sit above them.
 */
const struct xlat it_xlat_socket_type[] = {
	XLAT_M(SOCK_STREAM, 0xf),
	XLAT_M(SOCK_DGRAM, 0xf),
	XLAT_M(SOCK_RAW, 0xf),
	XLAT_M(SOCK_RDM, 0xf),
	XLAT_M(SOCK_SEQPACKET, 0xf),
	XLAT_M(SOCK_DCCP, 0xf),
	XLAT_M(SOCK_PACKET, 0xf),
	XLAT(SOCK_CLOEXEC),
	XLAT(SOCK_NONBLOCK),
	XLAT_END
};

/* accept4 flags. */
const struct xlat it_xlat_sock_flags[] = {
	XLAT(SOCK_NONBLOCK),
	XLAT(SOCK_CLOEXEC),
	XLAT_END
};

/* send*, recv* flags. */
const struct xlat it_xlat_msg[] = {
	XLAT(MSG_OOB),
	XLAT(MSG_PEEK),
	XLAT(MSG_DONTROUTE),
	XLAT(MSG_CTRUNC),
	XLAT(MSG_PROXY),
	XLAT(MSG_TRUNC),
	XLAT(MSG_DONTWAIT),
	XLAT(MSG_EOR),
	XLAT(MSG_WAITALL),
	XLAT(MSG_FIN),
	XLAT(MSG_SYN),
	XLAT(MSG_CONFIRM),
	XLAT(MSG_RST),
	XLAT(MSG_ERRQUEUE),
	XLAT(MSG_NOSIGNAL),
	XLAT(MSG_MORE),
	XLAT(MSG_WAITFORONE),
	XLAT(MSG_BATCH),
	XLAT(MSG_ZEROCOPY),
	XLAT(MSG_FASTOPEN),
	XLAT(MSG_CMSG_CLOEXEC),
	XLAT_END
};

const struct xlat it_xlat_shutdown[] = {
	XLAT(SHUT_RD),
	XLAT(SHUT_WR),
	XLAT(SHUT_RDWR),
	XLAT_END
};

/*
 * Option levels.  Protocol levels are IPPROTO_* numbers; SOL_RAW and
 * IPPROTO_RAW are both 255 and the SOL_ spelling is kept.
 */
const struct xlat it_xlat_sockopt_level[] = {
	XLAT(SOL_SOCKET),
	XLAT(IPPROTO_IP),
	XLAT(IPPROTO_ICMP),
	XLAT(IPPROTO_TCP),
	XLAT(IPPROTO_UDP),
	XLAT(IPPROTO_IPV6),
	XLAT(IPPROTO_ICMPV6),
	XLAT(IPPROTO_SCTP),
	XLAT(IPPROTO_UDPLITE),
	XLAT(SOL_RAW),
	XLAT(SOL_DECNET),
	XLAT(SOL_X25),
	XLAT(SOL_PACKET),
	XLAT(SOL_ATM),
	XLAT(SOL_AAL),
	XLAT(SOL_IRDA),
	XLAT(SOL_NETBEUI),
	XLAT(SOL_LLC),
	XLAT(SOL_DCCP),
	XLAT(SOL_NETLINK),
	XLAT(SOL_TIPC),
	XLAT(SOL_RXRPC),
	XLAT(SOL_PPPOL2TP),
	XLAT(SOL_BLUETOOTH),
	XLAT(SOL_PNPIPE),
	XLAT(SOL_RDS),
	XLAT(SOL_IUCV),
	XLAT(SOL_CAIF),
	XLAT(SOL_ALG),
	XLAT(SOL_NFC),
	XLAT(SOL_KCM),
	XLAT(SOL_TLS),
	XLAT(SOL_XDP),
#ifdef SOL_MPTCP
	XLAT(SOL_MPTCP),
#endif
#ifdef SOL_MCTP
	XLAT(SOL_MCTP),
#endif
#ifdef SOL_SMC
	XLAT(SOL_SMC),
#endif
	XLAT_END
};
