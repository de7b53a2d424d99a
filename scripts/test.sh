#!/usr/bin/env bash
# Runs every test: release check, lint, type-check, build, unit and database tests of
# every package (SQLite and PostgreSQL), the backend boot test and the browser
# tests. Installs whatever is missing first.
set -euo pipefail
source "$(dirname "$0")/lib/toolchain.sh"
source "$(dirname "$0")/lib/services.sh"
cd "$REPO_ROOT"

started=$(date +%s)
step() { log "== $*"; }

ensure_node
ensure_yarn

# Before installing, so a package moved off the release is named here rather
# than refused by `yarn install --immutable`.
step "one Backstage release"
node --test scripts/*.test.mjs
node scripts/backstage-versions.mjs

ensure_dependencies
ensure_postgres
ensure_chromium

step "lint and formatting"
yarn backstage-cli repo lint
yarn prettier --check . >/dev/null || { yarn prettier --list-different .; exit 1; }

step "type-check"
yarn tsc

# After the type-check: the reports are read from its dist-types.
step "API reports"
yarn test:api-reports

step "package metadata, function length"
yarn backstage-cli repo fix --publish --check
node scripts/long-functions.mjs plugins/ml-registry-backend/src \
  plugins/scaffolder-ml-actions/src packages/aws-sandbox/src/server.ts \
  packages/aws-sandbox/src/contract packages/aws-sandbox/src/services

step "build every package"
yarn backstage-cli repo build --all >/dev/null

# Both pack the dist just built; not in parallel: each rewrites the plugins' package.json while packing.
step "fresh-app install test"
node scripts/fresh-app-test.mjs --prebuilt

step "Red Hat Developer Hub dynamic plugins test"
node scripts/dynamic-plugins-test.mjs --prebuilt

step "unit and database tests"
CI=true yarn backstage-cli repo test

step "backend boot test"
node scripts/boot-test.mjs

step "fault test"
node scripts/fault-test.mjs

step "browser tests"
CI=true yarn playwright test

log "all tests passed in $(( $(date +%s) - started ))s"
