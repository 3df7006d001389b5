#!/usr/bin/env bash
# selftest.sh - prove the real-Linux-host harness works, with no jnvmet
# involved: the guest kernel's own NVMe target (nvmet) is configured inside the
# guest and exercised with nvme-cli and fio over NVMe/TCP on the guest's
# 127.0.0.1; the slirp path 10.0.2.2 -> this machine's 127.0.0.1, an emulated
# PCI NVMe controller, the virtio-9p host root + JVM, exit code / stderr
# propagation, the dmesg check and the timeout are checked too.
# Last line: "N passed, M failed"; exit status non-zero on any failure.
#
# Environment: JNVMET_SKIP_PREPARE=1 skips running prepare.sh first;
# SELFTEST_KEEP=1 keeps the work dir (logs of every guest run).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUN="$HERE/run-guest.sh"
PASSED=0 FAILED=0 SKIPPED=0
pass() { PASSED=$((PASSED + 1)); echo "PASS: $*"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL: $*"; }
skip() { SKIPPED=$((SKIPPED + 1)); echo "SKIP: $*"; }
now() { date +%s.%N; }
since() { awk -v s="$1" -v e="$(now)" 'BEGIN {printf "%.1f", e - s}'; }

T0="$(now)"
if [[ "${JNVMET_SKIP_PREPARE:-0}" != 1 ]]; then
  t="$(now)"
  "$HERE/prepare.sh"
  echo "INFO: prepare.sh took $(since "$t")s"
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/jnvmet-selftest.XXXXXX")"
HTTPD_PID=""
cleanup() {
  [[ -n "$HTTPD_PID" ]] && kill "$HTTPD_PID" 2>/dev/null
  if [[ "${SELFTEST_KEEP:-0}" == 1 ]]; then echo "INFO: logs kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# ---- a tiny listener on this machine's 127.0.0.1 (guest sees it as 10.0.2.2)
TOKEN="jnvmet-selftest-$RANDOM$RANDOM"
mkdir -p "$WORK/www"
printf '%s' "$TOKEN" >"$WORK/www/token.txt"
HTTP_PORT=""
for _ in 1 2 3 4 5 6 7 8 9 10; do
  port=$((20000 + RANDOM % 20000))
  busybox httpd -f -p "127.0.0.1:$port" -h "$WORK/www" 2>/dev/null &
  HTTPD_PID=$!
  sleep 0.2
  if kill -0 "$HTTPD_PID" 2>/dev/null; then HTTP_PORT=$port; break; fi
  HTTPD_PID=""
done
if [[ -n "$HTTP_PORT" ]] &&
  [[ "$(timeout 10 busybox wget -q -O - "http://127.0.0.1:$HTTP_PORT/token.txt")" == "$TOKEN" ]]; then
  pass "host listener on 127.0.0.1:$HTTP_PORT"
else
  fail "host listener on 127.0.0.1 (busybox httpd)"
  HTTP_PORT=1
fi

# ---- run 1: everything inside one guest ------------------------------------
head -c 65536 /dev/urandom >"$WORK/payload.bin"
PAYLOAD_SHA256="$(sha256sum "$WORK/payload.bin" | cut -d' ' -f1)"
PCI_SERIAL=JNVMETSELFTEST01
truncate -s 64M "$WORK/pci.img"
HOSTFS_ARGS=() WANT_JAVA=0
if command -v java >/dev/null 2>&1; then
  HOSTFS_ARGS=(--hostfs) WANT_JAVA=1
fi

t="$(now)"
rc=0
"$RUN" --quiet --timeout 400 --out "$WORK/main" --fail-on-dmesg \
  -e "HTTP_PORT=$HTTP_PORT" -e "TOKEN=$TOKEN" -e "PAYLOAD_SHA256=$PAYLOAD_SHA256" \
  -e "PCI_SERIAL=$PCI_SERIAL" -e "WANT_JAVA=$WANT_JAVA" \
  -f "$WORK/payload.bin" --nvme "$WORK/pci.img:$PCI_SERIAL" "${HOSTFS_ARGS[@]+"${HOSTFS_ARGS[@]}"}" \
  "$HERE/jobs/selftest-guest.sh" || rc=$?
echo "INFO: main guest run took $(since "$t")s (exit $rc)"
# the guest's own checks
while IFS= read -r line; do
  case "$line" in
    "PASS: "*) pass "guest: ${line#PASS: }" ;;
    "FAIL: "*) fail "guest: ${line#FAIL: }" ;;
    "SKIP: "*) skip "guest: ${line#SKIP: }" ;;
    *) echo "$line" ;;
  esac
