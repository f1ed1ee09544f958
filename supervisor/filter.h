/*
 * -e trace=SET: which system calls a trace shows (and the seccomp filter
 * stops).  SET is a comma-separated list of
 *	name		a syscall of the table ("openat")
 *	?name		the same, but a name the table lacks is no error
 *	%class		a strace class ("%file", see common/sysclass.h)
 *	/regex		every syscall whose name matches (POSIX extended)
 *	all, none
 * and a leading '!' takes the complement of the whole list.  Several
 * sets combine in order: the first one's complement starts from every
 * call, a set adds its calls, a '!' set removes them.
 */
#ifndef FILTER_H
#define FILTER_H

#include <stddef.h>
#include <stdint.h>

#include <isotrace/isotrace.h>

/*
 * Applies set to sel (one byte per syscall number, nonzero: selected);
 * first: sel holds nothing yet.  Returns 0, or -1 with why (a name the
 * table does not have, a class, a bad regex) in err.
 */
int	filter_apply(uint8_t sel[IT_NR_MAX], const char *set, int first,
	    char *err, size_t errlen);

#endif
