#!/bin/bash
# Guest side of passthru.sh: the guest's own kernel NVMe/TCP host against a
# passthru export of the guest's emulated PCI NVMe controller (QEMU -device
# nvme), first through the kernel's own passthru target (the reference), then
# through jnvmet running in the guest (a JVM from this machine's root over 9p,
# run-guest.sh --hostfs), both on the guest's 127.0.0.1:4420. Prints one
# PASS:/FAIL:/SKIP:/INFO: line per check and exits 1 if any check failed.
#
# Per target, the equivalents of blktests nvme/033 (id-ctrl vid/sn/mn/fr and
# id-ns nsze/ncap equal the device's), 034 (fio verify on the namespace), 035
# (mkfs.ext4, mount, fio verify on a file), 036 (nvme reset) and 037 (ten times
# set up, connect, disconnect, tear down at once); the device's own counters
# (QEMU SMART log, diskstats) and a token read back from the PCI namespace show
# that the I/O reached the device; for jnvmet, its accounting (JMX) counts it.
#
# Output for passthru.sh besides the check lines:
#   CAPTURE-BEGIN NAME / CAPTURE-END NAME  raw nvme-cli JSON (NAME = device-1,
#       device-2 (before the jnvmet run), kernel, jnvmet + -id-ctrl/-id-ns)
#   TOKEN TARGET OFFSET_MIB SHA256   a 1 MiB pattern written through TARGET at
#       OFFSET that passthru.sh finds in the QEMU image file afterwards
#   JVMLOG: ...   the jnvmet log
# Kernel-log markers "jnvmet-passthru: window-begin/-end NAME" bracket steps
# whose nvme kernel messages passthru.sh tolerates (reset).
#
# Environment (passthru.sh): PCI_SERIAL, NQN, WORK (host path, the same inside
# host-chroot), LAUNCHER (jnvmet-standalone dir), JNVMET_JAVA_OPTS, FIO_SIZE,
# FS_FIO_SIZE, MKFS_SIZE, RUN_KERNEL (1/0), RUN_JNVMET (1/0),
# JVM_START_TIMEOUT, RELOAD_TIMEOUT, ITERATIONS (037), TOKEN_MIB_KERNEL,
# TOKEN_MIB_JNVMET.

FIO_SIZE="${FIO_SIZE:-32M}" FS_FIO_SIZE="${FS_FIO_SIZE:-16M}" MKFS_SIZE="${MKFS_SIZE:-192M}"
ITERATIONS="${ITERATIONS:-10}" PORT=4420 ADDR=127.0.0.1
# shellcheck source-path=SCRIPTDIR source=lib-guest.sh
. /job/lib-guest.sh || { echo "FAIL: /job/lib-guest.sh missing (run-guest.sh -f jobs/lib-guest.sh)"; exit 1; }
fio() { timeout 600 fio "$@"; }
kmsg() { echo "<6>jnvmet-passthru: $*" >/dev/kmsg; }
bytes() { # 32M -> 33554432
  case "$1" in
    *G) echo $((${1%G} << 30)) ;; *M) echo $((${1%M} << 20)) ;; *K | *k) echo $((${1%[Kk]} << 10)) ;; *) echo "$1" ;;
  esac
}
capture() { # capture NAME FILE: raw JSON for passthru.sh's comparison table
  echo "CAPTURE-BEGIN $1"
  cat "$2"
  echo
  echo "CAPTURE-END $1"
}

# ---- controllers and namespaces through sysfs ------------------------------
no_tcp_ctrls() { ! grep -lx tcp /sys/class/nvme/nvme*/transport >/dev/null 2>&1; }

# ---- the emulated PCI NVMe controller (the passthru device) -----------------
PCI_CTRL=""
for c in /sys/class/nvme/nvme*; do
  [[ "$(cat "$c/transport" 2>/dev/null)" == pcie && "$(trim <"$c/serial")" == "$PCI_SERIAL" ]] && PCI_CTRL="${c##*/}"
done
if ! check "emulated PCI NVMe controller with serial $PCI_SERIAL" test -n "$PCI_CTRL"; then
  # shellcheck disable=SC2012 # a listing for the reader
  ls -l /sys/class/nvme/ /dev/nvme* 2>&1 | sed 's/^/    | /'
  exit 1
