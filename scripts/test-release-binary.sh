#!/usr/bin/env bash
# Runs a release `tidily` binary the way the container does and checks it.
#
#   scripts/test-release-binary.sh [path/to/tidily]     (default target/release/tidily)
#
# The binary is started from a fresh, empty working directory with nothing but
# environment variables (no config file, no assets beside it, no inherited
# environment): `tidily migrate`, then `tidily serve --role all`. The test passes
# when GET /health and GET /api/health answer 200, /api/health reports an ok
# status, and the server exits 0 within 10 s of SIGTERM (ECS stops tasks with
# SIGTERM and kills them 30 s later).
#
# Database: SQLite in the temporary directory, or PostgreSQL when
# TEST_DATABASE_URL is set: then a scratch database is created next to the one
# it names (with psql) and dropped afterwards; without psql, the named
# database itself is migrated.
set -euo pipefail

readonly STARTUP_ATTEMPTS=60    # x 0.5 s
readonly SHUTDOWN_LIMIT_S=10

log() { printf 'test-release-binary: %s\n' "$*" >&2; }
die() { log "FAIL: $*"; exit 1; }

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
}

case "${1:-}" in
    -h | --help) usage; exit 0 ;;
esac

bin=${1:-target/release/tidily}
[[ -f $bin && -x $bin ]] || die "no executable at $bin (build it with: cargo build --release --locked -p tidily --bin tidily)"
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
command -v curl >/dev/null || die "curl is required"

# $scratch holds logs and the SQLite file; $workdir, inside it, is the
# server's empty working directory.
scratch=$(mktemp -d "${TMPDIR:-/tmp}/tidily-release.XXXXXX")
workdir="$scratch/cwd"
mkdir "$workdir"
server_pid=""
scratch_db=""
cleanup() {
    if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill -KILL "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    if [[ -n $scratch_db ]]; then
        psql "$TEST_DATABASE_URL" -qAtc "DROP DATABASE IF EXISTS ${scratch_db} WITH (FORCE)" >/dev/null 2>&1 \
            || log "warning: could not drop scratch database $scratch_db"
    fi
    rm -rf "$scratch"
}
trap cleanup EXIT

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

port=$(free_port)
jwt_secret=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
[[ ${#jwt_secret} -eq 64 ]] || die "could not generate a JWT secret"
pg_url_re='^(postgres(ql)?://[^/?]+)/[^/?]*(\?.*)?$'
if [[ -n ${TEST_DATABASE_URL:-} ]]; then
    database_url=$TEST_DATABASE_URL
    if command -v psql >/dev/null 2>&1 && [[ $TEST_DATABASE_URL =~ $pg_url_re ]]; then
        candidate="tidily_release_$(od -An -tx1 -N4 /dev/urandom | tr -d ' \n')"
        psql "$TEST_DATABASE_URL" -qAtc "CREATE DATABASE ${candidate}" >/dev/null \
            || die "cannot create scratch database through TEST_DATABASE_URL"
        scratch_db=$candidate
        database_url="${BASH_REMATCH[1]}/${scratch_db}${BASH_REMATCH[3]}"
        log "database: PostgreSQL, scratch database $scratch_db"
    else
        log "database: PostgreSQL, the database TEST_DATABASE_URL names"
    fi
else
    database_url="sqlite://${scratch}/tidily.db?mode=rwc"
    log "database: SQLite in ${scratch}"
fi

# Exactly what the ECS task provides, and nothing inherited from this shell.
app_env=(
    "PATH=/usr/bin:/bin"
    "HOME=${scratch}"
    "APP_ENV=production"
    "JWT_SECRET=${jwt_secret}"
    "BIND=127.0.0.1"
    "PORT=${port}"
    "DATABASE_URL=${database_url}"
    "BASE_URL=https://localhost"
    "RUST_LOG=${RUST_LOG:-info}"
)

cd "$workdir"
[[ -z $(find . -mindepth 1 -print -quit) ]] || die "working directory $workdir is not empty"

log "running: tidily migrate"
if ! timeout 120 env -i "${app_env[@]}" "$bin" migrate >"$scratch/migrate.log" 2>&1; then
    cat "$scratch/migrate.log" >&2
    die "tidily migrate failed"
fi

log "running: tidily serve --role all on 127.0.0.1:${port}"
env -i "${app_env[@]}" "$bin" serve --role all >"$scratch/server.log" 2>&1 &
server_pid=$!

show_server_log() {
    log "server output:"
    sed 's/^/  | /' "$scratch/server.log" >&2 || true
}

# Polls URL until it answers 200; the body is left in $scratch/body.
wait_for_200() {
    local url=$1 code attempt
    for ((attempt = 1; attempt <= STARTUP_ATTEMPTS; attempt++)); do
        if ! kill -0 "$server_pid" 2>/dev/null; then
            show_server_log
            die "server exited before $url answered"
        fi
        code=$(curl -sS -o "$scratch/body" -w '%{http_code}' \
            --connect-timeout 1 --max-time 3 "$url" 2>/dev/null) || code=000
        if [[ $code == 200 ]]; then
            log "GET $url -> 200 (attempt $attempt)"
            return 0
        fi
        sleep 0.5
    done
    show_server_log
    die "GET $url did not answer 200 after $STARTUP_ATTEMPTS attempts (last status $code)"
}

base="http://127.0.0.1:${port}"
wait_for_200 "$base/health"
wait_for_200 "$base/api/health"

# 200 is the contract with the ALB; the body should also say the API is fine.
body=$(cat "$scratch/body")
log "/api/health body: $body"
if grep -Eq '"status"[[:space:]]*:' <<<"$body"; then
    grep -Eiq '"status"[[:space:]]*:[[:space:]]*"(ok|healthy|up|pass)"' <<<"$body" \
        || die "/api/health answered 200 but its status is not ok: $body"
else
    log "warning: /api/health body has no \"status\" field"
fi

log "sending SIGTERM"
kill -TERM "$server_pid"
deadline=$((SECONDS + SHUTDOWN_LIMIT_S))
while kill -0 "$server_pid" 2>/dev/null && ((SECONDS < deadline)); do
    sleep 0.1
done
if kill -0 "$server_pid" 2>/dev/null; then
    show_server_log
    die "server still running ${SHUTDOWN_LIMIT_S} s after SIGTERM"
fi
status=0
wait "$server_pid" || status=$?
server_pid=""
if ((status != 0)); then
    show_server_log
    die "server exited with status $status after SIGTERM (expected 0)"
fi

leftovers=$(find . -mindepth 1 -maxdepth 1 -printf '%f ')
if [[ -n $leftovers ]]; then
    log "note: the server left files in its working directory: $leftovers"
fi
log "PASS: migrate, /health, /api/health and graceful shutdown"
