/*
 * The supervisor <-> worker channel over a real SOCK_SEQPACKET pair: every
 * payload survives the trip field for field, and whatever else arrives
 * (short, garbage, oversized, out-of-range records) is refused with an
 * error, never a crash, without disturbing the records after it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <sys/socket.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <isotrace/isotrace.h>

#include "channel.h"

struct pair {
	int	 tx;
	int	 rx;
};

static int
setup(void **state)
{
	struct pair	*p;
	int		 sv[2];

	if ((p = malloc(sizeof(*p))) == NULL ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1) {
		free(p);
		return -1;
	}
	p->tx = sv[0];
	p->rx = sv[1];
	*state = p;
	return 0;
}

static int
teardown(void **state)
{
	struct pair	*p = *state;

	if (p->tx != -1)
		close(p->tx);
	close(p->rx);
	free(p);
	return 0;
}

/* Sends bytes as one record, bypassing channel_send()'s own checks. */
static void
send_raw(int fd, const void *buf, size_t len)
{
	assert_int_equal(send(fd, buf, len, MSG_NOSIGNAL), (ssize_t)len);
}

static void
send_unchecked(int fd, const Isotrace__Envelope *env)
{
	uint8_t	 buf[4096];
	size_t	 len;

	len = isotrace__envelope__get_packed_size(env);
	assert_true(len <= sizeof(buf));
	isotrace__envelope__pack(env, buf);
	send_raw(fd, buf, len);
}

static Isotrace__Envelope *
recv_ok(int fd, Isotrace__Envelope__PayloadCase want)
{
	Isotrace__Envelope	*env;

	assert_int_equal(channel_recv(fd, &env), 0);
	assert_non_null(env);
	assert_int_equal(env->version, CHANNEL_VERSION);
	assert_int_equal(env->payload_case, want);
	return env;
}

static void
recv_bad(int fd)
{
	Isotrace__Envelope	*env = (void *)1;

	assert_int_equal(channel_recv(fd, &env), -EBADMSG);
	assert_null(env);
}

static void
fill_handoff(struct channel_handoff *h, const uint8_t *state, size_t len)
{
	size_t	 i;

	memset(h, 0, sizeof(*h));
	h->pid = 4242;
	h->parent = 4241;
	for (i = 0; i < sizeof(h->regs); i++)
		((uint8_t *)&h->regs)[i] = (uint8_t)(i * 7 + 1);
	h->sigmask = 0x8000000000010001ULL;
	h->stopped = 1;
	h->state = state;
	h->statelen = len;
	strcpy(h->comm, "worker-15-bytes");
}

static void
test_lifecycle_round_trip(void **state)
{
	struct pair		*p = *state;
	Isotrace__Envelope	*env;

	assert_int_equal(channel_send_hello(p->tx, 1234), 0);
	env = recv_ok(p->rx, ISOTRACE__ENVELOPE__PAYLOAD_HELLO);
	assert_int_equal(env->hello->worker_pid, 1234);
	channel_free(env);

	assert_int_equal(channel_send_traced(p->tx, 77, "sh"), 0);
	env = recv_ok(p->rx, ISOTRACE__ENVELOPE__PAYLOAD_TRACED);
	assert_int_equal(env->traced->pid, 77);
	assert_string_equal(env->traced->comm, "sh");
	channel_free(env);

	assert_int_equal(channel_send_exited(p->tx, 77, 3 << 8), 0);
	env = recv_ok(p->rx, ISOTRACE__ENVELOPE__PAYLOAD_EXITED);
	assert_int_equal(env->exited->pid, 77);
	assert_int_equal(env->exited->wait_status, 3 << 8);
	channel_free(env);

	assert_int_equal(channel_send_exited(p->tx, 78, SIGKILL), 0);
	env = recv_ok(p->rx, ISOTRACE__ENVELOPE__PAYLOAD_EXITED);
	assert_int_equal(env->exited->wait_status, SIGKILL);
	channel_free(env);
}

