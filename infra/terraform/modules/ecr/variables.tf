variable "name_prefix" {
  description = "Prefix for every resource name, `bookmark-manager-<env>`; repositories are `<name_prefix>-<name>`."
  type        = string

  validation {
    condition     = can(regex("^bookmark-manager-(staging|prod)$", var.name_prefix))
    error_message = "name_prefix must be bookmark-manager-staging or bookmark-manager-prod."
  }
}

variable "repository_names" {
  description = "Short names of the repositories. One image (`tidily`) runs both the web and the API role."
  type        = list(string)
  default     = ["tidily"]

  validation {
    condition     = length(var.repository_names) > 0 && alltrue([for n in var.repository_names : can(regex("^[a-z0-9]+([._-][a-z0-9]+)*$", n))])
    error_message = "repository_names must be non-empty lower-case names (letters, digits, . _ -)."
  }
}

variable "image_retention_count" {
  description = "How many of the newest images each repository keeps (staging 10, prod 30); older ones expire."
  type        = number

  validation {
    condition     = var.image_retention_count >= 1 && var.image_retention_count <= 1000 && floor(var.image_retention_count) == var.image_retention_count
    error_message = "image_retention_count must be a whole number from 1 to 1000."
  }
}

variable "untagged_image_expiry_days" {
  description = "Days after which untagged images (superseded layers of rebuilt tags) are expired."
  type        = number
  default     = 7

  validation {
    condition     = var.untagged_image_expiry_days >= 1 && var.untagged_image_expiry_days <= 365
    error_message = "untagged_image_expiry_days must be 1-365."
  }
}

variable "force_delete" {
  description = "Let Terraform delete repositories that still hold images (staging only)."
  type        = bool

  validation {
    condition     = var.force_delete == true || var.force_delete == false
    error_message = "force_delete must be true or false."
  }
}

variable "scan_on_push" {
  description = "Run the basic vulnerability scan on every push."
  type        = bool
  default     = true

  validation {
    condition     = var.scan_on_push == true || var.scan_on_push == false
    error_message = "scan_on_push must be true or false."
  }
}

variable "image_tag_mutability" {
  description = "IMMUTABLE (a tag always names the same image, so a deploy is reproducible) or MUTABLE."
  type        = string
  default     = "IMMUTABLE"

  validation {
    condition     = contains(["IMMUTABLE", "MUTABLE"], var.image_tag_mutability)
    error_message = "image_tag_mutability must be IMMUTABLE or MUTABLE."
  }
}

variable "encryption_type" {
  description = "Repository encryption: KMS (AWS-managed aws/ecr key, or kms_key_arn) or AES256."
  type        = string
  default     = "KMS"

  validation {
    condition     = contains(["KMS", "AES256"], var.encryption_type)
    error_message = "encryption_type must be KMS or AES256."
  }
}

variable "kms_key_arn" {
  description = "Optional customer-managed KMS key when encryption_type is KMS; null uses the AWS-managed key."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be null or a KMS key ARN."
  }
}
