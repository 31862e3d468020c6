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

variable "app_env" {
  description = "Value of APP_ENV inside the containers. Null maps prod to \"production\" and staging to \"staging\"."
  type        = string
  default     = null

  validation {
    condition     = var.app_env == null || contains(["development", "staging", "production"], coalesce(var.app_env, "production"))
    error_message = "app_env must be null, development, staging or production."
  }
}

variable "aws_region" {
  description = "Region of the deployment, used by the awslogs driver (ap-northeast-1)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.aws_region))
    error_message = "aws_region must look like ap-northeast-1."
  }
}

variable "vpc_id" {
  description = "ID of the VPC for the target groups."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]+$", var.vpc_id))
    error_message = "vpc_id must look like vpc-0123abcd."
  }
}

variable "public_subnet_ids" {
  description = "Public subnets for the internet-facing ALB (two or more AZs)."
  type        = list(string)

  validation {
    condition     = length(var.public_subnet_ids) >= 2 && alltrue([for s in var.public_subnet_ids : can(regex("^subnet-[0-9a-f]+$", s))])
    error_message = "public_subnet_ids needs at least two subnet IDs."
  }
}

variable "service_subnet_ids" {
  description = "Subnets the ECS tasks run in (prod: private subnets; staging without NAT: public subnets)."
  type        = list(string)

  validation {
    condition     = length(var.service_subnet_ids) >= 1 && alltrue([for s in var.service_subnet_ids : can(regex("^subnet-[0-9a-f]+$", s))])
    error_message = "service_subnet_ids needs at least one subnet ID."
  }
}

variable "assign_public_ip" {
  description = "Give each task a public IP (needed only in public subnets without a NAT gateway, i.e. staging)."
  type        = bool

  validation {
    condition     = var.assign_public_ip == true || var.assign_public_ip == false
    error_message = "assign_public_ip must be true or false."
  }
}

variable "alb_security_group_id" {
  description = "Security group of the ALB (security module)."
  type        = string

  validation {
    condition     = can(regex("^sg-[0-9a-f]+$", var.alb_security_group_id))
    error_message = "alb_security_group_id must look like sg-0123abcd."
  }
}

variable "ecs_security_group_id" {
  description = "Security group of the ECS tasks (security module)."
  type        = string

  validation {
    condition     = can(regex("^sg-[0-9a-f]+$", var.ecs_security_group_id))
    error_message = "ecs_security_group_id must look like sg-0123abcd."
  }
}

variable "task_execution_role_arn" {
  description = "ARN of the ECS task execution role (security module)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", var.task_execution_role_arn))
    error_message = "task_execution_role_arn must be an IAM role ARN."
  }
}

variable "task_role_arn" {
  description = "ARN of the ECS task role (security module)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", var.task_role_arn))
    error_message = "task_role_arn must be an IAM role ARN."
  }
}

variable "waf_web_acl_arn" {
  description = "ARN of the WAFv2 web ACL to associate with the ALB, or null for none."
  type        = string
  default     = null

  validation {
    condition     = var.waf_web_acl_arn == null || can(regex("^arn:aws[a-z-]*:wafv2:", var.waf_web_acl_arn))
    error_message = "waf_web_acl_arn must be null or a WAFv2 web ACL ARN."
  }
}

variable "container_image" {
  description = "Full image reference run by both services, e.g. <account>.dkr.ecr.ap-northeast-1.amazonaws.com/bookmark-manager-prod-tidily:1.4.2 or ...@sha256:<digest>."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9.-]+(:[0-9]+)?/[a-z0-9._/-]+(:[A-Za-z0-9._-]+|@sha256:[0-9a-f]{64})$", var.container_image))
    error_message = "container_image must be a full reference with a tag or digest (registry/repository:tag)."
  }
}

