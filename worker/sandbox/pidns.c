/*
 * Pids in the run's own pid namespace (worker/spawn.c makes it): every pid
 * the program can see anywhere (calls, /proc, credentials, signals) is the
 * kernel's, so nothing is translated.  What is left is to choose each new
 * process's and thread's number from its place in the tree, as translate
 * mode does (pids.c), so that it is the same on every run.
 *
 * The kernel lets the owner of a pid namespace choose a child's pid with
 * clone3's set_tid.  The program's fork, vfork and clone are made clone3
 * calls at their seccomp stop, with the same flags, stack, tls and tid
 * pointers plus set_tid; the filter judges the new number again and lets a
 * traced call through after a trace stop.  The program's own clone3 is
 * refused (ENOSYS, as the filter does elsewhere: libc falls back to clone),
 * since its flags are in memory the program can change under us.
 *
 * When the number is taken (EEXIST) the call comes back to the handler
 * (IT_RUN_AGAIN) with the next number; when the kernel refuses set_tid
 * (a process that gave up its capabilities, a nested pid namespace) or
 * clone3 itself, the program's own call runs and the kernel picks the pid.
 */
#include <sched.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "../../proto/channel.h"
#include "../engine/task.h"
#include "sandbox.h"

/* The kernel's own "restart me" results (never seen by a program). */
#define ERESTARTSYS_	512
#define ERESTARTNOINTR_	513
#define ERESTARTNOHAND_	514

/* Numbers tried for one clone before the kernel picks one. */
#define TRIES		8
#define SCRATCH_MAGIC	0x6973746b6c6f6e65ULL

/*
 * What the handler writes below the thread's stack.  clone3 takes its
 * arguments in rdi and rsi, which the program's call had others in (glibc's
 * vfork keeps its return address in rdi across the call): the new task
 * gets the program's back at its first stop, from s_reg.
 */
struct scratch {
	uint64_t		 s_magic;
	uint64_t		 s_reg[2];
	int32_t			 s_tid[2];
	struct it_k_clone_args	 s_args;
};

int
sandbox_pidns(void)
{
	return sandbox_config()->sc_pids == SANDBOX_PIDS_NAMESPACE;
}

/* The try-th number for the next child or thread. */
static pid_t
want(int thread, unsigned try)
{
	uint64_t	 key;
	pid_t		 p, span = VPID_LIMIT - VPID_FIRST - 1;

	key = thread ? pids_thread_key(sandbox_ids()->id_threads + 1) :
	    sandbox_next_child_key();
	p = pids_proposal(key) - (VPID_FIRST + 1);
	return VPID_FIRST + 1 + (pid_t)((p + (pid_t)try) % span);
}

static long
clone_done(struct it_task *t, long r, void *arg)
{
	(void)arg;
	switch (r) {
	case -ERESTARTSYS_:
	case -ERESTARTNOINTR_:
	case -ERESTARTNOHAND_:
		/* The kernel restarts the program's own call. */
		return r;
	case -EEXIST:
		t->t_clonetry++;
		return IT_RUN_AGAIN;
	case -EPERM:
	case -EINVAL:
	case -E2BIG:
	case -EFAULT:
	case -ENOSYS:
	case -ENOSPC:
		t->t_clonetry = TRIES;
		return IT_RUN_AGAIN;
	}
	t->t_clonetry = 0;
	it_task_set_arg(t, 0, t->t_args[0]);
	it_task_set_arg(t, 1, t->t_args[1]);
	return r;
}

static long
as_clone3(struct it_task *t, uint64_t flags, uint64_t stack, uint64_t ptid,
    uint64_t ctid, uint64_t tls)
{
	struct scratch	 s;
	uint64_t	 addr;

	if (t->t_clonetry >= TRIES || (flags & (CLONE_NEWPID | CLONE_UNTRACED))) {
		t->t_clonetry = 0;
		return IT_RUN_ORIGINAL;
	}
	memset(&s, 0, sizeof(s));
	s.s_magic = SCRATCH_MAGIC;
	s.s_reg[0] = t->t_args[0];
	s.s_reg[1] = t->t_args[1];
	s.s_tid[0] = want(flags & CLONE_THREAD, t->t_clonetry);
	/* clone's exit signal is in its flags; clone3 wants none with
	 * CLONE_THREAD or CLONE_PARENT (the kernel ignores it there). */
	s.s_args.flags = flags & ~(uint64_t)(CSIGNAL | CLONE_DETACHED);
	if (!(flags & (CLONE_THREAD | CLONE_PARENT)))
		s.s_args.exit_signal = flags & CSIGNAL;
	/* Legacy clone returns the pidfd where parent_tid points. */
	if (flags & CLONE_PIDFD)
		s.s_args.pidfd = ptid;
	else if (flags & CLONE_PARENT_SETTID)
		s.s_args.parent_tid = ptid;
	if (flags & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID))
		s.s_args.child_tid = ctid;
	if (flags & CLONE_SETTLS)
		s.s_args.tls = tls;
	/* The new stack pointer is stack + stack_size. */
	if (stack != 0) {
		s.s_args.stack = stack - 1;
		s.s_args.stack_size = 1;
	}
	if ((addr = it_task_scratch(t, sizeof(s))) == 0)
		return IT_RUN_ORIGINAL;
	s.s_args.set_tid = addr + offsetof(struct scratch, s_tid);
	s.s_args.set_tid_size = 1;
	if (it_mem_write(t, addr, &s, sizeof(s)) < 0)
		return IT_RUN_ORIGINAL;
	it_task_set_nr(t, IT_SYS_clone3);
	it_task_set_arg(t, 0, addr + offsetof(struct scratch, s_args));
	it_task_set_arg(t, 1, sizeof(s.s_args));
	it_task_on_exit(t, clone_done, NULL);
	return IT_RUN_ORIGINAL;
}

static long
ns_clone(struct it_task *t, unsigned long flags, it_gaddr stack,
    it_gptr ptid, it_gptr ctid, it_gaddr tls)
{
	return as_clone3(t, flags, stack, ptid.addr, ctid.addr, tls);
}

static long
ns_fork(struct it_task *t)
{
	return as_clone3(t, SIGCHLD, 0, 0, 0, 0);
}

static long
ns_vfork(struct it_task *t)
{
	return as_clone3(t, CLONE_VM | CLONE_VFORK | SIGCHLD, 0, 0, 0, 0);
}

static long
ns_clone3(struct it_task *t, it_gp_clone_args args, size_t size)
{
	(void)t;
	(void)args;
	(void)size;
	return -ENOSYS;
}

const struct it_table sandbox_pidns_table = {
	.clone = ns_clone,
	.fork = ns_fork,
	.vfork = ns_vfork,
	.clone3 = ns_clone3,
};

/* A new task made by as_clone3 gets the program's rdi and rsi back. */
void
sandbox_first_stop(struct it_task *t)
{
	struct scratch	 s;
	uint64_t	 a;

	if (!sandbox_pidns() || task_load_regs(t) < 0 ||
	    arch_sysno(&t->t_regs) != IT_SYS_clone3 ||
	    arch_arg(&t->t_regs, 1) != sizeof(s.s_args))
		return;
	a = arch_arg(&t->t_regs, 0) - offsetof(struct scratch, s_args);
	if (it_mem_read(t, a, &s, sizeof(s)) < 0 || s.s_magic != SCRATCH_MAGIC)
		return;
	arch_set_arg(&t->t_regs, 0, s.s_reg[0]);
	arch_set_arg(&t->t_regs, 1, s.s_reg[1]);
	t->t_flags |= T_DIRTY;
}
