/*
 * Classes of system calls, as strace names them for -e trace=%CLASS.
 * The membership is data: include/isotrace/sysclass.def.
 */
#ifndef SYSCLASS_H
#define SYSCLASS_H

#include <stdint.h>

enum sysclass {
	SC_DESC		= 1U << 0,
	SC_FILE		= 1U << 1,
	SC_PROCESS	= 1U << 2,
	SC_NETWORK	= 1U << 3,
	SC_SIGNAL	= 1U << 4,
	SC_MEMORY	= 1U << 5,
	SC_IPC		= 1U << 6,
	SC_CREDS	= 1U << 7,
	SC_CLOCK	= 1U << 8,
	SC_STAT		= 1U << 9,
	SC_LSTAT	= 1U << 10,
	SC_FSTAT	= 1U << 11,
	SC_STAT_LIKE	= 1U << 12,
	SC_STATFS	= 1U << 13,
	SC_FSTATFS	= 1U << 14,
	SC_STATFS_LIKE	= 1U << 15,
	SC_PURE		= 1U << 16,
};

/* The SC_* bits of syscall nr (0 for none, or for no such syscall). */
uint32_t	sysclass_of(long nr);
/* The bit of a class named without its leading '%' ("file", "%stat"),
 * or 0 for an unknown name. */
uint32_t	sysclass_lookup(const char *name);
/* The class names, in order, for messages: "%desc, %file, ...". */
const char	*sysclass_names(void);

#endif
