# Terraform: deploy, and the static checks `make test` runs (tests/test_terraform.py).
# checkov pins packaging<24 and ships its own hcl2 module, so it lives in its own venv.
TF := TF_CLI_CONFIG_FILE=$${TF_CLI_CONFIG_FILE:-/dev/null} terraform -chdir=terraform
INSTALL_TARGETS += .venv-checkov/.installed

.venv-checkov/.installed: requirements-checkov.txt
	test -x .venv-checkov/bin/python || $(PYTHON) -m venv .venv-checkov
	.venv-checkov/bin/pip install -q --disable-pip-version-check -r requirements-checkov.txt
	touch $@

.PHONY: plan deploy destroy validate tf-check
plan: build ## terraform plan (needs terraform/terraform.tfvars and gcloud credentials)
	$(TF) init -input=false
	$(TF) plan -input=false -out=tfplan

deploy: build ## Build the bundles and apply
	$(TF) init -input=false
	$(TF) apply -input=false

destroy: ## terraform destroy (Firestore is kept: delete protection)
	$(TF) destroy -input=false

validate: ## terraform init + validate (on a machine that can download providers)
	$(TF) init -input=false -backend=false
	$(TF) validate

tf-check: install ## fmt + consistency + checkov (what make test runs)
	$(BIN)/python -m pytest -q tests/test_terraform.py
