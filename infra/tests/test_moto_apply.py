"""Apply test: the staging modules applied for real, against moto_server.

What it does
------------
1. Starts moto's server (moto_launcher.py: moto_server plus the Application
   Auto Scaling tagging calls moto lacks) on 127.0.0.1 on a free port, with
   AWS managed IAM policies loaded, and stops it at the end whatever happens.
2. Renders one temporary root module that wires the network, security,
   storage, ecr and compute modules exactly as ``envs/staging`` wires them:
   the inputs come from the staging units (tg_live), and every
   ``dependency.<unit>.outputs.<name>`` between these units becomes
   ``module.<unit>.<name>``. The database and monitoring units are not applied;
   their outputs are the units' ``mock_outputs``. The AWS provider points all
   endpoints at moto (fake credentials, skip_credentials_validation,
   skip_requesting_account_id, skip_metadata_api_check, path-style S3) and
   carries root.hcl's default tags. State is local, in the temp dir.
3. ``terraform apply`` with the offline provider mirror, then checks what moto
   holds through boto3: the VPC CIDR and its four subnets, the ECS cluster and
   both services with their task sizes, the ALB listener rule ``/api/*`` at
   priority 100 forwarding to the API target group and the health-check
   paths, the application-autoscaling targets and their target-tracking
   policies, the scheduler Lambda and its two EventBridge rules with their
   cron expressions and inputs, the assets bucket's lifecycle and the ECR
   lifecycle policy.
4. ``terraform destroy`` and a check that the VPC is gone.

What differs from a real staging apply, and why
-----------------------------------------------
* The bastion is off (``enable_bastion = false``): its AMI comes from the
  public SSM parameter ``/aws/service/ami-amazon-linux-latest/...``, which
  moto does not serve. terraform validate and checkov cover the bastion.
* No interface VPC endpoints (``interface_endpoints = []``): moto's endpoint
  support does not model private DNS for interface endpoints. The S3 gateway
  endpoint is applied. validate and checkov cover the interface endpoints.
* VPC flow logs are off: moto accepts them but the log delivery role cannot be
  exercised; validate and checkov cover them.
* Auto scaling is switched on (staging keeps it off because the start/stop
  scheduler owns the desired count there) so that the scaling targets and
  policies production uses are applied and checked too.
* No WAF association (staging has no WAF), no ACM certificate or Route53
  records (staging has no domain): moto cannot complete ACM DNS validation.
  Production's HTTPS listener, certificate, DNS records and WAF association
  are checked by terraform validate of the prod instantiation
  (render_env_roots.py) and by test_contract.py; on AWS by the TLS check and
  the WAF probes in envs/prod/README.md.
* The scheduler's zip is a dummy built here; the real one comes from
  scripts/package-scheduler.sh and is tested by the scheduler crate's own
  moto tests. Containers do not run in moto, so task health is not checked.

Skipped (not failed) when terraform or the provider mirror is missing;
scripts/check-infra.sh reports that loudly.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

import tg_live

PLUGIN_DIR = os.environ.get("TF_PLUGIN_MIRROR", "/opt/tf-plugins")
REGION = "ap-northeast-1"
ENV = "staging"
APPLIED_UNITS = ("network", "security", "storage", "ecr", "compute")
OVERRIDES = {
    "network": {"enable_bastion": False, "interface_endpoints": [], "enable_flow_logs": False},
    "compute": {"autoscaling_enabled": True},
}
# Services the modules call; all pointed at moto.
ENDPOINT_SERVICES = (
    "acm",
    "applicationautoscaling",
    "cloudwatch",
    "ec2",
    "ecr",
    "ecs",
    "elbv2",
    "events",
    "iam",
    "kms",
    "lambda",
    "logs",
    "route53",
    "s3",
    "scheduler",
    "secretsmanager",
    "ssm",
    "sns",
    "sqs",
    "sts",
    "wafv2",
)

pytestmark = pytest.mark.skipif(
    shutil.which("terraform") is None or not Path(PLUGIN_DIR).is_dir(),
    reason=f"terraform or the provider mirror {PLUGIN_DIR} is missing",
)


# --------------------------------------------------------------------------
# moto_server
# --------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def moto_endpoint(tmp_path_factory):
    port = free_port()
    launcher = Path(__file__).with_name("moto_launcher.py")
    log = open(tmp_path_factory.mktemp("moto") / "moto.log", "w")
    proc = subprocess.Popen(
        [sys.executable, str(launcher), "-H", "127.0.0.1", "-p", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        # AWS managed policies (AmazonECSTaskExecutionRolePolicy, ...) exist in
        # moto's IAM only when asked for.
        env=dict(os.environ, MOTO_IAM_LOAD_MANAGED_POLICIES="true"),
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 30
        while True:
            try:
                urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError(f"moto_server did not start (see {log.name})")
                time.sleep(0.2)
        yield endpoint
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


# --------------------------------------------------------------------------
# rendering the wired root module
# --------------------------------------------------------------------------
def hcl_string(text: str) -> str:
    return json.dumps(text).replace("${", "$${").replace("%{", "%%{")


def wire(raw, unit: tg_live.Unit) -> str:
    """A unit input as HCL, with dependencies on applied units as module refs."""
    if isinstance(raw, dict):
        items = ", ".join(
            f"{json.dumps(tg_live.unquote_key(k))} = {wire(v, unit)}"
            for k, v in raw.items()
            if not k.startswith("__")
        )
        return "{ " + items + " }"
    if isinstance(raw, list):
        return "[" + ", ".join(wire(v, unit) for v in raw) + "]"
    if not isinstance(raw, str) or not any(
        f"dependency.{name}.outputs." in raw for name in APPLIED_UNITS
    ):
        return json.dumps(unit.evaluator.value(raw))

    def as_module_ref(expr: str) -> str:
        for name in APPLIED_UNITS:
            expr = expr.replace(f"dependency.{name}.outputs.", f"module.{name}.")
        return expr

    if raw.startswith("${") and raw.endswith("}") and len(tg_live.template_parts(raw)) == 1:
        return as_module_ref(raw[2:-1])
    assert raw.startswith('"') and raw.endswith('"'), raw
    out = []
    for is_expr, text in tg_live.template_parts(raw[1:-1]):
        if is_expr and "dependency." in text:
            out.append("${" + as_module_ref(text) + "}")
        elif is_expr:
            out.append(hcl_string(str(unit.evaluator.expression(text)))[1:-1])
        else:
            out.append(text)
    return '"' + "".join(out) + '"'


def render_root(root: Path, endpoint: str, zip_path: Path) -> None:
    env_vars = {"TIDILY_IMAGE_TAG": "moto-test", "SCHEDULER_ZIP": str(zip_path)}
    tags = {
        "Project": "tidilyspace/bookmark-manager",
        "Environment": ENV,
        "Owner": tg_live.env_locals(ENV)["owner"],
        "ManagedBy": "terragrunt",
    }
    endpoints = "\n".join(f'    {svc} = "{endpoint}"' for svc in ENDPOINT_SERVICES)
    parts = [
        f"""terraform {{
  required_version = ">= 1.9"
  required_providers {{
    aws = {{
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }}
  }}
}}

