#!/usr/bin/env bash
# Haven's one entry point: `./haven.sh run` (demo on http://127.0.0.1:8000) and `./haven.sh test`.
# It finds a Python >= 3.12 (PATH first, then pyenv's versions), installs uv into .tools/, syncs
# the locked dependencies into .venv/, and runs what was asked. Safe to run again at any time.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)

say() { printf '\033[1;31m▌\033[0m %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

find_python() {
  local cand v
  for cand in python3.13 python3.12 python3.14 python3 python; do
    if command -v "$cand" >/dev/null 2>&1; then
      v=$("$cand" -c 'import sys; print(int(sys.version_info >= (3, 12)))' 2>/dev/null || true)
      if [ "$v" = "1" ]; then command -v "$cand"; return 0; fi
    fi
  done
  local roots=()
  if command -v pyenv >/dev/null 2>&1; then roots+=("$(pyenv root 2>/dev/null)/versions"); fi
  roots+=("${PYENV_ROOT:-$HOME/.pyenv}/versions" "$HOME/.local/share/uv/python" /usr/local/bin /opt/python)
  local r bin
  for r in "${roots[@]}"; do
    [ -d "$r" ] || continue
    for bin in $(ls -d "$r"/*/bin/python3.1[2-9] "$r"/python3.1[2-9] 2>/dev/null | sort -rV); do
      v=$("$bin" -c 'import sys; print(int(sys.version_info >= (3, 12)))' 2>/dev/null || true)
      if [ "$v" = "1" ]; then echo "$bin"; return 0; fi
    done
  done
  return 1
}

ensure_env() {
  local mode=$1  # run | test
  if [ -x .venv/bin/python ] && .venv/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
    PY=$(.venv/bin/python -c 'import sys; print(sys._base_executable)')
  else
    PY=$(find_python) || die "Haven needs Python 3.12 or newer and none was found on PATH or in pyenv.
  Install one, for example:  sudo apt-get install python3.12 python3.12-venv   (Debian/Ubuntu)
                             brew install python@3.12                          (macOS)
                             pyenv install 3.12                                (pyenv)
  then run this command again."
  fi
  local UV
  if command -v uv >/dev/null 2>&1; then UV=$(command -v uv)
  else
    if [ ! -x .tools/bin/uv ]; then
      say "Installing uv (the package manager) into .tools/ ..."
      "$PY" -m venv .tools >/dev/null
      .tools/bin/python -m pip install --quiet --disable-pip-version-check uv
    fi
    UV=$ROOT/.tools/bin/uv
  fi
  say "Installing Haven's locked dependencies with $("$PY" --version) ..."
  if [ "$mode" = "test" ]; then
    "$UV" sync --frozen --python "$PY" --quiet
  else
    "$UV" sync --frozen --inexact --no-dev --python "$PY" --quiet
  fi
}

ensure_system_packages() {
  # Video notes are processed by ffmpeg (Debian package; docs/video.md). Browser tests drive Debian's
  # Chromium through Playwright (never a downloaded browser); the catalog test runs GNU gettext's
  # xgettext. Install what is missing when we may (`run` needs only ffmpeg).
  local mode=${1:-test}
  local need=()
  command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1 || need+=(ffmpeg)
  if [ "$mode" = "test" ]; then
    [ -x /usr/bin/chromium ] || need+=(chromium chromium-driver)
    command -v xgettext >/dev/null 2>&1 || need+=(gettext)
  fi
  [ ${#need[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" = "0" ] || sudo="sudo"
  if command -v apt-get >/dev/null 2>&1 && { [ -z "$sudo" ] || command -v sudo >/dev/null 2>&1; }; then
    say "Installing ${need[*]} (apt-get) ..."
    $sudo apt-get update -qq >/dev/null && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null || true
  fi
  command -v ffmpeg >/dev/null 2>&1 || say "ffmpeg is missing: video notes cannot be processed (install the Debian package 'ffmpeg')."
  [ "$mode" = "test" ] || return 0
  [ -x /usr/bin/chromium ] || say "Chromium is missing: browser tests will be skipped (install the Debian package 'chromium')."
}

cmd_run() {
  ensure_env run
  ensure_system_packages run
  export HAVEN_DATA_DIR=${HAVEN_DATA_DIR:-$ROOT/var}
  export HAVEN_DEBUG=${HAVEN_DEBUG:-false}
  mkdir -p "$HAVEN_DATA_DIR"
  local PYV=.venv/bin/python
  $PYV manage.py prepare --demo-size "${HAVEN_DEMO_SIZE:-small}"
  say "$($PYV manage.py translation_status)"
  say "Starting the task worker (and the periodic schedule) ..."
  $PYV manage.py worker --interval 0.5 >"$HAVEN_DATA_DIR/worker.log" 2>&1 &
  WORKER_PID=$!  # global: the trap fires after this function's locals are gone
  trap stop_children EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  say "Haven is at http://127.0.0.1:${HAVEN_PORT:-8000}  (Ctrl-C stops it)"
  .venv/bin/uvicorn config.asgi:application --host 127.0.0.1 --port "${HAVEN_PORT:-8000}" --workers 1 \
    --log-level warning --no-proxy-headers &
  SERVER_PID=$!
  wait "$SERVER_PID"
}

WORKER_PID=""
SERVER_PID=""
stop_children() {
  # Stop the web server and the task worker that `run` started, and wait for them to end.
  local pid
  for pid in $SERVER_PID $WORKER_PID; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in $SERVER_PID $WORKER_PID; do
    wait "$pid" 2>/dev/null || true
  done
}

cmd_test() {
  ensure_env test
  ensure_system_packages
  # -n: two processes on a 2-core machine; browser tests run in the same session.
  exec .venv/bin/python -m pytest -n "${HAVEN_TEST_WORKERS:-2}" -q --durations=15 "$@"
}

cmd_worker() { ensure_env run; exec .venv/bin/python manage.py worker "$@"; }

cmd_web() {
  # HTTP under WSGI (granian): processes = HAVEN_WEB_WORKERS (default: the cores), each with
  # HAVEN_WEB_THREADS threads (default 8, one per pooled database connection). docs/adr/0012.
  # --asgi serves HTTP and the WebSocket together under uvicorn instead (one machine, no split).
  ensure_env run
  if [ "${1:-}" = "--asgi" ]; then
    shift
    exec .venv/bin/uvicorn config.asgi:application --host "${HAVEN_HOST:-127.0.0.1}" --port "${HAVEN_PORT:-8000}" \
      --no-proxy-headers "$@"
  fi
  exec .venv/bin/granian --interface wsgi --host "${HAVEN_HOST:-127.0.0.1}" --port "${HAVEN_PORT:-8000}" \
    --workers "${HAVEN_WEB_WORKERS:-$(nproc 2>/dev/null || echo 2)}" --blocking-threads "${HAVEN_WEB_THREADS:-8}" \
    --no-access-log "$@" config.wsgi:application
}

cmd_realtime() {
  # The WebSocket (/ws/: messages, typing, badges) under ASGI (uvicorn); the proxy sends /ws/ here
  # and everything else to `web`. Needs HAVEN_REDIS_URL when it is not the same process as `web`.
  ensure_env run
  exec .venv/bin/uvicorn config.asgi:application --host "${HAVEN_HOST:-127.0.0.1}" \
    --port "${HAVEN_REALTIME_PORT:-8001}" --no-proxy-headers "$@"
}

case "${1:-}" in
  run) shift; cmd_run "$@" ;;
  test) shift; cmd_test "$@" ;;
  worker) shift; cmd_worker "$@" ;;
  web) shift; cmd_web "$@" ;;
  realtime) shift; cmd_realtime "$@" ;;
  setup) shift; ensure_env test ;;
  *) echo "usage: ./haven.sh run | test [pytest args] | web [--asgi] | realtime | worker | setup" >&2; exit 2 ;;
esac
