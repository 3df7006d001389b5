#!/usr/bin/env bash
# default-config.sh - a real Linux NVMe/TCP host (Debian 6.12 kernel under QEMU,
# nvme-cli 2.3) against the jnvmet appliance started WITHOUT --config, i.e. on
# the etc/jnvmet.json it ships (interop.sh covers the --config case). One guest
# boot: nvme discover on every port of that file lists exactly its subsystems
# (nqn.2024-01.org.jnvmet:ram0, a 256 MiB RAM namespace, and
# nqn.2024-01.org.jnvmet:passthru0, jnvmet's emulated NVMe controller exported
# through passthru), connect to each, nvme list shows their namespaces,
# id-ctrl subnqn/cntlid (and the RAM subsystem's serial/model) are right, a
# 1 MiB random pattern written with O_DIRECT to every namespace reads back
# identical, disconnect. The guest kernel log must hold no nvme warning/error
# (and no WARNING/BUG/Oops); the target must stop on SIGTERM.
#
# usage: default-config.sh [--timeout S] [--keep]
# Last line: "N passed, M failed"; exit status 0 only if nothing failed.
#
# The expectations come from the etc/jnvmet.json the appliance runs (its
# private copy). A Karaf assembly runs from a private copy in the work dir
# (fresh data/, free SSH/JMX ports), as in interop.sh. If a port of that file
# already accepts connections on 127.0.0.1 (someone else's target), the run
# fails instead of testing the wrong process; the default configuration's
# ports cannot be moved.
#
# Environment:
#   JNVMET_TARGET_CMD       appliance command (word-split; no --config is added).
#                           Default: distribution/target/jnvmet/bin/jnvmet
#   JNVMET_INTEROP_ISOLATE=0  run a Karaf assembly in place (default: a private copy)
#   JNVMET_TARGET_START_TIMEOUT / _STOP_TIMEOUT  seconds (120 / 20): ports accept
#                           after the start; exit after SIGTERM (else SIGKILL + FAIL)
#   JNVMET_SKIP_PREPARE=1   do not run prepare.sh first
#   DEFAULT_CONFIG_KEEP=1   keep the work dir (kept anyway on failure)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
TIMEOUT=300 KEEP="${DEFAULT_CONFIG_KEEP:-0}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --timeout) TIMEOUT="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "default-config: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

# shellcheck source-path=SCRIPTDIR source=lib/host-common.sh
. "$HERE/lib/host-common.sh"
SUITE=default-config
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

T0="$(now)"
command -v python3 >/dev/null || { fail "python3 is needed on this machine (reading etc/jnvmet.json)"; summary; exit 1; }
run_prepare

