/*
 * Makes every x86_64 syscall number of the table (0..334, 424..469) once, with all arguments 0,
 * after installing a seccomp filter that fails each of them with ENOSYS:
 * nothing runs, but a tracer that stops at syscall entry (strace without
 * --seccomp-bpf) sees every number.  The tests use it to read strace's
 * own class membership (-e trace=%file ...) and compare it with
 * isotrace's.  Exits 0 through exit_group with CALLALL_MAGIC in its
 * second argument, the only call the filter lets through.
 */
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <unistd.h>

#define CALLALL_MAGIC	0x63616c6cU	/* "call" */
#define NR_LAST		469
/*
 * 335..423 are no syscalls of the table; the kernel gives 335 and 336 to
 * uretprobe and uprobe, which seccomp lets through and which raise
 * SIGILL outside a probe trampoline.
 */
#define NR_GAP_FIRST	335
#define NR_GAP_END	424

int
main(void)
{
	struct sock_filter	 insn[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_exit_group, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, args[1])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, CALLALL_MAGIC, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
	};
	struct sock_fprog	 prog = { sizeof(insn) / sizeof(insn[0]), insn };
	long			 nr;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == -1) {
		perror("seccomp");
		return 1;
	}
	for (nr = 0; nr <= NR_LAST; nr++)
		if (nr < NR_GAP_FIRST || nr >= NR_GAP_END)
			syscall(nr, 0, 0, 0, 0, 0, 0);
	syscall(SYS_exit_group, 0, CALLALL_MAGIC);
	return 1;
}
