/*
 * Virtual pids.  Every process and thread of the sandbox has a virtual
 * pid, derived from its lineage (so the same on every run when processes
 * fork in the same order) and made unique by the supervisor's registry
 * (supervisor/pids.c).  Each call that takes a pid gets the real one and
 * each that returns one gives the virtual one, and so do the si_pid of
 * signals and the pids written to memory by clone.
 *
 * A worker knows its own process, its threads, its parent and the
 * children it created ("known" below); it asks the registry for anyone
 * else.  Processes outside the sandbox (the caller's session and process
 * group) get small virtual pids of their own; init, and the root's parent
 * with it, is 1.
 */
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../common/log.h"
#include "../rpc.h"
#include "../engine/task.h"
#include "../worker.h"
#include "sandbox.h"
#include "timers.h"

#define SALT_THREAD	(1ULL << 63)

/*
 * A reaped child stays known for a while ("gone"), for the real-to-virtual
 * way only: its SIGCHLD is often delivered after the wait that reaped it.
 */
#define GONE_MAX	64

struct known {
	pid_t		 k_pid;
	pid_t		 k_vpid;
	uint64_t	 k_gone;	/* 0, or the order it was reaped in */
};

static struct known	*known;
static size_t		 nknown, knowncap, ngone;
static uint64_t		 gone_seq;
static pid_t		 self;		/* the traced process, real */
static int		 parent_fd = -1;	/* pidfd of its creator */

static struct known *
known_by_pid(pid_t pid)
{
	size_t	 i;

	for (i = 0; i < nknown; i++)
		if (known[i].k_pid == pid)
			return &known[i];
	return NULL;
}

static struct known *
known_by_vpid(pid_t vpid)
{
	size_t	 i;

	for (i = 0; i < nknown; i++)
		if (known[i].k_vpid == vpid && known[i].k_gone == 0)
			return &known[i];
	return NULL;
}

static void
known_put(pid_t pid, pid_t vpid)
{
	struct known	*k, *nk;

	if ((k = known_by_pid(pid)) == NULL) {
		if (nknown == knowncap) {
			knowncap = knowncap ? knowncap * 2 : 16;
			if ((nk = reallocarray(known, knowncap,
			    sizeof(*known))) == NULL)
				fatal("known pids");
			known = nk;
		}
		k = &known[nknown++];
	} else if (k->k_gone != 0)
		ngone--;
	k->k_pid = pid;
	k->k_vpid = vpid;
	k->k_gone = 0;
}

static void
known_del(pid_t pid)
{
	struct known	*k;

	if ((k = known_by_pid(pid)) != NULL) {
		if (k->k_gone != 0)
			ngone--;
		*k = known[--nknown];
	}
}

static void
known_gone(pid_t pid)
{
	struct known	*k, *old = NULL;
	size_t		 i;

	if ((k = known_by_pid(pid)) == NULL || k->k_gone != 0)
		return;
	k->k_gone = ++gone_seq;
	if (++ngone <= GONE_MAX)
		return;
	for (i = 0; i < nknown; i++)
		if (known[i].k_gone != 0 &&
		    (old == NULL || known[i].k_gone < old->k_gone))
			old = &known[i];
	known_del(old->k_pid);
}

static void
known_reset(void)
{
	nknown = ngone = 0;
}

/* A registry request; on any failure the pid stays real (0 back). */
static void
ask(Isotrace__Envelope__PayloadCase c, pid_t *pid, pid_t *vpid)
{
	Isotrace__Envelope	 req, *rep;
	Isotrace__PidPair	 m = ISOTRACE__PID_PAIR__INIT;
	int			 e;

	m.pid = *pid;
	m.vpid = *vpid;
	channel_init(&req, c);
	if (c == ISOTRACE__ENVELOPE__PAYLOAD_PID_CLAIM)
		req.pid_claim = &m;
	else
		req.pid_lookup = &m;
	if ((e = rpc_call(&req, ISOTRACE__ENVELOPE__PAYLOAD_PID_IS,
	    &rep)) < 0) {
		errno = -e;
		log_warn("virtual pid of %d", (int)*pid);
		*vpid = *pid > 0 ? *pid : *vpid;
		*pid = *pid > 0 ? *pid : *vpid;
		return;
	}
	*pid = rep->pid_is->pid;
	*vpid = rep->pid_is->vpid;
	channel_free(rep);
}

