/*
 * Where --verbose lines go.  Each line reaches the file whole in one
 * write(2), so lines of different threads or workers never mix.  A trace
 * that cannot be written (a full disk) is reported once and then dropped:
 * the traced command runs on unaffected.
 */
#ifndef OUTPUT_H
#define OUTPUT_H

#include <stddef.h>

/* block > 0: collect whole lines and write up to block bytes at once. */
void	output_init(int fd, const char *name, size_t block);
void	output_line(const char *, size_t);
void	output_flush(void);

#endif
