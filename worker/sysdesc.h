/*
 * What the table says of a call beyond its types (sysdesc.c), for those
 * that need no decoder.
 */
#ifndef SYSDESC_H
#define SYSDESC_H

/* 1 if call nr never returns (exit, exit_group): no exit stop comes. */
int	sysdesc_noreturn(long nr);

#endif
