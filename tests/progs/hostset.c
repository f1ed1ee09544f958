/*
 * hostset: tries to change what the whole machine shares, and prints what
 * each call returned and what reads back.
 *	hostset clock	clock_settime, settimeofday, adjtimex
 *	hostset name	sethostname, setdomainname, /proc/sys/kernel files
 *	hostset refused	modules, swap, reboot, kexec, accounting, the
 *			kernel log, I/O ports, BPF, keys, mounts, sysrq
 * Run it only where the kernel refuses each change (unshare -Ur; unshare
 * -u for the names): it is the sandbox that must keep the host as it is.
 */
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timex.h>
#include <sys/utsname.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void
show(const char *what, long r)
{
	if (r == -1)
		printf("%s: %s\n", what, strerrorname_np(errno));
	else
		printf("%s: %ld\n", what, r);
}

static void
clock_part(void)
{
	struct timespec	 ts = { 1234567890, 0 }, bad = { 1, 1000000000 }, now;
	struct timeval	 tv = { 1500000000, 0 };
	struct timezone	 tz = { 60, 0 };
	struct timex	 tx;

	show("clock_settime(CLOCK_REALTIME)",
	    clock_settime(CLOCK_REALTIME, &ts));
	clock_gettime(CLOCK_REALTIME, &now);
	printf("realtime %lld\n", (long long)now.tv_sec);
	show("clock_settime(CLOCK_MONOTONIC)",
	    clock_settime(CLOCK_MONOTONIC, &ts));
	show("clock_settime(bad nsec)", clock_settime(CLOCK_REALTIME, &bad));
	show("settimeofday(tv)", settimeofday(&tv, NULL));
	printf("time %lld\n", (long long)time(NULL));
	show("settimeofday(tz)", settimeofday(NULL, &tz));
	memset(&tx, 0, sizeof(tx));
	tx.modes = ADJ_OFFSET;
	tx.offset = 1000;
	show("adjtimex(ADJ_OFFSET)", adjtimex(&tx));
	memset(&tx, 0, sizeof(tx));
	show("adjtimex(read)", adjtimex(&tx) >= 0 ? 0 : -1);
	printf("adjtimex time %lld\n", (long long)tx.time.tv_sec);
}

static void
cat(const char *path)
{
	char	 buf[128];
	ssize_t	 n;
	int	 fd;

	if ((fd = open(path, O_RDONLY)) == -1 ||
	    (n = read(fd, buf, sizeof(buf) - 1)) < 0) {
		printf("%s: %s\n", path, strerrorname_np(errno));
		return;
	}
	buf[n] = '\0';
	printf("%s: %s", path, buf);
	close(fd);
}

static void
open_w(const char *path)
{
	int	 fd = open(path, O_WRONLY);

	show(path, fd < 0 ? -1 : 0);
	if (fd >= 0)
		close(fd);
}

static void
name_part(void)
{
	struct utsname	 u;
	char		 h[65];

	show("sethostname", sethostname("virtual-host", 12));
	show("setdomainname", setdomainname("virtual.dom", 11));
	uname(&u);
	gethostname(h, sizeof(h));
	printf("uname %s %s gethostname %s\n", u.nodename, u.domainname, h);
	cat("/proc/sys/kernel/hostname");
	cat("/proc/sys/kernel/domainname");
	show("sethostname(65 bytes)", sethostname(h, 65));
	open_w("/proc/sys/kernel/hostname");
	open_w("/proc/sys/kernel/domainname");
	open_w("/proc/sys/vm/drop_caches");
	open_w("/proc/sysrq-trigger");
	open_w("/proc/self/comm");
}

static void
refused_part(void)
{
	show("init_module", syscall(SYS_init_module, "", 0UL, ""));
	show("delete_module", syscall(SYS_delete_module, "isotrace", 0));
	show("swapoff", syscall(SYS_swapoff, "/nonexistent"));
	show("reboot", syscall(SYS_reboot, 0xfee1dead, 672274793, 0, NULL));
	show("kexec_load", syscall(SYS_kexec_load, 0UL, 0UL, NULL, 0UL));
	show("acct", syscall(SYS_acct, NULL));
	show("syslog(CLEAR)", syscall(SYS_syslog, 5, NULL, 0));
	show("iopl", syscall(SYS_iopl, 3));
	show("ioperm", syscall(SYS_ioperm, 0x80UL, 1UL, 1));
	show("bpf", syscall(SYS_bpf, 5, NULL, 0));
	show("add_key(user keyring)", syscall(SYS_add_key, "user", "isotrace",
	    "x", 1, -4));
	show("umount2", syscall(SYS_umount2, "/nonexistent", 0));
	show("mount", mount("none", "/nonexistent", "tmpfs", 0, NULL));
	show("vhangup", syscall(SYS_vhangup));
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc != 2)
		return 2;
	if (strcmp(argv[1], "clock") == 0)
		clock_part();
	else if (strcmp(argv[1], "name") == 0)
		name_part();
	else if (strcmp(argv[1], "refused") == 0)
		refused_part();
	else
		return 2;
	return 0;
}
