/*
 * The verdict on a call of another ABI, from its x86_64 twins (generated
 * from the kernel's headers by compat_twins.sh).
 */
#include <linux/audit.h>
#include <stddef.h>

#include "compat.h"

struct twin {
	int		 tw_abi;
	uint32_t	 tw_nr;
	int		 tw_x86;	/* -1: none */
};

static const struct twin twins[] = {
#define COMPAT(abi, nr, x86)	{ abi, nr, x86 },
#include "compat_twins.h"
#undef COMPAT
};

#define NTWINS	(sizeof(twins) / sizeof(twins[0]))

enum compat_abi
compat_abi(uint32_t arch, uint64_t nr)
{
	if (arch != AUDIT_ARCH_X86_64)
		return COMPAT_I386;
	if (nr & COMPAT_X32_BIT)
		return COMPAT_X32;
	return COMPAT_NATIVE;
}

static int
before(const struct twin *tw, enum compat_abi abi, uint32_t nr)
{
	return tw->tw_abi < (int)abi || (tw->tw_abi == (int)abi &&
	    tw->tw_nr < nr);
}

/* The first entry of (abi, nr), or NTWINS. */
static size_t
first(enum compat_abi abi, uint32_t nr)
{
	size_t	 lo = 0, hi = NTWINS, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (before(&twins[mid], abi, nr))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

long
compat_twin(enum compat_abi abi, uint32_t nr)
{
	size_t	 i = first(abi, nr);

	if (i < NTWINS && twins[i].tw_abi == (int)abi && twins[i].tw_nr == nr)
		return twins[i].tw_x86;
	return -1;
}

enum compat_verdict
compat_verdict(enum compat_abi abi, uint32_t nr,
    const uint8_t handled[IT_NR_MAX], int strict)
{
	size_t	 lo = first(abi, nr);
	int	 any = 0, x;

	for (; lo < NTWINS && twins[lo].tw_abi == (int)abi &&
	    twins[lo].tw_nr == nr; lo++) {
		if ((x = twins[lo].tw_x86) < 0)
			continue;
		any = 1;
		/* Its flags are in memory the filter cannot read. */
		if (x == IT_SYS_clone3)
			return CV_ENOSYS;
		if (x == IT_SYS_clone)
			return CV_CLONE;
		if (x == IT_SYS_fork || x == IT_SYS_vfork)
			return CV_FORK;
		if (x < IT_NR_MAX && handled[x])
			return CV_ENOSYS;
	}
	/* Unknown numbers fail in the kernel anyway. */
	return !any && strict ? CV_ENOSYS : CV_RUN;
}
