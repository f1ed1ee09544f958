/*
 * The map of a tool's descriptors (fdobj.c), a layer with no hooks whose
 * per-process state is the map: pushed under a tool's layer.
 */
#ifndef FDOBJ_H
#define FDOBJ_H

#include <isotrace/isotrace.h>

extern const struct it_layer	fdobj_layer;

#endif
