#!/usr/bin/env bash
# Load benchmark of the item list: 100,000 items for one user, on SQLite and on PostgreSQL.
#
#   bench/run.sh [sqlite|postgres|both]        (default both; writes bench/results-<db>.md)
#
# For each database: a fresh database, `tidily migrate`, `tidily seed` with 33,334 items in
# each of the 3 profiles (100,002 items), then the release server on 127.0.0.1,
# and `oha` (crates.io: `cargo install oha --locked`) against three queries:
#   list     GET /api/v1/items                              first page (50 items, tags included)
#   filter   GET /api/v1/items?tag_id=<rust>&status=in_progress
#   search   GET /api/v1/items?q=東京                        Japanese substring search
# Each query is measured twice: closed loop at concurrency 100 (`oha -c 100`, like the seeds'
# `ab -c 100`) for the maximum rate, and open loop at an offered 500 requests/s
# (`oha -q 500 --latency-correction`: requests are sent on a fixed schedule and latency counts
# from when each was due, so a slow server cannot hide queueing) for p50/p99. RSS is read
# from /proc: idle after start-up and the peak (VmHWM) after all runs. All traffic goes to
# 127.0.0.1; every run stops by itself.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
bin=${TIDILY_BIN:-target/release/tidily}
duration=${BENCH_DURATION:-15s}
port=${BENCH_PORT:-3999}
pg_admin=${BENCH_PG_ADMIN_URL:-postgres://postgres:postgres@127.0.0.1:5432/postgres}
which=${1:-both}

command -v oha >/dev/null || { echo "oha is required: cargo install oha --locked" >&2; exit 1; }
[ -x "$bin" ] || cargo build --release --locked -p tidily --bin tidily

work=$(mktemp -d)
server_pid=
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

rss_kb() { awk -v k="$2" '$1 == k":" {print $2}' "/proc/$1/status"; }

# oha's JSON summary -> "requests/s p50 p99 count-of-200" (latencies in ms).
summarise() {
    python3 -c '
import json, sys
r = json.load(sys.stdin)
p = r["latencyPercentiles"]
print("%.0f %.2f %.2f %d" % (r["summary"]["requestsPerSec"], p["p50"] * 1000, p["p99"] * 1000,
                             r["statusCodeDistribution"].get("200", 0)))'
}
load() { oha --no-tui --output-format json -H "authorization: Bearer $token" "$@"; }

run_backend() {
    local db=$1 url
    case $db in
        sqlite) url="sqlite://$work/bench.db?mode=rwc" ;;
        postgres)
            psql "$pg_admin" -qc "DROP DATABASE IF EXISTS tidily_bench" -c "CREATE DATABASE tidily_bench"
            url="${pg_admin%/*}/tidily_bench"
            ;;
    esac
    export DATABASE_URL=$url APP_ENV=staging JWT_SECRET=benchmark-secret-benchmark-secret-0123 \
        BIND=127.0.0.1 PORT=$port BASE_URL=https://bench.invalid LOG_FORMAT=json RUST_LOG=warn
    "$bin" migrate >/dev/null
    local t0=$SECONDS
    "$bin" seed --email bench@tidilyspace.local --password bench-password-123 --items-per-profile 33334
    local seed_s=$((SECONDS - t0))

    "$bin" serve --role api >"$work/server-$db.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/api/health" >/dev/null && break; sleep 0.1; done
    local idle
    idle=$(rss_kb "$server_pid" VmRSS)

    local token tag
    token=$(curl -sf "http://127.0.0.1:$port/api/v1/auth/token" -H 'content-type: application/json' \
        -d '{"email":"bench@tidilyspace.local","password":"bench-password-123"}' |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
    tag=$(curl -sf "http://127.0.0.1:$port/api/v1/tags" -H "authorization: Bearer $token" |
        python3 -c 'import json,sys; print(next(t["id"] for t in json.load(sys.stdin) if t["name"] == "rust"))')

    local out="bench/results-$db.md"
    {
        echo "#### $db ($(date -u +%Y-%m-%d), 100,002 items, seeded in ${seed_s} s)"
        echo
        echo "| query | max req/s (c=100) | p50 ms @500/s | p99 ms @500/s | 200s @500/s |"
        echo "|---|---:|---:|---:|---:|"
    } >"$out"
    local name path closed open
    for spec in "list|/api/v1/items" \
        "filter|/api/v1/items?tag_id=$tag&status=in_progress" \
        "search|/api/v1/items?q=%E6%9D%B1%E4%BA%AC"; do
        name=${spec%%|*}
        path=${spec#*|}
        load -z 3s -c 20 "http://127.0.0.1:$port$path" >/dev/null
        closed=$(load -z "$duration" -c 100 "http://127.0.0.1:$port$path" | summarise)
        open=$(load -z "$duration" -c 100 -q 500 --latency-correction "http://127.0.0.1:$port$path" | summarise)
        read -r rps _ _ _ <<<"$closed"
        read -r orps p50 p99 ok <<<"$open"
        echo "$db $name: closed ${rps} req/s; open ${orps} req/s p50 ${p50} ms p99 ${p99} ms"
        echo "| $name | $rps | $p50 | $p99 | $ok |" >>"$out"
    done
    local peak
    peak=$(rss_kb "$server_pid" VmHWM)
    {
        echo
        echo "Server RSS: idle $((idle / 1024)) MB, peak $((peak / 1024)) MB."
        echo
    } >>"$out"
    kill -TERM "$server_pid"
    wait "$server_pid" || true
    server_pid=
    cat "$out"
}

case $which in
    sqlite | postgres) run_backend "$which" ;;
    both) run_backend sqlite && run_backend postgres ;;
    *) echo "usage: $0 [sqlite|postgres|both]" >&2; exit 2 ;;
esac