variable "cpu_architecture" {
  description = "CPU architecture of the tasks: X86_64 or ARM64 (must match the image)."
  type        = string
  default     = "X86_64"

  validation {
    condition     = contains(["X86_64", "ARM64"], var.cpu_architecture)
    error_message = "cpu_architecture must be X86_64 or ARM64."
  }
}

variable "web_cpu" {
  description = "Fargate CPU units of a web task (256 = 0.25 vCPU; prod 1024)."
  type        = number
  default     = 256

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096, 8192, 16384], var.web_cpu)
    error_message = "web_cpu must be a Fargate CPU size: 256, 512, 1024, 2048, 4096, 8192 or 16384."
  }
}

variable "web_memory" {
  description = "Fargate memory (MiB) of a web task; must be a valid combination with web_cpu (prod 2048)."
  type        = number
  default     = 512

  validation {
    condition     = (var.web_cpu == 256 && contains([512, 1024, 2048], var.web_memory)) || (var.web_cpu == 512 && var.web_memory >= 1024 && var.web_memory <= 4096 && var.web_memory % 1024 == 0) || (var.web_cpu == 1024 && var.web_memory >= 2048 && var.web_memory <= 8192 && var.web_memory % 1024 == 0) || (var.web_cpu == 2048 && var.web_memory >= 4096 && var.web_memory <= 16384 && var.web_memory % 1024 == 0) || (var.web_cpu == 4096 && var.web_memory >= 8192 && var.web_memory <= 30720 && var.web_memory % 1024 == 0) || (var.web_cpu == 8192 && var.web_memory >= 16384 && var.web_memory <= 61440 && var.web_memory % 4096 == 0) || (var.web_cpu == 16384 && var.web_memory >= 32768 && var.web_memory <= 122880 && var.web_memory % 8192 == 0)
    error_message = "web_memory is not a valid Fargate memory size for web_cpu (e.g. 256 -> 512/1024/2048, 1024 -> 2048-8192 in 1024 steps)."
  }
}

variable "api_cpu" {
  description = "Fargate CPU units of a api task (256 = 0.25 vCPU; prod 1024)."
  type        = number
  default     = 256

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096, 8192, 16384], var.api_cpu)
    error_message = "api_cpu must be a Fargate CPU size: 256, 512, 1024, 2048, 4096, 8192 or 16384."
  }
}

variable "api_memory" {
  description = "Fargate memory (MiB) of a api task; must be a valid combination with api_cpu (prod 2048)."
  type        = number
  default     = 512

  validation {
    condition     = (var.api_cpu == 256 && contains([512, 1024, 2048], var.api_memory)) || (var.api_cpu == 512 && var.api_memory >= 1024 && var.api_memory <= 4096 && var.api_memory % 1024 == 0) || (var.api_cpu == 1024 && var.api_memory >= 2048 && var.api_memory <= 8192 && var.api_memory % 1024 == 0) || (var.api_cpu == 2048 && var.api_memory >= 4096 && var.api_memory <= 16384 && var.api_memory % 1024 == 0) || (var.api_cpu == 4096 && var.api_memory >= 8192 && var.api_memory <= 30720 && var.api_memory % 1024 == 0) || (var.api_cpu == 8192 && var.api_memory >= 16384 && var.api_memory <= 61440 && var.api_memory % 4096 == 0) || (var.api_cpu == 16384 && var.api_memory >= 32768 && var.api_memory <= 122880 && var.api_memory % 8192 == 0)
    error_message = "api_memory is not a valid Fargate memory size for api_cpu (e.g. 256 -> 512/1024/2048, 1024 -> 2048-8192 in 1024 steps)."
  }
}

variable "web_port" {
  description = "Container port of the web role."
  type        = number
  default     = 3000

  validation {
    condition     = var.web_port >= 1024 && var.web_port <= 65535
    error_message = "web_port must be an unprivileged port (1024-65535)."
  }
}

variable "api_port" {
  description = "Container port of the api role."
  type        = number
  default     = 3001

  validation {
    condition     = var.api_port >= 1024 && var.api_port <= 65535
    error_message = "api_port must be an unprivileged port (1024-65535)."
  }
}