static void
check_handoff(int adopt, const struct channel_handoff *h, int tx, int rx)
{
	Isotrace__Envelope	*env;
	struct channel_handoff	 got;

	assert_int_equal(channel_send_handoff(tx, adopt, h), 0);
	env = recv_ok(rx, adopt ? ISOTRACE__ENVELOPE__PAYLOAD_ADOPT :
	    ISOTRACE__ENVELOPE__PAYLOAD_HANDOFF);
	assert_int_equal(channel_handoff_from(adopt ? env->adopt :
	    env->handoff, &got), 0);
	assert_int_equal(got.pid, h->pid);
	assert_int_equal(got.parent, h->parent);
	assert_memory_equal(&got.regs, &h->regs, sizeof(got.regs));
	assert_true(got.sigmask == h->sigmask);
	assert_int_equal(got.stopped, h->stopped != 0);
	assert_int_equal(got.statelen, h->statelen);
	if (h->statelen > 0)
		assert_memory_equal(got.state, h->state, h->statelen);
	else
		assert_null(got.state);
	assert_string_equal(got.comm, h->comm);
	channel_free(env);
}

static void
test_handoff_round_trip(void **state)
{
	struct pair		*p = *state;
	struct channel_handoff	 h;
	static uint8_t		 blob[CHANNEL_STATE_MAX];
	size_t			 i;

	for (i = 0; i < sizeof(blob); i++)
		blob[i] = (uint8_t)(i ^ (i >> 8));
	fill_handoff(&h, blob, 100);
	check_handoff(0, &h, p->tx, p->rx);
	check_handoff(1, &h, p->tx, p->rx);
	/* The largest state, and none at all. */
	fill_handoff(&h, blob, sizeof(blob));
	check_handoff(0, &h, p->tx, p->rx);
	fill_handoff(&h, NULL, 0);
	h.stopped = 0;
	strcpy(h.comm, "");
	check_handoff(1, &h, p->tx, p->rx);
}

static void
test_peer_closed(void **state)
{
	struct pair		*p = *state;
	Isotrace__Envelope	*env = (void *)1;

	close(p->tx);
	p->tx = -1;
	assert_int_equal(channel_recv(p->rx, &env), 0);
	assert_null(env);
}

static void
test_truncated_and_garbage(void **state)
{
	struct pair		*p = *state;
	struct channel_handoff	 h;
	Isotrace__Envelope	 env;
	Isotrace__Handoff	 m = ISOTRACE__HANDOFF__INIT;
	uint8_t			 buf[1024], blob[100] = { 0 };
	static const uint8_t	 garbage[] = { 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01 };
	size_t			 len;

	fill_handoff(&h, blob, sizeof(blob));
	m.pid = h.pid;
	m.parent_pid = h.parent;
	m.regs.data = (uint8_t *)&h.regs;
	m.regs.len = sizeof(h.regs);
	m.state.data = blob;
	m.state.len = sizeof(blob);
	m.comm = h.comm;
	channel_init(&env, ISOTRACE__ENVELOPE__PAYLOAD_HANDOFF);
	env.handoff = &m;
	len = isotrace__envelope__get_packed_size(&env);
	assert_true(len <= sizeof(buf));
	isotrace__envelope__pack(&env, buf);
	send_raw(p->tx, buf, len / 2);
	recv_bad(p->rx);
	send_raw(p->tx, garbage, sizeof(garbage));
	recv_bad(p->rx);
	/* The whole record still goes through after both. */
	send_raw(p->tx, buf, len);
	channel_free(recv_ok(p->rx, ISOTRACE__ENVELOPE__PAYLOAD_HANDOFF));
}

static void
test_oversized_record(void **state)
{
	struct pair		*p = *state;
	Isotrace__Envelope	*env = (void *)1;
	uint8_t			*big;

	assert_non_null(big = calloc(1, CHANNEL_MAX + 100));
	send_raw(p->tx, big, CHANNEL_MAX + 100);
	free(big);
	assert_int_equal(channel_send_hello(p->tx, 99), 0);
	assert_int_equal(channel_recv(p->rx, &env), -EMSGSIZE);
	assert_null(env);
	env = recv_ok(p->rx, ISOTRACE__ENVELOPE__PAYLOAD_HELLO);
	assert_int_equal(env->hello->worker_pid, 99);
	channel_free(env);
}

