{{/* The chart name, overridable. */}}
{{- define "gatehouse.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The resource name prefix: <release>-gatehouse, or the release name when it contains the chart name. */}}
{{- define "gatehouse.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "gatehouse.admin.fullname" -}}
{{- printf "%s-admin" (include "gatehouse.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "gatehouse.auth.fullname" -}}
{{- printf "%s-auth" (include "gatehouse.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "gatehouse.secretName" -}}
{{- default (include "gatehouse.fullname" .) .Values.secrets.existingSecret -}}
{{- end -}}

{{- define "gatehouse.middlewareName" -}}
{{- default (printf "%s-forward-auth" (include "gatehouse.fullname" .)) .Values.middleware.name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels on every resource. */}}
{{- define "gatehouse.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "gatehouse.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: gatehouse
{{- end -}}

{{/* Selector labels of one component; call with (dict "ctx" $ "component" "auth"). */}}
{{- define "gatehouse.selectorLabels" -}}
app.kubernetes.io/name: {{ include "gatehouse.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* The image of one component; call with (dict "ctx" $ "image" .Values.auth.image). */}}
{{- define "gatehouse.image" -}}
{{- printf "%s:%s" .image.repository (default .ctx.Chart.AppVersion .image.tag) -}}
{{- end -}}

{{/* The JDBC URL of the external PostgreSQL. */}}
{{- define "gatehouse.jdbcUrl" -}}
{{- $pg := .Values.postgres -}}
{{- printf "jdbc:postgresql://%s:%v/%s" (required "postgres.host is required" $pg.host) $pg.port (required "postgres.database is required" $pg.database) -}}
{{- if $pg.jdbcParams }}?{{ $pg.jdbcParams }}{{ end -}}
{{- end -}}

{{/* Environment shared by both services: Redis, the Redis namespace, PostgreSQL's URL. */}}
{{- define "gatehouse.commonEnv" -}}
- name: SPRING_DATASOURCE_URL
  value: {{ include "gatehouse.jdbcUrl" . | quote }}
- name: SPRING_DATA_REDIS_HOST
  value: {{ required "redis.host is required" .Values.redis.host | quote }}
- name: SPRING_DATA_REDIS_PORT
  value: {{ .Values.redis.port | quote }}
{{- with .Values.redis.username }}
- name: SPRING_DATA_REDIS_USERNAME
  value: {{ . | quote }}
{{- end }}
- name: SPRING_DATA_REDIS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "gatehouse.secretName" . }}
      key: {{ .Values.secrets.keys.redisPassword }}
      optional: true
- name: GATEHOUSE_NAMESPACE
  value: {{ required "namespace (the Redis namespace) is required" .Values.namespace | quote }}
{{- end -}}

{{/*
The container securityContext: non-root (the image's uid 10001), read-only root filesystem (the JVM
writes only to /tmp, an emptyDir), no capabilities, the runtime's default seccomp profile.
*/}}
{{- define "gatehouse.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "gatehouse.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end -}}
