/*
 * The stack of layers a run's options ask for, bottom first: --sandbox,
 * a tool's (over the map of its descriptors), the observers (whose view
 * is the program's, after the layers below have made it).  The one place
 * that names the layers; the engine calls it and sees only the stack.
 */
#include "../common/log.h"
#include "engine/fdobj.h"
#include "engine/layer.h"
#include "decode/observe.h"
#include "worker.h"

void
stack_build(const struct worker_opts *o)
{
	const struct it_layer	*l;

	layer_reset();
	if (o->wo_sandbox &&
	    layer_push(sandbox_layer_setup(&o->wo_sandbox_config)) < 0)
		fatalx("layer sandbox");
	/* A tool's descriptors: their map travels as a state of its own. */
	if (o->wo_layer != NULL && (layer_push(&fdobj_layer) < 0 ||
	    layer_push(o->wo_layer) < 0))
		fatalx("layer %s: too many layers, or states too large",
		    o->wo_layer->l_name);
	if ((l = observe_setup(o)) != NULL && layer_push(l) < 0)
		fatalx("layer observe");
}
