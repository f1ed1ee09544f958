/*
 * -c: a worker counts the calls, errors and time of the syscalls its
 * process makes, and sends the totals to the supervisor (which adds up
 * all workers and prints strace's table) when the process has ended.
 */
#ifndef TALLY_H
#define TALLY_H

#include <stdint.h>

/* One call of nr that returned result after ns nanoseconds. */
void	tally_add(long nr, long result, uint64_t ns);
/* Sends what was counted as one Tally message and starts afresh;
 * 0 or -errno (nothing counted: nothing sent). */
int	tally_send(int chan);

#endif
