/*
 * Logical file times (--sandbox), shared by ftimes.c (what a stat
 * shows), fregistry.c (the run's record of files) and mounts.c (which
 * file systems have logical times).
 */
#ifndef FTIMES_H
#define FTIMES_H

#include <sys/types.h>
#include <stdint.h>

struct ftime {
	int64_t		 ft_s, ft_ns;
};

/* A file's real identity and times, as the kernel has them now. */
struct ftimes_real {
	uint64_t	 r_dev, r_ino;
	struct ftime	 r_a, r_m, r_c, r_b;
	int		 r_hasb;	/* r_b is known */
	int		 r_logical;
};

/* What a stat shows: the logical times, and the inode number. */
struct ftimes_out {
	struct ftime	 o_a, o_m, o_c, o_b;
	uint64_t	 o_ino;
};

/* fregistry.c.  quick answers the common case without a birth time
 * (0: observe must decide); an opener may write the file. */
void		 fregistry_setup(void);
int		 fregistry_on(void);
int		 fregistry_old(struct ftime);
struct ftime	 fregistry_epoch(void);
int		 fregistry_quick(const struct ftimes_real *, int opener,
		    struct ftimes_out *);
void		 fregistry_observe(const struct ftimes_real *, int opener,
		    struct ftimes_out *);
uint64_t	 fregistry_entry(const struct ftimes_real *);
uint64_t	 fregistry_anon(uint64_t dev, uint64_t ino);

/* mounts.c: whether files of device dev (as tid sees it) are logical,
 * and whether dev is mounted at all (a pipe's, a socket's is not). */
int		 mounts_logical(pid_t tid, dev_t dev);
int		 mounts_mounted(pid_t tid, dev_t dev);

#endif