provider "aws" {{
  region                      = "{REGION}"
  access_key                  = "moto"
  secret_key                  = "moto"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  s3_use_path_style           = true

  endpoints {{
{endpoints}
  }}

  default_tags {{
    tags = {json.dumps(tags)}
  }}
}}
"""
    ]
    for name in APPLIED_UNITS:
        unit = tg_live.load_unit(ENV, name, env_vars)
        lines = [f'module "{name}" {{', f"  source = {json.dumps(str(unit.module_dir))}"]
        for key, raw in unit.raw_inputs.items():
            value = json.dumps(OVERRIDES[name][key]) if key in OVERRIDES.get(name, {}) else wire(raw, unit)
            lines.append(f"  {key} = {value}")
        for key, value in OVERRIDES.get(name, {}).items():
            if key not in unit.raw_inputs:
                lines.append(f"  {key} = {json.dumps(value)}")
        lines.append("}")
        parts.append("\n".join(lines))
    parts.append(
        """output "result" {
  value = {
    vpc_id                  = module.network.vpc_id
    cluster_name            = module.compute.cluster_name
    web_service_name        = module.compute.web_service_name
    api_service_name        = module.compute.api_service_name
    alb_arn                 = module.compute.alb_arn
    scheduler_function_name = module.compute.scheduler_function_name
    bucket_name             = module.storage.bucket_name
    repository_urls         = module.ecr.repository_urls
  }
}
"""
    )
    (root / "main.tf").write_text("\n".join(parts))


def terraform(root: Path, *args: str, timeout: int = 600) -> str:
    env = dict(
        os.environ,
        TF_IN_AUTOMATION="1",
        CHECKPOINT_DISABLE="1",
        AWS_ACCESS_KEY_ID="moto",
        AWS_SECRET_ACCESS_KEY="moto",
        AWS_EC2_METADATA_DISABLED="true",
    )
    env.setdefault("TF_CLI_CONFIG_FILE", os.devnull)
    result = subprocess.run(
        ["terraform", *args], cwd=root, env=env, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0:
        raise AssertionError(f"terraform {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


# --------------------------------------------------------------------------
# the test
# --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def applied(moto_endpoint, tmp_path_factory):
    root = tmp_path_factory.mktemp("staging-root")
    zip_path = root / "scheduler.zip"
    with zipfile.ZipFile(zip_path, "w") as archive:
        archive.writestr("bootstrap", "#!/bin/sh\necho placeholder\n")
    render_root(root, moto_endpoint, zip_path)
    terraform(root, "init", "-backend=false", f"-plugin-dir={PLUGIN_DIR}", "-input=false", "-no-color")
    state = {"root": root, "destroyed": False}
    try:
        terraform(root, "apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=20")
        state.update(json.loads(terraform(root, "output", "-json", "result")))
        yield state
    finally:
        if not state["destroyed"]:
            destroy(root)


def destroy(root: Path) -> None:
    terraform(root, "destroy", "-auto-approve", "-input=false", "-no-color", "-parallelism=20")


@pytest.fixture(scope="module")
def aws(moto_endpoint):
    import boto3

    session = boto3.Session(aws_access_key_id="moto", aws_secret_access_key="moto", region_name=REGION)
    return lambda service: session.client(service, endpoint_url=moto_endpoint)


def test_staging_apply_against_moto(applied, aws):
    locals_ = tg_live.env_locals(ENV)
    compute_inputs = tg_live.load_unit(ENV, "compute").inputs

    # --- network ---------------------------------------------------------
    ec2 = aws("ec2")
    vpc = ec2.describe_vpcs(VpcIds=[applied["vpc_id"]])["Vpcs"][0]
    assert vpc["CidrBlock"] == "10.0.0.0/16"
    tags = {t["Key"]: t["Value"] for t in vpc.get("Tags", [])}
    assert tags.get("Environment") == "staging"
    assert tags.get("Project") == "tidilyspace/bookmark-manager"
    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [applied["vpc_id"]]}])
    cidrs = {s["CidrBlock"]: s for s in subnets["Subnets"]}
    assert set(cidrs) == {"10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"}
    assert {cidrs[c]["AvailabilityZone"] for c in ("10.0.0.0/24", "10.0.1.0/24")} == {
        "ap-northeast-1a",
        "ap-northeast-1c",
    }
    # Public subnets route to the internet gateway; private ones have no
    # default route at all (no NAT in staging).
    tables = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [applied["vpc_id"]]}])
    default_route = {}
    for table in tables["RouteTables"]:
        for assoc in table.get("Associations", []):
            if assoc.get("SubnetId"):
                default_route[assoc["SubnetId"]] = next(
                    (r.get("GatewayId") or r.get("NatGatewayId") for r in table["Routes"]
                     if r.get("DestinationCidrBlock") == "0.0.0.0/0"),
                    None,
                )
    for cidr in ("10.0.0.0/24", "10.0.1.0/24"):
        assert (default_route.get(cidrs[cidr]["SubnetId"]) or "").startswith("igw-"), cidr
    for cidr in ("10.0.2.0/24", "10.0.3.0/24"):
        assert default_route.get(cidrs[cidr]["SubnetId"]) is None, cidr
    nats = ec2.describe_nat_gateways(Filters=[{"Name": "vpc-id", "Values": [applied["vpc_id"]]}])
    assert not [n for n in nats["NatGateways"] if n["State"] != "deleted"], "staging has no NAT"

    # --- ECS: cluster, services, task sizes -------------------------------
    ecs = aws("ecs")
    cluster = ecs.describe_clusters(clusters=[applied["cluster_name"]])["clusters"][0]
    assert cluster["status"] == "ACTIVE"
    services = ecs.describe_services(
        cluster=applied["cluster_name"],
        services=[applied["web_service_name"], applied["api_service_name"]],
    )["services"]
    assert len(services) == 2
    public_subnets = {cidrs["10.0.0.0/24"]["SubnetId"], cidrs["10.0.1.0/24"]["SubnetId"]}
    for service in services:
        assert service["launchType"] == "FARGATE"
        assert service["desiredCount"] == 1
        network = service["networkConfiguration"]["awsvpcConfiguration"]
        assert set(network["subnets"]) == public_subnets
        assert network["assignPublicIp"] == "ENABLED"
        task = ecs.describe_task_definition(taskDefinition=service["taskDefinition"])["taskDefinition"]
        assert (int(task["cpu"]), int(task["memory"])) == (256, 512)
        assert task["requiresCompatibilities"] == ["FARGATE"]
        assert task["networkMode"] == "awsvpc"

    # --- ALB: listener, /api/* rule at priority 100, target groups ----------
    elb = aws("elbv2")
    listeners = elb.describe_listeners(LoadBalancerArn=applied["alb_arn"])["Listeners"]
    http = [l for l in listeners if l["Port"] == 80]
    assert len(http) == 1 and http[0]["Protocol"] == "HTTP"
    rules = elb.describe_rules(ListenerArn=http[0]["ListenerArn"])["Rules"]
    api_rules = [r for r in rules if r["Priority"] == "100"]
    assert len(api_rules) == 1
    conditions = api_rules[0]["Conditions"][0]
    values = conditions.get("Values") or conditions["PathPatternConfig"]["Values"]
    assert conditions["Field"] == "path-pattern" and values == ["/api/*"]
    groups = elb.describe_target_groups(LoadBalancerArn=applied["alb_arn"])["TargetGroups"]
    by_arn = {g["TargetGroupArn"]: g for g in groups}
    api_group = by_arn[api_rules[0]["Actions"][0]["TargetGroupArn"]]
    assert api_group["Port"] == 3001 and api_group["HealthCheckPath"] == "/api/health"
    default_action = http[0]["DefaultActions"][0]
    web_group = by_arn[default_action["TargetGroupArn"]]
    assert web_group["Port"] == 3000 and web_group["HealthCheckPath"] == "/health"
    assert {g["TargetType"] for g in groups} == {"ip"}

    # --- application auto scaling ------------------------------------------
    scaling = aws("application-autoscaling")
    targets = scaling.describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"]
    ids = {f"service/{applied['cluster_name']}/{applied[k]}" for k in ("web_service_name", "api_service_name")}
    ours = [t for t in targets if t["ResourceId"] in ids]
    assert len(ours) == 2
    for target in ours:
        assert (target["MinCapacity"], target["MaxCapacity"]) == (1, 10)
    policies = scaling.describe_scaling_policies(ServiceNamespace="ecs")["ScalingPolicies"]
    tracking = [p["TargetTrackingScalingPolicyConfiguration"] for p in policies if p["ResourceId"] in ids]
    assert len(tracking) == 4
    seen = set()
    for conf in tracking:
        metric = conf["PredefinedMetricSpecification"]["PredefinedMetricType"]
        seen.add((metric, conf["TargetValue"]))
        assert (conf["ScaleOutCooldown"], conf["ScaleInCooldown"]) == (60, 300)
    assert seen == {("ECSServiceAverageCPUUtilization", 70.0), ("ECSServiceAverageMemoryUtilization", 80.0)}

    # --- scheduler: Lambda + EventBridge rules ------------------------------
    assert applied["scheduler_function_name"]
    function = aws("lambda").get_function(FunctionName=applied["scheduler_function_name"])
    variables = function["Configuration"]["Environment"]["Variables"]
    assert variables.get("CLUSTER_NAME") == applied["cluster_name"]
    events = aws("events")
    rules = events.list_rules()["Rules"]
    schedules = {}
    for rule in rules:
        for target in events.list_targets_by_rule(Rule=rule["Name"])["Targets"]:
            if target["Arn"] == function["Configuration"]["FunctionArn"]:
                schedules[json.loads(target["Input"])["action"]] = rule["ScheduleExpression"]
    assert schedules == {
        "start": locals_["scheduler_start_cron"],
        "stop": locals_["scheduler_stop_cron"],
    }
    assert schedules["start"] == "cron(0 0 ? * MON-FRI *)"
    assert schedules["stop"] == "cron(0 13 ? * MON-FRI *)"

    # --- logs, storage, ecr ---------------------------------------------------
    logs = aws("logs")
    groups = logs.describe_log_groups(logGroupNamePrefix="/ecs/bookmark-manager-staging")["logGroups"]
    assert groups and all(g.get("retentionInDays") == compute_inputs["log_retention_days"] == 7 for g in groups)
    s3 = aws("s3")
    lifecycle = s3.get_bucket_lifecycle_configuration(Bucket=applied["bucket_name"])["Rules"]
    transitions = [t for r in lifecycle for t in r.get("Transitions", [])]
    assert {(t["Days"], t["StorageClass"]) for t in transitions} == {(90, "STANDARD_IA")}
    assert {r["Expiration"]["Days"] for r in lifecycle if "Days" in r.get("Expiration", {})} == {365}
    ecr = aws("ecr")
    repo = applied["repository_urls"]["tidily"].split("/", 1)[1]
    policy = json.loads(ecr.get_lifecycle_policy(repositoryName=repo)["lifecyclePolicyText"])
    counts = [r["selection"].get("countNumber") for r in policy["rules"] if r["selection"].get("countType") == "imageCountMoreThan"]
    assert counts == [10]


def test_destroy_removes_everything(applied, aws):
    """Runs after the apply checks (same module-scoped apply): destroy, then look."""
    destroy(applied["root"])
    applied["destroyed"] = True
    ec2 = aws("ec2")
    assert applied["vpc_id"] not in {v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"]}
    ecs = aws("ecs")
    clusters = ecs.describe_clusters(clusters=[applied["cluster_name"]])["clusters"]
    assert all(c["status"] == "INACTIVE" for c in clusters)
