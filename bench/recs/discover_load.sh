#!/usr/bin/env bash
# Discover through the server with the trained ranker, beside the framework ceiling, in one run:
# ceiling, Discover (trained) at saturation and at half that rate, Discover (v0) at saturation, ceiling.
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

serve() {  # recommender (trained | v0)
  HAVEN_RECOMMENDER=$1 BENCH_DB=$DB BENCH_PORT=$PORT bench/load/serve.sh >"$OUTDIR/serve-$1.log" 2>&1 &
  server=$!
  for _ in $(seq 1 60); do curl -fs "$HOST/bench/ping" >/dev/null 2>&1 && return 0; sleep 1; done
  echo "server did not start" >&2; return 1
}
stop() { kill "$server" 2>/dev/null || true; pkill -f "uvicorn config.asgi:application --host 127.0.0.1 --port $PORT" || true; sleep 2; }
run() {  # name, locust user class, extra env
  local name=$1 cls=$2
  echo "[$(date -u +%H:%M:%S)] $name"
  timeout $((T + 60)) .venv/bin/locust -f bench/load/locustfile.py --headless --only-summary -u "$U" -r "$U" \
    -t "${T}s" --host "$HOST" --csv "$OUTDIR/$name" "$cls" >"$OUTDIR/$name.log" 2>&1 || true
}
rps() { .venv/bin/python -c "import csv,sys; print(next(float(r['Requests/s']) for r in csv.DictReader(open(sys.argv[1])) if r['Name']=='Aggregated'))" "$OUTDIR/$1_stats.csv"; }

serve trained
run warm DiscoverUser  # loads the model in both workers, fills the shared candidates
run ceiling CeilingUser
run trained_max DiscoverUser
BENCH_RATE=$(.venv/bin/python -c "print(round($(rps trained_max) / 2 / $U, 3))") run trained_half DiscoverUser
run ceiling_after CeilingUser
stop
serve v0
run warm_v0 DiscoverUser
run v0_max DiscoverUser
stop
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
for name in ("ceiling", "ceiling_after", "trained_max", "trained_half", "v0_max"):
    r = agg(name)
    print(f"| {name} | {r[0]:.1f} | {r[1]:.0f} | {r[2]:.0f} | {r[3]} | {r[0]/c_rps:.3f} | {r[1]/c_p50:.1f} | {r[2]/c_p99:.1f} |")
PY
