/*
 * Waiting for the next ptrace stop.  On a virtual machine an idle vCPU
 * halts, and waking a halted vCPU costs tens of microseconds, more than
 * the stop itself: a tracer that sleeps in waitpid on one vCPU while its
 * tracee runs a short syscall on the other pays that wake at every stop
 * (measured on a 2-vCPU Firecracker guest: 120 us per getppid under
 * --verbose, against 16 us with both on one vCPU).  The scheduler puts
 * a woken task on an idle vCPU rather than beside its waker, so the two
 * cannot be kept together without changing the tracee's own affinity,
 * which the program would see.
 *
 * So the worker polls with WNOHANG for a few tens of microseconds, as
 * long as a stop typically takes to come, before it blocks: its vCPU
 * stays awake and the stop is seen without a wake-up.  The poll yields
 * the CPU at every turn, so a runnable task (the tracee itself, woken on
 * this vCPU) runs first.  When the last stops all came later than the
 * spin (a tracee computing, or blocked in read or wait4), the worker
 * stops spinning and blocks at once until a stop comes quickly again.
 */
#include <sys/wait.h>
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <time.h>

#include "layer.h"
#include "waitstop.h"

#define SPIN_NS		50000	/* about a halted vCPU's wake-up, twice */
#define MISSES_MAX	8	/* late stops in a row before giving up */

static unsigned	 misses;

static uint64_t
now_ns(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
}

/* Tells the layers whether the worker sleeps (their output can go). */
static void
waitstop_idle(int idle)
{
	const struct it_layer	*l;

	LAYER_EACH(l, l_idle)
		l->l_idle(idle);
}

pid_t
waitstop_any(int *st)
{
	uint64_t	 start = now_ns();
	pid_t		 pid;

	if (misses < MISSES_MAX) {
		do {
			if ((pid = waitpid(-1, st, __WALL | WNOHANG)) != 0) {
				misses = 0;
				waitstop_idle(0);
				return pid;
			}
			sched_yield();
		} while (now_ns() - start < SPIN_NS);
	}
	/* Asleep, this worker can publish nothing dated before now. */
	waitstop_idle(1);
	pid = waitpid(-1, st, __WALL);
	waitstop_idle(0);
	if (now_ns() - start < SPIN_NS)
		misses = 0;
	else if (misses < MISSES_MAX)
		misses++;
	return pid;
}
