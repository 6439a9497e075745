# S3: documents (the viewer loads them with pre-signed URLs, so the bucket needs CORS for the
# Redline origin) and backups (pg_dump files; lifecycle Standard-IA 30 d, Glacier 90 d, delete
# 365 d). Both private, KMS-encrypted, TLS-only, versioned. ECR repositories for the three images.

locals {
  buckets = {
    documents = aws_s3_bucket.documents
    backups   = aws_s3_bucket.backups
  }
  cors_origins = length(var.viewer_cors_origins) > 0 ? var.viewer_cors_origins : ["https://${var.domain_name}"]
}

resource "aws_s3_bucket" "documents" {
  bucket = "${local.name}-documents-${local.account_id}"
  #checkov:skip=CKV_AWS_144:Cross-region replication of confidential documents is a policy decision; enable it per deployment
  #checkov:skip=CKV2_AWS_62:No consumer of S3 event notifications; Redline tracks objects in PostgreSQL
  #checkov:skip=CKV_AWS_18:Access logging needs a separate log bucket; set var.access_log_bucket (aws_s3_bucket_logging below)
}

resource "aws_s3_bucket" "backups" {
  bucket = "${local.name}-backups-${local.account_id}"
  #checkov:skip=CKV_AWS_144:Cross-region replication of backups is a policy decision; enable it per deployment
  #checkov:skip=CKV2_AWS_62:No consumer of S3 event notifications for backups
  #checkov:skip=CKV_AWS_18:Access logging needs a separate log bucket; set var.access_log_bucket (aws_s3_bucket_logging below)
}

resource "aws_s3_bucket_public_access_block" "this" {
  for_each                = local.buckets
  bucket                  = each.value.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "this" {
  for_each = local.buckets
  bucket   = each.value.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  for_each = local.buckets
  bucket   = each.value.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.main.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_versioning" "this" {
  for_each = local.buckets
  bucket   = each.value.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_logging" "this" {
  for_each      = var.access_log_bucket == "" ? {} : local.buckets
  bucket        = each.value.id
  target_bucket = var.access_log_bucket
  target_prefix = "s3/${each.value.bucket}/"
}

resource "aws_s3_bucket_policy" "this" {
  for_each = local.buckets
  bucket   = each.value.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [each.value.arn, "${each.value.arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
  depends_on = [aws_s3_bucket_public_access_block.this]
}

# The viewer fetches page images/PDFs straight from S3 with pre-signed URLs: without this the
# browser blocks them (the seeds' "viewer doesn't render documents (CORS error)").
resource "aws_s3_bucket_cors_configuration" "documents" {
  bucket = aws_s3_bucket.documents.id
  cors_rule {
    allowed_methods = ["GET", "HEAD"]
    allowed_origins = local.cors_origins
    allowed_headers = ["*"]
    expose_headers  = ["ETag", "Content-Length", "Content-Type", "Content-Range", "Accept-Ranges"]
    max_age_seconds = 3600
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "documents" {
  bucket = aws_s3_bucket.documents.id
  rule {
    id     = "expire-deleted-documents"
    status = "Enabled"
    filter {}
    # Redline deletes expired comparisons; old versions must not keep the documents around.
    noncurrent_version_expiration {
      noncurrent_days = 1
    }
    expiration {
      expired_object_delete_marker = true
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "backups" {
  bucket = aws_s3_bucket.backups.id
  rule {
    id     = "backup-retention"
    status = "Enabled"
    filter {}
    transition {
      days          = 30
      storage_class = "STANDARD_IA"
    }
    transition {
      days          = 90
      storage_class = "GLACIER"
    }
    expiration {
      days = 365
    }
    noncurrent_version_expiration {
      noncurrent_days = 30
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }
}

resource "aws_ecr_repository" "this" {
  for_each             = toset(["redline", "redline-converter", "redline-backup"])
  name                 = "${local.name}/${each.key}"
  image_tag_mutability = "IMMUTABLE"
  image_scanning_configuration {
    scan_on_push = true
  }
  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.main.arn
  }
}

resource "aws_ecr_lifecycle_policy" "this" {
  for_each   = aws_ecr_repository.this
  repository = each.value.name
  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Keep the newest 100 images (rollback targets)"
      selection    = { tagStatus = "any", countType = "imageCountMoreThan", countNumber = 100 }
      action       = { type = "expire" }
    }]
  })
}

resource "aws_acm_certificate" "main" {
  domain_name       = var.domain_name
  validation_method = "DNS"
  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_route53_record" "acm_validation" {
  for_each = var.route53_zone_id == "" ? {} : {
    for o in aws_acm_certificate.main.domain_validation_options : o.domain_name => o
  }
  zone_id         = var.route53_zone_id
  name            = each.value.resource_record_name
  type            = each.value.resource_record_type
  records         = [each.value.resource_record_value]
  ttl             = 300
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "main" {
  count                   = var.route53_zone_id == "" ? 0 : 1
  certificate_arn         = aws_acm_certificate.main.arn
  validation_record_fqdns = [for r in aws_route53_record.acm_validation : r.fqdn]
}
