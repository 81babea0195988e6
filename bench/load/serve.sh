#!/usr/bin/env bash
# Start Haven for a load run on 127.0.0.1: production settings (HAVEN_PRODUCTION=1) behind a simulated
# TLS proxy (clients send X-Forwarded-Proto: https), PostgreSQL + Redis on loopback, 2 web workers of
# 8 threads (granian, WSGI; or BENCH_SERVER / BENCH_WORKERS / BENCH_THREADS, below)
# and one task worker. Per-IP sign-up/login limits are raised: every simulated client is 127.0.0.1.
#   BENCH_DB=haven_bench BENCH_PORT=8791 BENCH_REDIS_DB=14 bench/load/serve.sh
# Extra HAVEN_* settings pass through (e.g. HAVEN_DISCOVER_CACHE_SECONDS=30); BENCH_NO_REDIS=1 runs
# without Redis (SQL Following path, per-process cache). Stop it with Ctrl-C / kill PID.
set -euo pipefail
cd "$(dirname "$0")/../.."
DB=${BENCH_DB:-haven_bench}
PORT=${BENCH_PORT:-8791}
REDIS_DB=${BENCH_REDIS_DB:-14}
export HAVEN_DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB
export HAVEN_REDIS_URL=${BENCH_REDIS_URL:-redis://127.0.0.1:6379/$REDIS_DB}
if [ -n "${BENCH_NO_REDIS:-}" ]; then unset HAVEN_REDIS_URL; fi  # the SQL Following path, for comparison
export HAVEN_PRODUCTION=1 HAVEN_DEBUG=0 HAVEN_ALLOWED_HOSTS=127.0.0.1,localhost HAVEN_LOG_LEVEL=WARNING
export HAVEN_SECRET_KEY=${HAVEN_SECRET_KEY:-$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(48))')}
export HAVEN_BENCH_ENDPOINTS=1 HAVEN_SIGNUP_RATE_PER_HOUR=1000000 HAVEN_LOGIN_RATE_PER_MINUTE=1000000
# ... and the surge defences' sign-ups per network and per e-mail domain (bench.invalid) too.
export HAVEN_SURGE_SIGNUPS_PER_NETWORK_PER_HOUR=100000 HAVEN_SURGE_SIGNUPS_PER_DOMAIN_PER_HOUR=100000
export HAVEN_DATA_DIR=${HAVEN_DATA_DIR:-$PWD/var}
# PostgreSQL connections come from psycopg's pool (HAVEN_DB_POOL_SIZE per process, default 8, as the
# operator guide recommends); HAVEN_DB_POOL_SIZE=0 opens one per request instead.
case "$DB" in *test*|*_ci) echo "refusing database $DB" >&2; exit 2 ;; esac
# Serve exactly like production: the manifest static storage needs collected files, or every HTML page
# that names a static file is a 500.
.venv/bin/python manage.py collectstatic --noinput -v0
# BENCH_TASK_WORKERS task workers (default 1): fan-out, counters, Discover ranked ahead; at the CPU
# priority BENCH_WORKER_NICE (default 0, as the web processes; 10: requests first when cores are short).
workers=()
for i in $(seq 1 "${BENCH_TASK_WORKERS:-1}"); do
  nice -n "${BENCH_WORKER_NICE:-0}" .venv/bin/python manage.py db_worker --interval 0.2 \
    >"bench/out/worker-$DB-$i.log" 2>&1 &
  workers+=($!)
done
trap 'kill "${workers[@]}" 2>/dev/null || true' EXIT INT TERM
# The server (docs/adr/0012-serving-model.md compares them): BENCH_SERVER=granian-wsgi (the default,
# as `./haven.sh web` in production: HTTP only, no WebSocket), uvicorn (ASGI, the layout before ADR
# 0012) or granian (ASGI), with BENCH_WORKERS processes and, for granian-wsgi, BENCH_THREADS threads
# per process (default 8, as HAVEN_WEB_THREADS).
WORKERS=${BENCH_WORKERS:-2}
case "${BENCH_SERVER:-granian-wsgi}" in
  uvicorn)
    .venv/bin/uvicorn config.asgi:application --host 127.0.0.1 --port "$PORT" --workers "$WORKERS" \
      --no-access-log --log-level warning ;;
  granian)
    .venv/bin/granian --interface asgi --host 127.0.0.1 --port "$PORT" --workers "$WORKERS" \
      --runtime-threads 1 --no-access-log --log-level warning config.asgi:application ;;
  granian-wsgi)
    .venv/bin/granian --interface wsgi --host 127.0.0.1 --port "$PORT" --workers "$WORKERS" \
      --blocking-threads "${BENCH_THREADS:-8}" --no-access-log --log-level warning config.wsgi:application ;;
  *) echo "unknown BENCH_SERVER ${BENCH_SERVER}" >&2; exit 2 ;;
esac
