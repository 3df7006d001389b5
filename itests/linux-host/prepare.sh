#!/usr/bin/env bash
# prepare.sh - build (or reuse) everything run-guest.sh needs to boot a real
# Linux NVMe/TCP host under QEMU: host packages, a Debian 6.12 kernel and an
# uncompressed initramfs with busybox, nvme-cli, fio, mkfs.ext4 and the
# needed kernel modules.
#
# Idempotent: a second run only checks and exits in about a second.
#
# Environment:
#   JNVMET_QEMU_CACHE    cache dir (default $HOME/.cache/jnvmet-qemu)
#   JNVMET_QEMU_KERNEL   pin a kernel, e.g. 6.12.117+deb12-amd64 (default: newest
#                        linux-image-6.12.*+deb12-amd64 known to apt)
#   JNVMET_QEMU_REBUILD  1 = rebuild the kernel subset and the initramfs
#   JNVMET_QEMU_REFRESH  1 = run apt-get update even if nothing seems missing
set -euo pipefail

CACHE="${JNVMET_QEMU_CACHE:-$HOME/.cache/jnvmet-qemu}"
REBUILD="${JNVMET_QEMU_REBUILD:-0}"

# Stable guest host identity (nvme-cli 2.3 sends an all-zero host NQN without
# these files and kernel 6.12 then rejects discover/connect with EINVAL).
# 6a6e766d6574 = "jnvmet" in ASCII.
GUEST_HOSTID="7c1d8e22-4b0f-4d1a-9e53-6a6e766d6574"
GUEST_HOSTNQN="nqn.2014-08.org.nvmexpress:uuid:${GUEST_HOSTID}"

# Host packages (Debian 12). qemu without recommends keeps the install small.
PACKAGES=(qemu-system-x86 nvme-cli fio busybox-static cpio e2fsprogs xz-utils bash util-linux)

# Kernel modules put into the initramfs (with their dependencies). A name that
# is built into the kernel is fine (noted, skipped); a REQUIRED name that is
# neither a module nor built in is an error, an OPTIONAL one only a note.
REQUIRED_MODULES=(
  nvme-core nvme-fabrics nvme-tcp nvme-keyring nvme-auth nvme
  nvmet nvmet-tcp nvme-loop configfs brd null_blk loop
  virtio_net net_failover failover virtio_console virtio_pci
  crc32c_generic crc32c-intel libcrc32c
  ext4 jbd2 mbcache crc16
  9p 9pnet 9pnet_virtio netfs tls
)
OPTIONAL_MODULES=(
  hmac sha256_generic sha512_generic sha256-ssse3 sha512-ssse3 sha1-ssse3
  sha3_generic dh_generic ecdh_generic
)

