# `terraform test` with a mocked AWS provider: no credentials, no network. Checks the properties
# the operations guide promises.
mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_availability_zones" {
    defaults = { names = ["eu-west-1a", "eu-west-1b", "eu-west-1c"] }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
  mock_data "aws_secretsmanager_random_password" {
    defaults = { random_password = "mocked-password-0123456789abcdefghijklmnopqrstuvwxyz0123456789ab" }
  }
  mock_resource "aws_eks_cluster" {
    defaults = {
      arn      = "arn:aws:eks:eu-west-1:123456789012:cluster/redline-test"
      identity = [{ oidc = [{ issuer = "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE" }] }]
      vpc_config = [{ cluster_security_group_id = "sg-0123456789abcdef0", subnet_ids = [], security_group_ids = [],
      endpoint_private_access = true, endpoint_public_access = false, public_access_cidrs = [], vpc_id = "vpc-1" }]
    }
  }
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-000000000000" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/mocked" }
  }
  mock_resource "aws_iam_openid_connect_provider" {
    defaults = { arn = "arn:aws:iam::123456789012:oidc-provider/mocked" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:123456789012:log-group:mocked" }
  }
  mock_resource "aws_s3_bucket" {
    defaults = { arn = "arn:aws:s3:::mocked" }
  }
  mock_resource "aws_ecr_repository" {
    defaults = { arn = "arn:aws:ecr:eu-west-1:123456789012:repository/mocked", repository_url = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/mocked" }
  }
  mock_resource "aws_acm_certificate" {
    defaults = { arn = "arn:aws:acm:eu-west-1:123456789012:certificate/mocked", domain_validation_options = [] }
  }
  mock_resource "aws_db_instance" {
    defaults = { master_user_secret = [{ secret_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds", kms_key_id = "k", secret_status = "active" }] }
  }
}

variables {
  region            = "eu-west-1"
  environment       = "test"
  domain_name       = "redline.example.com"
  github_repository = "example/redline"
}

run "plan" {
  command = plan

  assert {
    condition     = length(aws_subnet.private) == 2 && length(aws_subnet.public) == 2
    error_message = "two AZs: two private and two public subnets"
  }
  assert {
    condition     = length(aws_nat_gateway.main) == 2
    error_message = "one NAT gateway per AZ by default"
  }
  assert {
    condition     = aws_db_instance.main.multi_az && aws_db_instance.main.storage_encrypted && aws_db_instance.main.backup_retention_period >= 7
    error_message = "RDS must be Multi-AZ, encrypted and backed up"
  }
  assert {
    condition     = aws_db_instance.main.engine_version == "15" && !aws_db_instance.main.publicly_accessible
    error_message = "RDS PostgreSQL 15 (matches the backup image's pg_dump), private"
  }
  assert {
    condition     = aws_elasticache_replication_group.main.engine == "valkey" && aws_elasticache_replication_group.main.transit_encryption_enabled
    error_message = "ElastiCache Valkey with TLS"
  }
  assert {
    condition = alltrue([for r in aws_s3_bucket_lifecycle_configuration.backups.rule[0].transition :
    contains(["STANDARD_IA:30", "GLACIER:90"], "${r.storage_class}:${r.days}")])
    error_message = "backups: Standard-IA after 30 days, Glacier after 90"
  }
  assert {
    condition     = aws_s3_bucket_lifecycle_configuration.backups.rule[0].expiration[0].days == 365
    error_message = "backups are deleted after 365 days"
  }
  assert {
    condition     = alltrue([for b in aws_s3_bucket_public_access_block.this : b.block_public_acls && b.restrict_public_buckets])
    error_message = "buckets are private"
  }
  assert {
    condition     = anytrue([for r in aws_s3_bucket_cors_configuration.documents.cors_rule : contains(r.allowed_origins, "https://redline.example.com")])
    error_message = "documents bucket allows the viewer's origin (CORS)"
  }
  assert {
    condition     = aws_eks_node_group.main.scaling_config[0].min_size >= 2
    error_message = "node group spans zones with at least two nodes"
  }
  assert {
    condition     = toset(keys(aws_eks_addon.this)) == toset(["vpc-cni", "coredns", "kube-proxy", "eks-pod-identity-agent", "metrics-server", "aws-ebs-csi-driver"])
    error_message = "EKS add-ons"
  }
  assert {
    condition     = aws_eks_access_policy_association.deploy[0].access_scope[0].type == "namespace"
    error_message = "the CI deploy role is limited to the Redline namespace"
  }
}

run "staging_single_nat" {
  command = plan
  variables {
    environment        = "staging"
    single_nat_gateway = true
    github_repository  = ""
  }
  assert {
    condition     = length(aws_nat_gateway.main) == 1 && length(aws_iam_role.github_deploy) == 0
    error_message = "single NAT for staging; no deploy role without a repository"
  }
}
