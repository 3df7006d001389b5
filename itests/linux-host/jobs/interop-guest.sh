#!/bin/bash
# Guest side of interop.sh: a real Linux NVMe/TCP host (kernel nvme-tcp,
# nvme-cli 2.3, fio) against the target under test. Prints one PASS:/FAIL:/
# SKIP:/INFO: line per check and exits 1 if any check failed.
#
# /job/expect.env (interop-ctl.py render) holds what the target was configured
# with: RAM_* and FILE_* (subsystem NQN, nsid, size, LBA size, uuid, nguid,
# serial, model, firmware, version ...), the ports and the EXPECT_* values.
# Environment from interop.sh: TARGET_ADDR (10.0.2.2 = this machine's
# 127.0.0.1, or 127.0.0.1 for the guest's own target), CTRL_PORT (control
# server for the restart and GET /diskstats; jnvmet mode), FIO_SIZE (64M),
# RESTART_DOWNTIME.
# Reference mode (MODE=reference): /job/configfs.sh sets the guest kernel's own
# nvmet up with the same subsystems, and "restarting the target" is a full
# configfs teardown + setup.
#
# Kernel-log markers: "jnvmet-interop: window-begin NAME" / "window-end NAME"
# bracket the steps whose nvme errors are expected (interop.sh allows only
# specific messages inside them).

