#include "arch.h"

/* Kernel order of syscall arguments on x86_64 (r10, not rcx: syscall
 * clobbers rcx with the return address). */
long
arch_sysno(const struct regs *g)
{
	return (long)g->r.orig_rax;
}

void
arch_set_sysno(struct regs *g, long nr)
{
	g->r.orig_rax = (unsigned long long)nr;
}

uint64_t
arch_arg(const struct regs *g, int i)
{
	switch (i) {
	case 0:	return g->r.rdi;
	case 1:	return g->r.rsi;
	case 2:	return g->r.rdx;
	case 3:	return g->r.r10;
	case 4:	return g->r.r8;
	case 5:	return g->r.r9;
	}
	return 0;
}

void
arch_set_arg(struct regs *g, int i, uint64_t v)
{
	switch (i) {
	case 0:	g->r.rdi = v; break;
	case 1:	g->r.rsi = v; break;
	case 2:	g->r.rdx = v; break;
	case 3:	g->r.r10 = v; break;
	case 4:	g->r.r8 = v; break;
	case 5:	g->r.r9 = v; break;
	}
}

long
arch_result(const struct regs *g)
{
	return (long)g->r.rax;
}

void
arch_set_result(struct regs *g, long v)
{
	g->r.rax = (unsigned long long)v;
}

uint64_t
arch_pc(const struct regs *g)
{
	return g->r.rip;
}

void
arch_set_pc(struct regs *g, uint64_t pc)
{
	g->r.rip = pc;
}

uint64_t
arch_sp(const struct regs *g)
{
	return g->r.rsp;
}

void
arch_rewind_syscall(struct regs *g, long nr)
{
	g->r.rip -= ARCH_SYSCALL_INSN_LEN;
	g->r.rax = (unsigned long long)nr;
	g->r.orig_rax = (unsigned long long)nr;
}

/* A 64-bit task runs with the user code segment 0x33; int 0x80 from such a
 * task keeps cs 0x33 but the kernel marks it compat: TS_COMPAT is not
 * visible, so look at the segment of 32-bit tasks only. */
int
arch_is_compat(const struct regs *g)
{
	return g->r.cs == 0x23;
}

/* int 0x80 passes its arguments in ebx, ecx, edx, esi, edi, ebp. */
void
arch_set_compat_arg(struct regs *g, int i, uint32_t v)
{
	switch (i) {
	case 0:	g->r.rbx = v; break;
	case 1:	g->r.rcx = v; break;
	case 2:	g->r.rdx = v; break;
	case 3:	g->r.rsi = v; break;
	case 4:	g->r.rdi = v; break;
	case 5:	g->r.rbp = v; break;
	}
}

/* rdtsc leaves the counter in edx:eax; rdtscp also the CPU in ecx. */
void
arch_set_tsc(struct regs *g, uint64_t tsc, int with_aux)
{
	g->r.rax = tsc & 0xffffffffULL;
	g->r.rdx = tsc >> 32;
	if (with_aux)
		g->r.rcx = 0;
}

/* cpuid reads its leaf in eax and subleaf in ecx, answers in eax..edx
 * (zero-extended: it writes the 32-bit registers). */
void
arch_cpuid_args(const struct regs *g, uint32_t *leaf, uint32_t *sub)
{
	*leaf = (uint32_t)g->r.rax;
	*sub = (uint32_t)g->r.rcx;
}

void
arch_set_cpuid(struct regs *g, const uint32_t r[4])
{
	g->r.rax = r[0];
	g->r.rbx = r[1];
	g->r.rcx = r[2];
	g->r.rdx = r[3];
}

/* Not in a syscall (orig_rax -1), rax the number the instruction reads. */
void
arch_call_at(struct regs *g, uint64_t pc, long nr)
{
	g->r.rip = pc;
	g->r.orig_rax = (unsigned long long)-1;
	g->r.rax = (unsigned long long)nr;
}
