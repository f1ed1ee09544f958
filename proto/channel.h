/*
 * Supervisor <-> worker channel: one packed isotrace.Envelope per
 * SOCK_SEQPACKET record, at most CHANNEL_MAX bytes.  Everything received
 * is validated before the caller sees it, so a peer that sends anything
 * malformed, oversized or out of range shows up as an error return, which
 * the caller answers by dropping that peer.
 *
 * Functions return 0 or -errno; they never exit and never log.
 */
#ifndef CHANNEL_H
#define CHANNEL_H

#include <sys/types.h>
#include <sys/user.h>
#include <stddef.h>
#include <stdint.h>

#include "isotrace.pb-c.h"

#define CHANNEL_VERSION		1
#define CHANNEL_MAX		65536	/* packed bytes per record */
#define CHANNEL_STATE_MAX	16384	/* Handoff.state */
#define CHANNEL_COMM_MAX	15	/* TASK_COMM_LEN - 1 */

/*
 * The sandbox's virtual pid space (see pid_claim in isotrace.proto):
 * processes and threads of the sandbox get vpids in [VPID_FIRST,
 * VPID_LIMIT), the root VPID_ROOT; processes outside it (the root's
 * parent, its session leader, ...) get small ones from VPID_OUTSIDE up,
 * in the order they are first seen.
 */
#define VPID_OUTSIDE	1	/* the root's parent */
#define VPID_FIRST	1000
#define VPID_ROOT	1000
#define VPID_LIMIT	32768

/* A Handoff (or Adopt) payload in native form. */
struct channel_handoff {
	pid_t			 pid;
	pid_t			 parent;
	struct user_regs_struct	 regs;
	uint64_t		 sigmask;
	int			 stopped;	/* SIGSTOP while parked */
	int			 nofilter;	/* -p: traced without a filter */
	const void		*state;		/* opaque, or NULL */
	size_t			 statelen;	/* <= 16 KiB */
	char			 comm[CHANNEL_COMM_MAX + 1];
	uint64_t		 park_page;	/* in the child, 0: none */
};

/* One SyscallCount of a Tally in native form. */
struct channel_tally {
	uint32_t	 nr;
	uint64_t	 calls;
	uint64_t	 errors;
	uint64_t	 nsec;
};

/*
 * Sends one envelope as one record: -EMSGSIZE when it packs to more than
 * CHANNEL_MAX, -EINVAL when channel_validate() refuses it (a bug on this
 * side, caught before the peer drops us for it).
 */
int	channel_send(int, const Isotrace__Envelope *);

/*
 * Receives one record.  0 with *envp NULL: the peer closed (an empty
 * record reads the same, and is as good a reason to drop the peer).
 * 0 with *envp set: a valid envelope, freed with channel_free().
 * -EMSGSIZE: the record was longer than CHANNEL_MAX (it is consumed).
 * -EBADMSG: it did not unpack or did not validate.  -EAGAIN: nothing
 * to read on a non-blocking socket.  Other -errno from recv(2).
 */
int	channel_recv(int, Isotrace__Envelope **);
void	channel_free(Isotrace__Envelope *);
int	channel_validate(const Isotrace__Envelope *);

/* Empty envelope of this version; the caller points the payload. */
void	channel_init(Isotrace__Envelope *, Isotrace__Envelope__PayloadCase);

int	channel_send_hello(int, pid_t);
int	channel_send_traced(int, pid_t, const char *);
int	channel_send_exited(int, pid_t, int);
/* A Handoff payload, or an Adopt one when the second argument is true. */
int	channel_send_handoff(int, int, const struct channel_handoff *);
/* A HandoffDone payload of case c (adopted or handoff_done). */
int	channel_send_handoff_done(int, Isotrace__Envelope__PayloadCase c,
	    pid_t pid, int error);
/* A Tally of n counts (n <= IT_NR_MAX, distinct numbers). */
int	channel_send_tally(int, const struct channel_tally *, size_t n);

/* A PidPair payload of case c (pid_claim, pid_lookup, pid_is or
 * pid_release). */
int	channel_send_pid(int, Isotrace__Envelope__PayloadCase c, pid_t pid,
	    pid_t vpid);

/*
 * Native form of a received (validated) Handoff.  The state pointer
 * points into the message: valid until its envelope is freed.
 */
int	channel_handoff_from(const Isotrace__Handoff *,
	    struct channel_handoff *);

#endif
