/*
 * The sandbox machine's CPU and NUMA trees in /sys.  lscpu, getconf, hwloc
 * and the C library find the CPUs by walking /sys/devices/system/cpu (a
 * listing, access(), stat, openat relative to a directory fd), so no
 * per-open answer can hide the host's tree.  In the run's own mount
 * namespace the kernel can: the namespace's init mounts a tmpfs over
 * /sys/devices/system/cpu and /sys/devices/system/node, writes the
 * --cpus machine into it (every name a program may look at: the lists,
 * each CPU's topology and caches, the vulnerabilities), and makes it
 * read-only.  It costs one tmpfs per run and nothing per call.
 *
 * The caches are those cpu.c's CPUID leaf 4 describes; each CPU is a core
 * of its own in one package and one NUMA node.  Without the namespace
 * (--sandbox-pids=translate) procfs.c still answers the three lists.
 */
#include <sys/mount.h>
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../../common/log.h"
#include "sandbox.h"

#define CPU_DIR		"/sys/devices/system/cpu"
#define NODE_DIR	"/sys/devices/system/node"

/* The kernel's wording for a CPU without the flaw. */
static const char *const vulnerabilities[] = {
	"gather_data_sampling", "itlb_multihit", "l1tf", "mds", "meltdown",
	"mmio_stale_data", "reg_file_data_sampling", "retbleed",
	"spec_rstack_overflow", "spec_store_bypass", "spectre_v1",
	"spectre_v2", "srbds", "tsx_async_abort",
};

static const char *const cache_types[] = { "", "Data", "Instruction",
    "Unified" };

static int	 failed;	/* the first error, reported once */

/*
 * Files already written, by name and text: the same file of the next CPU
 * (its cache's level, size, ...) is a hard link to it, one call instead
 * of three and no page of its own, which makes --cpus 64 affordable.
 */
#define MEMO		128
static struct memo {
	char		 m_name[32];
	char		 m_text[32];
	char		 m_path[128];
}			 memo[MEMO];
static size_t		 nmemo;

static struct memo *
memo_find(const char *name, const char *text)
{
	size_t	 i;

	for (i = 0; i < nmemo; i++)
		if (strcmp(memo[i].m_name, name) == 0 &&
		    strcmp(memo[i].m_text, text) == 0)
			return &memo[i];
	return NULL;
}

static void
memo_add(const char *name, const char *text, const char *path)
{
	struct memo	*m;

	if (nmemo == MEMO || strlen(name) >= sizeof(m->m_name) ||
	    strlen(text) >= sizeof(m->m_text) ||
	    strlen(path) >= sizeof(m->m_path))
		return;
	m = &memo[nmemo++];
	strlcpy(m->m_name, name, sizeof(m->m_name));
	strlcpy(m->m_text, text, sizeof(m->m_text));
	strlcpy(m->m_path, path, sizeof(m->m_path));
}

static void
mkdirs(const char *fmt, ...)
{
	char	 path[256];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	if (mkdir(path, 0755) == -1 && errno != EEXIST && !failed)
		failed = errno;
}

/* Writes one file, "dir/name", holding the formatted line. */
static void __attribute__((format(printf, 3, 4)))
put(const char *dir, const char *name, const char *fmt, ...)
{
	char		 path[256], text[512];
	struct memo	*m;
	va_list		 ap;
	int		 fd, n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	va_start(ap, fmt);
	n = vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(text))
		text[n = 0] = '\0';
	if ((m = memo_find(name, text)) != NULL && link(m->m_path, path) == 0)
		return;
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0444)) == -1 || write(fd, text, (size_t)n) != n) {
		if (!failed)
			failed = errno ? errno : EIO;
	} else
		memo_add(name, text, path);
	if (fd != -1)
		close(fd);
}

/* CPUs first..last as the kernel lists them: "0", "0-3". */
static void
cpu_range(char *out, size_t size, uint32_t first, uint32_t last)
{
	if (first == last)
		snprintf(out, size, "%u", first);
	else
		snprintf(out, size, "%u-%u", first, last);
}

/*
 * CPUs first..last as the kernel's masks: 32-bit hex words, most
 * significant first, separated by commas, as wide as n CPUs need.
 */
void
sysfs_cpu_mask(char *out, size_t size, uint32_t n, uint32_t first,
    uint32_t last)
{
	uint32_t	 word, bits, w, i;
	size_t		 len = 0;
	int		 digits;

	out[0] = '\0';
	for (w = (n + 31) / 32; w-- > 0 && len < size;) {
		for (word = 0, i = 0; i < 32; i++)
			if (w * 32 + i >= first && w * 32 + i <= last)
				word |= 1U << i;
		bits = n - w * 32 < 32 ? n - w * 32 : 32;
		digits = (int)((bits + 3) / 4);
		len += (size_t)snprintf(out + len, size - len, "%s%0*x",
		    len > 0 ? "," : "", digits, word);
	}
}

/* The same CPUs as both files of a topology pair: NAME and NAME_list. */
static void
put_set(const char *dir, const char *name, uint32_t n, uint32_t first,
    uint32_t last)
{
	char	 buf[128], list_name[64];

	sysfs_cpu_mask(buf, sizeof(buf), n, first, last);
	put(dir, name, "%s\n", buf);
	cpu_range(buf, sizeof(buf), first, last);
	snprintf(list_name, sizeof(list_name), "%s_list", name);
	put(dir, list_name, "%s\n", buf);
}

