#!/usr/bin/env bash
# run-guest.sh [options] JOB.sh - boot the prepared Linux guest under QEMU (TCG),
# run JOB.sh inside it as root, print its stdout/stderr and exit with its exit
# code. Run prepare.sh first.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: run-guest.sh [options] JOB.sh

JOB.sh runs in the guest as /job/job.sh (cwd /job) via its #! line
(/bin/sh = busybox ash, /bin/bash exists). The guest has eth0 10.0.2.15/24,
no default route; 10.0.2.2 is this machine's 127.0.0.1.

options:
  -t, --timeout SECS      bound the whole run (default 600)
  -m, --memory MIB        guest RAM (default 2048; 3072 with --hostfs)
      --smp N             guest vCPUs (default 1; TCG runs them on one thread)
  -e, --env NAME=VALUE    export a variable to the job (repeatable)
  -f, --file SRC[:DEST]   copy a file/dir into the guest at /job/DEST
                          (default /job/$(basename SRC)) (repeatable)
      --nvme IMG[:SERIAL] add an emulated PCI NVMe controller with IMG (raw) as
                          namespace 1 (repeatable; waits for its block device)
      --hostfs            share this machine's / read-only via virtio-9p at
                          /host; run host programs with: host-chroot CMD...
      --hostfwd HP:GP     forward 127.0.0.1:HP on this machine to guest port GP
                          (tcp, repeatable)
      --modules "M ..."   extra kernel modules to modprobe before the job
      --append ARGS       extra kernel command-line arguments
      --qemu-arg ARG      extra QEMU argument (repeatable)
      --out DIR           keep logs in DIR (default: a new dir under $TMPDIR)
      --console           stream the guest console to stderr while running
      --verbose-kernel    full kernel log on the console (drops 'quiet')
      --fail-on-dmesg     exit 126 if the guest kernel log has nvme warnings or
                          errors, or any WARNING/BUG/Oops (after the job passed)
      --dmesg-ignore RE   ignore dmesg lines matching RE (grep -E) in that check
  -q, --quiet             do not print the job's stdout/stderr (still saved)
  -h, --help

files in the --out dir: stdout, stderr, rc, dmesg.log (guest `dmesg -r` taken
after the job), console.log (serial console), qemu.log.
exit status: the job's, or 124 timeout, 125 guest/boot failure (no exit code
reported), 126 dmesg check failed, 2 usage error.
environment: JNVMET_QEMU_CACHE (default $HOME/.cache/jnvmet-qemu), QEMU
(default qemu-system-x86_64).
EOF
}

die() { printf 'run-guest: %s\n' "$*" >&2; exit 2; }
msg() { printf 'run-guest: %s\n' "$*" >&2; }

CACHE="${JNVMET_QEMU_CACHE:-$HOME/.cache/jnvmet-qemu}"
QEMU="${QEMU:-qemu-system-x86_64}"
TIMEOUT=600 MEM="" SMP=1 OUT="" HOSTFS=0 CONSOLE=0 FAIL_DMESG=0 QUIET=0
DMESG_IGNORE="" MODULES="" APPEND="" KQUIET=quiet
ENVS=() FILES=() NVMES=() HOSTFWDS=() QEMU_EXTRA=()

need() { [[ $# -ge 2 ]] || die "option $1 needs an argument"; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    -t | --timeout) need "$@"; TIMEOUT="$2"; shift 2 ;;
    -m | --memory) need "$@"; MEM="$2"; shift 2 ;;
    --smp) need "$@"; SMP="$2"; shift 2 ;;
    -e | --env) need "$@"; [[ "$2" =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] || die "bad --env '$2' (NAME=VALUE)"; ENVS+=("$2"); shift 2 ;;
    -f | --file) need "$@"; FILES+=("$2"); shift 2 ;;
    --nvme) need "$@"; NVMES+=("$2"); shift 2 ;;
    --hostfs) HOSTFS=1; shift ;;
    --hostfwd) need "$@"; [[ "$2" =~ ^[0-9]+:[0-9]+$ ]] || die "bad --hostfwd '$2' (HOSTPORT:GUESTPORT)"; HOSTFWDS+=("$2"); shift 2 ;;
    --modules) need "$@"; MODULES="$MODULES $2"; shift 2 ;;
    --append) need "$@"; APPEND="$APPEND $2"; shift 2 ;;
    --qemu-arg) need "$@"; QEMU_EXTRA+=("$2"); shift 2 ;;
    --out) need "$@"; OUT="$2"; shift 2 ;;
    --console) CONSOLE=1; shift ;;
    --verbose-kernel) KQUIET=""; shift ;;
    --fail-on-dmesg) FAIL_DMESG=1; shift ;;
    --dmesg-ignore) need "$@"; DMESG_IGNORE="$2"; shift 2 ;;
    -q | --quiet) QUIET=1; shift ;;
    -h | --help) usage; exit 0 ;;
    --) shift; break ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) break ;;
  esac
