#!/usr/bin/env bash
# Downloads renovate-schema.json, the JSON schema of Renovate's configuration, from the renovate
# npm package at a pinned version and integrity (RenovateConfigTest validates renovate.json with it).
# Renovate's own renovate-config-validator needs Node >= 24.11 (`npm view renovate engines`) and
# ~1,000 packages; the schema is one file of the same release. Once: kept in .downloads/.
# Called by install.sh; a failed download only warns (the test then says why it is skipped, and
# fails under CI=true).
set -euo pipefail
cd "$(dirname "$0")"
version=44.121.2
# `npm view renovate@44.121.2 dist.integrity`: the sha512 of the package tarball
integrity=sha512-gNsY+POw2UN3B4e8x0B5UK3onH1qF7wMirKGaUnJcSx3+xEWH4n35RS4rvVEtTIIV/BoZoFbsIo7njTb9Mydxg==
dest=.downloads/renovate-$version
[[ -f $dest/renovate-schema.json ]] && { echo "renovate schema: up to date ($version)"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "renovate schema: npm pack renovate@$version"
if ! (cd "$tmp" && npm pack "renovate@$version" --silent --loglevel=error >/dev/null); then
  echo "renovate schema: WARNING: npm pack renovate@$version failed; RenovateConfigTest will be skipped" >&2
  exit 0
fi
actual="sha512-$(openssl dgst -sha512 -binary "$tmp/renovate-$version.tgz" | base64 -w0)"
if [[ $actual != "$integrity" ]]; then
  echo "renovate schema: renovate-$version.tgz has $actual, expected $integrity" >&2
  exit 1
fi
tar -xzf "$tmp/renovate-$version.tgz" -C "$tmp" package/renovate-schema.json
mkdir -p "$dest"
mv "$tmp/package/renovate-schema.json" "$dest/renovate-schema.json"
echo "renovate schema: $dest/renovate-schema.json"
