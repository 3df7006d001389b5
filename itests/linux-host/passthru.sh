#!/usr/bin/env bash
# passthru.sh - jnvmet's passthru against the real Linux NVMe driver, in one
# guest boot (Debian 6.12 kernel under QEMU/TCG, see README.md):
#   QEMU gives the guest an emulated PCI NVMe controller (-device nvme); the
#   guest kernel's own passthru target exports it first (the reference), then
#   jnvmet does, running INSIDE the guest (the standalone launcher in a JVM from
#   this machine's root over 9p, run-guest.sh --hostfs) with
#   "passthru": [{"device": {"path": "/dev/nvmeN"}, ...}]. Each time the guest's
#   own kernel host connects over TCP to 127.0.0.1:4420 and runs the blktests
#   passthru equivalents: nvme/033 (id-ctrl vid/sn/mn/fr, id-ns nsze/ncap equal
#   the device's), 034 (fio verify), 035 (mkfs.ext4, mount, fio), 036 (nvme
#   reset), 037 (ten times set up, connect, disconnect, tear down at once).
#   The device's SMART log (and diskstats where the kernel counts passthrough
#   I/O) must count the fio run, tokens written through each target must be in
#   the QEMU image file, and jnvmet's accounting (JMX) must count the fio run.
#   The id-ctrl / id-ns captures of device, kernel passthru and jnvmet passthru
#   are compared field by field: outside the fields a passthru target must own,
#   jnvmet must report what the kernel's passthru target reports.
#
# usage: passthru.sh [--reference-only | --jnvmet-only] [--build] [--timeout S] [--keep]
#   --reference-only  only the kernel's passthru target (proves the checks)
#   --jnvmet-only     skip the kernel reference run (the table then lacks it)
#   --build           mvn -o -q -B install -DskipTests -pl launcher -am first
# Last line: "N passed, M failed"; exit status 0 only if nothing failed.
#
# Environment:
#   JNVMET_LAUNCHER        jnvmet-standalone directory (default
#                          launcher/target/jnvmet-standalone); copied into the work dir
#   JNVMET_PASSTHRU_JAVA_OPTS  JVM options in the guest (default: C1 only, Serial GC,
#                          -Xmx512m, plus an AppCDS archive made on this machine)
#   PASSTHRU_CDS=0         no AppCDS archive (the JVM then starts ~1.5x slower)
#   PASSTHRU_FIO_SIZE      fio size for nvme/034 (default 32M); PASSTHRU_FS_FIO_SIZE
#                          for nvme/035 (16M); PASSTHRU_IMG_SIZE (256M)
#   PASSTHRU_GUEST_MEM     guest RAM in MiB (default 4096)
#   PASSTHRU_ALLOW_DIFF    space-separated id-ctrl/id-ns fields in which jnvmet may
#                          differ from the kernel's passthru target (reported as allowed)
#   PASSTHRU_WORK_BASE     parent of the work dir (default /var/tmp; not /tmp, which the
#                          guest's chroot hides behind its own tmpfs)
#   JNVMET_SKIP_PREPARE=1  do not run prepare.sh first
#   PASSTHRU_KEEP=1        keep the work dir (kept anyway on failure)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
TIMEOUT=1500 KEEP="${PASSTHRU_KEEP:-0}" RUN_KERNEL=1 RUN_JNVMET=1 BUILD=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --reference-only) RUN_JNVMET=0; shift ;;
    --jnvmet-only) RUN_KERNEL=0; shift ;;
    --build) BUILD=1; shift ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "passthru: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

# shellcheck source-path=SCRIPTDIR source=lib/host-common.sh
. "$HERE/lib/host-common.sh"
SUITE=passthru

T0="$(now)"
for c in python3 java javac; do
  command -v $c >/dev/null || { fail "$c is needed on this machine"; summary; exit 1; }
done
run_prepare

