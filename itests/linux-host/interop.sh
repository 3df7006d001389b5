#!/usr/bin/env bash
# interop.sh - real Linux NVMe/TCP host (Debian 6.12 kernel under QEMU, nvme-cli
# 2.3, fio) against jnvmet's NVMe/TCP target, in one guest boot:
#   discovery on every port, connect (default, -g -G digests, 1 and 2 I/O
#   queues), nvme list, id-ctrl / id-ns / ns-descs fields against the config,
#   fio randwrite + crc32c verify (mixed 512 B..128 KiB) on a RAM and a file
#   namespace, flush, deallocate + read back zeroes, smart-log, allowed_hosts
#   refusal, disconnect, and a target restart the host must ride out by itself
#   (the guest asks a control server on this machine to kill and restart the
#   target, then waits for its controllers to be live again and verifies I/O).
# The guest kernel log must hold no nvme warning/error, except the messages a
# deliberate restart or a refused host cause, and only inside those steps.
#
# usage: interop.sh [--reference-kernel-target] [--config TEMPLATE] [--timeout S] [--keep]
#   default mode: starts ${JNVMET_TARGET_CMD} --config GENERATED.json on this
#     machine (127.0.0.1:4420 and :8009, as in configs/interop.json).
#   --reference-kernel-target: no jnvmet; the guest kernel's own nvmet serves the
#     same subsystems (configfs, brd for RAM, a tmpfs file for the file
#     namespace) on the guest's 127.0.0.1 - proves every guest-side check.
# Last line: "N passed, M failed"; exit status 0 only if nothing failed.
#
# Environment:
#   JNVMET_TARGET_CMD       target command (word-split; "--config FILE" is appended).
#                           Default: distribution/target/jnvmet/bin/jnvmet, else the
#                           first */target/*/bin/jnvmet*, else java -jar */target/*standalone*.jar
#   JNVMET_INTEROP_ISOLATE=0  run a Karaf assembly in place (default: a private copy
#                           in the work dir with fresh data/ and free SSH/JMX ports)
#   JNVMET_TARGET_START_TIMEOUT / _STOP_TIMEOUT  seconds (120 / 20): ports accept
#                           after a start; exit after SIGTERM (else SIGKILL + FAIL)
#   JNVMET_SKIP_PREPARE=1   do not run prepare.sh first
#   JNVMET_INTEROP_PORT_MAP e.g. 4420=14420,8009=18009 when those ports are busy
#   JNVMET_EXPECT_<NAME>    override one generated expectation (see expect.env)
#   INTEROP_FIO_SIZE        fio size per namespace (default 64M)
#   INTEROP_KEEP=1          keep the work dir (logs are kept anyway on failure)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CTL="$HERE/interop-ctl.py"
MODE=jnvmet TEMPLATE="$HERE/configs/interop.json" TIMEOUT=480 KEEP="${INTEROP_KEEP:-0}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --reference-kernel-target) MODE=reference; shift ;;
    --config) TEMPLATE="$2"; shift 2 ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "interop: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

# shellcheck source-path=SCRIPTDIR source=lib/host-common.sh
. "$HERE/lib/host-common.sh"
SUITE="interop ($MODE)"

T0="$(now)"
command -v python3 >/dev/null || { fail "python3 is needed on this machine (config rendering, control server)"; summary; exit 1; }
run_prepare

