#!/usr/bin/env bash
# Serve the app the way `make run` does: the background worker (`flask jobs run`) beside
# gunicorn, both stopped together. Run from the repository root, after `flask db upgrade`.
set -euo pipefail
bin="${VENV_BIN:-.venv/bin}"
"$bin/flask" --app wsgi jobs run &
worker=$!
trap 'kill "$worker" 2>/dev/null || true; wait "$worker" 2>/dev/null || true' EXIT INT TERM
"$bin/gunicorn" -c gunicorn.conf.py wsgi:app