# shellcheck disable=SC1091 # written by interop-ctl.py render
. /job/expect.env
FIO_SIZE="${FIO_SIZE:-64M}"
RESTART_DOWNTIME="${RESTART_DOWNTIME:-2}"
# shellcheck source-path=SCRIPTDIR source=lib-guest.sh
. /job/lib-guest.sh || { echo "FAIL: /job/lib-guest.sh missing (run-guest.sh -f jobs/lib-guest.sh)"; exit 1; }
# fio is bounded like nvme-cli (lib-guest.sh); the run as a whole by run-guest.sh
fio() { timeout 400 fio "$@"; }
# need ROLE... DESC: true if every ROLE is connected, else a SKIP line for DESC
need() {
  local r missing=""
  while [[ $# -gt 1 ]]; do
    [[ "$(val "${1}_OK")" == 1 ]] || missing="$missing $1"
    shift
  done
  [[ -z "$missing" ]] && return 0
  skip "$1 (not connected:$missing)"
  return 1
}
kmsg() { echo "<6>jnvmet-interop: $*" >/dev/kmsg; }

conns_to() { # established TCP connections to TARGET_ADDR:PORT
  netstat -tn 2>/dev/null | awk -v t="$TARGET_ADDR:$1" '$5 == t && $6 == "ESTABLISHED"' | wc -l
}
reconnects() { # "Successfully reconnected" lines for nvmeX in the kernel log
  dmesg | grep -c "nvme $1: Successfully reconnected" || true
}
# connect ROLE DESC [nvme connect options...]: connect and wait for the disk
connect() {
  local role="$1" desc="$2" nqn
  shift 2
  nqn="$(val "${role}_NQN")"
  printf -v "${role}_OK" 0; printf -v "${role}_CTRL" ''; printf -v "${role}_DEV" ''
  if check "nvme connect $role ($desc)" nvme connect -t tcp -a "$TARGET_ADDR" -s "$IO_PORT" -n "$nqn" "$@" &&
    check "$role: namespace block device appears ($desc)" wait_for 20 ns_of "$nqn"; then
    printf -v "${role}_CTRL" '%s' "$(ctrl_of "$nqn")"
    printf -v "${role}_DEV" '%s' "$(ns_of "$nqn")"
    info "$role: controller /dev/$(val "${role}_CTRL"), namespace /dev/$(val "${role}_DEV")"
    printf -v "${role}_OK" 1
    return 0
  fi
  return 1
}
disconnect() { # disconnect ROLE
  local nqn dev
  need "$1" "nvme disconnect $1" || return 1
  nqn="$(val "${1}_NQN")"
  dev="$(val "${1}_DEV")"
  check "nvme disconnect $1" sh -c "nvme disconnect -n '$nqn' | grep -q 'disconnected 1 controller'"
  gone() { ! ctrl_of "$nqn" && [[ ! -e "/dev/$dev" ]]; }
  check "$1: controller and /dev/$dev gone after disconnect" wait_for 15 gone
  printf -v "${1}_OK" 0
}
# queues ROLE WANT_IO: /sys queue_count (admin + I/O) and one TCP connection each
queues() {
  local c qc
  need "$1" "$1: I/O queue count" || return 1
  c="$(val "${1}_CTRL")"
  qc="$(cat /sys/class/nvme/"$c"/queue_count 2>/dev/null)"
  expect "$1: I/O queues (sysfs queue_count - 1)" "$2" "$((qc - 1))"
}

# bssplit for LBA size 2^LBADS: 512 B .. 128 KiB, sizes below one LBA folded
# into the LBA size. Weights favour large blocks so 64 MiB stays ~1 min under TCG.
bssplit_for() {
  local min=$((1 << $1)) out="" s w fold=0
  for sw in 512/12 1k/4 2k/4 4k/16 8k/10 16k/10 32k/10 64k/14 128k/20; do
    s="${sw%/*}" w="${sw#*/}"
    case "$s" in *k) s=$((${s%k} * 1024)) ;; esac
    if ((s < min)); then fold=$((fold + w)); continue; fi
    w=$((w + fold)); fold=0
    out="$out${out:+:}$s/$w"
  done
  echo "$out"
}
# fio_verify ROLE SIZE NAME: random write with crc32c verify over SIZE
fio_verify() {
  local role="$1" size="$2" name="$3" dev lbads split t rc
  need "$role" "fio $role $size" || return 1
  dev="$(val "${role}_DEV")"
  lbads="$(val "${role}_LBADS")"
  split="$(bssplit_for "$lbads")"
  t="$(now)"
  fio --name="$name" --filename="/dev/$dev" --rw=randwrite --bssplit="$split" --size="$size" \
    --ioengine=libaio --direct=1 --iodepth=16 --verify=crc32c --do_verify=1 --verify_fatal=1 \
    --verify_state_save=0 --output=/tmp/fio-"$name".out >/dev/null 2>&1
  rc=$?
  if [[ $rc -eq 0 ]] && ! grep -q 'err= *[1-9]' /tmp/fio-"$name".out; then
    pass "fio $role: randwrite + crc32c verify $size, bssplit $split ($(since "$t") s)"
  else
    fail "fio $role: randwrite + crc32c verify $size (rc $rc)"
    sed 's/^/    | /' /tmp/fio-"$name".out | tail -n 30
  fi
  grep -E 'WRITE:|READ:' /tmp/fio-"$name".out | sed "s/^ */INFO: fio $name: /"
}

echo "INFO: mode $MODE, target $TARGET_ADDR, ports $PORTS, guest CPUs $(nproc), kernel $(uname -r)"

# ---- the target -------------------------------------------------------------
if [[ "$MODE" == reference ]]; then
  check "reference: configure the guest kernel's nvmet from the interop config" sh /job/configfs.sh setup
  restart_target() {
    sh /job/configfs.sh teardown && sleep "$RESTART_DOWNTIME" && sh /job/configfs.sh setup
  }
else
  restart_target() {
    timeout 240 wget -q -O - "http://$JNVMET_HOST_ADDR:$CTRL_PORT/restart"
  }
fi

# ---- discovery: every port lists the subsystems linked to it ----------------
for port in $PORTS; do
  traddr="$(val "PORT_${port}_TRADDR")"
  adrfam="$(val "PORT_${port}_ADRFAM")"
  want="$(val "PORT_${port}_SUBSYS")"
  if [[ "$port" == 8009 ]]; then
    args=() how="default port 8009" # nvme-cli's default discovery port
  else
    args=(-s "$port") how="-s $port"
  fi
  if check "nvme discover ($how)" nvme discover -t tcp -a "$TARGET_ADDR" "${args[@]}" -o json; then
    cp /tmp/check.out /tmp/disc-"$port".json
    jobjects /tmp/disc-"$port".json subtype subnqn trtype adrfam traddr trsvcid >/tmp/disc-"$port".rec
    for nqn in $want; do
      check "discovery log on $port: $nqn, tcp $adrfam $traddr:$port" \
        grep -qxF "nvme subsystem|$nqn|tcp|$adrfam|$traddr|$port" /tmp/disc-"$port".rec ||
        sed 's/^/    | /' /tmp/disc-"$port".rec
    done
    expect "discovery log on $port: number of NVM subsystem records" "$(echo "$want" | wc -w)" \
      "$(grep -c '^nvme subsystem|' /tmp/disc-"$port".rec)"
    info "discovery log on $port: $(grep -c '^current discovery subsystem|' /tmp/disc-"$port".rec) current-discovery-subsystem record(s)"
  fi
done

# ---- connect: default options (RAM) and digests + 1 I/O queue (FILE) -------
NCPU="$(nproc)"
connect RAM "default options"
queues RAM "$NCPU"
connect FILE "-g -G --nr-io-queues=1" -g -G --nr-io-queues=1
queues FILE 1
for r in RAM FILE; do
  need $r "$r: controller state" || continue
  c="$(val "${r}_CTRL")"
  check "$r: controller state live, transport tcp" \
    sh -c "[ \"\$(cat /sys/class/nvme/$c/state)\" = live ] && [ \"\$(cat /sys/class/nvme/$c/transport)\" = tcp ]"
done
if need RAM FILE "TCP connections per queue"; then
  want_conns=$(($(cat /sys/class/nvme/"$RAM_CTRL"/queue_count) + $(cat /sys/class/nvme/"$FILE_CTRL"/queue_count)))
  expect "TCP connections to $TARGET_ADDR:$IO_PORT (one per queue)" "$want_conns" "$(conns_to "$IO_PORT")"
fi

# ---- nvme list --------------------------------------------------------------
nvme list -o json >/tmp/list.json 2>&1
check "nvme list -o json exit 0" test $? -eq 0
nvme list >/tmp/list.txt 2>&1
for r in RAM FILE; do
  need $r "$r: nvme list" || continue
  dev="$(val "${r}_DEV")" sn="$(val "${r}_SN")" mn="$(val "${r}_MN")"
  size="$(val "${r}_SIZE")" lbads="$(val "${r}_LBADS")"
  got="$(jobjects /tmp/list.json DevicePath SerialNumber ModelNumber MaximumLBA SectorSize |
    awk -F'|' -v d="/dev/$dev" '$1 == d' | sed 's/ *|/|/g; s/ *$//')"
  expect "$r: nvme list -o json device|serial|model|lbas|sector size" \
    "/dev/$dev|$sn|$mn|$((size >> lbads))|$((1 << lbads))" "$got"
  check "$r: nvme list shows /dev/$dev" grep -q "^/dev/$dev " /tmp/list.txt
