/* Injection at the exit stop of an execve (worker/inject_exec.c). */
#ifndef INJECT_EXEC_H
#define INJECT_EXEC_H

#include <stdint.h>

struct it_task;

/* Runs syscall nr with arguments a in t, stopped at the exit of a
 * successful execve with t_saved holding its registers: the result. */
long	inject_exec_syscall(struct it_task *, long nr, const uint64_t a[6]);

#endif
