/*
 * Values of strace's options: signal and status sets, paths, the
 * environment, the user, the processes to attach.  Each is read the way
 * strace(1) reads it; a bad one stops isotrace with status 125 before
 * anything starts.
 */
#include <sys/stat.h>
#include <ctype.h>
#include <err.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "../common/log.h"
#include "../common/xlat.h"
#include "../worker/engine/task.h"
#include "opts.h"
#include "supervisor.h"

/* do_status bit: set explicitly, so an empty set ("none") is not "all". */
#define STATUS_GIVEN	0x80

static void *
grow(void *v, size_t n, size_t size)
{
	if ((v = reallocarray(v, n, size)) == NULL)
		err(EXIT_INTERNAL, "reallocarray");
	return v;
}

static int
signal_number(const char *name)
{
	const struct xlat	*x;
	const char		*errstr;
	long long		 n;

	n = strtonum(name, 1, 64, &errstr);
	if (errstr == NULL)
		return (int)n;
	if (strncasecmp(name, "SIG", 3) == 0)
		name += 3;
	for (x = it_xlat_signal; x->x_name != NULL; x++)
		if (strcasecmp(x->x_name + 3, name) == 0)
			return (int)x->x_val;
	return -1;
}

/*
 * A comma list of tokens, each marking bits in *set through fn; a
 * leading '!' complements the list.  fn returns -1 for a bad token.
 */
static uint64_t
parse_set(const char *opt, const char *list, uint64_t all,
    int (*fn)(const char *, uint64_t *))
{
	char		*copy, *tok, *next;
	uint64_t	 set = 0;
	int		 neg = 0;

	if (*list == '!') {
		neg = 1;
		list++;
	}
	if ((copy = strdup(list)) == NULL)
		err(EXIT_INTERNAL, "strdup");
	for (next = copy; (tok = strsep(&next, ",")) != NULL;) {
		if (*tok == '\0')
			continue;
		if (strcmp(tok, "all") == 0)
			set = all;
		else if (strcmp(tok, "none") == 0)
			;
		else if (fn(tok, &set) < 0)
			errx(EXIT_INTERNAL, "-e %s=%s: unknown '%s'", opt,
			    list, tok);
	}
	free(copy);
	return neg ? ~set & all : set;
}

static int
signal_token(const char *tok, uint64_t *set)
{
	int	 sig;

	if ((sig = signal_number(tok)) < 0)
		return -1;
	*set |= 1ULL << (sig - 1);
	return 0;
}

void
opts_signal_set(struct decode_opts *d, const char *set)
{
	/* Kept as the hidden ones: every signal shows by default. */
	d->do_hidesig = ~parse_set("signal", set, ~0ULL, signal_token);
}

static int
status_token(const char *tok, uint64_t *set)
{
	static const struct {
		const char	*s_name;
		unsigned	 s_bit;
	} names[] = {
		{ "successful", DSTATUS_SUCCESSFUL },
		{ "failed", DSTATUS_FAILED },
		{ "unfinished", DSTATUS_UNFINISHED },
		{ "unavailable", DSTATUS_UNAVAILABLE },
		{ "detached", DSTATUS_DETACHED },
	};
	size_t	 i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(tok, names[i].s_name) == 0) {
			*set |= names[i].s_bit;
			return 0;
		}
	return -1;
}

void
opts_status_set(struct decode_opts *d, const char *set)
{
	d->do_status = STATUS_GIVEN |
	    (unsigned)parse_set("status", set, DSTATUS_ALL, status_token);
}

void
opts_status_add(struct decode_opts *d, unsigned status)
{
	d->do_status |= STATUS_GIVEN | status;
}

static void
add_path(struct decode_opts *d, const char *path)
{
	char	*p;

	if ((p = strdup(path)) == NULL)
		err(EXIT_INTERNAL, "strdup");
	d->do_paths = grow(d->do_paths, d->do_npaths + 1, sizeof(char *));
	d->do_paths[d->do_npaths++] = p;
}

void
opts_path(struct decode_opts *d, const char *path)
{
	char	 real[PATH_MAX];

	if (*path == '\0')
		errx(EXIT_INTERNAL, "-P: empty path");
	add_path(d, path);
	/* As strace: a symbolic link's target is selected too. */
	if (realpath(path, real) != NULL && strcmp(real, path) != 0)
		add_path(d, real);
}

void
opts_setenv(struct worker_opts *o, const char *arg)
{
	if (*arg == '\0' || *arg == '=')
		errx(EXIT_INTERNAL, "-E %s: not VAR=VALUE nor VAR", arg);
	o->wo_setenv = grow(o->wo_setenv, o->wo_nsetenv + 1, sizeof(char *));
	o->wo_setenv[o->wo_nsetenv++] = (char *)arg;
}

void
opts_user(struct worker_opts *o, const char *user)
{
	struct passwd	*pw;

	if (geteuid() != 0)
		errx(EXIT_INTERNAL, "-u %s: only root can run a command as "
		    "another user", user);
	if ((pw = getpwnam(user)) == NULL)
		errx(EXIT_INTERNAL, "-u %s: no such user", user);
	o->wo_user = user;
	o->wo_uid = pw->pw_uid;
	o->wo_gid = pw->pw_gid;
}

static void
attach_one(struct worker_opts *o, const char *s)
{
	const char	*errstr;
	char		 path[64];
	struct stat	 sb;
	pid_t		 pid, tgid;
	size_t		 i;

	pid = (pid_t)strtonum(s, 1, INT_MAX, &errstr);
	if (errstr != NULL)
		errx(EXIT_INTERNAL, "-p %s: not a process id", s);
	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	if (stat(path, &sb) == -1 || (tgid = task_read_tgid(pid)) < 0)
		errx(EXIT_INTERNAL, "-p %s: no such process", s);
	if (tgid == getpid())
		errx(EXIT_INTERNAL, "-p %s: isotrace cannot trace itself", s);
	for (i = 0; i < o->wo_nattach; i++)
		if (o->wo_attach[i] == tgid)
			return;
	o->wo_attach = grow(o->wo_attach, o->wo_nattach + 1, sizeof(pid_t));
	o->wo_attach[o->wo_nattach++] = tgid;
}

void
opts_attach(struct worker_opts *o, const char *list)
{
	char	*copy, *tok, *next;

	if ((copy = strdup(list)) == NULL)
		err(EXIT_INTERNAL, "strdup");
	for (next = copy; (tok = strsep(&next, ", \t")) != NULL;)
		if (*tok != '\0')
			attach_one(o, tok);
	free(copy);
	if (o->wo_nattach == 0)
		errx(EXIT_INTERNAL, "-p %s: no process id", list);
}
