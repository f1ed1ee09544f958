/*
 * Times on trace lines, as strace prints them: -t, -tt, -ttt put the
 * wall-clock time of a call's entry (or of a signal, an exit) after the
 * "[pid N] " prefix; -T appends the time the call took, " <0.000012>".
 */
#ifndef STAMP_H
#define STAMP_H

#include <stdint.h>

struct sbuf;
struct it_task;

enum stamp_clock {
	STAMP_NONE,
	STAMP_SECONDS,		/* -t	17:15:51 */
	STAMP_MICRO,		/* -tt	17:15:51.093654 */
	STAMP_EPOCH,		/* -ttt	1796058950.870203 */
};

void		stamp_configure(enum stamp_clock, int spent);
/* Read the wall clock for every line even without -t (--json). */
void		stamp_want_wall(void);
/* A monotonic clock in ns, for the time a call takes. */
uint64_t	stamp_now(void);
/* "HH:MM:SS " and so on, or nothing without -t.  Returns the wall-clock
 * time it read (CLOCK_REALTIME, ns), 0 when it read none. */
uint64_t	stamp_prefix(struct sbuf *);
/* " <s.uuuuuu>" of t->t_spent, or nothing without -T. */
void		stamp_suffix(struct sbuf *, const struct it_task *);

#endif
