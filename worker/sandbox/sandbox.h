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
#include <sys/types.h>
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
				sandbox_devices, sandbox_pids, sandbox_timeouts,
				sandbox_net, sandbox_netmsg, sandbox_netif,
				sandbox_dirent, sandbox_timerfd;
void		 sandbox_table(struct it_table *);

/* The configuration, set once per worker before any process is traced. */
void		 sandbox_configure(const struct sandbox_config *);
const struct sandbox_config *sandbox_config(void);

/* A process's place in the virtual pid space (pids.c). */
struct sandbox_ids {
	int32_t		 id_vpid;	/* its virtual pid */
	int32_t		 id_parent;	/* its creator's real pid */
	int32_t		 id_vparent;	/* and virtual one */
	uint32_t	 id_threads;	/* threads it has created */
};

/*
 * Per-process state: the root's (once spawned), a new child's (exported
 * into buf, at most SANDBOX_STATE_MAX bytes; returns its length) and an
 * adopted one.
 */
#define SANDBOX_STATE_MAX	64
void		 sandbox_root(pid_t);
size_t		 sandbox_fork(void *buf, pid_t child);
int		 sandbox_adopt(const void *buf, size_t len, pid_t);

/* The current process's ids, and a number derived from its lineage and
 * salt: the same on every run. */
struct sandbox_ids *sandbox_ids(void);
uint64_t	 sandbox_derive(uint64_t salt);

/* pids.c, for state.c: the ids of the root, of a new child (whose key
 * is given), of an adopted process. */
void		 pids_root(struct sandbox_ids *, pid_t);
void		 pids_fork(const struct sandbox_ids *parent,
		    struct sandbox_ids *child, pid_t pid, uint64_t key);
void		 pids_adopt(const struct sandbox_ids *, pid_t);

/*
 * pids.c, for the engine: a new thread of the traced process (given its
 * virtual tid), a task gone for good, a thread that execve made the
 * leader, a signal about to be delivered (its si_pid made virtual).
 */
struct it_task;
void		 sandbox_new_thread(struct it_task *);
void		 sandbox_task_gone(struct it_task *);
void		 sandbox_exec_leader(struct it_task *, pid_t former);
void		 sandbox_signal(struct it_task *);
/* getsockopt(SO_PEERCRED) of a real socket: the pid made virtual. */
long		 sandbox_peercred(struct it_task *, it_gptr val);

/* Virtual time in ns since the epoch; each read moves it a little. */
uint64_t	 sandbox_now(void);
void		 sandbox_sleep(uint64_t ns);
void		 sandbox_sleep_until(uint64_t ns);
/* The virtual value of clock clk in ns (each read moves it a little);
 * -1 for a clock the sandbox leaves alone. */
int		 sandbox_clock(int clk, uint64_t *ns);
/* A timespec the program passed, in ns: 0, -EFAULT or -EINVAL. */
int		 sandbox_timespec(struct it_task *, it_gp_timespec, uint64_t *ns);
/* Deterministic bytes from the process's stream. */
void		 sandbox_random(void *buf, size_t len);

/*
 * ftimes.c: logical file times.  The supervisor sets up the run's
 * registry before it forks the first worker; stat results are mapped in
 * place, given where the call looked (the worker may look again: a NULL
 * fw_path is the file open as fw_dirfd); an open that may write makes the
 * file the run's, at its entry, so that the writes after it are seen as
 * the run's changes.
 */
struct stat;
struct statx;
struct ftimes_where {
	int		 fw_dirfd;
	it_gp_str	 fw_path;
	unsigned int	 fw_flags;
};
void		 ftimes_setup(void);
void		 ftimes_stat(struct it_task *, const struct ftimes_where *,
		    struct stat *);
void		 ftimes_statx(struct it_task *, const struct ftimes_where *,
		    struct statx *);
void		 ftimes_opening(struct it_task *, int dirfd, it_gp_str path,
		    unsigned int flags);
/* The inode number an entry name of directory dir (open as dfd) shows. */
uint64_t	 ftimes_entry(pid_t tid, int dfd, const char *name,
		    uint64_t ino, const struct stat *dir);

#endif
