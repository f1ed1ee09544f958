/*
 * Framing of the supervisor <-> worker channel.  SOCK_SEQPACKET keeps
 * record boundaries, so there is no length prefix: one send(2) is one
 * envelope and one recv(2) gets it whole.  recv(2) with MSG_TRUNC reports
 * the record's real length, which is how an oversized record is told from
 * one that merely filled the buffer; the kernel has then discarded the
 * rest, so the next record is read cleanly.
 *
 * protobuf-c checks wire syntax only; channel_validate() is where the
 * values are checked, on both sides: the receiver must not trust its
 * peer, and the sender would rather fail its own call than be dropped.
 */
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <isotrace/isotrace.h>

#include "../common/vnet.h"
#include "channel.h"

/* Sends of ordinary envelopes need no allocation. */
#define SEND_STACK	512

static int
comm_ok(const char *comm)
{
	/* strnlen: on the sending side, the string is the caller's. */
	return comm != NULL &&
	    strnlen(comm, CHANNEL_COMM_MAX + 1) <= CHANNEL_COMM_MAX;
}

/*
 * Each message is checked against its own descriptor as well: a sender
 * that points a payload at the wrong message type is caught here.  Unknown
 * fields are refused since both ends speak exactly CHANNEL_VERSION.
 */
#define MSG_OK(m, name)							\
	((m) != NULL &&							\
	    (m)->base.descriptor == &isotrace__##name##__descriptor &&	\
	    (m)->base.n_unknown_fields == 0)

static int
hello_ok(const Isotrace__Hello *m)
{
	return MSG_OK(m, hello) && m->worker_pid > 0;
}

static int
traced_ok(const Isotrace__Traced *m)
{
	return MSG_OK(m, traced) && m->pid > 0 && comm_ok(m->comm);
}

static int
exited_ok(const Isotrace__Exited *m)
{
	/* A process that ended either exited or was killed. */
	return MSG_OK(m, exited) && m->pid > 0 &&
	    (WIFEXITED(m->wait_status) || WIFSIGNALED(m->wait_status));
}

static int
handoff_done_ok(const Isotrace__HandoffDone *m)
{
	return MSG_OK(m, handoff_done) && m->pid > 0 && m->error >= 0 &&
	    m->error < 4096;
}

static int
handoff_ok(const Isotrace__Handoff *m)
{
	return MSG_OK(m, handoff) && m->pid > 0 && m->parent_pid > 0 &&
	    m->pid != m->parent_pid &&
	    m->regs.len == sizeof(struct user_regs_struct) &&
	    m->regs.data != NULL &&
	    m->state.len <= CHANNEL_STATE_MAX &&
	    (m->state.len == 0 || m->state.data != NULL) &&
	    comm_ok(m->comm);
}

static int
family_ok(int32_t family)
{
	return family == AF_INET || family == AF_INET6;
}

static int
socktype_ok(int32_t type)
{
	return type == SOCK_STREAM || type == SOCK_DGRAM;
}

static int
addr_ok(ProtobufCBinaryData a)
{
	return a.len == 16 && a.data != NULL;
}

/* A name the registry made (vnet.h): short, and only [0-9a-z-] in it. */
static int
vnet_name_ok(const char *name)
{
	size_t	 n;

	if (name == NULL || (n = strnlen(name, VNET_NAME_MAX + 1)) >
	    VNET_NAME_MAX)
		return 0;
	return strspn(name, "0123456789abcdefghijklmnopqrstuvwxyz-") == n;
}

static int
net_socket_ok(const Isotrace__NetSocket *m)
{
	return MSG_OK(m, net_socket) && m->inode != 0 &&
	    family_ok(m->family) && socktype_ok(m->type);
}

static int
net_lookup_ok(const Isotrace__NetLookup *m)
{
	return MSG_OK(m, net_lookup) && m->inode != 0;
}

static int
net_bind_ok(const Isotrace__NetBind *m)
{
	return MSG_OK(m, net_bind) && socktype_ok(m->type) &&
	    addr_ok(m->addr) && m->port <= 65535;
}

static int
net_connect_ok(const Isotrace__NetConnect *m)
{
	return MSG_OK(m, net_connect) && socktype_ok(m->type) &&
	    addr_ok(m->addr) && m->port >= 1 && m->port <= 65535 &&
	    (m->local_addr.len == 0 || addr_ok(m->local_addr));
}

