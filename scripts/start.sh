#!/usr/bin/env bash
# npm start: installs what is missing (npm deps, Debian build packages when root, Node 24 + code-server
# in ${ML_NOTES_E2E_CACHE:-~/.cache/ml-notes-e2e}), builds and installs the extension, then serves
# VS Code (code-server) with it on examples/ and stays in the foreground until Ctrl-C.
# Env: PORT (default 8080; a busy default moves to a free port), HOST (default 127.0.0.1).
set -euo pipefail
REPO_ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=e2e-env.sh
source "$REPO_ROOT/scripts/e2e-env.sh"
cd "$REPO_ROOT"

HOST=${HOST:-127.0.0.1}
STATE=$E2E_CACHE/start
USER_DATA=$STATE/user-data
EXTENSIONS=$STATE/extensions
WORKSPACE=$REPO_ROOT/examples

if [ ! -d node_modules ]; then
  e2e_log "npm ci"
  npm ci --no-audit --no-fund
fi
if [ ! -f "$CODE_SERVER_DIR/.ok-$CODE_SERVER_VERSION" ]; then
  # Only the first install compiles native modules; chromium is not needed to serve.
  e2e_ensure_apt "${CODE_SERVER_BUILD_APT_PACKAGES[@]}"
fi
e2e_ensure_code_server

e2e_log "build + package"
mkdir -p "$STATE"
npm run --silent build >"$STATE/build.log" 2>&1 || { cat "$STATE/build.log"; e2e_die "build failed"; }
mkdir -p "$EXTENSIONS"
e2e_package_vsix "$STATE/ml-notes.vsix"
e2e_code_server --user-data-dir "$USER_DATA" --extensions-dir "$EXTENSIONS" \
  --install-extension "$STATE/ml-notes.vsix" --force >"$STATE/install.log" 2>&1 ||
  { cat "$STATE/install.log"; e2e_die "installing the .vsix into code-server failed"; }
# Settings are written once; later edits made in the UI are kept.
[ -f "$USER_DATA/User/settings.json" ] || e2e_write_user_settings "$USER_DATA"

if [ -n "${PORT:-}" ]; then
  [ "$(e2e_free_port "$PORT")" = "$PORT" ] || e2e_die "port $PORT is busy; choose another with PORT=..."
else
  PORT=$(e2e_free_port 8080)
fi

trap e2e_stop_server EXIT
trap 'exit 130' INT TERM
e2e_start_server "$STATE" "$PORT" "$USER_DATA" "$EXTENSIONS" "$STATE/server.log" "$HOST"
e2e_wait_healthy "$PORT" "$STATE/server.log"

echo
echo "ML Notes is running in VS Code (code-server $CODE_SERVER_VERSION) on examples/:"
echo
echo "    http://$HOST:$PORT/?folder=$WORKSPACE"
echo
echo "Open a .py file and hover a layer. Server log: $STATE/server.log. Press Ctrl-C to stop."
wait "$E2E_SERVER_PID"
