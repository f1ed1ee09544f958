/*
 * "The Linux table": views of syscalls.def that a tool needs.
 *
 *	enum it_sysno	IT_SYS_<name> = number, for every x86_64 syscall
 *	struct it_table	one typed handler pointer per syscall, named as
 *			the syscall, arguments typed by their kinds.h kind
 *
 * Included from isotrace.h; do not include directly.
 */
#ifndef ISOTRACE_TABLE_H
#define ISOTRACE_TABLE_H

#include <isotrace/kinds.h>

struct it_task;

/* Parameter lists of the handler prototypes, in the type view. */
#define IT_P0()				void
#define IT_P1(k1, n1)			k1 n1
#define IT_P2(k1, n1, k2, n2)		k1 n1, k2 n2
#define IT_P3(k1, n1, k2, n2, k3, n3)	k1 n1, k2 n2, k3 n3
#define IT_P4(k1, n1, k2, n2, k3, n3, k4, n4) \
	k1 n1, k2 n2, k3 n3, k4 n4
#define IT_P5(k1, n1, k2, n2, k3, n3, k4, n4, k5, n5) \
	k1 n1, k2 n2, k3 n3, k4 n4, k5 n5
#define IT_P6(k1, n1, k2, n2, k3, n3, k4, n4, k5, n5, k6, n6) \
	k1 n1, k2 n2, k3 n3, k4 n4, k5 n5, k6 n6

enum it_sysno {
#define SYS_EACH(nr, name)	IT_SYS_##name = nr,
#include <isotrace/sys_each.h>
#include <isotrace/syscalls.def>
#include <isotrace/sys_undef.h>
#undef SYS_EACH
};

/* One past the highest syscall number in the table. */
#define IT_NR_MAX	512

struct it_table {
#define SYS0(nr, name, ret) \
	long (*name)(struct it_task *);
#define SYS1(nr, name, ret, ...) \
	long (*name)(struct it_task *, IT_P1(__VA_ARGS__));
#define SYS2(nr, name, ret, ...) \
	long (*name)(struct it_task *, IT_P2(__VA_ARGS__));
#define SYS3(nr, name, ret, ...) \
	long (*name)(struct it_task *, IT_P3(__VA_ARGS__));
#define SYS4(nr, name, ret, ...) \
	long (*name)(struct it_task *, IT_P4(__VA_ARGS__));
#define SYS5(nr, name, ret, ...) \
	long (*name)(struct it_task *, IT_P5(__VA_ARGS__));
#define SYS6(nr, name, ret, ...) \
	long (*name)(struct it_task *, IT_P6(__VA_ARGS__));
#include <isotrace/syscalls.def>
#include <isotrace/sys_undef.h>
};

/* The passthru table: every slot lets the kernel run the call. */
extern const struct it_table it_passthru;

/* The name of syscall nr, or NULL outside the table. */
const char	*it_sysname(long nr);

#endif
