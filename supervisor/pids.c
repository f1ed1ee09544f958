/*
 * The registry of sandbox virtual pids: one per run, kept here so that
 * every worker sees the same pid space.  Workers propose a vpid for each
 * new process or thread (derived from its lineage, so the same on every
 * run); the registry gives it, or the next free one when it is taken.
 * Each request is answered before the next is read, so a worker's
 * requests and replies never cross.
 */
#include <sys/cdefs.h>
#include <sys/tree.h>
#include <errno.h>
#include <stdlib.h>

#include "../common/log.h"
#include "../proto/channel.h"
#include "supervisor.h"

/* RB_GENERATE_STATIC needs it; libbsd leaves it out (it clashes with a
 * struct member name in the Linux headers, which are not used here). */
#ifndef __unused
#define __unused	__attribute__((__unused__))
#endif

struct pident {
	RB_ENTRY(pident)	 pi_by_pid;
	RB_ENTRY(pident)	 pi_by_vpid;
	pid_t			 pi_pid;
	pid_t			 pi_vpid;
};

static int
cmp_pid(const struct pident *a, const struct pident *b)
{
	return a->pi_pid < b->pi_pid ? -1 : a->pi_pid > b->pi_pid;
}

static int
cmp_vpid(const struct pident *a, const struct pident *b)
{
	return a->pi_vpid < b->pi_vpid ? -1 : a->pi_vpid > b->pi_vpid;
}

static RB_HEAD(by_pid, pident)	by_pid = RB_INITIALIZER(&by_pid);
static RB_HEAD(by_vpid, pident)	by_vpid = RB_INITIALIZER(&by_vpid);
RB_GENERATE_STATIC(by_pid, pident, pi_by_pid, cmp_pid)
RB_GENERATE_STATIC(by_vpid, pident, pi_by_vpid, cmp_vpid)

static pid_t	next_outside = VPID_OUTSIDE;

static struct pident *
find_pid(pid_t pid)
{
	struct pident	 key = { .pi_pid = pid };

	return RB_FIND(by_pid, &by_pid, &key);
}

static struct pident *
find_vpid(pid_t vpid)
{
	struct pident	 key = { .pi_vpid = vpid };

	return RB_FIND(by_vpid, &by_vpid, &key);
}

static void
forget(struct pident *pi)
{
	RB_REMOVE(by_pid, &by_pid, pi);
	RB_REMOVE(by_vpid, &by_vpid, pi);
	free(pi);
}

/* The first free vpid from want on, wrapping within [lo, hi); 0: none. */
static pid_t
free_vpid(pid_t want, pid_t lo, pid_t hi)
{
	pid_t	 v = want;

	if (v < lo || v >= hi)
		v = lo;
	do {
		if (find_vpid(v) == NULL)
			return v;
		if (++v == hi)
			v = lo;
	} while (v != want);
	return 0;
}

static pid_t
bind_pid(pid_t pid, pid_t vpid)
{
	struct pident	*pi;

	if (vpid == 0 || (pi = calloc(1, sizeof(*pi))) == NULL)
		return 0;
	pi->pi_pid = pid;
	pi->pi_vpid = vpid;
	RB_INSERT(by_pid, &by_pid, pi);
	RB_INSERT(by_vpid, &by_vpid, pi);
	return vpid;
}

/* A new process or thread.  Its real pid may still be bound to a dead
 * one whose release has not come yet: the new one wins. */
static pid_t
claim(pid_t pid, pid_t want)
{
	struct pident	*pi;

	if ((pi = find_pid(pid)) != NULL)
		forget(pi);
	if (want >= VPID_FIRST)
		return bind_pid(pid, free_vpid(want, VPID_FIRST, VPID_LIMIT));
	return bind_pid(pid, free_vpid(want, VPID_OUTSIDE, VPID_FIRST));
}

static void
lookup(pid_t *pid, pid_t *vpid)
{
	struct pident	*pi;

	if (*pid > 0) {
		if ((pi = find_pid(*pid)) != NULL)
			*vpid = pi->pi_vpid;
		else if ((*vpid = claim(*pid, next_outside)) != 0)
			next_outside = *vpid + 1;
	} else if ((pi = find_vpid(*vpid)) != NULL)
		*pid = pi->pi_pid;
}

static void
release(pid_t pid, pid_t vpid)
{
	struct pident	*pi;

	/* Only the binding it made: the pid may be someone else's now. */
	if ((pi = find_pid(pid)) != NULL && pi->pi_vpid == vpid)
		forget(pi);
}

int
pids_request(int fd, const Isotrace__Envelope *env)
{
	pid_t	 pid, vpid;

	switch (env->payload_case) {
	case ISOTRACE__ENVELOPE__PAYLOAD_PID_CLAIM:
		pid = env->pid_claim->pid;
		vpid = claim(pid, env->pid_claim->vpid);
		break;
	case ISOTRACE__ENVELOPE__PAYLOAD_PID_LOOKUP:
		pid = env->pid_lookup->pid;
		vpid = env->pid_lookup->vpid;
		lookup(&pid, &vpid);
		break;
	case ISOTRACE__ENVELOPE__PAYLOAD_PID_RELEASE:
		release(env->pid_release->pid, env->pid_release->vpid);
		return 0;
	default:
		return -EPROTO;
	}
	return channel_send_pid(fd, ISOTRACE__ENVELOPE__PAYLOAD_PID_IS, pid,
	    vpid);
}
