/*
 * -y and -yy: what a file descriptor refers to, as strace shows it after
 * the number: 3</etc/passwd>, 4<socket:[1234]>, and with -yy the
 * endpoints of a socket, 4<TCP:[127.0.0.1:40000->127.0.0.1:8000]>.
 */
#ifndef DECODE_FDPATH_H
#define DECODE_FDPATH_H

#include <sys/types.h>
#include <stddef.h>

struct sbuf;
struct dctx;

/* The /proc link of fd of thread tid (AT_FDCWD: its working directory)
 * into buf; 0 or -errno. */
int	fdpath_read(pid_t tid, int fd, char *buf, size_t len);
/* "<path>" after a descriptor just printed, when -y asks for it. */
void	fdpath_put(struct dctx *, int fd);

/* sockdiag.c: "TCP:[a:p->b:q]", "UNIX-STREAM:[ino->peer,"path"]"... for
 * the socket inode of tid's fd (proto is the kernel's name of its
 * protocol); 0, or -1 when the kernel did not say (then the caller
 * prints "PROTO:[inode]"). */
int	sockdiag_describe(struct sbuf *, const char *proto,
	    unsigned long inode);

/* decode_filter.c: -P and -e status= decisions. */
int	decode_path_hidden(struct dctx *);
int	decode_status_shown(int returned, int detached, long result);
/* A status filter needs the exit: no entry half may be printed early. */
int	decode_exit_decides(void);

#endif