done

# ---- identify controller / namespace --------------------------------------
for r in RAM FILE; do
  need $r "$r: identify" || continue
  c="$(val "${r}_CTRL")" dev="$(val "${r}_DEV")"
  if check "$r: nvme id-ctrl -o json" nvme id-ctrl "/dev/$c" -o json; then
    cp /tmp/check.out /tmp/idctrl-$r.json
    J=/tmp/idctrl-$r.json
    expect "$r id-ctrl sn" "$(val "${r}_SN")" "$(jval $J sn | trim)"
    expect "$r id-ctrl mn" "$(val "${r}_MN")" "$(jval $J mn | trim)"
    expect "$r id-ctrl fr" "$(val "${r}_FR")" "$(jval $J fr | trim)"
    expect "$r id-ctrl subnqn" "$(val "${r}_NQN")" "$(jval $J subnqn)"
    v="$(val "${r}_VER")"
    if [[ -n "$v" ]]; then expect "$r id-ctrl ver" "$v" "$(jval $J ver)"; fi
    expect "$r id-ctrl ieee (attr_ieee_oui)" "$(val "${r}_IEEE")" "$(jval $J ieee)"
    cntlid="$(jval $J cntlid)"
    lo="$(val "${r}_CNTLID_MIN")" hi="$(val "${r}_CNTLID_MAX")"
    check "$r id-ctrl cntlid $cntlid within attr_cntlid_min..max $lo..$hi" \
      test "$cntlid" -ge "$lo" -a "$cntlid" -le "$hi"
    expect "$r id-ctrl cntlid = sysfs cntlid" "$(cat /sys/class/nvme/"$c"/cntlid)" "$cntlid"
    expect "$r id-ctrl cntrltype" "$EXPECT_CNTRLTYPE" "$(jval $J cntrltype)"
    expect "$r id-ctrl nn" "$EXPECT_NN" "$(jval $J nn)"
    expect "$r id-ctrl kas" "$EXPECT_KAS" "$(jval $J kas)"
    expect "$r id-ctrl sgls" "$EXPECT_SGLS" "$(jval $J sgls)"
    expect "$r id-ctrl ioccsz" "$EXPECT_IOCCSZ" "$(jval $J ioccsz)"
    expect "$r id-ctrl iorcsz" "$EXPECT_IORCSZ" "$(jval $J iorcsz)"
    expect "$r id-ctrl icdoff" "$EXPECT_ICDOFF" "$(jval $J icdoff)"
    expect "$r id-ctrl msdbd" "$EXPECT_MSDBD" "$(jval $J msdbd)"
    expect "$r id-ctrl sqes" "$EXPECT_SQES" "$(jval $J sqes)"
    expect "$r id-ctrl cqes" "$EXPECT_CQES" "$(jval $J cqes)"
    check "$r id-ctrl oncs has Dataset Management (bit 2)" test $(($(jval $J oncs) & 4)) -ne 0
  fi
  if check "$r: nvme id-ns -o json" nvme id-ns "/dev/$dev" -o json; then
    cp /tmp/check.out /tmp/idns-$r.json
    J=/tmp/idns-$r.json
    size="$(val "${r}_SIZE")" lbads="$(val "${r}_LBADS")"
    lbas=$((size >> lbads))
    expect "$r id-ns nsze (${size} B / $((1 << lbads)) B)" "$lbas" "$(jval $J nsze)"
    expect "$r id-ns ncap" "$lbas" "$(jval $J ncap)"
    expect "$r id-ns nuse" "$lbas" "$(jval $J nuse)"
    expect "$r id-ns nlbaf" 0 "$(jval $J nlbaf)"
    flbas="$(jval $J flbas)"
    expect "$r id-ns flbas" 0 "$flbas"
    idx=$((flbas & 15))
    expect "$r id-ns lbaf[$idx] ds" "$lbads" "$(sed -n 's/^ *"ds" *: *\([0-9]*\).*/\1/p' $J | sed -n "$((idx + 1))p")"
    expect "$r id-ns lbaf[$idx] ms" 0 "$(sed -n 's/^ *"ms" *: *\([0-9]*\).*/\1/p' $J | sed -n "$((idx + 1))p")"
    expect "$r id-ns nguid" "$(val "${r}_NGUID")" "$(jval $J nguid)"
  fi
  expect "$r: namespace id (sysfs nsid)" "$(val "${r}_NSID")" "$(cat /sys/block/"$dev"/nsid 2>/dev/null)"
  if check "$r: nvme ns-descs -o json" nvme ns-descs "/dev/$dev" -o json; then
    expect "$r ns-descs uuid" "$(val "${r}_UUID")" "$(jval /tmp/check.out uuid)"
  fi
