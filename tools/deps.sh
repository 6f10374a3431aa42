#!/usr/bin/env bash
# Installs what safehub needs to build, run and test, and only what is missing:
# Debian packages with apt-get, front-end and browser-test packages with npm (package-lock.json).
# Called by `make deps` (and so by `make run` and `make test`). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

pkgs=(build-essential pkg-config libmicrohttpd-dev libsqlite3-dev sqlite3 libjansson-dev
      libsodium-dev libcmocka-dev nodejs npm chromium curl)
[ "${SAFEHUB_BENCH:-0}" = 1 ] && pkgs+=(wrk nginx-light)

missing=()
for p in "${pkgs[@]}"; do
  # nodejs/npm may come from elsewhere (a newer Node on PATH is fine).
  case $p in
    nodejs) command -v node >/dev/null && continue ;;
    npm) command -v npm >/dev/null && continue ;;
  esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing Debian packages: ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm packages: install when node_modules is missing or older than the lock file.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ] || [ package.json -nt node_modules ]; then
  echo "deps: installing npm packages" >&2
  if [ -f package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
  else
    npm install --no-audit --no-fund --loglevel=error
  fi
  touch node_modules
fi
