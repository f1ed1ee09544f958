/*
 * The trace merger (merge.c): every worker's trace ring, written to the
 * trace output in event order within MERGE_BOUND_MS.
 */
#ifndef MERGE_H
#define MERGE_H

#define MERGE_BOUND_MS	50	/* from a record's publication to write(2) */

struct merge_src;

/* Makes the merger write to fd; -1 if its eventfd or timerfd fail. */
int	merge_init(int fd, const char *name);
int	merge_active(void);
/* poll these two; merge_run() after either is readable. */
int	merge_wake_fd(void);
int	merge_tick_fd(void);
/* A ring for the worker about to be forked (NULL when inactive). */
struct merge_src	*merge_add(void);
/* In that worker, after the fork. */
void	merge_child(struct merge_src *);
/* Its worker is reaped: what is left in its ring is all there will be. */
void	merge_gone(struct merge_src *);
/* Writes what may be written; final: everything (every worker ended). */
void	merge_run(int final);

#endif
