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
# from /proc: idle after start-up and the peak (VmHWM) after all runs. Also recorded: the
# longest manual-position key after seeding, the bytes of the first page, and how fast a list
# request with 1,000 `tag_id`s is refused (500 requests on one connection). All traffic goes
# to 127.0.0.1; every run stops by itself.
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
        read -r orps p50 p99 ok _ <<<"$open"
        echo "$db $name: closed ${rps} req/s; open ${orps} req/s p50 ${p50} ms p99 ${p99} ms"
        echo "| $name | $rps | $p50 | $p99 | $ok |" >>"$out"
    done
    local page_bytes longest refusal many
    page_bytes=$(curl -sf "$base/api/v1/items" -H "authorization: Bearer $token" | wc -c)
    longest=$(longest_position "$db")
    many=$(python3 -c 'print("&".join(f"tag_id={n}" for n in range(1, 1001)))')
    refusal=$(load -n 500 -c 1 "$base/api/v1/items?$many" | python3 -c '
import json, sys
r = json.load(sys.stdin)
p = r["latencyPercentiles"]
print("%.2f %.2f %s" % (p["p50"] * 1000, p["p99"] * 1000, ",".join(sorted(r["statusCodeDistribution"]))))')
    read -r ref_p50 ref_p99 ref_codes <<<"$refusal"
    local peak
    peak=$(rss_kb "$server_pid" VmHWM)
    {
        echo
        echo "Server RSS: idle $((idle / 1024)) MB, peak $((peak / 1024)) MB."
        echo
        echo "Longest position key: $longest characters. First page (50 items): $page_bytes bytes."
        echo "1,000 tag_id values: answered $ref_codes, p50 $ref_p50 ms, p99 $ref_p99 ms."
        echo
    } >>"$out"
    stop_server
    cat "$out"
}

# The longest manual-order key of any item, read from the database itself.
longest_position() {
    case $1 in
        sqlite) python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT MAX(LENGTH(position)) FROM items").fetchone()[0])' "$work/bench.db" ;;
        postgres) psql "$DATABASE_URL" -Atc "SELECT MAX(LENGTH(position)) FROM items" ;;
    esac
}

run_backends "$which"