done <"$WORK/main/stdout"
[[ -s "$WORK/main/stderr" ]] && sed 's/^/guest stderr: /' "$WORK/main/stderr" | tail -n 20
if [[ $rc -eq 0 ]]; then pass "main guest run exit 0 (dmesg clean of nvme warnings/errors)"; else
  fail "main guest run exit $rc"
  tail -n 30 "$WORK/main/console.log" 2>/dev/null | sed 's/^/console: /'
  grep -aE '^<[0-4]>' "$WORK/main/dmesg.log" 2>/dev/null | tail -n 20 | sed 's/^/dmesg: /'
fi
if [[ "$(head -c ${#TOKEN} "$WORK/pci.img")" == "$TOKEN" ]]; then
  pass "guest write to the emulated PCI NVMe namespace landed in the host image"
else
  fail "token not found at the start of the emulated NVMe image"
fi

# ---- run 2: exit code, stdout and stderr come back separately --------------
cat >"$WORK/exit7.sh" <<'EOF'
#!/bin/sh
echo "out-$TOKEN"
echo "err-$TOKEN" >&2
exit 7
EOF
t="$(now)"
rc=0
"$RUN" --quiet --timeout 120 --out "$WORK/exit7" -e "TOKEN=$TOKEN" "$WORK/exit7.sh" 2>/dev/null || rc=$?
echo "INFO: exit-code guest run took $(since "$t")s"
if [[ $rc -eq 7 ]]; then pass "job exit code 7 propagated"; else fail "job exit code: want 7, got $rc"; fi
if [[ "$(cat "$WORK/exit7/stdout")" == "out-$TOKEN" && "$(cat "$WORK/exit7/stderr")" == "err-$TOKEN" ]]; then
  pass "job stdout and stderr returned separately"
else
  fail "job stdout/stderr mismatch"
fi

# ---- run 3: --fail-on-dmesg catches an nvme warning -------------------------
cat >"$WORK/dmesg.sh" <<'EOF'
#!/bin/sh
echo "<4>nvme nvme9: selftest injected warning" >/dev/kmsg
EOF
t="$(now)"
rc=0
"$RUN" --quiet --timeout 120 --out "$WORK/dmesg" --fail-on-dmesg "$WORK/dmesg.sh" 2>"$WORK/dmesg.err" || rc=$?
echo "INFO: dmesg-check guest run took $(since "$t")s"
if [[ $rc -eq 126 ]] && grep -q 'selftest injected warning' "$WORK/dmesg.err"; then
  pass "--fail-on-dmesg reports an nvme warning (exit 126)"
else
  fail "--fail-on-dmesg: want exit 126, got $rc"
fi

# ---- run 4: the timeout bounds a run ---------------------------------------
printf '#!/bin/sh\nsleep 600\n' >"$WORK/hang.sh"
t="$(now)"
rc=0
"$RUN" --quiet --timeout 3 --out "$WORK/hang" "$WORK/hang.sh" 2>"$WORK/hang.err" || rc=$?
el="$(since "$t")"
echo "INFO: timeout guest run took ${el}s"
if [[ $rc -eq 124 ]] && grep -q TIMEOUT "$WORK/hang.err" && awk -v e="$el" 'BEGIN {exit !(e < 20)}'; then
  pass "--timeout 3 stops a hung guest (exit 124, ${el}s)"
else
  fail "--timeout: want exit 124 within 20 s, got $rc after ${el}s"
fi

echo "INFO: selftest took $(since "$T0")s"
if [[ $SKIPPED -gt 0 ]]; then
  echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
else
  echo "$PASSED passed, $FAILED failed"
fi
[[ $FAILED -eq 0 ]]