static void
test_bad_envelope(void **state)
{
	struct pair		*p = *state;
	Isotrace__Envelope	 env;
	Isotrace__Hello		 hello = ISOTRACE__HELLO__INIT;
	uint8_t			 buf[64];
	size_t			 len;

	hello.worker_pid = 5;
	channel_init(&env, ISOTRACE__ENVELOPE__PAYLOAD_HELLO);
	env.hello = &hello;
	env.version = CHANNEL_VERSION + 1;
	send_unchecked(p->tx, &env);
	recv_bad(p->rx);
	assert_int_equal(channel_send(p->tx, &env), -EINVAL);
	env.version = 0;
	send_unchecked(p->tx, &env);
	recv_bad(p->rx);

	channel_init(&env, ISOTRACE__ENVELOPE__PAYLOAD__NOT_SET);
	send_unchecked(p->tx, &env);
	recv_bad(p->rx);
	assert_int_equal(channel_send(p->tx, &env), -EINVAL);

	/* Field 300 (reserved for the registry) is unknown to this version. */
	channel_init(&env, ISOTRACE__ENVELOPE__PAYLOAD_HELLO);
	env.hello = &hello;
	len = isotrace__envelope__pack(&env, buf);
	buf[len++] = 0xe0;	/* tag: field 300, varint */
	buf[len++] = 0x12;
	buf[len++] = 0x01;
	send_raw(p->tx, buf, len);
	recv_bad(p->rx);
}

static void
test_bad_fields(void **state)
{
	struct pair		*p = *state;
	struct channel_handoff	 h;
	Isotrace__Envelope	 env;
	Isotrace__Handoff	 m = ISOTRACE__HANDOFF__INIT;
	Isotrace__Exited	 ex = ISOTRACE__EXITED__INIT;
	uint8_t			 regs[sizeof(h.regs) + 1];

	memset(regs, 0, sizeof(regs));
	fill_handoff(&h, NULL, 0);
	m.pid = h.pid;
	m.parent_pid = h.parent;
	m.regs.data = regs;
	m.comm = h.comm;
	channel_init(&env, ISOTRACE__ENVELOPE__PAYLOAD_ADOPT);
	env.adopt = &m;
	m.regs.len = sizeof(regs) - 2;
	send_unchecked(p->tx, &env);
	recv_bad(p->rx);
	m.regs.len = sizeof(regs);
	send_unchecked(p->tx, &env);
	recv_bad(p->rx);
	assert_int_equal(channel_send(p->tx, &env), -EINVAL);
	m.regs.len = sizeof(regs) - 1;
	m.comm = "sixteen-bytes-xx";
	send_unchecked(p->tx, &env);
	recv_bad(p->rx);
	m.comm = h.comm;
	m.parent_pid = 0;
	send_unchecked(p->tx, &env);
	recv_bad(p->rx);
	m.parent_pid = m.pid;
	send_unchecked(p->tx, &env);
	recv_bad(p->rx);

	assert_int_equal(channel_send_traced(p->tx, 5, "sixteen-bytes-xx"),
	    -EINVAL);
	assert_int_equal(channel_send_traced(p->tx, 5, NULL), -EINVAL);
	assert_int_equal(channel_send_hello(p->tx, 0), -EINVAL);
	assert_int_equal(channel_send_traced(p->tx, -1, "sh"), -EINVAL);
	/* A stopped child has not ended. */
	assert_int_equal(channel_send_exited(p->tx, 5, 0x137f), -EINVAL);
	ex.pid = 5;
	ex.wait_status = 0x137f;
	channel_init(&env, ISOTRACE__ENVELOPE__PAYLOAD_EXITED);
	env.exited = &ex;
	send_unchecked(p->tx, &env);
	recv_bad(p->rx);
	/* An unterminated comm never reaches the packer. */
	memset(h.comm, 'x', sizeof(h.comm));
	assert_int_equal(channel_send_handoff(p->tx, 0, &h), -EINVAL);
}

