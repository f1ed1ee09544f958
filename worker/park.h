/*
 * The park page: the code a new process runs, untraced, while it waits
 * for its new worker (handoff.c).
 */
#ifndef PARK_H
#define PARK_H

#include <sys/types.h>
#include <stdint.h>

struct it_task;
struct regs;

/*
 * Makes sure the new process t (at its first stop, every signal blocked,
 * registers loaded) has a park page, mapping one by an injected mmap if
 * need be, and returns its address in *page.  compat: t's fork was an
 * int 0x80.  0, or -errno (t's registers are then changed: the caller
 * puts them back); -ESRCH with *wstatus set: t died meanwhile.  A SIGSTOP
 * that arrived meanwhile is kept in *stopped.
 */
int	park_prepare(struct it_task *t, pid_t parent, int compat,
	    uint64_t *page, int *stopped, int *wstatus);
/* Registers r (t's own) made to run the park at page. */
void	park_regs(struct regs *r, uint64_t page);
/* The page of the traced process, when known (a hand-off says it); 0
 * after an exec, which replaces the address space. */
void	park_known(uint64_t page);

#endif
