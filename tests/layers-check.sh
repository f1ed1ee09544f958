#!/bin/sh
#
# layers-check.sh: the engine knows no layer by name.  The sandbox, the
# decoder, the JSON writer and the tallies reach the engine only through
# the layer interface (worker/engine/layer.h, <isotrace/layer.h>): no call, no
# include, no word of them in the engine's files.
#
#	tests/layers-check.sh [FILE...]	(default: the engine's files)

cd "$(dirname "$0")/.." || exit 2
[ $# -gt 0 ] || set -- worker/engine/engine.c worker/engine/engine.h
st=0
for f; do
	[ -r "$f" ] || { echo "layers-check: $f: missing" >&2; exit 2; }
	if grep -n -i 'sandbox\|decode\|tally\|json' "$f"; then
		echo "layers-check: $f names a layer (see above)" >&2
		st=1
	fi
done
[ $st = 0 ] && echo "layers-check: the engine names no layer"
exit $st
