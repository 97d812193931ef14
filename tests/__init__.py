"""Tests by kind: unit/ (no servers), http/ (the Firestore emulator, real HTTP servers), e2e/
(browser and whole stack); tests/test_terraform*.py check terraform/. Helpers: helpers.py."""
