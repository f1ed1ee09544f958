/*
 * The auxiliary vector of a new image, rewritten at every execve before
 * the image runs.
 *
 * The vDSO answers clock_gettime, gettimeofday, time and getcpu in user
 * space, where no tracer sees them: its AT_SYSINFO_EHDR entry becomes
 * AT_IGNORE, so libc finds no vDSO and makes real syscalls.  The [vdso]
 * mapping itself stays (ld.so still expects it to exist).
 *
 * AT_RANDOM points to 16 bytes the kernel filled at random; glibc makes
 * its stack canary and pointer guard from them.  The sandbox replaces
 * them with bytes of its own stream.
 */
#include <elf.h>
#include <errno.h>
#include <stdint.h>

#include "engine/task.h"
#include "auxv.h"

#define PAGE	4096U

/* Words of the tracee's stack, read a page at a time: never across the
 * top of the stack, which may be less than a page above auxv. */
struct stackwin {
	struct it_task	*sw_task;
	uint64_t	 sw_addr;
	size_t		 sw_n;
	uint64_t	 sw_w[PAGE / 8];
};

static int
word(struct stackwin *sw, uint64_t addr, uint64_t *v)
{
	int	 e;

	if (sw->sw_n == 0 || addr < sw->sw_addr ||
	    addr >= sw->sw_addr + sw->sw_n * 8) {
		sw->sw_addr = addr;
		sw->sw_n = (PAGE - addr % PAGE) / 8;
		if ((e = it_mem_read(sw->sw_task, addr, sw->sw_w,
		    sw->sw_n * 8)) < 0) {
			sw->sw_n = 0;
			return e;
		}
	}
	*v = sw->sw_w[(addr - sw->sw_addr) / 8];
	return 0;
}

/* The initial stack at sp: argc, argv..., NULL, envp..., NULL, then auxv
 * (type, value) pairs up to AT_NULL. */
int
auxv_rewrite(struct it_task *t, uint64_t sp, const unsigned char *random16)
{
	static const uint64_t	 ignore = AT_IGNORE;
	struct stackwin		 sw = { .sw_task = t };
	uint64_t		 addr = sp + 8, v, p;
	int			 nulls = 0, e;

	while (nulls < 2) {
		if ((e = word(&sw, addr, &v)) < 0)
			return e;
		if (v == 0)
			nulls++;
		addr += 8;
	}
	for (;; addr += 16) {
		if ((e = word(&sw, addr, &v)) < 0)
			return e;
		if (v == AT_NULL)
			return 0;
		if (v == AT_SYSINFO_EHDR &&
		    (e = it_mem_write(t, addr, &ignore, sizeof(ignore))) < 0)
			return e;
		if (v == AT_RANDOM && random16 != NULL &&
		    ((e = word(&sw, addr + 8, &p)) < 0 ||
		    (e = it_mem_write(t, p, random16, 16)) < 0))
			return e;
	}
}
