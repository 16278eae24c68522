#!/usr/bin/env bash
# Generates the Java sources of one binding (cdktf itself or a cdktf provider) from its
# prebuilt jsii package on npm (pinned in the root package.json / package-lock.json).
#   usage: generate.sh <npm package> <output dir> <expected npm version> [<submodule>...]
# With submodules (one argument, separated by any whitespace), only those are generated: the
# package is first trimmed to them by trim-package.js (why: see there).
# Cached: skipped when <output dir>/.stamp matches the inputs (lock file, scripts, version, submodules),
# so a warm build never regenerates. Maven calls this from bindings/<provider>/pom.xml.
set -euo pipefail
package=$1
out=$2
version=$3
# the pom's list may span lines; read -a alone would stop at the first newline
read -r -a submodules <<<"$(tr -s '[:space:]' ' ' <<<"${4:-}")"
name=${package#@cdktf/provider-}
root=$(cd "$(dirname "$0")/.." && pwd)
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 CHECKPOINT_DISABLE=1

# the expected version is part of the stamp: a pom version edit alone still reaches the check below
stamp=$({ cat "$root/package-lock.json" "$0" "$root/bindings/trim-package.js"; echo "$version ${submodules[*]}"; } \
  | sha256sum | cut -d' ' -f1)
# node_modules must match the lock file; npm ci is the only install step (no floating versions).
# Checked before the stamp: the bindings can be up to date while node_modules is gone (rm -rf
# node_modules), and the cdktf CLI and the jsii kernel at synth time need it too.
# The lock makes npm write .package-lock.json; its absence or age means "install again".
if [[ ! -f "$root/node_modules/.package-lock.json" || "$root/package-lock.json" -nt "$root/node_modules/.package-lock.json" ]]; then
  # flock: the four binding modules may run in parallel (mvn -T); only one installs
  ( flock 9
    if [[ ! -f "$root/node_modules/.package-lock.json" || "$root/package-lock.json" -nt "$root/node_modules/.package-lock.json" ]]; then
      echo "bindings: npm ci (from package-lock.json)"
      (cd "$root" && npm ci --no-audit --no-fund --loglevel=error)
    fi
  ) 9>"$root/.npm-ci.lock"
fi

if [[ -f "$out/.stamp" && "$(cat "$out/.stamp")" == "$stamp" ]]; then
  echo "bindings/$name: up to date ($out)"
  exit 0
fi

pkg="$root/node_modules/$package"
[[ -f "$pkg/.jsii" ]] || { echo "bindings/$name: $pkg/.jsii missing (npm ci failed?)" >&2; exit 1; }
found=$(node -p "require('$pkg/package.json').version")
if [[ "$found" != "$version" ]]; then
  echo "bindings/$name: package.json pins $package $found but bindings/$name/pom.xml says $version; make them equal" >&2
  exit 1
fi

rm -rf "$out"
mkdir -p "$out"
if [[ ${#submodules[@]} -gt 0 ]]; then
  # next to the output (not in node_modules); pacmak resolves cdktf/constructs from the root
  trimmed="$(dirname "$out")/trimmed-package"
  node "$root/bindings/trim-package.js" "$pkg" "$trimmed" "${submodules[@]}"
  pkg=$trimmed
fi
echo "bindings/$name: generating Java sources with jsii-pacmak"
# -o outside node_modules, else pacmak writes into the package folder; --code-only because
# Maven compiles the sources (pacmak's own Maven run takes minutes and builds javadoc jars)
(cd "$root" && npx --no-install jsii-pacmak --targets java --code-only -o "$out" "$pkg")
echo "$stamp" > "$out/.stamp"
