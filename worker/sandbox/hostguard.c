/*
 * The sandbox never changes the host.  A program run as root (or as the
 * virtual root it believes it is) may try to change what the whole
 * machine shares: its clock and names (virtual instead: time.c, uts.c),
 * kernel modules, swap, the reboot and kexec paths, process accounting,
 * the kernel log, quotas, I/O ports, BPF programs, keys in the user's and
 * session's keyrings, mounts, and the files of /proc/sys, /sys and the
 * other kernel-state filesystems.  Each such call fails here as it would
 * for an unprivileged user: EPERM, or EACCES for opening a kernel-state
 * file for writing.
 *
 * Mounts are the one exception: a process in a user namespace of its own
 * (the run's, or one it made) owns its mount namespace, whose mounts
 * cannot propagate to the host's, and the kernel's own checks suffice.
 */
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <linux/magic.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../engine/task.h"
#include "sandbox.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC	0x63677270
#endif
#ifndef BPF_FS_MAGIC
#define BPF_FS_MAGIC		0xcafe4a11
#endif
#ifndef TRACEFS_MAGIC
#define TRACEFS_MAGIC		0x74726163
#endif
#ifndef EFIVARFS_MAGIC
#define EFIVARFS_MAGIC		0xde5e81e4
#endif
#define CONFIGFS_MAGIC		0x62656570
#define BINFMTFS_MAGIC		0x42494e4d

/* Filesystems whose files are the kernel's state, not data. */
static const unsigned long kernel_fs[] = {
	PROC_SUPER_MAGIC, SYSFS_MAGIC, CGROUP_SUPER_MAGIC,
	CGROUP2_SUPER_MAGIC, DEBUGFS_MAGIC, TRACEFS_MAGIC, SECURITYFS_MAGIC,
	BPF_FS_MAGIC, PSTOREFS_MAGIC, EFIVARFS_MAGIC, CONFIGFS_MAGIC,
	BINFMTFS_MAGIC,
};

/* Is the caller in a user namespace of its own (not the worker's)? */
static int
own_userns(struct it_task *t)
{
	struct stat	 a, b;
	char		 path[64];

	snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)it_task_tid(t));
	return stat("/proc/self/ns/user", &a) == 0 && stat(path, &b) == 0 &&
	    (a.st_ino != b.st_ino || a.st_dev != b.st_dev);
}

/*
 * Files of /proc/sys whose value belongs to the caller's own pid
 * namespace: in a run with namespaces of its own (--sandbox-pids=
 * namespace) writing them changes nothing outside the run.  (The host
 * and domain names stay refused: the run's names are uts.c's, which
 * these files would bypass.)
 */
static const char *const ns_sysctls[] = {
	"/proc/sys/kernel/ns_last_pid",
};

/*
 * Is fd (of t) a file whose writing changes the kernel?  /proc/PID/...
 * files are a process's own (comm, oom_score_adj, uid_map...): the
 * kernel's permission checks decide those.
 */
static int
kernel_file(struct it_task *t, int fd)
{
	pid_t		 tid = it_task_tid(t);
	struct statfs	 sf;
	char		 path[64], link[4096];
	ssize_t		 n;
	size_t		 i;

	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)tid, fd);
	if (statfs(path, &sf) == -1)
		return 0;
	for (i = 0; i < sizeof(kernel_fs) / sizeof(kernel_fs[0]); i++)
		if ((unsigned long)sf.f_type == kernel_fs[i])
			break;
	if (i == sizeof(kernel_fs) / sizeof(kernel_fs[0]))
		return 0;
	if ((unsigned long)sf.f_type != PROC_SUPER_MAGIC)
		return 1;
	if ((n = readlink(path, link, sizeof(link) - 1)) <= 0)
		return 1;
	link[n] = '\0';
	if (strncmp(link, "/proc/", 6) == 0 && link[6] >= '0' &&
	    link[6] <= '9')
		return 0;
	for (i = 0; i < sizeof(ns_sysctls) / sizeof(ns_sysctls[0]); i++)
		if (strcmp(link, ns_sysctls[i]) == 0)
			return !own_userns(t);
	return 1;
}

static long
open_done(struct it_task *t, long fd, void *arg)
{
	(void)arg;
	if (fd < 0 || !kernel_file(t, (int)fd))
		return fd;
	(void)it_task_syscall(t, SYS_close, (uint64_t)fd, 0, 0, 0, 0, 0);
	return -EACCES;
}

long
sandbox_open_check(struct it_task *t, unsigned int flags)
{
	if ((flags & O_ACCMODE) == O_RDONLY && !(flags & O_TRUNC))
		return IT_RUN_ORIGINAL;
	it_task_on_exit(t, open_done, NULL);
	return IT_RUN_ORIGINAL;
}

/* open, openat and openat2 come here through devices.c, which answers
 * its virtual files first. */
static long
sb_creat(struct it_task *t, it_gp_str pathname, unsigned int mode)
{
	(void)pathname;
	(void)mode;
	return sandbox_open_check(t, O_WRONLY | O_CREAT | O_TRUNC);
}

