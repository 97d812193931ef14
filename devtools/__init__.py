"""Developer tooling (not deployed): emulator and process management, bundles, OpenAPI."""
