# Builds the console into dist/ (sourced by the scripts that need it). Trunk rewrites
# every file it builds, and the proxy embeds dist/, so a plain `trunk build` made every
# start rebuild the proxy; here the build is skipped when no source of the console
# changed since the last one, and only files whose bytes changed are copied into dist/.

build_console() {
  local root stamp staging
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  stamp="$root/target/console-build.stamp"
  staging="$root/target/console-dist"
  if [ -f "$stamp" ] && [ -f "$root/dist/index.html" ] && [ -z "$(
    cd "$root" && find app components api styles public Cargo.toml Cargo.lock Trunk.toml \
      -newer "$stamp" -print -quit 2>/dev/null
  )" ]; then
    echo "console: dist/ is up to date"
    return 0
  fi
  mkdir -p "$root/target"
  # Stamped before building, so an edit made during the build counts as a change.
  touch "$stamp.new"
  (cd "$root" && trunk build --release --offline --dist "$staging")
  build_lean "$staging"
  sync_dir "$staging" "$root/dist"
  mv "$stamp.new" "$stamp"
}

# build_lean DIST: the lean bundle the proxy serves for /embed/* (app/embed.html, one
# panel and nothing else of the console) into DIST/lean, after the console's build
# (which empties DIST).
build_lean() {
  local root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  (cd "$root" && trunk build app/embed.html --release --offline --dist "$1/lean" --public-url /lean/)
}

# sync_dir FROM TO: makes TO hold exactly FROM's files, touching only those that differ.
sync_dir() {
  local from="$1" to="$2" rel
  mkdir -p "$to"
  while IFS= read -r rel; do
    if ! cmp -s "$from/$rel" "$to/$rel"; then
      mkdir -p "$(dirname "$to/$rel")"
      cp "$from/$rel" "$to/$rel"
    fi
  done < <(cd "$from" && find . -type f)
  while IFS= read -r rel; do
    [ -e "$from/$rel" ] || rm -f "$to/$rel"
  done < <(cd "$to" && find . -type f)
}
