#!/usr/bin/env bash
# Before `terraform apply`: every secret Terraform created for chart-control must have the
# version its function is pinned to (label pinned_version, from var.secret_versions), enabled.
# A missing one would fail the function deploy half-way; this fails first and says what to run.
# Usage: check-secret-versions.sh PROJECT_ID
set -euo pipefail

project="${1:-}"
if [[ -z "$project" ]]; then
  echo "usage: $0 PROJECT_ID (make deploy reads it from terraform/terraform.tfvars)" >&2
  exit 2
fi
command -v gcloud >/dev/null || { echo "gcloud not found: install the Google Cloud CLI" >&2; exit 2; }

secrets="$(gcloud secrets list --project "$project" --filter 'labels.app=chart-control' \
  --format 'value(name.basename(),labels.pinned_version)')"
if [[ -z "$secrets" ]]; then
  echo "no chart-control secrets in project $project: run make deploy (it creates them first)" >&2
  exit 1
fi

missing=0
while read -r name version; do
  [[ -n "$name" ]] || continue
  version="${version:-1}"
  state="$(gcloud secrets versions describe "$version" --secret "$name" --project "$project" \
    --format 'value(state)' 2>/dev/null || true)"
  if [[ "$state" == "ENABLED" ]]; then
    echo "ok       $name version $version"
  else
    echo "MISSING  $name version $version (${state:-does not exist})"
    missing=1
  fi
done <<<"$secrets"

if ((missing)); then
  cat >&2 <<MSG

Add the value of each missing secret (the first one added becomes version 1), then run
make deploy again:
  printf '%s' "\$VALUE" | gcloud secrets versions add NAME --project $project --data-file=-
CHART_ACTION_TOKEN is any long random string the agent sends as its bearer token, e.g.
  openssl rand -hex 32
If you added versions and want another than 1, set secret_versions in terraform.tfvars.
MSG
  exit 1
fi
