#!/usr/bin/env bash
# Runs the contracts' forge tests offline, compiling with the npm solc through tools/solc-shim.mjs
# (forge cannot download solc on machines without internet). Extra arguments go to `forge test`,
# e.g. `contracts/tools/forge-test.sh --gas-report` or `--match-contract Ledger`.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
contracts="$(dirname "$here")"
root="$(dirname "$contracts")"

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) platform=linux-amd64 ;;
  Linux-aarch64) platform=linux-arm64 ;;
  Darwin-arm64) platform=darwin-arm64 ;;
  Darwin-x86_64) platform=darwin-amd64 ;;
  *) echo "forge-test.sh: unsupported platform $(uname -s)-$(uname -m)" >&2; exit 1 ;;
esac
forge="$root/node_modules/@foundry-rs/forge-$platform/bin/forge"
if [ ! -x "$forge" ]; then
  echo "forge-test.sh: $forge is missing; run npm ci first" >&2
  exit 1
fi

cd "$contracts"
exec "$forge" test --offline --use "$here/solc-shim.mjs" "$@"
