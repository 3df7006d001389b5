#!/bin/bash
# Guest side of default-config.sh: the guest kernel's NVMe/TCP host (nvme-cli
# 2.3) against the jnvmet appliance running its embedded etc/jnvmet.json on
# this machine (TARGET_ADDR 10.0.2.2 = its 127.0.0.1). Prints one PASS:/FAIL:/
# SKIP:/INFO: line per check and exits 1 if any check failed.
#
# /job/expect.env (default-config.sh, from that etc/jnvmet.json): PORTS,
# PORT_<p>_TRADDR/_ADRFAM/_SUBSYS, NSUBSYS and per subsystem S<i>_NQN,
# S<i>_KIND (ram|passthru|other), S<i>_SN, S<i>_MN, S<i>_NS ("nsid:bytes ..."
# of its RAM namespaces; a passthru subsystem's namespaces are the device's).

# shellcheck disable=SC1091 # written by default-config.sh
. /job/expect.env
# shellcheck source-path=SCRIPTDIR source=lib-guest.sh
. /job/lib-guest.sh || { echo "FAIL: /job/lib-guest.sh missing (run-guest.sh -f jobs/lib-guest.sh)"; exit 1; }

disks_of_ctrl() { # disks_of_ctrl nvmeX -> its namespace block devices (multipath heads or plain), by nsid
  local s d b
  for s in /sys/class/nvme-subsystem/*; do [[ -e "$s/$1" ]] && break; done
  for d in "$s"/nvme*n* /sys/class/nvme/"$1"/nvme*n*; do
    b="${d##*/}"
    [[ "$b" == *c* || ! -e "$d" || ! -e "/dev/$b" ]] && continue
    echo "$(cat "$d/nsid" 2>/dev/null) $b"
  done | sort -n -u | awk '{ print $2 }'
}
# settled NQN: the controller has namespaces and their number did not change for 1 s
settled() {
  local c a
  c="$(ctrl_of "$1")" || return 1
  a="$(disks_of_ctrl "$c" | wc -l)"
  [[ "$a" -gt 0 ]] && sleep 1 && [[ "$(disks_of_ctrl "$c" | wc -l)" == "$a" ]]
}

echo "INFO: target $TARGET_ADDR, ports $PORTS, subsystems $SUBSYS, guest kernel $(uname -r)"

# ---- discovery: every port lists exactly the subsystems linked to it ---------
for port in $PORTS; do
  traddr="$(val "PORT_${port}_TRADDR")" adrfam="$(val "PORT_${port}_ADRFAM")" want="$(val "PORT_${port}_SUBSYS")"
  if check "nvme discover -t tcp -a $TARGET_ADDR -s $port" nvme discover -t tcp -a "$TARGET_ADDR" -s "$port" -o json; then
    cp /tmp/check.out /tmp/disc-"$port".json
    jobjects /tmp/disc-"$port".json subtype subnqn trtype adrfam traddr trsvcid >/tmp/disc-"$port".rec
    for nqn in $want; do
      check "discovery log on $port lists $nqn (tcp $adrfam $traddr:$port)" \
        grep -qxF "nvme subsystem|$nqn|tcp|$adrfam|$traddr|$port" /tmp/disc-"$port".rec ||
        sed 's/^/    | /' /tmp/disc-"$port".rec
    done
    expect "discovery log on $port: number of NVM subsystem records" "$(echo "$want" | wc -w)" \
      "$(grep -c '^nvme subsystem|' /tmp/disc-"$port".rec)"
  fi
done
# 8009 is nvme-cli's default discovery port: only if the default configuration has it
case " $PORTS " in
  *" 8009 "*) check "nvme discover on the default port 8009 (no -s)" nvme discover -t tcp -a "$TARGET_ADDR" ;;
  *) info "the default configuration has no port 8009: discovery only on $PORTS" ;;
esac

