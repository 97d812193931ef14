# Web kit + demo page: npm packages (lockfile), and Debian's chromium for the browser test
# (browser downloads do not work on our machines; Playwright drives the system chromium).
INSTALL_TARGETS += web/node_modules/.installed chromium-install

web/node_modules/.installed: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --silent
	touch $@

.PHONY: chromium-install web-test
chromium-install:
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

web-test: install ## The web kit's unit tests (node --test)
	cd web && npm test
