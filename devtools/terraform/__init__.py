"""Offline checks of terraform/ (the google provider cannot be downloaded on these machines).

- `hcl`: the .tf files read with python-hcl2, and lookups over them.
- `code_facts` + `consistency`: Terraform compared with the code (functions, env vars, secrets,
  TTL, routes, IAM allowlist).
- `schema` (+ the vendored `schema/*.json`, refreshed by `refresh_schema` from the pinned
  provider packages through `jsii_schema`): every type, argument and block against the
  provider's schema.
- `order`: the apply order (API enablement and IAM grants before what needs them).
- `versions`: Terraform version constraints.

Imports python-hcl2 (requirements-dev.txt) and, for the consistency check, the code's settings;
nothing here is deployed. The unit tests are tests/unit/test_terraform_*.py.
"""
