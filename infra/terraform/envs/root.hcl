# Root Terragrunt configuration shared by every unit of every environment.
#
# Each unit (envs/<env>/<module>/terragrunt.hcl) includes this file. It sets up,
# once for the whole tree:
#   * remote state in S3, one key per unit, locked through a DynamoDB table;
#   * the AWS provider for ap-northeast-1 with default tags, so every resource
#     carries Project/Environment/Owner (the Datadog monitors filter on them);
#   * the Terraform and provider version constraints.
#
# Per-environment values come from the env.hcl next to the unit's directory.

locals {
  env = read_terragrunt_config(find_in_parent_folders("env.hcl")).locals

  aws_region  = "ap-northeast-1"
  project     = "bookmark-manager"
  project_tag = "tidilyspace/bookmark-manager"
  environment = local.env.environment
  owner       = local.env.owner

  # The state bucket and lock table are created once per AWS account by the
  # bootstrap step in docs/deploy.md. The account ID keeps the bucket name
  # globally unique.
  state_bucket = "${local.project}-tfstate-${get_aws_account_id()}"
  lock_table   = "${local.project}-tflock"
}

remote_state {
  backend = "s3"

  config = {
    bucket         = local.state_bucket
    key            = "${path_relative_to_include()}/terraform.tfstate"
    region         = local.aws_region
    encrypt        = true
    dynamodb_table = local.lock_table
  }

  generate = {
    path      = "backend.tf"
    if_exists = "overwrite_terragrunt"
  }
}

# Provider configuration. default_tags puts the project, environment and owner
# on every taggable resource without each module repeating them.
generate "provider" {
  path      = "provider.tf"
  if_exists = "overwrite_terragrunt"
  contents  = <<-EOF
    provider "aws" {
      region = "${local.aws_region}"

      default_tags {
        tags = {
          Project     = "${local.project_tag}"
          Environment = "${local.environment}"
          Owner       = "${local.owner}"
          ManagedBy   = "terragrunt"
        }
      }
    }
  EOF
}

# Version constraints. Written as an override file so that it merges with the
# versions.tf every module already ships instead of clashing with it (a module
# may hold only one required_providers block).
generate "versions" {
  path      = "versions_override.tf"
  if_exists = "overwrite_terragrunt"
  contents  = <<-EOF
    terraform {
      required_version = ">= 1.9"

      required_providers {
        aws = {
          source  = "hashicorp/aws"
          version = "~> 5.0"
        }
      }
    }
  EOF
}
