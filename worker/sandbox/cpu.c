/*
 * The sandbox's CPUs: --cpus of them, all of one fixed model, and the
 * program always on CPU 0.  getcpu answers 0; rseq registration fails
 * with ENOSYS, because the kernel rewrites the area's cpu_id at every
 * return to user mode and glibc's sched_getcpu reads it there when it
 * can (without it glibc calls getcpu); sched_getaffinity shows CPUs
 * 0..N-1, or those the process chose.
 *
 * CPUID itself is made to fault (arch_prctl ARCH_SET_CPUID 0, which the
 * kernel clears at every execve, so it is set again at each execve's
 * exit and inherited by threads and forks; execve is trapped for that
 * only where the CPU can do it) and answered from the table below: a baseline x86-64-v2 CPU without RDRAND and RDSEED, so that a
 * program picks neither the host's random instructions nor code paths
 * the next machine may lack.  A CPU without CPUID faulting (ENODEV) keeps
 * showing the host's CPUID; the man page says so.
 */
#include <asm/prctl.h>
#include <sys/syscall.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "../../common/log.h"
#include "sandbox.h"

enum { EAX, EBX, ECX, EDX };

#define MAX_LEAF	4		/* leaves 0-4, then 0x80000000-8 */
#define MAX_EXT		0x80000008U
#define FAMILY		6
#define MODEL		0x55
#define STEPPING	4

static const char	 vendor[] = "GenuineIntel";
static const char	 brand[48] = "isotrace virtual CPU @ 2.00GHz";

/* The features shown, in /proc/cpuinfo's order of words and names. */
static const struct feature {
	uint32_t	 f_leaf;
	uint8_t		 f_reg, f_bit;
	const char	*f_name;
} features[] = {
	{ 1, EDX, 0, "fpu" }, { 1, EDX, 1, "vme" }, { 1, EDX, 2, "de" },
	{ 1, EDX, 3, "pse" }, { 1, EDX, 4, "tsc" }, { 1, EDX, 5, "msr" },
	{ 1, EDX, 6, "pae" }, { 1, EDX, 7, "mce" }, { 1, EDX, 8, "cx8" },
	{ 1, EDX, 9, "apic" }, { 1, EDX, 11, "sep" }, { 1, EDX, 12, "mtrr" },
	{ 1, EDX, 13, "pge" }, { 1, EDX, 14, "mca" }, { 1, EDX, 15, "cmov" },
	{ 1, EDX, 16, "pat" }, { 1, EDX, 17, "pse36" },
	{ 1, EDX, 19, "clflush" }, { 1, EDX, 23, "mmx" },
	{ 1, EDX, 24, "fxsr" }, { 1, EDX, 25, "sse" }, { 1, EDX, 26, "sse2" },
	{ 0x80000001, EDX, 11, "syscall" }, { 0x80000001, EDX, 20, "nx" },
	{ 0x80000001, EDX, 27, "rdtscp" }, { 0x80000001, EDX, 29, "lm" },
	{ 1, ECX, 0, "pni" }, { 1, ECX, 9, "ssse3" }, { 1, ECX, 13, "cx16" },
	{ 1, ECX, 19, "sse4_1" }, { 1, ECX, 20, "sse4_2" },
	{ 1, ECX, 23, "popcnt" }, { 1, ECX, 31, "hypervisor" },
	{ 0x80000001, ECX, 0, "lahf_lm" },
};

/* Deterministic caches (leaf 4): L1d, L1i, L2 per core; L3 shared. */
static const struct cache {
	uint8_t		 c_type, c_level;	/* 1 data, 2 code, 3 unified */
	uint16_t	 c_ways;
	uint32_t	 c_sets;
} caches[] = {
	{ 1, 1, 8, 64 }, { 2, 1, 8, 64 }, { 3, 2, 16, 1024 },
	{ 3, 3, 16, 16384 },
};

const char *
cpu_vendor(void)
{
	return vendor;
}

const char *
cpu_brand(void)
{
	return brand;
}

unsigned
cpu_family(void)
{
	return FAMILY;
}

unsigned
cpu_model(void)
{
	return MODEL;
}

unsigned
cpu_stepping(void)
{
	return STEPPING;
}

unsigned
cpu_level(void)
{
	return MAX_LEAF;
}

void
cpu_flags(char *buf, size_t size, size_t *len)
{
	size_t	 i, n;

	for (i = 0; i < sizeof(features) / sizeof(features[0]); i++) {
		n = strlen(features[i].f_name) + 1;
		if (*len + n >= size)
			return;
		buf[(*len)++] = ' ';
		memcpy(buf + *len, features[i].f_name, n);
		*len += n - 1;
	}
}

/* Cache i of each CPU, as leaf 4 and sysfs.c show it: 0, or -1 past
 * the last. */