# The work dir holds the launcher copy, the JMX client and the AppCDS archive
# the guest's JVM uses through the 9p root: its path must be the same inside the
# guest's chroot, where /tmp is a tmpfs of the guest.
BASE="${PASSTHRU_WORK_BASE:-/var/tmp}"
case "$(cd "$BASE" && pwd)/" in
  /tmp/*) echo "passthru: PASSTHRU_WORK_BASE must not be under /tmp (hidden in the guest's chroot)" >&2; exit 2 ;;
esac
WORK="$(mktemp -d "$(cd "$BASE" && pwd)/jnvmet-passthru.XXXXXX")"
chmod 755 "$WORK"
CDS_PID=""
cleanup() {
  if [[ -n "$CDS_PID" ]]; then kill -KILL "$CDS_PID" 2>/dev/null || true; fi
  rm -f "$WORK/pci.img" "$WORK/app.jsa"
  if [[ "$KEEP" == 1 || $FAILED -gt 0 ]]; then echo "INFO: logs kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# ---- the launcher, snapshotted (others may rebuild it during the run) -------
if [[ $RUN_JNVMET == 1 ]]; then
  if [[ $BUILD == 1 ]]; then
    t="$(now)"
    if (cd "$ROOT" && mvn -o -q -B install -DskipTests -pl launcher -am) >"$WORK/build.log" 2>&1; then
      pass "mvn install of the launcher ($(since "$t")s)"
    else
      fail "mvn install of the launcher (log: $WORK/build.log)"
      tail -n 30 "$WORK/build.log" | sed 's/^/    | /'
      summary
      exit 1
    fi
  fi
  SRC="${JNVMET_LAUNCHER:-$ROOT/launcher/target/jnvmet-standalone}"
  if [[ ! -x "$SRC/bin/jnvmet-standalone" ]]; then
    fail "no launcher at $SRC/bin/jnvmet-standalone (build it: mvn -o -q install -DskipTests, or use --build)"
    summary
    exit 1
  fi
  cp -a "$SRC" "$WORK/launcher"
  # shellcheck disable=SC2012 # names of jars built here
  echo "INFO: launcher $SRC ($(find "$WORK/launcher/lib" -name '*.jar' | wc -l) jars, newest $(cd "$WORK/launcher/lib" && ls -t | head -n1))"

  # JMX client for the accounting MBeans: attaches to the target JVM by pid,
  # starts its local management agent and prints each DiskstatsLine.
  mkdir -p "$WORK/classes"
  cat >"$WORK/PassthruStats.java" <<'EOF'
import com.sun.tools.attach.VirtualMachine;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/** PassthruStats PID: "DISKSTATS device line" for every org.jnvmet:type=Accounting MBean of that JVM. */
public final class PassthruStats {
    public static void main(String[] args) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(args[0]);
        String url;
        try {
            url = vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
        try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(url))) {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            for (ObjectName name : server.queryNames(new ObjectName("org.jnvmet:type=Accounting,*"), null)) {
                System.out.println("DISKSTATS " + ObjectName.unquote(name.getKeyProperty("device")) + " "
                        + server.getAttribute(name, "DiskstatsLine"));
            }
        }
    }
}
EOF
  if ! javac -d "$WORK/classes" "$WORK/PassthruStats.java" 2>"$WORK/javac.log"; then
    fail "javac PassthruStats.java"
    sed 's/^/    | /' "$WORK/javac.log"
  fi

  # AppCDS: a dynamic archive of the classes the launcher loads, dumped on this
  # machine (same JDK, same paths as in the guest's chroot). It cuts the JVM's
  # start under TCG by about a third.
  JOPTS="${JNVMET_PASSTHRU_JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx512m -Xshare:auto}"
  if [[ "${PASSTHRU_CDS:-1}" == 1 && -z "${JNVMET_PASSTHRU_JAVA_OPTS:-}" ]]; then
    t="$(now)"
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    sed "s/\"4420\"/\"$port\"/" "$HERE/configs/passthru-empty.json" >"$WORK/cds-config.json"
    JAVA_OPTS="$JOPTS -XX:ArchiveClassesAtExit=$WORK/app.jsa" "$WORK/launcher/bin/jnvmet-standalone" \
      --config "$WORK/cds-config.json" >"$WORK/cds.log" 2>&1 &
    CDS_PID=$!
    for _ in $(seq 600); do
      grep -q 'target running' "$WORK/cds.log" && break
      kill -0 "$CDS_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -TERM "$CDS_PID" 2>/dev/null || true
    wait "$CDS_PID" 2>/dev/null || true
    CDS_PID=""
    if [[ -s "$WORK/app.jsa" ]]; then
      JOPTS="$JOPTS -XX:SharedArchiveFile=$WORK/app.jsa"
      echo "INFO: AppCDS archive $(($(stat -c %s "$WORK/app.jsa") >> 20)) MiB made in $(since "$t")s"
    else
      echo "INFO: no AppCDS archive (see $WORK/cds.log); the guest JVM starts without it"
    fi
  fi
