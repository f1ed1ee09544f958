/*
 * The park page.
 *
 * A process being handed to a new worker is detached for a moment; it
 * must run nothing of its own meanwhile, and nothing the program controls
 * may turn the wait into a return to its code.  A parked pause() fails
 * that test: a program's own seccomp filter can make it fail (the child
 * then runs on untraced) or kill the child (SIGSYS).  It also shows the
 * child asleep (state S) in /proc, where natively it would be running, so
 * a parent that waits for its child to be asleep takes it for asleep.
 *
 * So the child spins on a page of the worker's code, mapped into it by
 * an injected mmap (once per address space: a child inherits its
 * parent's), and shows as running (R), as natively.  It spins with PAUSE
 * and, between rounds, sched_yield: a spinning child that never yields
 * keeps the worker that must adopt it waiting for the CPU for a whole
 * time slice (measured: 5 ms per fork instead of 0.4).  The yield's
 * result is ignored, so a failing yield changes nothing; but a program
 * with filters of its own could kill on it, so a process with more
 * filters than isotrace's parks its children in a loop without any
 * system call (slower, never harmed).  Our filter lets the yield of the
 * page at PARK_ADDR through untrapped (seccomp.c), or -v would make it
 * fail without yielding.
 *
 * After a bounded count (about two seconds of the child's own CPU time,
 * calibrated by park_calibrate) a child that nobody adopted executes
 * ud2: SIGILL, blocked like every signal while parked, is forced on it
 * and kills it.  A parked process never outlives isotrace for long.
 */
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "park.h"
#include "task.h"

#define PARK_LEN	4096
#define SPIN		65536		/* PAUSEs per round, no yield */
#define SPIN_Y		128		/* PAUSEs per round, then a yield */
#define PARK_NS		2000000000ULL	/* CPU time before giving up */
#define NR_MMAP		9		/* x86_64 */
#define NR_MMAP2_I386	192

/* The page: three loops, each entered with the rounds left in edi. */
#define OFF_SPIN	0		/* no system call */
#define OFF_YIELD64	32		/* sched_yield by syscall */
#define OFF_YIELD32	64		/* sched_yield by int 0x80 */
#define CODE_LEN	96
static const unsigned char code[CODE_LEN] = {
	/* OFF_SPIN */
	0xbe, 0x00, 0x00, 0x01, 0x00,	/* top:  mov $SPIN, %esi	*/
	0xf3, 0x90,			/* spin: pause			*/
	0xff, 0xce,			/*	 dec %esi		*/
	0x75, 0xfa,			/*	 jnz spin		*/
	0xff, 0xcf,			/*	 dec %edi		*/
	0x75, 0xf1,			/*	 jnz top		*/
	0x0f, 0x0b,			/*	 ud2			*/
	[OFF_YIELD64] =
	0xbe, SPIN_Y, 0, 0, 0,		/* top:  mov $SPIN_Y, %esi	*/
	0xf3, 0x90,			/* spin: pause			*/
	0xff, 0xce,			/*	 dec %esi		*/
	0x75, 0xfa,			/*	 jnz spin		*/
	0xb8, 24, 0, 0, 0,		/*	 mov $24, %eax		*/
	0x0f, 0x05,			/*	 syscall (sched_yield)	*/
	0xff, 0xcf,			/*	 dec %edi		*/
	0x75, 0xea,			/*	 jnz top		*/
	0x0f, 0x0b,			/*	 ud2			*/
	[OFF_YIELD32] =
	0xbe, SPIN_Y, 0, 0, 0,
	0xf3, 0x90,
	0xff, 0xce,
	0x75, 0xfa,
	0xb8, 158, 0, 0, 0,		/*	 mov $158, %eax		*/
	0xcd, 0x80,			/*	 int $0x80 (sched_yield) */
	0xff, 0xcf,
	0x75, 0xea,
	0x0f, 0x0b,
};

static uint32_t	 spin_rounds = 16, yield_rounds = 1000;
static int	 base_filters = 1;	/* isotrace's own and those above */
static uint64_t	 known;		/* the traced process's page, 0: none */
static int	 own = -1;	/* it has filters of its own; -1: unknown */

static uint64_t
ns_since(const struct timespec *a)
{
	struct timespec	 b;
	uint64_t	 ns;

	clock_gettime(CLOCK_MONOTONIC, &b);
	ns = (uint64_t)(b.tv_sec - a->tv_sec) * 1000000000ULL +
	    (uint64_t)b.tv_nsec - (uint64_t)a->tv_nsec;
	return ns ? ns : 1;
}

