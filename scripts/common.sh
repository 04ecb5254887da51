# Shared by scripts/run and scripts/test: install what is missing, build the page.
# Every step checks first, so a warm run only builds what changed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

ensure_rust_components() {
  for component in clippy rustfmt; do
    rustup component list --installed | grep -q "^$component" || rustup component add "$component"
  done
}

ensure_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

# The wasm-bindgen CLI must be exactly the version of the crate in Cargo.lock.
ensure_wasm_bindgen() {
  [ -f Cargo.lock ] || cargo generate-lockfile
  local want
  want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $want" ]; then
    say "installing wasm-bindgen-cli $want (a few minutes, once)"
    # Not --locked: its lock pins a crate version the registry no longer serves.
    cargo install wasm-bindgen-cli --version "$want" --no-default-features
  fi
}

ensure_chromium() {
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    say "installing Debian's chromium and chromium-driver"
    as_root apt-get update
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y chromium chromium-driver
  fi
}

# npm ci from the lock file, again only when the lock file changed.
ensure_npm() {
  local stamp=node_modules/.dealreg-lock-sha
  local sum
  sum=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$sum" ]; then
    say "installing npm packages from package-lock.json"
    npm ci --no-audit --no-fund
    echo "$sum" > "$stamp"
  fi
}

# Builds www/pkg/dealreg.js, dealreg_bg.wasm and dealreg.d.ts.
build_wasm() {
  say "building the wasm package into www/pkg"
  cargo build --release --target wasm32-unknown-unknown --lib
  wasm-bindgen --target web --out-dir www/pkg --out-name dealreg \
    target/wasm32-unknown-unknown/release/dealreg.wasm
  # npm's binaryen: Debian's wasm-opt 108 makes modules Chromium cannot instantiate.
  node_modules/.bin/wasm-opt -Oz www/pkg/dealreg_bg.wasm -o www/pkg/dealreg_bg.wasm
  printf 'wasm: %s bytes, %s gzipped\n' "$(stat -c %s www/pkg/dealreg_bg.wasm)" \
    "$(gzip -9c www/pkg/dealreg_bg.wasm | wc -c)" >&2
}
