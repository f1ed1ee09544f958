/*
 * --verify: run the command twice under the sandbox, on the same input
 * and each time with a fresh private TMPDIR, and compare what the two
 * runs wrote and how they ended.  The first run's output is passed on as
 * it comes; the verdict goes to stderr at the end.
 *
 * The two runs run at once, so that the input can be streamed: reading it
 * all first (to replay it) would need a copy as large as the input, and
 * would wait for an end that may never come (`yes |`, `sleep 30 |`).  A
 * loop here (verify_io.c) copies standard input to both runs' pipes and
 * compares their outputs as they come, with bounded buffers: how far one
 * run may be ahead of the other is bounded, and the one ahead waits.
 *
 * Each run's TMPDIR is a directory of its own.  Both see it at the same
 * path, through a mount namespace of the run's own (and for a user who is
 * not root, a user namespace that maps the user's ids to themselves), so
 * that a program that prints the name of a temporary file prints the same
 * name in both runs.  Where no namespace can be had, the two paths differ
 * in their last byte.
 *
 * The scratch directory is removed on every way out: the end, a failure
 * of isotrace's own after it was made, and SIGINT, SIGTERM or SIGHUP (the
 * runs are killed first, then the signal ends isotrace as it would have).
 */
#include <sys/mount.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/log.h"
#include "../worker/engine/shared.h"
#include "supervisor.h"
#include "verify.h"

static char	 base[PATH_MAX / 2];	/* "" until made */
static pid_t	 owner;			/* the process that made it */
static unsigned	*hazards;		/* each run's preemptions (sched.c) */

static int
rm_entry(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

static void
rm_base(void)
{
	/* A run's child calls exit() too: only the maker removes it. */
	if (base[0] == '\0' || getpid() != owner)
		return;
	(void)nftw(base, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	base[0] = '\0';
}

static int
write_file(const char *path, const char *text)
{
	int	 fd, ok;

	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) == -1)
		return -1;
	ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
	close(fd);
	return ok ? 0 : -1;
}

/* A user namespace where every id is what it was, for a user who may not
 * make a mount namespace otherwise.  Ids that are not the user's own show
 * as the overflow id (65534) in it: the same in both runs. */
static int
own_userns(void)
{
	char	 map[64];
	uid_t	 uid = getuid();
	gid_t	 gid = getgid();

	if (unshare(CLONE_NEWUSER | CLONE_NEWNS) == -1)
		return -1;
	snprintf(map, sizeof(map), "%u %u 1\n", (unsigned)uid, (unsigned)uid);
	if (write_file("/proc/self/uid_map", map) == -1 ||
	    write_file("/proc/self/setgroups", "deny") == -1)
		return -1;
	snprintf(map, sizeof(map), "%u %u 1\n", (unsigned)gid, (unsigned)gid);
	return write_file("/proc/self/gid_map", map);
}

/*
 * Both runs see their own directory at tmp: a private mount namespace
 * with the run's directory bound over it (in a user namespace of the
 * user's own if need be).  Without one the run keeps its own path (1 when
 * the paths are the same, 0 when not).
 */
static int
private_tmp(const char *own, const char *common)
{
	if (unshare(CLONE_NEWNS) == -1 && (errno != EPERM ||
	    own_userns() == -1))
		return 0;
	/* Private first, or the bind would show in the host's namespace;
	 * if either fails, nothing was bound and the own path serves. */
	return mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0 &&
	    mount(own, common, NULL, MS_BIND, NULL) == 0;
}

/* The child side of run n: its pipes become 0, 1 and 2, the other fds of
 * the verify loop are closed (the supervisor and workers never exec, so
 * O_CLOEXEC alone would leave them open and a pipe would never see its
 * end), and the original signal mask comes back. */
static void
run_child(const struct worker_opts *o, struct verify_run *r, int n,
    const struct verify_fds *all, const sigset_t *mask)
{
	char	 own[PATH_MAX], common[PATH_MAX];
	size_t	 i;

	if (dup2(r->vr_child[0], STDIN_FILENO) == -1 ||
	    dup2(r->vr_child[1], STDOUT_FILENO) == -1 ||
	    dup2(r->vr_child[2], STDERR_FILENO) == -1)
		_exit(EXIT_INTERNAL);
	for (i = 0; i < all->vf_n; i++)
		if (all->vf_fd[i] > STDERR_FILENO)
			close(all->vf_fd[i]);
	snprintf(own, sizeof(own), "%s/tmp%d", base, n);
	snprintf(common, sizeof(common), "%s/tmp", base);
	if (setenv("TMPDIR", private_tmp(own, common) ? common : own, 1) ==
	    -1 || sigprocmask(SIG_SETMASK, mask, NULL) == -1)
		_exit(EXIT_INTERNAL);
	sched_count_hazards(&hazards[n - 1]);
	_exit(supervisor_run(o));
}