int
cpu_cache(uint32_t i, struct cpu_cache *cc)
{
	if (i >= sizeof(caches) / sizeof(caches[0]))
		return -1;
	cc->cc_type = caches[i].c_type;
	cc->cc_level = caches[i].c_level;
	cc->cc_ways = caches[i].c_ways;
	cc->cc_sets = caches[i].c_sets;
	cc->cc_shared = caches[i].c_level == 3;
	return 0;
}

static void
leaf4(uint32_t sub, uint32_t r[4])
{
	const struct cache	*c;
	uint32_t		 share;

	if (sub >= sizeof(caches) / sizeof(caches[0]))
		return;
	c = &caches[sub];
	share = c->c_level == 3 ? sandbox_config()->sc_cpus : 1;
	r[EAX] = c->c_type | (uint32_t)c->c_level << 5 | 1U << 8 |
	    (share - 1) << 14 | (sandbox_config()->sc_cpus - 1) << 26;
	r[EBX] = 63 | (uint32_t)(c->c_ways - 1) << 22;
	r[ECX] = c->c_sets - 1;
}

/* The registers CPUID leaf/sub answers in the sandbox. */
void
cpu_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	size_t	 i;

	memset(r, 0, 4 * sizeof(r[0]));
	switch (leaf) {
	case 0:
		r[EAX] = MAX_LEAF;
		memcpy(&r[EBX], vendor, 4);
		memcpy(&r[EDX], vendor + 4, 4);
		memcpy(&r[ECX], vendor + 8, 4);
		return;
	case 1:
		r[EAX] = STEPPING | (MODEL & 0xf) << 4 | FAMILY << 8 |
		    (MODEL >> 4) << 16;
		r[EBX] = 8 << 8 | sandbox_config()->sc_cpus << 16;
		break;
	case 2:
		r[EAX] = 0x00ff0001;	/* 0xff: the caches are in leaf 4 */
		return;
	case 4:
		leaf4(sub, r);
		return;
	case 0x80000000:
		r[EAX] = MAX_EXT;
		return;
	case 0x80000002:
	case 0x80000003:
	case 0x80000004:
		memcpy(r, brand + 16 * (leaf - 0x80000002), 16);
		return;
	case 0x80000007:
		r[EDX] = 1U << 8;	/* invariant TSC: rdtsc is the clock */
		return;
	case 0x80000008:
		r[EAX] = 40 | 48 << 8;
		return;
	case 0x80000001:
		break;
	default:
		return;
	}
	for (i = 0; i < sizeof(features) / sizeof(features[0]); i++)
		if (features[i].f_leaf == leaf)
			r[features[i].f_reg] |= 1U << features[i].f_bit;
}

/*
 * The CPUs the process chose with sched_setaffinity (0: all of them).
 * The choice is the sandbox's only: the program still runs wherever the
 * host puts it, so a --cpus larger than the host's stays possible.  It
 * is the process's, not each thread's, and a child starts with all.
 */
static uint64_t		 chosen;

static uint64_t
all_cpus(void)
{
	uint32_t	 n = sandbox_config()->sc_cpus;

	return n >= 64 ? ~0ULL : (1ULL << n) - 1;
}

static uint64_t
own_cpus(void)
{
	return chosen != 0 ? chosen : all_cpus();
}

/* The first CPU the process may run on: the one it runs on. */
static long
sb_getcpu(struct it_task *t, it_gp_uint cpu, it_gp_uint node, it_gptr tcache)
{
	unsigned int	 first = (unsigned int)__builtin_ctzll(own_cpus());
	unsigned int	 zero = 0;

	(void)tcache;
	if ((cpu.addr != 0 && it_write_uint(t, cpu, &first) < 0) ||
	    (node.addr != 0 && it_write_uint(t, node, &zero) < 0))
		return -EFAULT;
	return 0;
}

/* No argument changes sb_rseq's answer: the filter gives it (layer.h). */
const int sandbox_cpu_enosys[] = { IT_SYS_rseq, -1 };

static long
sb_rseq(struct it_task *t, it_gp_rseq rseq, unsigned int len,
    unsigned int flags, unsigned long sig)
{
	(void)t;
	(void)rseq;
	(void)len;
	(void)flags;
	(void)sig;
	return -ENOSYS;
}

/* The kernel wrote its mask's bytes (the result): the sandbox's
 * instead, bits 0..63 in the byte order of an array of longs. */
static long
affinity_write(struct it_task *t, long result, uint64_t addr, uint64_t cpus)
{
	unsigned char	 mask[SANDBOX_CPUS_MAX / 8];
	uint32_t	 i;

	if (result <= 0)
		return result;
	if ((size_t)result > sizeof(mask))
		result = sizeof(mask);	/* the kernel's longer masks: ours */
	for (i = 0; i < sizeof(mask); i++)
		mask[i] = (unsigned char)(cpus >> (8 * i));
	if (it_mem_write(t, addr, mask, (size_t)result) < 0)
		return -EFAULT;
	return result;
}

