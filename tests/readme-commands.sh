#!/usr/bin/env bash
#
# readme-commands.sh setup|test: prints the README's set-up or test
# command, exactly as a new user reads it: the first indented line after
# the sentence that introduces it.  tests/readme-ci-check.sh compares it
# with the lines of .ci/run, so CI and the README cannot drift apart.

set -u
cd "$(dirname "$0")/.." || exit 2
case ${1:-} in
setup)	intro='^On a fresh Debian 12 machine' ;;
test)	intro='^Every test' ;;
*)	echo "usage: tests/readme-commands.sh setup|test" >&2; exit 2 ;;
esac
cmd=$(awk -v intro="$intro" '
	$0 ~ intro { found = 1; next }
	found && /^    [^ ]/ { sub(/^    /, ""); print; exit }
' README.md)
if [[ -z $cmd ]]; then
	echo "readme-commands: no $1 command found in README.md" >&2
	exit 1
fi
printf '%s\n' "$cmd"
