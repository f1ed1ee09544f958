/*
 * Argument kinds of the syscall table: the C type a handler receives for
 * each kind.  syscalls.def names every argument by one of these kinds; this
 * file is the "type view" of them.  The worker's decoder has a second view
 * (worker/decode_kinds.h) that turns the same tokens into printing rules.
 *
 * Integer kinds are the C type the kernel itself truncates the register to,
 * so a handler sees exactly what the kernel would (an int fd is the low 32
 * bits of the register, sign included).
 *
 * Pointer kinds are never host pointers: they are small structs holding a
 * guest address, read and written only through the it_mem_* accessors.
 */
#ifndef ISOTRACE_KINDS_H
#define ISOTRACE_KINDS_H

/* Plain numbers. */
#define K_INT		int		/* signed int, printed in decimal */
#define K_UINT		unsigned int	/* unsigned int, decimal */
#define K_LONG		long		/* signed long, decimal */
#define K_ULONG		unsigned long	/* unsigned long, decimal */
#define K_SIZE		size_t		/* a byte or element count */
#define K_OFF		long long	/* a file offset (off_t, loff_t) */
#define K_HEX		unsigned long	/* a number best read in hex */
#define K_MODE		unsigned int	/* permission bits, printed in octal */

/* Numbers that name something. */
#define K_FD		int		/* a file descriptor */
#define K_DIRFD		int		/* a directory fd or AT_FDCWD */
#define K_PID		int		/* a pid, tid, pgid or sid */
#define K_UID		unsigned int	/* a user id */
#define K_GID		unsigned int	/* a group id */
#define K_SIG		int		/* a signal number */
#define K_CLOCK		int		/* a clockid_t */

/* Flag bits of a named set (xlat), printed as A|B|0x..; 32 or 64 bits. */
#define K_FLAGS(set)	unsigned int
#define K_LFLAGS(set)	unsigned long
/* One value of a named set (a command, an option), printed as its name. */
#define K_ENUM(set)	int

/* Guest addresses. */
#define K_ADDR		it_gaddr	/* an address never dereferenced (mmap) */
#define K_PTR		it_gptr		/* a pointer to data of no fixed type */
#define K_STR		it_gp_str	/* a NUL-terminated string */
#define K_PATH		it_gp_str	/* a NUL-terminated file name */
#define K_STRV		it_gptr		/* a NULL-terminated array of strings */
#define K_IBUF		it_gptr		/* bytes read by the kernel; the length
					   is the next argument */
#define K_OBUF		it_gptr		/* bytes written by the kernel; the
					   length is the result */
#define K_IN(s)		it_gp_##s	/* a struct (or array) the kernel reads */
#define K_OUT(s)	it_gp_##s	/* a struct (or array) the kernel fills */
#define K_INOUT(s)	it_gp_##s	/* a struct the kernel reads and fills */

/* Only meaningful as a result kind: the call does not return (exit). */
#define K_NORET		long

#endif
