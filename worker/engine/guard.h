/*
 * isotrace's own processes (the supervisor and the workers) are out of
 * the traced program's reach, in every mode: the calls that could signal,
 * trace, read, write or reschedule another process are trapped whatever
 * the table says, and refused (EPERM) when they would reach one of ours.
 * kill(0), kill(-pgrp) and kill(-1) that include ours are emulated: every
 * other process they would reach is signalled by the caller itself.
 */
#ifndef GUARD_H
#define GUARD_H

#include <sys/types.h>
#include <stdint.h>

#include <isotrace/isotrace.h>

/* In the worker, before its first tracee: who the supervisor is, and
 * whether kill(-1) is confined to the run (--sandbox). */
void	guard_init(int sandboxed);
/* Adds the guarded calls to the trap set. */
void	guard_traps(uint8_t trap[IT_NR_MAX]);
/* A new traced process: does it see our pids (same pid namespace)? */
void	guard_process(pid_t);
/* After the table let call nr run (IT_RUN_ORIGINAL): the same, or a
 * result in its place.  Reads the arguments as the handler left them. */
long	guard_call(struct it_task *, long nr);
/* Is pid (of the worker's pid namespace) isotrace's own? */
int	guard_ours(pid_t);

#endif
