/*
 * Requests from a worker to the supervisor's registries (sandbox virtual
 * pids and sockets): the only exchange a worker waits for while it traces.
 * The supervisor answers each request before it reads the next one from
 * that worker, so a reply is always the answer to the last request.
 */
#ifndef RPC_H
#define RPC_H

#include "../proto/channel.h"

/*
 * Sends req and waits for the reply, which must carry the payload want:
 * 0 and *reply (freed with channel_free()), or -errno: -EPROTO for a reply
 * of another kind, -ECONNRESET when the supervisor is gone.
 */
int	rpc_call(const Isotrace__Envelope *req,
	    Isotrace__Envelope__PayloadCase want, Isotrace__Envelope **reply);

#endif
