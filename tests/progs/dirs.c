/*
 * dirs: reads a directory the ways programs do.  Usage: dirs DIR.
 *
 * "check NAME yes|no" lines hold on every system (telldir/seekdir come
 * back to the same entry, rewinddir starts again, a buffer too small for
 * one entry is EINVAL, getdents64 ends with 0); "value" lines show the
 * order of the entries, which only the sandbox makes the same everywhere.
 */
#include <sys/stat.h>
#include <sys/syscall.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void
check(const char *name, int ok)
{
	printf("check %s %s\n", name, ok ? "yes" : "no");
}

int
main(int argc, char **argv)
{
	char		 first[256] = "", again[256] = "", buf[4096];
	struct dirent	*d;
	struct stat	 st;
	DIR		*dir;
	long		 where = -1, n, total = 0, ino_ok = 1;
	int		 i, count = 0, recount = 0, fd;

	if (argc != 2 || (dir = opendir(argv[1])) == NULL) {
		fprintf(stderr, "usage: dirs DIR\n");
		return 2;
	}
	printf("value order");
	for (i = 0; (d = readdir(dir)) != NULL; i++) {
		if (i == 2) {
			where = telldir(dir);
			d = readdir(dir);
			if (d == NULL)
				break;
			snprintf(first, sizeof(first), "%s", d->d_name);
		}
		printf(" %s", d->d_name);
		count++;
		if (fstatat(dirfd(dir), d->d_name, &st,
		    AT_SYMLINK_NOFOLLOW) == 0 && st.st_ino != d->d_ino)
			ino_ok = 0;
	}
	printf("\n");
	seekdir(dir, where);
	d = readdir(dir);
	snprintf(again, sizeof(again), "%s", d ? d->d_name : "");
	check("seekdir", first[0] != '\0' && strcmp(first, again) == 0);
	rewinddir(dir);
	while (readdir(dir) != NULL)
		recount++;
	check("rewinddir", recount == count + 1);
	check("d_ino-is-st_ino", ino_ok);
	closedir(dir);

	fd = open(argv[1], O_RDONLY | O_DIRECTORY);
	check("too-small", syscall(SYS_getdents64, fd, buf, 8) == -1 &&
	    errno == EINVAL);
	/* one entry at a time: a 32-byte buffer holds one short name */
	while ((n = syscall(SYS_getdents64, fd, buf, 32)) > 0)
		total++;
	check("one-by-one", n == 0 && total == recount);
	close(fd);
	return 0;
}
