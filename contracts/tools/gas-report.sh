#!/usr/bin/env bash
# Writes contracts/gas-report.txt: forge's per-function gas table for the unit and fuzz tests.
# Invariant runs are left out (their random call mixes would skew the averages), and so is
# test_GasTargets: gas reports run each call as its own transaction, which its in-test gasleft()
# accounting does not expect.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$here/forge-test.sh" --gas-report --no-match-path 'test/invariant/*' --no-match-test test_GasTargets \
  | sed -n '/^╭/,$p' > "$here/../gas-report.txt"
echo "wrote $(cd "$here/.." && pwd)/gas-report.txt"