variable "desired_count" {
  description = "Initial task count per service; afterwards auto scaling and the scheduler own it (Terraform ignores drift)."
  type        = number
  default     = 1

  validation {
    condition     = var.desired_count >= 0 && var.desired_count <= 100 && floor(var.desired_count) == var.desired_count
    error_message = "desired_count must be a whole number from 0 to 100."
  }
}

variable "autoscaling_enabled" {
  description = "Attach target-tracking auto scaling (CPU and memory) to both services."
  type        = bool

  validation {
    condition     = var.autoscaling_enabled == true || var.autoscaling_enabled == false
    error_message = "autoscaling_enabled must be true or false."
  }
}

variable "autoscaling_min" {
  description = "Minimum tasks per service under auto scaling."
  type        = number
  default     = 1

  validation {
    condition     = var.autoscaling_min >= 0 && floor(var.autoscaling_min) == var.autoscaling_min
    error_message = "autoscaling_min must be a whole number of at least 0."
  }
}

variable "autoscaling_max" {
  description = "Maximum tasks per service under auto scaling."
  type        = number
  default     = 10

  validation {
    condition     = var.autoscaling_max >= 1 && var.autoscaling_max <= 100 && floor(var.autoscaling_max) == var.autoscaling_max
    error_message = "autoscaling_max must be a whole number from 1 to 100."
  }
}

variable "cpu_target" {
  description = "Target average CPU utilisation (percent) for target tracking."
  type        = number
  default     = 70

  validation {
    condition     = var.cpu_target >= 10 && var.cpu_target <= 95
    error_message = "cpu_target must be between 10 and 95."
  }
}

variable "memory_target" {
  description = "Target average memory utilisation (percent) for target tracking."
  type        = number
  default     = 80

  validation {
    condition     = var.memory_target >= 10 && var.memory_target <= 95
    error_message = "memory_target must be between 10 and 95."
  }
}

variable "scale_out_cooldown" {
  description = "Seconds after a scale-out before another scale-out."
  type        = number
  default     = 60

  validation {
    condition     = var.scale_out_cooldown >= 0 && var.scale_out_cooldown <= 3600
    error_message = "scale_out_cooldown must be 0-3600 seconds."
  }
}

variable "scale_in_cooldown" {
  description = "Seconds after a scale-in before another scale-in."
  type        = number
  default     = 300

  validation {
    condition     = var.scale_in_cooldown >= 0 && var.scale_in_cooldown <= 3600
    error_message = "scale_in_cooldown must be 0-3600 seconds."
  }
}

variable "container_insights" {
  description = "Enable CloudWatch Container Insights on the cluster (prod)."
  type        = bool

  validation {
    condition     = var.container_insights == true || var.container_insights == false
    error_message = "container_insights must be true or false."
  }
}

variable "log_retention_days" {
  description = "Retention of the ECS log groups in days (staging 7, prod 30)."
  type        = number

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

variable "log_kms_key_arn" {
  description = "Optional customer-managed KMS key for the log groups; null keeps CloudWatch Logs' service-side encryption."
  type        = string
  default     = null

  validation {
    condition     = var.log_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.log_kms_key_arn))
    error_message = "log_kms_key_arn must be null or a KMS key ARN."
  }
}

variable "alb_deletion_protection" {
  description = "Protect the ALB from deletion (prod)."
  type        = bool

  validation {
    condition     = var.alb_deletion_protection == true || var.alb_deletion_protection == false
    error_message = "alb_deletion_protection must be true or false."
  }
}

variable "alb_idle_timeout" {
  description = "ALB idle timeout in seconds."
  type        = number
  default     = 60

  validation {
    condition     = var.alb_idle_timeout >= 1 && var.alb_idle_timeout <= 4000
    error_message = "alb_idle_timeout must be 1-4000 seconds."
  }
}

