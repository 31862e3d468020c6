#!/usr/bin/env bash
# Fails when the JavaScript and CSS the pages ship (app.js, app.css, sw.js and the vendored
# htmx and SortableJS) weigh more than 60 KB gzipped, each file compressed on its own as a
# server or proxy would send it (gzip -6, its default level). Prints the figures.
#
#   scripts/asset-size.sh            (scripts/test.sh runs it)
set -euo pipefail

limit=60000
assets=$(cd "$(dirname "${BASH_SOURCE[0]}")/../crates/tidily-web/assets" && pwd)
total=0
for f in app.js app.css sw.js vendor/htmx.min.js vendor/Sortable.min.js; do
    raw=$(wc -c <"$assets/$f")
    gz=$(gzip -6 -c "$assets/$f" | wc -c)
    printf '%-24s %7d bytes, %6d gzipped\n' "$f" "$raw" "$gz"
    total=$((total + gz))
done
printf 'JS + CSS gzipped: %d bytes (limit %d)\n' "$total" "$limit"
if [ "$total" -gt "$limit" ]; then
    echo "the shipped JavaScript and CSS grew past $limit bytes gzipped" >&2
    exit 1
fi
