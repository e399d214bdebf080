#!/usr/bin/python3
"""Readiness probe for the interop lab (called by start.sh).

"Ready" means a real NETCONF <hello> from netconfd came back through every
front end the tests use, not merely that a port is listening:
  * SSH 8830 (candidate) and 8831 (running), password auth, host key checked
    against the lab's known_hosts (so a bad known_hosts file fails here, too);
  * TLS 6513 with the lab client cert, server cert checked against the lab CA.
Each probe exchanges hellos, then sends <close-session/> in a separate write
(netconfd does not answer an RPC that arrives in the same read as the hello)
and waits for <ok/>. Retries until --timeout seconds have passed; every socket
operation has its own timeout, so this can never hang.

Usage: ready.py LAB_DIR [--timeout 20]   exit 0 = ready, 1 = not ready
Uses Debian's /usr/bin/python3 (python3-paramiko comes with python3-ncclient).
"""
import argparse, os, socket, ssl, sys, time
sys.dont_write_bytecode = True          # keep lib/ free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import paramiko  # noqa: E402
import rawnc     # noqa: E402

HOST = "127.0.0.1"
STEP_TIMEOUT = 5


def session(r):
    r.hello()
    if not r.session_id or rawnc.CAP10 not in r.caps:
        raise RuntimeError("hello without session-id/base capability: %r" % r.server_hello[:200])
    time.sleep(0.05)                      # see docstring: keep the RPC out of the hello's read
    reply = r.rpc("<close-session/>")
    if "<ok/>" not in reply.replace(" ", ""):
        raise RuntimeError("close-session not ok: %r" % reply[:300])
    return r.session_id


def probe_ssh(port, known_hosts, user, password):
    sock = socket.create_connection((HOST, port), timeout=STEP_TIMEOUT)
    t = paramiko.Transport(sock)
    try:
        t.banner_timeout = t.auth_timeout = STEP_TIMEOUT
        t.start_client(timeout=STEP_TIMEOUT)
        key = t.get_remote_server_key()
        hk = paramiko.HostKeys(known_hosts)
        if not hk.check("[%s]:%d" % (HOST, port), key):
            raise RuntimeError("host key %s on port %d is not in %s" % (key.get_name(), port, known_hosts))
        t.auth_password(user, password)
        ch = t.open_session(timeout=STEP_TIMEOUT)
        ch.settimeout(STEP_TIMEOUT)
        ch.invoke_subsystem("netconf")
        return session(rawnc.Raw(ch))
    finally:
        t.close()


def probe_tls(port, tls):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.load_verify_locations(os.path.join(tls, "ca.pem"))
    ctx.load_cert_chain(os.path.join(tls, "client.pem"), os.path.join(tls, "client.key"))
    s = socket.create_connection((HOST, port), timeout=STEP_TIMEOUT)
    with ctx.wrap_socket(s, server_hostname="localhost") as t:
        return session(rawnc.Raw(t))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("lab")
    ap.add_argument("--timeout", type=float, default=20)
    ap.add_argument("--ssh-port", type=int, default=8830)
    ap.add_argument("--running-port", type=int, default=8831)
    ap.add_argument("--tls-port", type=int, default=6513)
    a = ap.parse_args()
    kh = os.path.join(a.lab, "client", "known_hosts")
    probes = [("ssh candidate :%d" % a.ssh_port, lambda: probe_ssh(a.ssh_port, kh, "netconf", "netconf")),
              ("ssh running :%d" % a.running_port, lambda: probe_ssh(a.running_port, kh, "netconf", "netconf")),
              ("tls :%d" % a.tls_port, lambda: probe_tls(a.tls_port, os.path.join(a.lab, "tls")))]
    deadline = time.monotonic() + a.timeout
    for name, fn in probes:
        while True:
            try:
                sid = fn()
                print("ready: %s (hello received, session-id %s)" % (name, sid))
                break
            except Exception as e:          # any failure: retry until the deadline
                if time.monotonic() > deadline:
                    print("NOT ready: %s: %s: %s" % (name, type(e).__name__, e), file=sys.stderr)
                    return 1
                time.sleep(0.3)
    return 0


if __name__ == "__main__":
    sys.exit(main())