static pid_t
claim(pid_t pid, pid_t want)
{
	pid_t	 vpid = want;

	ask(ISOTRACE__ENVELOPE__PAYLOAD_PID_CLAIM, &pid, &vpid);
	if (vpid <= 0)
		vpid = pid;		/* the space is full: stay real */
	known_put(pid, vpid);
	return vpid;
}

static void
release(pid_t pid, pid_t vpid)
{
	int	 fd = worker_channel();

	known_del(pid);
	if (fd != -1 && channel_send_pid(fd,
	    ISOTRACE__ENVELOPE__PAYLOAD_PID_RELEASE, pid, vpid) < 0)
		log_debug("release of %d: not sent", (int)pid);
}

/* The vpid a lineage key proposes: anywhere but the root's. */
pid_t
pids_proposal(uint64_t key)
{
	return VPID_FIRST + 1 +
	    (pid_t)(key % (uint64_t)(VPID_LIMIT - VPID_FIRST - 1));
}

/* The key of a process's nth thread. */
uint64_t
pids_thread_key(uint32_t nth)
{
	return sandbox_derive(SALT_THREAD | nth);
}

/* While the creator lives, it is the parent (reparenting happens when it
 * exits); a pidfd tells that without a trip through the tracee. */
static void
watch_parent(pid_t parent)
{
	if (parent_fd != -1)
		close(parent_fd);
	parent_fd = (int)syscall(SYS_pidfd_open, parent, 0);
}

static int
parent_alive(void)
{
	struct pollfd	 pfd = { .fd = parent_fd, .events = POLLIN };

	return parent_fd != -1 && poll(&pfd, 1, 0) == 0;
}

void
pids_root(struct sandbox_ids *ids, pid_t pid)
{
	known_reset();
	self = pid;
	memset(ids, 0, sizeof(*ids));
	if (sandbox_pidns())
		return;		/* the kernel's pids are the sandbox's */
	/* Its parent, the worker that spawned it, stands for init: it is 1
	 * here, and init (whom orphans go to) is 1 everywhere. */
	(void)claim(1, VPID_OUTSIDE);
	ids->id_parent = getpid();
	ids->id_vparent = VPID_OUTSIDE;
	known_put(ids->id_parent, VPID_OUTSIDE);
	ids->id_vpid = claim(pid, VPID_ROOT);
	watch_parent(ids->id_parent);
}

void
pids_fork(const struct sandbox_ids *parent, struct sandbox_ids *child,
    pid_t pid, uint64_t key)
{
	memset(child, 0, sizeof(*child));
	if (sandbox_pidns())
		return;
	child->id_parent = self;
	child->id_vparent = parent->id_vpid;
	child->id_vpid = claim(pid, pids_proposal(key));
}

void
pids_adopt(const struct sandbox_ids *ids, pid_t pid)
{
	known_reset();
	self = pid;
	if (sandbox_pidns())
		return;
	known_put(pid, ids->id_vpid);
	known_put(ids->id_parent, ids->id_vparent);
	watch_parent(ids->id_parent);
}

/* Real to virtual: 0 and negative numbers are not pids and stay. */
static pid_t
vpid_of(pid_t pid)
{
	struct known	*k;
	pid_t		 vpid = 0;

	if (pid <= 0)
		return pid;
	if ((k = known_by_pid(pid)) != NULL)
		return k->k_vpid;
	ask(ISOTRACE__ENVELOPE__PAYLOAD_PID_LOOKUP, &pid, &vpid);
	return vpid > 0 ? vpid : pid;
}