variable "alb_access_logs_bucket" {
  description = "Optional S3 bucket (with the ELB log-delivery policy) for ALB access logs; null disables them."
  type        = string
  default     = null

  validation {
    condition     = var.alb_access_logs_bucket == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", coalesce(var.alb_access_logs_bucket, "x-x")))
    error_message = "alb_access_logs_bucket must be null or an S3 bucket name."
  }
}

variable "domain_name" {
  description = "Apex domain served over HTTPS (e.g. tidilyspace.com). Null serves plain HTTP on the ALB's DNS name."
  type        = string
  default     = null

  validation {
    condition     = var.domain_name == null || can(regex("^([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}$", coalesce(var.domain_name, "example.com")))
    error_message = "domain_name must be null or a lower-case DNS name such as tidilyspace.com."
  }
}

variable "create_route53_zone" {
  description = "Create the public hosted zone for domain_name (true) or look up an existing one (false)."
  type        = bool
  default     = false

  validation {
    condition     = var.create_route53_zone == true || var.create_route53_zone == false
    error_message = "create_route53_zone must be true or false."
  }
}

variable "ssl_policy" {
  description = "TLS policy of the HTTPS listener."
  type        = string
  default     = "ELBSecurityPolicy-TLS13-1-2-2021-06"

  validation {
    condition     = startswith(var.ssl_policy, "ELBSecurityPolicy-TLS13-")
    error_message = "ssl_policy must be a TLS 1.3-capable ELBSecurityPolicy-TLS13-* policy."
  }
}

variable "web_health_check_path" {
  description = "ALB health check path of the web role."
  type        = string
  default     = "/health"

  validation {
    condition     = startswith(var.web_health_check_path, "/")
    error_message = "web_health_check_path must start with /."
  }
}

variable "api_health_check_path" {
  description = "ALB health check path of the API role (its routes live under /api)."
  type        = string
  default     = "/api/health"

  validation {
    condition     = startswith(var.api_health_check_path, "/api/")
    error_message = "api_health_check_path must start with /api/ because the ALB only routes /api/* to the API role."
  }
}

variable "health_check_healthy_threshold" {
  description = "Consecutive successes before a target is healthy."
  type        = number
  default     = 2

  validation {
    condition     = var.health_check_healthy_threshold >= 2 && var.health_check_healthy_threshold <= 10
    error_message = "health_check_healthy_threshold must be 2-10."
  }
}

variable "health_check_unhealthy_threshold" {
  description = "Consecutive failures before a target is unhealthy."
  type        = number
  default     = 3

  validation {
    condition     = var.health_check_unhealthy_threshold >= 2 && var.health_check_unhealthy_threshold <= 10
    error_message = "health_check_unhealthy_threshold must be 2-10."
  }
}

variable "health_check_interval" {
  description = "Seconds between health checks."
  type        = number
  default     = 15

  validation {
    condition     = var.health_check_interval >= 5 && var.health_check_interval <= 300
    error_message = "health_check_interval must be 5-300 seconds."
  }
}

variable "health_check_timeout" {
  description = "Seconds before a health check counts as failed; must be below the interval."
  type        = number
  default     = 5

  validation {
    condition     = var.health_check_timeout >= 2 && var.health_check_timeout <= 120
    error_message = "health_check_timeout must be 2-120 seconds."
  }
}

variable "health_check_grace_period" {
  description = "Seconds ECS ignores ALB health checks after a task starts."
  type        = number
  default     = 60

  validation {
    condition     = var.health_check_grace_period >= 30 && var.health_check_grace_period <= 300
    error_message = "health_check_grace_period must be 30-300 seconds."
  }
}

variable "deregistration_delay" {
  description = "Seconds the ALB drains a target before deregistering it."
  type        = number
  default     = 30

  validation {
    condition     = var.deregistration_delay >= 0 && var.deregistration_delay <= 3600
    error_message = "deregistration_delay must be 0-3600 seconds."
  }
}

