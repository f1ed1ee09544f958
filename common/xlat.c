#include <stdio.h>

#include "xlat.h"

static const struct xlat *const sets[IT_X_COUNT] = {
#define XSET(name)	[IT_X_##name] = it_xlat_##name,
#include "xlat/sets.def"
#undef XSET
};

const struct xlat *
xlat_set(enum xlat_set s)
{
	return (unsigned)s < IT_X_COUNT ? sets[s] : NULL;
}

/* Enum-like values are C ints: compare 32 bits, so RUSAGE_CHILDREN (-1)
 * matches however the register was extended. */
const char *
xlat_name(const struct xlat *x, uint64_t v)
{
	for (; x != NULL && x->x_name != NULL; x++)
		if ((uint32_t)x->x_val == (uint32_t)v && x->x_mask == 0)
			return x->x_name;
	return NULL;
}

/*
 * Field entries (x_mask != 0) come first in a table and consume their whole
 * mask, so O_RDONLY (0 in O_ACCMODE) prints although it has no bit set.
 */
int
xlat_flags(char *buf, size_t len, const struct xlat *x, uint64_t v)
{
	uint64_t	 left = v;
	size_t		 n = 0;
	int		 r;

#define PUT(...) do {							\
	r = snprintf(buf + (n < len ? n : len), n < len ? len - n : 0,	\
	    __VA_ARGS__);						\
	n += r;								\
} while (0)
	for (; x != NULL && x->x_name != NULL; x++) {
		uint64_t mask = x->x_mask ? x->x_mask : x->x_val;

		if (mask == 0 || (left & mask) != x->x_val ||
		    (x->x_mask == 0 && (left & x->x_val) == 0))
			continue;
		if (x->x_mask != 0 && (v & mask) != x->x_val)
			continue;
		PUT("%s%s", n ? "|" : "", x->x_name);
		left &= ~mask;
	}
	if (left != 0 || n == 0)
		PUT(n ? "|%#llx" : "%#llx", (unsigned long long)left);
#undef PUT
	return (int)n;
}
