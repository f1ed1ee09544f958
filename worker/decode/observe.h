/*
 * The observer layer (observe.c): trace lines, counts and times.
 */
#ifndef OBSERVE_H
#define OBSERVE_H

struct worker_opts;

/* Configures the decoder and the clocks; the layer, or NULL when the run
 * neither prints nor counts. */
const struct it_layer	*observe_setup(const struct worker_opts *);

#endif
