output "aws_region" {
  value = var.region
}

output "cluster_name" {
  value = aws_eks_cluster.main.name
}

output "vpc_id" {
  value = aws_vpc.main.id
}

output "private_subnet_ids" {
  value = aws_subnet.private[*].id
}

output "public_subnet_ids" {
  value = aws_subnet.public[*].id
}

output "ecr_repository_urls" {
  value = {
    redline   = aws_ecr_repository.this["redline"].repository_url
    converter = aws_ecr_repository.this["redline-converter"].repository_url
    backup    = aws_ecr_repository.this["redline-backup"].repository_url
  }
}

output "documents_storage_url" {
  value = "s3://${aws_s3_bucket.documents.bucket}/documents"
}

output "backup_target" {
  value = "s3://${aws_s3_bucket.backups.bucket}/postgres"
}

output "irsa_role_arn" {
  value = aws_iam_role.app.arn
}

output "lb_controller_role_arn" {
  value = aws_iam_role.lb_controller.arn
}

output "cluster_autoscaler_role_arn" {
  value = aws_iam_role.autoscaler.arn
}

output "acm_certificate_arn" {
  value = aws_acm_certificate.main.arn
}

output "acm_validation_records" {
  description = "DNS records to create by hand when route53_zone_id is empty."
  value       = aws_acm_certificate.main.domain_validation_options
}

output "database_endpoint" {
  value = aws_db_instance.main.address
}

output "database_master_secret_arn" {
  value = aws_db_instance.main.master_user_secret[0].secret_arn
}

output "valkey_endpoint" {
  value = aws_elasticache_replication_group.main.primary_endpoint_address
}

output "app_secret_arn" {
  value = aws_secretsmanager_secret.app.arn
}

output "github_deploy_role_arn" {
  value = var.github_repository == "" ? "" : aws_iam_role.github_deploy[0].arn
}

# Non-secret chart values; deploy/scripts/install.sh writes them to a file and adds the image tag.
# Credentials go to the Secret install.sh creates (secrets.existingSecret).
output "helm_values" {
  value = yamlencode({
    image          = { repository = aws_ecr_repository.this["redline"].repository_url }
    converterImage = { repository = aws_ecr_repository.this["redline-converter"].repository_url }
    backupImage    = { repository = aws_ecr_repository.this["redline-backup"].repository_url }
    config = {
      storageUrl  = "s3://${aws_s3_bucket.documents.bucket}/documents"
      corsOrigins = join(",", local.cors_origins)
    }
    aws            = { region = var.region }
    secrets        = { existingSecret = "redline-credentials" }
    serviceAccount = { roleArn = aws_iam_role.app.arn }
    ingress = {
      enabled = true
      mode    = "alb"
      host    = var.domain_name
      alb     = { certificateArn = aws_acm_certificate.main.arn }
    }
    networkPolicy = { egressCidrs = [var.vpc_cidr, "0.0.0.0/0"] }
    backup        = { enabled = true, target = "s3://${aws_s3_bucket.backups.bucket}/postgres" }
  })
}
