#ifndef VDSO_H
#define VDSO_H

#include <stdint.h>

struct it_task;

/* Hides the vDSO from the image just exec'ed (stack pointer sp); 0 or
 * -errno. */
int	vdso_disable(struct it_task *, uint64_t sp);

#endif