/* Virtual to real: 0 when nobody has that vpid. */
static pid_t
pid_of(pid_t vpid)
{
	struct known	*k;
	pid_t		 pid = 0;

	/* A program's number that no vpid can be: nobody, without asking
	 * (the channel refuses such a pair as malformed). */
	if (vpid <= 0 || vpid >= VPID_LIMIT)
		return 0;
	if ((k = known_by_vpid(vpid)) != NULL)
		return k->k_pid;
	ask(ISOTRACE__ENVELOPE__PAYLOAD_PID_LOOKUP, &pid, &vpid);
	return pid;
}

/* A pid a thread of the run names, as the last number of /proc's NSpid
 * line for it says it: the same in the run's pid namespace, the real one
 * under translation; 0 when nobody has it. */
pid_t
sandbox_view_pid(pid_t vpid)
{
	return sandbox_pidns() ? vpid : pid_of(vpid);
}

/*
 * A pid argument as the kernel reads it: N > 0 a process (or thread), 0
 * and -1 "self" or "any", -N process group N.  Returns the real form, or
 * 0 with *err set when nobody has that vpid.
 */
static long
arg_pid(struct it_task *t, int idx, pid_t v, int *err)
{
	pid_t	 r;

	if (v == 0 || v == -1 || v == INT32_MIN)
		return 0;
	if ((r = pid_of(v < 0 ? -v : v)) == 0) {
		*err = -ESRCH;
		return 0;
	}
	it_task_set_arg(t, idx, (uint64_t)(int64_t)(v < 0 ? -r : r));
	return 0;
}

/* Handlers that translate pid arguments, then let the call run. */
#define PID_ARGS(...)							\
	do {								\
		int	 err_ = 0;					\
		__VA_ARGS__;						\
		return err_ != 0 ? err_ : IT_RUN_ORIGINAL;		\
	} while (0)
#define ARG(idx, v)	arg_pid(t, idx, v, &err_)

/* What a call returns as a pid. */
static long
ret_vpid(struct it_task *t, long r, void *arg)
{
	(void)t;
	(void)arg;
	return r > 0 ? vpid_of((pid_t)r) : r;
}

static long
sb_getpid(struct it_task *t)
{
	(void)t;
	return sandbox_ids()->id_vpid;
}

static pid_t
vtid_of(const struct it_task *t)
{
	return t->t_vtid != 0 ? t->t_vtid : sandbox_ids()->id_vpid;
}

static long
sb_getppid(struct it_task *t)
{
	if (parent_alive())
		return sandbox_ids()->id_vparent;
	it_task_on_exit(t, ret_vpid, NULL);
	return IT_RUN_ORIGINAL;
}

static long
sb_gettid(struct it_task *t)
{
	return vtid_of(t);
}

/* Calls whose only pid is their result. */
static long
sb_pid_result(struct it_task *t)
{
	it_task_on_exit(t, ret_vpid, NULL);
	return IT_RUN_ORIGINAL;
}

/* It returns the caller's tid. */
static long
sb_set_tid_address(struct it_task *t, it_gptr tidptr)
{
	(void)tidptr;
	return sb_pid_result(t);
}

/*
 * clone: the kernel writes the new thread's real tid at parent_tid
 * (glibc's pthread_create keeps it as the thread's id for pthread_kill);
 * it must read the virtual one.  The same word is cleared by the kernel
 * when the thread exits (CLONE_CHILD_CLEARTID, what pthread_join waits
 * for): a virtual tid written after that would make the join wait
 * forever.  So a new thread stays at its first stop until this write is
 * done (sandbox_thread_start), and cannot have exited before it.
 */
struct clone_exit {
	uint64_t	 ce_flags;
	uint64_t	 ce_ptid;
	int		 ce_hold;	/* its new thread is held */
};

/* Threads whose creator's clone returned before their first stop. */
#define RELEASED_MAX	32
static pid_t	 released[RELEASED_MAX];
static size_t	 nreleased;
static unsigned	 thread_clones;	/* CLONE_THREAD calls not returned yet */

static void
release_held(struct it_task *t, void *arg)
{
	(void)arg;
	if (t->t_flags & T_HELD) {
		t->t_flags &= ~T_HELD;
		task_resume(t);
	}
}

