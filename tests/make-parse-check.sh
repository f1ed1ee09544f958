#!/usr/bin/env bash
#
# make-parse-check.sh: the README's set-up command, `make deps all`, must
# work where no library is installed yet.  make parses the Makefile once,
# before `deps` runs, so nothing may probe for the libraries (pkg-config,
# protoc-c, a compiler test) while the Makefile is parsed.  This parses it
# with every such probe replaced by one that only records its call, and
# fails if any was called.

set -u
cd "$(dirname "$0")/.." || exit 2
fake=$(mktemp -d "${TMPDIR:-/tmp}/isotrace-parse.XXXXXX") || exit 2
trap 'rm -rf "$fake"' EXIT

for p in pkg-config pkgconf protoc-c cc gcc; do
	printf '#!/bin/sh\necho "%s $*" >>"%s/called"\nexit 1\n' \
	    "$p" "$fake" >"$fake/$p"
	chmod +x "$fake/$p"
done
# `clean` and `-n` run no recipe that needs the flags: only the parse
# and the expansion of clean's own recipe happen.
if ! PATH="$fake:$PATH" make -s -n clean >/dev/null 2>"$fake/err"; then
	echo "FAIL make-parse: make -n clean failed:" >&2
	cat "$fake/err" >&2
	exit 1
fi
if [[ -s $fake/called ]]; then
	echo "FAIL make-parse: the Makefile probes while it is parsed:" >&2
	sed 's/^/	/' "$fake/called" >&2
	exit 1
fi
echo "ok make-parse: nothing probed while the Makefile is parsed"
