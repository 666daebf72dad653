#!/usr/bin/env bash
# Installs every tool the demo and the tests need, idempotently: each step prints one
# line saying what it installed or that it was already there at the right version.
# Source it (`. scripts/setup.sh`) to also get the tools on PATH.
set -euo pipefail

VANTAGE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$VANTAGE_ROOT/scripts/npm/node_modules/.bin:$PATH"

TRUNK_VERSION="0.21.14"
BINARYEN_VERSION="132"
APT_PACKAGES=(curl chromium chromium-driver prometheus victoria-metrics wrk redis-server haproxy prometheus-node-exporter)

step() { printf 'setup: %-26s %s\n' "$1" "$2"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# The exact wasm-bindgen version of Cargo.lock: the CLI must match it or the bundle breaks.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' \
    "$VANTAGE_ROOT/Cargo.lock"
}

setup_wasm_target() {
  if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "wasm32 target" "already installed"
  else
    rustup target add wasm32-unknown-unknown >/dev/null 2>&1
    step "wasm32 target" "installed"
  fi
}

setup_trunk() {
  if [ "$(trunk --version 2>/dev/null)" = "trunk $TRUNK_VERSION" ]; then
    step "trunk" "already $TRUNK_VERSION"
  else
    # 0.22 needs a newer rustc than this toolchain; --locked keeps its own lockfile.
    cargo install "trunk@$TRUNK_VERSION" --locked --quiet
    step "trunk" "installed $TRUNK_VERSION"
  fi
}

setup_wasm_bindgen() {
  local want
  want="$(wasm_bindgen_version)"
  if [ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $want" ]; then
    step "wasm-bindgen-cli" "already $want"
  else
    # No --locked: its lockfile pins a webpki-roots the registry does not serve.
    cargo install "wasm-bindgen-cli@$want" --force --quiet
    step "wasm-bindgen-cli" "installed $want"
  fi
}

setup_binaryen() {
  if wasm-opt --version 2>/dev/null | grep -q "version $BINARYEN_VERSION"; then
    step "binaryen (npm)" "already $BINARYEN_VERSION"
  else
    (cd "$VANTAGE_ROOT/scripts/npm" && npm ci --no-audit --no-fund --silent)
    step "binaryen (npm)" "installed $(wasm-opt --version)"
  fi
}

setup_apt() {
  local missing=() pkg
  for pkg in "${APT_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$pkg")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    step "debian packages" "already installed: ${APT_PACKAGES[*]}"
  else
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -qq >/dev/null
    as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    step "debian packages" "installed: ${missing[*]}"
  fi
}

setup_wasm_target
setup_apt
setup_binaryen
setup_trunk
setup_wasm_bindgen
