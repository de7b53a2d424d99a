#!/usr/bin/env bash
# Starts the whole suite locally: the AWS sandbox on :4566, the backend on
# :7007 (SQLite in memory) and the frontend on :3000 with the local sign-in
# page. For local use only. Installs whatever is missing first.
set -euo pipefail
source "$(dirname "$0")/lib/toolchain.sh"
cd "$REPO_ROOT"

setup_toolchain

# The sandbox keeps its state across restarts in the git-ignored .sandbox/.
AWS_SANDBOX_STATE_FILE="$REPO_ROOT/.sandbox/state.json" \
  yarn workspace @ml-governance/aws-sandbox start &
sandbox=$!
trap 'kill $sandbox 2>/dev/null || true' EXIT

# integration-aws-node assumes roles through STS: the sandbox's, locally. The
# SQS events module reads the sandbox's queue as the tooling account.
export AWS_ENDPOINT_URL_STS=http://localhost:4566
export AWS_ACCESS_KEY_ID=999999999999 AWS_SECRET_ACCESS_KEY=sandbox AWS_REGION=us-east-1
log "backend: http://localhost:7007, frontend: http://localhost:3000"
yarn backstage-cli repo start
