"""Read the Terragrunt live configuration without Terragrunt.

Terragrunt cannot be installed on the build machines, so this module does the
small part of its job the offline checks need: it parses ``root.hcl``, each
environment's ``env.hcl`` and each unit's ``terragrunt.hcl`` with python-hcl2
and evaluates the unit's ``inputs`` the way Terragrunt would during
``validate``/``plan`` before anything exists, i.e. with every
``dependency.<name>.outputs`` taken from the block's ``mock_outputs``.

The live files are kept deliberately simple so that this evaluator stays
small: inputs are literals, references (``include.env.locals.x``,
``dependency.d.outputs.y``, ``local.z``), string templates built from those,
and a handful of Terragrunt functions (``get_repo_root()``,
``get_aws_account_id()``, ``get_env(name, default)``). Anything else raises
:class:`UnsupportedExpression`, so a live file that outgrows the evaluator
fails the checks loudly instead of being misread.

Used by ``render_env_roots.py`` (terraform validate of every environment's
module instantiation), ``test_contract.py`` and ``test_moto_apply.py``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import hcl2

REPO_ROOT = Path(__file__).resolve().parents[2]
ENVS_DIR = REPO_ROOT / "infra" / "terraform" / "envs"
MODULES_DIR = REPO_ROOT / "infra" / "terraform" / "modules"
ENVIRONMENTS = ("staging", "prod")
UNITS = ("network", "security", "database", "storage", "ecr", "monitoring", "compute")
# Units whose module needs only the hashicorp/aws provider (the only one in the
# offline provider mirror); monitoring also needs datadog and sentry.
AWS_ONLY_UNITS = ("network", "security", "database", "storage", "ecr", "compute")
MOCK_ACCOUNT_ID = "123456789012"

_REF = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*$")
_CALL = re.compile(r"^([a-z_]+)\((.*)\)$", re.S)


class UnsupportedExpression(ValueError):
    """An expression the live files should not contain (see module docstring)."""


def load_hcl(path: Path) -> dict[str, Any]:
    """Parse an HCL file (cached: the checks read the same files many times).

    Callers must not mutate the result.
    """
    path = Path(path)
    return _load_hcl_cached(str(path), path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=None)
def _load_hcl_cached(path: str, _mtime_ns: int) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        return hcl2.load(handle)


def strip_meta(value: Any) -> Any:
    """Drop python-hcl2's ``__is_block__``/``__comments__`` bookkeeping keys."""
    if isinstance(value, dict):
        return {
            unquote_key(k): strip_meta(v) for k, v in value.items() if not k.startswith("__")
        }
    if isinstance(value, list):
        return [strip_meta(v) for v in value]
    return value


def unquote_key(key: str) -> str:
    return key[1:-1] if len(key) >= 2 and key[0] == key[-1] == '"' else key


