#!/usr/bin/env bash
# Installs every tool the demo and the tests need, idempotently: each step prints one
# line saying what it installed or that it was already there at the right version.
# Source it (`. scripts/setup.sh`) to also get the tools on PATH.
set -euo pipefail

VANTAGE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$VANTAGE_ROOT/scripts/npm/node_modules/.bin:$PATH"

TRUNK_VERSION="0.21.14"
BINARYEN_VERSION="132"
AXE_VERSION="4.14.1"
APT_PACKAGES=(curl chromium chromium-driver prometheus victoria-metrics prometheus-node-exporter redis-server haproxy wrk)

step() { printf 'setup: %-26s %s\n' "$1" "$2"; }
# Said before a step that takes long, so a newcomer knows what the silence is.
announce() { printf 'setup: %-26s %s\n' "$1" "$2 ..."; }
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
    announce "trunk" "installing $TRUNK_VERSION from source, about 10 minutes on 2 cores"
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
    announce "wasm-bindgen-cli" "installing $want from source, about 3 minutes on 2 cores"
    # No --locked: its lockfile pins a webpki-roots the registry does not serve.
    cargo install "wasm-bindgen-cli@$want" --force --quiet
    step "wasm-bindgen-cli" "installed $want"
  fi
}

# binaryen (wasm-opt) and axe-core, pinned in scripts/npm/package-lock.json.
setup_npm() {
  local axe="$VANTAGE_ROOT/scripts/npm/node_modules/axe-core/package.json"
  if wasm-opt --version 2>/dev/null | grep -q "version $BINARYEN_VERSION" &&
    grep -q "\"version\": \"$AXE_VERSION\"" "$axe" 2>/dev/null; then
    step "npm tools" "already binaryen $BINARYEN_VERSION, axe-core $AXE_VERSION"
  else
    announce "npm tools" "installing binaryen $BINARYEN_VERSION and axe-core $AXE_VERSION from the npm registry, a few seconds"
    (cd "$VANTAGE_ROOT/scripts/npm" && npm ci --no-audit --no-fund --silent)
    step "npm tools" "installed $(wasm-opt --version), axe-core $AXE_VERSION"
  fi
}

setup_apt() {
  local missing=() pkg
  for pkg in "${APT_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$pkg")
    fi
  done
  # npm (with Node) runs the npm tools and the size guard; Debian's package only where
  # the machine has no npm of its own (another Node distribution may provide it).
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  if [ ${#missing[@]} -eq 0 ]; then
    step "debian packages" "already installed: ${APT_PACKAGES[*]}"
  else
    announce "debian packages" "installing ${missing[*]}, about 2 minutes"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -qq >/dev/null
    as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    step "debian packages" "installed: ${missing[*]}"
  fi
}

setup_wasm_target
setup_apt
setup_npm
setup_trunk
setup_wasm_bindgen