static int
net_reply_ok(const Isotrace__NetReply *m)
{
	return MSG_OK(m, net_reply) && m->error >= 0 && m->error < 4096 &&
	    (m->family == 0 || family_ok(m->family)) &&
	    (m->type == 0 || socktype_ok(m->type)) &&
	    vnet_name_ok(m->name) && vnet_name_ok(m->local_name);
}

/* Each number at most once, so that no total can be counted twice. */
static int
tally_ok(const Isotrace__Tally *m)
{
	uint8_t			 seen[IT_NR_MAX] = { 0 };
	const Isotrace__SyscallCount	*c;
	size_t			 i;

	if (!MSG_OK(m, tally) || m->n_counts > IT_NR_MAX)
		return 0;
	for (i = 0; i < m->n_counts; i++) {
		c = m->counts[i];
		if (!MSG_OK(c, syscall_count) || c->nr >= IT_NR_MAX ||
		    seen[c->nr]++ || c->calls == 0 || c->errors > c->calls)
			return 0;
	}
	return 1;
}

/* Linux's PID_MAX_LIMIT: no pid, real or virtual, reaches it. */
#define PID_LIMIT	4194304

static int
pidpair_ok(const Isotrace__PidPair *m, Isotrace__Envelope__PayloadCase c)
{
	if (!MSG_OK(m, pid_pair) || m->pid < 0 || m->pid >= PID_LIMIT ||
	    m->vpid < 0 || m->vpid >= PID_LIMIT)
		return 0;
	switch (c) {
	case ISOTRACE__ENVELOPE__PAYLOAD_PID_CLAIM:
	case ISOTRACE__ENVELOPE__PAYLOAD_PID_RELEASE:
		return m->pid > 0 && m->vpid > 0;
	case ISOTRACE__ENVELOPE__PAYLOAD_PID_LOOKUP:
		return (m->pid > 0) != (m->vpid > 0);
	default:
		return 1;	/* pid_is: 0 is "none" */
	}
}

int
channel_validate(const Isotrace__Envelope *env)
{
	int	 ok;

	if (!MSG_OK(env, envelope) || env->version != CHANNEL_VERSION)
		return -EBADMSG;
	switch (env->payload_case) {
	case ISOTRACE__ENVELOPE__PAYLOAD_HELLO:
		ok = hello_ok(env->hello);
		break;
	case ISOTRACE__ENVELOPE__PAYLOAD_TRACED:
		ok = traced_ok(env->traced);
		break;
	case ISOTRACE__ENVELOPE__PAYLOAD_EXITED:
		ok = exited_ok(env->exited);
		break;
	case ISOTRACE__ENVELOPE__PAYLOAD_HANDOFF:
		ok = handoff_ok(env->handoff);
		break;
	case ISOTRACE__ENVELOPE__PAYLOAD_ADOPT:
		ok = handoff_ok(env->adopt);
		break;
	case ISOTRACE__ENVELOPE__PAYLOAD_ADOPTED:
		ok = handoff_done_ok(env->adopted);
		break;
	case ISOTRACE__ENVELOPE__PAYLOAD_HANDOFF_DONE:
		ok = handoff_done_ok(env->handoff_done);
		break;
	case ISOTRACE__ENVELOPE__PAYLOAD_NET_SOCKET:
		ok = net_socket_ok(env->net_socket);
		break;
	case ISOTRACE__ENVELOPE__PAYLOAD_NET_LOOKUP:
		ok = net_lookup_ok(env->net_lookup);
		break;
	case ISOTRACE__ENVELOPE__PAYLOAD_NET_BIND:
		ok = net_bind_ok(env->net_bind);
		break;
	case ISOTRACE__ENVELOPE__PAYLOAD_NET_CONNECT:
		ok = net_connect_ok(env->net_connect);
		break;
	case ISOTRACE__ENVELOPE__PAYLOAD_NET_REPLY:
		ok = net_reply_ok(env->net_reply);
		break;
	case ISOTRACE__ENVELOPE__PAYLOAD_TALLY:
		ok = tally_ok(env->tally);
		break;
	case ISOTRACE__ENVELOPE__PAYLOAD_PID_CLAIM:
		ok = pidpair_ok(env->pid_claim, env->payload_case);
		break;
	case ISOTRACE__ENVELOPE__PAYLOAD_PID_LOOKUP:
		ok = pidpair_ok(env->pid_lookup, env->payload_case);
		break;
	case ISOTRACE__ENVELOPE__PAYLOAD_PID_IS:
		ok = pidpair_ok(env->pid_is, env->payload_case);
		break;
	case ISOTRACE__ENVELOPE__PAYLOAD_PID_RELEASE:
		ok = pidpair_ok(env->pid_release, env->payload_case);
		break;
	default:
		/* NOT_SET, or a case number this version does not know. */
		ok = 0;
		break;
	}
	return ok ? 0 : -EBADMSG;
}