done

# ---- fio: random write, mixed block sizes, crc32c verify -------------------
fio_verify RAM "$FIO_SIZE" ram
fio_verify FILE "$FIO_SIZE" file

# ---- flush, deallocate + read back zeroes -----------------------------------
for r in RAM FILE; do
  need $r "$r: nvme flush" || continue
  dev="$(val "${r}_DEV")"
  check "$r: nvme flush /dev/$dev" sh -c "nvme flush /dev/$dev | grep -q 'NVMe Flush: success'"
done
zeroes() { # zeroes DEV OFFSET_MIB: 1 MiB at OFFSET reads back as zeroes (O_DIRECT)
  dd if=/dev/"$1" of=/tmp/rb bs=1M skip="$2" count=1 iflag=direct 2>/dev/null &&
    [[ "$(stat -c %s /tmp/rb)" == 1048576 && "$(tr -d '\000' </tmp/rb | wc -c)" == 0 ]]
}
nonzero() { # nonzero DEV OFFSET_MIB: 1 MiB at OFFSET reads fine and is not all zeroes
  dd if=/dev/"$1" of=/tmp/rb bs=1M skip="$2" count=1 iflag=direct 2>/dev/null &&
    [[ "$(stat -c %s /tmp/rb)" == 1048576 && "$(tr -d '\000' </tmp/rb | wc -c)" != 0 ]]
}
# RAM: nvme dsm --ad over 1 MiB at 8 MiB (the fio run filled it)
if need RAM "RAM: deallocate"; then
  slba=$(((8 << 20) >> RAM_LBADS)) nlb=$(((1 << 20) >> RAM_LBADS))
  check "RAM: range at 8 MiB holds data before deallocate" nonzero "$RAM_DEV" 8
  check "RAM: nvme dsm --ad -s $slba -b $nlb" sh -c "nvme dsm /dev/$RAM_DEV --ad -s $slba -b $nlb | grep -q 'NVMe DSM: success'"
  check "RAM: deallocated 1 MiB reads back zeroes" zeroes "$RAM_DEV" 8
