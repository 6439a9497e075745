{{/* Chart name, truncated to a DNS label. */}}
{{- define "redline.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
Fully qualified app name. Component names are appended to it (<fullname>-api, -converter, ...),
so no Service is ever named plain "redline", "redis" or "postgres": Kubernetes service-link
variables (REDIS_PORT=tcp://...) could otherwise collide with what a program reads. Pods also set
enableServiceLinks: false, and Redline reads only REDLINE_* / AWS_* variables.
*/}}
{{- define "redline.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "redline.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "redline.labels" -}}
helm.sh/chart: {{ include "redline.chart" . }}
{{ include "redline.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: redline
{{- end -}}

{{- define "redline.selectorLabels" -}}
app.kubernetes.io/name: {{ include "redline.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Labels of one component: (dict "ctx" $ "component" "api") */}}
{{- define "redline.componentLabels" -}}
{{ include "redline.labels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "redline.componentSelector" -}}
{{ include "redline.selectorLabels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "redline.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "redline.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* image reference: (dict "image" .Values.image "ctx" $) */}}
{{- define "redline.image" -}}
{{- if .image.digest -}}
{{- printf "%s@%s" .image.repository .image.digest -}}
{{- else -}}
{{- printf "%s:%s" .image.repository (default .ctx.Chart.AppVersion .image.tag) -}}
{{- end -}}
{{- end -}}

{{- define "redline.secretName" -}}
{{- default (printf "%s-secrets" (include "redline.fullname" .)) .Values.secrets.existingSecret -}}
{{- end -}}

{{- define "redline.configMapName" -}}
{{- printf "%s-config" (include "redline.fullname" .) -}}
{{- end -}}

{{- define "redline.converterServiceName" -}}
{{- printf "%s-converter" (include "redline.fullname" .) -}}
{{- end -}}

{{- define "redline.devServiceName" -}}
{{- printf "%s-dev-%s" (include "redline.fullname" .ctx) .name -}}
{{- end -}}

{{/* The database URL the chart writes into its own Secret. */}}
{{- define "redline.databaseUrl" -}}
{{- if .Values.devBundled.enabled -}}
{{- printf "postgres://redline:redline@%s:5432/redline?sslmode=disable" (include "redline.devServiceName" (dict "ctx" . "name" "postgresql")) -}}
{{- else -}}
{{- required "secrets.databaseUrl (or secrets.existingSecret) is required: production uses RDS, see docs/operations.md" .Values.secrets.databaseUrl -}}
{{- end -}}
{{- end -}}

{{- define "redline.redisUrl" -}}
{{- if .Values.devBundled.enabled -}}
{{- printf "redis://%s:6379/0" (include "redline.devServiceName" (dict "ctx" . "name" "valkey")) -}}
{{- else -}}
{{- .Values.secrets.redisUrl -}}
{{- end -}}
{{- end -}}

{{- define "redline.storageUrl" -}}
{{- if .Values.devBundled.enabled -}}
{{- default (printf "s3://%s/documents" .Values.devBundled.s3.bucket) .Values.config.storageUrl -}}
{{- else -}}
{{- required "config.storageUrl (s3://bucket/prefix) is required: see terraform output documents_storage_url" .Values.config.storageUrl -}}
{{- end -}}
{{- end -}}

{{/*
Secret-backed variables, by reference. Required keys are not optional, so a missing key is caught
at install (see secret-check below and the migration hook that uses the same references) rather
than leaving pods in CreateContainerConfigError. Arguments: (dict "ctx" $ "secret" NAME)
*/}}
{{- define "redline.secretEnv" -}}
- name: REDLINE_DATABASE_URL
  valueFrom:
    secretKeyRef: {name: {{ .secret }}, key: REDLINE_DATABASE_URL}
- name: REDLINE_SECRET_KEY
  valueFrom:
    secretKeyRef: {name: {{ .secret }}, key: REDLINE_SECRET_KEY}
- name: REDLINE_REDIS_URL
  valueFrom:
    secretKeyRef: {name: {{ .secret }}, key: REDLINE_REDIS_URL, optional: true}
- name: AWS_ACCESS_KEY_ID
  valueFrom:
    secretKeyRef: {name: {{ .secret }}, key: AWS_ACCESS_KEY_ID, optional: true}
- name: AWS_SECRET_ACCESS_KEY
  valueFrom:
    secretKeyRef: {name: {{ .secret }}, key: AWS_SECRET_ACCESS_KEY, optional: true}
{{- end -}}

{{/* Pod-level settings shared by every Redline pod. */}}
{{- define "redline.podCommon" -}}
enableServiceLinks: false
automountServiceAccountToken: false
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- end -}}

{{- define "redline.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpVolume.sizeLimit }}
{{- end -}}

{{- define "redline.tmpMount" -}}
- name: tmp
  mountPath: /tmp
{{- end -}}

{{/* checkov skips that apply to every Redline workload, with the reason. */}}
{{- define "redline.checkovSkips" -}}
checkov.io/skip1: CKV_K8S_35=Redline reads configuration only from REDLINE_* environment variables (12-factor); secrets come from a Secret via secretKeyRef, never from the ConfigMap
checkov.io/skip2: CKV_K8S_43=Images are pinned by tag by default; set image.digest to pin by digest (CI deploys pass the digest it pushed)
{{- end -}}
