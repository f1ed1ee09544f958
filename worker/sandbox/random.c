/*
 * getrandom() from the process's deterministic stream (--seed).  The
 * bytes are written in blocks, so a large request costs a few copies, not
 * a stop per block.
 */
#include <sys/random.h>
#include <errno.h>

#include "sandbox.h"

#define BLOCK	65536

static long
sb_getrandom(struct it_task *t, it_gptr buf, size_t len, unsigned int flags)
{
	static unsigned char	 block[BLOCK];
	size_t			 done = 0, n;
	long			 w;

	if (flags & ~(unsigned)(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	/* The kernel caps one call at 32 MiB - 1 (INT_MAX >> 6). */
	if (len > 0x1ffffff)
		len = 0x1ffffff;
	while (done < len) {
		n = len - done < BLOCK ? len - done : BLOCK;
		sandbox_random(block, n);
		/* The kernel's rule: what fits before the first page the
		 * program cannot write, EFAULT if nothing does. */
		if ((w = it_mem_write_part(t, buf.addr + done, block, n)) < 0)
			return done > 0 ? (long)done : w;
		done += (size_t)w;
		if ((size_t)w < n)
			break;
	}
	return (long)done;
}

const struct it_table sandbox_random_table = {
	.getrandom = sb_getrandom,
};