fi
PCI_NS="$(disk_of_ctrl "$PCI_CTRL")"
check "PCI namespace block device /dev/$PCI_NS" test -b "/dev/$PCI_NS" || exit 1
PCI_DEV="/dev/$PCI_CTRL"
info "device: $PCI_DEV ($(trim <"/sys/class/nvme/$PCI_CTRL/model"), fw $(trim <"/sys/class/nvme/$PCI_CTRL/firmware_rev")), namespace /dev/$PCI_NS, $(($(cat "/sys/block/$PCI_NS/size") / 2048)) MiB, LBA $(cat "/sys/block/$PCI_NS/queue/logical_block_size") B"
info "guest: kernel $(uname -r), $(nproc) CPU(s), $(awk '/MemTotal/ {printf "%d MiB", $2 / 1024}' /proc/meminfo)"

device_capture() { # device_capture NAME: id-ctrl/id-ns of the PCI device
  if check "device: nvme id-ctrl / id-ns -o json on $PCI_DEV ($1)" sh -c \
    "nvme id-ctrl $PCI_DEV -o json >/tmp/$1-id-ctrl.json && nvme id-ns /dev/$PCI_NS -o json >/tmp/$1-id-ns.json"; then
    capture "$1-id-ctrl" /tmp/"$1"-id-ctrl.json
    capture "$1-id-ns" /tmp/"$1"-id-ns.json
  else
    return 1
  fi
}
device_capture device-1 || exit 1
DEV_CTRL=/tmp/device-1-id-ctrl.json DEV_NS=/tmp/device-1-id-ns.json

# Passthrough I/O (the kernel target's and the NVMe ioctls a user-space target
# uses) counts in diskstats only when the disk opts in (newer kernels).
IOSTATS_PT="/sys/block/$PCI_NS/queue/iostats_passthrough"
if [[ -e "$IOSTATS_PT" ]]; then
  check "enable $IOSTATS_PT" sh -c "echo 1 >$IOSTATS_PT"
else
  info "this kernel has no queue/iostats_passthrough: passthrough I/O does not show in /sys/block/$PCI_NS/stat"
fi

# Device-side counters: QEMU's SMART log (host read/write commands, data
# units of 512000 bytes) and the block layer's stat of the PCI namespace.
device_counters() { # -> "host_read_cmds host_write_cmds du_read du_written stat_reads stat_sectors_read stat_writes stat_sectors_written"
  nvme smart-log "$PCI_DEV" -o json >/tmp/smart.json 2>/dev/null || return 1
  echo "$(jval /tmp/smart.json host_read_commands) $(jval /tmp/smart.json host_write_commands)" \
    "$(jval /tmp/smart.json data_units_read) $(jval /tmp/smart.json data_units_written)" \
    "$(awk '{print $1, $3, $5, $7}' "/sys/block/$PCI_NS/stat")"
}

# ---- target personalities -----------------------------------------------------
CFS=/sys/kernel/config/nvmet
kernel_init() {
  modprobe nvmet && modprobe nvmet-tcp || return 1
  mkdir -p $CFS/ports/1 && echo tcp >$CFS/ports/1/addr_trtype && echo ipv4 >$CFS/ports/1/addr_adrfam &&
    echo $ADDR >$CFS/ports/1/addr_traddr && echo $PORT >$CFS/ports/1/addr_trsvcid
}
kernel_setup() { # kernel_setup NQN: passthru subsystem on $PCI_DEV, linked to port 1
  local s="$CFS/subsystems/$1"
  mkdir "$s" && echo 1 >"$s/attr_allow_any_host" && printf '%s' "$PCI_DEV" >"$s/passthru/device_path" &&
    echo 1 >"$s/passthru/enable" && ln -s "$s" "$CFS/ports/1/subsystems/$1"
}
kernel_teardown() {
  local s="$CFS/subsystems/$1"
  rm -f "$CFS/ports/1/subsystems/$1" && echo 0 >"$s/passthru/enable" && rmdir "$s"
}
kernel_fini() { rmdir $CFS/ports/1; }

