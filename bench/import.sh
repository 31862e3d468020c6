#!/usr/bin/env bash
# Import and export benchmark: 100,000 links through `POST /api/v1/imports` on the release
# server, as a Netscape bookmark file (a three-level folder tree, 200 tags) and as a Pocket
# CSV, then the whole library out through `GET /api/v1/export` as JSON and HTML.
#
#   bench/import.sh [sqlite|postgres|both]     (default both; writes bench/results-import-<db>.md)
#
# Each phase runs on a freshly started server, so its peak RSS (VmHWM) is the phase's own;
# the rise is that peak over the RSS the idle server had. Targets (issue 11): each import
# under 20 s, RSS rising under 100 MB; each export under 10 s. Traffic only to 127.0.0.1.
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

import_file() {
    curl -sf "$base/api/v1/imports" -H "authorization: Bearer $(token)" \
        -H 'content-type: application/octet-stream' --data-binary "@$1"
}

export_as() {
    curl -sf "$base/api/v1/export?format=$1" -H "authorization: Bearer $(token)" -o "$work/export.$1"
}

run_backend() {
    local db=$1
    seed_backend "$db" bench@tidilyspace.local bench-password-123 1
    local html csv json exhtml
    html=$(phase import_file "$work/bookmarks.html")
    local html_items
    html_items=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["items"])' "$work/phase.out")
    csv=$(phase import_file "$work/pocket.csv")
    local csv_items
    csv_items=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["items"])' "$work/phase.out")
    json=$(phase export_as json)
    local json_mb json_items
    json_mb=$(($(stat -c %s "$work/export.json") / 1048576))
    json_items=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["items"]))' "$work/export.json")
    exhtml=$(phase export_as html)
    local html_mb
    html_mb=$(($(stat -c %s "$work/export.html") / 1048576))
    row() { read -r s rise peak <<<"$2"; echo "| $1 | $3 | $s | $rise | $peak |"; }
    {
        echo "#### $db ($(date -u +%Y-%m-%d), $links links per file)"
        echo
        echo "| phase | items | seconds | RSS rise MB | peak RSS MB |"
        echo "|---|---:|---:|---:|---:|"
        row "import Netscape HTML ($(($(stat -c %s "$work/bookmarks.html") / 1048576)) MB)" "$html" "$html_items"
        row "import Pocket CSV ($(($(stat -c %s "$work/pocket.csv") / 1048576)) MB)" "$csv" "$csv_items"
        row "export JSON ($json_mb MB)" "$json" "$json_items"
        row "export HTML ($html_mb MB)" "$exhtml" "-"
    } >"bench/results-import-$db.md"
    cat "bench/results-import-$db.md"
}

run_backends "${1:-both}"