fi
# FILE: blkdiscard (the host's discard path, also a Deallocate) and nvme dsm
if need FILE "FILE: discard / deallocate"; then
  check "FILE: range at 8 MiB holds data before discard" nonzero "$FILE_DEV" 8
  check "FILE: blkdiscard 1 MiB at 8 MiB" blkdiscard -o $((8 << 20)) -l $((1 << 20)) "/dev/$FILE_DEV"
  check "FILE: discarded 1 MiB reads back zeroes" zeroes "$FILE_DEV" 8
  slba=$(((16 << 20) >> FILE_LBADS)) nlb=$(((1 << 20) >> FILE_LBADS))
  check "FILE: nvme dsm --ad -s $slba -b $nlb" sh -c "nvme dsm /dev/$FILE_DEV --ad -s $slba -b $nlb | grep -q 'NVMe DSM: success'"
  check "FILE: deallocated 1 MiB at 16 MiB reads back zeroes" zeroes "$FILE_DEV" 16
fi

# ---- SMART / health log ----------------------------------------------------
for r in RAM FILE; do
  need $r "$r: smart-log" || continue
  c="$(val "${r}_CTRL")"
  if check "$r: nvme smart-log -o json" nvme smart-log "/dev/$c" -o json; then
    cp /tmp/check.out /tmp/smart-$r.json
    expect "$r smart-log critical_warning" 0 "$(jval /tmp/smart-$r.json critical_warning)"
    duw="$(jval /tmp/smart-$r.json data_units_written)" hwc="$(jval /tmp/smart-$r.json host_write_commands)"
    info "$r smart-log data_units_written $duw, host_write_commands $hwc, data_units_read $(jval /tmp/smart-$r.json data_units_read)"
    if [[ "$EXPECT_SMART_COUNTERS" == 1 ]]; then
      # fio wrote FIO_SIZE: at least that many 512 000-byte data units, rounded up
      check "$r smart-log data_units_written and host_write_commands count the fio run" \
        test "${duw:-0}" -ge 1 -a "${hwc:-0}" -ge 1
    else
      skip "$r smart-log counters (not kept by this target for this namespace: EXPECT_SMART_COUNTERS=0)"
    fi
  fi
done

