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
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
duration=${BENCH_DURATION:-15s}
which=${1:-both}

load() { oha --no-tui --output-format json -H "authorization: Bearer $token" "$@"; }

run_backend() {
    local db=$1
    seed_backend "$db" bench@tidilyspace.local bench-password-123 33334
    start_server api
    local idle
    idle=$(rss_kb "$server_pid" VmRSS)

    local token tag
    token=$(curl -sf "$base/api/v1/auth/token" -H 'content-type: application/json' \
        -d '{"email":"bench@tidilyspace.local","password":"bench-password-123"}' |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
    tag=$(curl -sf "$base/api/v1/tags" -H "authorization: Bearer $token" |
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
        load -z 3s -c 20 "$base$path" >/dev/null
        closed=$(load -z "$duration" -c 100 "$base$path" | summarise)
        open=$(load -z "$duration" -c 100 -q 500 --latency-correction "$base$path" | summarise)
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
    stop_server
    cat "$out"
}

run_backends "$which"
