# shellcheck shell=bash
# lib-guest.sh - helpers shared by the guest jobs (interop-guest.sh,
# passthru-guest.sh, default-config-guest.sh). The host script ships it with
# run-guest.sh -f, so it is /job/lib-guest.sh next to /job/job.sh; the job
# sources it. Verdict lines go to stdout for the host script to count; FAILS
# counts the failed checks (the job exits non-zero if any failed).

FAILS=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
skip() { echo "SKIP: $*"; }
info() { echo "INFO: $*"; }
# check DESC CMD...: PASS if CMD succeeds, else FAIL with its output indented
check() {
  local d="$1"
  shift
  if "$@" >/tmp/check.out 2>&1; then pass "$d"; else
    fail "$d"
    sed 's/^/    | /' /tmp/check.out | tail -n 25
    return 1
  fi
}
# expect DESC WANT GOT: string equality, shows both on failure
expect() {
  if [[ "$3" == "$2" ]]; then pass "$1 = '$3'"; else fail "$1: want '$2', got '$3'"; fi
}
now() { cut -d' ' -f1 /proc/uptime; }
since() { awk -v s="$1" -v e="$(now)" 'BEGIN {printf "%.1f", e - s}'; }
val() { echo "${!1}"; } # val NAME: value of the variable NAME (e.g. val "${r}_SN")
wait_for() { # wait_for SECS CMD...: retry CMD every 0.1 s for up to SECS seconds
  local end
  end="$(awk -v n="$(now)" -v s="$1" 'BEGIN {printf "%d", n + s}')"
  shift
  while ! "$@" >/dev/null 2>&1; do
    [[ "$(now | cut -d. -f1)" -ge "$end" ]] && return 1
    sleep 0.1
  done
}
# every nvme-cli call is bounded (the run as a whole is bounded by run-guest.sh)
nvme() { timeout 120 nvme "$@"; }

# ---- JSON from nvme-cli (-o json prints one "key":value per line) -----------
# jval FILE KEY: first value of KEY (strings unquoted, trailing blanks kept)
jval() {
  sed -n "s/^ *\"$2\" *: *//p" "$1" | head -n1 | sed 's/,$//; s/^"//; s/"$//'
}
trim() { sed 's/ *$//'; }
# jobjects FILE KEY...: one line per JSON object that has any of the KEYs,
# fields joined by '|' in the order given (for nvme list / discover records)
jobjects() {
  local f="$1"
  shift
  awk -v keys="$*" '
    BEGIN { n = split(keys, k, " ") }
    /^ *"[^"]+" *:/ {
      line = $0; sub(/^ *"/, "", line); key = line; sub(/".*/, "", key)
      val = line; sub(/^[^"]*" *: */, "", val); sub(/,$/, "", val); gsub(/^"|"$/, "", val)
      v[key] = val; have = 1
    }
    /^ *},?$/ {
      if (have) { out = ""; any = 0
        for (i = 1; i <= n; i++) { out = out (i > 1 ? "|" : "") v[k[i]]; if (k[i] in v) any = 1 }
        if (any) print out }
      delete v; have = 0
    }' "$f"
}

# ---- fabrics controllers and namespaces through sysfs -----------------------
ctrl_of() { # ctrl_of SUBNQN -> nvmeX (tcp controllers only)
  local c
  for c in /sys/class/nvme/nvme*; do
    [[ "$(cat "$c/subsysnqn" 2>/dev/null)" == "$1" && "$(cat "$c/transport" 2>/dev/null)" == tcp ]] &&
      { echo "${c##*/}"; return 0; }
  done
  return 1
}
disk_of_ctrl() { # disk_of_ctrl nvmeX -> nvmeYnZ (native multipath head or plain disk)
  local s d b
  for s in /sys/class/nvme-subsystem/*; do [[ -e "$s/$1" ]] && break; done
  for d in "$s"/nvme*n* /sys/class/nvme/"$1"/nvme*n*; do
    b="${d##*/}"
    [[ "$b" == *c* ]] && continue
    [[ -e "$d" && -e "/dev/$b" ]] && { echo "$b"; return 0; }
  done
  return 1
}
ns_of() { local c; c="$(ctrl_of "$1")" && disk_of_ctrl "$c"; }
is_live() { local c; c="$(ctrl_of "$1")" && [[ "$(cat /sys/class/nvme/"$c"/state)" == live ]]; }