fi

# ---- one guest boot ------------------------------------------------------------
IMG_SIZE="${PASSTHRU_IMG_SIZE:-256M}"
truncate -s "$IMG_SIZE" "$WORK/pci.img"
IMG_MIB=$(($(stat -c %s "$WORK/pci.img") >> 20))
if [[ $IMG_MIB -lt 128 ]]; then echo "passthru: PASSTHRU_IMG_SIZE must be at least 128M" >&2; exit 2; fi
SERIAL=JNVMETPASSTHRU01 NQN=nqn.2024-11.org.jnvmet:passthru0
TOKEN_MIB_KERNEL=$((IMG_MIB - 16)) TOKEN_MIB_JNVMET=$((IMG_MIB - 8))
GUEST_ARGS=(--hostfs --nvme "$WORK/pci.img:$SERIAL" -m "${PASSTHRU_GUEST_MEM:-4096}" -f "$HERE/jobs/lib-guest.sh"
  -f "$HERE/configs/passthru.json:passthru.json" -f "$HERE/configs/passthru-empty.json:passthru-empty.json"
  -e "PCI_SERIAL=$SERIAL" -e "NQN=$NQN" -e "WORK=$WORK" -e "LAUNCHER=$WORK/launcher"
  -e "JNVMET_JAVA_OPTS=${JOPTS:-}" -e "RUN_KERNEL=$RUN_KERNEL" -e "RUN_JNVMET=$RUN_JNVMET"
  -e "FIO_SIZE=${PASSTHRU_FIO_SIZE:-32M}" -e "FS_FIO_SIZE=${PASSTHRU_FS_FIO_SIZE:-16M}"
  -e "MKFS_SIZE=$((IMG_MIB - 64))M" -e "TOKEN_MIB_KERNEL=$TOKEN_MIB_KERNEL" -e "TOKEN_MIB_JNVMET=$TOKEN_MIB_JNVMET")
t="$(now)"
rc=0
"$HERE/run-guest.sh" --quiet --timeout "$TIMEOUT" --out "$WORK/guest" "${GUEST_ARGS[@]}" \
  "$HERE/jobs/passthru-guest.sh" || rc=$?
echo "INFO: guest run took $(since "$t")s (exit $rc)"

# ---- the guest's report ------------------------------------------------------------
set +e +o pipefail
mkdir -p "$WORK/captures"
cap=""
: >"$WORK/jnvmet.log"
: >"$WORK/tokens"
while IFS= read -r line; do
  if [[ -n "$cap" ]]; then
    if [[ "$line" == "CAPTURE-END $cap" ]]; then cap=""; else printf '%s\n' "$line" >>"$WORK/captures/$cap.json"; fi
    continue
  fi
  case "$line" in
    "PASS: "*) pass "guest: ${line#PASS: }" ;;
    "FAIL: "*) fail "guest: ${line#FAIL: }" ;;
    "SKIP: "*) skip "guest: ${line#SKIP: }" ;;
    "CAPTURE-BEGIN "*) cap="${line#CAPTURE-BEGIN }"; : >"$WORK/captures/$cap.json" ;;
    "JVMLOG: "*) printf '%s\n' "${line#JVMLOG: }" >>"$WORK/jnvmet.log" ;;
    "TOKEN "*) echo "${line#TOKEN }" >>"$WORK/tokens" ;;
    *) echo "$line" ;;
  esac
done <"$WORK/guest/stdout"
guest_exit_report "$WORK/guest" "$rc" "timeout after ${TIMEOUT}s"

# ---- tokens: the I/O reached the device (QEMU's image file) --------------------
for who in $([[ $RUN_KERNEL == 1 ]] && echo kernel) $([[ $RUN_JNVMET == 1 ]] && echo jnvmet); do
  read -r _ mib sum < <(grep "^$who " "$WORK/tokens") || true
  if [[ -z "${sum:-}" ]]; then
    fail "image file: no token written through $who passthru"
    continue
  fi
  got="$(dd if="$WORK/pci.img" bs=1M skip="$mib" count=1 2>/dev/null | sha256sum | cut -d' ' -f1)"
  if [[ "$got" == "$sum" ]]; then pass "image file: the 1 MiB token written through $who passthru is at $mib MiB"; else
    fail "image file: token of $who passthru at $mib MiB: want sha256 $sum, got $got"; fi
  sum=""
