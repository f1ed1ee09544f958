/*
 * Identity: every process starts as --uid (default 0) and its group,
 * whatever the host user is, and follows its own changes as the kernel
 * does.  Only what a process reads is changed, and only while the kernel's
 * answer is the id the run started with: a program that has made itself
 * someone else (setuid(65534), as subprocess.Popen(user=...) does) reads
 * who it is now.  The kernel still enforces the real credentials.
 *
 * In the run's own user namespace (pidns.c) the start is uid 0 inside,
 * mapped onto the host user; this table is used there only when --uid
 * asks for another id.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "sandbox.h"

static uint32_t
start_uid(void)
{
	return sandbox_pidns() ? 0 : (uint32_t)getuid();
}

static uint32_t
start_gid(void)
{
	return sandbox_pidns() ? 0 : (uint32_t)getgid();
}

static long
uid_done(struct it_task *t, long r, void *arg)
{
	(void)t;
	(void)arg;
	return r >= 0 && (uint32_t)r == start_uid() ?
	    (long)sandbox_config()->sc_uid : r;
}

static long
gid_done(struct it_task *t, long r, void *arg)
{
	(void)t;
	(void)arg;
	return r >= 0 && (uint32_t)r == start_gid() ?
	    (long)sandbox_config()->sc_gid : r;
}

static long
sb_getuid(struct it_task *t)
{
	it_task_on_exit(t, uid_done, NULL);
	return IT_RUN_ORIGINAL;
}

static long
sb_getgid(struct it_task *t)
{
	it_task_on_exit(t, gid_done, NULL);
	return IT_RUN_ORIGINAL;
}

/* getresuid/getresgid: each of the three ids the kernel wrote. */
struct res {
	uint64_t	 r_addr[3];
	uint32_t	 r_start, r_virtual;
};

static long
res_done(struct it_task *t, long r, void *arg)
{
	struct res	*rs = arg;
	uint32_t	 id;
	int		 i;

	for (i = 0; r == 0 && i < 3; i++)
		if (it_mem_read(t, rs->r_addr[i], &id, sizeof(id)) == 0 &&
		    id == rs->r_start)
			(void)it_mem_write(t, rs->r_addr[i], &rs->r_virtual,
			    sizeof(id));
	free(rs);
	return r;
}

static long
res_call(struct it_task *t, uint64_t a, uint64_t b, uint64_t c,
    uint32_t start, uint32_t virt)
{
	struct res	*rs;

	if ((rs = malloc(sizeof(*rs))) == NULL)
		return -ENOMEM;
	rs->r_addr[0] = a;
	rs->r_addr[1] = b;
	rs->r_addr[2] = c;
	rs->r_start = start;
	rs->r_virtual = virt;
	it_task_on_exit(t, res_done, rs);
	return IT_RUN_ORIGINAL;
}

static long
sb_getresuid(struct it_task *t, it_gp_uid r, it_gp_uid e, it_gp_uid s)
{
	return res_call(t, r.addr, e.addr, s.addr, start_uid(),
	    sandbox_config()->sc_uid);
}

static long
sb_getresgid(struct it_task *t, it_gp_gid r, it_gp_gid e, it_gp_gid s)
{
	return res_call(t, r.addr, e.addr, s.addr, start_gid(),
	    sandbox_config()->sc_gid);
}

const struct it_table sandbox_identity = {
	.getuid = sb_getuid,
	.geteuid = sb_getuid,
	.getgid = sb_getgid,
	.getegid = sb_getgid,
	.getresuid = sb_getresuid,
	.getresgid = sb_getresgid,
};
