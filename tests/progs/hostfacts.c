/*
 * hostfacts: prints what a program learns about the machine it runs on:
 * its CPU (getcpu, sched_getcpu, the rseq area, CPUID), the CPU count
 * (sched_getaffinity, sysconf, /sys), and the /proc files that show
 * uptime, load, CPU times, memory and the process's start time.  Under
 * isotrace --sandbox two runs print the same bytes.
 *
 * "hostfacts forge" instead executes a cpuid right after a syscall that
 * queues itself a kernel-style SIGSEGV (si_code SI_KERNEL), which is what
 * a CPU with CPUID faulting sends: the sandbox answers it, so the answer
 * is tested on a CPU that cannot fault CPUID.  "hostfacts canfault"
 * says whether this CPU can (arch_prctl ARCH_SET_CPUID).
 */
#include <asm/prctl.h>
#include <sys/syscall.h>
#include <sys/rseq.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]),
	    "=d"(r[3]) : "a"(leaf), "c"(sub));
}

static void
show_cpuid(const char *how, uint32_t leaf, const uint32_t r[4])
{
	printf("%s %#x: %08x %08x %08x %08x\n", how, leaf, r[0], r[1], r[2],
	    r[3]);
}

static void
brand(const char *how, void (*get)(uint32_t, uint32_t, uint32_t *))
{
	uint32_t	 b[13];
	int		 i;

	for (i = 0; i < 3; i++)
		get(0x80000002 + (uint32_t)i, 0, b + 4 * i);
	b[12] = 0;
	printf("%s brand: %s\n", how, (char *)b);
}

static void
file(const char *path, int lines)
{
	char	 line[4096];
	FILE	*f;
	int	 n = 0;

	if ((f = fopen(path, "r")) == NULL) {
		printf("%s: cannot open\n", path);
		return;
	}
	while ((lines == 0 || n < lines) && fgets(line, sizeof(line), f)) {
		printf("%s: %s", path, line);
		n++;
	}
	fclose(f);
}

/* Field 22 of /proc/self/stat, counted after the command's ')'. */
static void
starttime(void)
{
	char	 line[1024], *p, *f;
	FILE	*fp;
	int	 field = 2;

	if ((fp = fopen("/proc/self/stat", "r")) == NULL ||
	    fgets(line, sizeof(line), fp) == NULL ||
	    (p = strrchr(line, ')')) == NULL) {
		printf("/proc/self/stat: cannot read\n");
		return;
	}
	fclose(fp);
	for (f = strtok(p + 1, " "); f != NULL; f = strtok(NULL, " "))
		if (++field == 22)
			printf("starttime %s\n", f);
}

/*
 * A cpuid at the instruction after a syscall that queues SIGSEGV to
 * ourselves with si_code SI_KERNEL: the signal arrives at the cpuid, with
 * eax 0 (the syscall's result), as a CPUID fault of leaf 0 would.
 */
static void
forged(uint32_t r[4])
{
	siginfo_t	 si;
	long		 pid = getpid(), tid = syscall(SYS_gettid);
	uint32_t	 b, c, d;

	memset(&si, 0, sizeof(si));
	si.si_signo = SIGSEGV;
	si.si_code = SI_KERNEL;
	/* No call between these and the asm: it would clobber them. */
	register long	 rax __asm__("rax") = SYS_rt_tgsigqueueinfo;
	register long	 rdi __asm__("rdi") = pid;
	register long	 rsi __asm__("rsi") = tid;
	register long	 rdx __asm__("rdx") = SIGSEGV;
	register long	 r10 __asm__("r10") = (long)&si;

	__asm__ volatile("syscall\n\tcpuid"
	    : "+r"(rax), "+r"(rdx), "=b"(b), "=c"(c)
	    : "r"(rdi), "r"(rsi), "r"(r10)
	    : "r11", "memory");
	d = (uint32_t)rdx;
	r[0] = (uint32_t)rax;
	r[1] = b;
	r[2] = c;
	r[3] = d;
}

int
main(int argc, char *argv[])
{
	uint32_t	 r[4];
	unsigned int	 c = 99, node = 99;
	cpu_set_t	 set;

	if (argc > 1 && strcmp(argv[1], "forge") == 0) {
		/* No handler: an unanswered fault kills us with SIGSEGV. */
		forged(r);
		printf("forged cpuid vendor %.4s%.4s%.4s max leaf %u\n",
		    (char *)&r[1], (char *)&r[3], (char *)&r[2], r[0]);
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "canfault") == 0) {
		/* Can this CPU make cpuid fault?  Asked natively, where
		 * nothing else answers arch_prctl. */
		if (syscall(SYS_arch_prctl, ARCH_SET_CPUID, 0) == 0)
			printf("cpuid faulting yes\n");
		else
			printf("cpuid faulting no: %s\n", strerror(errno));
		return 0;
	}
	if (syscall(SYS_getcpu, &c, &node, NULL) == 0)
		printf("getcpu cpu %u node %u\n", c, node);
	printf("sched_getcpu %d\n", sched_getcpu());
	printf("rseq %s\n", __rseq_size > 0 ? "registered" : "none");
	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		printf("affinity %d cpus\n", CPU_COUNT(&set));
	printf("sysconf online %ld configured %ld\n",
	    sysconf(_SC_NPROCESSORS_ONLN), sysconf(_SC_NPROCESSORS_CONF));
	cpuid(0, 0, r);
	printf("cpuid vendor %.4s%.4s%.4s\n", (char *)&r[1], (char *)&r[3],
	    (char *)&r[2]);
	cpuid(1, 0, r);
	/* Bits 31-24 of ebx are the APIC id of the CPU it ran on: with
	 * CPUID faulting the sandbox's 0, without it the host's (the man
	 * page's CAVEATS), which would make two runs differ. */
	r[1] &= 0x00ffffff;
	show_cpuid("cpuid", 1, r);
	brand("cpuid", cpuid);
	file("/proc/uptime", 0);
	file("/proc/loadavg", 0);
	file("/proc/stat", 0);
	file("/proc/cpuinfo", 0);
	file("/proc/meminfo", 0);
	starttime();
	file("/sys/devices/system/cpu/online", 0);
	file("/sys/devices/system/cpu/possible", 0);
	file("/sys/devices/system/cpu/present", 0);
	return 0;
}
