#!/usr/bin/env bash
#
# readme-ci-check.sh: CI must run the README's two commands as written.
# This reads them from the README (tests/readme-commands.sh), checks that
# the set-up command installs (make deps) and runs the tool, and that
# .ci/run has each of them as a line of its own, word for word.

set -u
cd "$(dirname "$0")/.." || exit 2
fail() { echo "FAIL readme-ci: $*" >&2; exit 1; }

setup=$(tests/readme-commands.sh setup) || fail "no set-up command"
check=$(tests/readme-commands.sh test) || fail "no test command"
[[ $setup == *"make deps"* ]] || fail "set-up command does not run make deps: $setup"
[[ $setup == *"build/isotrace"* ]] || fail "set-up command runs no isotrace: $setup"
[[ $check == *"make"*"check"* ]] || fail "test command is not make check: $check"
grep -qxF -- "$setup" .ci/run ||
    fail ".ci/run does not run the README's set-up command as written: $setup"
grep -qxF -- "$check" .ci/run ||
    fail ".ci/run does not run the README's test command as written: $check"
echo "ok readme-ci: .ci/run runs '$setup' and '$check'"
