# Web kit + demo page: npm packages (lockfile), and Debian's chromium for the browser test
# (browser downloads do not work on our machines; Playwright drives the system chromium).
INSTALL_TARGETS += web-install chromium-install

.PHONY: web-install chromium-install web-test demo
web-install: web/node_modules/.installed ## npm ci in web/ (again only when the lockfile changes)

web/node_modules/.installed: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --silent
	touch $@

chromium-install: ## Debian's chromium for the browser test, unless it is already there
	@test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

web-test: web-install ## The web kit's unit tests (node --test)
	cd web && npm test

demo: install ## Only the demo page, in front of functions already running on 8081/8082
	$(BIN)/python -m devtools.demo_server
