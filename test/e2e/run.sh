#!/usr/bin/env bash
# Real VS Code tests (npm run test:e2e): code-server from npm + Debian Chromium + playwright-core.
#  (a) mocha suites in test/e2e/suite/ inside the extension host (extension loaded from the repo), and
#  (b) browser UI cases in test/e2e/ui/*.ui.js against the packaged, installed .vsix.
# Tools are cached in ${ML_NOTES_E2E_CACHE:-~/.cache/ml-notes-e2e}. Ends with `N passed, N failed`.
# Env: ML_NOTES_SCREENSHOTS=docs/screenshots to refresh the README screenshots (default .e2e/screenshots),
#      ML_NOTES_UI_FILTER=substring to run some UI cases, ML_NOTES_E2E_SKIP_BUILD=1 when dist/ is fresh.
set -euo pipefail
REPO_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=../../scripts/e2e-env.sh
source "$REPO_ROOT/scripts/e2e-env.sh"
cd "$REPO_ROOT"

WORKSPACE=$REPO_ROOT/examples
ARTIFACTS=$REPO_ROOT/.e2e
mkdir -p "$ARTIFACTS"
export ML_NOTES_E2E_ARTIFACTS=$ARTIFACTS

e2e_ensure_apt "${E2E_APT_PACKAGES[@]}"
e2e_ensure_code_server
[ -d node_modules/playwright-core ] || e2e_die "node_modules is missing: run npm ci first"

if [ "${ML_NOTES_E2E_SKIP_BUILD:-}" != 1 ]; then
  e2e_log "build"
  npm run --silent build >"$ARTIFACTS/build.log" 2>&1 || { cat "$ARTIFACTS/build.log"; e2e_die "build failed"; }
fi

RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/ml-notes-e2e.XXXXXX")
START_PID=
cleanup() {
  [ -z "$START_PID" ] || kill -TERM "$START_PID" 2>/dev/null || true
  e2e_stop_server
  cp "$RUN_DIR/server.log" "$ARTIFACTS/server.log" 2>/dev/null || true
  rm -rf "$RUN_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

USER_DATA=$RUN_DIR/user-data
EXTENSIONS=$RUN_DIR/extensions
e2e_write_user_settings "$USER_DATA"
mkdir -p "$EXTENSIONS"

e2e_log "package .vsix"
e2e_package_vsix "$RUN_DIR/ml-notes.vsix"
e2e_code_server --user-data-dir "$USER_DATA" --extensions-dir "$EXTENSIONS" \
  --install-extension "$RUN_DIR/ml-notes.vsix" >"$RUN_DIR/install.log" 2>&1 ||
  { cat "$RUN_DIR/install.log"; e2e_die "installing the .vsix into code-server failed"; }

PORT=$(e2e_free_port "${ML_NOTES_E2E_PORT:-0}")
# The extension host inherits code-server's environment: the suite writes its results here.
export ML_NOTES_E2E_RESULT=$RUN_DIR/exthost-result.json
e2e_log "start code-server on 127.0.0.1:$PORT"
e2e_start_server "$RUN_DIR" "$PORT" "$USER_DATA" "$EXTENSIONS" "$RUN_DIR/server.log"
e2e_wait_healthy "$PORT" "$RUN_DIR/server.log"
BASE=http://127.0.0.1:$PORT

passed=0
failed=0
# Runs one driver under a hard timeout (Playwright ignores SIGTERM, hence -k) and adds its RESULT line.
run_driver() {
  local label=$1 seconds=$2 output status=0
  shift 2
  e2e_log "$label"
  output=$RUN_DIR/$label.out
  set +e
  timeout -k 10 "$seconds" node "$@" 2>&1 | tee "$output" | grep --line-buffered -v '^RESULT '
  status=${PIPESTATUS[0]}
  set -e
  local result
  result=$(grep '^RESULT ' "$output" | tail -1 || true)
  if [ -z "$result" ]; then
    echo "  FAIL $label produced no result (exit $status)"
    failed=$((failed + 1))
    return
  fi
  local p f
  p=$(sed -E 's/.*passed=([0-9]+).*/\1/' <<<"$result")
  f=$(sed -E 's/.*failed=([0-9]+).*/\1/' <<<"$result")
  # A driver that exits non-zero without reporting a failure (a crash after its cases) still fails.
  if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  passed=$((passed + p))
  failed=$((failed + f))
  e2e_log "$label: $p passed, $f failed"
}

run_driver extension-host 300 test/e2e/exthost.js "$BASE" "$WORKSPACE" "$REPO_ROOT" \
  "$REPO_ROOT/test/e2e/suite/index.js" "$ML_NOTES_E2E_RESULT" "$ARTIFACTS/exthost.png"
# The UI cases run against the installed .vsix: a new workbench without the development payload.
run_driver ui 600 test/e2e/ui/run.js "$BASE" "$WORKSPACE"

# npm start itself: it must serve a workbench where the extension becomes ready on examples/.
START_PORT=$(e2e_free_port 0)
e2e_log "npm start smoke test on port $START_PORT"
PORT=$START_PORT setsid bash scripts/start.sh >"$RUN_DIR/start.log" 2>&1 &
START_PID=$!
stop_start_script() {
  kill -TERM "$START_PID" 2>/dev/null || true
  wait "$START_PID" 2>/dev/null || true
  START_PID=
}
if timeout 300 bash -c "until grep -qs 'Ctrl-C to stop' '$RUN_DIR/start.log'; do kill -0 $START_PID || exit 1; sleep 0.5; done"; then
  ML_NOTES_UI_FILTER='status bar' run_driver npm-start 180 test/e2e/ui/run.js "http://127.0.0.1:$START_PORT" "$WORKSPACE"
else
  cat "$RUN_DIR/start.log"
  echo "  FAIL npm start did not print its URL"
  failed=$((failed + 1))
fi
stop_start_script

e2e_log "done"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