int
channel_send(int fd, const Isotrace__Envelope *env)
{
	uint8_t	 stackbuf[SEND_STACK], *buf = stackbuf;
	size_t	 len;
	ssize_t	 n;
	int	 rc = 0;

	/*
	 * Size first: protobuf-c copes with NULL members when sizing, and an
	 * oversized envelope is a different mistake from an invalid one.
	 */
	len = isotrace__envelope__get_packed_size(env);
	if (len > CHANNEL_MAX)
		return -EMSGSIZE;
	if (channel_validate(env) != 0)
		return -EINVAL;
	if (len > sizeof(stackbuf) && (buf = malloc(len)) == NULL)
		return -ENOMEM;
	isotrace__envelope__pack(env, buf);
	do
		n = send(fd, buf, len, MSG_NOSIGNAL);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		rc = -errno;
	else if ((size_t)n != len)
		rc = -EIO;	/* records are all or nothing */
	if (buf != stackbuf)
		free(buf);
	return rc;
}

int
channel_recv(int fd, Isotrace__Envelope **envp)
{
	Isotrace__Envelope	*env;
	uint8_t			*buf;
	ssize_t			 n;
	int			 rc = 0;

	*envp = NULL;
	if ((buf = malloc(CHANNEL_MAX)) == NULL)
		return -ENOMEM;
	do
		n = recv(fd, buf, CHANNEL_MAX, MSG_TRUNC);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		rc = -errno;
	else if (n > CHANNEL_MAX)
		rc = -EMSGSIZE;
	else if (n > 0) {
		env = isotrace__envelope__unpack(NULL, (size_t)n, buf);
		if (env == NULL)
			rc = -EBADMSG;
		else if (channel_validate(env) != 0) {
			channel_free(env);
			rc = -EBADMSG;
		} else
			*envp = env;
	}
	free(buf);
	return rc;
}

void
channel_free(Isotrace__Envelope *env)
{
	if (env != NULL)
		isotrace__envelope__free_unpacked(env, NULL);
}

void
channel_init(Isotrace__Envelope *env, Isotrace__Envelope__PayloadCase c)
{
	isotrace__envelope__init(env);
	env->version = CHANNEL_VERSION;
	env->payload_case = c;
}

int
channel_send_hello(int fd, pid_t worker)
{
	Isotrace__Envelope	 env;
	Isotrace__Hello		 m = ISOTRACE__HELLO__INIT;

	m.worker_pid = worker;
	channel_init(&env, ISOTRACE__ENVELOPE__PAYLOAD_HELLO);
	env.hello = &m;
	return channel_send(fd, &env);
}

int
channel_send_traced(int fd, pid_t pid, const char *comm)
{
	Isotrace__Envelope	 env;
	Isotrace__Traced	 m = ISOTRACE__TRACED__INIT;

	m.pid = pid;
	m.comm = (char *)comm;	/* only read by the packer */
	channel_init(&env, ISOTRACE__ENVELOPE__PAYLOAD_TRACED);
	env.traced = &m;
	return channel_send(fd, &env);
}

int
channel_send_exited(int fd, pid_t pid, int status)
{
	Isotrace__Envelope	 env;
	Isotrace__Exited	 m = ISOTRACE__EXITED__INIT;

	m.pid = pid;
	m.wait_status = status;
	channel_init(&env, ISOTRACE__ENVELOPE__PAYLOAD_EXITED);
	env.exited = &m;
	return channel_send(fd, &env);
}

