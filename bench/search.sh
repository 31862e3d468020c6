#!/usr/bin/env bash
# Search benchmark: 100,000 items whose pages average 5 KB of text, on SQLite and PostgreSQL.
#
#   bench/search.sh [sqlite|postgres|both]     (default both; writes bench/results-search-<db>.md)
#
# For each database: a fresh database, `tidily seed --items-per-profile 33334 --page-bytes
# 5000` (100,002 items, every page indexed as a capture would index it: mostly Japanese and
# English sentences; 東京 in most pages, 京都 in about 2 %, `zephyr` in about 0.1 %, ペリカン in
# none), then the release server on 127.0.0.1 and `oha` at an offered 100 requests/s (open
# loop, latency counted from when each request was due) for 15 s per query:
#   common   q=東京        (a word in most pages: the first page of tens of thousands of hits)
#   rare     q=zephyr      (about a hundred hits)
#   two-char q=京都        (a two-character Japanese word, about 2,000 hits)
#   miss     q=ペリカン    (no hits: must not scan the library)
# plus the server's RSS after the runs and the database's size. All traffic goes to 127.0.0.1;
# every run stops by itself.
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
duration=${BENCH_DURATION:-15s}
rate=${BENCH_RATE:-100}
# BENCH_SORT=created (or another sort) measures that order instead of the default, relevance.
sort=${BENCH_SORT:+&sort=$BENCH_SORT}

run_backend() {
    local db=$1
    seed_backend "$db" bench@tidilyspace.local bench-password-123 33334 --page-bytes 5000
    start_server api
    local token
    token=$(curl -sf "$base/api/v1/auth/token" -H 'content-type: application/json' \
        -d '{"email":"bench@tidilyspace.local","password":"bench-password-123"}' |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
    local out="bench/results-search-$db${BENCH_SORT:+-$BENCH_SORT}.md" size
    case $db in
        sqlite) size=$(du -m "$work/bench.db" | cut -f1) ;;
        postgres) size=$(psql "$pg_admin" -Atc "SELECT pg_database_size('tidily_bench') / 1048576") ;;
    esac
    {
        echo "#### $db ($(date -u +%Y-%m-%d), 100,002 items with 5 KB pages, seeded in ${seed_s} s, database ${size} MB, sorted by ${BENCH_SORT:-relevance})"
        echo
        echo "| query | hits | p50 ms @${rate}/s | p99 ms @${rate}/s | 200s | other outcomes |"
        echo "|---|---:|---:|---:|---:|---|"
    } >"$out"
    local name q hits result
    for spec in "common|東京" "rare|zephyr" "two-char|京都" "miss|ペリカン"; do
        name=${spec%%|*}
        q=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "${spec#*|}")$sort
        hits=$(curl -sf "$base/api/v1/items?q=$q&limit=200" -H "authorization: Bearer $token" |
            python3 -c 'import json,sys; r=json.load(sys.stdin); print(("%d" % len(r["items"])) + ("+" if r["next_cursor"] else ""))')
        oha --no-tui --output-format json -z 3s -c 10 -H "authorization: Bearer $token" \
            "$base/api/v1/items?q=$q" >/dev/null
        result=$(oha --no-tui --output-format json -z "$duration" -c 50 -q "$rate" --latency-correction \
            -H "authorization: Bearer $token" "$base/api/v1/items?q=$q" | summarise)
        read -r _ p50 p99 ok rest <<<"$result"
        echo "$db $name (${spec#*|}): $hits hits, p50 $p50 ms, p99 $p99 ms, $ok × 200, other: $rest"
        echo "| $name \`${spec#*|}\` | $hits | $p50 | $p99 | $ok | $rest |" >>"$out"
    done
    {
        echo
        echo "Server RSS after the runs: $(($(rss_kb "$server_pid" VmRSS) / 1024)) MB (peak $(($(rss_kb "$server_pid" VmHWM) / 1024)) MB)."
    } >>"$out"
    stop_server
}

run_backends "${1:-both}"
