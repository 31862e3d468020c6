variable "name_prefix" {
  description = "Prefix for every resource name, `bookmark-manager-<env>`."
  type        = string

  validation {
    condition     = can(regex("^bookmark-manager-(staging|prod)$", var.name_prefix))
    error_message = "name_prefix must be bookmark-manager-staging or bookmark-manager-prod."
  }
}

variable "engine" {
  description = "\"aurora-serverless-v2\" (Aurora PostgreSQL cluster with db.serverless writer and readers, prod) or \"rds\" (single RDS PostgreSQL instance, staging)."
  type        = string

  validation {
    condition     = contains(["aurora-serverless-v2", "rds"], var.engine)
    error_message = "engine must be aurora-serverless-v2 or rds."
  }
}

variable "subnet_ids" {
  description = "Private subnet IDs for the DB subnet group (at least two AZs)."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2 && alltrue([for s in var.subnet_ids : can(regex("^subnet-[0-9a-f]+$", s))])
    error_message = "subnet_ids needs at least two subnet IDs (subnet-...)."
  }
}

variable "security_group_ids" {
  description = "Security groups attached to the database (the security module's database group)."
  type        = list(string)

  validation {
    condition     = length(var.security_group_ids) >= 1 && alltrue([for s in var.security_group_ids : can(regex("^sg-[0-9a-f]+$", s))])
    error_message = "security_group_ids needs at least one security group ID (sg-...)."
  }
}

variable "db_name" {
  description = "Name of the application database."
  type        = string
  default     = "bookmarkdb"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.db_name))
    error_message = "db_name must start with a letter and hold only lower-case letters, digits and underscores (max 63)."
  }
}

variable "master_username" {
  description = "Master user name. Its password is generated and rotated by RDS in Secrets Manager; Terraform never sees it."
  type        = string
  default     = "dbadmin"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,15}$", var.master_username)) && !contains(["admin", "postgres", "rdsadmin"], var.master_username)
    error_message = "master_username must be 1-16 lower-case letters, digits or underscores, start with a letter, and not be a reserved name."
  }
}

variable "engine_version" {
  description = "PostgreSQL engine version (major.minor), e.g. 17.6."
  type        = string
  default     = "17.6"

  validation {
    condition     = can(regex("^[0-9]{2}\\.[0-9]+$", var.engine_version))
    error_message = "engine_version must look like 17.6."
  }
}

variable "serverless_min_acu" {
  description = "Aurora Serverless v2 minimum capacity in ACUs (aurora-serverless-v2 only)."
  type        = number
  default     = 0.5

  validation {
    condition     = var.serverless_min_acu >= 0 && var.serverless_min_acu <= 256 && floor(var.serverless_min_acu * 2) == var.serverless_min_acu * 2
    error_message = "serverless_min_acu must be 0-256 in steps of 0.5."
  }
}

variable "serverless_max_acu" {
  description = "Aurora Serverless v2 maximum capacity in ACUs (aurora-serverless-v2 only)."
  type        = number
  default     = 2.0

  validation {
    condition     = var.serverless_max_acu >= 1 && var.serverless_max_acu <= 256 && floor(var.serverless_max_acu * 2) == var.serverless_max_acu * 2
    error_message = "serverless_max_acu must be 1-256 in steps of 0.5."
  }
}

variable "aurora_instance_count" {
  description = "Number of db.serverless instances in the Aurora cluster: one writer plus readers (2 = writer + reader in another AZ)."
  type        = number
  default     = 2

  validation {
    condition     = var.aurora_instance_count >= 1 && var.aurora_instance_count <= 16 && floor(var.aurora_instance_count) == var.aurora_instance_count
    error_message = "aurora_instance_count must be a whole number from 1 to 16."
  }
}

variable "instance_class" {
  description = "Instance class of the RDS instance (rds only)."
  type        = string
  default     = "db.t4g.micro"

  validation {
    condition     = can(regex("^db\\.[a-z0-9]+\\.[a-z0-9]+$", var.instance_class))
    error_message = "instance_class must look like db.t4g.micro."
  }
}

