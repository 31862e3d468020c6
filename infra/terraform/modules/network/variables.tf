variable "name_prefix" {
  description = "Prefix for every resource name, `bookmark-manager-<env>`."
  type        = string

  validation {
    condition     = can(regex("^bookmark-manager-(staging|prod)$", var.name_prefix))
    error_message = "name_prefix must be bookmark-manager-staging or bookmark-manager-prod."
  }
}

variable "vpc_cidr" {
  description = "IPv4 CIDR block of the VPC (staging 10.0.0.0/16, prod 10.1.0.0/16)."
  type        = string

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && tonumber(split("/", var.vpc_cidr)[1]) <= 24
    error_message = "vpc_cidr must be a valid IPv4 CIDR block of /24 or larger."
  }
}

variable "azs" {
  description = "Availability zones, one per subnet pair (e.g. [\"ap-northeast-1a\", \"ap-northeast-1c\"])."
  type        = list(string)

  validation {
    condition     = length(var.azs) >= 2 && alltrue([for az in var.azs : can(regex("^[a-z]{2}-[a-z]+-[0-9][a-z]$", az))])
    error_message = "azs needs at least two availability zone names such as ap-northeast-1a."
  }
}

variable "public_subnet_cidrs" {
  description = "CIDR blocks of the public subnets, one per AZ, same order as azs."
  type        = list(string)

  validation {
    condition     = length(var.public_subnet_cidrs) >= 2 && alltrue([for c in var.public_subnet_cidrs : can(cidrhost(c, 0))])
    error_message = "public_subnet_cidrs needs at least two valid IPv4 CIDR blocks."
  }
}

variable "private_subnet_cidrs" {
  description = "CIDR blocks of the private subnets, one per AZ, same order as azs."
  type        = list(string)

  validation {
    condition     = length(var.private_subnet_cidrs) >= 2 && alltrue([for c in var.private_subnet_cidrs : can(cidrhost(c, 0))])
    error_message = "private_subnet_cidrs needs at least two valid IPv4 CIDR blocks."
  }
}

variable "enable_nat_gateway" {
  description = "Create one NAT gateway (with an Elastic IP) in the first public subnet and route the private subnets' default route through it."
  type        = bool

  validation {
    condition     = var.enable_nat_gateway == true || var.enable_nat_gateway == false
    error_message = "enable_nat_gateway must be true or false."
  }
}

variable "enable_bastion" {
  description = "Create the SSM-only bastion instance used for database port forwarding."
  type        = bool
  default     = true

  validation {
    condition     = var.enable_bastion == true || var.enable_bastion == false
    error_message = "enable_bastion must be true or false."
  }
}

variable "bastion_instance_type" {
  description = "EC2 instance type of the bastion."
  type        = string
  default     = "t3.nano"

  validation {
    condition     = can(regex("^[a-z][a-z0-9]*\\.[a-z0-9]+$", var.bastion_instance_type))
    error_message = "bastion_instance_type must look like an EC2 instance type, e.g. t3.nano."
  }
}

variable "bastion_ami_ssm_parameter" {
  description = "Public SSM parameter that resolves to the bastion's AMI (newest Amazon Linux 2023 for the instance's architecture)."
  type        = string
  default     = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"

  validation {
    condition     = startswith(var.bastion_ami_ssm_parameter, "/aws/service/")
    error_message = "bastion_ami_ssm_parameter must be a public /aws/service/... parameter."
  }
}

variable "bastion_root_volume_size" {
  description = "Size in GiB of the bastion's encrypted gp3 root volume."
  type        = number
  default     = 30

  validation {
    condition     = var.bastion_root_volume_size >= 30 && var.bastion_root_volume_size <= 100
    error_message = "bastion_root_volume_size must be between 30 and 100 GiB (AL2023 needs 30)."
  }
}

variable "interface_endpoints" {
  description = "AWS services reached through interface VPC endpoints (private DNS on, one ENI in every private subnet). Each costs about $0.014 per hour per AZ; trim the list to save money."
  type        = list(string)
  default     = ["ecr.api", "ecr.dkr", "logs", "ssm", "ssmmessages", "secretsmanager"]

  validation {
    condition     = alltrue([for s in var.interface_endpoints : can(regex("^[a-z0-9.-]+$", s))])
    error_message = "interface_endpoints entries are service suffixes such as ecr.api or logs."
  }
}

variable "enable_flow_logs" {
  description = "Send VPC flow logs (rejected traffic only) to CloudWatch Logs."
  type        = bool
  default     = true

  validation {
    condition     = var.enable_flow_logs == true || var.enable_flow_logs == false
    error_message = "enable_flow_logs must be true or false."
  }
}

variable "flow_log_retention_days" {
  description = "Retention of the VPC flow log group in days (a CloudWatch Logs retention value)."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.flow_log_retention_days)
    error_message = "flow_log_retention_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

variable "log_kms_key_arn" {
  description = "Optional customer-managed KMS key for the flow log group; null keeps CloudWatch Logs' service-side encryption."
  type        = string
  default     = null

  validation {
    condition     = var.log_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.log_kms_key_arn))
    error_message = "log_kms_key_arn must be null or a KMS key ARN."
  }
}
