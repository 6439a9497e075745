variable "region" {
  description = "AWS region, e.g. eu-west-1."
  type        = string
}

variable "environment" {
  description = "Environment name (staging, production): part of every resource name."
  type        = string
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}$", var.environment))
    error_message = "environment must be lower-case letters, digits and dashes (2-21 characters)."
  }
}

variable "domain_name" {
  description = "Public host name of Redline, e.g. redline.example.com (ACM certificate and viewer CORS)."
  type        = string
}

variable "route53_zone_id" {
  description = "Route 53 hosted zone for domain_name: validates the ACM certificate automatically. Empty: validate by hand (see the acm_validation_records output)."
  type        = string
  default     = ""
}

variable "vpc_cidr" {
  type    = string
  default = "10.40.0.0/16"
}

variable "single_nat_gateway" {
  description = "One NAT gateway instead of one per AZ (cheaper, not zone-redundant): for staging."
  type        = bool
  default     = false
}

variable "kubernetes_version" {
  type    = string
  default = "1.33"
}

variable "cluster_endpoint_public_access_cidrs" {
  description = "CIDRs that may reach the EKS API endpoint publicly. Empty list: private endpoint only (run kubectl/helm from inside the VPC)."
  type        = list(string)
  default     = []
}

variable "node_instance_types" {
  type    = list(string)
  default = ["m6i.large", "m5.large"]
}

variable "node_min_size" {
  type    = number
  default = 3
}

variable "node_max_size" {
  type    = number
  default = 9
}

variable "node_desired_size" {
  type    = number
  default = 3
}

variable "node_disk_size_gb" {
  type    = number
  default = 50
}

variable "postgres_engine_version" {
  description = "RDS PostgreSQL major version. Keep it equal to the backup image's postgresql-client (Dockerfile) and compose.yaml: pg_dump refuses newer servers."
  type        = string
  default     = "15"
}

variable "db_instance_class" {
  type    = string
  default = "db.m6g.large"
}

variable "db_allocated_storage_gb" {
  type    = number
  default = 50
}

variable "db_backup_retention_days" {
  type    = number
  default = 14
}

variable "cache_node_type" {
  type    = string
  default = "cache.t4g.medium"
}

variable "viewer_cors_origins" {
  description = "Origins allowed to fetch documents from the documents bucket in the browser (the viewer). Default: https://<domain_name>."
  type        = list(string)
  default     = []
}

variable "access_log_bucket" {
  description = "Existing bucket for S3 server access logs (empty: off)."
  type        = string
  default     = ""
}

variable "github_repository" {
  description = "owner/name of the GitHub repository whose Actions deploy (OIDC role). Empty: no deploy role."
  type        = string
  default     = ""
}

variable "create_github_oidc_provider" {
  description = "Create the account's token.actions.githubusercontent.com OIDC provider (only one may exist per account)."
  type        = bool
  default     = true
}

variable "kubernetes_namespace" {
  type    = string
  default = "redline"
}

variable "tags" {
  type    = map(string)
  default = {}
}
