variable "name_prefix" {
  description = "Prefix for every resource name, `bookmark-manager-<env>`."
  type        = string

  validation {
    condition     = can(regex("^bookmark-manager-(staging|prod)$", var.name_prefix))
    error_message = "name_prefix must be bookmark-manager-staging or bookmark-manager-prod."
  }
}

variable "environment" {
  description = "Environment name: staging or prod."
  type        = string

  validation {
    condition     = contains(["staging", "prod"], var.environment)
    error_message = "environment must be staging or prod."
  }
}

variable "vpc_id" {
  description = "ID of the VPC the security groups belong to."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]+$", var.vpc_id))
    error_message = "vpc_id must look like vpc-0123abcd."
  }
}

variable "vpc_cidr" {
  description = "IPv4 CIDR block of the VPC. Validated and echoed in the outputs; the rules themselves reference security groups, which is tighter than a CIDR."
  type        = string

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0))
    error_message = "vpc_cidr must be a valid IPv4 CIDR block."
  }
}

variable "alb_allowed_cidrs" {
  description = "IPv4 CIDR blocks allowed to reach the ALB on ports 80 and 443 (prod: [\"0.0.0.0/0\"]; staging: an explicit list of office/home /32s). Replaces the original's internet IP look-up (INFRA-FACTS defect 3)."
  type        = list(string)

  validation {
    condition     = length(var.alb_allowed_cidrs) > 0 && alltrue([for c in var.alb_allowed_cidrs : can(cidrhost(c, 0)) && can(regex("^[0-9.]+/[0-9]+$", c))])
    error_message = "alb_allowed_cidrs must be a non-empty list of IPv4 CIDR blocks such as 203.0.113.10/32."
  }
}

variable "bastion_security_group_id" {
  description = "Security group of the bastion host; it may reach the database on 5432."
  type        = string

  validation {
    condition     = can(regex("^sg-[0-9a-f]+$", var.bastion_security_group_id))
    error_message = "bastion_security_group_id must look like sg-0123abcd."
  }
}

variable "enable_waf" {
  description = "Create the regional WAFv2 web ACL (managed rule groups plus a per-IP rate rule)."
  type        = bool

  validation {
    condition     = var.enable_waf == true || var.enable_waf == false
    error_message = "enable_waf must be true or false."
  }
}

variable "waf_rate_limit" {
  description = "Requests per 5-minute window from one IP before the rate rule blocks it."
  type        = number
  default     = 2000

  validation {
    condition     = var.waf_rate_limit >= 10 && var.waf_rate_limit <= 2000000000
    error_message = "waf_rate_limit must be between 10 and 2,000,000,000 (WAFv2 limits)."
  }
}

variable "waf_log_retention_days" {
  description = "Retention in days of the WAF log group (a CloudWatch Logs retention value)."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.waf_log_retention_days)
    error_message = "waf_log_retention_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

variable "app_port_web" {
  description = "Container port of the web role."
  type        = number
  default     = 3000

  validation {
    condition     = var.app_port_web >= 1024 && var.app_port_web <= 65535
    error_message = "app_port_web must be an unprivileged port (1024-65535)."
  }
}

variable "app_port_api" {
  description = "Container port of the API role."
  type        = number
  default     = 3001

  validation {
    condition     = var.app_port_api >= 1024 && var.app_port_api <= 65535
    error_message = "app_port_api must be an unprivileged port (1024-65535)."
  }
}

variable "ssm_parameter_prefix" {
  description = "SSM Parameter Store path the execution role may read, e.g. /bookmark-manager/prod."
  type        = string

  validation {
    condition     = can(regex("^/[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$", var.ssm_parameter_prefix))
    error_message = "ssm_parameter_prefix must be an absolute path without a trailing slash, e.g. /bookmark-manager/prod."
  }
}

variable "secret_arns" {
  description = "Secrets Manager ARNs the execution role may read for container secrets (e.g. the RDS-managed master secret, the Datadog API key). May be empty."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.secret_arns : can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$", a))])
    error_message = "secret_arns entries must be Secrets Manager secret ARNs."
  }
}

variable "kms_key_arns" {
  description = "Customer-managed KMS keys that encrypt the SSM parameters or secrets above; the execution role gets kms:Decrypt on them. Leave empty for AWS-managed keys."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.kms_key_arns : can(regex("^arn:aws[a-z-]*:kms:", a))])
    error_message = "kms_key_arns entries must be KMS key ARNs."
  }
}

variable "assets_bucket_name_pattern" {
  description = "S3 bucket name (wildcards allowed) the task role may read and write objects in. Null means \"<name_prefix>-*\"."
  type        = string
  default     = null

  validation {
    condition     = var.assets_bucket_name_pattern == null || can(regex("^[a-z0-9*][a-z0-9.*-]*$", var.assets_bucket_name_pattern))
    error_message = "assets_bucket_name_pattern must be an S3 bucket name, optionally with * wildcards."
  }
}
