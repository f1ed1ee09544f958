#!/usr/bin/env bash
# The man page is the CLI's contract: mandoc -Tlint finds nothing, and its
# SYNOPSIS, rendered, is the usage line that isotrace --help prints.
set -euo pipefail
bin=$1 page=$2
fail=0

lint=$(mandoc -Tlint -W warning "$page" 2>&1 || true)
if [[ -n $lint ]]; then
	echo "FAIL man lint:"; echo "$lint"; fail=1
fi

usage=$("$bin" --help | sed -n "1s/^usage: //p")
synopsis=$(MANWIDTH=300 mandoc -Tutf8 -O width=300 "$page" | col -b |
	awk '/^SYNOPSIS/ && !done { getline; print; done = 1 }' | sed 's/^ *//; s/  */ /g')
if [[ $usage != "$synopsis" ]]; then
	echo "FAIL man synopsis differs from usage:"
	echo "  usage:    $usage"
	echo "  synopsis: $synopsis"
	fail=1
fi
if ((fail == 0)); then
	echo "1 passed, 0 failed"
else
	echo "0 passed, 1 failed"
fi
exit $fail
