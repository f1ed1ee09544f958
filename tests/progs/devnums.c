/*
 * A file's device as each of the stat family tells it, and its mount:
 * for each path, "PATH stat MAJ:MIN fstat MAJ:MIN statx MAJ:MIN mnt ID"
 * (stat by name, fstat of an O_PATH descriptor, statx with STATX_MNT_ID),
 * so a test can check that they agree with /proc/self/mountinfo.
 *
 * usage: devnums PATH...
 */
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int
main(int argc, char *argv[])
{
	struct stat	 st, fst;
	struct statx	 sx;
	int		 i, fd;

	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == -1)
			err(1, "stat %s", argv[i]);
		if ((fd = open(argv[i], O_PATH | O_CLOEXEC)) == -1 ||
		    fstat(fd, &fst) == -1)
			err(1, "fstat %s", argv[i]);
		close(fd);
		if (statx(AT_FDCWD, argv[i], 0, STATX_MNT_ID, &sx) == -1)
			err(1, "statx %s", argv[i]);
		if (!(sx.stx_mask & STATX_MNT_ID))
			errx(1, "statx %s: no mount id", argv[i]);
		printf("%s stat %u:%u fstat %u:%u statx %u:%u mnt %llu\n",
		    argv[i], major(st.st_dev), minor(st.st_dev),
		    major(fst.st_dev), minor(fst.st_dev), sx.stx_dev_major,
		    sx.stx_dev_minor, (unsigned long long)sx.stx_mnt_id);
	}
	return 0;
}
