/*
 * ittest: a handler table that exercises each way a handler can act, for
 * tests/progs/idcheck.c to observe:
 *	getppid	emulated: returns 4242, the kernel never runs it;
 *	uname	runs, then its result struct is rewritten in guest memory
 *		(nodename "isotrace-test") from an exit callback;
 *	getuid	emulated from two injected getpid() calls (the first from
 *		the seccomp stop, the second from the exit stop the first
 *		left): their common value, the caller's pid, or -EIO;
 *	umask	an argument rewritten: umask(0777) runs as umask(0022);
 *	getgid	a getpid() injected first, then the call itself re-issued:
 *		the caller must see its real gid;
 *	execve	at the exit of a successful one (the pc is the new entry,
 *		with no syscall instruction before it) getpid() twice, then
 *		setpriority(PRIO_PROCESS, 0, 19): the new image starts at
 *		nice 19;
 *	futex	a FUTEX_WAKE of 4242 waiters is emulated: 4242 woken (the
 *		kernel says 0): a tool's futex slot sees every futex call,
 *		not only the timed waits the sandbox asks for.
 */
#include <linux/futex.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <isotrace/isotrace.h>

static long
t_futex(struct it_task *t, it_gptr uaddr, int op, unsigned int val,
    it_gptr timeout, it_gptr uaddr2, unsigned long val3)
{
	(void)t;
	(void)uaddr;
	(void)timeout;
	(void)uaddr2;
	(void)val3;
	if ((op & FUTEX_CMD_MASK) == FUTEX_WAKE && val == 4242)
		return 4242;
	return IT_RUN_ORIGINAL;
}

static long
t_getppid(struct it_task *t)
{
	(void)t;
	return 4242;
}

static long
uname_done(struct it_task *t, long result, void *arg)
{
	it_gp_utsname	 gp = { (uint64_t)(uintptr_t)arg };
	struct utsname	 u;

	if (result < 0 || it_read_utsname(t, gp, &u) < 0)
		return result;
	snprintf(u.nodename, sizeof(u.nodename), "isotrace-test");
	if (it_write_utsname(t, gp, &u) < 0)
		return -EFAULT;
	return result;
}

static long
t_uname(struct it_task *t, it_gp_utsname buf)
{
	/* The guest address rides in the callback's argument: several
	 * threads may be inside uname at once. */
	it_task_on_exit(t, uname_done, (void *)(uintptr_t)buf.addr);
	return IT_RUN_ORIGINAL;
}

static long
t_getuid(struct it_task *t)
{
	long	 a = it_task_syscall(t, SYS_getpid, 0, 0, 0, 0, 0, 0);
	long	 b = it_task_syscall(t, SYS_getpid, 0, 0, 0, 0, 0, 0);

	return a == it_task_pid(t) && b == a ? a : -EIO;
}

static long
t_umask(struct it_task *t, unsigned int mask)
{
	if (mask == 0777)
		it_task_set_arg(t, 0, 0022);
	return IT_RUN_ORIGINAL;
}

static long
t_getgid(struct it_task *t)
{
	if (it_task_syscall(t, SYS_getpid, 0, 0, 0, 0, 0, 0) != it_task_pid(t))
		return -EIO;
	return IT_RUN_ORIGINAL;
}

static long
exec_done(struct it_task *t, long result, void *arg)
{
	long	 a, b;

	(void)arg;
	if (result != 0)
		return result;
	a = it_task_syscall(t, SYS_getpid, 0, 0, 0, 0, 0, 0);
	b = it_task_syscall(t, SYS_getpid, 0, 0, 0, 0, 0, 0);
	if (a == it_task_pid(t) && b == a)
		(void)it_task_syscall(t, SYS_setpriority, PRIO_PROCESS, 0, 19,
		    0, 0, 0);
	return result;
}

static long
t_execve(struct it_task *t, it_gp_str path, it_gptr argv, it_gptr envp)
{
	(void)path;
	(void)argv;
	(void)envp;
	it_task_on_exit(t, exec_done, NULL);
	return IT_RUN_ORIGINAL;
}

static const struct it_table ittest = {
	.execve = t_execve,
	.futex = t_futex,
	.getgid = t_getgid,
	.getppid = t_getppid,
	.uname = t_uname,
	.getuid = t_getuid,
	.umask = t_umask,
};

int
main(int argc, char *argv[])
{
	return it_main(argc, argv, &ittest);
}