log() { printf 'prepare: %s\n' "$*" >&2; }
die() { printf 'prepare: ERROR: %s\n' "$*" >&2; exit 1; }
TMPDIRS=()
cleanup() { [[ ${#TMPDIRS[@]} -eq 0 ]] || rm -rf "${TMPDIRS[@]}"; }
trap cleanup EXIT

as_root() {
  if [[ $EUID -eq 0 ]]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "need root (or sudo) for: $*"
  fi
}

APT_UPDATED=0
apt_update_once() {
  [[ $APT_UPDATED -eq 1 ]] && return 0
  APT_UPDATED=1
  log "apt-get update"
  # A broken third-party source must not stop us: what we need is checked after.
  as_root apt-get update -qq || log "WARNING: apt-get update reported errors (continuing)"
}

pkg_installed() {
  [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]
}

ensure_packages() {
  local missing=() p
  for p in "${PACKAGES[@]}"; do pkg_installed "$p" || missing+=("$p"); done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  apt_update_once
  log "apt-get install ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

resolve_kver() {
  apt-cache search --names-only '^linux-image-6\.12\.[0-9]+\+deb12-amd64$' 2>/dev/null |
    awk '{print $1}' | sed 's/^linux-image-//' | sort -V | tail -n1
}

# --------------------------------------------------------------------------
[[ "${JNVMET_QEMU_REFRESH:-0}" == 1 ]] && apt_update_once
ensure_packages
mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock 9   # serialise concurrent prepare runs sharing one cache

KVER="${JNVMET_QEMU_KERNEL:-}"
if [[ -z "$KVER" ]]; then
  KVER="$(resolve_kver)"
  if [[ -z "$KVER" ]]; then apt_update_once; KVER="$(resolve_kver)"; fi
  if [[ -z "$KVER" && -r "$CACHE/current.env" ]]; then
    # offline: keep what we have
    KVER="$(sed -n 's/^KVER=//p' "$CACHE/current.env")"
    log "WARNING: apt knows no linux-image-6.12.*+deb12-amd64; reusing cached $KVER"
  fi
  [[ -n "$KVER" ]] || die "no linux-image-6.12.*+deb12-amd64 package found by apt-cache search"
fi

MODHASH="$(printf '%s\n' "${REQUIRED_MODULES[@]}" -- "${OPTIONAL_MODULES[@]}" | sha256sum | cut -c1-12)"
KDIR="$CACHE/kernel/$KVER"
KMODS="$KDIR/modules-$MODHASH"

# --------------------------------------------------------------------------
# Kernel: vmlinuz, config and the decompressed module subset with modules.dep.
build_kernel() {
  local tmp
  tmp="$(mktemp -d "$CACHE/.kbuild.XXXXXX")"
  TMPDIRS+=("$tmp")
  log "downloading linux-image-$KVER"
  if ! (cd "$tmp" && apt-get download -qq -o APT::Sandbox::User=root "linux-image-$KVER" >/dev/null 2>&1); then
    # the point release may have left the mirror: refresh the lists once
    [[ -n "${JNVMET_QEMU_KERNEL:-}" ]] && die "cannot download pinned linux-image-$KVER"
    apt_update_once
    KVER="$(resolve_kver)"; KDIR="$CACHE/kernel/$KVER"; KMODS="$KDIR/modules-$MODHASH"
    [[ -n "$KVER" ]] || die "no linux-image-6.12.*+deb12-amd64 after apt-get update"
    [[ -d "$KMODS" && "$REBUILD" != 1 ]] && return 0
    (cd "$tmp" && apt-get download -qq -o APT::Sandbox::User=root "linux-image-$KVER" >/dev/null) ||
      die "apt-get download linux-image-$KVER failed"
  fi
  local deb full
  deb="$(echo "$tmp"/linux-image-*.deb)"
  log "unpacking $(basename "$deb")"
  dpkg -x "$deb" "$tmp/root"
  rm -f "$deb"
  full="$tmp/root/lib/modules/$KVER"
  [[ -f "$tmp/root/boot/vmlinuz-$KVER" && -d "$full" ]] || die "unexpected layout in linux-image-$KVER"
  # name -> path of every module file (names normalised '-' -> '_' like the
  # kernel does). Dependencies come from each module's .modinfo "depends="
  # (a full-tree busybox depmod takes 10-15 s; this takes well under 1 s).
  local -A modpath=() seen=()
  local rel b
  while IFS= read -r rel; do
    b="${rel##*/}"; b="${b%%.ko*}"; b="${b//-/_}"
    [[ -n "${modpath[$b]:-}" ]] || modpath[$b]="$rel"
  done < <(cd "$full" && find kernel -name '*.ko*' | LC_ALL=C sort)

  local name norm kind queue=()
  for kind in required optional; do
    if [[ $kind == required ]]; then set -- "${REQUIRED_MODULES[@]}"; else set -- "${OPTIONAL_MODULES[@]}"; fi
    for name in "$@"; do
      norm="${name//-/_}"
      if [[ -n "${modpath[$norm]:-}" ]]; then
        queue+=("$norm")
        echo "module  $name" >>"$tmp/report"
      elif awk -v n="$norm" '{sub(/.*\//,""); sub(/\.ko$/,""); gsub(/-/,"_"); if ($0==n) f=1} END {exit !f}' "$full/modules.builtin"; then
        echo "builtin $name" >>"$tmp/report"
      elif [[ $kind == required ]]; then
        die "kernel module $name is neither a module nor built into $KVER"
      else
        echo "absent  $name" >>"$tmp/report"
      fi
    done
  done

  # decompress the wanted modules and, transitively, their dependencies
  local out="$tmp/out" dst deps d n=0
  mkdir -p "$out/lib/modules/$KVER"
  while [[ ${#queue[@]} -gt 0 ]]; do
    norm="${queue[0]}"
    queue=("${queue[@]:1}")
    [[ -n "${seen[$norm]:-}" ]] && continue
    seen[$norm]=1
    rel="${modpath[$norm]:-}"
    [[ -n "$rel" ]] || die "module dependency $norm not found in $KVER"
    dst="$out/lib/modules/$KVER/${rel%.ko*}.ko"
    mkdir -p "$(dirname "$dst")"
    case "$rel" in
      *.ko.xz) xz -dc "$full/$rel" >"$dst" ;;
      *.ko.zst) zstd -qdc "$full/$rel" >"$dst" ;;
      *.ko.gz) gzip -dc "$full/$rel" >"$dst" ;;
      *) cp "$full/$rel" "$dst" ;;
    esac
    n=$((n + 1))
    deps="$(tr '\0' '\n' <"$dst" | sed -n 's/^depends=//p' | head -n1)"
    for d in ${deps//,/ }; do queue+=("${d//-/_}"); done
  done
  cp "$full/modules.builtin" "$full/modules.order" "$out/lib/modules/$KVER/"
  [[ -f "$full/modules.builtin.modinfo" ]] && cp "$full/modules.builtin.modinfo" "$out/lib/modules/$KVER/"
  busybox depmod -b "$out" "$KVER"
  sort "$tmp/report" >"$out/modules-report.txt"
  log "kernel modules: $n files; $(grep -c '^builtin' "$tmp/report" || true) requested names are built in"

  mkdir -p "$KDIR"
  cp "$tmp/root/boot/vmlinuz-$KVER" "$KDIR/vmlinuz.tmp" && mv "$KDIR/vmlinuz.tmp" "$KDIR/vmlinuz"
  cp "$tmp/root/boot/config-$KVER" "$KDIR/config"
  rm -rf "$KMODS"
  mv "$out" "$KMODS"
}

if [[ "$REBUILD" == 1 || ! -f "$KDIR/vmlinuz" || ! -f "$KMODS/lib/modules/$KVER/modules.dep" ]]; then
  build_kernel
fi

# --------------------------------------------------------------------------
# Initramfs
INIT_KEY="$(
  {
    echo "$KVER $MODHASH"
    cat "${BASH_SOURCE[0]}"
    dpkg-query -W -f='${Package} ${Version}\n' nvme-cli libnvme1 fio busybox-static e2fsprogs bash libc6 2>/dev/null || true
  } | sha256sum | cut -c1-16
)"
INITRD="$CACHE/initramfs-$INIT_KEY.cpio"

write_init() {
  cat >"$1/init" <<'EOF'
#!/bin/sh
# jnvmet guest /init (generated by itests/linux-host/prepare.sh)
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM=dumb
say() { echo "jnvmet-init: $*"; }
mounted() { awk -v m="$1" '$2 == m {f = 1} END {exit !f}' /proc/mounts; }
fail() { say "FATAL: $*"; [ -n "${RCP:-}" ] && echo "init-failed: $*" >"$RCP"; sync; poweroff -f; sleep 5; }

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t tmpfs tmpfs /run
ln -sf /proc/self/fd /dev/fd 2>/dev/null
[ -e /proc/sys/kernel/modprobe ] && echo /sbin/modprobe >/proc/sys/kernel/modprobe

# result ports (virtio_console is built in); names set by run-guest.sh
port() {
  for p in /sys/class/virtio-ports/*; do
    [ "$(cat "$p/name" 2>/dev/null)" = "$1" ] && { echo "/dev/${p##*/}"; return 0; }
  done
  return 1
}
i=0
while ! RCP="$(port jnvmet.rc)"; do
  i=$((i + 1)); [ $i -gt 50 ] && { RCP=; fail "no virtio-serial port jnvmet.rc"; }
  sleep 0.1
done
OUTP="$(port jnvmet.stdout)" || fail "no port jnvmet.stdout"
ERRP="$(port jnvmet.stderr)" || fail "no port jnvmet.stderr"
DMESGP="$(port jnvmet.dmesg)" || DMESGP=/dev/null

[ -r /job/env ] && . /job/env

for m in virtio_net crc32c_intel crc32c_generic nvme_tcp configfs ${JNVMET_MODULES:-}; do
  modprobe "$m" || say "WARNING: modprobe $m failed"
done
mounted /sys/kernel/config || mount -t configfs configfs /sys/kernel/config

# network: 10.0.2.15/24 on slirp, NO default route (10.0.2.2 = host loopback)
ip link set lo up
i=0
while [ ! -e /sys/class/net/eth0 ]; do
  i=$((i + 1)); [ $i -gt 50 ] && fail "no eth0"
  sleep 0.1
done
ip link set eth0 up
ip addr add 10.0.2.15/24 dev eth0

if [ "${JNVMET_HOSTFS:-0}" = 1 ]; then
  modprobe 9pnet_virtio && modprobe 9p || fail "cannot load 9p"
  mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144,cache=loose hostroot /host ||
    fail "cannot mount host root (9p)"
fi

if [ "${JNVMET_NVME_PCI:-0}" -gt 0 ]; then
  modprobe nvme || fail "modprobe nvme"
  i=0
  while [ "$(ls -d /sys/block/nvme*n* 2>/dev/null | wc -l)" -lt "$JNVMET_NVME_PCI" ]; do
    i=$((i + 1)); [ $i -gt 200 ] && fail "emulated NVMe namespaces did not appear"
    sleep 0.1
  done
fi

[ -f /job/job.sh ] || fail "no /job/job.sh"
chmod +x /job/job.sh
say "running job (kernel $(uname -r), up $(cut -d' ' -f1 /proc/uptime)s)"
cd /job
/job/job.sh >"$OUTP" 2>"$ERRP" </dev/null
rc=$?
say "job exited with $rc"
dmesg -r >"$DMESGP" 2>/dev/null
echo "$rc" >"$RCP"
sync
poweroff -f
sleep 10
EOF
  chmod 755 "$1/init"

  cat >"$1/usr/bin/host-chroot" <<'EOF'
#!/bin/sh
# host-chroot CMD [ARG...]: run CMD chrooted into the host root filesystem that
# run-guest.sh --hostfs shares read-only at /host (proc, sys, dev, tmpfs /tmp
# and /run are mounted inside on first use; the host's /tmp is at /run/host-tmp).
R=/host
mounted() { awk -v m="$1" '$2 == m {f = 1} END {exit !f}' /proc/mounts; }
mounted "$R" || { echo "host-chroot: $R not mounted (use run-guest.sh --hostfs)" >&2; exit 125; }
if ! mounted "$R/proc"; then
  # /run and /tmp become guest tmpfs; the host's /tmp stays readable at
  # /run/host-tmp inside the chroot.
  mount -t tmpfs tmpfs "$R/run" &&
    mkdir -p "$R/run/host-tmp" &&
    mount -o bind "$R/tmp" "$R/run/host-tmp" &&
    mount -t tmpfs -o mode=1777 tmpfs "$R/tmp" &&
    mount -t proc proc "$R/proc" &&
    mount -t sysfs sysfs "$R/sys" &&
    mount -o rbind /dev "$R/dev" || { echo "host-chroot: mounts failed" >&2; exit 125; }
  mounted /sys/kernel/config && mount -t configfs configfs "$R/sys/kernel/config" 2>/dev/null
fi
[ $# -gt 0 ] || set -- /bin/sh
exec chroot "$R" "$@"
EOF
  chmod 755 "$1/usr/bin/host-chroot"
}

copy_with_libs() { # copy_with_libs STAGE FILE...: files plus their ldd closure
  local stage="$1" f lib
  shift
  for f in "$@"; do
    [[ -e "$stage$f" ]] || { mkdir -p "$stage$(dirname "$f")"; cp -L "$f" "$stage$f"; }
    while read -r lib; do
      [[ -n "$lib" && ! -e "$stage$lib" ]] || continue
      mkdir -p "$stage$(dirname "$lib")"
      cp -L "$lib" "$stage$lib"
    done < <(ldd "$f" 2>/dev/null | awk '/=> \//{print $3} /^[[:space:]]*\/[^ ]*ld-linux/{print $1}')
  done
}

build_initramfs() {
  local tmp stage b p
  tmp="$(mktemp -d "$CACHE/.ibuild.XXXXXX")"
  TMPDIRS+=("$tmp")
  stage="$tmp/root"
  mkdir -p "$stage"/{usr/bin,usr/sbin,usr/lib,usr/lib64,proc,sys,dev,tmp,run,host,job,mnt,root,etc/nvme,var/tmp}
  ln -s usr/bin "$stage/bin"; ln -s usr/sbin "$stage/sbin"
  ln -s usr/lib "$stage/lib"; ln -s usr/lib64 "$stage/lib64"

  local bins=()
  for b in nvme fio mke2fs bash; do
    p="$(PATH=/usr/sbin:/usr/bin:/sbin:/bin command -v "$b")" || die "$b not found"
    bins+=("$(readlink -f "$p")")
  done
  copy_with_libs "$stage" "${bins[@]}"
  # fio ioengines built as plugins, if any
  if [[ -d /usr/lib/x86_64-linux-gnu/fio ]]; then
    mapfile -t plugins < <(find /usr/lib/x86_64-linux-gnu/fio -name '*.so')
    [[ ${#plugins[@]} -gt 0 ]] && copy_with_libs "$stage" "${plugins[@]}"
  fi
  for b in mkfs.ext4 mkfs.ext2 mkfs.ext3; do ln -sf mke2fs "$stage/usr/sbin/$b"; done
  [[ -f /etc/mke2fs.conf ]] && cp /etc/mke2fs.conf "$stage/etc/"

  # busybox + applet links (never over a real binary)
  cp "$(readlink -f "$(command -v busybox)")" "$stage/usr/bin/busybox"
  local a
  while read -r a; do
    a="${a#/}"
    case "$a" in bin/*) a="usr/$a" ;; sbin/*) a="usr/$a" ;; esac
    [[ -e "$stage/$a" || -L "$stage/$a" ]] && continue
    mkdir -p "$stage/$(dirname "$a")"
    ln -s /usr/bin/busybox "$stage/$a"
  done < <(busybox --list-full)

  cp -a "$KMODS/lib/modules" "$stage/usr/lib/"
  echo "$GUEST_HOSTNQN" >"$stage/etc/nvme/hostnqn"
  echo "$GUEST_HOSTID" >"$stage/etc/nvme/hostid"
  printf 'root:x:0:0:root:/root:/bin/sh\n' >"$stage/etc/passwd"
  printf 'root:x:0:\n' >"$stage/etc/group"
  printf '127.0.0.1 localhost\n10.0.2.2 host\n' >"$stage/etc/hosts"
  echo jnvmet-guest >"$stage/etc/hostname"
  write_init "$stage"

  (cd "$stage" && find . -mindepth 1 -print0 | LC_ALL=C sort -z |
    cpio --null -o -H newc -R 0:0 --quiet) >"$tmp/initramfs.cpio"
  rm -f "$CACHE"/initramfs-*.cpio
  mv "$tmp/initramfs.cpio" "$INITRD"
  log "initramfs $(du -m "$INITRD" | cut -f1) MiB"
}

if [[ "$REBUILD" == 1 || ! -f "$INITRD" ]]; then
  log "building initramfs for $KVER"
  build_initramfs
fi

cat >"$CACHE/current.env.tmp" <<EOF
KVER=$KVER
KERNEL=$KDIR/vmlinuz
INITRD=$INITRD
GUEST_HOSTNQN=$GUEST_HOSTNQN
GUEST_HOSTID=$GUEST_HOSTID
EOF
mv "$CACHE/current.env.tmp" "$CACHE/current.env"
# drop kernels other than the current one
for d in "$CACHE"/kernel/*; do
  [[ -d "$d" && "$d" != "$KDIR" ]] && rm -rf "$d"
done
for d in "$KDIR"/modules-*; do
  [[ "$d" != "$KMODS" ]] && rm -rf "$d"
done
log "ready: kernel $KVER, $(basename "$INITRD") in $CACHE"
