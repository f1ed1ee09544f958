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

/* How the sandbox gives pids (--sandbox-pids). */
enum sandbox_pids {
	SANDBOX_PIDS_AUTO,	/* a namespace if the kernel allows one */
	SANDBOX_PIDS_NAMESPACE,	/* the run's own user+pid+mount+UTS ns */
	SANDBOX_PIDS_TRANSLATE,	/* virtual pids translated call by call */
};

struct sandbox_config {
	int64_t		 sc_epoch;	/* seconds since 1970 at virtual 0 */
	uint64_t	 sc_seed;
	uint32_t	 sc_uid, sc_gid;
	uint32_t	 sc_cpus;	/* the virtual machine's CPUs (--cpus) */
	int		 sc_pids;	/* enum sandbox_pids, never AUTO in a
					   worker */
};

/*
 * The default epoch, 2025-01-01T00:00:00Z: after the notBefore of the TLS
 * certificates that test suites ship (CPython 3.13's newest, 2023-11-25;
 * Debian 12's newest root, 2024-11-05) and before their first notAfter
 * (CPython 3.11's pythontest.net, 2027-07-24), so a run that verifies one
 * sees it valid; a clock before them fails every handshake.
 */
#define SANDBOX_EPOCH	1735689600	/* 2025-01-01T00:00:00Z */
#define SANDBOX_CPUS	2
#define SANDBOX_CPUS_MAX 64		/* one word of affinity mask */
#define SANDBOX_BOOT_NS	(100 * 1000000000ULL)	/* uptime at the epoch */

/* The families, one file each, and all of them over passthru. */
extern const struct it_table	sandbox_time, sandbox_identity,
				sandbox_random_table, sandbox_metadata,
				sandbox_devices, sandbox_pids, sandbox_pidns_table,
				sandbox_timeouts, sandbox_net, sandbox_netmsg,
				sandbox_netopt,
				sandbox_netif, sandbox_uts,
				sandbox_hostguard, sandbox_dirent,
				sandbox_timerfd, sandbox_cpu, sandbox_cpuid,
				sandbox_futex;
void		 sandbox_table(struct it_table *);
/* cpu.c: the calls its table fails with ENOSYS, whatever the arguments. */
extern const int sandbox_cpu_enosys[];
/* netif.c: the ioctl requests the sandbox acts on. */
extern const uint32_t sandbox_ioctls[];
/* layer.c: the sandbox as the bottom layer of a stack (configured). */
const struct it_layer *sandbox_layer_setup(const struct sandbox_config *);

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
/* The lineage key the next child will have (sandbox_fork gives it). */
uint64_t	 sandbox_next_child_key(void);

/* 1 when the run has its own pid namespace (spawn.c, pidns.c). */
int		 sandbox_pidns(void);
/* pids.c: a pid as the run names it, as /proc's NSpid ends (schedcall.c). */
pid_t		 sandbox_view_pid(pid_t);
/* pids.c: the pid a lineage key proposes, and a thread's key. */
pid_t		 pids_proposal(uint64_t key);
uint64_t	 pids_thread_key(uint32_t nth);

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
void		 sandbox_first_stop(struct it_task *);
/* A new thread's first stop: 1 if it must stay stopped until its
 * creator's clone has returned (the sandbox resumes it then). */
int		 sandbox_thread_start(struct it_task *);
void		 sandbox_new_thread(struct it_task *);
void		 sandbox_task_gone(struct it_task *);
void		 sandbox_exec_leader(struct it_task *, pid_t former);
void		 sandbox_signal(struct it_task *);
/* getsockopt(SO_PEERCRED) of a real socket: the pid made virtual. */
long		 sandbox_peercred(struct it_task *, it_gptr val);

/* Virtual time in ns since the epoch; each read moves it a little. */
uint64_t	 sandbox_now(void);
void		 sandbox_sleep(uint64_t ns);
/* CLOCK_REALTIME minus the virtual clock: moved by clock_settime. */
int64_t		 sandbox_rtoff(void);
void		 sandbox_set_rtoff(int64_t);
void		 sandbox_sleep_until(uint64_t ns);
/* What sandbox_sleep and sandbox_sleep_until moved the clock by since
 * the process began: time it spent off the CPU. */
