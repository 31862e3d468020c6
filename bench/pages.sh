#!/usr/bin/env bash
# Page-render benchmark of the web interface: 10,000 items for one user, on SQLite and on
# PostgreSQL.
#
#   bench/pages.sh [sqlite|postgres|both]        (default both; writes bench/results-pages-<db>.md)
#
# For each database: a fresh database, `tidily seed` with 3,334 items in each of the 3
# profiles (10,002 items), then the release server (`serve --role web`) on 127.0.0.1, a real
# log-in through the form, and `oha` against every view with the session cookie: one
# connection, requests back to back (`oha -c 1 -n N`), so each latency is the time the
# server takes to render that page, plus one loopback round trip. Reports p50/p99 and the
# HTML size. Then the pages that show counts once more, each request right after a write (a
# status change through the bulk form), so that nothing remembered from an earlier render
# can serve it: the first view after a change. All traffic goes to 127.0.0.1; every run
# stops by itself.
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
requests=${BENCH_REQUESTS:-500}
which=${1:-both}

email=pages@tidilyspace.local
password=pages-password-123

# log_in: a session cookie ("tidily_session=…") from the real log-in form.
log_in() {
    local jar="$work/cookies" csrf
    csrf=$(curl -sf -c "$jar" "$base/login" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
    curl -sf -b "$jar" -c "$jar" -o /dev/null "$base/login" \
        --data-urlencode "_csrf=$csrf" --data-urlencode "email=$email" \
        --data-urlencode "password=$password" --data-urlencode "next=/dashboard"
    awk '$6 == "tidily_session" {print $6 "=" $7}' "$jar"
}

run_backend() {
    local db=$1
    seed_backend "$db" "$email" "$password" 3334
    start_server web
    local cookie item week folder
    cookie=$(log_in)
    [ -n "$cookie" ] || { echo "log-in failed" >&2; exit 1; }
    item=$(curl -sf -H "cookie: $cookie" "$base/items" | grep -o 'href="/items/[0-9]*"' | head -1 | grep -o '[0-9]*')
    folder=$(curl -sf -H "cookie: $cookie" "$base/tree" | grep -o 'hx-get="/tree/folders/[0-9]*/items"' | head -1 | grep -o '[0-9]*')
    week=$(date -u +%Y-%m-%d)

    local out="bench/results-pages-$db.md"
    {
        echo "#### $db ($(date -u +%Y-%m-%d), 10,002 items, $requests requests per page, one connection)"
        echo
        echo "| page | p50 ms | p99 ms | HTML KB |"
        echo "|---|---:|---:|---:|"
    } >"$out"
    local page name stats size p50 p99
    for page in /dashboard /items "/items?layout=cards" "/items?q=%E6%9D%B1%E4%BA%AC" \
        "/items?status=in_progress&priority=high&sort=title&order=asc" \
        "/items/$item" "/items/$item/edit" /items/new \
        /groups "/groups?by=category" "/groups?by=tag" /tree "/tree/folders/$folder/items" \
        /calendar "/calendar?week=$week" /favorites /archive /trash /settings; do
        name=${page//%E6%9D%B1%E4%BA%AC/東京}
        # A folder's items are a fragment: asked for by htmx when the folder opens.
        local headers=(-H "cookie: $cookie")
        [[ $page == */items && $page == /tree/* ]] && headers+=(-H "HX-Request: true")
        oha --no-tui -c 1 -n 20 "${headers[@]}" "$base$page" >/dev/null
        stats=$(oha --no-tui --output-format json -c 1 -n "$requests" "${headers[@]}" \
            "$base$page" | summarise)
        read -r _ p50 p99 ok _ <<<"$stats"
        [ "$ok" = "$requests" ] || { echo "$page: only $ok of $requests answered 200" >&2; exit 1; }
        size=$(curl -sf "${headers[@]}" "$base$page" | wc -c)
        echo "$db $name: p50 $p50 ms, p99 $p99 ms, $((size / 1024)) KB"
        echo "| \`$name\` | $p50 | $p99 | $((size / 1024)) |" >>"$out"
    done
    after_writes "$cookie" "$item" "$out"
    stop_server
    cat "$out"
}

# after_writes COOKIE ITEM OUT: for each page that shows counts, BENCH_WRITES rounds of
# "change ITEM's status through the bulk form, then time one GET of the page" (curl's
# total time); p50/p99 appended to OUT.
after_writes() {
    local cookie=$1 item=$2 out=$3 csrf page name i times
    local rounds=${BENCH_WRITES:-100} statuses=(in_progress 'done')
    csrf=$(curl -sf -H "cookie: $cookie" "$base/items" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
    {
        echo
        echo "After a write ($rounds rounds per page: a status change, then one request):"
        echo
        echo "| page | p50 ms | p99 ms |"
        echo "|---|---:|---:|"
    } >>"$out"
    for page in /dashboard /groups "/groups?by=category" "/groups?by=tag" /tree /items; do
        times=$(for ((i = 0; i < rounds; i++)); do
            curl -sf -o /dev/null -H "cookie: $cookie" "$base/items/bulk" \
                --data-urlencode "_csrf=$csrf" --data-urlencode "ids=$item" \
                --data-urlencode "action=status" --data-urlencode "status=${statuses[i % 2]}"
            curl -sf -o /dev/null -w '%{time_total}\n' -H "cookie: $cookie" "$base$page"
        done | python3 -c '
import sys
t = sorted(float(x) * 1000 for x in sys.stdin)
print("%.2f %.2f" % (t[len(t) // 2], t[min(len(t) - 1, int(len(t) * 0.99))]))')
        read -r p50 p99 <<<"$times"
        name=$page
        echo "$db after a write $name: p50 $p50 ms, p99 $p99 ms"
        echo "| \`$name\` | $p50 | $p99 |" >>"$out"
    done
}

run_backends "$which"
