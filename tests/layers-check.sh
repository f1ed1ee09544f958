#!/bin/sh
#
# layers-check.sh: the engine knows no layer by name.  The sandbox, the
# decoder, the JSON writer and the tallies reach the engine only through
# the layer interface (worker/engine/layer.h, <isotrace/layer.h>): the
# engine's own file has no call, include or word of them, and no file of
# worker/engine/ includes a header of worker/decode/ or worker/sandbox/,
# nor worker.h, the worker that stands on the engine (no include circle).
#
#	tests/layers-check.sh

cd "$(dirname "$0")/.." || exit 2
st=0
for f in worker/engine/engine.c worker/engine/engine.h; do
	[ -r "$f" ] || { echo "layers-check: $f: missing" >&2; exit 2; }
	if grep -n -i 'sandbox\|decode\|tally\|json' "$f"; then
		echo "layers-check: $f names a layer (see above)" >&2
		st=1
	fi
done
if grep -n '#[[:space:]]*include[[:space:]]*"[^"]*\(decode/\|sandbox/\|worker\.h\)' \
    worker/engine/*.[ch]; then
	echo "layers-check: the engine includes a layer's header, or worker.h" >&2
	st=1
fi
[ $st = 0 ] && echo "layers-check: the engine names no layer"
exit $st
