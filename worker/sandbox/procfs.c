/*
 * The host's facts in /proc and /sys, as the sandbox's machine shows them:
 * --cpus CPUs, 4 GiB of memory, no load, booted SANDBOX_BOOT_NS before
 * the epoch.  devices.c opens a memfd holding the text made here, so the
 * file reads as a snapshot taken at open, the same on every run.
 *
 * The files of each process (stat, status...) are procpid.c's.
 */
#include <sys/resource.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sandbox.h"

#define NS		1000000000ULL
#define TICK_NS		(NS / 100)	/* USER_HZ */
#define MEM_KB		(4UL << 20)	/* sysinfo's totalram */
#define FREE_KB		(2UL << 20)	/* and freeram */

/* An snprintf that never overruns: appends to buf at *len. */
void
procfs_add(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	if (*len >= size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *len, size - *len, fmt, ap);
	va_end(ap);
	if (n > 0)
		*len = *len + (size_t)n < size ? *len + (size_t)n : size - 1;
}

static uint32_t
ncpus(void)
{
	return sandbox_config()->sc_cpus;
}

/* Virtual ns since boot, as CLOCK_BOOTTIME reads (time.c). */
static uint64_t
uptime_ns(void)
{
	return sandbox_now() - (uint64_t)sandbox_config()->sc_epoch * NS +
	    SANDBOX_BOOT_NS;
}

static void
cpu_list(char *buf, size_t size, size_t *len)
{
	if (ncpus() == 1)
		procfs_add(buf, size, len, "0\n");
	else
		procfs_add(buf, size, len, "0-%u\n", ncpus() - 1);
}

static void
uptime(char *buf, size_t size, size_t *len)
{
	uint64_t	 up = uptime_ns() / TICK_NS;
	uint64_t	 idle = up * ncpus() * 9 / 10;

	procfs_add(buf, size, len, "%llu.%02llu %llu.%02llu\n",
	    (unsigned long long)(up / 100), (unsigned long long)(up % 100),
	    (unsigned long long)(idle / 100), (unsigned long long)(idle % 100));
}

/*
 * The process's pid as it knows it: the kernel's in the run's own pid
 * namespace (the last of NSpid), else the translated virtual one.
 */
static long
own_pid(struct it_task *t)
{
	char	 path[64], line[256], *p;
	long	 pid = -1;
	FILE	*f;

	if (!sandbox_pidns())
		return sandbox_ids()->id_vpid;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)it_task_pid(t));
	if ((f = fopen(path, "re")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "NSpid:", 6) == 0) {
			if ((p = strrchr(line, '\t')) != NULL)
				pid = strtol(p + 1, NULL, 10);
			break;
		}
	fclose(f);
	return pid;
}

static struct it_task	*cur;	/* the opener, for the makers below */

static void
loadavg(char *buf, size_t size, size_t *len)
{
	procfs_add(buf, size, len, "0.00 0.00 0.00 1/1 %ld\n", own_pid(cur));
}

/* Every CPU 90% idle since boot, the rest in user mode. */
static void
stat_cpu(char *buf, size_t size, size_t *len, const char *name,
    uint64_t ticks)
{
	procfs_add(buf, size, len, "%s %llu 0 0 %llu 0 0 0 0 0 0\n", name,
	    (unsigned long long)(ticks / 10),
	    (unsigned long long)(ticks - ticks / 10));
}

static void
proc_stat(char *buf, size_t size, size_t *len)
{
	uint64_t	 up = uptime_ns() / TICK_NS;
	char		 name[16];
	uint32_t	 i;

	stat_cpu(buf, size, len, "cpu ", up * ncpus());
	for (i = 0; i < ncpus(); i++) {
		snprintf(name, sizeof(name), "cpu%u", i);
		stat_cpu(buf, size, len, name, up);
	}
	procfs_add(buf, size, len, "intr 0\nctxt 0\nbtime %lld\nprocesses 1\n"
	    "procs_running 1\nprocs_blocked 0\nsoftirq 0 0 0 0 0 0 0 0 0 0 0\n",
	    (long long)(sandbox_config()->sc_epoch -
	    (int64_t)(SANDBOX_BOOT_NS / NS)));
}

