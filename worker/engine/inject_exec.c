/*
 * Injection at the exit stop of a successful execve.  The usual way back
 * into the kernel, re-executing the syscall instruction just left (pc
 * rewound by 2), is gone: the pc is the new image's entry point.  So the
 * thread is pointed at a syscall instruction of the new image's vDSO
 * (mapped even though auxv.c hides it from libc), single-stepped over it
 * once, and its registers restored by the engine as after any injection.
 * It costs one stop and a scan of the vDSO, once per exec.
 */
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "inject_exec.h"
#include "task.h"

#define VDSO_MAX	(64 * 1024)

/* The address of a syscall instruction (0f 05) in tid's vDSO, or 0. */
static uint64_t
vdso_syscall(struct it_task *t)
{
	static unsigned char	 code[VDSO_MAX];
	char			 path[64], line[256];
	uint64_t		 lo = 0, hi = 0, i;
	FILE			*f;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)t->t_tid);
	if ((f = fopen(path, "re")) == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strstr(line, "[vdso]") != NULL &&
		    sscanf(line, "%" SCNx64 "-%" SCNx64, &lo, &hi) == 2)
			break;
	fclose(f);
	if (hi <= lo || hi - lo > VDSO_MAX ||
	    it_mem_read(t, lo, code, (size_t)(hi - lo)) < 0)
		return 0;
	for (i = 0; i + 1 < hi - lo; i++)
		if (code[i] == 0x0f && code[i + 1] == 0x05)
			return lo + i;
	return 0;
}

/* Steps t over one instruction; seccomp stops on the way run on, a
 * signal is kept for delivery at the end of the handler. */
static int
step(struct it_task *t)
{
	int	 st, sig;

	if (ptrace(PTRACE_SINGLESTEP, t->t_tid, NULL, NULL) == -1)
		return -errno;
	for (;;) {
		if (waitpid(t->t_tid, &st, __WALL) == -1) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (!WIFSTOPPED(st)) {
			t->t_flags |= T_DEAD;
			t->t_lost = st;
			return -ESRCH;
		}
		sig = WSTOPSIG(st);
		if (sig == SIGTRAP && (st >> 16) == 0)
			return 0;
		if ((st >> 16) == 0)
			t->t_sig = sig;
		if (ptrace(PTRACE_SINGLESTEP, t->t_tid, NULL, NULL) == -1)
			return -errno;
	}
}

long
inject_exec_syscall(struct it_task *t, long nr, const uint64_t a[6])
{
	struct regs	 r;
	uint64_t	 pc;
	int		 i, e;

	/* A 32-bit image has no 64-bit syscall instruction to lend (and
	 * Intel CPUs fault on one in compat mode). */
	if (arch_is_compat(&t->t_saved) || (pc = vdso_syscall(t)) == 0)
		return -ENOSYS;
	r = t->t_saved;
	arch_call_at(&r, pc, nr);
	for (i = 0; i < 6; i++)
		arch_set_arg(&r, i, a[i]);
	t->t_flags &= ~(T_REGS | T_DIRTY);
	if (ptrace(PTRACE_SETREGS, t->t_tid, NULL, &r.r) == -1)
		return -errno;
	if ((e = step(t)) < 0)
		return e;
	if ((e = task_load_regs(t)) < 0)
		return e;
	return arch_result(&t->t_regs);
}
