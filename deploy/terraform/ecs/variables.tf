variable "region" {
  type = string
}

variable "environment" {
  type = string
}

variable "domain_name" {
  type = string
}

variable "vpc_id" {
  type = string
}

variable "vpc_cidr" {
  type = string
}

variable "private_subnet_ids" {
  type = list(string)
}

variable "public_subnet_ids" {
  type = list(string)
}

variable "allowed_cidrs" {
  description = "Who may reach the ALB."
  type        = list(string)
  default     = ["0.0.0.0/0"]
}

variable "redline_image" {
  description = "Full image reference of the default Dockerfile target (api/worker/scheduler/migrate), ideally by digest."
  type        = string
}

variable "converter_image" {
  type = string
}

variable "backup_image" {
  type = string
}

variable "documents_bucket" {
  type = string
}

variable "backups_bucket" {
  type = string
}

variable "kms_key_arn" {
  type = string
}

variable "certificate_arn" {
  type = string
}

variable "app_secret_arn" {
  description = "Secrets Manager secret (JSON) with REDLINE_DATABASE_URL, REDLINE_SECRET_KEY and REDLINE_REDIS_URL."
  type        = string
}

variable "log_level" {
  type    = string
  default = "info"
}

variable "max_tasks" {
  type    = number
  default = 10
}
