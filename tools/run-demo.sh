#!/usr/bin/env bash
# `make run`: create demo.db with a fictional population if it is not there, then serve it on
# http://127.0.0.1:8080 (SAFEHUB_LISTEN to change). The demo users' password is made once,
# kept in demo.password (mode 600, ignored by git) and printed at every start.
set -euo pipefail
bin=${1:-build/safehub}
cd "$(dirname "$0")/.."
db=${SAFEHUB_DB:-demo.db}
listen=${SAFEHUB_LISTEN:-127.0.0.1:8080}

if [ ! -f "$db" ]; then
  umask 077
  if [ ! -s demo.password ]; then
    # 20 characters from a 32-letter alphabet: 100 bits. (No pipe from an endless /dev/urandom:
    # under pipefail the writer's SIGPIPE would fail the script.)
    chars=$(head -c 2048 /dev/urandom | LC_ALL=C tr -dc 'abcdefghijkmnpqrstuvwxyz23456789')
    printf '%s' "${chars:0:20}" > demo.password
  fi
  echo "Creating $db with 2,000 fictional persons ..."
  "$bin" demo --db "$db" --persons "${SAFEHUB_DEMO_PERSONS:-2000}" --seed 1 --password "$(cat demo.password)" >/dev/null
fi

cat <<EOT

  safehub is starting on http://$listen
  Sign in as any of: practitioner, practitioner2, manager, analyst, police_intel, board, admin
  Password (all demo users): $(cat demo.password 2>/dev/null || echo "the one you gave safehub demo")
  Everyone in $db is fictional. Stop with Ctrl-C.

EOT
exec "$bin" serve --db "$db" --listen "$listen"
