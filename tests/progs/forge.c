/*
 * forge: a program with a seccomp filter of its own, which marks calls
 * the way a tracer's filter would: getpid and gettimeofday return
 * SECCOMP_RET_TRACE with data 1, getppid RET_TRACE with other data, and
 * socket fails with EACCES.  Then prints what each call gave (EPOCH, the
 * only argument, is the sandbox's start time in seconds):
 *	getpid: real | N | ENOSYS	(real: the pid /proc/self names)
 *	getppid: real | N | ENOSYS	(real: the ppid /proc/self/stat has)
 *	time: real | virtual | ENOSYS	(virtual: within a minute of EPOCH)
 *	socket: ok | EACCES | ...
 * Natively a RET_TRACE call without a tracer fails with ENOSYS.  A
 * tracer must decide what a call is from the kernel's facts, not from
 * the data such a filter returns: under isotrace --sandbox getpid is the
 * virtual 1000 and the time virtual.
 */
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NR(n, ret)							\
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (n), 0, 1),			\
	BPF_STMT(BPF_RET | BPF_K, (ret))

static int
install(void)
{
	struct sock_filter	 insn[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, nr)),
		NR(SYS_getpid, SECCOMP_RET_TRACE | 1),
		NR(SYS_gettimeofday, SECCOMP_RET_TRACE | 1),
		NR(SYS_getppid, SECCOMP_RET_TRACE | 0x1234),
		NR(SYS_socket, SECCOMP_RET_ERRNO | EACCES),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog	 prog = { sizeof(insn) / sizeof(insn[0]), insn };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		return -1;
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
}

static void
show(const char *what, long r, long real)
{
	if (r == -1)
		printf("%s: %s\n", what, strerrorname_np(errno));
	else if (r == real)
		printf("%s: real\n", what);
	else
		printf("%s: %ld\n", what, r);
}

int
main(int argc, char *argv[])
{
	struct timeval	 tv;
	char		 buf[512], *p;
	long		 pid, ppid, epoch;
	FILE		*f;
	int		 fd;

	/* The real ids, from the kernel's files (no call the filter
	 * marks). */
	if (argc != 2) {
		fprintf(stderr, "usage: forge EPOCH\n");
		return 2;
	}
	epoch = atol(argv[1]);
	if ((f = fopen("/proc/self/stat", "r")) == NULL ||
	    fgets(buf, sizeof(buf), f) == NULL)
		return 1;
	fclose(f);
	pid = atol(buf);
	if ((p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 2, "%*c %ld", &ppid) != 1)
		return 1;
	if (install() == -1) {
		perror("seccomp");
		return 1;
	}
	show("getpid", syscall(SYS_getpid), pid);
	show("getppid", syscall(SYS_getppid), ppid);
	if (syscall(SYS_gettimeofday, &tv, NULL) == -1)
		printf("time: %s\n", strerrorname_np(errno));
	else
		printf("time: %s\n", tv.tv_sec >= epoch &&
		    tv.tv_sec < epoch + 60 ? "virtual" : "real");
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		printf("socket: %s\n", strerrorname_np(errno));
	else
		printf("socket: ok\n");
	return 0;
}