variable "app_environment" {
  description = "Extra plain environment variables for both roles (no secrets here; use app_secrets)."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k in keys(var.app_environment) : can(regex("^[A-Z][A-Z0-9_]*$", k))])
    error_message = "app_environment keys must be upper-case environment variable names."
  }
}

variable "app_secrets" {
  description = "Secret environment variables for both roles: name -> SSM parameter ARN, or Secrets Manager \"<secret-arn>:<json-key>::\" (e.g. DATABASE_PASSWORD)."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k, v in var.app_secrets : can(regex("^[A-Z][A-Z0-9_]*$", k)) && can(regex("^arn:aws[a-z-]*:(ssm|secretsmanager):", v))])
    error_message = "app_secrets keys must be upper-case names and values SSM parameter or Secrets Manager ARNs."
  }
}

variable "base_url" {
  description = "Public base URL of the site (BASE_URL), e.g. https://tidilyspace.com."
  type        = string

  validation {
    condition     = can(regex("^https?://[^/]+$", var.base_url))
    error_message = "base_url must be a scheme and host without a trailing slash, e.g. https://tidilyspace.com."
  }
}

variable "trusted_proxy_cidrs" {
  description = "CIDRs whose X-Forwarded-For the app trusts (TRUSTED_PROXIES): the VPC CIDR, where the ALB lives."
  type        = list(string)

  validation {
    condition     = length(var.trusted_proxy_cidrs) > 0 && alltrue([for c in var.trusted_proxy_cidrs : can(cidrhost(c, 0))])
    error_message = "trusted_proxy_cidrs must be a non-empty list of CIDR blocks."
  }
}

variable "enable_datadog_agent" {
  description = "Run the Datadog agent as a non-essential sidecar and point the app's tracer at it."
  type        = bool
  default     = false

  validation {
    condition     = var.enable_datadog_agent == true || var.enable_datadog_agent == false
    error_message = "enable_datadog_agent must be true or false."
  }
}

variable "dd_api_key_secret_arn" {
  description = "Secrets Manager ARN of the Datadog API key (required when enable_datadog_agent)."
  type        = string
  default     = null

  validation {
    condition     = var.dd_api_key_secret_arn == null || can(regex("^arn:aws[a-z-]*:secretsmanager:", var.dd_api_key_secret_arn))
    error_message = "dd_api_key_secret_arn must be null or a Secrets Manager ARN."
  }
}

variable "dd_site" {
  description = "Datadog site the agent reports to."
  type        = string
  default     = "ap1.datadoghq.com"

  validation {
    condition     = can(regex("^([a-z0-9]+\\.)?datadoghq\\.(com|eu)$|^ddog-gov\\.com$", var.dd_site))
    error_message = "dd_site must be a Datadog site such as ap1.datadoghq.com."
  }
}

variable "dd_agent_image" {
  description = "Image of the Datadog agent sidecar."
  type        = string
  default     = "public.ecr.aws/datadog/agent:7"

  validation {
    condition     = can(regex("^[a-z0-9.-]+/[a-z0-9._/-]+(:[A-Za-z0-9._-]+|@sha256:[0-9a-f]{64})$", var.dd_agent_image))
    error_message = "dd_agent_image must be a full image reference with a tag or digest."
  }
}

variable "dd_service_prefix" {
  description = "Datadog service name prefix; services are <prefix>-web and <prefix>-api (the monitoring module filters on them)."
  type        = string
  default     = "tidily"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_-]*$", var.dd_service_prefix))
    error_message = "dd_service_prefix must be a lower-case name."
  }
}

variable "dd_trace_sample_rate" {
  description = "Share of traces kept by the tracer (prod 0.2, staging 0.05)."
  type        = number
  default     = 0.2

  validation {
    condition     = var.dd_trace_sample_rate >= 0 && var.dd_trace_sample_rate <= 1
    error_message = "dd_trace_sample_rate must be between 0 and 1."
  }
}

