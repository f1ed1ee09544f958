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
 * parent's): PAUSE in rounds of SPIN, with a sched_yield between rounds
 * so that the worker that must adopt it is not kept from the CPU.  The
 * yield's result is ignored: a filter that refuses it changes nothing.
 * After ROUNDS rounds (about a second of its own CPU time here) a child
 * that nobody adopted executes ud2: SIGILL, blocked like every signal
 * while parked, kills it.  A parked process never outlives isotrace.
 *
 * The same code serves 64-bit and 32-bit processes; only the yield
 * differs (syscall with the x86_64 number, int 0x80 with the i386 one),
 * and the counter registers are those no syscall instruction clobbers.
 */
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "park.h"
#include "task.h"

#define PARK_LEN	4096
#define SPIN		128		/* PAUSEs per yield: 3 us here */
#define ROUNDS		262144		/* yields before giving up */
#define NR_MMAP		9		/* x86_64 */
#define NR_MMAP2_I386	192
#define NR_YIELD	24
#define NR_YIELD_I386	158

#define CODE_LEN	24
static const unsigned char code64[CODE_LEN] = {
	0xbe, SPIN, 0, 0, 0,		/* top:  mov $SPIN, %esi	*/
	0xf3, 0x90,			/* spin: pause			*/
	0xff, 0xce,			/*	 dec %esi		*/
	0x75, 0xfa,			/*	 jnz spin		*/
	0xb8, NR_YIELD, 0, 0, 0,	/*	 mov $NR_YIELD, %eax	*/
	0x0f, 0x05,			/*	 syscall		*/
	0xff, 0xcf,			/*	 dec %edi (rounds left)	*/
	0x75, 0xea,			/*	 jnz top		*/
	0x0f, 0x0b,			/*	 ud2			*/
};
static const unsigned char code32[CODE_LEN] = {
	0xbe, SPIN, 0, 0, 0,
	0xf3, 0x90,
	0xff, 0xce,
	0x75, 0xfa,
	0xb8, NR_YIELD_I386, 0, 0, 0,
	0xcd, 0x80,			/*	 int $0x80		*/
	0xff, 0xcf,
	0x75, 0xea,
	0x0f, 0x0b,
};

static uint64_t	 known;		/* the traced process's page, 0: none */

void
park_known(uint64_t page)
{
	known = page;
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
holds(pid_t pid, uint64_t page, const unsigned char *code)
{
	unsigned char	 buf[CODE_LEN];

	return page != 0 && peek(pid, page, buf, sizeof(buf)) == 0 &&
	    memcmp(buf, code, CODE_LEN) == 0;
}

/*
 * Runs mmap in t, whose registers are loaded and whose pc is just past
 * its fork's syscall instruction: single-steps that instruction again as
 * mmap.  Nothing of the program runs: every signal is blocked, and the
 * step ends right after the instruction.
 */
static long
inject_mmap(struct it_task *t, int compat, int *stopped, int *wstatus)
{
	struct regs	 r = t->t_regs;
	int		 st, sig;

	arch_set_pc(&r, arch_pc(&r) - ARCH_SYSCALL_INSN_LEN);
	arch_set_sysno(&r, -1);
	if (compat) {
		arch_set_result(&r, NR_MMAP2_I386);
		arch_set_compat_arg(&r, 0, 0);
		arch_set_compat_arg(&r, 1, PARK_LEN);
		arch_set_compat_arg(&r, 2, PROT_READ | PROT_EXEC);
		arch_set_compat_arg(&r, 3, MAP_PRIVATE | MAP_ANONYMOUS);
		arch_set_compat_arg(&r, 4, (uint32_t)-1);
		arch_set_compat_arg(&r, 5, 0);
	} else {
		arch_set_result(&r, NR_MMAP);
		arch_set_arg(&r, 0, 0);
		arch_set_arg(&r, 1, PARK_LEN);
		arch_set_arg(&r, 2, PROT_READ | PROT_EXEC);
		arch_set_arg(&r, 3, MAP_PRIVATE | MAP_ANONYMOUS);
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
	const unsigned char	*code;
	long			 addr;

	code = arch_is_compat(&t->t_regs) ? code32 : code64;
	if (holds(t->t_tid, known, code)) {
		*page = known;
		return 0;
	}
	addr = inject_mmap(t, compat, stopped, wstatus);
	if (addr < 0 && addr > -4096)
		return (int)addr;
	/* Written through /proc/PID/mem: the page is not writable. */
	if (it_mem_write(t, (uint64_t)addr, code, CODE_LEN) < 0 ||
	    !holds(t->t_tid, (uint64_t)addr, code))
		return -EFAULT;
	/* A child that shares its parent's memory (vfork, CLONE_VM) made
	 * the page for both. */
	if (holds(parent, (uint64_t)addr, code))
		known = (uint64_t)addr;
	*page = (uint64_t)addr;
	return 0;
}

void
park_regs(struct regs *r, uint64_t page)
{
	arch_set_pc(r, page);
	arch_set_arg(r, 0, ROUNDS);	/* rdi, edi: the rounds left */
	arch_set_sysno(r, -1);
}