static long
affinity_all(struct it_task *t, long result, void *arg)
{
	return affinity_write(t, result, (uint64_t)(uintptr_t)arg,
	    all_cpus());
}

static long
affinity_own(struct it_task *t, long result, void *arg)
{
	return affinity_write(t, result, (uint64_t)(uintptr_t)arg,
	    own_cpus());
}

/* Does pid name the calling process (0, its pid or its tid)? */
static int
is_self(struct it_task *t, int pid)
{
	long	 p, tid;

	if (pid == 0)
		return 1;
	if (!sandbox_pidns())
		return pid == sandbox_ids()->id_vpid;
	procpid_own_ids(t, &p, &tid);
	return pid == p || pid == tid;
}

/* The pid goes through the pids family's translation (none is needed in
 * the run's own pid namespace), then the kernel checks it, the size and
 * the buffer as it would. */
static long
sb_sched_getaffinity(struct it_task *t, int pid, size_t size,
    it_gp_cpu_set mask)
{
	long	 r = IT_RUN_ORIGINAL;
	int	 self = chosen != 0 && is_self(t, pid);

	if (!sandbox_pidns() && sandbox_pids.sched_getaffinity != NULL)
		r = sandbox_pids.sched_getaffinity(t, pid, size, mask);
	if (r != IT_RUN_ORIGINAL)
		return r;
	it_task_on_exit(t, self ? affinity_own : affinity_all,
	    (void *)(uintptr_t)mask.addr);
	return IT_RUN_ORIGINAL;
}

/* The process's own choice is kept (of the --cpus CPUs; none of them is
 * EINVAL, as the kernel says of a mask without an online CPU); another
 * process's is the kernel's business. */
static long
sb_sched_setaffinity(struct it_task *t, int pid, size_t size,
    it_gp_cpu_set mask)
{
	unsigned char	 b[SANDBOX_CPUS_MAX / 8];
	uint64_t	 want = 0;
	size_t		 i, n = size < sizeof(b) ? size : sizeof(b);

	if (!is_self(t, pid)) {
		if (!sandbox_pidns() && sandbox_pids.sched_setaffinity != NULL)
			return sandbox_pids.sched_setaffinity(t, pid, size,
			    mask);
		return IT_RUN_ORIGINAL;
	}
	memset(b, 0, sizeof(b));
	if (n > 0 && it_mem_read(t, mask.addr, b, n) < 0)
		return -EFAULT;
	for (i = 0; i < n; i++)
		want |= (uint64_t)b[i] << (8 * i);
	if ((want &= all_cpus()) == 0)
		return -EINVAL;
	chosen = want;
	return 0;
}

/*
 * Can this CPU fault CPUID?  Tried on the worker itself, which runs no
 * cpuid in between.  Without it execve is not even trapped: the exec-heavy
 * runs (a shell loop) would pay two stops per exec for nothing.
 */
int
cpu_can_fault(void)
{
	static int	 can = -1;

	if (can == -1) {
		can = syscall(SYS_arch_prctl, ARCH_SET_CPUID, 0) == 0;
		if (can && syscall(SYS_arch_prctl, ARCH_SET_CPUID, 1) == -1)
			fatal("arch_prctl ARCH_SET_CPUID 1");
	}
	return can;
}

static long
exec_done(struct it_task *t, long result, void *arg)
{
	long	 e;

	(void)arg;
	if (result != 0)
		return result;
	e = it_task_syscall(t, SYS_arch_prctl, ARCH_SET_CPUID, 0, 0, 0, 0, 0);
	if (e < 0)
		log_debug("pid %d: ARCH_SET_CPUID: %s", (int)it_task_tid(t),
		    strerror((int)-e));
	return result;
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
static long
sb_execve(struct it_task *t, it_gp_str path, it_gptr argv,
    it_gptr envp)
{
	it_task_on_exit(t, exec_done, NULL);
	return IT_RUN_ORIGINAL;
}

static long
sb_execveat(struct it_task *t, int dirfd, it_gp_str path, it_gptr argv,
    it_gptr envp, unsigned int flags)
{
	it_task_on_exit(t, exec_done, NULL);
	return IT_RUN_ORIGINAL;
}
#pragma GCC diagnostic pop

const struct it_table sandbox_cpu = {
	.getcpu = sb_getcpu,
	.rseq = sb_rseq,
	.sched_getaffinity = sb_sched_getaffinity,
	.sched_setaffinity = sb_sched_setaffinity,
};

/* Laid over the others only where cpu_can_fault(). */
const struct it_table sandbox_cpuid = {
	.execve = sb_execve,
	.execveat = sb_execveat,
};