uint64_t	 sandbox_slept(void);
/* Under the deterministic schedule: a step of the process, ns long. */
void		 sandbox_stepped(uint64_t ns);
/* The virtual value of clock clk in ns (each read moves it a little);
 * -1 for a clock the sandbox leaves alone. */
int		 sandbox_clock(int clk, uint64_t *ns);
/* A timespec the program passed, in ns: 0, -EFAULT or -EINVAL. */
int		 sandbox_timespec(struct it_task *, it_gp_timespec, uint64_t *ns);
/*
 * deadline.c: the timed waits.  The virtual deadline left ns from now;
 * what is left (0 if past) of an absolute time at of clock clk (-1 for a
 * clock the sandbox leaves alone); a timespec at addr in ns (-1 if the
 * kernel would refuse it: it gets the call as it is).  deadline_expect:
 * a wait of left ns from now; when the call returns code (-ETIMEDOUT,
 * -EAGAIN or 0), its time was up and the clock moves to its deadline.  deadline_host: a timespec of the
 * host's clock clk left ns from now, in scratch memory (its address, 0
 * if none).  A pure sleep of ns moves the clock itself (sandbox_sleep)
 * and yields for real: deadline_yield gives the timespec (or timeval) of
 * the yield in scratch memory (0: none), deadline_yield_ms the yield in
 * ms (0: none); an interrupted yield returns 0.
 */
uint64_t	 deadline_after(uint64_t left);
int		 deadline_left(int clk, uint64_t at, uint64_t *left);
int		 deadline_timespec(struct it_task *, uint64_t addr,
		    uint64_t *ns);
void		 deadline_expect(struct it_task *, long code, uint64_t left);
/* deadline_expect for a slot whose exit function calls deadline_ended
 * (the timeout is read from tmo, relative). */
void		 deadline_note(struct it_task *, it_gp_timespec tmo);
void		 deadline_ended(struct it_task *, long r, long code);
uint64_t	 deadline_host(struct it_task *, int clk, uint64_t left);
uint64_t	 deadline_yield(struct it_task *, uint64_t ns, int timeval);
long		 deadline_yield_ms(struct it_task *, uint64_t ns);
/* A real yield of y ns as a call takes it (a timespec or timeval in
 * scratch memory: its address; or ms), fn its exit function; 0: none. */
#define DEADLINE_TIMESPEC	0
#define DEADLINE_TIMEVAL	1
#define DEADLINE_MS		2
uint64_t	 deadline_yield_as(struct it_task *, uint64_t y, int form,
		    it_exit_fn fn, void *arg);
/* For quiesce.c: the host's CLOCK_MONOTONIC; whether another thread's
 * wait or sleep ends before at (the earliest host end in *until); t's
 * sleep until at, under way until host; its end. */
uint64_t	 deadline_host_now(void);
int		 deadline_first(struct it_task *, uint64_t at, uint64_t host,
		    uint64_t *until);
void		 deadline_sleeping(struct it_task *, uint64_t at,
		    uint64_t host);
void		 deadline_woke(struct it_task *);
/* A thread gone in its yield or its timed wait. */
void		 deadline_gone(struct it_task *);
/* yielding.c: a yield's exit function, through the table of the threads
 * in a real yield; whether one is (the timers' backstop waits); a thread
 * gone with its yield. */
void		 yielding_on_exit(struct it_task *, it_exit_fn fn, void *arg);
int		 yielding_any(void);
void		 yielding_gone(struct it_task *);
/*
 * quiesce.c: a pure sleep of *ns among other threads waits, for real,
 * until they could do nothing more before its end: the slice to yield
 * first, as form wants it (the call comes back to the table after it),
 * or 0: the sleep ends now, and *ns is what is left of it on the clock.
 */
