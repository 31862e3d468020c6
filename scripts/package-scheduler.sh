#!/usr/bin/env bash
# Builds the staging scheduler Lambda for the provided.al2023 runtime and
# packages it as target/lambda/scheduler.zip (a single executable `bootstrap`).
#
#   scripts/package-scheduler.sh            build with cargo-zigbuild (default)
#   scripts/package-scheduler.sh --native   build with the host toolchain
#
# Why zig: Lambda's provided.al2023 runtime ships glibc 2.34, older than most
# build hosts (Debian 12 has 2.36). cargo-zigbuild links against glibc 2.34
# exactly (target x86_64-unknown-linux-gnu.2.34), on any host, without Docker.
# cargo-zigbuild and zig come from PyPI; when cargo-zigbuild is not on PATH the
# script installs it into a virtualenv under the target directory.
#
# Either way the script then checks that the binary needs no glibc symbol newer
# than 2.34 and refuses to package it otherwise (the check is what makes
# --native safe to use).
#
# Environment:
#   CARGO_TARGET_DIR   cargo's target directory (default <repo>/target)
#   SCHEDULER_ZIP      output path (default <repo>/target/lambda/scheduler.zip)
set -euo pipefail

readonly GLIBC_MAX=2.34
readonly TRIPLE=x86_64-unknown-linux-gnu
readonly ZIGBUILD_VERSION=0.24.1

log() { printf 'package-scheduler: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

mode=zig
case "${1:-}" in
    "") ;;
    --native) mode=native ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (try --help)" ;;
esac

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
target_dir=${CARGO_TARGET_DIR:-$repo/target}
zip_path=${SCHEDULER_ZIP:-$repo/target/lambda/scheduler.zip}

ensure_zigbuild() {
    if command -v cargo-zigbuild >/dev/null 2>&1; then
        return
    fi
    local venv="$target_dir/tools/zigbuild-venv"
    if [[ ! -x $venv/bin/cargo-zigbuild ]]; then
        command -v python3 >/dev/null 2>&1 || die "python3 is needed to install cargo-zigbuild (or use --native)"
        log "installing cargo-zigbuild ${ZIGBUILD_VERSION} (with zig) into $venv"
        python3 -m venv "$venv"
        "$venv/bin/pip" install --quiet "cargo-zigbuild==${ZIGBUILD_VERSION}"
    fi
    # cargo-zigbuild runs zig through `python3 -m ziglang`: the venv's python first.
    PATH="$venv/bin:$PATH"
    export PATH
}

case $mode in
    zig)
        ensure_zigbuild
        log "building with cargo-zigbuild for ${TRIPLE}.${GLIBC_MAX}"
        cargo zigbuild --release --locked -p tidily-scheduler --bin bootstrap \
            --target "${TRIPLE}.${GLIBC_MAX}"
        binary="$target_dir/$TRIPLE/release/bootstrap"
        ;;
    native)
        [[ $(uname -s)-$(uname -m) == Linux-x86_64 ]] || die "--native needs an x86_64 Linux host"
        log "building with the host toolchain"
        cargo build --release --locked -p tidily-scheduler --bin bootstrap
        binary="$target_dir/release/bootstrap"
        ;;
esac
[[ -x $binary ]] || die "build produced no $binary"

# Highest GLIBC_x.y symbol version the binary asks the dynamic linker for.
needed=$(readelf --version-info --wide "$binary" \
    | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/^GLIBC_//' | sort -uV | tail -n 1)
[[ -n $needed ]] || die "could not read glibc symbol versions from $binary"
if [[ $(printf '%s\n%s\n' "$needed" "$GLIBC_MAX" | sort -V | tail -n 1) != "$GLIBC_MAX" ]]; then
    die "bootstrap needs glibc $needed but provided.al2023 has $GLIBC_MAX (build without --native)"
fi
log "glibc symbols needed: up to $needed (runtime has $GLIBC_MAX)"

mkdir -p "$(dirname "$zip_path")"
zip_path="$(cd "$(dirname "$zip_path")" && pwd)/$(basename "$zip_path")"
rm -f "$zip_path"
# A fixed timestamp and mode: the same binary gives the same zip, so Terraform's
# source_code_hash only changes when the code does. Python's zipfile where
# available, else zip(1) on a copy with a pinned mtime.
if command -v python3 >/dev/null 2>&1; then
    python3 - "$binary" "$zip_path" <<'PY'
import sys, zipfile

binary, out = sys.argv[1], sys.argv[2]
info = zipfile.ZipInfo("bootstrap", date_time=(1980, 1, 1, 0, 0, 0))
info.external_attr = (0o100755 & 0xFFFF) << 16  # regular file, rwxr-xr-x
info.compress_type = zipfile.ZIP_DEFLATED
with open(binary, "rb") as src, zipfile.ZipFile(out, "w") as zf:
    zf.writestr(info, src.read(), compresslevel=9)
PY
    hash=$(python3 -c 'import base64, hashlib, sys; print(base64.b64encode(hashlib.sha256(open(sys.argv[1], "rb").read()).digest()).decode())' "$zip_path")
else
    command -v zip >/dev/null 2>&1 || die "need python3 or zip to write the archive"
    stage=$(mktemp -d)
    trap 'rm -rf "$stage"' EXIT
    install -m 0755 "$binary" "$stage/bootstrap"
    touch -d '1980-01-02 00:00:00' "$stage/bootstrap"
    (cd "$stage" && zip -q -X -9 "$zip_path" bootstrap)
    hash=$(openssl dgst -sha256 -binary "$zip_path" | base64)
fi

log "wrote $zip_path ($(wc -c <"$zip_path") bytes, filebase64sha256 $hash)"
