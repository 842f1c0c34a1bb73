#!/usr/bin/env bash
# `npm run conformance:install`: the real-client dependencies, with librdkafka built from the
# sources bundled in @confluentinc/kafka-javascript (CKJS_LINKING=dynamic) using at most two
# compiler jobs. Its build calls `make -j` with no limit, which on a two-core machine starts dozens
# of compilers at once. npm rebuilds PATH for install scripts (a `make` shim put first on PATH
# does not reach them), so the packages are installed without scripts and the native build is
# then run here, with ./make (which turns any -j into -j2) first on PATH.
set -euo pipefail
tools="$(cd "$(dirname "$0")" && pwd)"
cd "$tools/.."
npm ci --no-audit --no-fund --ignore-scripts
npm rebuild koffi --no-audit --no-fund
cd node_modules/@confluentinc/kafka-javascript
PATH="$tools:$PATH" \
  CKJS_LINKING=dynamic \
  npm_config_nodedir="$(npm config get nodedir)" \
  npm_config_node_gyp="$(npm config get node-gyp)" \
  node ../../@mapbox/node-pre-gyp/bin/node-pre-gyp install --fallback-to-build