static void
thread_release(pid_t tid)
{
	struct it_task	*c;

	if ((c = task_find(tid)) != NULL && (c->t_flags & T_HELD)) {
		c->t_flags &= ~T_HELD;
		task_resume(c);
		return;
	}
	released[nreleased++ % RELEASED_MAX] = tid;
}

int
sandbox_thread_start(struct it_task *t)
{
	size_t	 i;

	/* Only a clone this table saw comes back to release it. */
	if (sandbox_pidns() || thread_clones == 0)
		return 0;
	for (i = 0; i < RELEASED_MAX && i < nreleased; i++)
		if (released[i] == t->t_tid) {
			released[i] = 0;
			return 0;
		}
	t->t_flags |= T_HELD;
	return 1;
}

static long
clone_done(struct it_task *t, long r, void *arg)
{
	struct clone_exit	*ce = arg;
	pid_t			 real = (pid_t)r;
	int32_t			 v;

	if (r > 0) {
		r = vpid_of(real);
		v = (int32_t)r;
		if (ce->ce_flags & CLONE_PARENT_SETTID)
			(void)it_mem_write(t, ce->ce_ptid, &v, sizeof(v));
		if (ce->ce_hold)
			thread_release(real);
	}
	if (ce->ce_hold && --thread_clones == 0)
		task_foreach(release_held, NULL);
	free(ce);
	return r;
}

static long
sb_clone(struct it_task *t, unsigned long flags, it_gaddr stack,
    it_gptr ptid, it_gptr ctid, it_gaddr tls)
{
	struct clone_exit	*ce;

	(void)stack;
	(void)ctid;
	(void)tls;
	if ((ce = malloc(sizeof(*ce))) == NULL)
		return -EAGAIN;
	/* A CLONE_VFORK creator waits for its thread: never hold that one. */
	if ((ce->ce_hold = (flags & CLONE_THREAD) && !(flags & CLONE_VFORK)))
		thread_clones++;
	ce->ce_flags = flags;
	ce->ce_ptid = ptid.addr;
	it_task_on_exit(t, clone_done, ce);
	return IT_RUN_ORIGINAL;
}

/* wait4 and waitid reap: a reaped child is known no more. */
static void
reaped(pid_t pid)
{
	if (pid != sandbox_ids()->id_parent)
		known_gone(pid);
}

struct wait4_exit {
	uint64_t	 we_status;	/* guest int *, or 0 */
	unsigned int	 we_options;
};

static long
wait4_done(struct it_task *t, long r, void *arg)
{
	struct wait4_exit	*we = arg;
	pid_t			 pid = (pid_t)r;
	int			 st;

	if (r > 0) {
		r = vpid_of(pid);
		/* Without a status, only WUNTRACED and WCONTINUED can make
		 * the report one of a child still alive. */
		if (we->we_status != 0 ? it_mem_read(t, we->we_status, &st,
		    sizeof(st)) == 0 && (WIFEXITED(st) || WIFSIGNALED(st)) :
		    !(we->we_options & (WUNTRACED | WCONTINUED)))
			reaped(pid);
	}
	free(we);
	return r;
}

static long
sb_wait4(struct it_task *t, int pid, it_gp_int wstatus, unsigned int options,
    it_gp_rusage ru)
{
	struct wait4_exit	*we;
	int			 err = 0;

	(void)ru;
	arg_pid(t, 0, pid, &err);
	if (err != 0)
		return -ECHILD;
	if ((we = malloc(sizeof(*we))) == NULL)
		return IT_RUN_ORIGINAL;
	we->we_status = wstatus.addr;
	we->we_options = options;
	it_task_on_exit(t, wait4_done, we);
	return IT_RUN_ORIGINAL;
}

/* A siginfo whose si_pid names a process (the sender, the child). */
static int
siginfo_has_pid(const siginfo_t *si)
{
	if (si->si_signo == SIGCHLD && si->si_code > 0)
		return 1;
	return si->si_code == SI_USER || si->si_code == SI_QUEUE ||
	    si->si_code == SI_TKILL || si->si_code == SI_MESGQ;
}

