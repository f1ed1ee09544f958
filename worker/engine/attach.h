/*
 * -p: attaching to a running process without a filter, and detaching
 * from it on request (attach.c).
 */
#ifndef ATTACH_H
#define ATTACH_H

#include <sys/types.h>

struct it_task;

/* -p: the supervisor's request to detach, sent to every worker until
 * each has let its process go (a signal that lands just before the
 * worker sleeps in waitpid is repaired by the next). */
#define WORKER_DETACH_SIG	(SIGRTMIN + 3)

/* Installs the handler of WORKER_DETACH_SIG (any worker of a -p run). */
void	attach_setup(int quiet);
/* The supervisor asked for a detach (it stays asked). */
int	attach_requested(void);
/* Seizes and interrupts every thread of pid (T_NEW | T_ATTACHED), says
 * "isotrace: Process N attached" unless -q; 0 or -errno. */
int	attach_process(pid_t pid);
/* An attached thread's first stop, signal sig: 1 if it is left in its
 * group-stop, 0 if the caller resumes it. */
int	attach_first_stop(struct it_task *, int sig);
/* Interrupts every task; a task already gone is forgotten. */
void	attach_interrupt_all(void);
/* Detaches t at its stop st, handing over a pending signal; a child
 * announced by a fork event there is added to be let go in turn. */
int	attach_release(struct it_task *, int st);

#endif
