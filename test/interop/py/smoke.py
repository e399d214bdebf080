#!/usr/bin/python3
"""Smoke check of the interop lab with a reference client (Debian's python3-ncclient).

Connects to the candidate instance (lab.json sshPort, 8830) with the admin password,
verifying the host key against the lab's known_hosts, does <get-config> of running
and prints one line. Exit 0 = ok, 1 = failure (message on stderr).

Run with /usr/bin/python3 (a pyenv python3 on PATH does not see python3-ncclient):
  /usr/bin/python3 test/interop/py/smoke.py [path/to/lab.json]
Default lab.json: $NETCONF_LAB_DIR/lab.json, else /tmp/ncred-lab/lab.json.
"""
import json, os, sys, time
sys.dont_write_bytecode = True


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else \
        os.path.join(os.environ.get("NETCONF_LAB_DIR", "/tmp/ncred-lab"), "lab.json")
    try:
        with open(path) as f:
            lab = json.load(f)
        from ncclient import manager, transport
        from ncclient.manager import make_device_handler
        t0 = time.time()
        # manager.connect() only loads ~/.ssh/known_hosts; load the lab's file instead.
        dh = make_device_handler({})
        s = transport.SSHSession(dh)
        s.load_known_hosts(lab["knownHosts"])
        admin = lab["users"]["admin"]
        s.connect(host=lab["host"], port=lab["sshPort"], username=admin["username"], password=admin["password"],
                  hostkey_verify=True, allow_agent=False, look_for_keys=False, timeout=20)
        m = manager.Manager(s, dh, timeout=20)
        try:
            reply = m.get_config(source="running")
            if not reply.ok or "<data" not in reply.data_xml:
                raise RuntimeError("unexpected get-config reply: %s" % reply.xml[:500])
            size = len(reply.data_xml)
        finally:
            m.close_session()
        print("smoke OK: ncclient -> %s:%d session %s, get-config running %d bytes in %.2fs"
              % (lab["host"], lab["sshPort"], m.session_id, size, time.time() - t0))
        return 0
    except Exception as e:
        print("smoke FAILED: %s: %s" % (type(e).__name__, e), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