static int
siginfo_virtual(siginfo_t *si)
{
	pid_t	 v;

	if (!siginfo_has_pid(si) || si->si_pid <= 0 ||
	    (v = vpid_of(si->si_pid)) == si->si_pid)
		return 0;
	si->si_pid = v;
	return 1;
}

static long
waitid_done(struct it_task *t, long r, void *arg)
{
	it_gp_siginfo	 p = { (uint64_t)(uintptr_t)arg };
	siginfo_t	 si;
	pid_t		 pid;

	if (r == 0 && it_read_siginfo(t, p, &si) == 0 && si.si_pid > 0) {
		pid = si.si_pid;
		if (siginfo_virtual(&si))
			(void)it_write_siginfo(t, p, &si);
		if (si.si_code == CLD_EXITED || si.si_code == CLD_KILLED ||
		    si.si_code == CLD_DUMPED)
			reaped(pid);
	}
	return r;
}

static long
sb_waitid(struct it_task *t, int idtype, int id, it_gp_siginfo infop,
    unsigned int options, it_gp_rusage ru)
{
	int	 err = 0;

	(void)ru;
	if ((idtype == P_PID || idtype == P_PGID) && id > 0) {
		arg_pid(t, 1, id, &err);
		if (err != 0)
			return -ECHILD;
	}
	/* WNOWAIT leaves the child a zombie: still known. */
	it_task_on_exit(t, waitid_done, (options & WNOWAIT) ? NULL :
	    (void *)(uintptr_t)infop.addr);
	return IT_RUN_ORIGINAL;
}

static long
sigtimedwait_done(struct it_task *t, long r, void *arg)
{
	it_gp_siginfo	 p = { (uint64_t)(uintptr_t)arg };
	siginfo_t	 si;

	if (r > 0 && p.addr != 0 && it_read_siginfo(t, p, &si) == 0 &&
	    siginfo_virtual(&si))
		(void)it_write_siginfo(t, p, &si);
	timers_sigwaited(t, r, p);
	deadline_ended(t, r, -EAGAIN);	/* timed out: its whole timeout */
	return r;
}

static long
sb_rt_sigtimedwait(struct it_task *t, it_gp_sigset set, it_gp_siginfo info,
    it_gp_timespec timeout, size_t size)
{
	(void)size;
	deadline_note(t, timeout);
	timers_sigwait(t, set, timeout);	/* a timer may end it */
	it_task_on_exit(t, sigtimedwait_done, (void *)(uintptr_t)info.addr);
	return IT_RUN_ORIGINAL;
}

static long
sb_kill(struct it_task *t, int pid, int sig)
{
	(void)sig;
	PID_ARGS(ARG(0, pid));
}

/* A tid not in the registry may be a real one that glibc learnt before
 * we could rewrite it; a thread of this process keeps working. */
static void
arg_tid(struct it_task *t, int idx, pid_t v, int *err)
{
	struct it_task	*o;

	arg_pid(t, idx, v, err);
	if (*err != 0 && (o = task_find(v)) != NULL && o->t_tgid == t->t_tgid)
		*err = 0;
}

static long
sb_tkill(struct it_task *t, int tid, int sig)
{
	int	 err = 0;

	(void)sig;
	if (tid <= 0)
		return -EINVAL;
	arg_tid(t, 0, tid, &err);
	return err != 0 ? err : IT_RUN_ORIGINAL;
}

static long
sb_tgkill(struct it_task *t, int tgid, int tid, int sig)
{
	int	 err = 0;

	(void)sig;
	if (tgid <= 0 || tid <= 0)
		return -EINVAL;
	arg_pid(t, 0, tgid, &err);
	if (err == 0)
		arg_tid(t, 1, tid, &err);
	return err != 0 ? err : IT_RUN_ORIGINAL;
}

static long
sb_rt_sigqueueinfo(struct it_task *t, int tgid, int sig, it_gp_siginfo info)
{
	(void)sig;
	(void)info;
	PID_ARGS(ARG(0, tgid));
}

