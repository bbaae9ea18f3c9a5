#!/usr/bin/env bash
# Runs the whole test suite: unit tests, the storage contract on SQLite and on a real
# PostgreSQL server, HTTP tests, CLI tests and headless-Chromium browser tests.
#
# Installs what the tests need when it is missing (Debian packages postgresql,
# chromium, chromium-driver, fonts-wqy-zenhei, sqlite3, poppler-utils; the npm packages of frontend/). PostgreSQL: the tests use
# the server at $ZHAOSHANG_TEST_POSTGRES_URL when set, else start a temporary one.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
# Chinese text in the browser tests' measurements and screenshots (not boxes).
[ -n "$(fc-list :lang=zh 2>/dev/null)" ] || missing+=(fonts-wqy-zenhei)
# The benchmark's correctness run compares with the sqlite3 program where it is installed.
command -v sqlite3 >/dev/null || missing+=(sqlite3)
# The printed documents' tests read their PDFs' text back.
command -v pdftotext >/dev/null || missing+=(poppler-utils)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -f frontend/node_modules/echarts/dist/echarts.min.js ]; then
  echo "== installing front-end packages (frontend/package-lock.json)"
  (cd frontend && npm ci --no-audit --no-fund --loglevel=error)
fi

echo "== cargo test"
cargo test --workspace --locked "$@"