# ---- connect to every subsystem ----------------------------------------------
for i in $(seq 0 $((NSUBSYS - 1))); do
  nqn="$(val "S${i}_NQN")"
  printf -v "S${i}_CTRL" ''
  port=""
  for p in $PORTS; do [[ " $(val "PORT_${p}_SUBSYS") " == *" $nqn "* ]] && { port=$p; break; }; done
  check "nvme connect -t tcp -a $TARGET_ADDR -s $port -n $nqn" \
    nvme connect -t tcp -a "$TARGET_ADDR" -s "$port" -n "$nqn" || continue
  if check "$nqn: controller and namespace block device(s) appear" wait_for 30 settled "$nqn"; then
    c="$(ctrl_of "$nqn")"
    printf -v "S${i}_CTRL" '%s' "$c"
    info "$nqn: /dev/$c, state $(cat /sys/class/nvme/"$c"/state), namespaces $(disks_of_ctrl "$c" | tr '\n' ' ')"
  fi
done

# ---- nvme list ---------------------------------------------------------------
nvme list -o json >/tmp/list.json 2>&1
check "nvme list -o json exit 0" test $? -eq 0
nvme list >/tmp/list.txt 2>&1
sed 's/^/INFO: nvme list: /' /tmp/list.txt
for i in $(seq 0 $((NSUBSYS - 1))); do
  nqn="$(val "S${i}_NQN")" c="$(val "S${i}_CTRL")"
  [[ -n "$c" ]] || { skip "$nqn: nvme list (not connected)"; continue; }
  for d in $(disks_of_ctrl "$c"); do
    check "nvme list shows /dev/$d ($nqn)" grep -q "^/dev/$d " /tmp/list.txt
  done
  # RAM namespaces: exactly those of the configuration, nsid and size as configured
  if [[ "$(val "S${i}_KIND")" == ram ]]; then
    want="" got=""
    for nb in $(val "S${i}_NS"); do want="$want ${nb%%:*}:${nb#*:}"; done
    for d in $(disks_of_ctrl "$c"); do
      lbas_ss="$(jobjects /tmp/list.json DevicePath MaximumLBA SectorSize | awk -F'|' -v d="/dev/$d" '$1 == d { print $2 * $3 }')"
      got="$got $(cat /sys/block/"$d"/nsid):$lbas_ss"
    done
    expect "$nqn: namespaces nsid:bytes (nvme list -o json: MaximumLBA * SectorSize)" "${want# }" "${got# }"
  fi
done

# ---- identify controller -----------------------------------------------------
for i in $(seq 0 $((NSUBSYS - 1))); do
  nqn="$(val "S${i}_NQN")" c="$(val "S${i}_CTRL")"
  [[ -n "$c" ]] || { skip "$nqn: id-ctrl (not connected)"; continue; }
  check "$nqn: nvme id-ctrl /dev/$c -o json" nvme id-ctrl "/dev/$c" -o json || continue
  cp /tmp/check.out /tmp/idctrl-"$i".json
  J=/tmp/idctrl-"$i".json
  expect "$nqn id-ctrl subnqn" "$nqn" "$(jval "$J" subnqn)"
  cntlid="$(jval "$J" cntlid)"
  # NVMe: 0xFFF0..0xFFFF are reserved; nvmet hands out 1..0xFFEF by default
  check "$nqn id-ctrl cntlid $cntlid within 1..65519" test "${cntlid:-0}" -ge 1 -a "${cntlid:-0}" -le 65519
  expect "$nqn id-ctrl cntlid = sysfs cntlid" "$(cat /sys/class/nvme/"$c"/cntlid)" "$cntlid"
  sn="$(val "S${i}_SN")" mn="$(val "S${i}_MN")"
  if [[ -n "$sn" ]]; then expect "$nqn id-ctrl sn (attr serial)" "$sn" "$(jval "$J" sn | trim)"; fi
  if [[ -n "$mn" ]]; then expect "$nqn id-ctrl mn (attr model)" "$mn" "$(jval "$J" mn | trim)"; fi
  info "$nqn id-ctrl: vid $(jval "$J" vid) sn '$(jval "$J" sn | trim)' mn '$(jval "$J" mn | trim)' fr '$(jval "$J" fr | trim)' ver $(jval "$J" ver) cntrltype $(jval "$J" cntrltype) nn $(jval "$J" nn) oaes $(jval "$J" oaes)"
