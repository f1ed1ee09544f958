/*
 * Sends on a virtual TCP socket whose peer has closed, told as loopback
 * tells them.
 *
 * On loopback the peer's close sends a FIN (or a RST, when it closes with
 * data it never read): the first send after a FIN still succeeds, and the
 * RST it draws fails the next one with EPIPE; after a RST the first send
 * fails with ECONNRESET (no SIGPIPE) and the next with EPIPE.  A receive
 * sees the end of the stream (or ECONNRESET) all along.  An AF_UNIX
 * stream socket whose peer has closed fails every send with EPIPE at once
 * (and SIGPIPE), and keeps ECONNRESET for its receives.
 *
 * So the first send of such a socket is answered here: the kernel's
 * socket says that its peer has gone (both halves shut, as only the
 * peer's close does) through a poll of the program's own socket, taken
 * with pidfd_getfd (vsock_get_file), with no injection; its pending
 * ECONNRESET (the close with unread data) is taken, as TCP's send takes
 * it; and the socket is
 * remembered as reset (VS_WRDONE), so that its later sends are the
 * kernel's, EPIPE and SIGPIPE (or MSG_NOSIGNAL) included, as TCP's.  A
 * socket whose program shut its own writing half is VS_WRDONE too: its
 * sends fail at once on loopback as well.
 */
#include <sys/socket.h>
#include <errno.h>
#include <poll.h>

#include "sandbox.h"
#include "vsock.h"

long
netreset_send(struct vsock *vs, int file, size_t len)
{
	struct pollfd	 p = { .fd = file, .events = POLLRDHUP };
	socklen_t	 elen = sizeof(int);
	int		 err = 0;

	if (vs->vs_type != SOCK_STREAM || vs->vs_state != VS_PLAIN ||
	    file == -1)
		return IT_RUN_ORIGINAL;
	/* POLLHUP alone is an unconnected socket too; POLLRDHUP with it
	 * is a connected one shut both ways */
	if (poll(&p, 1, 0) != 1 ||
	    (p.revents & (POLLHUP | POLLRDHUP)) != (POLLHUP | POLLRDHUP))
		return IT_RUN_ORIGINAL;
	if (getsockopt(file, SOL_SOCKET, SO_ERROR, &err, &elen) == -1)
		err = 0;
	vsock_set_state(vs, VS_WRDONE);
	return err == ECONNRESET ? -ECONNRESET : (long)len;
}
