/*
 * The stack of layers of a worker (layer.c): what the engine calls
 * instead of naming a feature.  Layers are pushed once, before the first
 * process; the bottom one first.
 */
#ifndef LAYER_H
#define LAYER_H

#include <stddef.h>
#include <stdint.h>

#include <isotrace/isotrace.h>

#define LAYER_MAX	8

extern const struct it_layer	*layers[LAYER_MAX];
extern unsigned			 nlayers;

/* Every layer l of the stack, bottom first, that has hook h. */
#define LAYER_EACH(l, h)						\
	for (unsigned l##_i = 0; l##_i < nlayers; l##_i++)		\
		if ((l = layers[l##_i])->h != NULL)

/* stack.c: the stack the options ask for (pushed afresh). */
struct worker_opts;
void	 stack_build(const struct worker_opts *);

void	 layer_reset(void);
/* 0, or -1 when the stack is full or its states do not fit. */
int	 layer_push(const struct it_layer *);
/* Some layer is strict. */
int	 layer_strict(void);
/* Every layer that handles futex needs only its timed waits. */
int	 layer_futex_timed(void);
/* Every layer that handles nr fails it with ENOSYS (l_enosys). */
int	 layer_enosys(long nr);
/* The ioctl requests every layer that handles ioctl acts on, into reqs
 * (0-terminated, cap entries with the 0): 0, or -1 when a layer handles
 * them all or they do not fit. */
int	 layer_ioctls(uint32_t *reqs, size_t cap);
/* The stack's table: each layer's slots over the ones below. */
void	 layer_table(struct it_table *);

/*
 * Per-process states, one buffer of layer_statelen() bytes: the current
 * process's, a new child's copy (layer_fork fills buf from the current
 * one and calls l_fork), and an adopted process's.
 */
size_t	 layer_statelen(void);
size_t	 layer_fork(struct it_task *child, void *buf, size_t cap);
int	 layer_start(pid_t, const void *buf, size_t len, enum it_start);

#endif