# jnvmet: the standalone launcher in the guest, configured with nvmetcli JSON
# in the chroot's /tmp (guest path /host/tmp); setup/teardown = hot reload.
JCFG_DIR=/host/tmp/jnvmet JLOG=/tmp/jnvmet.log JPID=""
jn_config() { # jn_config NQN|"" OUT: the passthru config for NQN, or the empty one
  if [[ -n "$1" ]]; then
    sed "s|@NQN@|$1|g; s|@DEVICE@|$PCI_DEV|g" /job/passthru.json >"$2"
  else
    cp /job/passthru-empty.json "$2"
  fi
}
reloads() { grep -c -E 'configuration reloaded from|refused, the running configuration stays' "$JLOG"; }
jn_apply() { # jn_apply NQN|"": replace the config file atomically, wait for the reload
  local before
  before="$(reloads)"
  jn_config "$1" "$JCFG_DIR/.next.json" && mv "$JCFG_DIR/.next.json" "$JCFG_DIR/passthru.json" || return 1
  wait_for "${RELOAD_TIMEOUT:-60}" sh -c "[ \$(grep -c -E 'configuration reloaded from|refused, the running configuration stays' $JLOG) -gt $before ]" ||
    { echo "no reload logged within ${RELOAD_TIMEOUT:-60} s"; return 1; }
  ! tail -n 20 "$JLOG" | grep -q 'refused, the running configuration stays' || { tail -n 20 "$JLOG"; return 1; }
}
jnvmet_setup() { jn_apply "$1"; }
jnvmet_teardown() { jn_apply ""; }
# Accounting: DiskstatsLine of every org.jnvmet:type=Accounting MBean, read over
# JMX (Attach API) by a small client passthru.sh compiled into $WORK/classes.
jn_stats() { # JN_STATS="reads sectors_read writes sectors_written" of the passthru namespace's accounting device
  local t
  JN_STATS=""
  t="$(now)"
  timeout 120 host-chroot java -XX:TieredStopAtLevel=1 -Xshare:auto -cp "$WORK/classes" PassthruStats "$JPID" \
    >/tmp/jmx.out 2>&1 || { sed 's/^/    | /' /tmp/jmx.out >&2; return 1; }
  JMX_TIME="$(since "$t")"
  # The core names a passthru namespace like the local block device (nvme0n1).
  JN_DEVICE="$(awk -v want="${PCI_CTRL}n1" '$1 == "DISKSTATS" && ($2 == want || $2 ~ ("[^0-9]" want "$")) {print $2; exit}' /tmp/jmx.out)"
  [[ -n "$JN_DEVICE" ]] || return 1
  JN_STATS="$(awk -v d="$JN_DEVICE" '$1 == "DISKSTATS" && $2 == d {print $6, $8, $10, $12; exit}' /tmp/jmx.out)"
}