done
[[ $# -eq 1 ]] || { usage >&2; exit 2; }
JOB="$1"
[[ -f "$JOB" ]] || die "no such job file: $JOB"
[[ "$TIMEOUT" =~ ^[0-9]+$ ]] || die "bad --timeout"
[[ -z "$MEM" ]] && { [[ $HOSTFS == 1 ]] && MEM=3072 || MEM=2048; }

[[ -r "$CACHE/current.env" ]] || die "no $CACHE/current.env: run prepare.sh first"
KERNEL="" INITRD=""
# shellcheck disable=SC1091
source "$CACHE/current.env"
[[ -f "$KERNEL" && -f "$INITRD" ]] || die "cached kernel/initramfs missing: run prepare.sh"
command -v "$QEMU" >/dev/null || die "$QEMU not found: run prepare.sh"

if [[ -z "$OUT" ]]; then
  OUT="$(mktemp -d "${TMPDIR:-/tmp}/jnvmet-guest.XXXXXX")"
else
  mkdir -p "$OUT"
fi
OUT="$(cd "$OUT" && pwd)"
rm -f "$OUT"/{stdout,stderr,rc,dmesg.log,console.log,qemu.log}
: >"$OUT/stdout"; : >"$OUT/stderr"; : >"$OUT/rc"; : >"$OUT/dmesg.log"; : >"$OUT/console.log"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/jnvmet-guest-run.XXXXXX")"
QPID="" TPID=""
# shellcheck disable=SC2317 # invoked by trap
cleanup() {
  [[ -n "$QPID" ]] && kill "$QPID" 2>/dev/null
  [[ -n "$TPID" ]] && kill "$TPID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- the job cpio: /job/job.sh, /job/env, extra files --------------------
J="$WORK/jobroot/job"
mkdir -p "$J"
cp "$JOB" "$J/job.sh"
chmod 755 "$J/job.sh"
sq() { printf "'%s'" "${1//\'/\'\\\'\'}"; } # single-quote for sh
{
  echo "export JNVMET_HOST_ADDR=10.0.2.2"
  for kv in "${ENVS[@]+"${ENVS[@]}"}"; do
    echo "export ${kv%%=*}=$(sq "${kv#*=}")"
  done
  echo "JNVMET_MODULES=$(sq "$MODULES")"
  echo "JNVMET_HOSTFS=$HOSTFS"
  echo "JNVMET_NVME_PCI=${#NVMES[@]}"
} >"$J/env"
for spec in "${FILES[@]+"${FILES[@]}"}"; do
  src="${spec%%:*}" dest="$(basename "${spec%%:*}")"
  [[ "$spec" == *:* ]] && dest="${spec#*:}"
  [[ -e "$src" ]] || die "no such file: $src"
  mkdir -p "$(dirname "$J/$dest")"
  cp -a "$src" "$J/$dest"
done
(cd "$WORK/jobroot" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$WORK/job.cpio"
cat "$INITRD" "$WORK/job.cpio" >"$WORK/initrd.cpio"

# ---- QEMU command line ----------------------------------------------------
NET="user,id=net0,ipv6=off"
for fw in "${HOSTFWDS[@]+"${HOSTFWDS[@]}"}"; do
  NET="$NET,hostfwd=tcp:127.0.0.1:${fw%%:*}-:${fw#*:}"
done
# shellcheck disable=SC2054 # commas are QEMU syntax
ARGS=(
  -nodefaults -no-user-config -nographic -no-reboot
  -machine pc -accel tcg,thread=single -cpu Westmere -m "$MEM" -smp "$SMP"
  -kernel "$KERNEL" -initrd "$WORK/initrd.cpio"
  -append "console=ttyS0 $KQUIET panic=-1 mitigations=off$APPEND"
  -serial "file:$OUT/console.log" -monitor none
  -fw_cfg name=etc/sercon-port,string=0
  -netdev "$NET" -device virtio-net-pci,netdev=net0,romfile=
  -device virtio-serial-pci,id=vser0
)
for p in stdout stderr rc dmesg; do
  f="$OUT/$p"; [[ $p == dmesg ]] && f="$OUT/dmesg.log"
  ARGS+=(-chardev "file,id=c_$p,path=$f" -device "virtserialport,bus=vser0.0,chardev=c_$p,name=jnvmet.$p")
done
i=0
for spec in "${NVMES[@]+"${NVMES[@]}"}"; do
  img="${spec%%:*}" serial="jnvmet-qemu-$i"
  [[ "$spec" == *:* ]] && serial="${spec#*:}"
  [[ -f "$img" ]] || die "no such NVMe image: $img"
  ARGS+=(-drive "file=$img,if=none,id=nvm$i-1,format=raw"
    -device "nvme,id=nvme$i,serial=$serial"
    -device "nvme-ns,drive=nvm$i-1,bus=nvme$i,nsid=1")
  i=$((i + 1))
done
if [[ $HOSTFS == 1 ]]; then
  # shellcheck disable=SC2054
  ARGS+=(-fsdev local,id=hostfs,path=/,security_model=none,readonly=on,multidevs=remap
    -device virtio-9p-pci,fsdev=hostfs,mount_tag=hostroot)
fi
ARGS+=("${QEMU_EXTRA[@]+"${QEMU_EXTRA[@]}"}")

# ---- run -------------------------------------------------------------------
START=$(date +%s.%N)
timeout -k 5 "$TIMEOUT" "$QEMU" "${ARGS[@]}" </dev/null >"$OUT/qemu.log" 2>&1 &
QPID=$!
if [[ $CONSOLE == 1 ]]; then
  tail -n +1 -F --pid="$QPID" "$OUT/console.log" >&2 2>/dev/null &
  TPID=$!
fi
set +e
wait "$QPID"
QRC=$?
set -e
QPID=""
[[ -n "$TPID" ]] && { wait "$TPID" 2>/dev/null || true; TPID=""; }
ELAPSED=$(awk -v s="$START" -v e="$(date +%s.%N)" 'BEGIN {printf "%.1f", e - s}')

show_output() {
  [[ $QUIET == 1 ]] && return 0
  cat "$OUT/stdout"
  cat "$OUT/stderr" >&2
}
tail_logs() {
  msg "---- last console lines ($OUT/console.log) ----"
  tail -n 30 "$OUT/console.log" >&2 || true
  echo >&2
  if grep -qv 'sercon-port' "$OUT/qemu.log" 2>/dev/null; then
    msg "---- qemu.log ----"
    grep -v 'sercon-port' "$OUT/qemu.log" | tail -n 20 >&2 || true
  fi
}

RC="$(tr -d '\r\n' <"$OUT/rc")"
if [[ $QRC -eq 124 || $QRC -eq 137 ]]; then
  show_output
  tail_logs
  msg "TIMEOUT: guest did not finish within ${TIMEOUT}s (logs: $OUT)"
  exit 124
fi
if ! [[ "$RC" =~ ^[0-9]+$ ]]; then
  show_output
  tail_logs
  if [[ -n "$RC" ]]; then
    msg "GUEST FAILURE: $RC (qemu exit $QRC, ${ELAPSED}s, logs: $OUT)"
  else
    msg "GUEST FAILURE: no exit code reported (boot failure or kernel panic?) (qemu exit $QRC, ${ELAPSED}s, logs: $OUT)"
  fi
  exit 125
fi
show_output

if [[ $FAIL_DMESG == 1 && $RC -eq 0 ]]; then
  # raw dmesg lines: "<prio>[time] text", prio = facility*8 + level;
  # levels 0-4 = emerg..warning. No dmesg (job killed the guest?): console.
  DLOG="$OUT/dmesg.log"
  [[ -s "$DLOG" ]] || DLOG="$OUT/console.log"
  BAD="$(awk '
    /WARNING:|BUG:|Oops|Call Trace|general protection|KASAN|UBSAN|blocked for more than/ {print; next}
    match($0, /^<[0-9]+>/) && (substr($0, 2, RLENGTH - 2) % 8) <= 4 && tolower($0) ~ /nvme/ {print}
  ' "$DLOG" | { if [[ -n "$DMESG_IGNORE" ]]; then grep -avE "$DMESG_IGNORE"; else cat; fi; } || true)"
  if [[ -n "$BAD" ]]; then
    msg "DMESG CHECK FAILED (logs: $OUT):"
    printf '%s\n' "$BAD" >&2
    exit 126
  fi
fi
msg "job exit code $RC (${ELAPSED}s, logs: $OUT)"
exit "$RC"