static void
test_send_oversized(void **state)
{
	struct pair		*p = *state;
	struct channel_handoff	 h;
	Isotrace__Envelope	*env = (void *)1;
	uint8_t			*blob;

	assert_non_null(blob = calloc(1, 70000));
	fill_handoff(&h, blob, 70000);
	assert_int_equal(channel_send_handoff(p->tx, 0, &h), -EMSGSIZE);
	free(blob);
	/* Nothing went out. */
	assert_int_equal(fcntl(p->rx, F_SETFL, O_NONBLOCK), 0);
	assert_int_equal(channel_recv(p->rx, &env), -EAGAIN);
	assert_null(env);
}

static uint64_t
rnd(uint64_t *s)
{
	/* xorshift64: the same records on every run. */
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * Half the records are random bytes, half a valid envelope with a few
 * bytes changed: those get past the first tag and into the payloads.
 */
static void
test_fuzz(void **state)
{
	struct pair		*p = *state;
	struct channel_handoff	 h;
	Isotrace__Envelope	*env;
	uint8_t			 valid[1024], buf[1024];
	uint8_t			 blob[64] = { 0 };
	uint64_t		 seed = 0x9e3779b97f4a7c15ULL;
	size_t			 vlen, len, i, k;
	int			 rc, nvalid = 0;

	fill_handoff(&h, blob, sizeof(blob));
	assert_int_equal(channel_send_handoff(p->tx, 0, &h), 0);
	vlen = (size_t)recv(p->rx, valid, sizeof(valid), 0);
	assert_true(vlen > 0 && vlen <= sizeof(valid));
	for (i = 0; i < 2000; i++) {
		if (i % 2) {
			len = 1 + rnd(&seed) % sizeof(buf);
			for (k = 0; k < len; k++)
				buf[k] = (uint8_t)rnd(&seed);
		} else {
			len = rnd(&seed) % 4 ? vlen : 1 + rnd(&seed) % vlen;
			memcpy(buf, valid, len);
			for (k = rnd(&seed) % 3; k < 3; k++)
				buf[rnd(&seed) % len] = (uint8_t)rnd(&seed);
		}
		send_raw(p->tx, buf, len);
		rc = channel_recv(p->rx, &env);
		if (rc == 0) {
			assert_non_null(env);
			assert_int_equal(channel_validate(env), 0);
			channel_free(env);
			nvalid++;
		} else
			assert_int_equal(rc, -EBADMSG);
	}
	/* The channel still works. */
	assert_int_equal(channel_send_hello(p->tx, 1), 0);
	channel_free(recv_ok(p->rx, ISOTRACE__ENVELOPE__PAYLOAD_HELLO));
	/* Some mutants passed, or the payload checks went untried. */
	assert_true(nvalid > 0);
}

/* The virtual network's requests and reply, each sent and received. */
static void
test_net_round_trip(void **state)
{
	struct pair		*p = *state;
	Isotrace__Envelope	 env, *got;
	Isotrace__NetSocket	 so = ISOTRACE__NET_SOCKET__INIT;
	Isotrace__NetLookup	 lo = ISOTRACE__NET_LOOKUP__INIT;
	Isotrace__NetBind	 bi = ISOTRACE__NET_BIND__INIT;
	Isotrace__NetConnect	 co = ISOTRACE__NET_CONNECT__INIT;
	Isotrace__NetReply	 re = ISOTRACE__NET_REPLY__INIT;
	uint8_t			 addr[16] = { [10] = 0xff, [11] = 0xff,
				     [12] = 127, [15] = 1 };

	so.inode = 123456789;
	so.family = AF_INET6;
	so.type = SOCK_DGRAM;
	channel_init(&env, ISOTRACE__ENVELOPE__PAYLOAD_NET_SOCKET);
	env.net_socket = &so;
	assert_int_equal(channel_send(p->tx, &env), 0);
	got = recv_ok(p->rx, ISOTRACE__ENVELOPE__PAYLOAD_NET_SOCKET);
	assert_int_equal(got->net_socket->inode, 123456789);
	assert_int_equal(got->net_socket->family, AF_INET6);
	assert_int_equal(got->net_socket->type, SOCK_DGRAM);
	channel_free(got);

	lo.inode = 7;
	channel_init(&env, ISOTRACE__ENVELOPE__PAYLOAD_NET_LOOKUP);
	env.net_lookup = &lo;
	assert_int_equal(channel_send(p->tx, &env), 0);
	got = recv_ok(p->rx, ISOTRACE__ENVELOPE__PAYLOAD_NET_LOOKUP);
	assert_int_equal(got->net_lookup->inode, 7);
	channel_free(got);

	bi.type = SOCK_STREAM;
	bi.addr.data = addr;
	bi.addr.len = sizeof(addr);
	bi.port = 8000;
	channel_init(&env, ISOTRACE__ENVELOPE__PAYLOAD_NET_BIND);
	env.net_bind = &bi;
	assert_int_equal(channel_send(p->tx, &env), 0);
	got = recv_ok(p->rx, ISOTRACE__ENVELOPE__PAYLOAD_NET_BIND);
	assert_int_equal(got->net_bind->port, 8000);
	assert_memory_equal(got->net_bind->addr.data, addr, sizeof(addr));
	channel_free(got);

	co.type = SOCK_DGRAM;
	co.addr = bi.addr;
	co.port = 53;
	co.local_addr = bi.addr;
	channel_init(&env, ISOTRACE__ENVELOPE__PAYLOAD_NET_CONNECT);
	env.net_connect = &co;
	assert_int_equal(channel_send(p->tx, &env), 0);
	got = recv_ok(p->rx, ISOTRACE__ENVELOPE__PAYLOAD_NET_CONNECT);
	assert_int_equal(got->net_connect->port, 53);
	assert_int_equal(got->net_connect->local_addr.len, 16);
	channel_free(got);

	re.error = ECONNREFUSED;
	re.name = "isotrace-1-s-00000000000000000000ffff7f000001-8000";
	re.local_name = "";
	channel_init(&env, ISOTRACE__ENVELOPE__PAYLOAD_NET_REPLY);
	env.net_reply = &re;
	assert_int_equal(channel_send(p->tx, &env), 0);
	got = recv_ok(p->rx, ISOTRACE__ENVELOPE__PAYLOAD_NET_REPLY);
	assert_int_equal(got->net_reply->error, ECONNREFUSED);
	assert_string_equal(got->net_reply->name, re.name);
	channel_free(got);
}

/* Each out-of-range field of a network message is refused on receipt. */
static void
test_net_bad_fields(void **state)
{
	struct pair		*p = *state;
	Isotrace__Envelope	 env;
	Isotrace__NetSocket	 so = ISOTRACE__NET_SOCKET__INIT;
	Isotrace__NetBind	 bi = ISOTRACE__NET_BIND__INIT;
	Isotrace__NetConnect	 co = ISOTRACE__NET_CONNECT__INIT;
	Isotrace__NetReply	 re = ISOTRACE__NET_REPLY__INIT;
	uint8_t			 addr[17] = { 0 };

	channel_init(&env, ISOTRACE__ENVELOPE__PAYLOAD_NET_SOCKET);
	env.net_socket = &so;
	so.family = AF_INET;
	so.type = SOCK_STREAM;
	send_unchecked(p->tx, &env);	/* inode 0 */
	recv_bad(p->rx);
	so.inode = 1;
	so.family = AF_UNIX;
	send_unchecked(p->tx, &env);
	recv_bad(p->rx);
	so.family = AF_INET;
	so.type = SOCK_RAW;
	send_unchecked(p->tx, &env);
	recv_bad(p->rx);
	assert_int_equal(channel_send(p->tx, &env), -EINVAL);

	channel_init(&env, ISOTRACE__ENVELOPE__PAYLOAD_NET_BIND);
	env.net_bind = &bi;
	bi.type = SOCK_DGRAM;
	bi.addr.data = addr;
	bi.addr.len = 4;		/* addresses are 16 bytes */
	send_unchecked(p->tx, &env);
	recv_bad(p->rx);
	bi.addr.len = 16;
	bi.port = 65536;
	send_unchecked(p->tx, &env);
	recv_bad(p->rx);

	channel_init(&env, ISOTRACE__ENVELOPE__PAYLOAD_NET_CONNECT);
	env.net_connect = &co;
	co.type = SOCK_STREAM;
	co.addr = bi.addr;
	co.port = 0;			/* nobody listens on port 0 */
	send_unchecked(p->tx, &env);
	recv_bad(p->rx);
	co.port = 80;
	co.local_addr.data = addr;
	co.local_addr.len = 17;
	send_unchecked(p->tx, &env);
	recv_bad(p->rx);

	channel_init(&env, ISOTRACE__ENVELOPE__PAYLOAD_NET_REPLY);
	env.net_reply = &re;
	re.error = -1;
	send_unchecked(p->tx, &env);
	recv_bad(p->rx);
	re.error = 0;
	re.name = "isotrace-1-s-../../etc";	/* not a name we make */
	send_unchecked(p->tx, &env);
	recv_bad(p->rx);
	re.name = "";
	re.type = SOCK_SEQPACKET;
	send_unchecked(p->tx, &env);
	recv_bad(p->rx);
	/* a reply is fine otherwise */
	re.type = 0;
	assert_int_equal(channel_send(p->tx, &env), 0);
	channel_free(recv_ok(p->rx, ISOTRACE__ENVELOPE__PAYLOAD_NET_REPLY));
}

/* -c: a full Tally (every number once) arrives whole; a repeated
 * number, errors beyond calls, an empty count or a number past the table
 * are refused. */
static void
test_tally(void **state)
{
	struct pair		*p = *state;
	struct channel_tally	 t[IT_NR_MAX];
	Isotrace__Envelope	*env;
	size_t			 i;

	for (i = 0; i < IT_NR_MAX; i++)
		t[i] = (struct channel_tally){ (uint32_t)i, i + 1, i / 2,
		    (uint64_t)i << 33 };
	assert_int_equal(channel_send_tally(p->tx, t, IT_NR_MAX), 0);
	env = recv_ok(p->rx, ISOTRACE__ENVELOPE__PAYLOAD_TALLY);
	assert_int_equal(env->tally->n_counts, IT_NR_MAX);
	for (i = 0; i < IT_NR_MAX; i++) {
		assert_int_equal(env->tally->counts[i]->nr, i);
		assert_int_equal(env->tally->counts[i]->calls, i + 1);
		assert_int_equal(env->tally->counts[i]->errors, i / 2);
		assert_int_equal(env->tally->counts[i]->nsec, (uint64_t)i << 33);
	}
	channel_free(env);

	t[1].nr = 0;
	assert_int_equal(channel_send_tally(p->tx, t, 2), -EINVAL);
	t[1] = (struct channel_tally){ 1, 2, 3, 0 };
	assert_int_equal(channel_send_tally(p->tx, t, 2), -EINVAL);
	t[1] = (struct channel_tally){ 1, 0, 0, 0 };
	assert_int_equal(channel_send_tally(p->tx, t, 2), -EINVAL);
	t[1] = (struct channel_tally){ IT_NR_MAX, 1, 0, 0 };
	assert_int_equal(channel_send_tally(p->tx, t, 2), -EINVAL);
	assert_int_equal(channel_send_tally(p->tx, t, IT_NR_MAX + 1), -EINVAL);
	/* Nothing of those reached the peer: the next record is read. */
	assert_int_equal(channel_send_tally(p->tx, t, 1), 0);
	env = recv_ok(p->rx, ISOTRACE__ENVELOPE__PAYLOAD_TALLY);
	assert_int_equal(env->tally->n_counts, 1);
	channel_free(env);
}

static void
test_pid_round_trip(void **state)
{
	static const Isotrace__Envelope__PayloadCase cases[] = {
		ISOTRACE__ENVELOPE__PAYLOAD_PID_CLAIM,
		ISOTRACE__ENVELOPE__PAYLOAD_PID_IS,
		ISOTRACE__ENVELOPE__PAYLOAD_PID_RELEASE,
	};
	struct pair		*p = *state;
	Isotrace__Envelope	*env;
	Isotrace__PidPair	*m;
	size_t			 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(channel_send_pid(p->tx, cases[i], 31000,
		    VPID_ROOT), 0);
		env = recv_ok(p->rx, cases[i]);
		m = cases[i] == ISOTRACE__ENVELOPE__PAYLOAD_PID_CLAIM ?
		    env->pid_claim : cases[i] ==
		    ISOTRACE__ENVELOPE__PAYLOAD_PID_IS ? env->pid_is :
		    env->pid_release;
		assert_int_equal(m->pid, 31000);
		assert_int_equal(m->vpid, VPID_ROOT);
		channel_free(env);
	}
	/* A lookup asks for one side, given the other. */
	assert_int_equal(channel_send_pid(p->tx,
	    ISOTRACE__ENVELOPE__PAYLOAD_PID_LOOKUP, 0, 1234), 0);
	env = recv_ok(p->rx, ISOTRACE__ENVELOPE__PAYLOAD_PID_LOOKUP);
	assert_int_equal(env->pid_lookup->vpid, 1234);
	channel_free(env);
	/* "None" is an answer, not a request. */
	assert_int_equal(channel_send_pid(p->tx,
	    ISOTRACE__ENVELOPE__PAYLOAD_PID_IS, 0, 77), 0);
	channel_free(recv_ok(p->rx, ISOTRACE__ENVELOPE__PAYLOAD_PID_IS));
}