static uint32_t
clamp(uint64_t n)
{
	return n < 16 ? 16 : n > 100000000 ? 100000000 : (uint32_t)n;
}

/* Seccomp_filters of /proc/PID/status, -1 if unknown. */
static int
filters(pid_t pid)
{
	return (int)task_status_field(pid, "Seccomp_filters");
}

/*
 * PAUSE takes 1 to 150 cycles depending on the CPU: the rounds that make
 * PARK_NS are measured once, before the workers are forked.  The filters
 * isotrace runs under are counted here too.
 */
void
park_calibrate(void)
{
	struct timespec	 a;
	uint64_t	 spin = UINT64_MAX, yield = UINT64_MAX, ns;
	unsigned	 i, j;

	/* The fastest of several short samples: a preemption in the middle
	 * of one only makes it slower, and a slow sample would make the
	 * park give up early. */
	for (i = 0; i < 16; i++) {
		clock_gettime(CLOCK_MONOTONIC, &a);
		for (j = 0; j < SPIN / 16; j++)
			__asm__ volatile("pause");
		if ((ns = ns_since(&a) * 16) < spin)
			spin = ns;
		clock_gettime(CLOCK_MONOTONIC, &a);
		sched_yield();
		if ((ns = ns_since(&a)) < yield)
			yield = ns;
	}
	spin_rounds = clamp(PARK_NS / spin);
	yield_rounds = clamp(PARK_NS / (spin * SPIN_Y / SPIN + yield));
	if ((i = (unsigned)filters(getpid())) != (unsigned)-1)
		base_filters = (int)i + 1;
}

/* A new address space (exec) or a new process (adopt): both unknown. */
void
park_known(uint64_t page)
{
	known = page;
	own = -1;
}

/* Reads from any process this worker traces, by pid. */
static int
peek(pid_t pid, uint64_t addr, void *buf, size_t len)
{
	struct iovec	 local = { buf, len };
	struct iovec	 remote = { (void *)(uintptr_t)addr, len };

	return process_vm_readv(pid, &local, 1, &remote, 1, 0) ==
	    (ssize_t)len ? 0 : -EFAULT;
}

static int
holds(pid_t pid, uint64_t page)
{
	unsigned char	 buf[CODE_LEN];

	return page != 0 && peek(pid, page, buf, sizeof(buf)) == 0 &&
	    memcmp(buf, code, CODE_LEN) == 0;
}

/*
 * Runs mmap(addr) in t, whose registers are loaded and whose pc is just
 * past its fork's syscall instruction: single-steps that instruction
 * again as mmap.  Nothing of the program runs: every signal is blocked,
 * and the step ends right after the instruction.
 */
static long
inject_mmap(struct it_task *t, int compat, uint64_t addr, int *stopped,
    int *wstatus)
{
	struct regs	 r = t->t_regs;
	int		 st, sig, flags = MAP_PRIVATE | MAP_ANONYMOUS;

	if (addr != 0)
		flags |= MAP_FIXED_NOREPLACE;
	arch_set_pc(&r, arch_pc(&r) - ARCH_SYSCALL_INSN_LEN);
	arch_set_sysno(&r, -1);
	if (compat) {
		arch_set_result(&r, NR_MMAP2_I386);
		arch_set_compat_arg(&r, 0, (uint32_t)addr);
		arch_set_compat_arg(&r, 1, PARK_LEN);
		arch_set_compat_arg(&r, 2, PROT_READ | PROT_EXEC);
		arch_set_compat_arg(&r, 3, (uint32_t)flags);
		arch_set_compat_arg(&r, 4, (uint32_t)-1);
		arch_set_compat_arg(&r, 5, 0);
	} else {
		arch_set_result(&r, NR_MMAP);
		arch_set_arg(&r, 0, addr);
		arch_set_arg(&r, 1, PARK_LEN);
		arch_set_arg(&r, 2, PROT_READ | PROT_EXEC);
		arch_set_arg(&r, 3, (uint64_t)flags);
		arch_set_arg(&r, 4, (uint64_t)-1);
		arch_set_arg(&r, 5, 0);
	}
	if (ptrace(PTRACE_SETREGS, t->t_tid, NULL, &r.r) == -1 ||
	    ptrace(PTRACE_SINGLESTEP, t->t_tid, NULL, NULL) == -1)
		return -errno;
	for (;;) {
		if (waitpid(t->t_tid, &st, __WALL) == -1) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (!WIFSTOPPED(st)) {
			*wstatus = st;
			return -ESRCH;
		}
		sig = WSTOPSIG(st);
		if ((st >> 16) == 0 && sig == SIGTRAP)
			break;			/* the step is done */
		/* SIGSTOP is the one signal the mask cannot hold: kept for
		 * after the park.  A seccomp stop (the filter traps mmap)
		 * or any other stop: step on. */
		if ((st >> 16) == 0 && sig == SIGSTOP)
			*stopped = 1;
		if (ptrace(PTRACE_SINGLESTEP, t->t_tid, NULL, NULL) == -1)
			return -errno;
	}
	if (ptrace(PTRACE_GETREGS, t->t_tid, NULL, &r.r) == -1)
		return -errno;
	return arch_result(&r);
}

