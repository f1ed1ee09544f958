/*
 * System calls of the other x86 ABIs a 64-bit process can reach: int 0x80
 * (the i386 table, also from a 64-bit program) and x32 (numbers with
 * __X32_SYSCALL_BIT).  The table's handlers know only the x86_64 layout,
 * so such a call may never run natively when its x86_64 twin is handled:
 * it fails with ENOSYS instead.  Both the seccomp filter and the engine
 * decide with compat_verdict, so a call reaching the worker by another
 * path (the program's own filter) gets the same answer.
 */
#ifndef COMPAT_H
#define COMPAT_H

#include <stdint.h>

#include <isotrace/isotrace.h>

#define COMPAT_X32_BIT	0x40000000U

enum compat_abi {
	COMPAT_NATIVE = -1,
	COMPAT_I386,
	COMPAT_X32,
};

enum compat_verdict {
	CV_RUN,		/* runs as asked */
	CV_ENOSYS,	/* fails with ENOSYS */
	CV_CLONE,	/* clone: EPERM with CLONE_UNTRACED, else a fork */
	CV_FORK,	/* fork or vfork: the worker sees it (seccomp.c) */
};
/*
 * CV_CLONE and CV_FORK calls go through the table's slot of their twin:
 * fork and vfork take no argument, and clone has its flags and parent
 * tid pointer where x86_64 has them (i386 swaps only tls and child tid).
 */

/* Highest number of each ABI (x32: with the bit). */
#define COMPAT_I386_LAST	600U
#define COMPAT_X32_LAST		(COMPAT_X32_BIT + 600U)

/* The (first) x86_64 twin of call nr of abi, or -1. */
long		compat_twin(enum compat_abi abi, uint32_t nr);
/* The ABI of a trapped call, from what the kernel reported of it (never
 * from the filter's data, which a program's own filter can forge). */
enum compat_abi	compat_abi(uint32_t arch, uint64_t nr);
/*
 * What isotrace does with call nr of abi.  handled: the x86_64 numbers
 * the table handles; strict (--sandbox): a call with no x86_64 twin fails
 * too, since nothing proves it harmless.
 */
enum compat_verdict compat_verdict(enum compat_abi abi, uint32_t nr,
	    const uint8_t handled[IT_NR_MAX], int strict);

#endif
