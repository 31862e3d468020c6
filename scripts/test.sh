#!/usr/bin/env bash
# Checks the size budget of the shipped JavaScript and CSS (scripts/asset-size.sh), then runs
# every Rust test in the workspace: unit tests, the API integration suite on SQLite and
# on PostgreSQL, and the scheduler Lambda's tests against moto_server; then the real-browser
# tests of the web interface (scripts/e2e.sh) against the target/debug/tidily they built.
#
#   scripts/test.sh [extra cargo-nextest arguments]
#
# PostgreSQL: the suite runs against TEST_DATABASE_URL (default
# postgres://postgres:postgres@127.0.0.1:5432/postgres) when that server answers; each test
# creates and drops its own database. When it does not answer, the PostgreSQL half is
# SKIPPED with a loud warning — unless TIDILY_REQUIRE_POSTGRES=1 (CI), which makes it fail.
#
# moto_server (for the scheduler tests and the S3 file store) is installed into
# target-venv/moto on first use, and aiolinkding (the linkding client the compatible API is
# tested with) into target-venv/linkding.
#
# Browser tests: need Node 20+ and Debian's Chromium (/usr/bin/chromium). Without Chromium they
# are SKIPPED with a loud warning — unless TIDILY_REQUIRE_BROWSER=1 (CI), which makes it fail.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

loud() {
    printf '\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n' >&2
    printf '!!! %s\n' "$@" >&2
    printf '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\n' >&2
}

# PostgreSQL: probe the server once with a real connection attempt (bash's /dev/tcp).
export TEST_DATABASE_URL=${TEST_DATABASE_URL:-postgres://postgres:postgres@127.0.0.1:5432/postgres}
hostport=${TEST_DATABASE_URL#*@}
hostport=${hostport%%/*}
host=${hostport%%:*}
port=${hostport##*:}
[ "$port" = "$hostport" ] && port=5432
if timeout 3 bash -c "exec 3<>/dev/tcp/$host/$port" 2>/dev/null; then
    echo "PostgreSQL suite: ON ($host:$port)"
elif [ "${TIDILY_REQUIRE_POSTGRES:-0}" = 1 ]; then
    loud "PostgreSQL is required (TIDILY_REQUIRE_POSTGRES=1) but $host:$port does not answer."
    exit 1
else
    loud "PostgreSQL at $host:$port does not answer: the PostgreSQL half of the suite is SKIPPED." \
        "Start one and set TEST_DATABASE_URL to run it (see README)."
    unset TEST_DATABASE_URL
fi

# Chromium for the browser tests.
chromium=${CHROMIUM:-/usr/bin/chromium}
browser=1
if [ ! -x "$chromium" ]; then
    if [ "${TIDILY_REQUIRE_BROWSER:-0}" = 1 ]; then
        loud "Chromium is required (TIDILY_REQUIRE_BROWSER=1) but $chromium is missing." \
            "Install it with: apt-get install -y chromium chromium-driver"
        exit 1
    fi
    browser=0
fi

# moto_server for the scheduler Lambda tests.
if [ -z "${MOTO_SERVER:-}" ]; then
    venv=target-venv/moto
    if [ ! -x "$venv/bin/moto_server" ]; then
        echo "installing moto[server] into $venv"
        python3 -m venv "$venv"
        "$venv/bin/pip" install --quiet --disable-pip-version-check "moto[server]==5.2.5"
    fi
    export MOTO_SERVER=$repo/$venv/bin/moto_server
fi

# aiolinkding (PyPI), the linkding client the linkding-compatible API is tested with.
if [ -z "${LINKDING_PYTHON:-}" ]; then
    venv=target-venv/linkding
    if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import aiolinkding" 2>/dev/null; then
        echo "installing aiolinkding into $venv"
        python3 -m venv "$venv"
        "$venv/bin/pip" install --quiet --disable-pip-version-check "aiolinkding==2025.2.0"
    fi
    export LINKDING_PYTHON=$repo/$venv/bin/python
fi

if ! cargo nextest --version >/dev/null 2>&1; then
    echo "cargo-nextest not found; install it with: cargo install cargo-nextest --locked" >&2
    exit 1
fi
status=0
# The size budget of the JavaScript and CSS the pages ship.
scripts/asset-size.sh || status=$?
cargo nextest run --workspace --no-fail-fast "$@" || status=$?

if [ "$browser" = 1 ]; then
    scripts/e2e.sh target/debug/tidily || status=$?
else
    loud "$chromium is missing: the browser tests (scripts/e2e.sh) are SKIPPED." \
        "Install it with: apt-get install -y chromium chromium-driver (TIDILY_REQUIRE_BROWSER=1 makes this a failure)."
fi
exit "$status"
