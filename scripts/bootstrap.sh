#!/usr/bin/env bash
# Installs npm dependencies when node_modules is missing or older than package-lock.json,
# then runs the given TypeScript entry with tsx. Every npm entry point goes through here,
# so a fresh clone needs no step by hand.
set -euo pipefail
cd "$(dirname "$0")/.."

stamp=node_modules/.varai-lock-hash
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "[varai] … installing npm dependencies (first run only, about a minute)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi

exec node_modules/.bin/tsx "$@"