/* Calls refused outright: no unprivileged user may make them. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#define REFUSE(name, ...)						\
static long								\
sb_##name(struct it_task *t, __VA_ARGS__)				\
{									\
	return -EPERM;							\
}

REFUSE(init_module, it_gptr image, unsigned long len, it_gp_str params)
REFUSE(finit_module, int fd, it_gp_str params, unsigned int flags)
REFUSE(delete_module, it_gp_str name, unsigned int flags)
REFUSE(swapon, it_gp_str path, unsigned int flags)
REFUSE(swapoff, it_gp_str path)
REFUSE(reboot, unsigned long magic, unsigned long magic2, int cmd,
    it_gptr arg)
REFUSE(kexec_load, unsigned long entry, unsigned long nr, it_gptr segs,
    unsigned long flags)
REFUSE(kexec_file_load, int kfd, int ifd, unsigned long len,
    it_gp_str cmdline, unsigned long flags)
REFUSE(acct, it_gp_str filename)
REFUSE(syslog, int type, it_gptr buf, int len)
REFUSE(quotactl, unsigned long cmd, it_gp_str special, int id, it_gptr addr)
REFUSE(quotactl_fd, int fd, unsigned long cmd, int id, it_gptr addr)
REFUSE(ioperm, unsigned long from, unsigned long num, int on)
REFUSE(iopl, int level)
REFUSE(_sysctl, it_gptr args)
REFUSE(nfsservctl, int cmd, it_gptr argp, it_gptr resp)
REFUSE(bpf, int cmd, it_gptr attr, unsigned int size)
#pragma GCC diagnostic pop

static long
sb_vhangup(struct it_task *t)
{
	(void)t;
	return -EPERM;
}

/*
 * Keys: a process's own keyrings (thread, process) are its own; the
 * session, user and group ones outlive it and are shared with the host.
 */
#define KEY_SPEC_THREAD_KEYRING		-1
#define KEY_SPEC_PROCESS_KEYRING	-2
#define KEYCTL_GET_KEYRING_ID		0
#define KEYCTL_JOIN_SESSION_KEYRING	1
#define KEYCTL_DESCRIBE			6
#define KEYCTL_READ			11
#define KEYCTL_GET_SECURITY		17

static int
own_keyring(int k)
{
	return k == KEY_SPEC_THREAD_KEYRING || k == KEY_SPEC_PROCESS_KEYRING;
}

static long
sb_add_key(struct it_task *t, it_gp_str type, it_gp_str desc, it_gptr pl,
    size_t plen, int keyring)
{
	(void)t, (void)type, (void)desc, (void)pl, (void)plen;
	return own_keyring(keyring) ? IT_RUN_ORIGINAL : -EPERM;
}

static long
sb_request_key(struct it_task *t, it_gp_str type, it_gp_str desc,
    it_gp_str callout, int dest)
{
	(void)t, (void)type, (void)desc, (void)callout;
	return dest == 0 || own_keyring(dest) ? IT_RUN_ORIGINAL : -EPERM;
}

/* Reading keys, and a new session keyring of the process's own, are
 * harmless; every other operation may change a shared keyring. */
static long
sb_keyctl(struct it_task *t, int op, unsigned long a2, unsigned long a3,
    unsigned long a4, unsigned long a5)
{
	(void)t, (void)a2, (void)a3, (void)a4, (void)a5;
	switch (op) {
	case KEYCTL_GET_KEYRING_ID:
	case KEYCTL_JOIN_SESSION_KEYRING:
	case KEYCTL_DESCRIBE:
	case KEYCTL_READ:
	case KEYCTL_GET_SECURITY:
		return IT_RUN_ORIGINAL;
	}
	return -EPERM;
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#define MOUNTS(name, ...)						\
static long								\
sb_##name(struct it_task *t, __VA_ARGS__)				\
{									\
	return own_userns(t) ? IT_RUN_ORIGINAL : -EPERM;		\
}

MOUNTS(mount, it_gp_str src, it_gp_str target, it_gp_str fstype,
    unsigned long flags, it_gptr data)
MOUNTS(umount2, it_gp_str target, unsigned int flags)
MOUNTS(pivot_root, it_gp_str new_root, it_gp_str put_old)
MOUNTS(move_mount, int fromfd, it_gp_str from, int tofd, it_gp_str to,
    unsigned int flags)
MOUNTS(fsmount, int fd, unsigned int flags, unsigned int attr)
MOUNTS(mount_setattr, int dirfd, it_gp_str path, unsigned int flags,
    it_gp_mount_attr attr, size_t size)
#pragma GCC diagnostic pop

const struct it_table sandbox_hostguard = {
	.creat = sb_creat,
	.init_module = sb_init_module,
	.finit_module = sb_finit_module,
	.delete_module = sb_delete_module,
	.swapon = sb_swapon,
	.swapoff = sb_swapoff,
	.reboot = sb_reboot,
	.kexec_load = sb_kexec_load,
	.kexec_file_load = sb_kexec_file_load,
	.acct = sb_acct,
	.syslog = sb_syslog,
	.quotactl = sb_quotactl,
	.quotactl_fd = sb_quotactl_fd,
	.ioperm = sb_ioperm,
	.iopl = sb_iopl,
	._sysctl = sb__sysctl,
	.nfsservctl = sb_nfsservctl,
	.bpf = sb_bpf,
	.vhangup = sb_vhangup,
	.add_key = sb_add_key,
	.request_key = sb_request_key,
	.keyctl = sb_keyctl,
	.mount = sb_mount,
	.umount2 = sb_umount2,
	.pivot_root = sb_pivot_root,
	.move_mount = sb_move_mount,
	.fsmount = sb_fsmount,
	.mount_setattr = sb_mount_setattr,
};
