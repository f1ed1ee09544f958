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

/* Where the park page goes in a 64-bit process if that is free: far
 * above any heap, far below the mmap area.  Its yield instruction is
 * the one the filter does not trap (seccomp.c). */
#define PARK_ADDR		0x10000000000ULL
#define PARK_YIELD_RET		(PARK_ADDR + 32 + 18)

/*
 * Makes sure the new process t (at its first stop, every signal blocked,
 * registers loaded) has a park page, mapping one by an injected mmap if
 * need be, and returns its address in *page.  compat: t's fork was an
 * int 0x80.  0, or -errno (t's registers are then changed: the caller
 * puts them back); *wstatus set (the caller sets it to -1 first): t died
 * meanwhile, this was its end.  A SIGSTOP that arrived meanwhile is kept
 * in *stopped.
 */
int	park_prepare(struct it_task *t, pid_t parent, int compat,
	    uint64_t *page, int *stopped, int *wstatus);
/* t is about to install a seccomp filter: maps the traced process's
 * page first, if it has none (by injection: t at a seccomp stop). */
void	park_ensure(struct it_task *t);
/* Registers r (t's own) made to run the park at page. */
void	park_regs(struct it_task *t, struct regs *r, uint64_t page);
/* Measures how long the park spins; once, before workers are forked. */
void	park_calibrate(void);
/* The page of the traced process, when known (a hand-off says it); 0
 * after an exec, which replaces the address space. */
void	park_known(uint64_t page);

#endif
