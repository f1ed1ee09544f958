/*
 * Fixed identity: every process runs as --uid (default 0) and its group,
 * whatever the host user is.  Only what a process reads is changed; the
 * kernel still enforces the real credentials.
 */
#include "sandbox.h"

static long
sb_getuid(struct it_task *t)
{
	(void)t;
	return sandbox_config()->sc_uid;
}

static long
sb_getgid(struct it_task *t)
{
	(void)t;
	return sandbox_config()->sc_gid;
}

static long
sb_getresuid(struct it_task *t, it_gp_uid r, it_gp_uid e, it_gp_uid s)
{
	unsigned int	 uid = sandbox_config()->sc_uid;
	int		 err;

	if ((err = it_write_uid(t, r, &uid)) < 0 ||
	    (err = it_write_uid(t, e, &uid)) < 0 ||
	    (err = it_write_uid(t, s, &uid)) < 0)
		return err;
	return 0;
}

static long
sb_getresgid(struct it_task *t, it_gp_gid r, it_gp_gid e, it_gp_gid s)
{
	unsigned int	 gid = sandbox_config()->sc_gid;
	int		 err;

	if ((err = it_write_gid(t, r, &gid)) < 0 ||
	    (err = it_write_gid(t, e, &gid)) < 0 ||
	    (err = it_write_gid(t, s, &gid)) < 0)
		return err;
	return 0;
}

const struct it_table sandbox_identity = {
	.getuid = sb_getuid,
	.geteuid = sb_getuid,
	.getgid = sb_getgid,
	.getegid = sb_getgid,
	.getresuid = sb_getresuid,
	.getresgid = sb_getresgid,
};