uint64_t	 quiesce_sleep(struct it_task *, uint64_t *ns, int form);
/* A thread gone: its sleep and its waits end with it. */
void		 quiesce_gone(struct it_task *);
/* timeouts.c: an absolute timeout at addr (arg idx) on clock clk, moved
 * to the host's clock; the call times out when it returns code. */
long		 timeouts_absolute(struct it_task *, int idx, uint64_t addr,
		    int clk, long code);
/*
 * uts.c: the run's host and domain names (sethostname), shared by every
 * process of the run as a UTS namespace shares them; sandbox_uts_init()
 * runs in the supervisor before any worker is forked.
 */
void		 sandbox_uts_init(void);
void		 sandbox_uts_get(char node[65], char domain[65]);
size_t		 sandbox_uts_file(const char *, char *, size_t);

/* hosts.c: the namespace's init bind-mounts an /etc/hosts that names
 * node; the run's sethostname renames it there.  With translated pids
 * an open of /etc/hosts reads hosts_content's text (0: not that file). */
int		 hosts_mount(const char *node);
void		 hosts_rename(pid_t tid, const char *old, const char *node);
size_t		 hosts_content(const char *path, char *buf, size_t size);

/* engine/shared.c: a table every worker forked afterwards shares;
 * whether a process that left an entry in one is gone. */
#include "../engine/shared.h"

/* The sandbox's host name at start. */
#define SANDBOX_UTS_NODE	"sandbox"
/* The sandbox's kernel, as uname and /proc show it. */
#define SANDBOX_UTS_RELEASE	"6.1.0-isotrace"
#define SANDBOX_UTS_VERSION	"#1 SMP PREEMPT_DYNAMIC 2025-01-01"
/* nsid.c: the numbers of the run's namespaces in /proc/PID/ns links,
 * and (fdlink.c) the links of /proc/PID/fd as fstat tells the files. */
extern const struct it_table	sandbox_nsid;
int		 fdlink_wanted(const char *path);
long		 fdlink_done(struct it_task *, long r, void *arg);
long		 fdlink_own(struct it_task *, const char *path, it_gptr buf,
		    size_t bufsiz);
void		*fdlink_arg(it_gptr buf, size_t bufsiz);

/* hostguard.c: an open for writing (flags) is checked once it is done:
 * kernel-state files (/proc/sys, /sys, ...) are refused. */
long		 sandbox_open_check(struct it_task *, unsigned int flags);

/* Deterministic bytes from the process's stream. */
void		 sandbox_random(void *buf, size_t len);
/* The virtual time at which the process was created. */
uint64_t	 sandbox_started(void);

/* cpu.c: the fixed CPU (CPUID leaf/sub into eax, ebx, ecx, edx), and
 * whether this CPU can make cpuid fault (sandbox_cpuid's slots). */
int		 cpu_can_fault(void);
void		 cpu_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4]);
const char	*cpu_vendor(void);
const char	*cpu_brand(void);
unsigned	 cpu_family(void);
unsigned	 cpu_model(void);
unsigned	 cpu_stepping(void);
unsigned	 cpu_level(void);
/* Appends " fpu vme ..." to buf at *len, as /proc/cpuinfo's flags. */
void		 cpu_flags(char *buf, size_t size, size_t *len);
/* Each CPU's caches, by index (leaf 4's subleaves): -1 past the last. */
struct cpu_cache {
	uint32_t	 cc_type;	/* 1 data, 2 instruction, 3 unified */
	uint32_t	 cc_level, cc_ways, cc_sets;
	int		 cc_shared;	/* by every CPU, else one CPU's */
};
int		 cpu_cache(uint32_t, struct cpu_cache *);

/* sysfs.c: the namespace's init mounts the --cpus machine's
 * /sys/devices/system/{cpu,node} over the host's. */
int		 sysfs_mount(uint32_t ncpus);
/* CPUs first..last of n as the kernel prints a mask: "ff,ffffffff". */
void		 sysfs_cpu_mask(char *out, size_t size, uint32_t n,
		    uint32_t first, uint32_t last);

/* procfs.c: the text of a virtual /proc or /sys file (0: not one), and
 * the host file it stands for (-1: not one). */
