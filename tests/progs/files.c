/*
 * files: a round of file-system calls in a fresh directory.
 *
 * Makes $TMPDIR/files.XXXXXX (TMPDIR defaults to /tmp), writes a file,
 * renames it, reads it back, stats it, adds a few entries, lists the
 * directory sorted, removes everything and checks the directory is gone.
 * The random directory name is never printed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[4096];
static int failed;

static const char *
at(const char *name)
{
	static char path[2][4200];
	static int which;

	which = !which;
	snprintf(path[which], sizeof(path[which]), "%s/%s", dir, name);
	return path[which];
}

static void
step(const char *what, long r)
{
	if (r < 0) {
		printf("%s: -1 %s\n", what, strerrorname_np(errno));
		failed = 1;
	} else {
		printf("%s: %ld\n", what, r);
	}
}

static int
not_dot(const struct dirent *d)
{
	return strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0;
}

int
main(void)
{
	static const char text[] = "hello from files\n";
	const char *tmp = getenv("TMPDIR");
	struct dirent **list;
	struct stat st;
	char buf[64];
	int fd, n;
	ssize_t got;

	if (tmp == NULL || *tmp == '\0')
		tmp = "/tmp";
	snprintf(dir, sizeof(dir), "%s/files.XXXXXX", tmp);
	if (mkdtemp(dir) == NULL) {
		printf("mkdtemp: -1 %s\n", strerrorname_np(errno));
		return 1;
	}
	printf("mkdtemp: ok\n");

	fd = open(at("one"), O_WRONLY | O_CREAT | O_EXCL, 0644);
	step("create one", fd < 0 ? -1 : 0);
	step("write one", write(fd, text, strlen(text)));
	step("close one", close(fd));
	step("rename one two", rename(at("one"), at("two")));
	if (stat(at("one"), &st) == 0) {
		printf("stat one: still there after rename\n");
		failed = 1;
	} else {
		printf("stat one: -1 %s\n", strerrorname_np(errno));
	}

	fd = open(at("two"), O_RDONLY);
	step("open two", fd < 0 ? -1 : 0);
	got = read(fd, buf, sizeof(buf) - 1);
	step("read two", got);
	if (got >= 0) {
		buf[got] = '\0';
		printf("content: %s", buf);
	}
	close(fd);
	step("stat two", stat(at("two"), &st));
	printf("size: %lld\n", (long long)st.st_size);

	step("create zeta", (fd = creat(at("zeta"), 0600)) < 0 ? -1 : 0);
	close(fd);
	step("create alpha", (fd = creat(at("alpha"), 0600)) < 0 ? -1 : 0);
	close(fd);
	step("mkdir sub", mkdir(at("sub"), 0700));
	step("symlink link", symlink("two", at("link")));

	n = scandir(dir, &list, not_dot, alphasort);
	step("scandir", n);
	printf("list:");
	for (int i = 0; i < n; i++) {
		printf(" %s", list[i]->d_name);
		free(list[i]);
	}
	printf("\n");
	if (n >= 0)
		free(list);

	step("readlink link", readlink(at("link"), buf, sizeof(buf)));
	step("unlink link", unlink(at("link")));
	step("unlink two", unlink(at("two")));
	step("unlink alpha", unlink(at("alpha")));
	step("unlink zeta", unlink(at("zeta")));
	step("rmdir sub", rmdir(at("sub")));
	step("rmdir dir", rmdir(dir));
	if (stat(dir, &st) == 0) {
		printf("dir still there\n");
		failed = 1;
	} else {
		printf("stat dir after rmdir: -1 %s\n", strerrorname_np(errno));
	}
	return failed;
}
