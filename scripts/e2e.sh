#!/usr/bin/env bash
# Runs the real-browser end-to-end tests in e2e/ (headless Chromium driven by playwright-core,
# axe-core accessibility checks, screenshots) against a tidily binary.
#
#   scripts/e2e.sh [path/to/tidily]        default: $TIDILY_BIN, else target/debug/tidily
#
# Needs Node 20+ and Debian's Chromium (apt-get install -y chromium chromium-driver); no browser
# is downloaded. Every flow runs on SQLite, and also on PostgreSQL when TEST_DATABASE_URL is set
# (a fresh database is created with psql and dropped afterwards; TIDILY_REQUIRE_POSTGRES=1
# makes a missing TEST_DATABASE_URL a failure). Screenshots go to target/screenshots/;
# UPDATE_SCREENSHOTS=1 also copies them to docs/screenshots/ and rewrites docs/screenshots.md.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

bin=${1:-${TIDILY_BIN:-target/debug/tidily}}
if [ ! -x "$bin" ]; then
    echo "no tidily binary at $bin (build it with: cargo build -p tidily --bin tidily)" >&2
    exit 1
fi
TIDILY_BIN=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
export TIDILY_BIN

chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
    echo "$chromium is missing: apt-get install -y chromium chromium-driver" >&2
    exit 1
fi
if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' 2>/dev/null; then
    echo "Node.js 20 or newer is needed for the browser tests" >&2
    exit 1
fi

cd e2e
npm ci --silent --no-audit --no-fund
started=$(date +%s)
status=0
node --test --test-concurrency=1 --test-reporter=spec tests/web.test.js || status=$?
echo "browser tests: $(($(date +%s) - started)) s, screenshots in target/screenshots/"
exit "$status"