static void
test_pid_bad(void **state)
{
	struct pair		*p = *state;
	Isotrace__Envelope	 env;
	Isotrace__PidPair	 m = ISOTRACE__PID_PAIR__INIT;

	assert_int_equal(channel_send_pid(p->tx,
	    ISOTRACE__ENVELOPE__PAYLOAD_PID_CLAIM, 0, 1000), -EINVAL);
	assert_int_equal(channel_send_pid(p->tx,
	    ISOTRACE__ENVELOPE__PAYLOAD_PID_RELEASE, 5, 0), -EINVAL);
	assert_int_equal(channel_send_pid(p->tx,
	    ISOTRACE__ENVELOPE__PAYLOAD_PID_LOOKUP, 5, 6), -EINVAL);
	assert_int_equal(channel_send_pid(p->tx,
	    ISOTRACE__ENVELOPE__PAYLOAD_PID_LOOKUP, 0, 0), -EINVAL);
	assert_int_equal(channel_send_pid(p->tx,
	    ISOTRACE__ENVELOPE__PAYLOAD_PID_IS, -1, 5), -EINVAL);
	assert_int_equal(channel_send_pid(p->tx,
	    ISOTRACE__ENVELOPE__PAYLOAD_HELLO, 5, 5), -EINVAL);
	/* From a peer that skipped its own checks. */
	m.pid = 4194304;
	m.vpid = 1000;
	channel_init(&env, ISOTRACE__ENVELOPE__PAYLOAD_PID_CLAIM);
	env.pid_claim = &m;
	send_unchecked(p->tx, &env);
	recv_bad(p->rx);
	m.pid = 5;
	m.vpid = -3;
	send_unchecked(p->tx, &env);
	recv_bad(p->rx);
}

#define T(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_lifecycle_round_trip),
		T(test_handoff_round_trip),
		T(test_peer_closed),
		T(test_truncated_and_garbage),
		T(test_oversized_record),
		T(test_bad_envelope),
		T(test_bad_fields),
		T(test_net_round_trip),
		T(test_net_bad_fields),
		T(test_send_oversized),
		T(test_fuzz),
		T(test_tally),
		T(test_pid_round_trip),
		T(test_pid_bad),
	};

	return cmocka_run_group_tests_name("channel", tests, NULL, NULL);
}
