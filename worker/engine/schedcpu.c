/*
 * Whether the thread that holds the turn, let go PREEMPT_MS of real time
 * ago without a stop, is to be preempted (schedwait.c).  Real time alone
 * misjudges a busy host: a thread that computes 20 ms but waits for a
 * CPU behind other machines' work looks like a thread that never stops,
 * and the run pays a hazard it did not cause.  So the
 * thread's state says which it is:
 * - running or runnable (R): once it has computed PREEMPT_MS of
 *   processor time since this first look (/proc/TID/schedstat);
 * - anything else (asleep in the kernel in a call the schedule could
 *   not tell would block, stopped, ending): at once, as before (a stop
 *   whose status the worker has not read yet is preempted too: the
 *   interrupt then costs nothing, but the hazard is told).
 * Read only for a thread that has already run that long: a step that
 * ends in time costs nothing more.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schedtab.h"
#include "task.h"

#define NS_PER_MS	1000000ULL

int
schedcpu_overdue(pid_t tid, uint64_t ms, uint64_t *mark)
{
	char		 path[64], buf[512], *p;
	uint64_t	 cpu;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)tid);
	if (task_proc_read(path, buf, sizeof(buf)) < 0 ||
	    (p = strrchr(buf, ')')) == NULL || p[1] == '\0' || p[2] != 'R')
		return 1;
	snprintf(path, sizeof(path), "/proc/%d/schedstat", (int)tid);
	if (task_proc_read(path, buf, sizeof(buf)) < 0)
		return 0;
	cpu = strtoull(buf, NULL, 10);
	if (*mark == 0) {
		*mark = cpu + 1;
		return 0;
	}
	return cpu + 1 - *mark >= ms * NS_PER_MS;
}
