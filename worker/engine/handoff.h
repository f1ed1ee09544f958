#ifndef HANDOFF_H
#define HANDOFF_H

#include <sys/types.h>
#include <stddef.h>

struct it_task;
struct channel_handoff;

/*
 * Parks t (a new process at its first stop, created by parent named comm),
 * detaches it and sends the hand-off on chan, with the child's per-process
 * state (statelen bytes, may be 0; nofilter: the process runs without
 * our seccomp filter (-p), and its new worker must trace it with
 * PTRACE_SYSCALL), and waits until a worker has adopted
 * it.  0: adopted; 1: t died meanwhile (*wstatus says how); 2: nobody
 * could adopt it and it was killed (the fork must fail: EAGAIN); -errno:
 * t is still traced here, as it was.
 */
int	handoff_park(struct it_task *t, pid_t parent, const char *comm,
	    const void *state, size_t statelen, int nofilter, int chan,
	    int *wstatus);
/* The child handoff_park has detached and nobody adopted yet, or 0;
 * async-signal-safe. */
pid_t	handoff_parked(void);
/*
 * Seizes the parked process h->pid and resumes it as it was.  0: traced
 * by this worker now; 1: it was killed while parked (*wstatus tells how);
 * -errno: it could not be seized.
 */
int	handoff_adopt(const struct channel_handoff *h, int *wstatus);

#endif
