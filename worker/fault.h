/* Instructions the sandbox makes fault and answers (worker/fault.c). */
#ifndef FAULT_H
#define FAULT_H

struct it_task;

/* t stopped with a SIGSEGV: if the kernel sent it for a cpuid under
 * CPUID faulting, answer it and step over: 1; else 0 (deliver it). */
int	fault_cpuid(struct it_task *);

#endif
