#!/usr/bin/env bash
# Installs the manifest validator's npm packages from package-lock.json (npm ci), once: skipped
# while node_modules/.package-lock.json is newer than the lock file. Called by src/pom.xml.
set -euo pipefail
cd "$(dirname "$0")"
# renovate.json's schema (RenovateConfigTest), a pinned download of its own
bash renovate-schema.sh
if [[ -f node_modules/.package-lock.json && ! package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "manifest validator: up to date"
  exit 0
fi
echo "manifest validator: npm ci (from src/test/node/package-lock.json)"
npm ci --no-audit --no-fund --loglevel=error