static void
fds_add(struct verify_fds *all, int fd)
{
	if (fd != -1 && all->vf_n < VERIFY_FDS)
		all->vf_fd[all->vf_n++] = fd;
}

/* The pipes of a run: vr_child are the run's ends (stdin, stdout,
 * stderr), vr_in/vr_out/vr_err the loop's. */
static void
run_pipes(struct verify_run *r, int tty, struct verify_fds *all)
{
	int	 p[3][2], i;

	for (i = 0; i < 3; i++) {
		if (i == 0 && tty) {
			/* A terminal is not read: both runs get no input. */
			if ((p[0][0] = open("/dev/null", O_RDONLY |
			    O_CLOEXEC)) == -1)
				verify_fatal("/dev/null");
			p[0][1] = -1;
			continue;
		}
		if (pipe2(p[i], O_CLOEXEC) == -1)
			verify_fatal("pipe");
	}
	r->vr_child[0] = p[0][0];
	r->vr_in = p[0][1];
	r->vr_child[1] = p[1][1];
	r->vr_out = p[1][0];
	r->vr_child[2] = p[2][1];
	r->vr_err = p[2][0];
	for (i = 0; i < 3; i++)
		fds_add(all, r->vr_child[i]);
	fds_add(all, r->vr_in);
	fds_add(all, r->vr_out);
	fds_add(all, r->vr_err);
}

void
verify_fatal(const char *what)
{
	int	 saved = errno;

	rm_base();
	errno = saved;
	err(EXIT_INTERNAL, "verify: %s", what);
}

int
verify_run(const struct worker_opts *o)
{
	const char		*tmpdir = getenv("TMPDIR");
	struct verify_run	 r[2];
	struct verify_fds	 all = { .vf_n = 0 };
	char			 dir[PATH_MAX];
	sigset_t		 mask, old;
	int			 i, sigfd, tty, sig, diff;

	/* The pipes below must not take the numbers 0, 1 and 2. */
	for (i = 0; i <= STDERR_FILENO; i++)
		if (fcntl(i, F_GETFD) == -1 && open("/dev/null", O_RDWR) == -1)
			err(EXIT_INTERNAL, "/dev/null");
	snprintf(base, sizeof(base), "%s/isotrace-verify.XXXXXX",
	    tmpdir != NULL && *tmpdir != '\0' ? tmpdir : "/tmp");
	if (mkdtemp(base) == NULL)
		err(EXIT_INTERNAL, "%s", base);
	owner = getpid();
	if (atexit(rm_base) != 0)
		verify_fatal("atexit");
	for (i = 0; i <= 2; i++) {
		if (i == 0)
			snprintf(dir, sizeof(dir), "%s/tmp", base);
		else
			snprintf(dir, sizeof(dir), "%s/tmp%d", base, i);
		if (mkdir(dir, 0700) == -1)
			verify_fatal(dir);
	}

	/* The loop takes its signals from a signalfd; each run gets back
	 * the mask isotrace started with. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &mask, &old) == -1 ||
	    (sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC)) == -1)
		verify_fatal("signalfd");
	fds_add(&all, sigfd);

	tty = isatty(STDIN_FILENO);
	memset(r, 0, sizeof(r));
	for (i = 0; i < 2; i++)
		run_pipes(&r[i], tty, &all);
	hazards = shared_map(2 * sizeof(*hazards));
	for (i = 0; i < 2; i++) {
		switch (r[i].vr_pid = fork()) {
		case -1:
			verify_fatal("fork");
		case 0:
			run_child(o, &r[i], i + 1, &all, &old);
		}
	}
	/* A closed output of ours is an EPIPE to handle, not a death. */
	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < 2; i++) {
		close(r[i].vr_child[0]);
		close(r[i].vr_child[1]);
		close(r[i].vr_child[2]);
	}

	diff = verify_io(r, tty ? -1 : STDIN_FILENO, sigfd, &sig);
	close(sigfd);
	rm_base();
	if (sig != 0) {
		/* Interrupted: end as the signal would have ended us. */
		signal(sig, SIG_DFL);
		sigprocmask(SIG_SETMASK, &old, NULL);
		raise(sig);
		_exit(128 + sig);
	}
	if (diff == 0 && r[0].vr_status != r[1].vr_status) {
		log_warnx("verify: exit status differs: run 1 %d, run 2 %d",
		    r[0].vr_status, r[1].vr_status);
		diff = 1;
	}
	if (hazards[0] + hazards[1] > 0)
		log_warnx("verify: determinism hazards: the schedule's "
		    "real-time fallback preempted threads computing without "
		    "system calls %u times in run 1, %u in run 2; these runs "
		    "may differ from the next", hazards[0], hazards[1]);
	if (diff == 0)
		log_warnx("verify: deterministic");
	return diff;
}
