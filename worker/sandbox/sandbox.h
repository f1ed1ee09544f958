/*
 * --sandbox: a handler table that makes a run reproducible.  Each traced
 * process has a virtual clock and a random stream, both derived only from
 * the options and from the order in which processes fork, never from the
 * host.  Its sockets are on a virtual network (vsock.h).  A worker traces one process, so the state is simply the worker's;
 * a child gets its own, derived from its parent's, in the hand-off.
 */
#ifndef SANDBOX_H
#define SANDBOX_H

#include <stddef.h>
#include <stdint.h>

#include <isotrace/isotrace.h>

struct sandbox_config {
	int64_t		 sc_epoch;	/* seconds since 1970 at virtual 0 */
	uint64_t	 sc_seed;
	uint32_t	 sc_uid, sc_gid;
};

#define SANDBOX_EPOCH	946684800	/* 2000-01-01T00:00:00Z */

/* The families, one file each, and all of them over passthru. */
extern const struct it_table	sandbox_time, sandbox_identity,
				sandbox_random_table, sandbox_metadata,
				sandbox_devices, sandbox_net,
				sandbox_netmsg, sandbox_netif;
void		 sandbox_table(struct it_table *);

/* The configuration, set once per worker before any process is traced. */
void		 sandbox_configure(const struct sandbox_config *);
const struct sandbox_config *sandbox_config(void);

/* Per-process state: the root's, a new child's (exported into buf, at
 * most SANDBOX_STATE_MAX bytes; returns its length) and an adopted one. */
#define SANDBOX_STATE_MAX	64
void		 sandbox_root(void);
size_t		 sandbox_fork(void *buf);
int		 sandbox_adopt(const void *buf, size_t len);

/* Virtual time in ns since the epoch; each read moves it a little. */
uint64_t	 sandbox_now(void);
void		 sandbox_sleep(uint64_t ns);
void		 sandbox_sleep_until(uint64_t ns);
/* Deterministic bytes from the process's stream. */
void		 sandbox_random(void *buf, size_t len);

#endif
