#!/usr/bin/env bash
# Entry point of `mvn verify` for the real-Linux-host suites: prepare the guest once, then run every suite and
# fail if any failed. Each suite prints its own "N passed, M failed" line.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")" || exit 1
./prepare.sh || { echo "linux-host: prepare.sh failed"; exit 1; }
export JNVMET_SKIP_PREPARE=1
rc=0
for suite in interop.sh passthru.sh default-config.sh; do
    [[ -x $suite ]] || continue
    echo "=== linux-host: $suite"
    ./"$suite" || rc=1
done
exit $rc
