/*
 * Scratch memory: guest memory for the arguments a handler makes up (a
 * sockaddr for an injected connect, a msghdr the kernel fills for the
 * program's) and for what it keeps from a call's entry to its exit.
 *
 * It must be memory the program does not own.  Below the stack pointer
 * is not: a coroutine or green thread runs on a small stack of its own,
 * and whatever lies below its sp (another coroutine's frames, the end of
 * an array) is the program's; a sigaltstack handler's sp is just as
 * arbitrary.  So each thread that needs scratch gets an anonymous mapping
 * of its own, made once by an injected mmap.  Per thread, because a
 * blocking call keeps its scratch until its exit while the process's
 * other threads make calls of their own.
 *
 * A thread that is gone leaves its mapping to the next thread that needs
 * one.  execve replaces the address space, so every mapping is forgotten
 * then (a generation count tells the ones a dying thread of the old image
 * gives back), and so is every mapping when the worker moves on to
 * another process (engine_trace).  A new process never takes its parent's: after a fork it
 * holds private copies, but after vfork or clone(CLONE_VM) it shares them
 * with the parent, whose threads still use them.  So the child maps its
 * own, and the copies a fork inherits stay untouched, costing no memory.
 */
#include <sys/mman.h>
#include <sys/syscall.h>
#include <stdlib.h>

#include "../../common/log.h"
#include "task.h"

#define SCRATCH_SIZE	16384

static uint64_t	*spare;		/* mappings of threads that are gone */
static size_t	 nspare, spare_cap;
static unsigned	 generation;	/* execs seen */

uint64_t
it_task_scratch(struct it_task *t, size_t len)
{
	long	 r;

	if (len > SCRATCH_SIZE)
		return 0;
	if (t->t_scratch != 0 && t->t_scratch_gen == generation)
		return t->t_scratch;
	t->t_scratch_gen = generation;
	if (nspare > 0) {
		t->t_scratch = spare[--nspare];
		return t->t_scratch;
	}
	r = it_task_syscall(t, SYS_mmap, 0, SCRATCH_SIZE,
	    PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, (uint64_t)-1,
	    0);
	if (r < 0 && r > -4096) {
		log_debug("tid %d: no scratch mapping: %ld", (int)t->t_tid, r);
		t->t_scratch = 0;
		return 0;
	}
	t->t_scratch = (uint64_t)r;
	return t->t_scratch;
}

void
scratch_release(struct it_task *t)
{
	uint64_t	*n;

	if (t->t_scratch == 0 || t->t_scratch_gen != generation)
		return;
	if (nspare == spare_cap) {
		if ((n = reallocarray(spare, spare_cap + 16,
		    sizeof(*spare))) == NULL)
			return;		/* a mapping lost, no harm */
		spare = n;
		spare_cap += 16;
	}
	spare[nspare++] = t->t_scratch;
	t->t_scratch = 0;
}

void
scratch_exec(void)
{
	generation++;
	nspare = 0;
}
