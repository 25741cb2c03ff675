#!/usr/bin/env bash
# npm test: type-check, lint, build, unit + oracle tests (vitest), then the real VS Code tests.
# Stops at the first failing stage, prints each stage's time, and ends with `N passed, N failed`
# counting stages. With CI=true nothing is skipped: a missing tool is a failure.
set -euo pipefail
REPO_ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=e2e-env.sh
source "$REPO_ROOT/scripts/e2e-env.sh"
cd "$REPO_ROOT"

case "${CI:-}" in true | 1) IN_CI=true ;; *) IN_CI=false ;; esac

passed=0
failed=0
skipped=()
summary=()
# Every stage's output also goes here, so the final line can count tests, not just stages.
STAGE_LOG=$(mktemp "${TMPDIR:-/tmp}/ml-notes-test.XXXXXX")
trap 'rm -f "$STAGE_LOG"' EXIT

# Tests counted from the runners' own summaries: vitest's "Tests  N passed" and the e2e "N passed, M failed".
count_tests() {
  local clean vitest_passed vitest_failed e2e_passed e2e_failed
  clean=$(sed 's/\x1b\[[0-9;]*m//g' "$STAGE_LOG")
  vitest_passed=$(grep -oE '^ +Tests +.*' <<<"$clean" | grep -oE '[0-9]+ passed' | tail -1 | grep -oE '[0-9]+' || echo 0)
  vitest_failed=$(grep -oE '^ +Tests +.*' <<<"$clean" | grep -oE '[0-9]+ failed' | tail -1 | grep -oE '[0-9]+' || echo 0)
  e2e_passed=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' <<<"$clean" | tail -1 | grep -oE '^[0-9]+' || echo 0)
  e2e_failed=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' <<<"$clean" | tail -1 | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+' || echo 0)
  tests_passed=$((vitest_passed + e2e_passed))
  tests_failed=$((vitest_failed + e2e_failed))
}

finish() {
  echo
  echo "stage summary:"
  printf '  %s\n' "${summary[@]}"
  [ ${#skipped[@]} -gt 0 ] && echo "skipped: ${skipped[*]}"
  count_tests
  echo "stages: $passed passed, $failed failed"
  # A failed stage with no failing test (typecheck, lint, a crash) still counts as one failure.
  [ "$failed" -gt 0 ] && [ "$tests_failed" -eq 0 ] && tests_failed=1
  echo "$tests_passed passed, $tests_failed failed"
  exit $((failed == 0 ? 0 : 1))
}

# Runs one stage; on failure records it and ends the run.
stage() {
  local name=$1 started=$SECONDS status=0
  shift
  e2e_log "=== $name: $*"
  "$@" 2>&1 | tee -a "$STAGE_LOG" || status=$?
  local took=$((SECONDS - started))
  if [ "$status" -eq 0 ]; then
    passed=$((passed + 1))
    summary+=("ok    $name (${took} s)")
  else
    failed=$((failed + 1))
    summary+=("FAIL  $name (${took} s, exit $status)")
    finish
  fi
}

# The real VS Code tests need Debian packages; outside CI a user who cannot install them (not root, no
# passwordless sudo) gets a skip with the command to run.
e2e_prerequisites_missing() {
  [ "$(id -u)" -eq 0 ] && return 1
  sudo -n true 2>/dev/null && return 1
  [ -n "$(e2e_missing_apt "${E2E_APT_PACKAGES[@]}")" ]
}

if [ ! -d node_modules ]; then
  stage "npm ci" npm ci --no-audit --no-fund
fi
stage typecheck npm run --silent typecheck
stage lint npm run --silent lint
stage build npm run --silent build
# The oracle tests run Debian's PyTorch (/usr/bin/python3) and read the installed real-world corpus.
stage "Debian packages" e2e_ensure_apt "${ORACLE_APT_PACKAGES[@]}"
stage "unit+oracle" env ML_NOTES_SWEEPS=1 npm run --silent test:unit
if [ "$IN_CI" = false ] && e2e_prerequisites_missing; then
  skipped+=("e2e (needs: sudo apt-get install -y --no-install-recommends $(e2e_missing_apt "${E2E_APT_PACKAGES[@]}" | tr '\n' ' '))")
  summary+=("skip  e2e")
else
  stage e2e env ML_NOTES_E2E_SKIP_BUILD=1 bash test/e2e/run.sh
fi
finish
