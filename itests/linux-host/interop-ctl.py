#!/usr/bin/env python3
"""Host-side helper of interop.sh (real Linux host vs an NVMe/TCP target).

  render  read an nvmetcli-format JSON template (configs/interop.json), write
          the config the target gets (--config), the expectations the guest
          job asserts (a sourceable env file) and, for the reference mode, a
          configfs script that sets the same subsystems up in the guest kernel.
  serve   supervise the target process and expose a tiny HTTP control server
          on 127.0.0.1 (the guest reaches it as 10.0.2.2):
            GET /status   -> 200 "running pid N starts K"
            GET /restart  -> kill the target's whole process group (SIGKILL,
                             or ?signal=TERM), wait until its ports close,
                             start it again, wait until the ports accept; 200
                             when it is back, 500 with the reason otherwise.
            GET /diskstats -> the target's accounting counters as /proc/diskstats
                             lines (jnvmet's `nvmet:stats --diskstats`, taken
                             through the Karaf client of the assembly the target
                             runs from, or --stats-cmd); ?device=NAME gives that
                             device's line only (404 if unknown); 501 if there is
                             no way to ask this target.
          SIGTERM/SIGINT: stop the target (SIGTERM to its process group, then
          SIGKILL after --stop-timeout) and exit 0 if it stopped on SIGTERM.
"""
import argparse
import http.server
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

LINUX_TCP_INLINE_DEFAULT = 16384   # nvmet-tcp NVMET_TCP_DEF_INLINE_DATA_SIZE (4 pages)
LINUX_MAX_NAMESPACES = 1024        # NVMET_MAX_NAMESPACES, what the Linux target reports as NN
LINUX_KAS = 10                     # NVMET_KAS
STATS_TIMEOUT = 60                 # seconds for one accounting snapshot (a Karaf client JVM start)
GUEST_DIR = "/tmp/jnvmet-interop"  # guest tmpfs dir for reference-mode file namespaces


def log(msg):
    sys.stderr.write("interop-ctl: %s %s\n" % (time.strftime("%H:%M:%S"), msg))
    sys.stderr.flush()


def die(msg):
    log("ERROR: " + msg)
    sys.exit(2)


# --------------------------------------------------------------------------- render

def parse_size(text):
    """'64M' / '1G' / '512K' / bytes -> bytes (binary units, like jnvmet's ram:SIZE)."""
    m = re.fullmatch(r"\s*(\d+)\s*([KMGT]?)(?:I?B)?\s*", text, re.I)
    if not m:
        raise ValueError("not a size: %r" % text)
    return int(m.group(1)) << {"": 0, "K": 10, "M": 20, "G": 30, "T": 40}[m.group(2).upper()]


def version_number(text):
    """attr_version 'major.minor[.tertiary]' -> the VS/VER register value."""
    parts = [int(p) for p in text.split(".")]
    parts += [0] * (3 - len(parts))
    return (parts[0] << 16) | (parts[1] << 8) | parts[2]


def substitute(node, mapping):
    if isinstance(node, dict):
        return {k: substitute(v, mapping) for k, v in node.items()}
    if isinstance(node, list):
        return [substitute(v, mapping) for v in node]
    if isinstance(node, str):
        for k, v in mapping.items():
            node = node.replace(k, v)
    return node


def ns_kind(path):
    if path.startswith("ram:"):
        return "ram"
    if path.startswith("/dev/"):
        return "bdev"
    return "file"


