#!/usr/bin/env bash
# Capture benchmark: how fast the worker of one `tidily serve` captures saved links, at the
# politeness limits, and what it costs.
#
#   bench/capture.sh [sqlite|postgres|both]     (default both; writes bench/results-capture-<db>.md)
#
# A fixture site (Python, bench/capture_site.py) answers on 127.0.0.1 to 127.0.0.10 — ten
# hosts, as far as politeness goes — with 40 KB Japanese articles (Shift_JIS and UTF-8), each
# with an icon, a preview image and two article images (330 KB PNGs), after a 50 ms delay. CAPTURE_ALLOW_INTERNAL=127.0.0.0/8 lets the server fetch them. 400 items are
# created through the API (40 per host), and the run ends when none is pending. Recorded:
# pages per second, the server's CPU seconds per page (utime + stime from /proc), its peak
# RSS, the failures, and how many items got a stored preview and a readable archive. All traffic stays on 127.0.0.x; the run stops by itself.
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
items=${BENCH_ITEMS:-400}

run_backend() {
    local db=$1
    seed_backend "$db" bench@tidilyspace.local bench-password-123 1
    export CAPTURE_ALLOW_INTERNAL=127.0.0.0/8
    python3 bench/capture_site.py 8090 >"$work/site.log" 2>&1 &
    local site_pid=$!
    start_server api
    local token profile
    token=$(curl -sf "$base/api/v1/auth/token" -H 'content-type: application/json' \
        -d '{"email":"bench@tidilyspace.local","password":"bench-password-123"}' |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
    profile=$(curl -sf "$base/api/v1/profiles" -H "authorization: Bearer $token" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
    local ticks_before t0
    ticks_before=$(awk '{print $14 + $15}' "/proc/$server_pid/stat")
    t0=$(date +%s.%N)
    for n in $(seq 1 "$items"); do
        curl -sf "$base/api/v1/items" -H "authorization: Bearer $token" -H 'content-type: application/json' \
            -d "{\"profile_id\": $profile, \"url\": \"http://127.0.0.$(((n % 10) + 1)):8090/page/$n\"}" >/dev/null
    done
    local pending captured failed previews archives
    while :; do
        read -r pending captured failed previews archives < <(python3 - "$base" "$token" <<'PY'
import json, sys, urllib.request
base, token = sys.argv[1], sys.argv[2]
counts = {"pending": 0, "done": 0, "failed": 0, "preview": 0, "archive": 0}
url = base + "/api/v1/items?limit=200"
while url:
    req = urllib.request.Request(url, headers={"authorization": "Bearer " + token})
    page = json.load(urllib.request.urlopen(req))
    for item in page["items"]:
        if item["capture_state"] in counts:
            counts[item["capture_state"]] += 1
        counts["preview"] += item["preview"] is not None
        counts["archive"] += item["archive"] is not None
    url = base + "/api/v1/items?limit=200&cursor=" + page["next_cursor"] if page["next_cursor"] else None
print(counts["pending"], counts["done"], counts["failed"], counts["preview"], counts["archive"])
PY
        )
        [ "${pending:-1}" = 0 ] && break
        sleep 0.5
    done
    local t1 ticks_after hz seconds cpu
    t1=$(date +%s.%N)
    ticks_after=$(awk '{print $14 + $15}' "/proc/$server_pid/stat")
    hz=$(getconf CLK_TCK)
    seconds=$(python3 -c "print('%.1f' % ($t1 - $t0))")
    cpu=$(python3 -c "print('%.1f' % (($ticks_after - $ticks_before) / $hz / $items * 1000))")
    {
        echo "#### $db ($(date -u +%Y-%m-%d), $items pages from 10 hosts)"
        echo
        echo "| pages | done | failed | with preview | with archive | seconds | pages/s | server CPU ms/page (incl. the API calls that saved them) | peak RSS MB |"
        echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
        echo "| $items | $captured | $failed | $previews | $archives | $seconds | $(python3 -c "print('%.1f' % ($items / $seconds))") | $cpu | $(($(rss_kb "$server_pid" VmHWM) / 1024)) |"
    } >"bench/results-capture-$db.md"
    cat "bench/results-capture-$db.md"
    stop_server
    kill "$site_pid" 2>/dev/null || true
}

run_backends "${1:-both}"
