/*
 * The seccomp-BPF prefilter: syscalls whose handler is the passthru default
 * run natively; the rest stop in the worker (SECCOMP_RET_TRACE).
 */
#ifndef SECCOMP_H
#define SECCOMP_H

#include <linux/filter.h>
#include <stdint.h>

#include <isotrace/isotrace.h>

/*
 * Builds the filter into prog; returns 0 or -1 (too large).  The program
 * is malloc'ed.  x86_64 calls in trap[] (every call: trap_all) stop in the
 * worker; calls of the other ABIs (compat.h) as compat_verdict says, with
 * handled[] the calls the table handles and strict its --sandbox rule,
 * stopping too when trap_all.  And:
 *   - clone3 fails with ENOSYS: its flags are in memory the filter cannot
 *     read, and libc falls back to clone;
 *   - clone with CLONE_UNTRACED fails with EPERM, on every ABI: it would
 *     escape tracing;
 *   - fork, vfork and clone always stop, on every ABI (see action_of);
 *   - futex with trap[] SECCOMP_TRAP_TIMED stops only when it can wait
 *     with a timeout (a wait, lock or requeue-wait with a non-NULL
 *     timeout pointer): a table's timed waits, not the lock traffic.
 * A stop carries no SECCOMP_RET_DATA the worker would believe: a
 * program's own filter can return RET_TRACE with any data.
 */
#define SECCOMP_TRAP_TIMED	2
/*
 * Other verdicts a trap[] entry can ask for instead of 1 (an observer's
 * |= 1 makes each an ordinary trap again):
 *   - SECCOMP_TRAP_SETLIMIT: prlimit64 stops only when it sets a limit
 *     (a new_limit pointer, args[2], that is not NULL);
 *   - SECCOMP_TRAP_ENOSYS: the call fails with ENOSYS in the filter;
 *   - SECCOMP_TRAP_IOCTL: ioctl stops only for the requests in ioctls
 *     (0-terminated; the low word of args[1], as the kernel reads it).
 */
#define SECCOMP_TRAP_SETLIMIT	4
#define SECCOMP_TRAP_ENOSYS	8
#define SECCOMP_TRAP_IOCTL	16
int	seccomp_build(const uint8_t trap[IT_NR_MAX],
	    const uint8_t handled[IT_NR_MAX], int trap_all, int strict,
	    const uint32_t *ioctls, struct sock_fprog *prog);
/* Installs prog in the calling process; 0 or -errno. */
int	seccomp_install(const struct sock_fprog *);

#endif
