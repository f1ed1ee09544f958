/*
 * Inside the decoder: the helpers its files share.  decode.c assembles the
 * lines; decode_prim.c prints numbers, strings and flag sets;
 * decode_struct.c, decode_time.c, decode_signal.c and decode_net.c print
 * guest structures by the struct ids of structs.def; decode_special.c,
 * decode_proc.c and decode_net.c hold the rules of the calls whose
 * arguments mean different things depending on another argument (fcntl,
 * ioctl, prctl, clone, setsockopt...).
 */
#ifndef DECODE_IMPL_H
#define DECODE_IMPL_H

#include "../../common/xlat.h"
#include "decode.h"

#define DEC_PATHMAX	4096	/* a path is shown whole up to this */

extern size_t	decode_strsize;	/* -s N */

/* Reads len bytes at addr into buf.  NULL prints "NULL", an unreadable
 * address prints itself; both return -1 (the caller prints nothing). */
int	dfetch(struct dctx *, uint64_t addr, void *buf, size_t len);

void	dput_addr(struct sbuf *, uint64_t);
void	dput_flags(struct sbuf *, int set, uint64_t);
void	dput_enum(struct sbuf *, int set, uint64_t);
int	dput_enum_known(struct sbuf *, int set, uint64_t);
void	dput_mode(struct sbuf *, unsigned mode);
void	dput_file_mode(struct sbuf *, unsigned mode);
void	dput_signal(struct sbuf *, int sig);
void	dput_string(struct dctx *, uint64_t addr, size_t max);
void	dput_bytes(struct dctx *, uint64_t addr, size_t len);
void	dput_int_array(struct dctx *, uint64_t addr, size_t count,
	    int sign);
void	dput_sigset(struct dctx *, uint64_t addr, size_t size);
void	dput_sigmask(struct sbuf *, const uint64_t *words, size_t nsig);
void	dput_time_comment(struct sbuf *, long long sec, long nsec,
	    int digits);

/* An argument printed by its kind alone, without the per-call rules. */
void	decode_arg_kind(struct dctx *, const struct argdesc *, int i);

/* Struct printers, by struct id (decode_struct.c); NULL: print the
 * address.  i is the argument's index, for a length or count nearby. */
typedef void (*dstruct_fn)(struct dctx *, uint64_t addr, int i);
dstruct_fn	dstruct_printer(int id);
int		dstruct_at_exit(int id);	/* an INOUT shown at exit */

/* Struct printers of the family files, for the table in decode_struct.c. */
void	dput_itimerval(struct dctx *, uint64_t addr, int i);
void	dput_itimerspec(struct dctx *, uint64_t addr, int i);
void	dput_utimbuf(struct dctx *, uint64_t addr, int i);
void	dput_sigset_arg(struct dctx *, uint64_t addr, int i);
void	dput_sigaction(struct dctx *, uint64_t addr, int i);
void	dput_siginfo(struct dctx *, uint64_t addr, int i);
void	dput_stack(struct dctx *, uint64_t addr, int i);
void	dput_sigevent(struct dctx *, uint64_t addr, int i);
void	dput_sockaddr_arg(struct dctx *, uint64_t addr, int i);
void	dput_socklen(struct dctx *, uint64_t addr, int i);
void	dput_msghdr(struct dctx *, uint64_t addr, int i);
void	dput_mmsghdr(struct dctx *, uint64_t addr, int i);
void	dput_pollfd_arg(struct dctx *, uint64_t addr, int i);
void	dput_fdset_arg(struct dctx *, uint64_t addr, int i);
void	dput_epoll_event(struct dctx *, uint64_t addr, int i);
void	dput_sembuf(struct dctx *, uint64_t addr, int i);
void	dput_mq_attr(struct dctx *, uint64_t addr, int i);
void	dput_cap_header(struct dctx *, uint64_t addr, int i);
void	dput_cap_data(struct dctx *, uint64_t addr, int i);
void	dput_sched_attr(struct dctx *, uint64_t addr, int i);

/* Printers the struct files share. */
void	dput_timespec(struct dctx *, uint64_t addr, int i);
void	dput_timeval(struct dctx *, uint64_t addr, int i);
void	dput_timespec_val(struct sbuf *, long long sec, long long nsec);
void	dput_timeval_val(struct sbuf *, long long sec, long long usec);
void	dput_siginfo_val(struct sbuf *, const siginfo_t *);
void	dput_sockaddr(struct dctx *, uint64_t addr, size_t len);
void	dput_iovec(struct dctx *, uint64_t addr, size_t count, long limit);
void	dput_msghdr_val(struct dctx *, const struct msghdr *, long limit);
void	dput_fdset(struct dctx *, uint64_t addr, int nfds);
void	dput_pollfds(struct dctx *, uint64_t addr, size_t n, int revents);
void	dput_time_pair(struct dctx *, uint64_t addr, int micro);
void	dput_wait_status(struct sbuf *, int status);

/* Per-call exceptions (decode_special.c). */
struct dspecial {
	int	(*ds_nargs)(const struct dctx *);
	int	(*ds_first_out)(const struct dctx *);
	int	(*ds_arg)(struct dctx *, int i);	/* 1: printed */
	void	(*ds_result)(struct dctx *);	/* a success, whole */
};
const struct dspecial	*decode_special(long nr);
/* The families' rules, by syscall number. */
extern const struct dspecial	dspecial_proc[IT_NR_MAX];
extern const struct dspecial	dspecial_net[IT_NR_MAX];
extern const struct dspecial	dspecial_ipc[IT_NR_MAX];

#endif
