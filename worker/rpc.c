/*
 * Worker -> supervisor requests.  The channel is blocking in the worker,
 * and nothing but replies comes to a worker while it traces (adoptions
 * come only after its hello), so a request is a send and a receive.
 */
#include <errno.h>

#include "rpc.h"
#include "worker.h"

int
rpc_call(const Isotrace__Envelope *req,
    Isotrace__Envelope__PayloadCase want, Isotrace__Envelope **reply)
{
	Isotrace__Envelope	*env;
	int			 fd, e;

	*reply = NULL;
	if ((fd = worker_channel()) == -1)
		return -ENOTCONN;
	if ((e = channel_send(fd, req)) < 0)
		return e;
	do
		e = channel_recv(fd, &env);
	while (e == -EINTR);
	if (e < 0)
		return e;
	if (env == NULL)
		return -ECONNRESET;
	if (env->payload_case != want) {
		channel_free(env);
		return -EPROTO;
	}
	*reply = env;
	return 0;
}
