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

finish() {
  echo
  echo "stage summary:"
  printf '  %s\n' "${summary[@]}"
  [ ${#skipped[@]} -gt 0 ] && echo "skipped: ${skipped[*]}"
  echo "$passed passed, $failed failed"
  exit $((failed == 0 ? 0 : 1))
}

# Runs one stage; on failure records it and ends the run.
stage() {
  local name=$1 started=$SECONDS status=0
  shift
  e2e_log "=== $name: $*"
  "$@" || status=$?
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

# The real VS Code tests need Debian packages; outside CI a non-root user without them gets a skip.
e2e_prerequisites_missing() {
  local pkg
  [ "$(id -u)" -eq 0 ] && return 1
  for pkg in "${E2E_APT_PACKAGES[@]}"; do dpkg -s "$pkg" >/dev/null 2>&1 || return 0; done
  return 1
}

if [ ! -d node_modules ]; then
  stage "npm ci" npm ci --no-audit --no-fund
fi
stage typecheck npm run --silent typecheck
stage lint npm run --silent lint
stage build npm run --silent build
stage "unit+oracle" npm run --silent test:unit
if [ "$IN_CI" = false ] && e2e_prerequisites_missing; then
  skipped+=("e2e (not root and missing: ${E2E_APT_PACKAGES[*]}; install them or run as root)")
  summary+=("skip  e2e")
else
  stage e2e env ML_NOTES_E2E_SKIP_BUILD=1 bash test/e2e/run.sh
fi
finish