# ---- accounting: the target counts exactly what this host issued ------------
# jnvmet keeps /proc/diskstats counters per namespace device (RAM_ACCT_DEVICE);
# the control server's GET /diskstats reads them (nvmet:stats --diskstats).
# Between two snapshots taken while the device is idle (the kernel's own I/O
# at connect, the partition scan, is over; this guest runs no udev) every
# command has a known count: fio --number_ios with O_DIRECT and psync on the
# raw device (one I/O in flight at a time, so the block layer merges nothing),
# nvme flush (one Flush each) and nvme dsm --ad with one range (one Dataset
# Management, NLB blocks).
ACCT_READS=3000 ACCT_READ_BS=4096 ACCT_WRITES=2000 ACCT_WRITE_BS=8192 ACCT_FLUSHES=3 ACCT_DSM_MIB=1
# diskstats columns: 1 major, 2 minor, 3 name, 4 reads, 5 reads merged, 6 sectors read, 7 read ms,
# 8 writes, 9 writes merged, 10 sectors written, 11 write ms, 12 in flight, 13 io ms, 14 weighted ms,
# 15 discards, 16 discards merged, 17 sectors discarded, 18 discard ms, 19 flushes, 20 flush ms
# shellcheck disable=SC2016 # awk fields, expanded by awk
ACCT_COUNT_COLS='$4, $5, $6, $8, $9, $10, $12, $15, $16, $17, $19'
acct_line() { # acct_line DEVICE: the target's diskstats line of DEVICE into /tmp/acct.line
  timeout 90 wget -q -O /tmp/acct.line "http://$JNVMET_HOST_ADDR:$CTRL_PORT/diskstats?device=$1" 2>/tmp/acct.err &&
    awk -v d="$1" '$3 == d && NF == 20 { n++ } END { exit n != 1 }' /tmp/acct.line
}
acct_idle() { # acct_idle DEVICE: two snapshots 1 s apart count the same and nothing is in flight
  local a
  acct_line "$1" || return 1
  a="$(awk "{ print $ACCT_COUNT_COLS }" /tmp/acct.line)"
  sleep 1
  acct_line "$1" && [[ "$(awk "{ print $ACCT_COUNT_COLS }" /tmp/acct.line)" == "$a" ]] &&
    [[ "$(awk '{ print $12 }' /tmp/acct.line)" == 0 ]]
}
acct_delta() { # acct_delta BEFORE AFTER COLUMN
  awk -v c="$3" 'NR == FNR { b = $c; next } { printf "%d\n", $c - b }' "$1" "$2"
}
fio_issued() { # fio_issued OUT: "reads,writes,trims" fio says it issued
  sed -n 's/.*issued rwts: total=\([0-9]*\),\([0-9]*\),\([0-9]*\).*/\1,\2,\3/p' "$1" | head -n1
}
acct_fio() { # acct_fio NAME RW BS COUNT
  local dev="/dev/$RAM_DEV" t rc
  t="$(now)"
  fio --name="$1" --filename="$dev" --rw="$2" --bs="$3" --number_ios="$4" --ioengine=psync --direct=1 \
    --numjobs=1 --invalidate=0 --output=/tmp/fio-"$1".out >/dev/null 2>&1
  rc=$?
  if [[ $rc -eq 0 ]]; then pass "accounting: fio $2 bs=$3 --number_ios=$4 on $dev ($(since "$t") s)"; else
    fail "accounting: fio $2 bs=$3 --number_ios=$4 on $dev (rc $rc)"
    sed 's/^/    | /' /tmp/fio-"$1".out | tail -n 20
  fi
}
if [[ "$EXPECT_ACCOUNTING" != 1 ]]; then
  skip "accounting: exact diskstats counters (jnvmet's accounting service; EXPECT_ACCOUNTING=0)"
