variable "name_prefix" {
  description = "Prefix for every resource name, `bookmark-manager-<env>`; the bucket is `<name_prefix>-assets`."
  type        = string

  validation {
    condition     = can(regex("^bookmark-manager-(staging|prod)$", var.name_prefix))
    error_message = "name_prefix must be bookmark-manager-staging or bookmark-manager-prod."
  }
}

variable "versioning_enabled" {
  description = "Keep object versions (prod true). False suspends versioning."
  type        = bool

  validation {
    condition     = var.versioning_enabled == true || var.versioning_enabled == false
    error_message = "versioning_enabled must be true or false."
  }
}

variable "ia_transition_days" {
  description = "Days after creation when objects move to STANDARD_IA (staging 90, prod 180)."
  type        = number

  validation {
    condition     = var.ia_transition_days >= 30 && floor(var.ia_transition_days) == var.ia_transition_days
    error_message = "ia_transition_days must be a whole number of at least 30 (S3's minimum for STANDARD_IA)."
  }
}

variable "expiration_days" {
  description = "Days after creation when objects expire (staging 365, prod 730)."
  type        = number

  validation {
    condition     = var.expiration_days >= 1 && floor(var.expiration_days) == var.expiration_days
    error_message = "expiration_days must be a positive whole number."
  }
}

variable "noncurrent_version_expiration_days" {
  description = "Days after which non-current object versions are deleted, so a versioned bucket does not grow forever (INFRA-FACTS defect 8)."
  type        = number
  default     = 30

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1 && floor(var.noncurrent_version_expiration_days) == var.noncurrent_version_expiration_days
    error_message = "noncurrent_version_expiration_days must be a positive whole number."
  }
}

variable "abort_incomplete_multipart_days" {
  description = "Days after which incomplete multipart uploads are aborted."
  type        = number
  default     = 7

  validation {
    condition     = var.abort_incomplete_multipart_days >= 1 && var.abort_incomplete_multipart_days <= 365
    error_message = "abort_incomplete_multipart_days must be 1-365."
  }
}

variable "cors_allowed_origins" {
  description = "Origins allowed to GET/HEAD objects from a browser (staging [\"*\"]; prod the apex and www of the domain)."
  type        = list(string)

  validation {
    condition     = length(var.cors_allowed_origins) > 0 && alltrue([for o in var.cors_allowed_origins : o == "*" || can(regex("^https?://[A-Za-z0-9.-]+(:[0-9]+)?$", o))])
    error_message = "cors_allowed_origins must be \"*\" or origins such as https://tidilyspace.com (scheme and host, no path)."
  }
}

variable "force_destroy" {
  description = "Allow Terraform to delete the bucket with objects still in it (staging only)."
  type        = bool

  validation {
    condition     = var.force_destroy == true || var.force_destroy == false
    error_message = "force_destroy must be true or false."
  }
}

variable "sse_algorithm" {
  description = "Default server-side encryption: aws:kms (AWS-managed or kms_key_arn, with an S3 bucket key) or AES256."
  type        = string
  default     = "aws:kms"

  validation {
    condition     = contains(["aws:kms", "AES256"], var.sse_algorithm)
    error_message = "sse_algorithm must be aws:kms or AES256."
  }
}

variable "kms_key_arn" {
  description = "Optional customer-managed KMS key for aws:kms encryption; null uses the AWS-managed aws/s3 key."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be null or a KMS key ARN."
  }
}
