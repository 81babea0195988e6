#!/usr/bin/env bash
# Discover through the server with the trained ranker, beside the framework ceiling, in one run:
# ceiling, Discover (trained) at saturation and at half that rate, members reading and refreshing
# (BENCH_READERS users, a refresh every ~BENCH_READ_SECONDS) with the next first page ranked ahead in
# the task worker, the same readers with every ranking made in the request (HAVEN_DISCOVER_PREPARE=false),
# Discover (v0) at saturation, ceiling.
# Needs a generated world with a trained model and a token pool (docs/recommend.md, "Speed"):
#   BENCH_DB=haven_bench_m BENCH_PORT=8795 BENCH_REDIS_DB=13 BENCH_T=30 bench/recs/discover_load.sh M
# Results: bench/out/discover-<SIZE>/ (locust CSVs) and a summary table on stdout.
set -euo pipefail
cd "$(dirname "$0")/../.."
SIZE=${1:-S}
DB=${BENCH_DB:-haven_bench}
PORT=${BENCH_PORT:-8795}
T=${BENCH_T:-30}
U=${BENCH_USERS:-16}
HOST=http://127.0.0.1:$PORT
OUTDIR=bench/out/discover-$SIZE
mkdir -p "$OUTDIR"
export BENCH_POOL=bench/out/pool-$DB.json
export HAVEN_DISCOVER_CACHE_SECONDS=${HAVEN_DISCOVER_CACHE_SECONDS:-30}
# The periodic trainer must not start a training in the middle of the measurements.
psql -h 127.0.0.1 -U postgres "$DB" -qc "INSERT INTO core_periodicjobstate (name, next_due_at, last_enqueued_at, last_error, runs)
  VALUES ('recommend_train', now() + interval '1 day', now(), '', 0)
  ON CONFLICT (name) DO UPDATE SET next_due_at = now() + interval '1 day', last_enqueued_at = now()"
# Rankings still queued from an earlier run (or an in-process profile) would keep the task worker busy
# through these measurements: they are of no use now.
psql -h 127.0.0.1 -U postgres "$DB" -qc "DELETE FROM django_tasks_database_dbtaskresult
  WHERE status = 'READY' AND task_path = 'haven.feeds.tasks.prepare_discover'"

serve() {  # recommender (trained | v0)
  HAVEN_RECOMMENDER=$1 BENCH_DB=$DB BENCH_PORT=$PORT bench/load/serve.sh >"$OUTDIR/serve-$1${HAVEN_DISCOVER_PREPARE:+-prepare-$HAVEN_DISCOVER_PREPARE}.log" 2>&1 &
  server=$!
  for _ in $(seq 1 60); do curl -fs "$HOST/bench/ping" >/dev/null 2>&1 && return 0; sleep 1; done
  echo "server did not start" >&2; return 1
}
stop() {
  kill "$server" 2>/dev/null || true
  pkill -f "(uvicorn|granian) .*--port $PORT" || true
  wait "$server" 2>/dev/null || true  # serve.sh stops its task workers on the way out
  sleep 1
}
run() {  # name, locust user class [, users]
  local name=$1 cls=$2 users=${3:-$U}
  echo "[$(date -u +%H:%M:%S)] $name"
  timeout $((T + 60)) .venv/bin/locust -f bench/load/locustfile.py --headless --only-summary -u "$users" \
    -r "$users" -t "${T}s" --host "$HOST" --csv "$OUTDIR/$name" "$cls" >"$OUTDIR/$name.log" 2>&1 || true
}
READERS=${BENCH_READERS:-32}
export BENCH_READ_SECONDS=${BENCH_READ_SECONDS:-4}
rps() { .venv/bin/python -c "import csv,sys; print(next(float(r['Requests/s']) for r in csv.DictReader(open(sys.argv[1])) if r['Name']=='Aggregated'))" "$OUTDIR/$1_stats.csv"; }

# BENCH_ONLY=ahead: only the ceiling and the readers ranked ahead (a quicker check of the aim).
rm -f "$OUTDIR"/*_stats.csv
serve trained
run warm DiscoverUser  # loads the model in both workers, fills the shared candidates
run ceiling CeilingUser
if [ "${BENCH_ONLY:-}" != ahead ]; then
  run trained_max DiscoverUser
  BENCH_RATE=$(.venv/bin/python -c "print(round($(rps trained_max) / 2 / $U, 3))") run trained_half DiscoverUser
fi
run warm_readers DiscoverReaderUser "$READERS"  # every reader's first ranking is made in the request
run readers_ahead DiscoverReaderUser "$READERS"
run ceiling_after CeilingUser
stop
if [ "${BENCH_ONLY:-}" != ahead ]; then
  HAVEN_DISCOVER_PREPARE=false serve trained
  run warm_inline DiscoverUser
  run readers_request DiscoverReaderUser "$READERS"
  stop
  serve v0
  run warm_v0 DiscoverUser
  run v0_max DiscoverUser
  stop
fi
.venv/bin/python - "$OUTDIR" <<'PY'
import csv, sys
from pathlib import Path
out = Path(sys.argv[1])
def agg(name):
    for r in csv.DictReader(open(out / f"{name}_stats.csv")):
        if r["Name"] == "Aggregated":
            return float(r["Requests/s"]), float(r["50%"]), float(r["99%"]), int(r["Failure Count"])
ceil = [agg("ceiling"), agg("ceiling_after")]
c_rps = sum(c[0] for c in ceil) / 2
c_p50 = sum(c[1] for c in ceil) / 2
c_p99 = sum(c[2] for c in ceil) / 2
print("| run | req/s | p50 ms | p99 ms | errors | req/s / ceiling | p50 / ceiling p50 | p99 / ceiling p99 |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
def rows(name):
    return {r["Name"]: r for r in csv.DictReader(open(out / f"{name}_stats.csv"))}
for name in ("ceiling", "ceiling_after", "trained_max", "trained_half", "v0_max", "readers_ahead", "readers_request"):
    if not (out / f"{name}_stats.csv").exists():  # left out by BENCH_ONLY
        continue
    for label, r in rows(name).items():
        if name.startswith("readers") or label == "Aggregated":
            rps, p50, p99, errors = float(r["Requests/s"]), float(r["50%"]), float(r["99%"]), int(r["Failure Count"])
            row = name if label == "Aggregated" else f"{name}: {label} ({int(r['Request Count'])} requests)"
            print(f"| {row} | {rps:.1f} | {p50:.0f} | {p99:.0f} | {errors} | {rps/c_rps:.3f} | {p50/c_p50:.1f} | {p99/c_p99:.1f} |")
PY
