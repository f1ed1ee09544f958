#ifndef AUXV_H
#define AUXV_H

#include <stdint.h>

struct it_task;

/* Hides the vDSO from the image just exec'ed (stack pointer sp) and, when
 * random16 is given, replaces the 16 AT_RANDOM bytes; 0 or -errno. */
int	auxv_rewrite(struct it_task *, uint64_t sp,
	    const unsigned char *random16);

#endif
