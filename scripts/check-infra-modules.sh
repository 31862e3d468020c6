#!/usr/bin/env bash
# Offline checks for the Terraform modules under infra/terraform/modules:
#   1. terraform fmt -check -recursive
#   2. terraform init -backend=false -plugin-dir=<mirror> + terraform validate
#      for every module that needs only hashicorp/aws (all but monitoring)
#   3. checkov on every module (skips must be inline, with a reason)
#
# Exits non-zero on any finding. When a tool is missing the step is skipped
# with a loud message on stderr (set CHECK_INFRA_STRICT=1 to fail instead).
#
# Environment:
#   TERRAFORM           terraform binary (default: terraform on PATH)
#   TF_PLUGIN_DIR       offline provider mirror (default: /opt/tf-plugins)
#   CHECKOV             checkov binary (default: checkov on PATH)
#   CHECK_INFRA_STRICT  1 = a skipped step is a failure
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
modules_dir="${repo_root}/infra/terraform/modules"
terraform_bin="${TERRAFORM:-terraform}"
plugin_dir="${TF_PLUGIN_DIR:-/opt/tf-plugins}"
checkov_bin="${CHECKOV:-checkov}"
strict="${CHECK_INFRA_STRICT:-0}"

all_modules=(network security database storage ecr compute monitoring)
# monitoring also needs the datadog and sentry providers, which the offline
# mirror does not hold; it gets fmt and checkov only.
aws_only_modules=(network security database storage ecr compute)

failures=0
skips=0

log() { printf '==> %s\n' "$*"; }
fail() {
  printf 'FAIL: %s\n' "$*" >&2
  failures=$((failures + 1))
}
skip() {
  printf '\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n' >&2
  printf '!!! SKIPPED: %s\n' "$*" >&2
  printf '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\n' >&2
  skips=$((skips + 1))
}

work_dir="$(mktemp -d)"
trap 'rm -rf "${work_dir}"' EXIT

if [[ ! -d "${modules_dir}" ]]; then
  fail "module directory ${modules_dir} not found"
  exit 1
fi

have_terraform=0
if command -v "${terraform_bin}" >/dev/null 2>&1; then
  have_terraform=1
  # Keep terraform quiet about a missing ~/.terraformrc without touching it.
  if [[ -z "${TF_CLI_CONFIG_FILE:-}" && ! -e "${HOME}/.terraformrc" ]]; then
    : >"${work_dir}/terraformrc"
    export TF_CLI_CONFIG_FILE="${work_dir}/terraformrc"
  fi
  export TF_IN_AUTOMATION=1
else
  skip "terraform ('${terraform_bin}') is not installed: fmt, init and validate were NOT run"
fi

# 1. Formatting.
if [[ "${have_terraform}" == 1 ]]; then
  log "terraform fmt -check -recursive infra/terraform/modules"
  if ! "${terraform_bin}" fmt -check -recursive -diff "${modules_dir}"; then
    fail "terraform fmt: files above are not formatted (run terraform fmt -recursive infra/terraform/modules)"
  fi
fi

# 2. init + validate against the offline provider mirror, each in a scratch
#    copy so no .terraform directory or lock file lands in the repository.
if [[ "${have_terraform}" == 1 ]]; then
  if [[ ! -d "${plugin_dir}" ]]; then
    skip "provider mirror ${plugin_dir} is missing: terraform init/validate were NOT run"
  else
    for module in "${aws_only_modules[@]}"; do
      log "terraform init + validate: ${module}"
      scratch="${work_dir}/${module}"
      mkdir -p "${scratch}"
      cp -R "${modules_dir}/${module}/." "${scratch}/"
      rm -rf "${scratch}/.terraform" "${scratch}/.terraform.lock.hcl"
      if ! TF_DATA_DIR="${scratch}/.terraform" "${terraform_bin}" -chdir="${scratch}" \
        init -backend=false -input=false -no-color -plugin-dir="${plugin_dir}" >"${scratch}.init.log" 2>&1; then
        cat "${scratch}.init.log" >&2
        fail "terraform init failed for ${module}"
        continue
      fi
      if ! TF_DATA_DIR="${scratch}/.terraform" "${terraform_bin}" -chdir="${scratch}" validate -no-color; then
        fail "terraform validate failed for ${module}"
      fi
    done
  fi
fi

# 3. checkov on every module.
if command -v "${checkov_bin}" >/dev/null 2>&1; then
  log "checkov $("${checkov_bin}" --version 2>/dev/null || echo '(unknown version)')"
  for module in "${all_modules[@]}"; do
    log "checkov: ${module}"
    if ! "${checkov_bin}" -d "${modules_dir}/${module}" --framework terraform \
      --quiet --compact --skip-download; then
      fail "checkov reported findings for ${module}"
    fi
  done
else
  skip "checkov ('${checkov_bin}') is not installed: security checks were NOT run (set CHECKOV=/path/to/checkov)"
fi

if [[ "${strict}" == 1 && "${skips}" -gt 0 ]]; then
  fail "${skips} step(s) skipped and CHECK_INFRA_STRICT=1"
fi

if [[ "${failures}" -gt 0 ]]; then
  printf '\ncheck-infra-modules: %d failure(s)\n' "${failures}" >&2
  exit 1
fi
if [[ "${skips}" -gt 0 ]]; then
  printf '\ncheck-infra-modules: passed, but %d step(s) were SKIPPED (see above)\n' "${skips}" >&2
else
  log "check-infra-modules: all checks passed"
fi
