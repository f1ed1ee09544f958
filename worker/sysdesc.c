/*
 * sysdescs[]: the decoder's description of every syscall, generated from
 * syscalls.def through the decode view of the kinds.
 */
#include "../common/xlat.h"
#include "decode/decode.h"
#include "sysdesc.h"

/* Replace the type view of the kinds with the decode view. */
#undef K_INT
#undef K_UINT
#undef K_LONG
#undef K_ULONG
#undef K_SIZE
#undef K_OFF
#undef K_HEX
#undef K_MODE
#undef K_FD
#undef K_DIRFD
#undef K_PID
#undef K_UID
#undef K_GID
#undef K_SIG
#undef K_CLOCK
#undef K_FLAGS
#undef K_LFLAGS
#undef K_ENUM
#undef K_ADDR
#undef K_PTR
#undef K_STR
#undef K_PATH
#undef K_STRV
#undef K_IBUF
#undef K_OBUF
#undef K_IN
#undef K_OUT
#undef K_INOUT
#undef K_NORET
#include "decode/decode_view.h"

/* Named parameters, not __VA_ARGS__, and no helper macro between: a kind
 * expands to "kind, param" and must not be re-split into macro arguments. */
const struct sysdesc sysdescs[IT_NR_MAX] = {
#define SYS0(nr, name, ret) \
	[nr] = { #name, 0, { ret, NULL }, { { 0 } } },
#define SYS1(nr, name, ret, k1, n1) \
	[nr] = { #name, 1, { ret, NULL }, { { k1, #n1 } } },
#define SYS2(nr, name, ret, k1, n1, k2, n2) \
	[nr] = { #name, 2, { ret, NULL }, { { k1, #n1 }, { k2, #n2 } } },
#define SYS3(nr, name, ret, k1, n1, k2, n2, k3, n3) \
	[nr] = { #name, 3, { ret, NULL }, { { k1, #n1 }, { k2, #n2 }, \
	    { k3, #n3 } } },
#define SYS4(nr, name, ret, k1, n1, k2, n2, k3, n3, k4, n4) \
	[nr] = { #name, 4, { ret, NULL }, { { k1, #n1 }, { k2, #n2 }, \
	    { k3, #n3 }, { k4, #n4 } } },
#define SYS5(nr, name, ret, k1, n1, k2, n2, k3, n3, k4, n4, k5, n5) \
	[nr] = { #name, 5, { ret, NULL }, { { k1, #n1 }, { k2, #n2 }, \
	    { k3, #n3 }, { k4, #n4 }, { k5, #n5 } } },
#define SYS6(nr, name, ret, k1, n1, k2, n2, k3, n3, k4, n4, k5, n5, k6, n6) \
	[nr] = { #name, 6, { ret, NULL }, { { k1, #n1 }, { k2, #n2 }, \
	    { k3, #n3 }, { k4, #n4 }, { k5, #n5 }, { k6, #n6 } } },
#include <isotrace/syscalls.def>
#include <isotrace/sys_undef.h>
};

const char *
it_sysname(long nr)
{
	if (nr < 0 || nr >= IT_NR_MAX)
		return NULL;
	return sysdescs[nr].s_name;
}

int
sysdesc_noreturn(long nr)
{
	return nr >= 0 && nr < IT_NR_MAX &&
	    sysdescs[nr].s_ret.a_kind == DK_NORET;
}
