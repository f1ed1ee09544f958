#!/usr/bin/env bash
#
# readme-ci-check.sh: CI must run the README's two commands as written.
# .ci/run reads them with tests/readme-commands.sh; this checks that both
# are found, that the set-up command installs (make deps) and runs the
# tool, and that .ci/run really runs what the helper prints.

set -u
cd "$(dirname "$0")/.." || exit 2
fail() { echo "FAIL readme-ci: $*" >&2; exit 1; }

setup=$(tests/readme-commands.sh setup) || fail "no set-up command"
check=$(tests/readme-commands.sh test) || fail "no test command"
[[ $setup == *"make deps"* ]] || fail "set-up command does not run make deps: $setup"
[[ $setup == *"build/isotrace"* ]] || fail "set-up command runs no isotrace: $setup"
[[ $check == *"make"*"check"* ]] || fail "test command is not make check: $check"
grep -q 'readme-commands.sh setup' .ci/run || fail ".ci/run does not run the README's set-up command"
grep -q 'readme-commands.sh test' .ci/run || fail ".ci/run does not run the README's test command"
echo "ok readme-ci: .ci/run runs '$setup' and '$check'"
