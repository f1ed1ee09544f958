/*
 * Views of syscalls.def that act on handler tables: the passthru defaults,
 * filling a tool's empty slots, the typed call of a slot from raw
 * registers, and the set of slots that need a trap.
 */
#include <string.h>

#include <isotrace/isotrace.h>

#include "table_impl.h"

/*
 * A raw 64-bit register to an argument of the handler's type.  Copying
 * the low bytes is what the kernel does: an int argument is the low 32 bits
 * of its register, sign included; a guest pointer keeps all 64.
 */
#define IT_ARG(type, raw)						\
	({ type v_; memcpy(&v_, &(raw), sizeof(v_)); v_; })

/* The passthru default of each slot: let the kernel run the call. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#define SYS0(nr, name, ret)						\
	static long dflt_##name(struct it_task *k)			\
	{ return IT_RUN_ORIGINAL; }
#define SYS1(nr, name, ret, ...)					\
	static long dflt_##name(struct it_task *k, IT_P1(__VA_ARGS__))	\
	{ return IT_RUN_ORIGINAL; }
#define SYS2(nr, name, ret, ...)					\
	static long dflt_##name(struct it_task *k, IT_P2(__VA_ARGS__))	\
	{ return IT_RUN_ORIGINAL; }
#define SYS3(nr, name, ret, ...)					\
	static long dflt_##name(struct it_task *k, IT_P3(__VA_ARGS__))	\
	{ return IT_RUN_ORIGINAL; }
#define SYS4(nr, name, ret, ...)					\
	static long dflt_##name(struct it_task *k, IT_P4(__VA_ARGS__))	\
	{ return IT_RUN_ORIGINAL; }
#define SYS5(nr, name, ret, ...)					\
	static long dflt_##name(struct it_task *k, IT_P5(__VA_ARGS__))	\
	{ return IT_RUN_ORIGINAL; }
#define SYS6(nr, name, ret, ...)					\
	static long dflt_##name(struct it_task *k, IT_P6(__VA_ARGS__))	\
	{ return IT_RUN_ORIGINAL; }
#include <isotrace/syscalls.def>
#include <isotrace/sys_undef.h>
#pragma GCC diagnostic pop

#define SYS_EACH(nr, name)	.name = dflt_##name,
#include <isotrace/sys_each.h>
const struct it_table it_passthru = {
#include <isotrace/syscalls.def>
};
#include <isotrace/sys_undef.h>
#undef SYS_EACH

void
table_overlay(struct it_table *dst, const struct it_table *src)
{
#define SYS_EACH(nr, name)						\
	if (src->name != NULL)						\
		dst->name = src->name;
#include <isotrace/sys_each.h>
#include <isotrace/syscalls.def>
#include <isotrace/sys_undef.h>
#undef SYS_EACH
}

void
table_complete(struct it_table *dst, const struct it_table *tool)
{
	*dst = tool != NULL ? *tool : it_passthru;
#define SYS_EACH(nr, name)						\
	if (dst->name == NULL)						\
		dst->name = it_passthru.name;
#include <isotrace/sys_each.h>
#include <isotrace/syscalls.def>
#include <isotrace/sys_undef.h>
#undef SYS_EACH
}

void
table_traps(const struct it_table *t, uint8_t trap[IT_NR_MAX])
{
	memset(trap, 0, IT_NR_MAX);
#define SYS_EACH(nr, name)						\
	trap[nr] = t->name != it_passthru.name;
#include <isotrace/sys_each.h>
#include <isotrace/syscalls.def>
#include <isotrace/sys_undef.h>
#undef SYS_EACH
}

int
table_handles(const struct it_table *t, long nr)
{
	switch (nr) {
#define SYS_EACH(n, name)						\
	case n: return t->name != NULL && t->name != it_passthru.name;
#include <isotrace/sys_each.h>
#include <isotrace/syscalls.def>
#include <isotrace/sys_undef.h>
#undef SYS_EACH
	}
	return 0;
}

long
table_call(const struct it_table *t, struct it_task *k, long nr,
    const uint64_t *a)
{
	switch (nr) {
#define SYS0(nr, name, ret)						\
	case nr: return t->name(k);
#define SYS1(nr, name, ret, k1, n1)					\
	case nr: return t->name(k, IT_ARG(k1, a[0]));
#define SYS2(nr, name, ret, k1, n1, k2, n2)				\
	case nr: return t->name(k, IT_ARG(k1, a[0]), IT_ARG(k2, a[1]));
#define SYS3(nr, name, ret, k1, n1, k2, n2, k3, n3)			\
	case nr: return t->name(k, IT_ARG(k1, a[0]), IT_ARG(k2, a[1]),	\
	    IT_ARG(k3, a[2]));
#define SYS4(nr, name, ret, k1, n1, k2, n2, k3, n3, k4, n4)		\
	case nr: return t->name(k, IT_ARG(k1, a[0]), IT_ARG(k2, a[1]),	\
	    IT_ARG(k3, a[2]), IT_ARG(k4, a[3]));
#define SYS5(nr, name, ret, k1, n1, k2, n2, k3, n3, k4, n4, k5, n5)	\
	case nr: return t->name(k, IT_ARG(k1, a[0]), IT_ARG(k2, a[1]),	\
	    IT_ARG(k3, a[2]), IT_ARG(k4, a[3]), IT_ARG(k5, a[4]));
#define SYS6(nr, name, ret, k1, n1, k2, n2, k3, n3, k4, n4, k5, n5, k6, n6) \
	case nr: return t->name(k, IT_ARG(k1, a[0]), IT_ARG(k2, a[1]),	\
	    IT_ARG(k3, a[2]), IT_ARG(k4, a[3]), IT_ARG(k5, a[4]),	\
	    IT_ARG(k6, a[5]));
#include <isotrace/syscalls.def>
#include <isotrace/sys_undef.h>
	}
	return IT_RUN_ORIGINAL;
}
