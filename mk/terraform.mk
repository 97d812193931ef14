# Terraform: deploy (plan, deploy, destroy; validate where providers can be downloaded) and the
# offline checks (tf-check; `make test` runs the same through tests/unit/test_terraform_*.py:
# consistency with the code, the providers' schemas, the apply order, checkov, fmt). tf-schema
# refreshes the vendored schema subsets from the pinned provider packages (needs PyPI).
# Guide: docs/deploy.md. checkov pins packaging<24 and ships its own hcl2 module, which clash
# with python-hcl2 in .venv, so it lives in its own venv.
TF_DIR := terraform
TF := terraform -chdir=$(TF_DIR)
# fmt reads no CLI configuration (this also silences a TF_CLI_CONFIG_FILE naming a missing file).
TF_FMT := TF_CLI_CONFIG_FILE=/dev/null terraform fmt
# gcloud needs the project for the secret check: terraform.tfvars, else TF_VAR_project_id.
TF_PROJECT ?= $(or $(shell sed -n 's/^[[:space:]]*project_id[[:space:]]*=[[:space:]]*"\([^"]*\)".*/\1/p' $(TF_DIR)/terraform.tfvars 2>/dev/null | head -n1),$(TF_VAR_project_id))
# e.g. TF_APPLY_FLAGS=-auto-approve in a pipeline that reviewed `make plan`.
TF_APPLY_FLAGS ?=
CHECKOV_VENV := .venv-checkov
CHECKOV := $(CHECKOV_VENV)/bin/checkov --skip-download --quiet --compact --framework terraform --directory $(TF_DIR)

INSTALL_TARGETS += $(CHECKOV_VENV)/.installed

$(CHECKOV_VENV)/.installed: requirements-checkov.txt
	test -x $(CHECKOV_VENV)/bin/python || $(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install -q --disable-pip-version-check -r requirements-checkov.txt
	touch $@

.PHONY: plan deploy destroy validate tf-check tf-init tf-secrets tf-schema

tf-init:
	$(TF) init -input=false

plan: build tf-init ## terraform plan -> terraform/tfplan (needs terraform.tfvars, gcloud credentials)
	$(TF) plan -input=false -out=tfplan

tf-secrets: tf-init ## Create only the (empty) secrets and the APIs they need, to add their values first
	$(TF) apply -input=false -target=google_secret_manager_secret.secret $(TF_APPLY_FLAGS)

deploy: build tf-secrets ## Build bundles, create secrets, check their versions, terraform apply
	$(TF_DIR)/scripts/check-secret-versions.sh "$(TF_PROJECT)"
	$(TF) apply -input=false $(TF_APPLY_FLAGS)

destroy: tf-init ## terraform destroy (the Firestore database and its data stay)
	$(TF) destroy -input=false

validate: ## terraform init + validate (where the google provider can be downloaded)
	$(TF) init -input=false -backend=false
	$(TF) validate

tf-schema: ## Refresh devtools/terraform/schema/ from the pinned provider packages (downloads them)
	$(BIN)/python -m devtools.terraform.refresh_schema

tf-check: install ## terraform fmt -check, checkov, schema, apply order and consistency tests
	$(TF_FMT) -check -recursive -diff $(TF_DIR)
	$(CHECKOV)
	$(BIN)/python -m pytest -q tests/unit/test_terraform_*.py