int
park_prepare(struct it_task *t, pid_t parent, int compat, uint64_t *page,
    int *stopped, int *wstatus)
{
	long	 addr;

	if (holds(t->t_tid, known)) {
		*page = known;
		return 0;
	}
	/* At PARK_ADDR when that is free, where the filter knows it. */
	addr = inject_mmap(t, compat, compat ? 0 : PARK_ADDR, stopped,
	    wstatus);
	if (*wstatus != -1)
		return -ESRCH;
	if (!compat && (addr < 0 && addr > -4096))
		addr = inject_mmap(t, compat, 0, stopped, wstatus);
	if (addr < 0 && addr > -4096)
		return (int)addr;
	/* Written through /proc/PID/mem: the page is not writable. */
	if (it_mem_poke(t, (uint64_t)addr, code, CODE_LEN) < 0 ||
	    !holds(t->t_tid, (uint64_t)addr))
		return -EFAULT;
	/* A child that shares its parent's memory (vfork, CLONE_VM) made
	 * the page for both. */
	if (holds(parent, (uint64_t)addr))
		known = (uint64_t)addr;
	*page = (uint64_t)addr;
	return 0;
}

/*
 * At a fork's seccomp stop, and before the program installs a filter of
 * its own (seccomp() or prctl(PR_SET_SECCOMP)): the page is mapped in the
 * parent, once per address space, so that every child inherits it and
 * its park costs no injection (and, mapped before the program's filter,
 * none that filter could refuse or kill).  Failure is not an error:
 * park_prepare tries again in the child.
 */
void
park_ensure(struct it_task *t)
{
	long	 addr;

	/* seccomp() and prctl(PR_SET_SECCOMP) stop here only: from now
	 * on, children park without a system call. */
	if (t->t_nr != IT_SYS_fork && t->t_nr != IT_SYS_vfork &&
	    t->t_nr != IT_SYS_clone)
		own = 1;
	if (known != 0 || arch_is_compat(&t->t_regs))
		return;
	addr = it_task_syscall(t, NR_MMAP, PARK_ADDR, PARK_LEN,
	    PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS |
	    MAP_FIXED_NOREPLACE, (uint64_t)-1, 0);
	if (addr < 0 && addr > -4096)
		addr = it_task_syscall(t, NR_MMAP, 0, PARK_LEN,
		    PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS,
		    (uint64_t)-1, 0);
	if ((addr < 0 && addr > -4096) ||
	    it_mem_poke(t, (uint64_t)addr, code, CODE_LEN) < 0 ||
	    !holds(t->t_tid, (uint64_t)addr))
		return;
	known = (uint64_t)addr;
}

void
park_regs(struct it_task *t, struct regs *r, uint64_t page)
{
	int	 n;

	/* The count, read once: a process gets a filter only through a
	 * call that stops (park_ensure). */
	if (own == -1)
		own = (n = filters(t->t_tid)) < 0 || n > base_filters;
	if (own) {
		arch_set_pc(r, page + OFF_SPIN);
		arch_set_arg(r, 0, spin_rounds);	/* rdi, edi */
	} else {
		arch_set_pc(r, page + (arch_is_compat(r) ? OFF_YIELD32 :
		    OFF_YIELD64));
		arch_set_arg(r, 0, yield_rounds);
	}
	arch_set_sysno(r, -1);
}
