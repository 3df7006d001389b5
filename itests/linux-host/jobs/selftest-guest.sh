#!/bin/sh
# Guest side of selftest.sh (runs inside the QEMU guest as /job/job.sh).
# Uses the guest kernel's OWN NVMe target (nvmet) as the thing under test, so
# that the harness itself is proven without jnvmet. Prints one PASS:/FAIL:/SKIP:
# line per check; exits 1 if any check failed.
#
# Expected env (from selftest.sh): HTTP_PORT, TOKEN, PAYLOAD_SHA256,
# PCI_SERIAL (optional), WANT_JAVA (0/1).

FAILS=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
skip() { echo "SKIP: $*"; }
# check DESC CMD...: PASS if CMD succeeds, else FAIL with its output indented
check() {
  d="$1"
  shift
  if "$@" >/tmp/check.out 2>&1; then pass "$d"; else
    fail "$d"
    sed 's/^/    | /' /tmp/check.out | tail -n 25
    return 1
  fi
}
# wait_for SECS CMD...: retry CMD every 0.1 s
wait_for() {
  n=$(($1 * 10))
  shift
  while ! "$@" >/dev/null 2>&1; do
    n=$((n - 1))
    [ $n -le 0 ] && return 1
    sleep 0.1
  done
}

NQN=nqn.2014-08.io.jnvmet:selftest
CFG=/sys/kernel/config/nvmet

# ---- harness plumbing ------------------------------------------------------
check "env var passed into the job" test "${TOKEN:-}" != ""
check "extra file passed into the job" sh -c \
  "[ \"\$(sha256sum /job/payload.bin | cut -d' ' -f1)\" = '$PAYLOAD_SHA256' ]"
check "stable /etc/nvme/hostnqn and hostid" \
  grep -qx "nqn.2014-08.org.nvmexpress:uuid:$(cat /etc/nvme/hostid)" /etc/nvme/hostnqn
check "eth0 has 10.0.2.15/24" sh -c 'ip -4 addr show dev eth0 | grep -q "inet 10.0.2.15/24"'
check "no default route" sh -c '! ip route | grep -q default && ! ip -6 route 2>/dev/null | grep -q default'
check "10.0.2.2 reaches the host's 127.0.0.1 listener" sh -c \
  "[ \"\$(timeout 10 wget -q -O - http://10.0.2.2:$HTTP_PORT/token.txt)\" = '$TOKEN' ]"

# ---- the kernel's own target, configured through configfs -----------------
check "load nvmet, nvmet-tcp, brd" sh -c 'modprobe nvmet && modprobe nvmet-tcp && modprobe brd rd_nr=1 rd_size=65536'
check "configure nvmet subsystem/namespace/port via configfs" sh -ec "
  mkdir $CFG/subsystems/$NQN
  echo 1 >$CFG/subsystems/$NQN/attr_allow_any_host
  mkdir $CFG/subsystems/$NQN/namespaces/1
  echo /dev/ram0 >$CFG/subsystems/$NQN/namespaces/1/device_path
  echo 1 >$CFG/subsystems/$NQN/namespaces/1/enable
  mkdir $CFG/ports/1
  echo tcp >$CFG/ports/1/addr_trtype
  echo ipv4 >$CFG/ports/1/addr_adrfam
  echo 127.0.0.1 >$CFG/ports/1/addr_traddr
  echo 4420 >$CFG/ports/1/addr_trsvcid
  ln -s $CFG/subsystems/$NQN $CFG/ports/1/subsystems/$NQN"

nvme discover -t tcp -a 127.0.0.1 -s 4420 >/tmp/discover.out 2>&1
check "nvme discover exit 0" test $? -eq 0
check "discovery log lists the subsystem on tcp 127.0.0.1:4420" sh -c "
  grep -Eq 'subnqn: +$NQN\$' /tmp/discover.out &&
  grep -Eq 'trsvcid: +4420' /tmp/discover.out &&
  grep -Eq 'traddr: +127.0.0.1' /tmp/discover.out &&
  grep -Eq 'trtype: +tcp' /tmp/discover.out" || cat /tmp/discover.out

check "nvme connect" nvme connect -t tcp -a 127.0.0.1 -s 4420 -n "$NQN"

# Controller and namespace block device, found through sysfs. With native
# multipath (fabrics) the disk nvme<subsys>n<nsid> hangs off the subsystem and
# need not match the controller number; without it (QEMU PCI) off the controller.
ctrl_of() { # ctrl_of SUBNQN -> nvmeX
  for c in /sys/class/nvme/nvme*; do
    [ "$(cat "$c/subsysnqn" 2>/dev/null)" = "$1" ] && { echo "${c##*/}"; return 0; }
  done
  return 1
}
disk_of_ctrl() { # disk_of_ctrl nvmeX -> nvmeYnZ (first namespace)
  for s in /sys/class/nvme-subsystem/*; do [ -e "$s/$1" ] && break; done
  for d in /sys/class/nvme/"$1"/nvme*n* "$s"/nvme*n*; do
    b="${d##*/}"
    case "$b" in *c*) continue ;; esac
    [ -e "$d" ] && [ -e "/dev/$b" ] && { echo "$b"; return 0; }
  done
  return 1
}
ns_of() { c="$(ctrl_of "$1")" && disk_of_ctrl "$c"; }
check "namespace block device appears" wait_for 15 ns_of "$NQN"
DEV="$(ns_of "$NQN")"
CTRL="$(ctrl_of "$NQN")"
echo "INFO: tcp controller /dev/$CTRL, namespace /dev/$DEV"
check "controller transport is tcp, state live" sh -c \
  "[ \"\$(cat /sys/class/nvme/$CTRL/transport)\" = tcp ] && [ \"\$(cat /sys/class/nvme/$CTRL/state)\" = live ]"