variable "dd_trace_rate_limit" {
  description = "Maximum spans per second the tracer sends (prod 50, staging 10)."
  type        = number
  default     = 50

  validation {
    condition     = var.dd_trace_rate_limit >= 1 && var.dd_trace_rate_limit <= 10000
    error_message = "dd_trace_rate_limit must be 1-10000."
  }
}

variable "scheduler_enabled" {
  description = "Create the weekday start/stop scheduler (Lambda + EventBridge) for the two services (staging)."
  type        = bool
  default     = false

  validation {
    condition     = var.scheduler_enabled == true || var.scheduler_enabled == false
    error_message = "scheduler_enabled must be true or false."
  }
}

variable "scheduler_lambda_zip_path" {
  description = "Path of the scheduler Lambda zip (bootstrap for provided.al2023), built outside Terraform. Required when scheduler_enabled."
  type        = string
  default     = ""

  validation {
    condition     = var.scheduler_lambda_zip_path == "" || endswith(var.scheduler_lambda_zip_path, ".zip")
    error_message = "scheduler_lambda_zip_path must be empty or end in .zip."
  }
}

variable "scheduler_architecture" {
  description = "Architecture the scheduler Lambda was built for. scripts/package-scheduler.sh builds x86_64 (glibc 2.34, provided.al2023)."
  type        = string
  default     = "x86_64"

  validation {
    condition     = contains(["arm64", "x86_64"], var.scheduler_architecture)
    error_message = "scheduler_architecture must be arm64 or x86_64."
  }
}

variable "scheduler_start_cron" {
  description = "EventBridge schedule (UTC) that starts the services: 09:00 JST on weekdays."
  type        = string
  default     = "cron(0 0 ? * MON-FRI *)"

  validation {
    condition     = can(regex("^(cron|rate)\\(.+\\)$", var.scheduler_start_cron))
    error_message = "scheduler_start_cron must be an EventBridge cron(...) or rate(...) expression."
  }
}

variable "scheduler_stop_cron" {
  description = "EventBridge schedule (UTC) that stops the services: 22:00 JST on weekdays."
  type        = string
  default     = "cron(0 13 ? * MON-FRI *)"

  validation {
    condition     = can(regex("^(cron|rate)\\(.+\\)$", var.scheduler_stop_cron))
    error_message = "scheduler_stop_cron must be an EventBridge cron(...) or rate(...) expression."
  }
}

variable "scheduler_web_desired_count" {
  description = "Web task count the scheduler restores on start."
  type        = number
  default     = 1

  validation {
    condition     = var.scheduler_web_desired_count >= 1 && var.scheduler_web_desired_count <= 100 && floor(var.scheduler_web_desired_count) == var.scheduler_web_desired_count
    error_message = "scheduler_web_desired_count must be a whole number from 1 to 100."
  }
}

variable "scheduler_api_desired_count" {
  description = "API task count the scheduler restores on start (its own value, not the web count)."
  type        = number
  default     = 1

  validation {
    condition     = var.scheduler_api_desired_count >= 1 && var.scheduler_api_desired_count <= 100 && floor(var.scheduler_api_desired_count) == var.scheduler_api_desired_count
    error_message = "scheduler_api_desired_count must be a whole number from 1 to 100."
  }
}

variable "scheduler_log_retention_days" {
  description = "Retention of the scheduler's log group in days."
  type        = number
  default     = 7

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.scheduler_log_retention_days)
    error_message = "scheduler_log_retention_days must be a value CloudWatch Logs accepts."
  }
}

variable "alarm_actions" {
  description = "SNS topic ARNs notified when the scheduler alarm fires (empty: alarm state only)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.alarm_actions : can(regex("^arn:aws[a-z-]*:sns:", a))])
    error_message = "alarm_actions entries must be SNS topic ARNs."
  }
}