def blocks(doc: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    """Labelled blocks of one kind (``dependency "x" {}``) as {label: body}."""
    found: dict[str, dict[str, Any]] = {}
    for entry in doc.get(kind, []):
        for label, body in entry.items():
            found[unquote_key(label)] = body
    return found


def _split_args(text: str) -> list[str]:
    """Split a call's argument list on top-level commas."""
    args, depth, quoted, current = [], 0, False, ""
    for i, ch in enumerate(text):
        if ch == '"' and (i == 0 or text[i - 1] != "\\"):
            quoted = not quoted
        elif not quoted and ch in "([{":
            depth += 1
        elif not quoted and ch in ")]}":
            depth -= 1
        if ch == "," and depth == 0 and not quoted:
            args.append(current.strip())
            current = ""
        else:
            current += ch
    if current.strip():
        args.append(current.strip())
    return args


def template_parts(text: str) -> list[tuple[bool, str]]:
    """Split a template body into (is_expression, text) parts, braces balanced."""
    parts: list[tuple[bool, str]] = []
    i = 0
    literal = ""
    while i < len(text):
        if text.startswith("${", i):
            if literal:
                parts.append((False, literal))
                literal = ""
            depth, j = 1, i + 2
            while depth:
                if j >= len(text):
                    raise UnsupportedExpression(f"unbalanced template: {text!r}")
                depth += {"{": 1, "}": -1}.get(text[j], 0)
                j += 1
            parts.append((True, text[i + 2 : j - 1]))
            i = j
        else:
            literal += text[i]
            i += 1
    if literal:
        parts.append((False, literal))
    return parts


@dataclass
class Evaluator:
    """Evaluates python-hcl2 values against a scope of known objects."""

    scope: dict[str, Any]
    env_vars: dict[str, str] = field(default_factory=dict)

    def value(self, raw: Any) -> Any:
        if isinstance(raw, dict):
            return {unquote_key(k): self.value(v) for k, v in raw.items() if not k.startswith("__")}
        if isinstance(raw, list):
            return [self.value(v) for v in raw]
        if not isinstance(raw, str):
            return raw
        if len(raw) >= 2 and raw[0] == raw[-1] == '"':
            return self.template(raw[1:-1])
        if raw.startswith("${") and raw.endswith("}") and len(template_parts(raw)) == 1:
            return self.expression(raw[2:-1])
        raise UnsupportedExpression(raw)

    def template(self, body: str) -> Any:
        parts = template_parts(body)
        if len(parts) == 1 and parts[0][0]:
            # "${x}" alone keeps x's type, as in HCL.
            return self.expression(parts[0][1])
        out = []
        for is_expr, text in parts:
            if not is_expr:
                out.append(text.replace('\\"', '"'))
                continue
            val = self.expression(text)
            if isinstance(val, bool):
                val = str(val).lower()
            out.append(str(val))
        return "".join(out)

    def expression(self, expr: str) -> Any:
        expr = expr.strip()
        if expr.startswith('"') and expr.endswith('"'):
            return self.template(expr[1:-1])
        if _REF.match(expr):
            return self.reference(expr)
        call = _CALL.match(expr)
        if call:
            name, args = call.group(1), [self.expression(a) for a in _split_args(call.group(2))]
            if name == "get_repo_root":
                return str(REPO_ROOT)
            if name == "get_aws_account_id":
                return MOCK_ACCOUNT_ID
            if name == "get_env":
                return self.env_vars.get(args[0], args[1] if len(args) > 1 else "")
        raise UnsupportedExpression(expr)

    def reference(self, ref: str) -> Any:
        node: Any = self.scope
        for part in ref.split("."):
            if not isinstance(node, dict) or part not in node:
                raise KeyError(f"unknown reference {ref!r}")
            node = node[part]
        if isinstance(node, Lazy):
            node = node.resolve(self)
        return node


@dataclass
class Lazy:
    """A local whose expression is evaluated on first use (locals refer to each other)."""

    raw: Any
    value_: Any = None
    done: bool = False

    def resolve(self, evaluator: Evaluator) -> Any:
        if not self.done:
            self.value_ = evaluator.value(self.raw)
            self.done = True
        return self.value_


def _evaluate_locals(raw_locals: dict[str, Any], extra_scope: dict[str, Any]) -> dict[str, Any]:
    lazies = {unquote_key(k): Lazy(v) for k, v in raw_locals.items() if not k.startswith("__")}
    evaluator = Evaluator({"local": lazies, **extra_scope})
    return {name: lazy.resolve(evaluator) for name, lazy in lazies.items()}


def env_locals(env: str) -> dict[str, Any]:
    doc = load_hcl(ENVS_DIR / env / "env.hcl")
    return _evaluate_locals(doc["locals"][0], {})


def root_locals(env: str) -> dict[str, Any]:
    """root.hcl's locals for one environment (``local.env`` is env.hcl's locals)."""
    doc = load_hcl(ENVS_DIR / "root.hcl")
    raw = dict(doc["locals"][0])
    raw.pop("env", None)  # read_terragrunt_config(...): supplied below
    lazies = {unquote_key(k): Lazy(v) for k, v in raw.items() if not k.startswith("__")}
    scope_locals: dict[str, Any] = {"env": env_locals(env), **lazies}
    evaluator = Evaluator({"local": scope_locals})
    return {"env": scope_locals["env"], **{k: lz.resolve(evaluator) for k, lz in lazies.items()}}


def heredoc_body(raw: str) -> str:
    """The text of a ``<<-EOF`` heredoc as python-hcl2 returns it, dedented."""
    text = raw[1:-1] if raw.startswith('"') and raw.endswith('"') else raw
    match = re.match(r"^<<-?([A-Z]+)\n(.*)\n\s*\1$", text, re.S)
    if not match:
        raise UnsupportedExpression(raw)
    lines = match.group(2).split("\n")
    indent = min((len(l) - len(l.lstrip(" ")) for l in lines if l.strip()), default=0)
    return "\n".join(l[indent:] for l in lines) + "\n"


def root_generated_files(env: str) -> dict[str, str]:
    """The files root.hcl generates (provider, versions) as they would be written."""
    doc = load_hcl(ENVS_DIR / "root.hcl")
    evaluator = Evaluator({"local": root_locals(env)})
    files = {}
    for body in blocks(doc, "generate").values():
        path = evaluator.value(body["path"])
        contents = heredoc_body(body["contents"])
        files[path] = evaluator.template(contents)
    return files


@dataclass
class Unit:
    env: str
    name: str
    module_dir: Path
    dependencies: dict[str, dict[str, Any]]  # name -> {config_path, mock_outputs, ...}
    raw_inputs: dict[str, Any]  # python-hcl2 values, unevaluated
    inputs: dict[str, Any]  # evaluated with the mock outputs
    document: dict[str, Any]
    evaluator: Evaluator  # include.*, dependency.* (mocks), functions


def load_unit(env: str, name: str, env_vars: dict[str, str] | None = None) -> Unit:
    doc = load_hcl(ENVS_DIR / env / name / "terragrunt.hcl")
    locals_ = env_locals(env)
    base = Evaluator({"include": {"env": {"locals": locals_}}}, env_vars or {})
    deps = {label: strip_meta(base.value(body)) for label, body in blocks(doc, "dependency").items()}
    scope = {
        "include": {"env": {"locals": locals_}, "root": {"locals": root_locals(env)}},
        "dependency": {label: {"outputs": dep.get("mock_outputs", {})} for label, dep in deps.items()},
    }
    evaluator = Evaluator(scope, env_vars or {})
    source = evaluator.value(doc["terraform"][0]["source"])
    module_dir = Path(source.replace("//", "/"))
    raw_inputs = {unquote_key(k): v for k, v in doc.get("inputs", {}).items() if not k.startswith("__")}
    inputs = {k: evaluator.value(v) for k, v in raw_inputs.items()}
    return Unit(env, name, module_dir, deps, raw_inputs, inputs, doc, evaluator)


def module_variables(module_dir: Path) -> dict[str, dict[str, Any]]:
    """Every ``variable`` block of a module, by name (body as python-hcl2 gives it)."""
    found: dict[str, dict[str, Any]] = {}
    for tf in sorted(module_dir.glob("*.tf")):
        found.update(blocks(load_hcl(tf), "variable"))
    return found


def module_outputs(module_dir: Path) -> set[str]:
    found: set[str] = set()
    for tf in sorted(module_dir.glob("*.tf")):
        found.update(blocks(load_hcl(tf), "output"))
    return found


def variable_default(module_dir: Path, variable: str) -> Any:
    body = module_variables(module_dir)[variable]
    return Evaluator({}).value(body["default"])


def effective_inputs(unit: Unit) -> dict[str, Any]:
    """Module defaults overlaid with the unit's inputs: what the module receives."""
    values: dict[str, Any] = {}
    for name, body in module_variables(unit.module_dir).items():
        if "default" in body:
            try:
                values[name] = Evaluator({}).value(body["default"])
            except (UnsupportedExpression, KeyError):
                values[name] = body["default"]
    values.update(unit.inputs)
    return values
