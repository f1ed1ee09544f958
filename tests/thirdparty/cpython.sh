#!/usr/bin/env bash
#
# cpython.sh [-j jobs] [-t seconds] [-o dir] [module ...]: runs CPython's
# own regression tests (Debian's libpython3.11-testsuite) natively and
# under `isotrace --sandbox`, module by module, each run serial inside and
# under its own `timeout`, and prints a Markdown table: the tests of each
# module, the failures of each mode and the tests that fail only in the
# sandbox, by name.  The sandbox is meant to change what a program sees of
# time, identity and randomness and nothing else, so that last column is
# the list of its bugs and of the tests that check exactly those three
# things.  Not part of `make check`: it takes minutes and needs the
# package; `make thirdparty` runs it on tests/thirdparty/modules.txt.
#
# Environment: ISOTRACE (build/isotrace), PYTHON (/usr/bin/python3),
# ISOTRACE_ARGS (extra arguments after --sandbox).

set -u
set -f		# module lines carry -m glob patterns

jobs=2
limit=600
out=${TMPDIR:-/tmp}/isotrace-cpython
while getopts j:t:o: opt; do
	case $opt in
	j)	jobs=$OPTARG ;;
	t)	limit=$OPTARG ;;
	o)	out=$OPTARG ;;
	*)	echo "usage: $0 [-j jobs] [-t seconds] [-o dir] [module ...]" >&2
		exit 2 ;;
	esac
done
shift $((OPTIND - 1))

# Paths given are the caller's; the defaults are the tree's.
out=$(realpath -m "$out")
[[ -n ${ISOTRACE:-} ]] && { ISOTRACE=$(realpath "$ISOTRACE") || exit 2; }
cd "$(dirname "$0")/../.." || exit 2
ISOTRACE=${ISOTRACE:-$PWD/build/isotrace}
PYTHON=${PYTHON:-/usr/bin/python3}
if [[ ! -x $ISOTRACE ]]; then
	echo "cpython.sh: no $ISOTRACE (make all)" >&2
	exit 2
fi
if ! "$PYTHON" -c 'import test.support, test.test_os' 2>/dev/null; then
	echo "cpython.sh: $PYTHON has no test suite" \
	    "(apt-get install libpython3.11-testsuite)" >&2
	exit 2
fi

# One line per module: the module, then extra `-m test` arguments.
if [[ $# -gt 0 ]]; then
	lines=("$@")
else
	mapfile -t lines < <(grep -v '^[[:space:]]*\(#\|$\)' \
	    tests/thirdparty/modules.txt)
fi

mkdir -p "$out" || exit 2
rm -rf "${out:?}"/native "${out:?}"/sandbox
mkdir -p "$out"/native "$out"/sandbox

# run MODE LINE: one module in one mode.  Each run has its own temporary
# directory: sandboxed runs all have pid 1000, and regrtest names its
# work directory after its pid.
run()
{
	local mode=$1 mod=${2%% *} extra='' tmp wrap=()
	[[ $2 == *" "* ]] && extra=${2#* }
	tmp=$out/$mode/$mod.tmp
	mkdir -p "$tmp"
	# shellcheck disable=SC2206 # ISOTRACE_ARGS is words
	[[ $mode == sandbox ]] && wrap=("$ISOTRACE" --sandbox ${ISOTRACE_ARGS:-})
	local t0=$SECONDS
	# shellcheck disable=SC2086
	TMPDIR=$tmp timeout -k 10 "$limit" "${wrap[@]}" "$PYTHON" -m test \
	    -v --tempdir "$tmp" --junit-xml "$out/$mode/$mod.xml" \
	    $extra "$mod" </dev/null >"$out/$mode/$mod.log" 2>&1
	echo "$? $((SECONDS - t0))" >"$out/$mode/$mod.status"
	rm -rf "$tmp"
	echo "cpython.sh: $mode $mod: status $(cat "$out/$mode/$mod.status")" >&2
}
export -f run
export out limit ISOTRACE PYTHON ISOTRACE_ARGS

# shellcheck disable=SC2016 # $1 and $2 are the inner bash's
for l in "${lines[@]}"; do
	printf 'native\0%s\0sandbox\0%s\0' "$l" "$l"
done | xargs -0 -n 2 -P "$jobs" bash -c 'set -f; run "$1" "$2"' run

args=()
for l in "${lines[@]}"; do
	args+=("${l%% *}")
done
exec "$PYTHON" tests/thirdparty/cpython_table.py "$out" "${args[@]}"
