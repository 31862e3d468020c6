#!/usr/bin/env bash
# Contract fuzzing: schemathesis generates requests from the OpenAPI document the server
# serves and checks every answer against it (no 5xx; only documented statuses, content types
# and headers; bodies that match their schemas; schema-violating requests refused).
#
#   scripts/contract.sh TIDILY_BIN sqlite|postgres
#
# A fresh database is seeded with a demo account (3 profiles, folders, tags, categories,
# 120 items); the run authenticates with a personal API token of that account, and the IDs
# of its records are handed to schemathesis as dictionaries, so that most generated requests
# reach real data instead of 404. The run lasts CONTRACT_SECS (default 60) and must make at
# least CONTRACT_MIN_CALLS (default 1000) calls. Traffic goes only to 127.0.0.1.
#
# Not checked: `positive_data_acceptance` (it counts a 422 for a schema-valid request as a
# failure, and a folder of another profile, a missing reference or an end before a start are
# schema-valid but not acceptable). Not fuzzed: revoking API tokens (the fuzzer would revoke
# its own).
#
# schemathesis is installed into target-venv/schemathesis on first use; PostgreSQL comes
# from TEST_DATABASE_URL (default postgres://postgres:postgres@127.0.0.1:5432/postgres).
set -euo pipefail

bin=$(realpath "${1:?usage: scripts/contract.sh TIDILY_BIN sqlite|postgres}")
backend=${2:?usage: scripts/contract.sh TIDILY_BIN sqlite|postgres}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
secs=${CONTRACT_SECS:-60}
min_calls=${CONTRACT_MIN_CALLS:-1000}

venv=$repo/target-venv/schemathesis
if [ ! -x "$venv/bin/schemathesis" ]; then
    echo "installing schemathesis into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==4.32.5"
fi

work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
export APP_ENV=test LOG_FORMAT=json RUST_LOG=warn BIND=127.0.0.1 PORT=$port BASE_URL=$base
export JWT_SECRET=contract-fuzzing-secret-0123456789abcdef
pg_name=
case $backend in
    sqlite) export DATABASE_URL="sqlite://$work/tidily.db?mode=rwc" ;;
    postgres)
        admin=${TEST_DATABASE_URL:-postgres://postgres:postgres@127.0.0.1:5432/postgres}
        pg_name=tidily_contract_$$
        psql "$admin" -qc "CREATE DATABASE $pg_name"
        export DATABASE_URL="${admin%/*}/$pg_name"
        ;;
    *) echo "backend must be sqlite or postgres" >&2; exit 2 ;;
esac
server=
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
    [ -n "$pg_name" ] && psql "$admin" -qc "DROP DATABASE IF EXISTS $pg_name WITH (FORCE)"
    rm -rf "$work"
}
trap cleanup EXIT

email=fuzz@tidilyspace.local
password=contract-fuzz-password
"$bin" migrate >/dev/null
"$bin" seed --email "$email" --password "$password" --items-per-profile 40 >/dev/null
"$bin" serve --role api >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do
    curl -sf "$base/api/health" >/dev/null && break
    sleep 0.1
done

api() { curl -sf "$base/api/v1$1" -H "authorization: Bearer $token" "${@:2}"; }
token=$(curl -sf "$base/api/v1/auth/token" -H 'content-type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"$password\"}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
token=$(api /me/tokens -H 'content-type: application/json' -d '{"name":"contract fuzzing"}' |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')

# The account's IDs, as schemathesis dictionaries bound to the parameters that take them.
{
    api /profiles >"$work/profiles.json"
    for p in $(python3 -c 'import json,sys; print(" ".join(str(p["id"]) for p in json.load(open(sys.argv[1]))))' "$work/profiles.json"); do
        api "/folders?profile_id=$p"
        echo
    done | python3 -c 'import json,sys; print(json.dumps([f["id"] for line in sys.stdin for f in json.loads(line)]))' >"$work/folders.json"
    api /tags >"$work/tags.json"
    api /categories >"$work/categories.json"
    api "/items?limit=200" >"$work/items.json"
}
python3 - "$work" "$token" >"$work/schemathesis.toml" <<'EOF'
import json, sys
work, token = sys.argv[1], sys.argv[2]
ids = lambda name, key=None: [r["id"] for r in (json.load(open(f"{work}/{name}.json"))[key] if key else json.load(open(f"{work}/{name}.json")))]
folders = json.load(open(f"{work}/folders.json"))
d = {
    "profiles": ids("profiles"), "folders": folders, "tags": ids("tags"),
    "categories": ids("categories"), "items": ids("items", "items"),
}
d["records"] = sorted(set(d["items"] + folders + d["profiles"] + d["tags"] + d["categories"]))
print(f'headers = {{ Authorization = "Bearer {token}" }}')
for name, values in d.items():
    print(f"[dictionaries.{name}]\nvalues = {json.dumps(values)}")
print("[parameters]")
for key, name in [
    ("path.id", "records"), ("query.profile_id", "profiles"), ("query.folder_id", "folders"),
    ("query.category_id", "categories"), ("query.item_id", "items"),
    ("body.profile_id", "profiles"), ("body.folder_id", "folders"), ("body.parent_id", "folders"),
    ("body.category_id", "categories"), ("body.tag_ids[*]", "tags"), ("body.ids[*]", "items"),
    ("body.before_id", "items"), ("body.after_id", "items"),
]:
    print(f'"{key}" = {{ dictionary = "{name}", probability = 0.8 }}')
EOF

echo "contract fuzzing on $backend for ${secs}s (binary $bin)"
status=0
# From the scratch directory, where schemathesis also keeps its cache.
cd "$work"
"$venv/bin/schemathesis" --config-file "$work/schemathesis.toml" run "$base/api/openapi.json" \
    --checks all --exclude-checks positive_data_acceptance \
    --exclude-path '/api/v1/me/tokens/{id}' \
    --max-time "$secs" --workers 2 --seed 20261202 --no-color \
    >"$work/report.txt" 2>&1 || status=$?
sed -n '/WARNINGS/,$p' "$work/report.txt"
calls=$(grep -oE '^ *[0-9]+ generated' "$work/report.txt" | grep -oE '[0-9]+' | head -1)
if [ "$status" != 0 ]; then
    sed -n '/FAILURES/,/SUMMARY/p' "$work/report.txt" | head -200
    echo "contract fuzzing on $backend found failures" >&2
    exit 1
fi
if [ "${calls:-0}" -lt "$min_calls" ]; then
    echo "contract fuzzing on $backend made only ${calls:-0} calls (at least $min_calls required)" >&2
    exit 1
fi
if grep -q '"level":"ERROR"' "$work/server.log"; then
    grep '"level":"ERROR"' "$work/server.log" | head -20
    echo "the server logged errors during contract fuzzing on $backend" >&2
    exit 1
fi
echo "contract fuzzing on $backend: $calls calls, no failure"