# ---- the suite, run against one target --------------------------------------
fio_verify() { # fio_verify NAME FILE SIZE [extra fio args]: randwrite + crc32c verify
  local name="$1" file="$2" size="$3" t rc
  shift 3
  t="$(now)"
  fio --name="$name" --filename="$file" --rw=randwrite --bssplit=4k/25:8k/15:16k/15:32k/15:64k/15:128k/15 \
    --size="$size" --ioengine=libaio --direct=1 --iodepth=16 --verify=crc32c --do_verify=1 --verify_fatal=1 \
    --verify_state_save=0 "$@" --output=/tmp/fio-"$name".out >/dev/null 2>&1
  rc=$?
  if [[ $rc -eq 0 ]] && ! grep -q 'err= *[1-9]' /tmp/fio-"$name".out; then
    FIO_TIME="$(since "$t")"
    return 0
  fi
  echo "fio rc $rc"
  tail -n 30 /tmp/fio-"$name".out
  return 1
}
run_suite() { # run_suite kernel|jnvmet
  local T="$1" ctrl dev J before after t i ok
  local label="$T passthru"
  info "==== $label (subsystem $NQN on tcp $ADDR:$PORT) ===="
  nvme discover -t tcp -a $ADDR -s $PORT -o json >/tmp/disc.json 2>&1
  check "$label: nvme discover lists $NQN" grep -q "\"subnqn\" *: *\"$NQN\"" /tmp/disc.json
  t="$(now)"
  if ! check "$label: nvme connect" nvme connect -t tcp -a $ADDR -s $PORT -n "$NQN" ||
    ! check "$label: namespace block device appears" wait_for 30 ns_of "$NQN"; then
    dmesg | tail -n 20 | sed 's/^/    | dmesg: /'
    return 1
  fi
  ctrl="$(ctrl_of "$NQN")" dev="$(ns_of "$NQN")"
  info "$label: controller /dev/$ctrl, namespace /dev/$dev (connect $(since "$t") s)"
  check "$label: controller live, transport tcp" sh -c \
    "[ \"\$(cat /sys/class/nvme/$ctrl/state)\" = live ] && [ \"\$(cat /sys/class/nvme/$ctrl/transport)\" = tcp ]"

  # -- nvme/033: identify data of the device through the target
  J=/tmp/$T-id-ctrl.json
  if check "$label: nvme id-ctrl -o json" nvme id-ctrl "/dev/$ctrl" -o json; then
    cp /tmp/check.out "$J"
    capture "$T-id-ctrl" "$J"
    for f in vid sn mn fr; do
      expect "033 $label: id-ctrl $f equals the device's" "$(jval "$DEV_CTRL" $f | trim)" "$(jval "$J" $f | trim)"
    done
    expect "$label: id-ctrl subnqn is the target's" "$NQN" "$(jval "$J" subnqn)"
    expect "$label: id-ctrl cntlid = sysfs cntlid" "$(cat /sys/class/nvme/"$ctrl"/cntlid)" "$(jval "$J" cntlid)"
  fi
  J=/tmp/$T-id-ns.json
  if check "$label: nvme id-ns -o json" nvme id-ns "/dev/$dev" -o json; then
    cp /tmp/check.out "$J"
    capture "$T-id-ns" "$J"
    for f in nsze ncap; do
      expect "033 $label: id-ns $f equals the device's" "$(jval "$DEV_NS" $f)" "$(jval "$J" $f)"
    done
  fi
  expect "$label: namespace size (sysfs sectors) equals the device's" \
    "$(cat /sys/block/"$PCI_NS"/size)" "$(cat /sys/block/"$dev"/size)"

  # -- nvme/034: fio verify; the device and (jnvmet) the accounting count it
  before="$(device_counters)"
  [[ $T == jnvmet ]] && { jn_stats; jn_before="$JN_STATS"; }
  if check "034 $label: fio randwrite + crc32c verify $FIO_SIZE on /dev/$dev" fio_verify "$T-034" "/dev/$dev" "$FIO_SIZE"; then
    info "$label: fio $FIO_SIZE write + verify took $FIO_TIME s"
    grep -E 'WRITE:|READ:' /tmp/fio-"$T"-034.out | sed "s/^ */INFO: fio $T: /"
  fi
  after="$(device_counters)"
  info "$label: device counters before: $before"
  info "$label: device counters after:  $after"
  local fb du
  fb="$(bytes "$FIO_SIZE")" du=$(($(bytes "$FIO_SIZE") / 512000))
  # shellcheck disable=SC2086 # word lists
  set -- $before $after
  if [[ $# -eq 16 ]]; then
    check "$label: device SMART log counts the fio writes (host_write_commands +$((${10} - $2)), data_units_written +$((${12} - $4)) >= $du)" \
      test $((${10} - $2)) -gt 0 -a $((${12} - $4)) -ge $du
    check "$label: device SMART log counts the fio verify reads (host_read_commands +$((${9} - $1)), data_units_read +$((${11} - $3)) >= $du)" \
      test $((${9} - $1)) -gt 0 -a $((${11} - $3)) -ge $du
    if [[ -e "$IOSTATS_PT" ]]; then
      check "$label: /sys/block/$PCI_NS/stat counts the fio writes (sectors written +$((${16} - $8)) >= $((fb / 512)))" \
        test $((${16} - $8)) -ge $((fb / 512))
    else
      info "$label: /sys/block/$PCI_NS/stat delta: reads +$((${13} - $5)), writes +$((${15} - $7)), sectors written +$((${16} - $8)) (passthrough I/O is not counted by this kernel)"
    fi
  else
    fail "$label: device counters unreadable (before '$before', after '$after')"
  fi
  if [[ $T == jnvmet ]]; then
    jn_stats
    jn_after="$JN_STATS"
    info "jnvmet accounting of ${JN_DEVICE:-${PCI_CTRL}n1} (reads sectors_read writes sectors_written): before '$jn_before', after '$jn_after' (JMX read ${JMX_TIME:-?} s)"
    grep '^DISKSTATS' /tmp/jmx.out | sed 's/^/INFO: jnvmet accounting MBean: /'
    # shellcheck disable=SC2086 # split into the eight counters
    set -- $jn_before $jn_after
    if [[ $# -eq 8 ]]; then
      check "jnvmet accounting (JMX DiskstatsLine of $JN_DEVICE) counts the fio writes: writes +$(($7 - $3)), sectors written +$(($8 - $4)) >= $((fb / 512))" \
        test $(($7 - $3)) -gt 0 -a $(($8 - $4)) -ge $((fb / 512))
      check "jnvmet accounting counts the fio verify reads: reads +$(($5 - $1)), sectors read +$(($6 - $2)) >= $((fb / 512))" \
        test $(($5 - $1)) -gt 0 -a $(($6 - $2)) -ge $((fb / 512))
    else
      fail "jnvmet accounting: no org.jnvmet:type=Accounting MBean for device ${PCI_CTRL}n1 (before '$jn_before', after '$jn_after')"
      sed 's/^/    | /' /tmp/jmx.out | tail -n 20
    fi
  fi

  # -- nvme/035: ext4 on the exported namespace (not on its last 64 MiB: tokens)
  t="$(now)"
  if check "035 $label: mkfs.ext4 ($MKFS_SIZE) on /dev/$dev" mkfs.ext4 -q -F "/dev/$dev" "$MKFS_SIZE" &&
    check "035 $label: mount ext4" mount -t ext4 "/dev/$dev" /mnt; then
    if check "035 $label: fio randwrite + crc32c verify $FS_FIO_SIZE on a file in ext4" \
      fio_verify "$T-035" /mnt/fio.file "$FS_FIO_SIZE"; then info "$label: ext4 fio took $FIO_TIME s"; fi
    check "035 $label: file round trip and umount" sh -ec "
      dd if=/dev/urandom of=/tmp/f.bin bs=64k count=8 2>/dev/null; cp /tmp/f.bin /mnt/f.bin; sync
      umount /mnt; mount -t ext4 /dev/$dev /mnt; cmp /tmp/f.bin /mnt/f.bin; umount /mnt"
    grep -q ' /mnt ' /proc/mounts && umount /mnt
    info "$label: mkfs + mount + fio took $(since "$t") s"
  fi

  # -- nvme/036: controller reset, then I/O; the token shows up on the device
  kmsg "window-begin reset-$T"
  t="$(now)"
  check "036 $label: nvme reset /dev/$ctrl" nvme reset "/dev/$ctrl"
  check "036 $label: controller live again after reset" wait_for 30 is_live "$NQN"
  kmsg "window-end reset-$T"
  info "$label: reset to live $(since "$t") s"
  expect "036 $label: same controller after reset" "$ctrl" "$(ctrl_of "$NQN")"
  check "036 $label: id-ctrl after reset" sh -c "nvme id-ctrl /dev/$ctrl -o json | grep -q '\"sn\" *: *\"$(jval $DEV_CTRL sn | trim)'"
  local mib sum
  mib="$(val "TOKEN_MIB_${T^^}")"
  dd if=/dev/urandom of=/tmp/token bs=64k count=16 2>/dev/null
  sum="$(sha256sum </tmp/token | cut -d' ' -f1)"
  if check "036 $label: write 1 MiB token at $mib MiB through /dev/$dev (O_DIRECT) after the reset" \
    dd if=/tmp/token of="/dev/$dev" bs=64k seek=$((mib * 16)) oflag=direct conv=notrunc; then
    check "$label: the token reads back through the target" sh -c \
      "dd if=/dev/$dev bs=64k skip=$((mib * 16)) count=16 iflag=direct 2>/dev/null | sha256sum | grep -q $sum"
    check "$label: the token is on the device (read from /dev/$PCI_NS directly, O_DIRECT)" sh -c \
      "dd if=/dev/$PCI_NS bs=64k skip=$((mib * 16)) count=16 iflag=direct 2>/dev/null | sha256sum | grep -q $sum"
    echo "TOKEN $T $mib $sum"
  fi

  check "$label: nvme disconnect" sh -c "nvme disconnect -n '$NQN' | grep -q 'disconnected 1 controller'"
  check "$label: controller and /dev/$dev gone" wait_for 15 sh -c "! grep -lx '$NQN' /sys/class/nvme/nvme*/subsysnqn && [ ! -e /dev/$dev ]"
  check "$label: tear down" "${T}_teardown" "$NQN"

  # -- nvme/037: ten times set up, connect, disconnect, tear down at once
  t="$(now)" ok=0
  local nqn
  for ((i = 0; i < ITERATIONS; i++)); do
    nqn="${NQN%%:*}:blktests-subsystem-$i"
    if "${T}_setup" "$nqn" >/tmp/037.out 2>&1 &&
      nvme connect -t tcp -a $ADDR -s $PORT -n "$nqn" >>/tmp/037.out 2>&1 &&
      wait_for 30 ns_of "$nqn" &&
      nvme disconnect -n "$nqn" 2>&1 | tee -a /tmp/037.out | grep -q 'disconnected 1 controller' &&
      "${T}_teardown" "$nqn" >>/tmp/037.out 2>&1; then
      ok=$((ok + 1))
    else
      echo "    | iteration $i ($nqn) failed:"
      sed 's/^/    | /' /tmp/037.out | tail -n 10
      nvme disconnect -n "$nqn" >/dev/null 2>&1
      "${T}_teardown" "$nqn" >/dev/null 2>&1
    fi
  done
  expect "037 $label: setup + connect + disconnect + teardown iterations that succeeded" "$ITERATIONS" "$ok"
  info "$label: 037 took $(since "$t") s ($ITERATIONS iterations)"
  check "037 $label: no fabrics controller left" wait_for 15 no_tcp_ctrls
  check "$label: PCI controller $PCI_CTRL still live" sh -c "[ \"\$(cat /sys/class/nvme/$PCI_CTRL/state)\" = live ]"
}

# ---- 1. the kernel's own passthru target (reference) -------------------------
if [[ "${RUN_KERNEL:-1}" == 1 ]]; then
  T0="$(now)"
  kmsg "window-begin kernel-target"
  if check "kernel passthru: load nvmet, nvmet-tcp; tcp port $ADDR:$PORT" kernel_init &&
    check "kernel passthru: subsystem $NQN with passthru/device_path=$PCI_DEV, enable=1" kernel_setup "$NQN"; then
    run_suite kernel
  fi
  check "kernel passthru: port removed" kernel_fini
  kmsg "window-end kernel-target"
  info "kernel passthru suite took $(since "$T0") s"
else
  skip "kernel passthru reference (RUN_KERNEL=0)"
fi

# ---- 2. jnvmet in the guest ---------------------------------------------------
if [[ "${RUN_JNVMET:-1}" == 1 ]]; then
  device_capture device-2
  T0="$(now)"
  host-chroot true && mkdir -p "$JCFG_DIR" && jn_config "$NQN" "$JCFG_DIR/passthru.json"
  check "jnvmet: config in the chroot's /tmp" test -s "$JCFG_DIR/passthru.json"
  : >"$JLOG"
  t="$(now)"
  host-chroot sh -c "JAVA_OPTS='$JNVMET_JAVA_OPTS' exec '$LAUNCHER/bin/jnvmet-standalone' --config /tmp/jnvmet/passthru.json" \
    >"$JLOG" 2>&1 &
  JPID=$!
  started() { grep -q 'target running' "$JLOG" || ! kill -0 "$JPID"; }
  wait_for "${JVM_START_TIMEOUT:-240}" started
  if grep -q 'target running' "$JLOG" && kill -0 "$JPID" 2>/dev/null; then
    pass "jnvmet: launcher started in the guest (pid $JPID, 'target running' after $(since "$t") s)"
    info "jnvmet: JAVA_OPTS $JNVMET_JAVA_OPTS"
    if grep -q 'Unable to use shared archive' "$JLOG"; then info "jnvmet: the JVM did not use the AppCDS archive: $(grep -m1 'shared archive' "$JLOG")"; fi
    check "jnvmet: listening on $ADDR:$PORT" wait_for 10 sh -c "netstat -tln | grep -q ':$PORT .*LISTEN'"
    run_suite jnvmet
    t="$(now)"
    kill -TERM "$JPID"
    if wait_for 30 sh -c "! kill -0 $JPID"; then pass "jnvmet: stopped on SIGTERM ($(since "$t") s)"; else
      fail "jnvmet: still running 30 s after SIGTERM"
      kill -KILL "$JPID"
    fi
    wait "$JPID" 2>/dev/null
  else
    fail "jnvmet: launcher did not start within ${JVM_START_TIMEOUT:-240} s (or exited: $(kill -0 "$JPID" 2>/dev/null && echo running || echo exited))"
    kill -KILL "$JPID" 2>/dev/null
  fi
  info "jnvmet passthru suite took $(since "$T0") s"
  check "jnvmet log: no Netty LEAK" sh -c "! grep -q 'LEAK:' $JLOG"
  info "jnvmet log: $(grep -cE '(^|[^A-Za-z])(ERROR|SEVERE)([^A-Za-z]|$)|Exception' "$JLOG") ERROR/Exception lines, $(wc -l <"$JLOG") lines"
  sed 's/^/JVMLOG: /' "$JLOG"
else
  skip "jnvmet passthru (RUN_JNVMET=0)"
fi

check "end: PCI controller $PCI_CTRL live and answering id-ctrl" sh -c \
  "[ \"\$(cat /sys/class/nvme/$PCI_CTRL/state)\" = live ] && nvme id-ctrl $PCI_DEV >/dev/null"
sync
[[ $FAILS -eq 0 ]]
