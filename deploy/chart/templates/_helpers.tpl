{{/* The release's full name, at most 63 characters. */}}
{{- define "driftwarden.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "driftwarden.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "driftwarden.labels" -}}
{{ include "driftwarden.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "driftwarden.serviceAccountName" -}}
{{- default (include "driftwarden.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}

{{/* What the chart refuses before anything is rendered: a mode it does not know, several daemons on H2. */}}
{{- define "driftwarden.check" -}}
{{- if not (has .Values.mode (list "cronjob" "daemon")) -}}
{{- fail (printf "mode must be cronjob or daemon, not %q" .Values.mode) -}}
{{- end -}}
{{- if not (has .Values.audit.type (list "h2" "postgresql")) -}}
{{- fail (printf "audit.type must be h2 or postgresql, not %q" .Values.audit.type) -}}
{{- end -}}
{{- if and (eq .Values.mode "daemon") (gt (int .Values.daemon.replicas) 1) (ne .Values.audit.type "postgresql") -}}
{{- fail (printf "daemon.replicas is %d but audit.type is h2: an H2 file is opened by one process, so several daemons need audit.type=postgresql (their Quartz job store is clustered on it); set daemon.replicas=1 or use PostgreSQL" (int .Values.daemon.replicas)) -}}
{{- end -}}
{{- if and (eq .Values.audit.type "postgresql") (not .Values.audit.postgresql.url) -}}
{{- fail "audit.type is postgresql but audit.postgresql.url is empty (jdbc:postgresql://host:5432/db)" -}}
{{- end -}}
{{- if hasKey .Values.config "audit" -}}
{{- fail "config.audit is set from the chart's audit values: set audit.type and audit.postgresql (or audit.h2) instead" -}}
{{- end -}}
{{- if and (hasKey .Values.config "webhook") .Values.webhook.existingSecret -}}
{{- fail "config.webhook and webhook.existingSecret both configure the webhook: keep one" -}}
{{- end -}}
{{- end -}}

{{/* driftwarden.yaml: the config values, the audit store from the audit values, the webhook from its Secret. */}}
{{- define "driftwarden.config" -}}
{{- $config := deepCopy .Values.config -}}
{{- if eq .Values.audit.type "postgresql" -}}
{{- $_ := set $config "audit" (dict "url" .Values.audit.postgresql.url "username" .Values.audit.postgresql.username "passwordFrom" (printf "file:/secrets/audit-db/%s" .Values.audit.postgresql.passwordSecret.key)) -}}
{{- else -}}
{{- $_ := set $config "audit" (dict "url" "jdbc:h2:file:/data/audit") -}}
{{- end -}}
{{- with .Values.webhook -}}
{{- if and (eq $.Values.mode "daemon") .existingSecret -}}
{{- $webhook := dict "maxBodySize" .maxBodySize -}}
{{- if .github }}{{ $_ := set $webhook "githubSecretFrom" (printf "file:/secrets/webhook/%s" .github) }}{{ end -}}
{{- if .gitlab }}{{ $_ := set $webhook "gitlabTokenFrom" (printf "file:/secrets/webhook/%s" .gitlab) }}{{ end -}}
{{- if .hmac }}{{ $_ := set $webhook "hmacSecretFrom" (printf "file:/secrets/webhook/%s" .hmac) }}{{ end -}}
{{- $_ := set $config "webhook" $webhook -}}
{{- end -}}
{{- end -}}
{{- toYaml $config -}}
{{- end -}}

{{- define "driftwarden.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* The pod both modes run: non-root, read-only root, writable only /work (Git cache), /tmp and the H2 /data. */}}
{{- define "driftwarden.podSpec" -}}
serviceAccountName: {{ include "driftwarden.serviceAccountName" . }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
containers:
  - name: driftwarden
    image: {{ include "driftwarden.image" . }}
    imagePullPolicy: {{ .Values.image.pullPolicy }}
    {{- if eq .Values.mode "cronjob" }}
    args: ["run", "--config", "/config/driftwarden.yaml", "--trigger", "cronjob"]
    env:
      - name: JAVA_TOOL_OPTIONS
        value: {{ .Values.cronjob.javaToolOptions | quote }}
    {{- else }}
    args: ["schedule", "--config", "/config/driftwarden.yaml", "--port", "{{ .Values.daemon.port }}"]
    env:
      - name: JAVA_TOOL_OPTIONS
        value: {{ .Values.daemon.javaToolOptions | quote }}
    ports:
      - {name: http, containerPort: {{ .Values.daemon.port }}}
    livenessProbe:
      {{- toYaml .Values.daemon.livenessProbe | nindent 6 }}
    readinessProbe:
      {{- toYaml .Values.daemon.readinessProbe | nindent 6 }}
    startupProbe:
      {{- toYaml .Values.daemon.startupProbe | nindent 6 }}
    {{- end }}
    securityContext:
      {{- toYaml .Values.securityContext | nindent 6 }}
    resources:
      {{- toYaml .Values.resources | nindent 6 }}
    volumeMounts:
      - {name: config, mountPath: /config, readOnly: true}
      {{- if eq .Values.audit.type "postgresql" }}
      - {name: audit-db, mountPath: /secrets/audit-db, readOnly: true}
      {{- else }}
      - {name: data, mountPath: /data}
      {{- end }}
      {{- if and (eq .Values.mode "daemon") .Values.webhook.existingSecret }}
      - {name: webhook, mountPath: /secrets/webhook, readOnly: true}
      {{- end }}
      {{- range .Values.secretMounts }}
      - {name: {{ .name }}, mountPath: {{ .mountPath }}, readOnly: true}
      {{- end }}
      - {name: work, mountPath: /work}
      - {name: tmp, mountPath: /tmp}
volumes:
  - name: config
    configMap: {name: {{ include "driftwarden.fullname" . }}}
  {{- if eq .Values.audit.type "postgresql" }}
  - name: audit-db
    secret: {secretName: {{ .Values.audit.postgresql.passwordSecret.name }}}
  {{- else }}
  - name: data
    persistentVolumeClaim: {claimName: {{ default (printf "%s-data" (include "driftwarden.fullname" .)) .Values.audit.h2.persistence.existingClaim }}}
  {{- end }}
  {{- if and (eq .Values.mode "daemon") .Values.webhook.existingSecret }}
  - name: webhook
    secret: {secretName: {{ .Values.webhook.existingSecret }}}
  {{- end }}
  {{- range .Values.secretMounts }}
  - name: {{ .name }}
    secret: {secretName: {{ .secretName }}}
  {{- end }}
  - name: work
    emptyDir: {}
  - name: tmp
    emptyDir: {}
{{- end -}}