WORK="$(mktemp -d "${TMPDIR:-/tmp}/jnvmet-interop.XXXXXX")"
CTL_PID=""
cleanup() {
  if [[ -n "$CTL_PID" ]] && kill -0 "$CTL_PID" 2>/dev/null; then
    kill -TERM "$CTL_PID" 2>/dev/null
    wait "$CTL_PID" 2>/dev/null || true
  fi
  [[ -d "$WORK/karaf/data/log" ]] && mv "$WORK/karaf/data/log" "$WORK/karaf-log"
  rm -rf "$WORK"/*.img "$WORK/karaf"
  if [[ "$KEEP" == 1 || $FAILED -gt 0 ]]; then echo "INFO: logs kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# ---- config, expectations ---------------------------------------------------
RENDER=(python3 "$CTL" render --template "$TEMPLATE" --mode "$MODE" --workdir "$WORK"
  --env-out "$WORK/expect.env" --file-size 64M)
if [[ -n "${JNVMET_INTEROP_PORT_MAP:-}" ]]; then RENDER+=(--port-map "$JNVMET_INTEROP_PORT_MAP"); fi
if [[ $MODE == reference ]]; then RENDER+=(--configfs-out "$WORK/configfs.sh"); else
  RENDER+=(--config-out "$WORK/config.json"); fi
if ! "${RENDER[@]}"; then fail "render $TEMPLATE"; summary; exit 1; fi
PORTS="$(sed -n "s/^PORTS=//p" "$WORK/expect.env" | tr -d "'")"

GUEST_ARGS=(-f "$HERE/jobs/lib-guest.sh" -f "$WORK/expect.env" -e "FIO_SIZE=${INTEROP_FIO_SIZE:-64M}")
if [[ $MODE == reference ]]; then
  GUEST_ARGS+=(-f "$WORK/configfs.sh" -e TARGET_ADDR=127.0.0.1 -e RESTART_DOWNTIME=2)
else
  # ---- the target, supervised by the control helper -------------------------
  if [[ -n "${JNVMET_TARGET_CMD:-}" ]]; then
    read -r -a TARGET_CMD <<<"$JNVMET_TARGET_CMD"
  elif [[ -x "$ROOT/distribution/target/jnvmet/bin/jnvmet" ]]; then
    TARGET_CMD=("$ROOT/distribution/target/jnvmet/bin/jnvmet")
  else
    # a standalone/bench launcher, until the Karaf assembly exists
    TARGET_CMD=()
    for c in "$ROOT"/*/target/*/bin/jnvmet* "$ROOT"/*/target/bin/jnvmet*; do
      if [[ -f "$c" && -x "$c" ]]; then TARGET_CMD=("$c"); break; fi
    done
    if [[ ${#TARGET_CMD[@]} -eq 0 ]]; then
      for j in "$ROOT"/*/target/*standalone*.jar; do
        if [[ -f "$j" ]]; then TARGET_CMD=(java -jar "$j"); break; fi
      done
    fi
  fi
  if [[ ${#TARGET_CMD[@]} -eq 0 ]]; then
    fail "no jnvmet target: set JNVMET_TARGET_CMD or build distribution/target/jnvmet/bin/jnvmet" \
      "(or run --reference-kernel-target)"
    summary
    exit 1
  fi
  # A Karaf assembly runs from a private copy (fresh state, free SSH/JMX
  # ports; see karaf_private_copy). Restarts within the run reuse the copy, as
  # a restarted appliance would.
  KHOME="$(dirname "$(dirname "${TARGET_CMD[0]}")")"
  if karaf_isolate "$KHOME"; then
    karaf_private_copy "$KHOME"
    echo "INFO: private copy of $KHOME (ssh $KARAF_SSH, rmi $KARAF_RMIREG/$KARAF_RMISRV)"
  fi
  echo "INFO: target command: ${TARGET_CMD[*]} --config $WORK/config.json"
  WAIT=()
  for p in $PORTS; do WAIT+=(--wait-port "$p"); done
  t="$(now)"
  python3 "$CTL" serve --config "$WORK/config.json" "${WAIT[@]}" --log "$WORK/target.log" \
    --start-timeout "${JNVMET_TARGET_START_TIMEOUT:-120}" --stop-timeout "${JNVMET_TARGET_STOP_TIMEOUT:-20}" \
    --port-file "$WORK/ctl.port" -- "${TARGET_CMD[@]}" 2>"$WORK/ctl.log" &
  CTL_PID=$!
  while [[ ! -s "$WORK/ctl.port" ]] && kill -0 "$CTL_PID" 2>/dev/null; do sleep 0.2; done
  if [[ ! -s "$WORK/ctl.port" ]]; then
    fail "target start (ports $PORTS on 127.0.0.1)"
    sed 's/^/ctl: /' "$WORK/ctl.log"
    tail -n 40 "$WORK/target.log" 2>/dev/null | sed 's/^/target: /'
    summary
    exit 1
  fi
  pass "target started, 127.0.0.1 ports $PORTS accept ($(since "$t")s)"
  GUEST_ARGS+=(-e TARGET_ADDR=10.0.2.2 -e "CTRL_PORT=$(cat "$WORK/ctl.port")")
fi

# ---- one guest boot -----------------------------------------------------------
t="$(now)"
rc=0
"$HERE/run-guest.sh" --quiet --smp 2 --timeout "$TIMEOUT" --out "$WORK/guest" "${GUEST_ARGS[@]}" \
  "$HERE/jobs/interop-guest.sh" || rc=$?
echo "INFO: guest run took $(since "$t")s (exit $rc)"
# reporting from here on: never stop half-way (grep finding nothing is normal)
set +e +o pipefail
relay_guest_lines "$WORK/guest/stdout"
guest_exit_report "$WORK/guest" "$rc" timeout

# ---- guest kernel log ---------------------------------------------------------
# Same criteria as run-guest.sh --fail-on-dmesg (WARNING/BUG/Oops/... anywhere,
# and any nvme message at warning level or worse), except inside the windows the
# job marks with kernel-log markers, where only these lines are allowed:
#  restart: the host logs "starting error recovery" (warning) when the target's
#    connections drop, "failed to connect socket: -111" (error) for each
#    reconnect attempt (1 s apart) made while the target is down, and "failed
#    nvme_keep_alive_end_io" if a Keep Alive was in flight when the connection
#    dropped. In reference mode the guest is the target too, and nvmet-tcp logs
#    "queue N unhandled state" for the connections it tears down itself.
#  denied-host: the Connect from a host outside allowed_hosts fails with status
#    0x4184 (DNR | Connect Invalid Host) = 16772, and the host says so.
ALLOW_restart='nvme nvme[0-9]+: (starting error recovery|failed to connect socket: -111|failed nvme_keep_alive_end_io error=[0-9]+)$'
if [[ $MODE == reference ]]; then ALLOW_restart="$ALLOW_restart|nvmet_tcp: queue [0-9]+ unhandled state [0-9]+$"; fi
ALLOW_denied='nvme nvme[0-9]+: (Connect for subsystem [^ ]+ is not allowed, hostnqn: [^ ]+|failed to connect queue: 0 ret=16772)$'
DLOG="$WORK/guest/dmesg.log"
if [[ -s "$DLOG" ]]; then
  awk -v restart="$ALLOW_restart" -v denied="$ALLOW_denied" '
    { lvl = 6 }
    match($0, /^<[0-9]+>/) { lvl = substr($0, 2, RLENGTH - 2) % 8 }
    /jnvmet-interop: window-begin / { win = $NF; print "WINDOW " $0; next }
    /jnvmet-interop: window-end / { win = ""; print "WINDOW " $0; next }
    {
      bad = ($0 ~ /WARNING:|BUG:|Oops|Call Trace|general protection|KASAN|UBSAN|blocked for more than/) ||
            (lvl <= 4 && tolower($0) ~ /nvme/)
      if (!bad) next
      if (win == "restart" && $0 ~ restart && $0 !~ /WARNING:|BUG:|Oops|Call Trace/) print "EXPECTED " $0
      else if (win == "denied-host" && $0 ~ denied) print "EXPECTED " $0
      else print "BAD " $0
    }' "$DLOG" >"$WORK/dmesg-check.txt"
  grep '^EXPECTED ' "$WORK/dmesg-check.txt" | sed 's/^EXPECTED /INFO: expected kernel message: /' | head -n 30
  dmesg_verdict "$WORK/dmesg-check.txt"
  if [[ $rc -eq 0 ]] && ! grep -q 'window-end restart' "$WORK/dmesg-check.txt"; then
    fail "guest kernel log: restart window markers missing"
  fi
else
  fail "guest kernel log: no dmesg.log from the guest"
fi

# ---- stop the target ----------------------------------------------------------
if [[ $MODE == jnvmet ]]; then
  t="$(now)"
  kill -TERM "$CTL_PID" 2>/dev/null || true
  crc=0
  wait "$CTL_PID" || crc=$?
  CTL_PID=""
  if [[ $crc -eq 0 ]]; then pass "target stopped on SIGTERM ($(since "$t")s)"; else
    fail "target stop: control helper exit $crc (did not stop on SIGTERM?)"; fi
  sed 's/^/ctl: /' "$WORK/ctl.log" | grep -E 'restart|up \(|stopped|ERROR' || true
  starts="$(grep -c '^==== interop-ctl: start' "$WORK/target.log" || true)"
  echo "INFO: target was started $starts times"
  target_log_report "$WORK/target.log"
fi

summary
