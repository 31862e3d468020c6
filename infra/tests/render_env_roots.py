#!/usr/bin/env python3
"""Validate every environment's module instantiation without Terragrunt.

For each environment (staging, prod) this renders one temporary root module
that instantiates every aws-only unit exactly as its ``terragrunt.hcl`` does:
``module "<unit>" { source = "<abs module path>" ... }`` with the unit's
inputs evaluated against env.hcl and the dependencies' ``mock_outputs`` (what
``terragrunt plan`` sees before the upstream units exist). The provider and
version blocks are the ones ``root.hcl`` generates. Inputs are written as
literals in main.tf, so that ``terraform validate`` also runs the modules'
variable validation rules on the real figures; ``inputs.json`` beside it
holds the same values per unit for reading (use --keep or --out).

Then: ``terraform init -backend=false -plugin-dir=/opt/tf-plugins`` and
``terraform validate``. The monitoring unit is left out: its datadog and
sentry providers are not in the offline mirror; test_contract.py checks its
inputs against the module's variables instead.

Usage: render_env_roots.py [--env staging|prod]... [--unit NAME]... [--keep] [--out DIR]
Exit status is non-zero if any environment fails.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import tg_live  # noqa: E402

PLUGIN_DIR = os.environ.get("TF_PLUGIN_MIRROR", "/opt/tf-plugins")


def hcl_literal(value) -> str:
    """A Python value as an HCL expression (JSON syntax is valid HCL here)."""
    return json.dumps(value)


def dummy_zip(path: Path) -> Path:
    """A tiny placeholder for the scheduler Lambda package (built from crates/scheduler)."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("bootstrap", "#!/bin/sh\necho placeholder\n")
    return path


def render(env: str, out_dir: Path, env_vars: dict[str, str], units=tg_live.AWS_ONLY_UNITS) -> Path:
    root = out_dir / env
    root.mkdir(parents=True, exist_ok=True)
    for name, contents in tg_live.root_generated_files(env).items():
        # In a root module the version constraints are an ordinary file.
        (root / name.replace("_override", "")).write_text(contents)
    blocks, dump = [], {}
    for unit_name in units:
        unit = tg_live.load_unit(env, unit_name, env_vars)
        dump[unit_name] = unit.inputs
        lines = [f'module "{unit_name}" {{', f"  source = {hcl_literal(str(unit.module_dir))}"]
        lines += [f"  {key} = {hcl_literal(val)}" for key, val in unit.inputs.items()]
        lines.append("}")
        blocks.append("\n".join(lines))
    (root / "main.tf").write_text(
        f"# Rendered by infra/tests/render_env_roots.py from envs/{env}; do not edit.\n\n"
        + "\n\n".join(blocks)
        + "\n"
    )
    (root / "inputs.json").write_text(json.dumps(dump, indent=2) + "\n")
    return root


def terraform(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, TF_IN_AUTOMATION="1", CHECKPOINT_DISABLE="1")
    env.setdefault("TF_CLI_CONFIG_FILE", os.devnull)
    return subprocess.run(["terraform", *args], cwd=cwd, env=env, capture_output=True, text=True)


def validate(root: Path) -> bool:
    steps = (
        ["init", "-backend=false", f"-plugin-dir={PLUGIN_DIR}", "-input=false", "-no-color"],
        ["validate", "-no-color"],
    )
    for step in steps:
        result = terraform(step, root)
        if result.returncode != 0:
            print(f"FAIL terraform {step[0]} in {root}:\n{result.stdout}{result.stderr}")
            return False
    print(f"ok   {root.name}: {result.stdout.strip()}")
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env", choices=tg_live.ENVIRONMENTS, action="append")
    parser.add_argument("--unit", choices=tg_live.AWS_ONLY_UNITS, action="append")
    parser.add_argument("--keep", action="store_true", help="keep the rendered roots")
    parser.add_argument("--out", type=Path, help="render here instead of a temp dir")
    args = parser.parse_args()

    if shutil.which("terraform") is None or not Path(PLUGIN_DIR).is_dir():
        print(f"terraform or the provider mirror {PLUGIN_DIR} is missing", file=sys.stderr)
        return 2

    out_dir = args.out or Path(tempfile.mkdtemp(prefix="tidily-env-roots-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    env_vars = {
        "TIDILY_IMAGE_TAG": "validate",
        "SCHEDULER_ZIP": str(dummy_zip(out_dir / "scheduler.zip")),
    }
    try:
        units = args.unit or tg_live.AWS_ONLY_UNITS
        results = [validate(render(env, out_dir, env_vars, units)) for env in args.env or tg_live.ENVIRONMENTS]
    finally:
        if args.keep or args.out:
            print(f"rendered roots kept in {out_dir}")
        else:
            shutil.rmtree(out_dir, ignore_errors=True)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