done

# ---- 1 MiB random pattern, O_DIRECT write and read back, on every namespace --
n_ns=0
for i in $(seq 0 $((NSUBSYS - 1))); do
  nqn="$(val "S${i}_NQN")" c="$(val "S${i}_CTRL")"
  [[ -n "$c" ]] || { skip "$nqn: data pattern (not connected)"; continue; }
  for d in $(disks_of_ctrl "$c"); do
    n_ns=$((n_ns + 1))
    bytes="$(blockdev --getsize64 "/dev/$d" 2>/dev/null)"
    if [[ "${bytes:-0}" -eq 0 ]]; then
      # Linux's nvme-tcp host has no metadata support: it gives a namespace whose
      # LBA format carries separate metadata a capacity of 0 (no I/O possible).
      nvme id-ns "/dev/$d" -o json >/tmp/idns.json 2>&1
      flbas="$(jval /tmp/idns.json flbas)"
      ms="$(sed -n 's/^ *"ms" *: *\([0-9]*\).*/\1/p' /tmp/idns.json | sed -n "$(((${flbas:-0} & 15) + 1))p")"
      if [[ "${ms:-0}" -gt 0 ]]; then
        skip "$nqn /dev/$d: capacity 0 (LBA format with ${ms} B metadata, which the nvme-tcp host cannot transfer)"
      else
        fail "$nqn /dev/$d: capacity 0 and no metadata in its LBA format"
      fi
      continue
    fi
    off=1 # MiB
    [[ "$bytes" -lt $((2 << 20)) ]] && off=0
    dd if=/dev/urandom of=/tmp/pattern bs=64k count=16 2>/dev/null
    sum="$(sha256sum </tmp/pattern | cut -d' ' -f1)"
    if check "$nqn /dev/$d ($((bytes >> 20)) MiB, LBA $(cat /sys/block/"$d"/queue/logical_block_size) B): write 1 MiB random pattern at $off MiB (dd oflag=direct)" \
      dd if=/tmp/pattern of="/dev/$d" bs=1M seek=$off count=1 oflag=direct conv=notrunc,fsync; then
      rm -f /tmp/readback
      dd if="/dev/$d" of=/tmp/readback bs=1M skip=$off count=1 iflag=direct 2>/dev/null
      expect "$nqn /dev/$d: 1 MiB read back (iflag=direct) sha256" "$sum" "$(sha256sum </tmp/readback | cut -d' ' -f1)"
    fi
  done
done
check "at least one namespace per connected subsystem ($n_ns in all)" test "$n_ns" -ge "$NSUBSYS"

# ---- disconnect ----------------------------------------------------------------
for i in $(seq 0 $((NSUBSYS - 1))); do
  nqn="$(val "S${i}_NQN")" c="$(val "S${i}_CTRL")"
  [[ -n "$c" ]] || { skip "$nqn: disconnect (not connected)"; continue; }
  check "nvme disconnect -n $nqn: disconnected 1 controller" \
    sh -c "nvme disconnect -n '$nqn' | grep -q 'disconnected 1 controller'"
  check "$nqn: controller /dev/$c gone" wait_for 15 sh -c "! grep -qx '$nqn' /sys/class/nvme/$c/subsysnqn"
done
check "no fabrics controllers left" sh -c '! grep -lx tcp /sys/class/nvme/nvme*/transport'

[[ $FAILS -eq 0 ]]