static long
sb_rt_tgsigqueueinfo(struct it_task *t, int tgid, int tid, int sig,
    it_gp_siginfo info)
{
	siginfo_t	 si;

	/* The kernel copies the siginfo before it looks at the ids. */
	if (it_read_siginfo(t, info, &si) < 0)
		return -EFAULT;
	return sb_tgkill(t, tgid, tid, sig);
}

static long
sb_getpgid(struct it_task *t, int pid)
{
	int	 err = 0;

	arg_pid(t, 0, pid, &err);
	if (err != 0)
		return err;
	it_task_on_exit(t, ret_vpid, NULL);
	return IT_RUN_ORIGINAL;
}

static long
sb_setpgid(struct it_task *t, int pid, int pgid)
{
	PID_ARGS(ARG(0, pid); if (err_ == 0) ARG(1, pgid));
}

/* Calls whose first argument is a pid (0: the caller). */
static long
sb_pid_first(struct it_task *t, int pid)
{
	PID_ARGS(ARG(0, pid));
}

/* Their other arguments go to the kernel untouched, unnamed here. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#define PID_FIRST(name, ...)						\
static long								\
sb_##name(struct it_task *t, int pid, __VA_ARGS__)			\
{									\
	return sb_pid_first(t, pid);					\
}

PID_FIRST(sched_setparam, it_gp_sched_param p)
PID_FIRST(sched_getparam, it_gp_sched_param p)
PID_FIRST(sched_setscheduler, int policy, it_gp_sched_param p)
PID_FIRST(sched_rr_get_interval, it_gp_timespec tp)
PID_FIRST(sched_setaffinity, size_t size, it_gp_cpu_set mask)
PID_FIRST(sched_getaffinity, size_t size, it_gp_cpu_set mask)
PID_FIRST(sched_setattr, it_gp_sched_attr attr, unsigned int flags)
PID_FIRST(sched_getattr, it_gp_sched_attr attr, unsigned int size,
    unsigned int flags)
PID_FIRST(prlimit64, int resource, it_gp_rlimit nl, it_gp_rlimit ol)
PID_FIRST(pidfd_open, unsigned int flags)
PID_FIRST(get_robust_list, it_gp_ulong head, it_gp_ulong len)
PID_FIRST(migrate_pages, unsigned long maxnode, it_gp_ulong o, it_gp_ulong n)
PID_FIRST(move_pages, unsigned long count, it_gp_ulong pages, it_gp_int nodes,
    it_gp_int status, unsigned int flags)
PID_FIRST(process_vm_readv, it_gp_iovec l, unsigned long nl, it_gp_iovec r,
    unsigned long nr, unsigned long flags)
PID_FIRST(process_vm_writev, it_gp_iovec l, unsigned long nl, it_gp_iovec r,
    unsigned long nr, unsigned long flags)

static long
sb_ptrace(struct it_task *t, int request, int pid, unsigned long addr,
    unsigned long data)
{
	/* PTRACE_TRACEME names no pid. */
	if (request == PTRACE_TRACEME)
		return IT_RUN_ORIGINAL;
	PID_ARGS(ARG(1, pid));
}

static long
sb_kcmp(struct it_task *t, int pid1, int pid2, int type, unsigned long idx1,
    unsigned long idx2)
{
	PID_ARGS(ARG(0, pid1); if (err_ == 0) ARG(1, pid2));
}
#pragma GCC diagnostic pop

static long
sb_sched_getscheduler(struct it_task *t, int pid)
{
	return sb_pid_first(t, pid);
}

/* getpriority/setpriority and ioprio: "who" is a pid or a pgid for
 * which 0 (PRIO_PROCESS, IOPRIO_WHO_PROCESS) and 1 (..._PGRP). */
static long
sb_getpriority(struct it_task *t, int which, int who)
{
	if (which != PRIO_PROCESS && which != PRIO_PGRP)
		return IT_RUN_ORIGINAL;
	PID_ARGS(ARG(1, who));
}

static long
sb_setpriority(struct it_task *t, int which, int who, int prio)
{
	(void)prio;
	return sb_getpriority(t, which, who);
}

