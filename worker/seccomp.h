/*
 * The seccomp-BPF prefilter: syscalls whose handler is the passthru default
 * run natively; the rest stop in the worker (SECCOMP_RET_TRACE).
 */
#ifndef SECCOMP_H
#define SECCOMP_H

#include <linux/filter.h>
#include <stdint.h>

#include <isotrace/isotrace.h>

/* SECCOMP_RET_DATA of a trap, read back as ptrace_syscall_info ret_data. */
#define SECCOMP_DATA_NATIVE	0	/* an x86_64 syscall of the table */
#define SECCOMP_DATA_FOREIGN	1	/* int 0x80, x32 or unknown number */

#define SECCOMP_I386_PAUSE	29	/* __NR_pause of the int 0x80 table */
/* "isotrace": pause() ignores its registers, a program never sets this. */
#define SECCOMP_PARK_MAGIC	0x69736f7472616365ULL

/*
 * Builds the filter for trap[] (trap_all: every syscall), into prog;
 * returns 0 or -1 (too large).  The program is malloc'ed.
 *   - clone3 fails with ENOSYS: its flags are in memory the filter cannot
 *     read, and libc falls back to clone;
 *   - clone with CLONE_UNTRACED fails with EPERM: it would escape tracing;
 *   - other architectures (int 0x80) and x32 numbers always trap;
 *   - pause() whose first argument register holds SECCOMP_PARK_MAGIC
 *     never traps: a process being handed to a new worker sleeps in it,
 *     untraced (handoff.c), where a trapped call would fail with ENOSYS and
 *     let it run on.  Any other pause() is trapped as its slot says.
 */
int	seccomp_build(const uint8_t trap[IT_NR_MAX], int trap_all,
	    struct sock_fprog *prog);
/* Installs prog in the calling process; 0 or -errno. */
int	seccomp_install(const struct sock_fprog *);

#endif
