/*
 * The engine's wait for the next stop of any traced task: a short spin
 * before blocking in waitpid (waitstop.c says why).
 */
#ifndef WAITSTOP_H
#define WAITSTOP_H

#include <sys/types.h>

pid_t	 waitstop_any(int *);

#endif