def render(a):
    with open(a.template) as f:
        template = json.load(f)
    port_map = {}
    for item in filter(None, (a.port_map or "").split(",")):
        old, new = item.split("=")
        port_map[old] = new
    workdir = GUEST_DIR if a.mode == "reference" else os.path.abspath(a.workdir)
    cfg = substitute(template, {"@WORKDIR@": workdir})
    for port in cfg.get("ports", []):
        addr = port.setdefault("addr", {})
        addr["trsvcid"] = port_map.get(addr.get("trsvcid", ""), addr.get("trsvcid", ""))
    file_size = parse_size(a.file_size)

    env = {"MODE": a.mode}
    subsystems = {s["nqn"]: s for s in cfg.get("subsystems", [])}
    roles = {}
    for nqn, s in subsystems.items():
        nss = [n for n in s.get("namespaces", []) if n.get("enable", 0)]
        if len(nss) != 1:
            die("subsystem %s: the suite expects exactly one enabled namespace" % nqn)
        kind = ns_kind(nss[0]["device"]["path"])
        if kind not in ("ram", "file") or kind.upper() in roles:
            die("the suite expects one subsystem with a ram:SIZE namespace and one with a file namespace")
        roles[kind.upper()] = (s, nss[0])
    if set(roles) != {"RAM", "FILE"}:
        die("the suite expects one subsystem with a ram:SIZE namespace and one with a file namespace")

    ports = cfg.get("ports", [])
    if not ports or any(p["addr"].get("trtype") != "tcp" for p in ports):
        die("the suite expects tcp ports")
    env["PORTS"] = " ".join(p["addr"]["trsvcid"] for p in ports)
    env["IO_PORT"] = ports[0]["addr"]["trsvcid"]
    for p in ports:
        svc = p["addr"]["trsvcid"]
        env["PORT_%s_TRADDR" % svc] = p["addr"].get("traddr", "")
        env["PORT_%s_ADRFAM" % svc] = p["addr"].get("adrfam", "")
        env["PORT_%s_SUBSYS" % svc] = " ".join(p.get("subsystems", []))
    io_param = ports[0].get("param", {})
    inline = int(io_param.get("inline_data_size", "-1"))
    if inline < 0:
        inline = LINUX_TCP_INLINE_DEFAULT

    lbads_linux = {}
    for role, (s, ns) in roles.items():
        attr = s.get("attr", {})
        path = ns["device"]["path"]
        if role == "RAM":
            size = parse_size(path[len("ram:"):])
        else:
            size = file_size
        bs = int(ns.get("jnvmet", {}).get("block_size", "0") or 0) or 512
        lbads = bs.bit_length() - 1
        # The Linux target takes the LBA size from the backing device: brd is
        # 512-byte, a file uses min(i_blkbits, 12) = 12 on tmpfs.
        lbads_linux[role] = 9 if role == "RAM" else 12
        if a.mode == "reference":
            lbads = lbads_linux[role]
        p = role + "_"
        env[p + "NQN"] = s["nqn"]
        env[p + "NSID"] = str(ns["nsid"])
        env[p + "PATH"] = path
        env[p + "SIZE"] = str(size)
        env[p + "LBADS"] = str(lbads)
        env[p + "UUID"] = ns["device"].get("uuid", "").lower()
        env[p + "NGUID"] = ns["device"].get("nguid", "").replace("-", "").replace(":", "").lower()
        env[p + "SN"] = attr.get("serial", "")
        env[p + "MN"] = attr.get("model", "Linux")
        env[p + "FR"] = attr.get("firmware", "")
        env[p + "VER"] = str(version_number(attr["version"])) if attr.get("version") else ""
        env[p + "IEEE"] = str(int(attr.get("ieee_oui", "0"), 16))
        env[p + "CNTLID_MIN"] = attr.get("cntlid_min", "1")
        env[p + "CNTLID_MAX"] = attr.get("cntlid_max", "65519")
        env[p + "ALLOW_ANY"] = attr.get("allow_any_host", "0")
        env[p + "ALLOWED_HOSTS"] = " ".join(s.get("allowed_hosts", []))
        # jnvmet's accounting device of the namespace (nvmet:stats, GET /diskstats)
        env[p + "ACCT_DEVICE"] = "jnvmet!%s!ns%d" % (s["nqn"], ns["nsid"])

    # What every controller of this suite reports (TCP, Linux-compatible).
    env["EXPECT_CNTRLTYPE"] = "1"                        # I/O controller
    env["EXPECT_KAS"] = str(LINUX_KAS)
    env["EXPECT_NN"] = str(LINUX_MAX_NAMESPACES)
    env["EXPECT_SGLS"] = str(1 | ((1 << 20) if inline > 0 else 0))  # SGLs + offsets for in-capsule data
    env["EXPECT_IOCCSZ"] = str((64 + inline) // 16)
    env["EXPECT_IORCSZ"] = "1"
    env["EXPECT_ICDOFF"] = "0"
    env["EXPECT_MSDBD"] = "1"
    env["EXPECT_SQES"] = str(0x66)
    env["EXPECT_CQES"] = str(0x44)
    # SMART data units / host commands: the Linux target counts only block
    # device namespaces through the bdev's I/O statistics, and brd keeps none,
    # so it reports 0. jnvmet counts every namespace (its accounting service).
    env["EXPECT_SMART_COUNTERS"] = "0" if a.mode == "reference" else "1"
    # Exact diskstats counters per namespace device through the control
    # server's GET /diskstats: jnvmet's accounting service only.
    env["EXPECT_ACCOUNTING"] = "0" if a.mode == "reference" else "1"

    overrides = []
    for k in list(env):
        o = os.environ.get("JNVMET_EXPECT_" + k)
        if o is not None and k != "MODE":
            env[k] = o
            overrides.append(k)
    with open(a.env_out, "w") as f:
        f.write("# generated by interop-ctl.py render from %s (mode %s)\n" % (a.template, a.mode))
        for k, v in env.items():
            f.write("%s=%s\n" % (k, shlex.quote(v)))
    for k in overrides:
        log("expectation %s overridden from JNVMET_EXPECT_%s: %r" % (k, k, env[k]))
    if a.mode == "reference":
        for role, (s, ns) in roles.items():
            bs = int(ns.get("jnvmet", {}).get("block_size", "0") or 0) or 512
            if bs.bit_length() - 1 != lbads_linux[role]:
                log("reference: %s namespace has %d-byte LBAs on Linux, %d configured for jnvmet"
                    % (role, 1 << lbads_linux[role], bs))

    if a.config_out:
        if a.mode == "jnvmet":
            for role, (s, ns) in roles.items():
                if role == "FILE":
                    path = ns["device"]["path"]
                    if not os.path.exists(path):
                        with open(path, "wb") as f:
                            f.truncate(file_size)
        with open(a.config_out, "w") as f:
            json.dump(cfg, f, indent=2, sort_keys=True)
            f.write("\n")
    if a.configfs_out:
        write_configfs_script(a.configfs_out, cfg, roles, file_size)


def write_configfs_script(out, cfg, roles, file_size):
    """The same subsystems for the guest kernel's own nvmet, through configfs."""
    ram_sizes = set()
    q = shlex.quote
    setup, teardown = [], []
    ram_index = 0
    for s in cfg.get("subsystems", []):
        sd = "$CFG/subsystems/" + q(s["nqn"])
        setup.append("mkdir %s" % sd)
        for k, v in sorted(s.get("attr", {}).items()):
            if k == "allow_any_host":
                continue   # last: Linux refuses allowed_hosts links while it is 1
            setup.append("attr %s/attr_%s %s" % (sd, k, q(str(v))))
        for h in s.get("allowed_hosts", []):
            setup.append("ln -s $CFG/hosts/%s %s/allowed_hosts/%s" % (q(h), sd, q(h)))
        setup.append("attr %s/attr_allow_any_host %s" % (sd, q(s.get("attr", {}).get("allow_any_host", "0"))))
        for ns in s.get("namespaces", []):
            nd = "%s/namespaces/%d" % (sd, ns["nsid"])
            path = ns["device"]["path"]
            setup.append("mkdir %s" % nd)
            if path.startswith("ram:"):
                ram_sizes.add(parse_size(path[4:]))
                path = "/dev/ram%d" % ram_index
                ram_index += 1
            elif not path.startswith("/dev/"):
                setup.append("[ -e %s ] || truncate -s %d %s" % (q(path), file_size, q(path)))
            setup.append("attr %s/device_path %s" % (nd, q(path)))
            for k in ("uuid", "nguid"):
                if ns["device"].get(k):
                    setup.append("attr %s/device_%s %s" % (nd, k, q(ns["device"][k])))
            if ns.get("ana_grpid", 1) != 1:
                setup.append("attr %s/ana_grpid %d" % (nd, ns["ana_grpid"]))
            setup.append("attr %s/enable %d" % (nd, ns.get("enable", 0)))
            teardown.append("[ -d %s ] && { echo 0 >%s/enable; rmdir %s; }" % (nd, nd, nd))
        teardown.append("rm -f %s/allowed_hosts/* 2>/dev/null" % sd)
        teardown.append("[ -d %s ] && rmdir %s" % (sd, sd))
    port_setup = []
    port_teardown = []
    for p in cfg.get("ports", []):
        pd = "$CFG/ports/%d" % p["portid"]
        port_setup.append("mkdir %s" % pd)
        for k, v in sorted(p.get("addr", {}).items()):
            port_setup.append("attr %s/addr_%s %s" % (pd, k, q(str(v))))
        for k, v in sorted(p.get("param", {}).items()):
            if str(v) != "-1":   # -1 = the default; Linux refuses it for max_queue_size
                port_setup.append("attr %s/param_%s %s" % (pd, k, q(str(v))))
        for n in p.get("subsystems", []):
            port_setup.append("ln -s $CFG/subsystems/%s %s/subsystems/%s" % (q(n), pd, q(n)))
        port_teardown.append("rm -f %s/subsystems/* 2>/dev/null" % pd)
        port_teardown.append("[ -d %s ] && rmdir %s" % (pd, pd))
    if len(ram_sizes) > 1:
        die("reference mode: brd gives every RAM disk the same size; use one size for ram: namespaces")
    hosts_setup = ["mkdir $CFG/hosts/%s" % q(h["nqn"]) for h in cfg.get("hosts", [])]
    hosts_teardown = ["[ -d $CFG/hosts/%s ] && rmdir $CFG/hosts/%s" % (q(h["nqn"]), q(h["nqn"]))
                      for h in cfg.get("hosts", [])]
    mods = ["modprobe nvmet", "modprobe nvmet-tcp"]
    if ram_sizes:
        mods.append("[ -e /dev/ram0 ] || modprobe brd rd_nr=%d rd_size=%d" % (ram_index, ram_sizes.pop() >> 10))
    with open(out, "w") as f:
        f.write("#!/bin/sh\n# generated by interop-ctl.py render: the interop config for the guest kernel's\n"
                "# own nvmet (configfs). usage: sh %s setup|teardown\n" % os.path.basename(out))
        f.write("CFG=/sys/kernel/config/nvmet\nRC=0\n")
        f.write("attr() { [ -e \"$1\" ] || { echo \"configfs: no $1 (skipped)\" >&2; return 0; }\n"
                "  echo \"$2\" >\"$1\" || { echo \"configfs: cannot write '$2' to $1\" >&2; RC=1; }; }\n")
        f.write("setup() {\n  set -e\n  mkdir -p %s\n" % GUEST_DIR)
        for line in mods + hosts_setup + setup + port_setup:
            f.write("  %s\n" % line)
        f.write("  set +e\n}\n")
        f.write("teardown() {\n")
        for line in port_teardown + teardown + hosts_teardown:
            f.write("  %s\n" % line)
        f.write("  return 0\n}\n")
        f.write("case \"$1\" in setup) setup ;; teardown) teardown ;; *) echo \"usage: $0 setup|teardown\" >&2; exit 2 ;; esac\n"
                "exit $RC\n")


# --------------------------------------------------------------------------- serve

# A /proc/diskstats line: major, minor, name, then 17 fields (11 or 15 before Linux 5.5).
DISKSTATS_LINE = re.compile(r"\s*\d+\s+\d+\s+\S+(?:\s+\d+){11}(?:(?:\s+\d+){4}(?:(?:\s+\d+){2})?)?\s*")


def karaf_stats_cmd(target_cmd):
    """The Karaf client of the assembly the target runs from (bin/jnvmet next to bin/client), on the SSH port
    of its etc/org.apache.karaf.shell.cfg (interop.sh gives its private copy a free one), or None."""
    if "/" not in target_cmd[0]:
        return None
    home = os.path.dirname(os.path.dirname(os.path.abspath(target_cmd[0])))
    client = os.path.join(home, "bin", "client")
    cfg = os.path.join(home, "etc", "org.apache.karaf.shell.cfg")
    if not (os.access(client, os.X_OK) and os.path.isfile(cfg)):
        return None
    port = "8101"
    with open(cfg) as f:
        for line in f:
            m = re.match(r"\s*sshPort\s*[=:]\s*(\d+)\s*$", line)
            if m:
                port = m.group(1)
    return [client, "-h", "127.0.0.1", "-a", port, "-u", "karaf", "-p", "karaf", "-r", "5", "-d", "1", "-b"]


def port_open(port, host="127.0.0.1"):
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


class Supervisor:
    def __init__(self, a):
        self.a = a
        self.cmd = a.cmd + ["--config", a.config]
        self.proc = None
        self.starts = 0
        self.lock = threading.Lock()
        self.logf = open(a.log, "ab", buffering=0)

    def start(self):
        busy = [p for p in self.a.wait_port if port_open(p)]
        if busy:
            raise RuntimeError("127.0.0.1 port(s) %s already accept connections: another target is running "
                               "(use other ports: JNVMET_INTEROP_PORT_MAP=4420=14420,8009=18009)"
                               % ",".join(map(str, busy)))
        self.starts += 1
        self.logf.write(("\n==== interop-ctl: start %d: %s\n" % (self.starts, " ".join(map(shlex.quote, self.cmd))))
                        .encode())
        t0 = time.monotonic()
        self.proc = subprocess.Popen(self.cmd, stdin=subprocess.DEVNULL, stdout=self.logf, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = t0 + self.a.start_timeout
        pending = list(self.a.wait_port)
        while pending:
            if self.proc.poll() is not None:
                raise RuntimeError("target exited with code %d before its ports accepted (see %s)"
                                   % (self.proc.returncode, self.a.log))
            if time.monotonic() > deadline:
                raise RuntimeError("ports %s did not accept within %d s" % (pending, self.a.start_timeout))
            pending = [p for p in pending if not port_open(p)]
            if pending:
                time.sleep(0.1)
        el = time.monotonic() - t0
        log("target pid %d up (ports %s accept) after %.1f s" % (self.proc.pid, self.a.wait_port, el))
        return el

    def kill(self, sig):
        """Signal the target's process group; return (exit code, seconds) or raise after the timeout."""
        if self.proc is None or self.proc.poll() is not None:
            return (None if self.proc is None else self.proc.returncode), 0.0
        t0 = time.monotonic()
        try:
            os.killpg(self.proc.pid, sig)
        except ProcessLookupError:
            pass
        try:
            rc = self.proc.wait(timeout=self.a.stop_timeout)
        except subprocess.TimeoutExpired:
            raise RuntimeError("target did not exit within %d s of signal %d" % (self.a.stop_timeout, sig))
        # the launcher may have children in its group (e.g. a script that runs java)
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        return rc, time.monotonic() - t0

    def diskstats(self):
        """The target's accounting counters as /proc/diskstats text (only such lines); raises on failure."""
        if self.a.stats_cmd:
            cmd, stdin, shell = self.a.stats_cmd, b"", True
        else:
            cmd, stdin, shell = karaf_stats_cmd(self.a.cmd), b"nvmet:stats --diskstats\n", False
            if cmd is None:
                raise LookupError("no way to read this target's counters: not a Karaf assembly with bin/client "
                                  "(set JNVMET_INTEROP_STATS_CMD to a command printing /proc/diskstats lines)")
        try:
            p = subprocess.run(cmd, input=stdin, shell=shell, capture_output=True, timeout=STATS_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise RuntimeError("stats command did not finish within %d s" % STATS_TIMEOUT)
        out = p.stdout.decode(errors="replace").replace("\r", "").splitlines()
        lines = [l for l in out if DISKSTATS_LINE.fullmatch(l)]
        # bin/client's own launcher notes ("client: JAVA_HOME not set; ...") go to stdout too
        other = [l for l in out if l.strip() and l not in lines and not l.startswith("client: ")]
        if p.returncode != 0 or other:
            raise RuntimeError("stats command exit %d: %s" % (
                p.returncode, " | ".join(other + p.stderr.decode(errors="replace").splitlines())[:2000]))
        return "".join(l + "\n" for l in lines)

    def restart(self, sig):
        with self.lock:
            rc, down = self.kill(sig)
            log("target killed with signal %d (exit %s) in %.1f s" % (sig, rc, down))
            deadline = time.monotonic() + 15
            while any(port_open(p) for p in self.a.wait_port):
                if time.monotonic() > deadline:
                    raise RuntimeError("ports still accept 15 s after the target was killed")
                time.sleep(0.1)
            up = self.start()
            return "restarted pid %d (killed with signal %d, up again after %.1f s)\n" % (self.proc.pid, sig, up)

    def stop(self):
        with self.lock:
            try:
                rc, el = self.kill(signal.SIGTERM)
                log("target stopped on SIGTERM in %.1f s (exit %s)" % (el, rc))
                return True
            except RuntimeError as e:
                log("ERROR: %s; SIGKILL" % e)
                self.kill(signal.SIGKILL)
                return False


def serve(a):
    if not a.cmd:
        die("serve: no target command after --")
    if a.cmd[0] == "--":
        a.cmd = a.cmd[1:]
    sup = Supervisor(a)

    class Handler(http.server.BaseHTTPRequestHandler):
        def reply(self, code, text):
            body = text.encode()
            self.send_response(code)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            url = urllib.parse.urlparse(self.path)
            query = urllib.parse.parse_qs(url.query)
            if url.path == "/status":
                alive = sup.proc is not None and sup.proc.poll() is None
                self.reply(200 if alive else 503, "%s pid %s starts %d\n" % (
                    "running" if alive else "stopped", sup.proc.pid if sup.proc else "-", sup.starts))
            elif url.path == "/restart":
                name = query.get("signal", ["KILL"])[0].upper()
                sig = {"KILL": signal.SIGKILL, "TERM": signal.SIGTERM}.get(name)
                if sig is None:
                    self.reply(400, "signal must be KILL or TERM\n")
                    return
                log("restart requested by %s (signal %s)" % (self.client_address[0], name))
                try:
                    self.reply(200, sup.restart(sig))
                except Exception as e:  # report to the guest, keep serving
                    log("ERROR: restart failed: %s" % e)
                    self.reply(500, "restart failed: %s\n" % e)
            elif url.path == "/diskstats":
                t0 = time.monotonic()
                try:
                    text = sup.diskstats()
                except LookupError as e:
                    self.reply(501, "%s\n" % e)
                    return
                except Exception as e:
                    log("ERROR: diskstats: %s" % e)
                    self.reply(500, "diskstats failed: %s\n" % e)
                    return
                log("diskstats: %d device(s) in %.1f s" % (text.count("\n"), time.monotonic() - t0))
                device = query.get("device", [None])[0]
                if device is not None:
                    text = "".join(l + "\n" for l in text.splitlines() if l.split()[2] == device)
                    if not text:
                        self.reply(404, "no accounting device %s\n" % device)
                        return
                self.reply(200, text)
            else:
                self.reply(404, "unknown path\n")

        def log_message(self, fmt, *args):
            log("http: " + fmt % args)

    try:
        sup.start()
    except Exception as e:
        log("ERROR: %s" % e)
        sup.kill(signal.SIGKILL)
        sys.exit(3)
    httpd = http.server.HTTPServer(("127.0.0.1", a.http_port), Handler)
    with open(a.port_file + ".tmp", "w") as f:
        f.write("%d\n" % httpd.server_address[1])
    os.replace(a.port_file + ".tmp", a.port_file)
    log("control server on 127.0.0.1:%d" % httpd.server_address[1])

    def on_signal(signum, frame):
        def shutdown():
            httpd.shutdown()
        threading.Thread(target=shutdown, daemon=True).start()
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    httpd.serve_forever(poll_interval=0.2)
    httpd.server_close()
    sys.exit(0 if sup.stop() else 4)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="what", required=True)
    r = sub.add_parser("render")
    r.add_argument("--template", required=True)
    r.add_argument("--mode", choices=("jnvmet", "reference"), required=True)
    r.add_argument("--workdir", default=".", help="host dir replacing @WORKDIR@ (jnvmet mode)")
    r.add_argument("--file-size", default="64M", help="size of file namespaces created by the suite")
    r.add_argument("--port-map", help="e.g. 4420=14420,8009=18009")
    r.add_argument("--env-out", required=True)
    r.add_argument("--config-out")
    r.add_argument("--configfs-out")
    s = sub.add_parser("serve")
    s.add_argument("--config", required=True)
    s.add_argument("--wait-port", type=int, action="append", required=True)
    s.add_argument("--log", required=True)
    s.add_argument("--port-file", required=True)
    s.add_argument("--http-port", type=int, default=0)
    s.add_argument("--start-timeout", type=int, default=120)
    s.add_argument("--stop-timeout", type=int, default=20)
    s.add_argument("--stats-cmd", default=os.environ.get("JNVMET_INTEROP_STATS_CMD"),
                   help="shell command printing the target's /proc/diskstats-format counters (GET /diskstats); "
                        "default $JNVMET_INTEROP_STATS_CMD, else the Karaf client of the target's assembly")
    s.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    render(a) if a.what == "render" else serve(a)


if __name__ == "__main__":
    main()
