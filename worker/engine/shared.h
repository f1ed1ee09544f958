/*
 * shared.c: tables every worker of a run shares (the supervisor maps
 * them before it forks any worker), and the test by which a worker tells
 * that a process that left an entry in one is gone.
 */
#ifndef SHARED_H
#define SHARED_H

#include <stddef.h>
#include <sys/types.h>

void	*shared_map(size_t len);
int	 shared_gone(pid_t pid);

#endif
