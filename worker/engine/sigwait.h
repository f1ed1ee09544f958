/*
 * A signal the thread ignores, arriving while it waits in
 * rt_sigtimedwait for others, must go unnoticed as it does natively
 * (sigwait.c).
 */
#ifndef SIGWAIT_H
#define SIGWAIT_H

#include <stdint.h>

#include <isotrace/isotrace.h>

/* Adds rt_sigtimedwait to the trap set. */
void	sigwait_traps(uint8_t trap[IT_NR_MAX]);
/* At the seccomp stop of call nr that is to run: its deadline. */
void	sigwait_entry(struct it_task *, long nr);
/* At the delivery stop of sig: 1 if the signal is to be dropped (and the
 * wait resumed), 0 to deliver it. */
int	sigwait_spurious(struct it_task *, int sig);

#endif
