/*
 * Constants print from data: one table per named set, as strace's xlat.
 * A set is named in common/xlat/sets.def and defined (it_xlat_<name>) in
 * one of the common/xlat/ files; syscalls.def refers to it as K_FLAGS(name) or
 * K_ENUM(name).
 */
#ifndef XLAT_H
#define XLAT_H

#include <stddef.h>
#include <stdint.h>

struct xlat {
	uint64_t	 x_val;
	uint64_t	 x_mask;	/* 0: x_val is its own mask */
	const char	*x_name;
};

/* A flag bit, or a constant; the name is the macro's spelling. */
#define XLAT(v)		{ (uint64_t)(v), 0, #v }
/* A value within a multi-bit field: matches when (x & m) == v. */
#define XLAT_M(v, m)	{ (uint64_t)(v), (uint64_t)(m), #v }
#define XLAT_END	{ 0, 0, NULL }

enum xlat_set {
#define XSET(name)	IT_X_##name,
#include "xlat/sets.def"
#undef XSET
	IT_X_COUNT
};

#define XSET(name)	extern const struct xlat it_xlat_##name[];
#include "xlat/sets.def"
#undef XSET

const struct xlat	*xlat_set(enum xlat_set);
/* The name of value v in an enum-like set, or NULL. */
const char		*xlat_name(const struct xlat *, uint64_t v);
/* Prints v as A|B|0x.. (flags) into buf; returns what snprintf would. */
int			 xlat_flags(char *buf, size_t len, const struct xlat *,
			    uint64_t v);

#endif