size_t		 procfs_content(struct it_task *, const char *path,
		    char *buf, size_t size);
int		 procfs_host_path(struct it_task *, const char *path,
		    char *out, size_t size);
/* The namespace's init sets the limits a 4 GiB machine has. */
void		 procfs_limits(void);
/* The run's boot id, from the seed: its length, the text in buf. */
size_t		 procfs_boot_id(char *buf, size_t size);
/* An snprintf that never overruns: appends to buf at *len. */
void		 procfs_add(char *buf, size_t size, size_t *len,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* procpid.c: the same for stat, status, sched and schedstat of the
 * run's processes; the last number of a /proc status line. */
size_t		 procpid_content(struct it_task *, const char *path,
		    char *buf, size_t size);
int		 procpid_host_path(struct it_task *, const char *path,
		    char *out, size_t size);
long		 procpid_status_last(const char *path, const char *key);
/* The caller's pid and tid as it names them (its namespace's, or the
 * host's without one, as /proc does). */
void		 procpid_own_ids(struct it_task *, long *pid, long *tid);
/* devnums.c: the virtual device number and mount id of a host one as
 * tid's mount table names it (the host's if it names none), and the text
 * of a mountinfo file (host, the kernel's, is changed) with both mapped. */
dev_t		 devnums_dev(pid_t tid, dev_t host);
uint64_t	 devnums_mnt(pid_t tid, uint64_t host);
size_t		 devnums_mountinfo(pid_t tid, char *host, char *buf,
		    size_t size);
/* pstart.c: the run's start times (set up by the supervisor, written by
 * each worker for its process at its start, read by any). */
void		 pstart_setup(void);
void		 pstart_register(pid_t);
uint64_t	 pstart_of(long pid);
void		 pstart_each(int (*)(pid_t, pid_t, unsigned long long,
		    void *), void *);
/* runbusy.c: whether another process of the run may still act (it runs,
 * or its worker handles its stop), or only stays at a stop its worker
 * keeps (a group-stop), or all are blocked, stopped or dead, and the CPU
 * time the busy ones have had since a sleep's looks began; a /proc stat
 * line's fields. */
#define RUNBUSY_QUIET	0
#define RUNBUSY_HELD	1
#define RUNBUSY_RUNS	2
#define RUNBUSY_PIDS	16
struct runbusy {
	pid_t			 rb_pid[RUNBUSY_PIDS];
	unsigned long long	 rb_cpu[RUNBUSY_PIDS];	/* ticks at last look */
	unsigned long long	 rb_spent;	/* ticks they ran meanwhile */
};
struct runbusy_stat {
	char			 rs_state;
	long			 rs_threads;
	unsigned long long	 rs_cpu;	/* user + system, ticks */
	unsigned long long	 rs_start;	/* ticks after boot */
};
int		 runbusy_look(pid_t self, struct runbusy *);
uint64_t	 runbusy_spent(const struct runbusy *);
int		 runbusy_stat(const char *path, struct runbusy_stat *);

/* runwaits.c: the timed waits of every process of the run, on the host's
 * clock, so that no process's sleep overtakes another's timeout (set up
 * by the supervisor, written and read by the workers). */
void		 runwaits_setup(void);
void		 runwaits_add(struct it_task *, uint64_t);
void		 runwaits_del(struct it_task *);
uint64_t	 runwaits_yield(struct it_task *, uint64_t, uint64_t);
void		 runwaits_sleeping(struct it_task *, uint64_t, uint64_t);
int		 runwaits_again(struct it_task *, long);
uint64_t	 runwaits_resumed(struct it_task *);
void		 runwaits_gone(struct it_task *);
uint64_t	 deadline_resumed(struct it_task *, int form);

/*
 * devices.c, for the stat family (metadata.c): fstat of an fd that is a
 * virtual device or file answers as the host's file would (a character
 * device for /dev/urandom); IT_RUN_ORIGINAL for any other fd.
 */
long		 devices_fstat(struct it_task *, int fd, it_gp_stat buf);
int		 devices_virtual_name(struct it_task *, const char *link,
		    char *name, size_t size);
long		 devices_fstatat(struct it_task *, int dirfd, it_gp_str path,
		    unsigned int flags, it_gp_stat buf);
long		 devices_statx(struct it_task *, int dirfd, it_gp_str path,
		    unsigned int flags, it_gp_statx buf);
/* A new process (or a fork of this one): its urandom pool is its own. */
void		 devices_forget(void);

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
/*
 * reach.c: thread tid's fd in the worker (pidfd_getfd; -1 and errno),
 * and the file a stat-like call names, opened as the thread would reach
 * it (AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH): an fd, -ENOENT or -ENOTDIR,
 * or REACH_KERNEL when only the kernel can tell.
 */
#define REACH_KERNEL	(-1 - 4095)
int		 reach_getfd(pid_t tid, int fd);
/* Thread tid is gone, or its number may change hands (an execve). */
void		 reach_forget(pid_t tid);
int		 reach_open(struct it_task *, int dirfd, it_gp_str path,
		    unsigned int flags);
/* The same file's stat: 0, -ENOENT, -ENOTDIR or REACH_KERNEL. */
int		 reach_stat(struct it_task *, int dirfd, it_gp_str path,
		    unsigned int flags, struct stat *);
/* As reach_open, or for a name without "/" (in name, to be asked about
 * with AT_SYMLINK_NOFOLLOW) its directory; name is "" for the file. */
int		 reach_at(struct it_task *, int dirfd, it_gp_str path,
		    unsigned int flags, char *name, size_t size);
/*
 * rootwalk.c: a file of thread tid's own view, opened by the worker
 * within the thread's root (name relative to it; openat2's resolve flags
 * on top of RESOLVE_IN_ROOT), or a path the worker built, under
 * "/proc/TID/root/" walked so and without links: an fd, or -1 and errno.
 */
int		 rootwalk_open(pid_t tid, const char *name, int flags,
		    uint64_t resolve);
int		 rootwalk_path(pid_t tid, const char *path, int flags);
/* The inode number an entry name of directory dir (open as dfd) shows. */
uint64_t	 ftimes_entry(pid_t tid, int dfd, const char *name,
		    uint64_t ino, const struct stat *dir);

/* schedcall.c, schedfutex.c, schedclock.c: the calls under the
 * deterministic schedule (engine/schedule.h's hooks); a futex call, a
 * woken waiter's result. */
long		 schedcall_call(struct it_task *);
/* schedcall.c's helpers for schedproc.c: a deadline ns from now; t held
 * at its call with b until deadline; an argument set (for the table
 * too); a relative timespec (0, 1 none, -1 refused); a signal mask. */
struct sched_block;
uint64_t	 schedcall_after(uint64_t ns);
long		 schedcall_block(struct it_task *, const struct sched_block *,
		    uint64_t deadline);
void		 schedcall_set_arg(struct it_task *, int idx, uint64_t v);
int		 schedcall_rel_ns(struct it_task *, uint64_t addr, uint64_t *ns);
void		 schedcall_wait_mask(struct it_task *, uint64_t addr,
		    struct sched_block *);
/* schedproc.c: sleeps, waits for children, signal waits, file locks,
 * the run's limits on new threads and processes. */
long		 schedproc_sleep(struct it_task *, int timedout, int signalled);
long		 schedproc_wait(struct it_task *);
long		 schedproc_signal(struct it_task *, int timedout);
long		 schedproc_lock(struct it_task *);
long		 schedproc_new_task(struct it_task *);
/* schedfifo.c: an open of a FIFO that would wait for its other end:
 * 1 and b filled (hold it), or 0 (run it); and at each call, first. */
struct sched_block;
int		 schedfifo_call(struct it_task *, struct sched_block *);
int		 schedfifo_fix(struct it_task *, struct sched_block *);
void		 schedclock_step(struct it_task *);
void		 schedclock_timers(void);
long		 schedfutex_call(struct it_task *, int timedout, int signalled);
long		 schedfutex_woken(struct it_task *);

#endif
