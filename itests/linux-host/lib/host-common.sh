# shellcheck shell=bash
# lib/host-common.sh - helpers shared by the host side of the linux-host suites
# (interop.sh, passthru.sh, default-config.sh). Sourced, not run.
#
# The sourcing script sets SUITE (the name in the "took" line of summary) and
# WORK before it calls the helpers that use them.

LINUX_HOST_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# ---- counters, verdict lines, timing ------------------------------------------
PASSED=0 FAILED=0 SKIPPED=0
pass() { PASSED=$((PASSED + 1)); echo "PASS: $*"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL: $*"; }
skip() { SKIPPED=$((SKIPPED + 1)); echo "SKIP: $*"; }
now() { date +%s.%N; }
since() { awk -v s="$1" -v e="$(now)" 'BEGIN {printf "%.1f", e - s}'; }
# summary: the suite's last line, "N passed, M failed" (", K skipped" if any);
# true only if nothing failed. Needs T0 (set by the suite at its start).
summary() {
  echo "INFO: $SUITE took $(since "$T0")s"
  if [[ $SKIPPED -gt 0 ]]; then echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"; else
    echo "$PASSED passed, $FAILED failed"; fi
  [[ $FAILED -eq 0 ]]
}

# run_prepare: prepare.sh, unless JNVMET_SKIP_PREPARE=1
run_prepare() {
  local t
  if [[ "${JNVMET_SKIP_PREPARE:-0}" != 1 ]]; then
    t="$(now)"
    "$LINUX_HOST_DIR/prepare.sh"
    echo "INFO: prepare.sh took $(since "$t")s"
  fi
}

# ---- the Karaf assembly, from a private copy ------------------------------------
# karaf_isolate KHOME: isolation is on (JNVMET_INTEROP_ISOLATE, default 1) and
# KHOME is a Karaf assembly. karaf_private_copy KHOME: copy it to $WORK/karaf with fresh state (no
# data/, instances/, lock, karaf.pid) and free SSH/JMX ports, and point
# TARGET_CMD[0] at the copy's launcher. The assembly keeps state in its own
# directory and binds SSH and JMX ports: the copy neither blocks another
# instance of the same assembly (e.g. its engineer's) nor is touched by it.
# Sets KARAF_SSH, KARAF_RMIREG, KARAF_RMISRV. Call it only if karaf_isolate
# KHOME is true (not as a condition itself: errors must stop the suite).
karaf_isolate() { [[ "${JNVMET_INTEROP_ISOLATE:-1}" == 1 && -x "$1/bin/karaf" && -d "$1/system" ]]; }
karaf_private_copy() {
  cp -a "$1" "$WORK/karaf"
  rm -rf "$WORK/karaf/data" "$WORK/karaf/instances" "$WORK/karaf/lock" "$WORK/karaf/karaf.pid"
  mkdir -p "$WORK/karaf/data"
  read -r KARAF_SSH KARAF_RMIREG KARAF_RMISRV < <(python3 -c 'import socket
s = [socket.socket() for _ in range(3)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')
  sed -i "s/^sshPort *=.*/sshPort=$KARAF_SSH/" "$WORK/karaf/etc/org.apache.karaf.shell.cfg"
  sed -i "s/^rmiRegistryPort *=.*/rmiRegistryPort = $KARAF_RMIREG/; s/^rmiServerPort *=.*/rmiServerPort = $KARAF_RMISRV/" \
    "$WORK/karaf/etc/org.apache.karaf.management.cfg"
  TARGET_CMD[0]="$WORK/karaf/bin/$(basename "${TARGET_CMD[0]}")"
}

# ---- the guest's report -----------------------------------------------------------
# relay_guest_lines FILE: count the guest's PASS:/FAIL:/SKIP: lines as "guest: ..."
# checks, echo every other line
relay_guest_lines() {
  local line
  while IFS= read -r line; do
    case "$line" in
      "PASS: "*) pass "guest: ${line#PASS: }" ;;
      "FAIL: "*) fail "guest: ${line#FAIL: }" ;;
      "SKIP: "*) skip "guest: ${line#SKIP: }" ;;
      *) echo "$line" ;;
    esac
  done <"$1"
}
# guest_exit_report OUT RC TIMEOUT_TEXT: the guest's stderr tail, then one check
# on run-guest.sh's exit code RC (TIMEOUT_TEXT describes exit 124), with the
# console tail when the guest timed out or never reported an exit code
guest_exit_report() {
  local out="$1" rc="$2"
  if [[ -s "$out/stderr" ]]; then sed 's/^/guest stderr: /' "$out/stderr" | tail -n 20; fi
  case $rc in
    0) pass "guest job exit 0" ;;
    1) fail "guest job exit 1 (checks failed)" ;;
    124) fail "guest job exit 124 ($3)" ;;
    125) fail "guest job exit 125 (no exit code: boot failure or panic)" ;;
    *) fail "guest job exit $rc" ;;
  esac
  if [[ $rc -ge 124 ]]; then tail -n 30 "$out/console.log" 2>/dev/null | sed 's/^/console: /'; fi
}
# dmesg_verdict CHECKFILE: one check on the guest kernel log, from the awk
# classification in CHECKFILE ("BAD line" = not allowed, "EXPECTED line" = allowed)
dmesg_verdict() {
  if grep -q '^BAD ' "$1"; then
    fail "guest kernel log: nvme warnings/errors outside the expected ones:"
    grep '^BAD ' "$1" | sed 's/^BAD /    | /' | head -n 40
  else
    pass "guest kernel log: no unexpected nvme warning/error (and no WARNING/BUG/Oops)"
  fi
}

# ---- the target's log --------------------------------------------------------------
# target_log_report LOG: Netty leak reports fail; ERROR/Exception lines are
# counted; the last lines are shown if anything failed
target_log_report() {
  local nerr
  if grep -q 'LEAK:' "$1"; then
    fail "target log reports Netty buffer leaks:"
    grep -A3 'LEAK:' "$1" | head -n 20 | sed 's/^/    | /'
  fi
  nerr="$(grep -cE '(^|[^A-Za-z])(ERROR|SEVERE)([^A-Za-z]|$)|Exception' "$1" || true)"
  if [[ "$nerr" -gt 0 ]]; then echo "INFO: target log has $nerr ERROR/Exception lines ($1)"; fi
  if [[ $FAILED -gt 0 ]]; then
    echo "INFO: ---- last target log lines ----"
    tail -n 40 "$1" | sed 's/^/target: /'
  fi
}