#define IOPRIO_WHO_PROCESS	1
#define IOPRIO_WHO_PGRP		2

static long
sb_ioprio_get(struct it_task *t, int which, int who)
{
	if (which != IOPRIO_WHO_PROCESS && which != IOPRIO_WHO_PGRP)
		return IT_RUN_ORIGINAL;
	PID_ARGS(ARG(1, who));
}

static long
sb_ioprio_set(struct it_task *t, int which, int who, unsigned long prio)
{
	(void)prio;
	return sb_ioprio_get(t, which, who);
}

/* Job control on a terminal: the foreground process group, the session. */
static long
pgrp_out_done(struct it_task *t, long r, void *arg)
{
	uint64_t	 addr = (uint64_t)(uintptr_t)arg;
	pid_t		 pg;

	if (r == 0 && it_mem_read(t, addr, &pg, sizeof(pg)) == 0) {
		pg = vpid_of(pg);
		(void)it_mem_write(t, addr, &pg, sizeof(pg));
	}
	return r;
}

static long
sb_ioctl(struct it_task *t, int fd, unsigned long req, unsigned long arg)
{
	pid_t	 pg, real;

	(void)fd;
	switch (req) {
	case TIOCGPGRP:
	case TIOCGSID:
		it_task_on_exit(t, pgrp_out_done, (void *)(uintptr_t)arg);
		return IT_RUN_ORIGINAL;
	case TIOCSPGRP:
		/* The kernel reads the pgid from memory: write the real one
		 * in its place for the call, and put the virtual one back. */
		if (it_mem_read(t, arg, &pg, sizeof(pg)) < 0)
			return -EFAULT;
		if (pg <= 0)
			return IT_RUN_ORIGINAL;
		if ((real = pid_of(pg)) == 0)
			return -ESRCH;
		if (it_mem_write(t, arg, &real, sizeof(real)) < 0)
			return -EFAULT;
		it_task_on_exit(t, pgrp_out_done, (void *)(uintptr_t)arg);
		return IT_RUN_ORIGINAL;
	default:
		return IT_RUN_ORIGINAL;
	}
}

/*
 * capget/capset: the pid is in the header, in memory.  The real one goes
 * there for the call and the program's own comes back after it.
 */
struct cap_exit {
	uint64_t	 cx_addr;
	int32_t		 cx_vpid;
};

static long
cap_done(struct it_task *t, long r, void *arg)
{
	struct cap_exit	*cx = arg;
	it_gp_cap_header h = { cx->cx_addr };
	struct it_k_cap_header	 ch;

	if (it_read_cap_header(t, h, &ch) == 0) {
		ch.pid = cx->cx_vpid;
		(void)it_write_cap_header(t, h, &ch);
	}
	free(cx);
	return r;
}

static long
cap_call(struct it_task *t, it_gp_cap_header h)
{
	struct it_k_cap_header	 ch;
	struct cap_exit		*cx;
	pid_t			 real;

	if (it_read_cap_header(t, h, &ch) < 0 || ch.pid <= 0)
		return IT_RUN_ORIGINAL;
	if ((real = pid_of(ch.pid)) == 0)
		return -ESRCH;
	if ((cx = malloc(sizeof(*cx))) == NULL)
		return -ENOMEM;
	cx->cx_addr = h.addr;
	cx->cx_vpid = ch.pid;
	ch.pid = real;
	if (it_write_cap_header(t, h, &ch) < 0) {
		free(cx);
		return -EFAULT;
	}
	it_task_on_exit(t, cap_done, cx);
	return IT_RUN_ORIGINAL;
}

static long
sb_capget(struct it_task *t, it_gp_cap_header h, it_gp_cap_data d)
{
	(void)d;
	return cap_call(t, h);
}

static long
sb_capset(struct it_task *t, it_gp_cap_header h, it_gp_cap_data d)
{
	(void)d;
	return cap_call(t, h);
}

