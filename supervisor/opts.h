/*
 * The strace options whose values need more than a number (cli.c calls
 * these while it reads the command line; each exits with 125 and a
 * message on a bad value).
 */
#ifndef OPTS_H
#define OPTS_H

#include "../worker/worker.h"

/* -e signal=SET: names (with or without SIG), numbers, all, none, !. */
void	opts_signal_set(struct decode_opts *, const char *set);
/* -e status=SET: successful, failed, unfinished, unavailable, detached,
 * all, none, !. */
void	opts_status_set(struct decode_opts *, const char *set);
/* -z, -Z: one more status shown (the first replaces "all"). */
void	opts_status_add(struct decode_opts *, unsigned status);
/* -P PATH: the path as given and, if it differs, its real path. */
void	opts_path(struct decode_opts *, const char *path);
/* -E VAR=VAL or -E VAR. */
void	opts_setenv(struct worker_opts *, const char *arg);
/* -u USER: a name or a numeric uid; root only. */
void	opts_user(struct worker_opts *, const char *user);
/* -p PID[,PID...] (commas or spaces): thread ids count as their
 * process; each must exist. */
void	opts_attach(struct worker_opts *, const char *list);

#endif
