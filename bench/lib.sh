# shellcheck shell=bash
# Shared by the benchmark scripts: a fresh database seeded by `tidily seed`, the release
# server on 127.0.0.1, oha's JSON summarised, RSS from /proc. Source it; it sets a trap that
# stops the server and removes the scratch directory on exit.
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo" || exit 1
bin=${TIDILY_BIN:-target/release/tidily}
port=${BENCH_PORT:-3999}
pg_admin=${BENCH_PG_ADMIN_URL:-postgres://postgres:postgres@127.0.0.1:5432/postgres}
base="http://127.0.0.1:$port"

command -v oha >/dev/null || { echo "oha is required: cargo install oha --locked" >&2; exit 1; }
[ -x "$bin" ] || cargo build --release --locked -p tidily --bin tidily

work=$(mktemp -d)
# Stored files (icons, previews, archives) go with the run's scratch, not into ./data.
export FILE_STORE=${FILE_STORE:-$work/files}
server_pid=
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

rss_kb() { awk -v k="$2" '$1 == k":" {print $2}' "/proc/$1/status"; }

# oha's JSON summary -> "requests/s p50 p99 count-of-200 the-rest" (latencies in ms; the rest:
# every other status and error with its count, such as "503×2,aborted-due-to-deadline×1", or
# "none").
summarise() {
    python3 -c '
import json, sys
r = json.load(sys.stdin)
p = r["latencyPercentiles"]
rest = [f"{k}×{v}" for k, v in r["statusCodeDistribution"].items() if k != "200"]
rest += [f"{k.replace(chr(32), chr(45))}×{v}" for k, v in r.get("errorDistribution", {}).items()]
print("%.0f %.2f %.2f %d %s" % (r["summary"]["requestsPerSec"], p["p50"] * 1000, p["p99"] * 1000,
                                r["statusCodeDistribution"].get("200", 0), ",".join(rest) or "none"))'
}

# seed_backend sqlite|postgres EMAIL PASSWORD ITEMS_PER_PROFILE [SEED ARGS…]: a fresh,
# migrated and seeded database named by DATABASE_URL (exported, with the rest of the server's
# environment); sets seed_s to the seconds seeding took.
seed_backend() {
    local db=$1 url
    case $db in
        sqlite) url="sqlite://$work/bench.db?mode=rwc" ;;
        postgres)
            psql "$pg_admin" -qc "DROP DATABASE IF EXISTS tidily_bench" -c "CREATE DATABASE tidily_bench"
            url="${pg_admin%/*}/tidily_bench"
            ;;
        *) echo "unknown database: $db" >&2; exit 2 ;;
    esac
    export DATABASE_URL=$url APP_ENV=staging JWT_SECRET=benchmark-secret-benchmark-secret-0123 \
        BIND=127.0.0.1 PORT=$port BASE_URL=https://bench.invalid LOG_FORMAT=json RUST_LOG=warn
    "$bin" migrate >/dev/null
    local t0=$SECONDS
    "$bin" seed --email "$2" --password "$3" --items-per-profile "$4" "${@:5}"
    # shellcheck disable=SC2034 # read by the sourcing script
    seed_s=$((SECONDS - t0))
}

# start_server ROLE: the server in the background, ready when this returns; sets server_pid.
start_server() {
    "$bin" serve --role "$1" >"$work/server.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 100); do curl -sf "$base/health" >/dev/null && return; sleep 0.1; done
    echo "the server did not start:" >&2
    cat "$work/server.log" >&2
    exit 1
}

# stop_server: SIGTERM, and wait for the graceful exit.
stop_server() {
    kill -TERM "$server_pid"
    wait "$server_pid" || true
    server_pid=
}

# run_backends sqlite|postgres|both: calls the sourcing script's run_backend for each.
run_backends() {
    case $1 in
        sqlite | postgres) run_backend "$1" ;;
        both) run_backend sqlite && run_backend postgres ;;
        *) echo "usage: $0 [sqlite|postgres|both]" >&2; exit 2 ;;
    esac
}
