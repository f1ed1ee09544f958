/*
 * File timestamps and system information.  stat and friends run for real
 * (sizes, modes and link counts are the program's business) and their
 * times are rewritten to the epoch on the way out; uname and sysinfo are
 * answered with fixed values.
 */
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <string.h>

#include "sandbox.h"

static long
stat_done(struct it_task *t, long result, void *arg)
{
	it_gp_stat	 gp = { (uint64_t)(uintptr_t)arg };
	struct stat	 st;
	struct timespec	 ts = { sandbox_config()->sc_epoch, 0 };

	if (result != 0 || it_read_stat(t, gp, &st) < 0)
		return result;
	st.st_atim = st.st_mtim = st.st_ctim = ts;
	(void)it_write_stat(t, gp, &st);
	return result;
}

/* The guest address rides in the callback argument: threads of one
 * process may be inside stat at once. */
static long
fix_stat(struct it_task *t, it_gp_stat buf)
{
	it_task_on_exit(t, stat_done, (void *)(uintptr_t)buf.addr);
	return IT_RUN_ORIGINAL;
}

static long
sb_stat(struct it_task *t, it_gp_str path, it_gp_stat buf)
{
	(void)path;
	return fix_stat(t, buf);
}

static long
sb_fstat(struct it_task *t, int fd, it_gp_stat buf)
{
	long	 r;

	if ((r = devices_fstat(t, fd, buf)) != IT_RUN_ORIGINAL)
		return r;
	return fix_stat(t, buf);
}

static long
sb_newfstatat(struct it_task *t, int dirfd, it_gp_str path, it_gp_stat buf,
    unsigned int flags)
{
	long	 r;

	if ((r = devices_fstatat(t, dirfd, path, flags, buf)) !=
	    IT_RUN_ORIGINAL)
		return r;
	return fix_stat(t, buf);
}

static long
statx_done(struct it_task *t, long result, void *arg)
{
	it_gp_statx	 gp = { (uint64_t)(uintptr_t)arg };
	struct statx	 sx;
	struct statx_timestamp ts = { .tv_sec = sandbox_config()->sc_epoch };

	if (result != 0 || it_read_statx(t, gp, &sx) < 0)
		return result;
	sx.stx_atime = sx.stx_btime = sx.stx_ctime = sx.stx_mtime = ts;
	(void)it_write_statx(t, gp, &sx);
	return result;
}

static long
sb_statx(struct it_task *t, int dirfd, it_gp_str path, unsigned int flags,
    unsigned int mask, it_gp_statx buf)
{
	long	 r;

	(void)mask;
	if ((r = devices_statx(t, dirfd, path, flags, buf)) != IT_RUN_ORIGINAL)
		return r;
	it_task_on_exit(t, statx_done, (void *)(uintptr_t)buf.addr);
	return IT_RUN_ORIGINAL;
}

static long
sb_uname(struct it_task *t, it_gp_utsname buf)
{
	struct utsname	 u;

	memset(&u, 0, sizeof(u));
	strlcpy(u.sysname, "Linux", sizeof(u.sysname));
	sandbox_uts_get(u.nodename, u.domainname);
	strlcpy(u.release, "6.1.0-isotrace", sizeof(u.release));
	strlcpy(u.version, "#1 SMP PREEMPT_DYNAMIC 2000-01-01",
	    sizeof(u.version));
	strlcpy(u.machine, "x86_64", sizeof(u.machine));
	return it_write_utsname(t, buf, &u);
}

static long
sb_sysinfo(struct it_task *t, it_gp_sysinfo info)
{
	struct sysinfo	 si;

	memset(&si, 0, sizeof(si));
	si.uptime = 100;
	si.totalram = 4UL << 30;
	si.freeram = 2UL << 30;
	si.procs = 1;
	si.mem_unit = 1;
	return it_write_sysinfo(t, info, &si);
}

const struct it_table sandbox_metadata = {
	.stat = sb_stat,
	.fstat = sb_fstat,
	.lstat = sb_stat,
	.newfstatat = sb_newfstatat,
	.statx = sb_statx,
	.uname = sb_uname,
	.sysinfo = sb_sysinfo,
};