const struct it_table sandbox_pids = {
	.capget = sb_capget,
	.capset = sb_capset,
	.getpid = sb_getpid,
	.gettid = sb_gettid,
	.getppid = sb_getppid,
	.getpgrp = sb_pid_result,
	.set_tid_address = sb_set_tid_address,
	.setsid = sb_pid_result,
	.fork = sb_pid_result,
	.vfork = sb_pid_result,
	.clone = sb_clone,
	.wait4 = sb_wait4,
	.waitid = sb_waitid,
	.rt_sigtimedwait = sb_rt_sigtimedwait,
	.kill = sb_kill,
	.tkill = sb_tkill,
	.tgkill = sb_tgkill,
	.rt_sigqueueinfo = sb_rt_sigqueueinfo,
	.rt_tgsigqueueinfo = sb_rt_tgsigqueueinfo,
	.getpgid = sb_getpgid,
	.getsid = sb_getpgid,
	.setpgid = sb_setpgid,
	.sched_setparam = sb_sched_setparam,
	.sched_getparam = sb_sched_getparam,
	.sched_setscheduler = sb_sched_setscheduler,
	.sched_getscheduler = sb_sched_getscheduler,
	.sched_rr_get_interval = sb_sched_rr_get_interval,
	.sched_setaffinity = sb_sched_setaffinity,
	.sched_getaffinity = sb_sched_getaffinity,
	.sched_setattr = sb_sched_setattr,
	.sched_getattr = sb_sched_getattr,
	.prlimit64 = sb_prlimit64,
	.pidfd_open = sb_pidfd_open,
	.get_robust_list = sb_get_robust_list,
	.migrate_pages = sb_migrate_pages,
	.move_pages = sb_move_pages,
	.process_vm_readv = sb_process_vm_readv,
	.process_vm_writev = sb_process_vm_writev,
	.ptrace = sb_ptrace,
	.kcmp = sb_kcmp,
	.getpriority = sb_getpriority,
	.setpriority = sb_setpriority,
	.ioprio_get = sb_ioprio_get,
	.ioprio_set = sb_ioprio_set,
	.ioctl = sb_ioctl,
};

/* SO_PEERCRED: the peer's pid, for the net family's getsockopt. */
static long
peercred_done(struct it_task *t, long r, void *arg)
{
	uint64_t	 addr = (uint64_t)(uintptr_t)arg;
	struct ucred	 uc;

	if (r == 0 && it_mem_read(t, addr, &uc, sizeof(uc)) == 0 &&
	    uc.pid > 0) {
		uc.pid = vpid_of(uc.pid);
		(void)it_mem_write(t, addr, &uc, sizeof(uc));
	}
	return r;
}

long
sandbox_peercred(struct it_task *t, it_gptr val)
{
	if (sandbox_pidns())
		return IT_RUN_ORIGINAL;
	it_task_on_exit(t, peercred_done, (void *)(uintptr_t)val.addr);
	return IT_RUN_ORIGINAL;
}

/* --- the engine's hooks ---------------------------------------------- */

void
sandbox_new_thread(struct it_task *c)
{
	struct sandbox_ids	*ids = sandbox_ids();

	++ids->id_threads;
	if (sandbox_pidns())
		return;		/* its tid was chosen at its clone */
	c->t_vtid = claim(c->t_tid, pids_proposal(pids_thread_key(
	    ids->id_threads)));
}

void
sandbox_task_gone(struct it_task *t)
{
	if (sandbox_pidns())
		return;
	release(t->t_tid, vtid_of(t));
}

void
sandbox_exec_leader(struct it_task *t, pid_t former)
{
	if (t->t_vtid != 0 && !sandbox_pidns())
		release(former, t->t_vtid);
	t->t_vtid = 0;
}

void
sandbox_signal(struct it_task *t)
{
	siginfo_t	 si;

	if (sandbox_pidns())
		return;
	if (ptrace(PTRACE_GETSIGINFO, t->t_tid, NULL, &si) == 0 &&
	    siginfo_virtual(&si) &&
	    ptrace(PTRACE_SETSIGINFO, t->t_tid, NULL, &si) == -1)
		log_debug("siginfo of %d: %s", (int)t->t_tid,
		    strerror(errno));
}