done

# ---- comparison table: device, kernel passthru, jnvmet passthru ------------------
python3 - "$WORK/captures" "$WORK/comparison.md" "${PASSTHRU_ALLOW_DIFF:-}" >"$WORK/compare.out" 2>&1 <<'PY'
import json, os, sys

capdir, out_md, allow = sys.argv[1], sys.argv[2], set(sys.argv[3].split())
# Identify Controller fields the Linux passthru target overrides (passthru.c,
# nvmet_passthru_override_id_ctrl) and the Fabrics-only ones: a passthru target
# must own these, so they may differ from the device and between targets.
OWNED = {
    "id-ctrl": {"cntlid", "ver", "mdts", "acl", "aerl", "kas", "hmpre", "hmmin", "sqes", "cqes", "maxcmd", "fuses",
                "sgls", "subnqn", "ioccsz", "iorcsz", "icdoff", "msdbd", "cmic", "oncs", "cntrltype", "fcatt", "ofcs"},
    "id-ns": set(),
}

def load(name):
    p = os.path.join(capdir, name + ".json")
    if not os.path.exists(p):
        return None
    try:
        with open(p) as f:
            return json.load(f)
    except ValueError as e:
        print("FAIL: capture %s is not JSON: %s" % (name, e))
        return None

def flatten(v, key="", out=None):
    out = {} if out is None else out
    if isinstance(v, dict):
        for k, x in v.items():
            flatten(x, key + "." + k if key else k, out)
    elif isinstance(v, list):
        for i, x in enumerate(v):
            flatten(x, "%s[%d]" % (key, i), out)
    else:
        out[key] = v.rstrip() if isinstance(v, str) else str(v)
    return out

ABSENT = "(absent)"
md = []
for kind in ("id-ctrl", "id-ns"):
    d1, d2, k, j = (load(n + "-" + kind) for n in ("device-1", "device-2", "kernel", "jnvmet"))
    if d1 is None:
        print("FAIL: comparison %s: no device capture" % kind)
        continue
    d1 = flatten(d1)
    d2 = flatten(d2) if d2 is not None else d1
    k = flatten(k) if k is not None else None
    j = flatten(j) if j is not None else None
    keys = list(d1)
    for extra in (k or {}, j or {}, d2):
        keys += [x for x in extra if x not in keys]
    rows, diffs, owned_diff, patched, same = [], [], [], [], 0
    for key in keys:
        base = key.split("[")[0].split(".")[0]
        owned = base in OWNED[kind]
        dv1, dv2 = d1.get(key, ABSENT), d2.get(key, ABSENT)
        kv = k.get(key, ABSENT) if k is not None else None
        jv = j.get(key, ABSENT) if j is not None else None
        dev = dv1 if dv1 == dv2 else "%s → %s" % (dv1, dv2)
        if kv is not None and jv is not None:
            if kv == jv and jv == dv2 and kv == dv1:
                verdict = "same"
                same += 1
            elif owned:
                verdict = "target-owned" + (", kernel = jnvmet" if kv == jv else ", differs")
                if kv != jv:
                    owned_diff.append(key)
            elif kv == jv:
                verdict = "patched alike"
                patched.append(key)
            elif key in allow or base in allow:
                verdict = "DIFF (allowed)"
            else:
                verdict = "**DIFF**"
                diffs.append(key)
        else:
            t, tv, dv = ("kernel", kv, dv1) if kv is not None else ("jnvmet", jv, dv2)
            if tv is None:
                verdict = "device only"
            elif tv == dv:
                verdict = "same"
                same += 1
            else:
                verdict = "target-owned" if owned else "patched by " + t
                (owned_diff if owned else patched).append(key)
        cell = lambda v: "-" if v is None else (v if v != "" else '""').replace("|", "\\|")
        rows.append("| %s | %s | %s | %s | %s |" % (key, cell(dev), cell(kv), cell(jv), verdict))
    md.append("### %s (%d fields)\n" % (kind, len(keys)))
    md.append("| field | device | kernel passthru | jnvmet passthru | verdict |")
    md.append("| --- | --- | --- | --- | --- |")
    md.extend(rows)
    md.append("")
    print("INFO: %s: %d fields the same everywhere; patched alike/by the target: %s; target-owned that differ: %s"
          % (kind, same, " ".join(patched) or "none", " ".join(owned_diff) or "none"))
    if k is not None and j is not None:
        if diffs:
            print("FAIL: %s: jnvmet passthru differs from the kernel's passthru target outside the target-owned fields: %s"
                  % (kind, ", ".join("%s (kernel %s, jnvmet %s)" % (x, k.get(x, ABSENT), j.get(x, ABSENT)) for x in diffs)))
        else:
            print("PASS: %s: jnvmet passthru reports what the kernel's passthru target reports in every field outside the target-owned ones (%d fields)"
                  % (kind, len(keys)))
    elif j is None and k is None:
        print("FAIL: %s: no target capture to compare" % kind)
