#!/usr/bin/env bash
# Opens a port forward from this machine to the environment's PostgreSQL
# through the bastion host, using SSM Session Manager (no SSH, no open port).
#
# Usage: connect_to_awsdb.sh [--show-password] <staging|prod> [local_port]
#
#   staging|prod       environment ("production" is accepted for prod)
#   local_port         port on 127.0.0.1 to listen on (default 5432)
#   --show-password    also print the database password and a ready DATABASE_URL
#   -h, --help         show this help
#
# Environment: AWS_REGION (default ap-northeast-1), AWS_PROFILE and the other
# usual AWS CLI settings. Needs the AWS CLI and the Session Manager plugin.
#
# It reads the endpoint from SSM (/bookmark-manager/<env>/db/endpoint), finds
# the running instance tagged Name=bookmark-manager-<env>-bastion and starts
# AWS-StartPortForwardingSessionToRemoteHost to port 5432 of the endpoint. The
# session runs until Ctrl+C. Secrets are printed only with --show-password.
set -euo pipefail

readonly PROJECT=bookmark-manager
readonly DB_NAME=bookmarkdb
readonly DB_USER=dbadmin
readonly REMOTE_PORT=5432

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
}

die() {
    printf 'connect_to_awsdb: %s\n' "$*" >&2
    exit 1
}

show_password=false
positional=()
while (($# > 0)); do
    case $1 in
        -h | --help) usage; exit 0 ;;
        --show-password) show_password=true ;;
        --) shift; positional+=("$@"); break ;;
        -*) usage >&2; die "unknown option: $1" ;;
        *) positional+=("$1") ;;
    esac
    shift
done

((${#positional[@]} >= 1 && ${#positional[@]} <= 2)) || { usage >&2; exit 2; }

case ${positional[0]} in
    staging) env_name=staging ;;
    prod | production) env_name=prod ;;
    *) usage >&2; die "unknown environment '${positional[0]}' (expected staging or prod)" ;;
esac

local_port=${positional[1]:-5432}
if ! [[ $local_port =~ ^[0-9]{1,5}$ ]] || ((10#$local_port < 1 || 10#$local_port > 65535)); then
    die "local_port must be a number from 1 to 65535, got '$local_port'"
fi
local_port=$((10#$local_port))

region=${AWS_REGION:-ap-northeast-1}

command -v aws >/dev/null 2>&1 \
    || die "the AWS CLI is not installed (https://docs.aws.amazon.com/cli/)"
command -v session-manager-plugin >/dev/null 2>&1 \
    || die "the Session Manager plugin is not installed (see 'Install the Session Manager plugin for the AWS CLI' in the AWS docs)"

awscli() { aws --region "$region" "$@"; }

# --- database endpoint --------------------------------------------------------
param="/${PROJECT}/${env_name}/db/endpoint"
endpoint=$(awscli ssm get-parameter --name "$param" --query Parameter.Value --output text) \
    || die "cannot read SSM parameter $param (credentials, region $region, or not deployed yet?)"
db_host=${endpoint%%:*} # RDS instance endpoints may carry ":5432"
[[ -n $db_host && $db_host != None ]] || die "SSM parameter $param is empty"

# --- bastion ------------------------------------------------------------------
bastion_name="${PROJECT}-${env_name}-bastion"
instance_id=$(awscli ec2 describe-instances \
    --filters "Name=tag:Name,Values=${bastion_name}" "Name=instance-state-name,Values=running" \
    --query 'Reservations[].Instances[].InstanceId | [0]' --output text) \
    || die "cannot list EC2 instances"
if [[ -z $instance_id || $instance_id == None ]]; then
    stopped=$(awscli ec2 describe-instances \
        --filters "Name=tag:Name,Values=${bastion_name}" "Name=instance-state-name,Values=stopped" \
        --query 'Reservations[].Instances[].InstanceId | [0]' --output text 2>/dev/null || true)
    if [[ -n $stopped && $stopped != None ]]; then
        die "bastion $bastion_name ($stopped) is stopped; start it with: aws --region $region ec2 start-instances --instance-ids $stopped"
    fi
    die "no running instance tagged Name=$bastion_name in $region"
fi

# --- where the password lives -------------------------------------------------
# The database modules let RDS manage the master password in Secrets Manager.
# Find that secret from the endpoint: an RDS instance (staging) or an Aurora
# cluster's writer or reader endpoint (prod).
secret_arn=$(awscli rds describe-db-instances \
    --query "DBInstances[?Endpoint.Address=='${db_host}'].MasterUserSecret.SecretArn | [0]" \
    --output text 2>/dev/null || true)
if [[ -z $secret_arn || $secret_arn == None ]]; then
    secret_arn=$(awscli rds describe-db-clusters \
        --query "DBClusters[?Endpoint=='${db_host}' || ReaderEndpoint=='${db_host}'].MasterUserSecret.SecretArn | [0]" \
        --output text 2>/dev/null || true)
fi
[[ $secret_arn == None ]] && secret_arn=""

if [[ -n $secret_arn ]]; then
    password_hint="aws --region $region secretsmanager get-secret-value --secret-id '$secret_arn' --query SecretString --output text   # JSON: {\"username\",\"password\"}"
else
    password_hint="aws --region $region ssm get-parameter --name /${PROJECT}/${env_name}/db/password --with-decryption --query Parameter.Value --output text"
fi

fetch_password() {
    if [[ -n $secret_arn ]]; then
        awscli secretsmanager get-secret-value --secret-id "$secret_arn" \
            --query SecretString --output text \
            | python3 -c 'import json, sys; print(json.load(sys.stdin)["password"])'
    else
        awscli ssm get-parameter --name "/${PROJECT}/${env_name}/db/password" \
            --with-decryption --query Parameter.Value --output text
    fi
}

cat <<INFO
Environment : ${env_name} (${region})
Bastion     : ${instance_id} (${bastion_name})
Remote      : ${db_host}:${REMOTE_PORT}

Connect with:
  host      localhost
  port      ${local_port}
  database  ${DB_NAME}
  user      ${DB_USER}
INFO

if [[ $show_password == true ]]; then
    command -v python3 >/dev/null 2>&1 || die "--show-password needs python3 to read the secret"
    password=$(fetch_password) || die "cannot read the database password"
    encoded=$(printf '%s' "$password" | python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.stdin.read(), safe=""))')
    cat <<SECRET
  password  ${password}

  DATABASE_URL=postgresql://${DB_USER}:${encoded}@localhost:${local_port}/${DB_NAME}
SECRET
else
    cat <<HINT
  password  (not shown; rerun with --show-password, or read it with:)
            ${password_hint}

  DATABASE_URL=postgresql://${DB_USER}:<url-encoded password>@localhost:${local_port}/${DB_NAME}
HINT
fi

printf '\nStarting port forwarding; press Ctrl+C to stop.\n\n'
exec aws --region "$region" ssm start-session \
    --target "$instance_id" \
    --document-name AWS-StartPortForwardingSessionToRemoteHost \
    --parameters "{\"host\":[\"${db_host}\"],\"portNumber\":[\"${REMOTE_PORT}\"],\"localPortNumber\":[\"${local_port}\"]}"
