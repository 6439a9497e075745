terraform {
  required_version = ">= 1.11.0"
  required_providers {
    # Only the AWS provider: every resource here is written out in this directory (no registry
    # modules), so `terraform init -plugin-dir` works offline with a local provider mirror.
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100.0, < 6.0.0"
    }
  }
}

provider "aws" {
  region = var.region
  default_tags {
    tags = merge({
      Application = "redline"
      Environment = var.environment
      ManagedBy   = "terraform"
    }, var.tags)
  }
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_availability_zones" "available" {
  #checkov:skip=CKV_AWS_394:Only the first two zone names are used (slice below), so a new zone does not change the subnets
  state = "available"
  filter {
    name   = "opt-in-status"
    values = ["opt-in-not-required"]
  }
}

locals {
  name       = "redline-${var.environment}"
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  azs        = slice(data.aws_availability_zones.available.names, 0, 2)
  # The Helm release's ServiceAccount (deploy/helm/redline: <fullname> = "redline" for release "redline").
  k8s_service_account = "redline"
}
