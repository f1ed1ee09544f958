/*
 * The stack of layers and their per-process states.  A worker traces one
 * process at a time, so "the current process's state" is one buffer,
 * each layer's l_statesize bytes at an offset fixed when it is pushed; a
 * child's copy travels in the hand-off as these bytes, the same stack
 * (the same options) reading them on the other side.
 */
#include <errno.h>
#include <string.h>

#include "layer.h"
#include "../table_impl.h"

const struct it_layer	*layers[LAYER_MAX];
unsigned		 nlayers;

static unsigned char	 state[IT_LAYER_STATE_MAX];
static size_t		 offset[LAYER_MAX];
static size_t		 statelen;

void
layer_reset(void)
{
	nlayers = 0;
	statelen = 0;
}

int
layer_push(const struct it_layer *l)
{
	if (nlayers == LAYER_MAX ||
	    l->l_statesize > sizeof(state) - statelen)
		return -1;
	offset[nlayers] = statelen;
	statelen += l->l_statesize;
	layers[nlayers++] = l;
	return 0;
}

int
layer_strict(void)
{
	unsigned	 i;

	for (i = 0; i < nlayers; i++)
		if (layers[i]->l_strict)
			return 1;
	return 0;
}

int
layer_futex_timed(void)
{
	unsigned	 i, n = 0;

	for (i = 0; i < nlayers; i++) {
		if (layers[i]->l_table == NULL ||
		    layers[i]->l_table->futex == NULL)
			continue;
		if (!layers[i]->l_futex_timed)
			return 0;
		n++;
	}
	return n > 0;
}

static int
listed(const int *list, long nr)
{
	for (; list != NULL && *list != -1; list++)
		if (*list == nr)
			return 1;
	return 0;
}

int
layer_enosys(long nr)
{
	unsigned	 i, n = 0;

	for (i = 0; i < nlayers; i++) {
		if (layers[i]->l_table == NULL ||
		    !table_handles(layers[i]->l_table, nr))
			continue;
		if (!listed(layers[i]->l_enosys, nr))
			return 0;
		n++;
	}
	return n > 0;
}

int
layer_ioctls(uint32_t *reqs, size_t cap)
{
	const uint32_t	*r;
	unsigned	 i;
	size_t		 n = 0;

	for (i = 0; i < nlayers; i++) {
		if (layers[i]->l_table == NULL ||
		    !table_handles(layers[i]->l_table, IT_SYS_ioctl))
			continue;
		if (layers[i]->l_ioctls == NULL)
			return -1;
		for (r = layers[i]->l_ioctls; *r != 0; r++) {
			if (n + 1 >= cap)
				return -1;
			reqs[n++] = *r;
		}
	}
	reqs[n] = 0;
	return 0;
}

void
layer_table(struct it_table *t)
{
	unsigned	 i;

	table_complete(t, NULL);
	for (i = 0; i < nlayers; i++)
		if (layers[i]->l_table != NULL)
			table_overlay(t, layers[i]->l_table);
}

void *
it_layer_state(const struct it_layer *l)
{
	unsigned	 i;

	for (i = 0; i < nlayers; i++)
		if (layers[i] == l)
			return state + offset[i];
	return NULL;
}

size_t
layer_statelen(void)
{
	return statelen;
}

size_t
layer_fork(struct it_task *child, void *buf, size_t cap)
{
	unsigned	 i;

	if (cap < statelen)
		return 0;
	memcpy(buf, state, statelen);
	for (i = 0; i < nlayers; i++)
		if (layers[i]->l_fork != NULL)
			layers[i]->l_fork(child, (unsigned char *)buf +
			    offset[i]);
	return statelen;
}

int
layer_start(pid_t pid, const void *buf, size_t len, enum it_start how)
{
	unsigned	 i;

	if (how == IT_START_ADOPTED) {
		if (len != statelen)
			return -EINVAL;
		if (len > 0)	/* an empty hand-off state may be NULL */
			memcpy(state, buf, len);
	} else
		memset(state, 0, sizeof(state));
	for (i = 0; i < nlayers; i++)
		if (layers[i]->l_start != NULL &&
		    layers[i]->l_start(pid, state + offset[i], how) < 0)
			return -EINVAL;
	return 0;
}
