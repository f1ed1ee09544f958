/*
 * --verify: run the command twice under the sandbox, on the same input
 * and each time with a fresh private TMPDIR at the same path, and compare
 * what the two runs wrote and how they ended.  The first run's output is
 * passed on; the verdict goes to stderr.
 */
#include <sys/stat.h>
#include <sys/wait.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/log.h"
#include "supervisor.h"

struct run {
	char	 r_out[PATH_MAX], r_err[PATH_MAX];
	int	 r_status;
};

static int
rm_entry(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

static void
rm_tree(const char *dir)
{
	(void)nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Copies fd to path, so that both runs read the same bytes. */
static void
save_input(int fd, const char *path)
{
	char	 buf[65536];
	ssize_t	 n;
	int	 out;

	if ((out = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600))
	    == -1)
		err(EXIT_INTERNAL, "%s", path);
	if (!isatty(fd))
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			if (write(out, buf, (size_t)n) != n)
				err(EXIT_INTERNAL, "%s", path);
	close(out);
}

static void
redirect(const char *path, int flags, int to)
{
	int	 fd;

	if ((fd = open(path, flags, 0600)) == -1 || dup2(fd, to) == -1)
		err(EXIT_INTERNAL, "%s", path);
	close(fd);
}

static void
one_run(const struct worker_opts *o, const char *base, int n, struct run *r)
{
	char	 in[PATH_MAX], tmp[PATH_MAX];
	pid_t	 pid;
	int	 st;

	snprintf(in, sizeof(in), "%s/stdin", base);
	snprintf(tmp, sizeof(tmp), "%s/tmp", base);
	snprintf(r->r_out, sizeof(r->r_out), "%s/out%d", base, n);
	snprintf(r->r_err, sizeof(r->r_err), "%s/err%d", base, n);
	if (mkdir(tmp, 0700) == -1)
		err(EXIT_INTERNAL, "%s", tmp);
	switch (pid = fork()) {
	case -1:
		err(EXIT_INTERNAL, "fork");
	case 0:
		redirect(in, O_RDONLY, STDIN_FILENO);
		redirect(r->r_out, O_WRONLY | O_CREAT | O_TRUNC, STDOUT_FILENO);
		redirect(r->r_err, O_WRONLY | O_CREAT | O_TRUNC, STDERR_FILENO);
		if (setenv("TMPDIR", tmp, 1) == -1)
			_exit(EXIT_INTERNAL);
		_exit(supervisor_run(o));
	}
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR)
			err(EXIT_INTERNAL, "waitpid");
	r->r_status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	rm_tree(tmp);
}

/* Writes file to fd (the first run's output, passed on). */
static void
pass_on(const char *file, int fd)
{
	char	 buf[65536];
	ssize_t	 n;
	int	 in;

	if ((in = open(file, O_RDONLY | O_CLOEXEC)) == -1)
		return;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(fd, buf, (size_t)n) != n)
			break;
	close(in);
}

static void
show_byte(char *out, size_t len, int c)
{
	if (c == EOF)
		snprintf(out, len, "end of output");
	else if (c >= ' ' && c < 0x7f)
		snprintf(out, len, "0x%02x '%c'", c, c);
	else
		snprintf(out, len, "0x%02x", c);
}

/* 0 if files a and b are equal, else 1 after saying where they differ. */
static int
compare(const char *what, const char *a, const char *b)
{
	FILE	*fa, *fb;
	long	 off = 0;
	int	 ca, cb, diff = 0;
	char	 sa[32], sb[32];

	if ((fa = fopen(a, "r")) == NULL || (fb = fopen(b, "r")) == NULL)
		err(EXIT_INTERNAL, "verify");
	do {
		ca = getc(fa);
		cb = getc(fb);
		if (ca != cb) {
			show_byte(sa, sizeof(sa), ca);
			show_byte(sb, sizeof(sb), cb);
			log_warnx("verify: %s differs at byte %ld: run 1 has "
			    "%s, run 2 has %s", what, off, sa, sb);
			diff = 1;
			break;
		}
		off++;
	} while (ca != EOF);
	fclose(fa);
	fclose(fb);
	return diff;
}

int
verify_run(const struct worker_opts *o)
{
	char		 base[PATH_MAX / 2], in[PATH_MAX];
	const char	*tmpdir = getenv("TMPDIR");
	struct run	 r1, r2;
	int		 diff;

	snprintf(base, sizeof(base), "%s/isotrace-verify.XXXXXX",
	    tmpdir != NULL && *tmpdir != '\0' ? tmpdir : "/tmp");
	if (mkdtemp(base) == NULL)
		err(EXIT_INTERNAL, "%s", base);
	snprintf(in, sizeof(in), "%s/stdin", base);
	save_input(STDIN_FILENO, in);

	one_run(o, base, 1, &r1);
	one_run(o, base, 2, &r2);
	pass_on(r1.r_out, STDOUT_FILENO);
	pass_on(r1.r_err, STDERR_FILENO);

	diff = compare("stdout", r1.r_out, r2.r_out) ||
	    compare("stderr", r1.r_err, r2.r_err);
	if (!diff && r1.r_status != r2.r_status) {
		log_warnx("verify: exit status differs: run 1 %d, run 2 %d",
		    r1.r_status, r2.r_status);
		diff = 1;
	}
	if (!diff)
		log_warnx("verify: deterministic");
	rm_tree(base);
	return diff;
}