static void
cpuinfo(char *buf, size_t size, size_t *len)
{
	uint32_t	 i, n = ncpus();

	for (i = 0; i < n; i++) {
		procfs_add(buf, size, len,
		    "processor\t: %u\nvendor_id\t: %s\ncpu family\t: %u\n"
		    "model\t\t: %u\nmodel name\t: %s\nstepping\t: %u\n"
		    "microcode\t: 0x1\ncpu MHz\t\t: 2000.000\n"
		    "cache size\t: 16384 KB\nphysical id\t: 0\n"
		    "siblings\t: %u\ncore id\t\t: %u\ncpu cores\t: %u\n"
		    "apicid\t\t: %u\ninitial apicid\t: %u\nfpu\t\t: yes\n"
		    "fpu_exception\t: yes\ncpuid level\t: %u\nwp\t\t: yes\n"
		    "flags\t\t:", i, cpu_vendor(), cpu_family(), cpu_model(),
		    cpu_brand(), cpu_stepping(), n, i, n, i, i, cpu_level());
		cpu_flags(buf, size, len);
		procfs_add(buf, size, len, "\nbugs\t\t:\nbogomips\t: 4000.00\n"
		    "clflush size\t: 64\ncache_alignment\t: 64\n"
		    "address sizes\t: 40 bits physical, 48 bits virtual\n"
		    "power management:\n\n");
	}
}

static void
meminfo(char *buf, size_t size, size_t *len)
{
	static const struct {
		const char	*m_name;
		unsigned long	 m_kb;
	} rows[] = {
		{ "MemTotal", MEM_KB }, { "MemFree", FREE_KB },
		{ "MemAvailable", FREE_KB + MEM_KB / 8 },
		{ "Buffers", MEM_KB / 64 }, { "Cached", MEM_KB / 8 },
		{ "SwapCached", 0 }, { "Active", MEM_KB / 8 },
		{ "Inactive", MEM_KB / 16 }, { "SwapTotal", 0 },
		{ "SwapFree", 0 }, { "Dirty", 0 }, { "Writeback", 0 },
		{ "AnonPages", MEM_KB / 16 }, { "Mapped", MEM_KB / 32 },
		{ "Shmem", 0 }, { "Slab", MEM_KB / 64 },
		{ "CommitLimit", MEM_KB / 2 }, { "Committed_AS", MEM_KB / 8 },
		{ "VmallocTotal", 34359738367UL }, { "HugePages_Total", 0 },
		{ "HugePages_Free", 0 }, { "Hugepagesize", 2048 },
	};
	char	 name[32];
	size_t	 i;

	/* "Name:" padded to 16 columns, as the kernel writes it (procps
	 * looks for the colon). */
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		snprintf(name, sizeof(name), "%s:", rows[i].m_name);
		if (strncmp(rows[i].m_name, "HugePages_", 10) == 0)
			procfs_add(buf, size, len, "%-16s%8lu\n", name, rows[i].m_kb);
		else
			procfs_add(buf, size, len, "%-16s%8lu kB\n", name,
			    rows[i].m_kb);
	}
}

static void
cmdline(char *buf, size_t size, size_t *len)
{
	procfs_add(buf, size, len, "%s\n",
	    "BOOT_IMAGE=/boot/vmlinuz root=/dev/vda ro quiet");
}

/* One boot of the machine per run: the same id in every process, made
 * from the seed only (devices.c opens it). */
size_t
procfs_boot_id(char *buf, size_t size)
{
	size_t		 done = 0, *len = &done;
	uint64_t	 h[2], z;
	unsigned char	 b[16];
	int		 i;

	for (i = 0; i < 2; i++) {	/* splitmix64 of the seed */
		z = sandbox_config()->sc_seed + 0x626f6f745f6964ULL +
		    (uint64_t)(i + 1) * 0x9e3779b97f4a7c15ULL;
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		h[i] = z ^ (z >> 31);
	}
	memcpy(b, h, sizeof(b));
	b[6] = (b[6] & 0x0f) | 0x40;	/* version 4 */
	b[8] = (b[8] & 0x3f) | 0x80;	/* RFC 4122 variant */
	for (i = 0; i < 16; i++)
		procfs_add(buf, size, len, "%s%02x", i == 4 || i == 6 || i == 8 ||
		    i == 10 ? "-" : "", b[i]);
	procfs_add(buf, size, len, "\n");
	return done;
}

/* A header with --cpus columns, then rows of zeros. */
static void
per_cpu(char *buf, size_t size, size_t *len, const char *const *rows,
    size_t nrows, int width)
{
	uint32_t	 i;
	size_t		 r;

	procfs_add(buf, size, len, "%*s", width, "");
	for (i = 0; i < ncpus(); i++)
		procfs_add(buf, size, len, "CPU%-8u", i);
	procfs_add(buf, size, len, "\n");
	for (r = 0; r < nrows; r++) {
		procfs_add(buf, size, len, "%*s:", width - 1, rows[r]);
		for (i = 0; i < ncpus(); i++)
			procfs_add(buf, size, len, " %10u", 0);
		procfs_add(buf, size, len, "\n");
	}
}

