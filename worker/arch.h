/*
 * The only interface to user_regs_struct: everything else in the worker
 * speaks of syscall numbers, arguments and results.
 */
#ifndef ARCH_H
#define ARCH_H

#include <sys/user.h>
#include <stdint.h>

struct regs {
	struct user_regs_struct	r;
};

long		arch_sysno(const struct regs *);
void		arch_set_sysno(struct regs *, long);
uint64_t	arch_arg(const struct regs *, int);
void		arch_set_arg(struct regs *, int, uint64_t);
void		arch_set_compat_arg(struct regs *, int, uint32_t);
void		arch_set_tsc(struct regs *, uint64_t tsc, int with_aux);
void		arch_cpuid_args(const struct regs *, uint32_t *leaf,
		    uint32_t *sub);
void		arch_set_cpuid(struct regs *, const uint32_t r[4]);
long		arch_result(const struct regs *);
void		arch_set_result(struct regs *, long);
uint64_t	arch_pc(const struct regs *);
void		arch_set_pc(struct regs *, uint64_t);
uint64_t	arch_sp(const struct regs *);
/* Makes the thread run syscall nr from the syscall instruction at pc. */
void		arch_call_at(struct regs *, uint64_t pc, long nr);
/* Makes the thread re-execute the syscall instruction it just left. */
void		arch_rewind_syscall(struct regs *, long nr);
/* True when the stop came from a 32-bit (int 0x80) call. */
int		arch_is_compat(const struct regs *);

/* Length of the syscall instruction (syscall, int 0x80 and sysenter). */
#define ARCH_SYSCALL_INSN_LEN	2

#endif
