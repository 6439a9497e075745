#!/usr/bin/env bash
# The second of the two install commands (the first is `terraform apply` in deploy/terraform/aws):
#
#   deploy/scripts/install.sh IMAGE_TAG [TERRAFORM_DIR]
#
# 1. points kubectl at the new cluster;
# 2. installs the cluster add-ons that are Helm charts (AWS Load Balancer Controller, Cluster
#    Autoscaler) with the IAM roles Terraform made;
# 3. creates the namespace and the `redline-credentials` Secret from Secrets Manager (RDS's
#    managed master password, the generated REDLINE_SECRET_KEY and the Valkey AUTH token);
# 4. installs Redline: the chart's pre-install hook runs `redline migrate` first, --atomic rolls
#    back on failure.
# Needs: terraform, aws (v2), kubectl, helm, jq. Run it again to upgrade the add-ons or rotate the Secret.
set -euo pipefail

tag="${1:?usage: install.sh IMAGE_TAG [TERRAFORM_DIR]}"
tf_dir="${2:-$(cd "$(dirname "$0")/../terraform/aws" && pwd)}"
chart="$(cd "$(dirname "$0")/../helm/redline" && pwd)"
namespace="${REDLINE_NAMESPACE:-redline}"
release="${REDLINE_RELEASE:-redline}"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
for tool in terraform aws kubectl helm jq; do
  command -v "$tool" >/dev/null || { echo "install.sh needs $tool on PATH" >&2; exit 1; }
done

out="$(terraform -chdir="$tf_dir" output -json)"
get() { jq -r --arg k "$1" '.[$k].value' <<<"$out"; }
region="$(get aws_region)"
cluster="$(get cluster_name)"

log "kubeconfig for $cluster"
aws eks update-kubeconfig --region "$region" --name "$cluster" >/dev/null

log "AWS Load Balancer Controller and Cluster Autoscaler"
helm repo add eks https://aws.github.io/eks-charts >/dev/null
helm repo add autoscaler https://kubernetes.github.io/autoscaler >/dev/null
helm repo update eks autoscaler >/dev/null
helm upgrade --install aws-load-balancer-controller eks/aws-load-balancer-controller \
  --namespace kube-system --wait \
  --set clusterName="$cluster" --set region="$region" --set vpcId="$(get vpc_id)" \
  --set serviceAccount.name=aws-load-balancer-controller \
  --set-string serviceAccount.annotations."eks\.amazonaws\.com/role-arn"="$(get lb_controller_role_arn)"
helm upgrade --install cluster-autoscaler autoscaler/cluster-autoscaler \
  --namespace kube-system --wait \
  --set autoDiscovery.clusterName="$cluster" --set awsRegion="$region" \
  --set rbac.serviceAccount.name=cluster-autoscaler \
  --set-string rbac.serviceAccount.annotations."eks\.amazonaws\.com/role-arn"="$(get cluster_autoscaler_role_arn)"

log "namespace $namespace and Secret redline-credentials"
kubectl create namespace "$namespace" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
db="$(aws secretsmanager get-secret-value --region "$region" --secret-id "$(get database_master_secret_arn)" --query SecretString --output text)"
app="$(aws secretsmanager get-secret-value --region "$region" --secret-id "$(get app_secret_arn)" --query SecretString --output text)"
db_user="$(jq -r .username <<<"$db")"
db_pass="$(jq -rj .password <<<"$db" | jq -sRr @uri)"
database_url="postgres://${db_user}:${db_pass}@$(get database_endpoint):5432/redline?sslmode=require"
redis_url="rediss://:$(jq -r .VALKEY_AUTH_TOKEN <<<"$app")@$(get valkey_endpoint):6379/0"
kubectl -n "$namespace" create secret generic redline-credentials \
  --from-literal=REDLINE_DATABASE_URL="$database_url" \
  --from-literal=REDLINE_SECRET_KEY="$(jq -r .REDLINE_SECRET_KEY <<<"$app")" \
  --from-literal=REDLINE_REDIS_URL="$redis_url" \
  --dry-run=client -o yaml | kubectl apply -f - >/dev/null

log "Redline $tag"
values="$(mktemp)"
trap 'rm -f "$values"' EXIT
get helm_values >"$values"
helm upgrade --install "$release" "$chart" --namespace "$namespace" \
  --values "$values" \
  --set image.tag="$tag" --set converterImage.tag="$tag" --set backupImage.tag="$tag" \
  --atomic --timeout 15m --wait
log "done: https://$(yq -r '.ingress.host' "$values" 2>/dev/null || echo "<your domain>")/ (DNS: CNAME to the ALB in 'kubectl -n $namespace get ingress')"