variable "allocated_storage" {
  description = "Initial gp3 storage in GiB of the RDS instance (rds only)."
  type        = number
  default     = 20

  validation {
    condition     = var.allocated_storage >= 20 && var.allocated_storage <= 65536
    error_message = "allocated_storage must be 20-65536 GiB."
  }
}

variable "max_allocated_storage" {
  description = "Upper bound in GiB for RDS storage autoscaling (rds only)."
  type        = number
  default     = 100

  validation {
    condition     = var.max_allocated_storage >= 20 && var.max_allocated_storage <= 65536
    error_message = "max_allocated_storage must be 20-65536 GiB."
  }
}

variable "backup_retention_days" {
  description = "Days automated backups are kept (prod 30, staging 7)."
  type        = number

  validation {
    condition     = var.backup_retention_days >= 1 && var.backup_retention_days <= 35
    error_message = "backup_retention_days must be 1-35."
  }
}

variable "preferred_backup_window" {
  description = "Daily backup window in UTC, hh24:mi-hh24:mi."
  type        = string
  default     = "03:00-04:00"

  validation {
    condition     = can(regex("^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$", var.preferred_backup_window))
    error_message = "preferred_backup_window must look like 03:00-04:00."
  }
}

variable "preferred_maintenance_window" {
  description = "Weekly maintenance window in UTC, ddd:hh24:mi-ddd:hh24:mi; must not overlap the backup window."
  type        = string
  default     = "sun:18:00-sun:19:00"

  validation {
    condition     = can(regex("^(mon|tue|wed|thu|fri|sat|sun):[0-2][0-9]:[0-5][0-9]-(mon|tue|wed|thu|fri|sat|sun):[0-2][0-9]:[0-5][0-9]$", var.preferred_maintenance_window))
    error_message = "preferred_maintenance_window must look like sun:18:00-sun:19:00."
  }
}

variable "deletion_protection" {
  description = "Refuse to delete the database (prod true)."
  type        = bool

  validation {
    condition     = var.deletion_protection == true || var.deletion_protection == false
    error_message = "deletion_protection must be true or false."
  }
}

variable "skip_final_snapshot" {
  description = "Skip the final snapshot on destroy (staging true). When false the snapshot is named \"<name_prefix>-db-final\"."
  type        = bool
  default     = false

  validation {
    condition     = var.skip_final_snapshot == true || var.skip_final_snapshot == false
    error_message = "skip_final_snapshot must be true or false."
  }
}

variable "multi_az" {
  description = "RDS: run a standby in a second AZ. Aurora: spread the instances over the subnet group's AZs (always the case; the flag is informational there)."
  type        = bool

  validation {
    condition     = var.multi_az == true || var.multi_az == false
    error_message = "multi_az must be true or false."
  }
}

variable "ssm_parameter_prefix" {
  description = "SSM Parameter Store path for the connection parameters, e.g. /bookmark-manager/prod."
  type        = string

  validation {
    condition     = can(regex("^/[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$", var.ssm_parameter_prefix))
    error_message = "ssm_parameter_prefix must be an absolute path without a trailing slash, e.g. /bookmark-manager/prod."
  }
}

variable "performance_insights_enabled" {
  description = "Enable Performance Insights (7-day free tier) on the instances."
  type        = bool
  default     = true

  validation {
    condition     = var.performance_insights_enabled == true || var.performance_insights_enabled == false
    error_message = "performance_insights_enabled must be true or false."
  }
}

variable "monitoring_interval" {
  description = "Enhanced Monitoring interval in seconds (0 turns it off)."
  type        = number
  default     = 60

  validation {
    condition     = contains([0, 1, 5, 10, 15, 30, 60], var.monitoring_interval)
    error_message = "monitoring_interval must be one of 0, 1, 5, 10, 15, 30, 60."
  }
}

variable "kms_key_arn" {
  description = "Optional customer-managed KMS key for storage, Performance Insights and the master secret; null uses the AWS-managed keys."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be null or a KMS key ARN."
  }
}

variable "apply_immediately" {
  description = "Apply modifications immediately instead of in the maintenance window."
  type        = bool
  default     = false

  validation {
    condition     = var.apply_immediately == true || var.apply_immediately == false
    error_message = "apply_immediately must be true or false."
  }
}
