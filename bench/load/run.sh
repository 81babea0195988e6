#!/usr/bin/env bash
# One bounded load run (every step time-limited, loopback only) against a Haven started with
# bench/load/serve.sh on the same database; results in bench/out/run-<SIZE>[-TAG]/ (report.md).
#   BENCH_DB=haven_bench BENCH_PORT=8791 BENCH_T=60 bench/load/run.sh S
# Steps: floor (no server), ceiling, Following/Discover at saturation then at half that rate, the daily
# mix at saturation, the surge (rising sign-ups) beside the daily mix at half load, the celebrity post
# beside the daily mix at half load.
set -euo pipefail
cd "$(dirname "$0")/../.."
SIZE=${1:-S}
DB=${BENCH_DB:-haven_bench}
PORT=${BENCH_PORT:-8791}
T=${BENCH_T:-60}
U=${BENCH_USERS:-16}
SURGE_USERS=${BENCH_SURGE_USERS:-24}
HOST=http://127.0.0.1:$PORT
OUTDIR=bench/out/run-$SIZE${BENCH_TAG:+-$BENCH_TAG}
mkdir -p "$OUTDIR"
export BENCH_POOL=bench/out/pool-$DB.json
export HAVEN_DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB

locust_run() {  # name, then locust arguments
  local name=$1; shift
  echo "[$(date -u +%H:%M:%S)] $name $*"
  timeout $((T + 90)) .venv/bin/locust -f bench/load/locustfile.py --headless --only-summary \
    --host "$HOST" --csv "$OUTDIR/$name" "$@" >"$OUTDIR/$name.log" 2>&1 || true
}
rps() {  # aggregated requests/s of a finished locust run
  .venv/bin/python -c "import csv,sys; print(next(float(r['Requests/s']) for r in csv.DictReader(open(sys.argv[1])) if r['Name']=='Aggregated'))" "$OUTDIR/$1_stats.csv"
}
per_user() { .venv/bin/python -c "import sys; print(round(float(sys.argv[1]) / 2 / int(sys.argv[2]), 3))" "$1" "$U"; }

echo "[$(date -u +%H:%M:%S)] floor" && uptime >"$OUTDIR/uptime-start.txt"
HAVEN_REDIS_URL=${BENCH_REDIS_URL:-redis://127.0.0.1:6379/${BENCH_REDIS_DB:-14}} \
  timeout 900 .venv/bin/python -m bench.load.floor --iterations "${BENCH_FLOOR_N:-100}" >"$OUTDIR/floor.log" 2>&1 || true
cp "bench/out/floor-$DB.json" "$OUTDIR/" 2>/dev/null || true

locust_run ceiling -u "$U" -r "$U" -t "${T}s" CeilingUser
for kind in Following Discover; do
  name=$(echo "$kind" | tr '[:upper:]' '[:lower:]')
  locust_run "${name}_max" -u "$U" -r "$U" -t "${T}s" "${kind}User"
  BENCH_RATE=$(per_user "$(rps "${name}_max")") locust_run "${name}_half" -u "$U" -r "$U" -t "${T}s" "${kind}User"
done
locust_run daily_max -u "$U" -r "$U" -t "${T}s" DailyUser
HALF=$(per_user "$(rps daily_max)")
echo "daily half rate per user: $HALF" >"$OUTDIR/daily_half_rate.txt"

# Surge: sign-ups rising to SURGE_USERS / BENCH_SURGE_PACE per second, beside the daily mix at half load.
BENCH_RATE=$HALF locust_run daily_half_surge -u "$U" -r "$U" -t "${T}s" DailyUser &
daily=$!
BENCH_SURGE_PACE=${BENCH_SURGE_PACE:-2} locust_run surge -u "$SURGE_USERS" \
  -r "$(.venv/bin/python -c "print(round($SURGE_USERS / $T, 3))")" -t "${T}s" SurgeUser
wait "$daily"

# Celebrity: the most-followed member posts while the daily mix runs at half load.
BENCH_RATE=$HALF locust_run daily_half_celebrity -u "$U" -r "$U" -t "${T}s" DailyUser &
daily=$!
sleep 5
echo "[$(date -u +%H:%M:%S)] celebrity"
timeout $((T + 120)) .venv/bin/python -m bench.load.celebrity --host "$HOST" --pool "$BENCH_POOL" \
  --rounds "${BENCH_CELEB_ROUNDS:-3}" --timeout 20 --label "$SIZE" >"$OUTDIR/celebrity.log" 2>&1 || true
cp "bench/out/celebrity-$DB-$SIZE.json" "$OUTDIR/" 2>/dev/null || true
wait "$daily"
uptime >"$OUTDIR/uptime-end.txt"
.venv/bin/python -m bench.load.report "$OUTDIR" >/dev/null
echo "[$(date -u +%H:%M:%S)] done: $OUTDIR/report.md"
