/*
 * Finding the command before anything is forked, so that "not found" and
 * "cannot execute" are told apart with env(1)'s statuses (127, 126).
 */
#include <sys/stat.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "supervisor.h"

/* 0 if path is an executable regular file, else an errno. */
static int
check(const char *path)
{
	struct stat	 sb;

	if (stat(path, &sb) == -1)
		return errno;
	if (S_ISDIR(sb.st_mode))
		return EISDIR;
	if (!S_ISREG(sb.st_mode) || access(path, X_OK) == -1)
		return EACCES;
	return 0;
}

/*
 * As execvp(3): a name with a slash is used as it is, otherwise each PATH
 * entry is tried; a file found but not executable is remembered, so the
 * error is "Permission denied" rather than "not found".
 */
int
command_resolve(const char *name, char *out, size_t outlen)
{
	const char	*path, *p, *end;
	char		 buf[PATH_MAX];
	int		 e, seen = 0;
	size_t		 dlen;

	if (*name == '\0')
		return ENOENT;
	if (strchr(name, '/') != NULL) {
		if ((e = check(name)) != 0)
			return e;
		if (strlcpy(out, name, outlen) >= outlen)
			return ENAMETOOLONG;
		return 0;
	}
	if ((path = getenv("PATH")) == NULL)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path;; p = end + 1) {
		if ((end = strchr(p, ':')) == NULL)
			end = p + strlen(p);
		dlen = (size_t)(end - p);
		if (snprintf(buf, sizeof(buf), "%.*s%s%s", (int)dlen, p,
		    dlen ? "/" : "", name) < (int)sizeof(buf)) {
			if ((e = check(buf)) == 0) {
				if (strlcpy(out, buf, outlen) >= outlen)
					return ENAMETOOLONG;
				return 0;
			}
			if (e == EACCES || e == EISDIR)
				seen = e;
		}
		if (*end == '\0')
			break;
	}
	return seen ? seen : ENOENT;
}