static void
one_cpu(uint32_t n, uint32_t i)
{
	struct cpu_cache	 c;
	char			 dir[128], sub[160], buf[128];
	uint32_t		 k, first, last;

	snprintf(dir, sizeof(dir), CPU_DIR "/cpu%u", i);
	mkdirs("%s", dir);
	if (i > 0)		/* the boot CPU cannot go offline */
		put(dir, "online", "1\n");
	snprintf(sub, sizeof(sub), "%s/topology", dir);
	mkdirs("%s", sub);
	put(sub, "physical_package_id", "0\n");
	put(sub, "die_id", "0\n");
	put(sub, "cluster_id", "%u\n", i);
	put(sub, "core_id", "%u\n", i);
	put_set(sub, "thread_siblings", n, i, i);
	put_set(sub, "core_cpus", n, i, i);
	put_set(sub, "cluster_cpus", n, i, i);
	put_set(sub, "core_siblings", n, 0, n - 1);
	put_set(sub, "die_cpus", n, 0, n - 1);
	put_set(sub, "package_cpus", n, 0, n - 1);
	snprintf(sub, sizeof(sub), "%s/cache", dir);
	mkdirs("%s", sub);
	for (k = 0; cpu_cache(k, &c) == 0; k++) {
		snprintf(sub, sizeof(sub), "%s/cache/index%u", dir, k);
		mkdirs("%s", sub);
		first = c.cc_shared ? 0 : i;
		last = c.cc_shared ? n - 1 : i;
		put(sub, "id", "%u\n", c.cc_shared ? 0 : i);
		put(sub, "level", "%u\n", c.cc_level);
		put(sub, "type", "%s\n", cache_types[c.cc_type & 3]);
		put(sub, "size", "%uK\n", c.cc_ways * c.cc_sets * 64 / 1024);
		put(sub, "ways_of_associativity", "%u\n", c.cc_ways);
		put(sub, "number_of_sets", "%u\n", c.cc_sets);
		put(sub, "coherency_line_size", "64\n");
		put(sub, "physical_line_partition", "1\n");
		sysfs_cpu_mask(buf, sizeof(buf), n, first, last);
		put(sub, "shared_cpu_map", "%s\n", buf);
		cpu_range(buf, sizeof(buf), first, last);
		put(sub, "shared_cpu_list", "%s\n", buf);
	}
}

static void
cpu_tree(uint32_t n)
{
	char		 all[32], mask[128];
	uint32_t	 i;
	size_t		 k;

	cpu_range(all, sizeof(all), 0, n - 1);
	put(CPU_DIR, "kernel_max", "%u\n", SANDBOX_CPUS_MAX - 1);
	put(CPU_DIR, "possible", "%s\n", all);
	put(CPU_DIR, "present", "%s\n", all);
	put(CPU_DIR, "online", "%s\n", all);
	put(CPU_DIR, "offline", "\n");
	put(CPU_DIR, "isolated", "\n");
	put(CPU_DIR, "modalias", "cpu:type:x86,ven0000fam%04Xmod%04X:"
	    "feature:\n", cpu_family(), cpu_model());
	mkdirs(CPU_DIR "/smt");
	put(CPU_DIR "/smt", "active", "0\n");
	put(CPU_DIR "/smt", "control", "notsupported\n");
	mkdirs(CPU_DIR "/vulnerabilities");
	for (k = 0; k < sizeof(vulnerabilities) / sizeof(vulnerabilities[0]);
	    k++)
		put(CPU_DIR "/vulnerabilities", vulnerabilities[k],
		    "Not affected\n");
	for (i = 0; i < n; i++)
		one_cpu(n, i);

	put(NODE_DIR, "possible", "0\n");
	put(NODE_DIR, "online", "0\n");
	put(NODE_DIR, "has_cpu", "0\n");
	put(NODE_DIR, "has_memory", "0\n");
	put(NODE_DIR, "has_normal_memory", "0\n");
	mkdirs(NODE_DIR "/node0");
	sysfs_cpu_mask(mask, sizeof(mask), n, 0, n - 1);
	put(NODE_DIR "/node0", "cpumap", "%s\n", mask);
	put(NODE_DIR "/node0", "cpulist", "%s\n", all);
	put(NODE_DIR "/node0", "distance", "10\n");
}

/*
 * Called by the namespace's init, alone in its mount namespace, before
 * the command starts: 0, or -1 with the host's trees left in place.
 */
int
sysfs_mount(uint32_t ncpus)
{
	static const char *const dirs[] = { CPU_DIR, NODE_DIR };
	size_t	 i;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (mount("sandbox", dirs[i], "tmpfs", MS_NOSUID | MS_NODEV |
		    MS_NOEXEC, "mode=755,size=16m") == -1) {
			/* No /sys here: nothing of the host's to hide. */
			log_debug("sandbox: %s: %s", dirs[i], strerror(errno));
			return -1;
		}
	failed = 0;
	nmemo = 0;
	cpu_tree(ncpus);
	if (failed) {
		errno = failed;
		log_warn("sandbox: %s", CPU_DIR);
	}
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		(void)mount(NULL, dirs[i], NULL, MS_REMOUNT | MS_RDONLY |
		    MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	return failed ? -1 : 0;
}
