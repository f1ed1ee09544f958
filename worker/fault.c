/*
 * CPUID under CPUID faulting (arch_prctl ARCH_SET_CPUID 0, set by the
 * sandbox's cpu family): the instruction raises #GP, which the kernel
 * turns into a SIGSEGV with si_code SI_KERNEL at the cpuid itself.  The
 * worker answers it from the sandbox's fixed CPU and steps over it, as
 * engine.c does for rdtsc; the program's handler never runs.
 */
#include <sys/ptrace.h>
#include <signal.h>

#include "arch.h"
#include "fault.h"
#include "sandbox/sandbox.h"
#include "engine/task.h"

#define CPUID_LEN	2	/* 0f a2 */

int
fault_cpuid(struct it_task *t)
{
	unsigned char	 insn[CPUID_LEN];
	siginfo_t	 si;
	uint32_t	 leaf, sub, r[4];
	uint64_t	 pc;

	/* A SIGSEGV sent by kill() is the program's, wherever it stopped. */
	if (ptrace(PTRACE_GETSIGINFO, t->t_tid, NULL, &si) == -1 ||
	    si.si_code != SI_KERNEL || task_load_regs(t) < 0)
		return 0;
	pc = arch_pc(&t->t_regs);
	if (it_mem_read(t, pc, insn, sizeof(insn)) < 0 || insn[0] != 0x0f ||
	    insn[1] != 0xa2)
		return 0;
	arch_cpuid_args(&t->t_regs, &leaf, &sub);
	cpu_cpuid(leaf, sub, r);
	arch_set_cpuid(&t->t_regs, r);
	arch_set_pc(&t->t_regs, pc + CPUID_LEN);
	t->t_flags |= T_DIRTY;
	return 1;
}
