#!/usr/bin/env bash
# Installs what `make run` and `make test` need and do not find, from package registries only
# (crates.io, npm, Debian). A tool already present at the right version is reused.
#
#   scripts/tools.sh run    # build tools: wasm32 target, cargo-leptos, wasm-bindgen-cli, npm wasm-opt
#   scripts/tools.sh test   # the above, plus Chromium, Poppler and the Playwright packages
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
CARGO_LEPTOS_VERSION=0.3.11
# cargo-leptos 0.3.11's lock pulls a cargo-util-schemas that needs Rust 1.96; 0.14.1 builds on 1.95.
CARGO_UTIL_SCHEMAS_PIN=0.14.1
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
JOBS="${CARGO_BUILD_JOBS:-2}"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else echo "root is needed to install Debian packages: $*" >&2; return 1
  fi
}

debian_packages() {
  local missing=()
  for package in "$@"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "Installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

wasm_target() {
  rustup target list --installed | grep -qx wasm32-unknown-unknown && return 0
  say "Adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
}

cargo_leptos() {
  if cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then return 0; fi
  say "Building cargo-leptos $CARGO_LEPTOS_VERSION from crates.io source (takes 15-20 minutes once)"
  cargo info "cargo-leptos@$CARGO_LEPTOS_VERSION" >/dev/null
  local src work
  src=$(ls -d "$CARGO_HOME"/registry/src/index.crates.io-*/cargo-leptos-"$CARGO_LEPTOS_VERSION" | head -n 1)
  work=$(mktemp -d)
  cp -r "$src" "$work/cargo-leptos"
  (cd "$work/cargo-leptos" && cargo update -p cargo-util-schemas --precise "$CARGO_UTIL_SCHEMAS_PIN")
  # no_downloads: a missing tool is an error, never a download from outside the registries.
  cargo install --path "$work/cargo-leptos" --locked --features no_downloads -j "$JOBS"
  rm -rf "$work"
}

wasm_bindgen() {
  if wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION"; then return 0; fi
  say "Installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (must match Cargo.lock)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" -j "$JOBS"
}

node_and_npm() {
  command -v npm >/dev/null 2>&1 || debian_packages nodejs npm
}

npm_root() {
  # wasm-opt from npm binaryen; Debian's binaryen is too old and silently breaks hydration.
  if [ -x node_modules/.bin/wasm-opt ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then return 0; fi
  say "Installing npm build tools (binaryen)"
  npm ci --no-audit --no-fund
}

npm_end2end() {
  if [ -d end2end/node_modules/@playwright/test ] && [ end2end/node_modules/.package-lock.json -nt end2end/package-lock.json ]; then return 0; fi
  say "Installing Playwright (npm; the browser is Debian's chromium)"
  (cd end2end && npm ci --no-audit --no-fund)
}

api_fuzzer() {
  # Schemathesis (PyPI), pinned in end2end/api/requirements.txt, in a virtualenv of its own.
  local venv=target/tools/venv
  if [ -x "$venv/bin/st" ] && [ "$venv/.requirements" -nt end2end/api/requirements.txt ]; then return 0; fi
  say "Installing Schemathesis (PyPI) into $venv"
  python3 -m venv "$venv" 2>/dev/null || { debian_packages python3-venv; python3 -m venv "$venv"; }
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r end2end/api/requirements.txt
  touch "$venv/.requirements"
}

case "${1:-run}" in
  run)
    wasm_target; cargo_leptos; wasm_bindgen; node_and_npm; npm_root
    # The full Noto Sans CJK, embedded by engine/build.rs for rare hanzi, kanji and hanja.
    debian_packages fonts-noto-cjk ;;
  test)
    wasm_target; cargo_leptos; wasm_bindgen; node_and_npm; npm_root
    debian_packages chromium poppler-utils fonts-dejavu-core fonts-noto-cjk
    npm_end2end; api_fuzzer ;;
  *)
    echo "usage: $0 run|test" >&2; exit 2 ;;
esac
