#!/usr/bin/env bash
# Import and export benchmark: 100,000 links imported with `tidily import` (the use case the
# API's `POST /api/v1/imports` runs, without the 30 s request timeout that a request of this
# size meets today), as a Netscape bookmark file (a three-level folder tree, 200 tags) and as
# a Pocket CSV; then the whole library out through `GET /api/v1/export` of the release server
# as JSON and HTML.
#
#   bench/import.sh [sqlite|postgres|both]     (default both; writes bench/results-import-<db>.md)
#
# An import's memory is the CLI process's peak RSS over that of the same command importing a
# one-line file; an export's is the server's peak (VmHWM, a fresh server per export) over its
# idle RSS; the exports run on a server without workers (WORKER_CONCURRENCY=0), so that the
# imports' follow-up work does not run beside them. Targets (issue 11): each import under 20 s, memory rising under 100 MB; each
# export under 10 s. Traffic only to 127.0.0.1.
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
links=${BENCH_LINKS:-100000}
python3 bench/import_files.py "$links" "$work"

token() {
    curl -sf "$base/api/v1/auth/token" -H 'content-type: application/json' \
        -d '{"email":"bench@tidilyspace.local","password":"bench-password-123"}' |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}

# phase NAME COMMAND…: runs the command against a fresh server; prints "seconds rise-MB peak-MB".
phase() {
    start_server api
    local before t0 t1
    before=$(rss_kb "$server_pid" VmRSS)
    t0=$(date +%s.%N)
    "$@" >"$work/phase.out"
    t1=$(date +%s.%N)
    local peak
    peak=$(rss_kb "$server_pid" VmHWM)
    stop_server
    python3 -c "print('%.1f %d %d' % ($t1 - $t0, ($peak - $before) / 1024, $peak / 1024))"
}

# cli_import FILE: prints "seconds rise-MB peak-MB items".
cli_import() {
    local base_kb
    base_kb=$(/usr/bin/time -f %M "$bin" import "$work/one.csv" --email bench@tidilyspace.local --dry-run 2>&1 >/dev/null | tail -1)
    /usr/bin/time -f "%e %M" -o "$work/time.out" "$bin" import "$1" --email bench@tidilyspace.local >"$work/phase.out"
    local s kb items
    read -r s kb <"$work/time.out"
    items=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["items"])' "$work/phase.out")
    echo "$s $(((kb - base_kb) / 1024)) $((kb / 1024)) $items"
}

export_as() {
    curl -sf "$base/api/v1/export?format=$1" -H "authorization: Bearer $(token)" -o "$work/export.$1"
}

run_backend() {
    local db=$1
    seed_backend "$db" bench@tidilyspace.local bench-password-123 1
    printf 'title,url,time_added,tags,status\nx,https://one.example/,1,,unread\n' >"$work/one.csv"
    local html csv json exhtml html_items csv_items s rise peak
    read -r s rise peak html_items < <(cli_import "$work/bookmarks.html")
    html="$s $rise $peak"
    read -r s rise peak csv_items < <(cli_import "$work/pocket.csv")
    csv="$s $rise $peak"
    # The exports alone: the follow-up work of the imports (captures queued at a steady
    # pace) would otherwise run beside them.
    export WORKER_CONCURRENCY=0
    json=$(phase export_as json)
    local json_mb json_items
    json_mb=$(($(stat -c %s "$work/export.json") / 1048576))
    json_items=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["items"]))' "$work/export.json")
    exhtml=$(phase export_as html)
    unset WORKER_CONCURRENCY
    local html_mb
    html_mb=$(($(stat -c %s "$work/export.html") / 1048576))
    row() { local s rise peak; read -r s rise peak <<<"$2"; echo "| $1 | $3 | $s | $rise | $peak |"; }
    {
        echo "#### $db ($(date -u +%Y-%m-%d), $links links per file)"
        echo
        echo "| phase | items | seconds | memory rise MB | peak RSS MB |"
        echo "|---|---:|---:|---:|---:|"
        row "import Netscape HTML ($(($(stat -c %s "$work/bookmarks.html") / 1048576)) MB)" "$html" "$html_items"
        row "import Pocket CSV ($(($(stat -c %s "$work/pocket.csv") / 1048576)) MB)" "$csv" "$csv_items"
        row "export JSON ($json_mb MB)" "$json" "$json_items"
        row "export HTML ($html_mb MB)" "$exhtml" "-"
    } >"bench/results-import-$db.md"
    cat "bench/results-import-$db.md"
}

run_backends "${1:-both}"
