/*
 * Logging after start-up (before it, err(3)/errx(3)).  Every line starts
 * with "isotrace: " and is written with one write(2), so lines of different
 * processes never mix.
 */
#ifndef LOG_H
#define LOG_H

#include <stdarg.h>

extern int log_verbosity;	/* 0: warnings, 1: debug */

void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

/* Exit status for isotrace's own failures, as env(1) and timeout(1). */
#define EXIT_INTERNAL	125

#endif