with open(out_md, "w") as f:
    f.write("\n".join(md) + "\n")
PY
while IFS= read -r line; do
  case "$line" in
    "PASS: "*) pass "${line#PASS: }" ;;
    "FAIL: "*) fail "${line#FAIL: }" ;;
    *) echo "$line" ;;
  esac
done <"$WORK/compare.out"
if [[ -s "$WORK/comparison.md" ]]; then
  echo "INFO: ---- identify comparison (also in $WORK/comparison.md) ----"
  cat "$WORK/comparison.md"
fi

# ---- guest kernel log ------------------------------------------------------------
# Same criteria as run-guest.sh --fail-on-dmesg (WARNING/BUG/Oops/... anywhere,
# and any nvme message at warning level or worse), except inside the windows the
# job marks with kernel-log markers, where only these lines are allowed:
#  reset-*: the host logs the reset of the fabrics controller (nvme/036);
#  kernel-target: the guest is also the target, and nvmet-tcp logs (error
#    level) an Identify (opcode 6, 4 KiB) its passthru code fails, about two per
#    connect. They are the reference target's, not the host's; the jnvmet part
#    of the run is outside this window.
ALLOW_reset='nvme nvme[0-9]+: resetting controller$'
ALLOW_kernel='nvmet_tcp: failed cmd [0-9a-f]+ id [0-9]+ opcode 6, data_len: 4096$'
DLOG="$WORK/guest/dmesg.log"
if [[ -s "$DLOG" ]]; then
  awk -v reset="$ALLOW_reset" -v kern="$ALLOW_kernel" '
    { lvl = 6 }
    match($0, /^<[0-9]+>/) { lvl = substr($0, 2, RLENGTH - 2) % 8 }
    /jnvmet-passthru: window-begin / { win[$NF] = 1; next }
    /jnvmet-passthru: window-end / { delete win[$NF]; next }
    {
      bad = ($0 ~ /WARNING:|BUG:|Oops|Call Trace|general protection|KASAN|UBSAN|blocked for more than/) ||
            (lvl <= 4 && tolower($0) ~ /nvme/)
      if (!bad) next
      r = 0
      for (w in win) if (w ~ /^reset-/) r = 1
      if (r && $0 ~ reset) print "EXPECTED " $0
      else if (("kernel-target" in win) && $0 ~ kern) print "EXPECTED " $0
      else print "BAD " $0
    }' "$DLOG" >"$WORK/dmesg-check.txt"
  sed -n 's/^EXPECTED //p' "$WORK/dmesg-check.txt" |
    sed -E 's/^<[0-9]+>\[ *[0-9.]+\] //; s/failed cmd [0-9a-f]+ id [0-9]+/failed cmd ... id .../' |
    sort | uniq -c | sed -E 's/^ *([0-9]+) (.*)$/INFO: expected kernel message (x\1): \2/'
  dmesg_verdict "$WORK/dmesg-check.txt"
else
  fail "guest kernel log: no dmesg.log from the guest"
fi

if [[ $RUN_JNVMET == 1 && -s "$WORK/jnvmet.log" ]]; then
  nerr="$(grep -cE '(^|[^A-Za-z])(ERROR|SEVERE)([^A-Za-z]|$)|Exception' "$WORK/jnvmet.log" || true)"
  echo "INFO: jnvmet log $WORK/jnvmet.log: $(wc -l <"$WORK/jnvmet.log") lines, $nerr ERROR/Exception lines"
  if [[ $FAILED -gt 0 ]]; then
    echo "INFO: ---- last jnvmet log lines ----"
    tail -n 40 "$WORK/jnvmet.log" | sed 's/^/jnvmet: /'
  fi
fi

summary