check "nvme list shows /dev/$DEV" sh -c "nvme list | grep -q '^/dev/$DEV '"
check "nvme list -o json shows /dev/$DEV" sh -c "nvme list -o json | grep -q '\"/dev/$DEV\"'"
nvme id-ctrl "/dev/$CTRL" -o json >/tmp/idctrl.json 2>/tmp/idctrl.err
check "nvme id-ctrl -o json exit 0" test $? -eq 0
check "id-ctrl JSON: subnqn and model of the Linux target" sh -c "
  grep -Eq '\"subnqn\" *: *\"$NQN\"' /tmp/idctrl.json && grep -Eq '\"mn\" *: *\"Linux' /tmp/idctrl.json" ||
  head -c 2000 /tmp/idctrl.json
check "nvme id-ns -o json: 64 MiB namespace" sh -c \
  "nvme id-ns /dev/$DEV -o json | grep -Eq '\"nsze\" *: *131072,'"

check "fio 16 MiB write + crc32c verify" fio --name=verify --filename="/dev/$DEV" \
  --rw=write --bs=64k --size=16M --ioengine=libaio --direct=1 --iodepth=8 \
  --verify=crc32c --do_verify=1 --verify_fatal=1 --output=/tmp/fio.out
grep -E 'err=|WRITE:|READ:' /tmp/fio.out | sed 's/^ */INFO: fio: /'

check "mkfs.ext4 + mount + file round trip" sh -ec "
  mkfs.ext4 -q -F /dev/$DEV
  mkdir -p /mnt/t && mount -t ext4 /dev/$DEV /mnt/t
  dd if=/dev/urandom of=/tmp/f bs=64k count=16 2>/dev/null
  cp /tmp/f /mnt/t/f && umount /mnt/t && mount -t ext4 -o ro /dev/$DEV /mnt/t
  cmp /tmp/f /mnt/t/f; umount /mnt/t"

check "nvme disconnect" sh -c "nvme disconnect -n $NQN | grep -q 'disconnected 1 controller'"
gone() { ! ns_of "$NQN" && [ ! -e "/dev/$DEV" ]; }
check "namespace device gone after disconnect" wait_for 10 gone

# header + data digests (crc32c requested through the crypto API at connect)
check "nvme connect with header+data digests (-g -G)" nvme connect -t tcp -a 127.0.0.1 -s 4420 -n "$NQN" -g -G
if wait_for 15 ns_of "$NQN"; then
  DEV="$(ns_of "$NQN")"
  check "1 MiB O_DIRECT write/read back with digests" sh -ec "
    dd if=/dev/urandom of=/tmp/d bs=64k count=16 2>/dev/null
    dd if=/tmp/d of=/dev/$DEV bs=64k oflag=direct 2>/dev/null
    dd if=/dev/$DEV of=/tmp/d2 bs=64k count=16 iflag=direct 2>/dev/null
    cmp /tmp/d /tmp/d2"
else
  fail "namespace with digests did not appear"
fi
check "nvme disconnect (digests)" sh -c "nvme disconnect -n $NQN | grep -q 'disconnected 1 controller'"

# ---- QEMU emulated PCI NVMe controller (run-guest.sh --nvme) ---------------
if [ -n "${PCI_SERIAL:-}" ]; then
  PCTRL=""
  for c in /sys/class/nvme/nvme*; do
    [ "$(cat "$c/transport" 2>/dev/null)" = pcie ] && [ "$(sed 's/ *$//' "$c/serial")" = "$PCI_SERIAL" ] && PCTRL="${c##*/}"
  done
  check "emulated PCI NVMe controller with serial $PCI_SERIAL" test -n "$PCTRL"
  check "nvme id-ctrl on PCI controller reports the serial" sh -c \
    "nvme id-ctrl /dev/$PCTRL -o json | grep -Eq '\"sn\" *: *\"$PCI_SERIAL *\"'"
  PDEV="$(disk_of_ctrl "$PCTRL")"
  check "write token to the PCI namespace (host checks the image)" sh -ec "
    printf '%s' '$TOKEN' >/tmp/tok
    dd if=/tmp/tok of=/dev/$PDEV bs=4096 conv=sync oflag=direct 2>/dev/null
    sync"
else
  skip "emulated PCI NVMe (no PCI_SERIAL)"
fi

# ---- JVM from the host root over virtio-9p (run-guest.sh --hostfs) ---------
if [ "${WANT_JAVA:-0}" = 1 ]; then
  check "host root mounted read-only at /host (9p)" sh -c "grep -q ' /host 9p ro' /proc/mounts"
  host-chroot java -version >/tmp/java.out 2>&1
  rc=$?
  check "host-chroot java -version" sh -c "[ $rc -eq 0 ] && grep -qi 'openjdk\\|java version' /tmp/java.out" ||
    cat /tmp/java.out
  sed -n '1p' /tmp/java.out | sed 's/^/INFO: java: /'
else
  skip "JVM via 9p chroot (WANT_JAVA=0)"
fi

[ "$FAILS" -eq 0 ]