static void
interrupts(char *buf, size_t size, size_t *len)
{
	static const char *const rows[] = { "NMI", "LOC", "RES", "CAL",
	    "TLB" };

	per_cpu(buf, size, len, rows, sizeof(rows) / sizeof(rows[0]), 4);
	procfs_add(buf, size, len, " ERR: %10u\n MIS: %10u\n", 0, 0);
}

static void
softirqs(char *buf, size_t size, size_t *len)
{
	static const char *const rows[] = { "HI", "TIMER", "NET_TX",
	    "NET_RX", "BLOCK", "IRQ_POLL", "TASKLET", "SCHED", "HRTIMER",
	    "RCU" };

	per_cpu(buf, size, len, rows, sizeof(rows) / sizeof(rows[0]), 13);
}

/* The counters programs read, as meminfo's machine that did nothing. */
static void
vmstat(char *buf, size_t size, size_t *len)
{
	static const char *const zero[] = { "nr_dirty", "nr_writeback",
	    "pgpgin", "pgpgout", "pswpin", "pswpout", "pgfault",
	    "pgmajfault", "oom_kill" };
	size_t	 i;

	procfs_add(buf, size, len, "nr_free_pages %lu\n", FREE_KB / 4);
	for (i = 0; i < sizeof(zero) / sizeof(zero[0]); i++)
		procfs_add(buf, size, len, "%s 0\n", zero[i]);
}

/* One idle 8 GiB disk, no swap. */
static void
diskstats(char *buf, size_t size, size_t *len)
{
	int	 i;

	procfs_add(buf, size, len, " 254       0 vda");
	for (i = 0; i < 17; i++)
		procfs_add(buf, size, len, " 0");
	procfs_add(buf, size, len, "\n");
}

static void
partitions(char *buf, size_t size, size_t *len)
{
	procfs_add(buf, size, len, "major minor  #blocks  name\n\n"
	    " 254        0    8388608 vda\n");
}

static void
swaps(char *buf, size_t size, size_t *len)
{
	procfs_add(buf, size, len, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\t"
	    "Priority\n");
}

/*
 * The limits the kernel derives from the memory at boot, half the
 * max_threads it allows 4 GiB: the number of processes and of queued
 * signals, which getrlimit, /proc/PID/limits and status's SigQ show.
 * Set by the namespace's init before the command, so the kernel answers
 * them at no cost; a host whose hard limit is lower keeps its own.
 */
#define LIMIT_TASKS	16384

void
procfs_limits(void)
{
	static const int	 which[] = { RLIMIT_NPROC, RLIMIT_SIGPENDING };
	struct rlimit		 rl = { LIMIT_TASKS, LIMIT_TASKS };
	size_t			 i;

	for (i = 0; i < sizeof(which) / sizeof(which[0]); i++)
		(void)setrlimit(which[i], &rl);
}

static const struct {
	const char	*f_path;
	void		(*f_make)(char *, size_t, size_t *);
} files[] = {
	{ "/proc/uptime", uptime },
	{ "/proc/loadavg", loadavg },
	{ "/proc/stat", proc_stat },
	{ "/proc/cpuinfo", cpuinfo },
	{ "/proc/meminfo", meminfo },
	{ "/sys/devices/system/cpu/online", cpu_list },
	{ "/sys/devices/system/cpu/possible", cpu_list },
	{ "/sys/devices/system/cpu/present", cpu_list },
	{ "/proc/cmdline", cmdline },
	{ "/proc/interrupts", interrupts },
	{ "/proc/softirqs", softirqs },
	{ "/proc/vmstat", vmstat },
	{ "/proc/diskstats", diskstats },
	{ "/proc/partitions", partitions },
	{ "/proc/swaps", swaps },
};

static int
find(const char *path)
{
	size_t	 i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (strcmp(path, files[i].f_path) == 0)
			return (int)i;
	return -1;
}

size_t
procfs_content(struct it_task *t, const char *path, char *buf, size_t size)
{
	size_t	 len = 0;
	int	 i;

	cur = t;
	if ((i = find(path)) >= 0)
		files[i].f_make(buf, size, &len);
	else
		len = procpid_content(t, path, buf, size);
	return len;
}

/*
 * The host file a virtual one stands for, for fstat: the same path, but
 * the process's own directory named by its real tid.
 */
int
procfs_host_path(struct it_task *t, const char *path, char *out, size_t size)
{
	if (find(path) < 0)
		return procpid_host_path(t, path, out, size);
	strlcpy(out, path, size);
	return 0;
}
