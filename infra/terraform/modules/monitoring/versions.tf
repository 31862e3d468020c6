terraform {
  required_version = ">= 1.9"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
    datadog = {
      source  = "DataDog/datadog"
      version = "~> 3.46"
    }
    sentry = {
      source  = "jianyuan/sentry"
      version = "~> 0.14.0"
    }
  }
}