elif need RAM "accounting: exact diskstats counters"; then
  t="$(now)"
  if ! acct_line "$RAM_ACCT_DEVICE"; then
    if grep -q ' 501' /tmp/acct.err; then # the control server has no way to ask this target
      skip "accounting: exact diskstats counters (GET /diskstats: 501, see JNVMET_INTEROP_STATS_CMD)"
    else
      fail "accounting: GET /diskstats?device=$RAM_ACCT_DEVICE from the control server"
      cat /tmp/acct.err /tmp/acct.line 2>/dev/null | sed 's/^/    | /' | head -n 5
      timeout 90 wget -q -O - "http://$JNVMET_HOST_ADDR:$CTRL_PORT/diskstats" 2>&1 | sed 's/^/    | /' | head -n 10
    fi
  elif check "accounting: $RAM_ACCT_DEVICE idle before the run (same counts 1 s apart, none in flight)" \
    wait_for 90 acct_idle "$RAM_ACCT_DEVICE"; then
    cp /tmp/acct.line /tmp/acct.before
    info "accounting: before ($(since "$t") s to settle): $(cat /tmp/acct.before)"
    awk -v d="$RAM_DEV" '$3 == d' /proc/diskstats >/tmp/acct.guest.before
    acct_fio acct-read randread "$ACCT_READ_BS" "$ACCT_READS"
    acct_fio acct-write randwrite "$ACCT_WRITE_BS" "$ACCT_WRITES"
    expect "accounting: fio issued reads,writes,trims (randread)" "$ACCT_READS,0,0" "$(fio_issued /tmp/fio-acct-read.out)"
    expect "accounting: fio issued reads,writes,trims (randwrite)" "0,$ACCT_WRITES,0" "$(fio_issued /tmp/fio-acct-write.out)"
    for i in $(seq "$ACCT_FLUSHES"); do
      check "accounting: nvme flush /dev/$RAM_DEV ($i of $ACCT_FLUSHES)" \
        sh -c "nvme flush /dev/$RAM_DEV | grep -q 'NVMe Flush: success'"
    done
    slba=$(((40 << 20) >> RAM_LBADS)) nlb=$(((ACCT_DSM_MIB << 20) >> RAM_LBADS))
    check "accounting: nvme dsm --ad one range -s $slba -b $nlb" \
      sh -c "nvme dsm /dev/$RAM_DEV --ad -s $slba -b $nlb | grep -q 'NVMe DSM: success'"
    awk -v d="$RAM_DEV" '$3 == d' /proc/diskstats >/tmp/acct.guest.after
    t="$(now)"
    if check "accounting: $RAM_ACCT_DEVICE idle after the run" wait_for 90 acct_idle "$RAM_ACCT_DEVICE"; then
      cp /tmp/acct.line /tmp/acct.after
      info "accounting: after ($(since "$t") s to settle): $(cat /tmp/acct.after)"
      B=/tmp/acct.before A=/tmp/acct.after
      expect "accounting: reads completed" "$ACCT_READS" "$(acct_delta $B $A 4)"
      expect "accounting: sectors read" "$((ACCT_READS * ACCT_READ_BS / 512))" "$(acct_delta $B $A 6)"
      expect "accounting: writes completed" "$ACCT_WRITES" "$(acct_delta $B $A 8)"
      expect "accounting: sectors written" "$((ACCT_WRITES * ACCT_WRITE_BS / 512))" "$(acct_delta $B $A 10)"
      expect "accounting: discards completed" 1 "$(acct_delta $B $A 15)"
      expect "accounting: sectors discarded" "$((ACCT_DSM_MIB << 11))" "$(acct_delta $B $A 17)"
      expect "accounting: flushes completed" "$ACCT_FLUSHES" "$(acct_delta $B $A 19)"
      expect "accounting: reads/writes/discards merged" "0 0 0" "$(awk '{ print $5, $9, $16 }' $A)"
      expect "accounting: I/Os in flight afterwards" 0 "$(awk '{ print $12 }' $A)"
      info "accounting: this host's /proc/diskstats for $RAM_DEV over the run: reads" \
        "$(acct_delta /tmp/acct.guest.before /tmp/acct.guest.after 4), writes" \
        "$(acct_delta /tmp/acct.guest.before /tmp/acct.guest.after 8), discards" \
        "$(acct_delta /tmp/acct.guest.before /tmp/acct.guest.after 15), flushes" \
        "$(acct_delta /tmp/acct.guest.before /tmp/acct.guest.after 19)"
    else
      info "accounting: last snapshot: $(cat /tmp/acct.line 2>/dev/null)"
    fi
  else
    info "accounting: last snapshot: $(cat /tmp/acct.line 2>/dev/null)"
  fi
fi

# ---- data that must survive: written to the FILE namespace ------------------
dd if=/dev/urandom of=/tmp/persist bs=64k count=16 2>/dev/null
PERSIST_SUM="$(sha256sum </tmp/persist | cut -d' ' -f1)" PERSIST_OK=0
need FILE "FILE: persistence pattern" &&
  check "FILE: write 1 MiB pattern at 32 MiB (O_DIRECT)" \
    dd if=/tmp/persist of="/dev/$FILE_DEV" bs=64k seek=512 oflag=direct conv=notrunc && PERSIST_OK=1
persisted() {
  dd if="/dev/$FILE_DEV" of=/tmp/persist2 bs=64k skip=512 count=16 iflag=direct 2>/dev/null &&
    [[ "$(sha256sum </tmp/persist2 | cut -d' ' -f1)" == "$PERSIST_SUM" ]]
}

disconnect RAM
disconnect FILE

