/*
 * --verify's two runs and the loop that feeds and compares them
 * (verify.c starts them, verify_io.c streams).
 */
#ifndef VERIFY_H
#define VERIFY_H

#include <sys/types.h>

struct verify_run {
	pid_t	 vr_pid;		/* its supervisor; 0 once reaped */
	int	 vr_child[3];		/* its stdin, stdout, stderr */
	int	 vr_in, vr_out, vr_err;	/* the loop's ends; vr_in -1 when
					   stdin is a terminal */
	int	 vr_status;		/* exit status, 128+N for signal N */
};

/* Every fd of the loop, closed in each run. */
#define VERIFY_FDS	32
struct verify_fds {
	int	 vf_fd[VERIFY_FDS];
	size_t	 vf_n;
};

/*
 * Copies in (-1: none) to both runs, passes run 1's output on and
 * compares the runs' outputs until both runs are over; says where they
 * differ.  Returns 1 if they differ, else 0; *sig is a terminating
 * signal that interrupted it (both runs then killed), else 0.
 */
int	verify_io(struct verify_run r[2], int in, int sigfd, int *sig);

/* err() after removing the scratch directory. */
void	verify_fatal(const char *) __attribute__((noreturn));

#endif
