#!/usr/bin/env bash
# README set-up command 1: install, build, and run the demo against a local AWS emulator (scripts/demo.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
# The Jsonnet native addon builds against Node's own headers when they are installed (no download needed).
node_prefix="$(dirname "$(dirname "$(command -v node)")")"
if [ -z "${npm_config_nodedir:-}" ] && [ -f "$node_prefix/include/node/node.h" ]; then export npm_config_nodedir="$node_prefix"; fi
npm ci --no-audit --no-fund
node dist/scripts/demo.js