WORK="$(mktemp -d "${TMPDIR:-/tmp}/jnvmet-default-config.XXXXXX")"
TPID="" TGROUP=0
stop_target() { # stop_target SIGNAL: signal the target (its process group if it leads one)
  if [[ $TGROUP == 1 ]]; then kill "-$1" -- "-$TPID" 2>/dev/null; else kill "-$1" "$TPID" 2>/dev/null; fi
}
cleanup() {
  if [[ -n "$TPID" ]] && kill -0 "$TPID" 2>/dev/null; then
    stop_target TERM
    for _ in $(seq 100); do kill -0 "$TPID" 2>/dev/null || break; sleep 0.2; done
    stop_target KILL || true
    wait "$TPID" 2>/dev/null || true
  fi
  [[ -d "$WORK/karaf/data/log" ]] && mv "$WORK/karaf/data/log" "$WORK/karaf-log"
  rm -rf "$WORK/karaf"
  if [[ "$KEEP" == 1 || $FAILED -gt 0 ]]; then echo "INFO: logs kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# ---- the appliance, from a private copy ---------------------------------------
read -r -a TARGET_CMD <<<"${JNVMET_TARGET_CMD:-$ROOT/distribution/target/jnvmet/bin/jnvmet}"
if [[ ${#TARGET_CMD[@]} -eq 0 || ! -x "${TARGET_CMD[0]}" ]]; then
  fail "no jnvmet appliance at '${TARGET_CMD[0]:-}': build it (mvn -o -q -B install -DskipTests) or set JNVMET_TARGET_CMD"
  summary
  exit 1
fi
KHOME="$(cd "$(dirname "${TARGET_CMD[0]}")/.." && pwd)"
# Same isolation as interop.sh (karaf_private_copy): fresh data/ (no "root
# instance already running", no data lock) and free SSH/JMX ports.
if karaf_isolate "$KHOME"; then
  karaf_private_copy "$KHOME"
  KHOME="$WORK/karaf"
  echo "INFO: private copy of $(dirname "$(dirname "${TARGET_CMD[0]}")") (ssh $KARAF_SSH, rmi $KARAF_RMIREG/$KARAF_RMISRV)"
fi
CONFIG="$KHOME/etc/jnvmet.json"
if [[ ! -f "$CONFIG" ]]; then
  fail "the appliance has no embedded default configuration $CONFIG"
  summary
  exit 1
fi
cp "$CONFIG" "$WORK/jnvmet.json" # what the appliance was started with (it saves changes into the file)

# ---- expectations from the shipped etc/jnvmet.json --------------------------
# PORTS; PORT_<p>_TRADDR/_ADRFAM/_SUBSYS; SUBSYS (all linked NQNs, in order);
# per subsystem S<i>_NQN, S<i>_KIND (ram|passthru|other), S<i>_SN, S<i>_MN,
# S<i>_NS ("nsid:bytes ..." for its ram: namespaces).
if ! python3 - "$WORK/jnvmet.json" >"$WORK/expect.env" 2>"$WORK/expect.err" <<'EOF'; then
import json, re, shlex, sys
cfg = json.load(open(sys.argv[1]))
def size(text):
    m = re.fullmatch(r"(\d+)([KMGT]?)", text, re.I)
    return int(m.group(1)) << {"": 0, "K": 10, "M": 20, "G": 30, "T": 40}[m.group(2).upper()]
out, ports, linked = [], [], []
for p in cfg.get("ports", []):
    a = p["addr"]
    if a.get("trtype") != "tcp":
        continue
    port = int(a["trsvcid"])
    ports.append(str(port))
    out += ["PORT_%d_TRADDR=%s" % (port, a["traddr"]), "PORT_%d_ADRFAM=%s" % (port, a["adrfam"]),
            "PORT_%d_SUBSYS=%s" % (port, shlex.quote(" ".join(p.get("subsystems", []))))]
    linked += [s for s in p.get("subsystems", []) if s not in linked]
subs = {s["nqn"]: s for s in cfg.get("subsystems", [])}
for i, nqn in enumerate(linked):
    s, attr = subs[nqn], subs[nqn].get("attr", {})
    ns = [n for n in s.get("namespaces", []) if str(n.get("enable", 1)) == "1"]
    rams = ["%d:%d" % (n["nsid"], size(n["device"]["path"][4:])) for n in ns
            if n["device"]["path"].startswith("ram:")]
    kind = "passthru" if any(str(x.get("enable", 1)) == "1" for x in s.get("passthru", [])) else \
        "ram" if ns and len(rams) == len(ns) else "other"
    out += ["S%d_NQN=%s" % (i, nqn), "S%d_KIND=%s" % (i, kind), "S%d_SN=%s" % (i, shlex.quote(attr.get("serial", ""))),
            "S%d_MN=%s" % (i, shlex.quote(attr.get("model", ""))), "S%d_NS=%s" % (i, shlex.quote(" ".join(rams)))]
out += ["PORTS=%s" % shlex.quote(" ".join(ports)), "NSUBSYS=%d" % len(linked),
        "SUBSYS=%s" % shlex.quote(" ".join(linked))]
print("\n".join(out))
EOF
  fail "read $CONFIG"
  sed 's/^/    | /' "$WORK/expect.err"
  summary
  exit 1
fi
# shellcheck disable=SC1091
. "$WORK/expect.env"
echo "INFO: $CONFIG: tcp ports '$PORTS', subsystems: $SUBSYS"
# What the OSGi issue and the appliance's documentation promise about the default.
for nqn in nqn.2024-01.org.jnvmet:ram0 nqn.2024-01.org.jnvmet:passthru0; do
  if [[ " ${PORT_4420_SUBSYS:-} " == *" $nqn "* && "${PORT_4420_TRADDR:-}" == 127.0.0.1 ]]; then
    pass "embedded default links $nqn to tcp 127.0.0.1:4420"
  else fail "embedded default does not link $nqn to tcp 127.0.0.1:4420"; fi
done
for i in $(seq 0 $((NSUBSYS - 1))); do
  n="S${i}_NQN" k="S${i}_KIND" ns="S${i}_NS"
  echo "INFO: subsystem ${!n}: ${!k}${!ns:+, RAM namespaces (nsid:bytes) ${!ns}}"
done

# ---- start it without --config -------------------------------------------------
busy=""
for p in $PORTS; do if port_open "$p"; then busy="$busy $p"; fi; done
if [[ -n "$busy" ]]; then
  fail "127.0.0.1 port(s)$busy already accept connections: another NVMe/TCP target is running on this machine;" \
    "stop it first (the embedded default configuration's ports cannot be moved)"
  summary
  exit 1
fi
echo "INFO: target command: ${TARGET_CMD[*]} (no --config)"
t="$(now)"
# its own session and process group: SIGTERM reaches the launcher and everything it started
if command -v setsid >/dev/null; then
  setsid "${TARGET_CMD[@]}" </dev/null >"$WORK/target.log" 2>&1 &
else
  "${TARGET_CMD[@]}" </dev/null >"$WORK/target.log" 2>&1 &
fi
TPID=$!
sleep 0.2
[[ "$(ps -o pgid= -p "$TPID" 2>/dev/null | tr -d ' ')" == "$TPID" ]] && TGROUP=1
pending="$PORTS" deadline=$(($(date +%s) + ${JNVMET_TARGET_START_TIMEOUT:-120}))
while [[ -n "$pending" ]] && kill -0 "$TPID" 2>/dev/null && [[ $(date +%s) -lt $deadline ]]; do
  left=""
  for p in $pending; do port_open "$p" || left="$left $p"; done
  pending="${left# }"
  [[ -n "$pending" ]] && sleep 0.2
done
if [[ -n "$pending" ]]; then
  if kill -0 "$TPID" 2>/dev/null; then fail "target start: port(s) $pending did not accept within ${JNVMET_TARGET_START_TIMEOUT:-120}s"
  else wait "$TPID" && rc=0 || rc=$?; TPID=""; fail "target start: exited with code $rc before port(s) $pending accepted"; fi
  tail -n 40 "$WORK/target.log" | sed 's/^/target: /'
  summary
  exit 1
fi
pass "target started without --config, 127.0.0.1 ports $PORTS accept ($(since "$t")s)"

# ---- one guest boot -----------------------------------------------------------
t="$(now)"
rc=0
"$HERE/run-guest.sh" --quiet --smp 2 --timeout "$TIMEOUT" --out "$WORK/guest" -f "$HERE/jobs/lib-guest.sh" \
  -f "$WORK/expect.env" -e TARGET_ADDR=10.0.2.2 "$HERE/jobs/default-config-guest.sh" || rc=$?
echo "INFO: guest run took $(since "$t")s (exit $rc)"
set +e +o pipefail # reporting from here on: never stop half-way
relay_guest_lines "$WORK/guest/stdout"
guest_exit_report "$WORK/guest" "$rc" timeout

# ---- guest kernel log: the criteria of run-guest.sh --fail-on-dmesg, no exceptions
DLOG="$WORK/guest/dmesg.log"
if [[ -s "$DLOG" ]]; then
  awk '
    /WARNING:|BUG:|Oops|Call Trace|general protection|KASAN|UBSAN|blocked for more than/ { print; next }
    match($0, /^<[0-9]+>/) && (substr($0, 2, RLENGTH - 2) % 8) <= 4 && tolower($0) ~ /nvme/ { print }
  ' "$DLOG" >"$WORK/dmesg-bad.txt"
  if [[ -s "$WORK/dmesg-bad.txt" ]]; then
    fail "guest kernel log: nvme warnings/errors (or WARNING/BUG/Oops):"
    head -n 40 "$WORK/dmesg-bad.txt" | sed 's/^/    | /'
  else
    pass "guest kernel log: no nvme warning/error (and no WARNING/BUG/Oops)"
  fi
else
  fail "guest kernel log: no dmesg.log from the guest"
fi

# ---- stop the target ------------------------------------------------------------
t="$(now)"
if ! kill -0 "$TPID" 2>/dev/null; then
  wait "$TPID"
  fail "target exited by itself during the run (code $?)"
else
  stop_target TERM
  stopped=0
  for _ in $(seq $((${JNVMET_TARGET_STOP_TIMEOUT:-20} * 5))); do
    kill -0 "$TPID" 2>/dev/null || { stopped=1; break; }
    sleep 0.2
  done
  if [[ $stopped == 1 ]]; then
    wait "$TPID"
    trc=$?
    pass "target stopped on SIGTERM ($(since "$t")s, exit $trc)"
  else
    stop_target KILL
    wait "$TPID"
    fail "target did not stop within ${JNVMET_TARGET_STOP_TIMEOUT:-20}s of SIGTERM (SIGKILLed)"
  fi
  # the launcher may have left children in its group
  [[ $TGROUP == 1 ]] && stop_target KILL
fi
TPID=""
target_log_report "$WORK/target.log"

summary