int
channel_send_handoff(int fd, int adopt, const struct channel_handoff *h)
{
	Isotrace__Envelope	 env;
	Isotrace__Handoff	 m = ISOTRACE__HANDOFF__INIT;

	/* The packer runs strlen() on comm: it must end inside the array. */
	if (memchr(h->comm, '\0', sizeof(h->comm)) == NULL)
		return -EINVAL;
	m.pid = h->pid;
	m.parent_pid = h->parent;
	m.regs.data = (uint8_t *)&h->regs;
	m.regs.len = sizeof(h->regs);
	m.sigmask = h->sigmask;
	m.stopped = h->stopped != 0;
	m.nofilter = h->nofilter != 0;
	m.state.data = (uint8_t *)h->state;
	m.state.len = h->statelen;
	m.comm = (char *)h->comm;
	m.park_page = h->park_page;
	if (adopt) {
		channel_init(&env, ISOTRACE__ENVELOPE__PAYLOAD_ADOPT);
		env.adopt = &m;
	} else {
		channel_init(&env, ISOTRACE__ENVELOPE__PAYLOAD_HANDOFF);
		env.handoff = &m;
	}
	return channel_send(fd, &env);
}

int
channel_send_handoff_done(int fd, Isotrace__Envelope__PayloadCase c,
    pid_t pid, int error)
{
	Isotrace__Envelope	 env;
	Isotrace__HandoffDone	 m = ISOTRACE__HANDOFF_DONE__INIT;

	m.pid = pid;
	m.error = error;
	channel_init(&env, c);
	if (c == ISOTRACE__ENVELOPE__PAYLOAD_ADOPTED)
		env.adopted = &m;
	else
		env.handoff_done = &m;
	return channel_send(fd, &env);
}

int
channel_send_tally(int fd, const struct channel_tally *t, size_t n)
{
	Isotrace__Envelope	 env;
	Isotrace__Tally		 m = ISOTRACE__TALLY__INIT;
	Isotrace__SyscallCount	*counts, **ptrs;
	size_t			 i;
	int			 rc;

	if (n > IT_NR_MAX)
		return -EINVAL;
	counts = calloc(n ? n : 1, sizeof(*counts));
	ptrs = calloc(n ? n : 1, sizeof(*ptrs));
	if (counts == NULL || ptrs == NULL) {
		free(counts);
		free(ptrs);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		isotrace__syscall_count__init(&counts[i]);
		counts[i].nr = t[i].nr;
		counts[i].calls = t[i].calls;
		counts[i].errors = t[i].errors;
		counts[i].nsec = t[i].nsec;
		ptrs[i] = &counts[i];
	}
	m.n_counts = n;
	m.counts = ptrs;
	channel_init(&env, ISOTRACE__ENVELOPE__PAYLOAD_TALLY);
	env.tally = &m;
	rc = channel_send(fd, &env);
	free(counts);
	free(ptrs);
	return rc;
}

int
channel_handoff_from(const Isotrace__Handoff *m, struct channel_handoff *h)
{
	if (!handoff_ok(m))
		return -EBADMSG;
	memset(h, 0, sizeof(*h));
	h->pid = m->pid;
	h->parent = m->parent_pid;
	memcpy(&h->regs, m->regs.data, sizeof(h->regs));
	h->sigmask = m->sigmask;
	h->stopped = m->stopped != 0;
	h->nofilter = m->nofilter != 0;
	h->park_page = m->park_page;
	h->state = m->state.len > 0 ? m->state.data : NULL;
	h->statelen = m->state.len;
	memcpy(h->comm, m->comm, strlen(m->comm));	/* <= 15, validated */
	return 0;
}

/* All four payloads are one message; the case tells them apart. */
int
channel_send_pid(int fd, Isotrace__Envelope__PayloadCase c, pid_t pid,
    pid_t vpid)
{
	Isotrace__Envelope	 env;
	Isotrace__PidPair	 m = ISOTRACE__PID_PAIR__INIT;

	m.pid = pid;
	m.vpid = vpid;
	channel_init(&env, c);
	switch (c) {
	case ISOTRACE__ENVELOPE__PAYLOAD_PID_CLAIM:
		env.pid_claim = &m;
		break;
	case ISOTRACE__ENVELOPE__PAYLOAD_PID_LOOKUP:
		env.pid_lookup = &m;
		break;
	case ISOTRACE__ENVELOPE__PAYLOAD_PID_IS:
		env.pid_is = &m;
		break;
	case ISOTRACE__ENVELOPE__PAYLOAD_PID_RELEASE:
		env.pid_release = &m;
		break;
	default:
		return -EINVAL;
	}
	return channel_send(fd, &env);
}