# ---- a host that is not in allowed_hosts is refused ------------------------
# (while this host has no controller for the subsystem: nvme-cli refuses a
# second connect to the same subsystem and address by itself, "already connected")
if [[ "$FILE_ALLOW_ANY" == 0 ]]; then
  other=6a6e766d-6574-4bad-8000-000000000001
  kmsg "window-begin denied-host"
  nvme connect -t tcp -a "$TARGET_ADDR" -s "$IO_PORT" -n "$FILE_NQN" \
    --hostnqn="nqn.2014-08.org.nvmexpress:uuid:$other" --hostid="$other" >/tmp/denied.out 2>&1
  rc=$?
  sleep 0.2
  kmsg "window-end denied-host"
  info "refused connect: nvme-cli exit $rc: $(tr '\n' ' ' </tmp/denied.out)"
  check "FILE: connect from a host not in allowed_hosts is refused" test $rc -ne 0
  check "FILE: the host kernel logs the target's refusal (Connect Invalid Host)" sh -c \
    "dmesg | sed -n '/window-begin denied-host/,/window-end denied-host/p' | grep -q 'Connect for subsystem $FILE_NQN is not allowed'"
  check "FILE: no controller for the subsystem" sh -c "! grep -lx '$FILE_NQN' /sys/class/nvme/nvme*/subsysnqn"
else
  skip "allowed_hosts refusal (FILE subsystem allows any host)"
fi

# ---- reconnect with 2 I/O queues (and fast reconnect for the restart) -------
RC_OPTS=(--nr-io-queues=2 --reconnect-delay=1 --ctrl-loss-tmo=120)
connect RAM "--nr-io-queues=2" "${RC_OPTS[@]}"
queues RAM 2
connect FILE "-g -G --nr-io-queues=2" -g -G "${RC_OPTS[@]}"
queues FILE 2
[[ $PERSIST_OK == 1 ]] && need FILE "FILE: pattern after reconnect" &&
  check "FILE: pattern at 32 MiB still there after disconnect/connect" persisted

# ---- target restart: the host reconnects by itself --------------------------
back() {
  is_live "$RAM_NQN" && is_live "$FILE_NQN" &&
    [[ "$(reconnects "$RAM_CTRL")" -gt "$before_ram" && "$(reconnects "$FILE_CTRL")" -gt "$before_file" ]]
}
if need RAM FILE "target restart and host reconnect"; then
  before_ram="$(reconnects "$RAM_CTRL")" before_file="$(reconnects "$FILE_CTRL")"
  kmsg "window-begin restart"
  t="$(now)"
  if [[ "$MODE" == reference ]]; then how="configfs teardown, ${RESTART_DOWNTIME} s down, setup"; else how="host control server"; fi
  check "restart the target ($how)" restart_target && [[ -s /tmp/check.out ]] && info "restart: $(tr -d '\n' </tmp/check.out)"
  if check "both controllers reconnected by themselves and are live" wait_for 120 back; then
    kmsg "window-end restart"
    info "restart to both controllers live: $(since "$t") s"
    expect "RAM: same controller device after reconnect" "$RAM_CTRL" "$(ctrl_of "$RAM_NQN")"
    expect "FILE: same controller device after reconnect" "$FILE_CTRL" "$(ctrl_of "$FILE_NQN")"
    queues RAM 2
    queues FILE 2
    [[ $PERSIST_OK == 1 ]] && check "FILE: pattern at 32 MiB survived the target restart" persisted
    check "RAM: id-ctrl serial after restart" sh -c "nvme id-ctrl /dev/$RAM_CTRL -o json | grep -q '\"sn\" *: *\"$RAM_SN *\"'"
    fio_verify RAM 16M ram-after-restart
    fio_verify FILE 16M file-after-restart
  else
    kmsg "window-end restart"
    for r in RAM FILE; do
      c="$(val "${r}_CTRL")"
      info "$r: /dev/$c state $(cat /sys/class/nvme/"$c"/state 2>/dev/null), $(reconnects "$c") reconnects"
    done
    skip "I/O after restart (controllers not back)"
  fi
fi

disconnect RAM
disconnect FILE
check "no fabrics controllers left" sh -c '! grep -lx tcp /sys/class/nvme/nvme*/transport'

[[ $FAILS -eq 0 ]]
