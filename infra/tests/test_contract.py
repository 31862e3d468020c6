"""Contract test: the seeds' figures, per environment, as the live config sets them.

The figures below are the ones the original deployment documents (production
and staging READMEs) and docs/deploy.md promise. The test reads the Terragrunt
live configuration (root.hcl, env.hcl, every unit's terragrunt.hcl) and the
modules with python-hcl2, evaluates each unit's inputs over the module's
defaults (tg_live.effective_inputs) and compares. Any figure that changes in
the HCL without this file changing with it fails here, on purpose: a change of
a CIDR, a task size or a retention period is a decision to write down.

It also checks the wiring: every input is a variable the module declares,
every required variable is given, every dependency and mock output names an
output the upstream module has, and the dependency graph is the documented one.

Run: python -m pytest infra/tests/test_contract.py (needs python-hcl2 and
pytest only; no terraform, no network).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import tg_live
from tg_live import ENVS_DIR, MODULES_DIR, effective_inputs, load_hcl, load_unit

ENVS = tg_live.ENVIRONMENTS

# --------------------------------------------------------------------------
# The figures. One row per environment; values both share are repeated so a
# reader sees each environment whole.
# --------------------------------------------------------------------------
EXPECTED = {
    "staging": {
        "vpc_cidr": "10.0.0.0/16",
        "public_subnet_cidrs": ["10.0.0.0/24", "10.0.1.0/24"],
        "private_subnet_cidrs": ["10.0.2.0/24", "10.0.3.0/24"],
        "azs": ["ap-northeast-1a", "ap-northeast-1c"],
        "nat": False,
        "interface_endpoints": ["ssm", "ssmmessages"],
        "alb_open_to_world": False,
        "waf": False,
        "task_cpu": 256,
        "task_memory": 512,
        "service_subnets": "public_subnet_ids",
        "assign_public_ip": True,
        "autoscaling_enabled": False,
        "container_insights": False,
        "log_retention_days": 7,
        "alb_deletion_protection": False,
        "db_engine": "rds",
        "db_instance_class": "db.t4g.micro",
        "db_storage": (20, 100),
        "db_backup_retention_days": 7,
        "db_deletion_protection": False,
        "s3_versioning": False,
        "s3_ia_days": 90,
        "s3_expiration_days": 365,
        "s3_force_destroy": True,
        "ecr_keep": 10,
        "ecr_force_delete": True,
        "scheduler_enabled": True,
        "domain_name": None,
        "trace_sample_rate": 0.05,
        "trace_rate_limit": 10,
        "app_environment": "staging",
    },
    "prod": {
        "vpc_cidr": "10.1.0.0/16",
        "public_subnet_cidrs": ["10.1.0.0/24", "10.1.1.0/24"],
        "private_subnet_cidrs": ["10.1.2.0/24", "10.1.3.0/24"],
        "azs": ["ap-northeast-1a", "ap-northeast-1c"],
        "nat": True,
        "interface_endpoints": ["ecr.api", "ecr.dkr", "logs", "ssm", "ssmmessages", "secretsmanager"],
        "alb_open_to_world": True,
        "waf": True,
        "task_cpu": 1024,
        "task_memory": 2048,
        "service_subnets": "private_subnet_ids",
        "assign_public_ip": False,
        "autoscaling_enabled": True,
        "container_insights": True,
        "log_retention_days": 30,
        "alb_deletion_protection": True,
        "db_engine": "aurora-serverless-v2",
        "db_aurora_instances": 2,
        "db_backup_retention_days": 30,
        "db_deletion_protection": True,
        "s3_versioning": True,
        "s3_ia_days": 180,
        "s3_expiration_days": 730,
        "s3_force_destroy": False,
        "ecr_keep": 30,
        "ecr_force_delete": False,
        "scheduler_enabled": False,
        "domain_name": "tidilyspace.com",
        "trace_sample_rate": 0.2,
        "trace_rate_limit": 50,
        "app_environment": "production",
    },
}

SCALING = {
    "autoscaling_min": 1,
    "autoscaling_max": 10,
    "cpu_target": 70,
    "memory_target": 80,
    "scale_out_cooldown": 60,
    "scale_in_cooldown": 300,
    "desired_count": 1,
}
START_CRON = "cron(0 0 ? * MON-FRI *)"  # 09:00 JST, Monday to Friday
STOP_CRON = "cron(0 13 ? * MON-FRI *)"  # 22:00 JST
WAF_RULES = [
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesSQLiRuleSet",
    "RateLimitRule",
]
WAF_RATE_LIMIT = 2000  # requests per 5 minutes per IP
HEALTH_PATHS = {"web": "/health", "api": "/api/health"}
PORTS = {"web": 3000, "api": 3001}

DEPENDENCIES = {
    "network": set(),
    "ecr": set(),
    "storage": set(),
    "monitoring": set(),
    "security": {"network"},
    "database": {"network", "security"},
    "compute": {"network", "security", "ecr", "monitoring", "database", "storage"},
}


def inputs(env: str, unit: str) -> dict:
    return effective_inputs(load_unit(env, unit))


# --------------------------------------------------------------------------
# root.hcl
# --------------------------------------------------------------------------
@pytest.mark.parametrize("env", ENVS)
def test_root_generates_provider_with_region_and_default_tags(env):
    files = tg_live.root_generated_files(env)
    provider = files["provider.tf"]
    assert 'region = "ap-northeast-1"' in provider
    tags = dict(re.findall(r'^\s*(\w+)\s*=\s*"([^"]*)"\s*$', provider.split("tags = {")[1], re.M))
    assert tags == {
        "Project": "tidilyspace/bookmark-manager",
        "Environment": env,
        "Owner": "tidilyspace-platform",
        "ManagedBy": "terragrunt",
    }
    versions = files["versions_override.tf"]
    assert 'required_version = ">= 1.9"' in versions
    assert re.search(r'source\s*=\s*"hashicorp/aws"', versions)
    assert re.search(r'version\s*=\s*"~> 5.0"', versions)


def test_root_remote_state_is_encrypted_s3_with_locking():
    doc = load_hcl(ENVS_DIR / "root.hcl")
    state = doc["remote_state"][0]
    assert state["backend"] == '"s3"'
    config = state["config"]
    assert config["encrypt"] is True
    assert "dynamodb_table" in config or config.get("use_lockfile") is True
    assert "path_relative_to_include()" in config["key"]
    assert tg_live.root_locals("staging")["aws_region"] == "ap-northeast-1"


# --------------------------------------------------------------------------
# network
# --------------------------------------------------------------------------
@pytest.mark.parametrize("env", ENVS)
def test_network_cidrs_and_nat(env):
    exp, got = EXPECTED[env], inputs(env, "network")
    assert got["vpc_cidr"] == exp["vpc_cidr"]
    assert got["public_subnet_cidrs"] == exp["public_subnet_cidrs"]
    assert got["private_subnet_cidrs"] == exp["private_subnet_cidrs"]
    assert got["azs"] == exp["azs"]
    assert got["enable_nat_gateway"] is exp["nat"]
    assert got["interface_endpoints"] == exp["interface_endpoints"]
    assert got["enable_bastion"] is True
    assert got["bastion_instance_type"] == "t3.nano"


# --------------------------------------------------------------------------
# security
# --------------------------------------------------------------------------
@pytest.mark.parametrize("env", ENVS)
def test_security_alb_access_and_waf_flag(env):
    exp, got = EXPECTED[env], inputs(env, "security")
    assert ("0.0.0.0/0" in got["alb_allowed_cidrs"]) is exp["alb_open_to_world"]
    if not exp["alb_open_to_world"]:
        assert got["alb_allowed_cidrs"], "staging needs an explicit allow list"
    assert got["enable_waf"] is exp["waf"]
    assert got["waf_rate_limit"] == WAF_RATE_LIMIT
    assert (got["app_port_web"], got["app_port_api"]) == (PORTS["web"], PORTS["api"])
    assert got["ssm_parameter_prefix"] == f"/bookmark-manager/{env}"


def test_waf_rules_names_order_and_rate_rule():
    doc = {}
    for tf in (MODULES_DIR / "security").glob("*.tf"):
        parsed = load_hcl(tf)
        for key in ("locals", "resource"):
            doc.setdefault(key, []).extend(parsed.get(key, []))
    local_values = {}
    for block in doc["locals"]:
        local_values.update(block)
    acl = next(
        body["this"] if "this" in body else next(iter(body.values()))
        for entry in doc["resource"]
        for kind, body in entry.items()
        if tg_live.unquote_key(kind) == "aws_wafv2_web_acl"
    )
    acl = tg_live.strip_meta(acl)
    # Managed groups come from a dynamic block over a local list, priorities 1..n.
    dynamic = acl["dynamic"][0]["rule"]
    assert dynamic["for_each"] == "${local.waf_managed_rule_groups}"
    assert dynamic["content"][0]["priority"] == "${rule.key + 1}"
    groups = tg_live.Evaluator({}).value(local_values["waf_managed_rule_groups"])
    rate_rule = acl["rule"][0]
    rate_name = tg_live.Evaluator({}).value(rate_rule["name"])
    assert groups + [rate_name] == WAF_RULES
    assert rate_rule["priority"] == "${length(local.waf_managed_rule_groups) + 1}"
    assert "block" in rate_rule["action"][0]
    statement = rate_rule["statement"][0]["rate_based_statement"][0]
    assert statement["limit"] == "${var.waf_rate_limit}"
    assert statement["evaluation_window_sec"] == 300
    assert statement["aggregate_key_type"] == '"IP"'
    assert "allow" in acl["default_action"][0]
    assert acl["scope"] == '"REGIONAL"'


# --------------------------------------------------------------------------
# database
# --------------------------------------------------------------------------
@pytest.mark.parametrize("env", ENVS)
def test_database(env):
    exp, got = EXPECTED[env], inputs(env, "database")
    assert got["engine"] == exp["db_engine"]
    assert got["engine_version"] == "17.6"
    assert (got["db_name"], got["master_username"]) == ("bookmarkdb", "dbadmin")
    assert got["backup_retention_days"] == exp["db_backup_retention_days"]
    assert got["preferred_backup_window"] == "03:00-04:00"
    assert got["deletion_protection"] is exp["db_deletion_protection"]
    assert got["skip_final_snapshot"] is False
    if exp["db_engine"] == "rds":
        assert got["instance_class"] == exp["db_instance_class"]
        assert (got["allocated_storage"], got["max_allocated_storage"]) == exp["db_storage"]
    else:
        assert (got["serverless_min_acu"], got["serverless_max_acu"]) == (0.5, 2)
        assert got["aurora_instance_count"] == exp["db_aurora_instances"]


# --------------------------------------------------------------------------
# storage and ecr
# --------------------------------------------------------------------------
@pytest.mark.parametrize("env", ENVS)
def test_storage_lifecycle(env):
    exp, got = EXPECTED[env], inputs(env, "storage")
    assert got["versioning_enabled"] is exp["s3_versioning"]
    assert got["ia_transition_days"] == exp["s3_ia_days"]
    assert got["expiration_days"] == exp["s3_expiration_days"]
    assert got["noncurrent_version_expiration_days"] == 30
    assert got["force_destroy"] is exp["s3_force_destroy"]
    if env == "prod":
        assert got["cors_allowed_origins"] == [
            "https://tidilyspace.com",
            "https://www.tidilyspace.com",
        ]


@pytest.mark.parametrize("env", ENVS)
def test_ecr_retention(env):
    exp, got = EXPECTED[env], inputs(env, "ecr")
    assert got["image_retention_count"] == exp["ecr_keep"]
    assert got["force_delete"] is exp["ecr_force_delete"]
    assert got["scan_on_push"] is True
    assert got["image_tag_mutability"] == "IMMUTABLE"


# --------------------------------------------------------------------------
# compute
# --------------------------------------------------------------------------
@pytest.mark.parametrize("env", ENVS)
def test_compute_task_sizes_and_placement(env):
    exp, unit = EXPECTED[env], load_unit(env, "compute")
    got = effective_inputs(unit)
    for role in ("web", "api"):
        assert got[f"{role}_cpu"] == exp["task_cpu"]
        assert got[f"{role}_memory"] == exp["task_memory"]
        assert got[f"{role}_port"] == PORTS[role]
    assert unit.raw_inputs["service_subnet_ids"] == "${dependency.network.outputs.%s}" % exp[
        "service_subnets"
    ]
    assert got["assign_public_ip"] is exp["assign_public_ip"]


@pytest.mark.parametrize("env", ENVS)
def test_compute_gets_the_waf_from_security(env):
    unit = load_unit(env, "compute")
    assert unit.raw_inputs["waf_web_acl_arn"] == "${dependency.security.outputs.waf_web_acl_arn}"


@pytest.mark.parametrize("env", ENVS)
def test_compute_scaling(env):
    got = inputs(env, "compute")
    for key, value in SCALING.items():
        assert got[key] == value, key
    assert got["autoscaling_enabled"] is EXPECTED[env]["autoscaling_enabled"]


@pytest.mark.parametrize("env", ENVS)
def test_compute_logs_insights_alb_domain(env):
    exp, got = EXPECTED[env], inputs(env, "compute")
    assert got["log_retention_days"] == exp["log_retention_days"]
    assert got["container_insights"] is exp["container_insights"]
    assert got["alb_deletion_protection"] is exp["alb_deletion_protection"]
    assert got["domain_name"] == exp["domain_name"]
    assert got["deregistration_delay"] == 30
    assert got["dd_site"] == "ap1.datadoghq.com"
    assert got["dd_trace_sample_rate"] == exp["trace_sample_rate"]
    assert got["dd_trace_rate_limit"] == exp["trace_rate_limit"]
    assert got["app_env"] == exp["app_environment"]


@pytest.mark.parametrize("env", ENVS)
def test_compute_schedule(env):
    got = inputs(env, "compute")
    assert got["scheduler_enabled"] is EXPECTED[env]["scheduler_enabled"]
    assert got["scheduler_start_cron"] == START_CRON
    assert got["scheduler_stop_cron"] == STOP_CRON
    assert got["scheduler_web_desired_count"] == 1
    assert got["scheduler_api_desired_count"] == 1


@pytest.mark.parametrize("env", ENVS)
def test_compute_secrets_come_from_ssm_and_secrets_manager(env):
    got = inputs(env, "compute")
    secrets = got["app_secrets"]
    assert set(secrets) >= {"DATABASE_URL", "DATABASE_PASSWORD", "JWT_SECRET"}
    assert secrets["DATABASE_URL"].startswith("arn:aws:ssm:")
    assert secrets["DATABASE_PASSWORD"].startswith("arn:aws:secretsmanager:")
    assert secrets["DATABASE_PASSWORD"].endswith(":password::")
    assert f"parameter/bookmark-manager/{env}/" in secrets["JWT_SECRET"]
    assert not any(k in got["app_environment"] for k in ("DATABASE_URL", "JWT_SECRET"))


@pytest.mark.parametrize("env", ENVS)
def test_compute_stores_files_in_the_assets_bucket(env):
    """Stored page icons, previews and archives go to the storage unit's bucket (the task
    role may read, write and delete its objects); the root filesystem is read-only."""
    got = inputs(env, "compute")["app_environment"]
    assert got["FILE_STORE"] == f"s3://bookmark-manager-{env}-assets/files"
    assert got["AWS_REGION"] == "ap-northeast-1"


@pytest.mark.parametrize("env", ENVS)
def test_compute_health_check_paths(env):
    got = inputs(env, "compute")
    paths = health_check_paths(got)
    assert paths == HEALTH_PATHS


def health_check_paths(effective: dict) -> dict:
    """The target groups' health-check paths, from the compute module.

    Accepts either variables named ``<role>_health_check_path`` or literal
    ``path`` values in the target groups' ``health_check`` blocks.
    """
    found = {}
    for role in ("web", "api"):
        for name in (f"{role}_health_check_path", f"{role}_health_path"):
            if name in effective:
                found[role] = effective[name]
    if len(found) == 2:
        return found
    for tf in (MODULES_DIR / "compute").glob("*.tf"):
        for entry in load_hcl(tf).get("resource", []):
            for kind, body in entry.items():
                if tg_live.unquote_key(kind) != "aws_lb_target_group":
                    continue
                for label, tg in body.items():
                    path = tg_live.strip_meta(tg)["health_check"][0]["path"]
                    found[tg_live.unquote_key(label)] = tg_live.Evaluator(
                        {"var": effective}
                    ).value(path)
    return found


# --------------------------------------------------------------------------
# monitoring
# --------------------------------------------------------------------------
@pytest.mark.parametrize("env", ENVS)
def test_monitoring_thresholds(env):
    got = inputs(env, "monitoring")
    assert (got["api_error_critical"], got["api_error_warning"]) == (10, 5)
    assert (got["api_p95_latency_critical_seconds"], got["api_p95_latency_warning_seconds"]) == (
        1,
        0.5,
    )
    assert (got["rds_cpu_critical"], got["rds_cpu_warning"]) == (80, 60)
    assert got["sentry_alert_events_per_hour"] == 100


# --------------------------------------------------------------------------
# wiring
# --------------------------------------------------------------------------
@pytest.mark.parametrize("env", ENVS)
@pytest.mark.parametrize("unit_name", tg_live.UNITS)
def test_unit_shape_and_dependencies(env, unit_name):
    unit = load_unit(env, unit_name)
    doc = unit.document
    labels = {tg_live.unquote_key(k) for e in doc["include"] for k in e}
    assert labels == {"root", "env"}
    assert {k for k in doc if not k.startswith("__")} <= {"include", "terraform", "dependency", "inputs"}
    assert unit.module_dir == MODULES_DIR / unit_name
    assert set(unit.dependencies) == DEPENDENCIES[unit_name]
    for dep_name, dep in unit.dependencies.items():
        assert dep["config_path"] == f"../{dep_name}"
        assert dep["mock_outputs_allowed_terraform_commands"] == ["validate", "plan"]
        upstream = tg_live.module_outputs(MODULES_DIR / dep_name)
        assert set(dep["mock_outputs"]) <= upstream, (dep_name, set(dep["mock_outputs"]) - upstream)


@pytest.mark.parametrize("env", ENVS)
@pytest.mark.parametrize("unit_name", tg_live.UNITS)
def test_inputs_match_module_variables(env, unit_name):
    unit = load_unit(env, unit_name)
    variables = tg_live.module_variables(unit.module_dir)
    unknown = set(unit.inputs) - set(variables)
    assert not unknown, f"{unit_name} passes undeclared inputs: {unknown}"
    provided = set(unit.inputs)
    if unit_name == "monitoring":
        provided |= set(tfvars_local_example(env))
    missing = {n for n, body in variables.items() if "default" not in body} - provided
    assert not missing, f"{unit_name} leaves required variables unset: {missing}"
    # Every dependency output an input refers to must have a mock.
    text = repr(unit.raw_inputs)
    for dep, output in re.findall(r"dependency\.(\w+)\.outputs\.(\w+)", text):
        assert output in unit.dependencies[dep]["mock_outputs"], (dep, output)
        assert output in tg_live.module_outputs(MODULES_DIR / dep), (dep, output)


def tfvars_local_example(env: str) -> dict:
    return tg_live.strip_meta(load_hcl(ENVS_DIR / env / ".tfvars.local.example"))


def test_units_are_the_same_in_both_environments_except_placement():
    for unit_name in tg_live.UNITS:
        staging = (ENVS_DIR / "staging" / unit_name / "terragrunt.hcl").read_text()
        prod = (ENVS_DIR / "prod" / unit_name / "terragrunt.hcl").read_text()
        if unit_name != "compute":
            assert staging == prod, f"{unit_name}: put the difference in env.hcl"


def test_env_files_define_the_same_keys():
    keys = {env: set(tg_live.env_locals(env)) for env in ENVS}
    assert keys["staging"] == keys["prod"]


def test_no_secret_values_in_live_config():
    for path in Path(ENVS_DIR).rglob("*"):
        if path.is_file() and path.suffix in {".hcl", ".example"}:
            text = path.read_text()
            assert not re.search(r"(?i)(password|api_key|auth_token|app_key)\s*=\s*\"(?!\$\{)[^\"]+\"", text), path
