#!/usr/bin/python3
"""ncclient (Debian python3-ncclient) as a benchmark reference; run with /usr/bin/python3.

argv[1] is a JSON object:
  {"lab": "/tmp/ncred-lab/lab.json", "port": 8840, "mode": "large" | "small",
   "source": "running", "filter": "<subtree XML>",
   large: "reps": 3, "warm": 1          -> wall time of get_config() + reply.data_xml
   small: "n": 200, "warm": 5           -> N sequential get_config()s, latencies}
Prints one line "BENCH-RESULT {json}" on stdout (same protocol as the Node workers).
Host keys are verified: a known_hosts file is written for the port from lab.json's host keys.
Peak RSS is VmHWM, reset once connected (clear_refs), before the warm-up, as for the Node workers.
"""
import json, os, sys, tempfile, time, gc

sys.dont_write_bytecode = True


def status(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return 0


def reset_peak():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def connect(spec, lab):
    from ncclient import manager, transport
    from ncclient.manager import make_device_handler
    port = int(spec["port"])
    kh = tempfile.NamedTemporaryFile("w", suffix=".known_hosts", delete=False)
    for k in lab["hostKeys"].values():
        kh.write("[%s]:%d %s %s\n" % (lab["host"], port, k["type"], k["base64"]))
    kh.close()
    dh = make_device_handler({})
    sess = transport.SSHSession(dh)
    sess.load_known_hosts(kh.name)
    os.unlink(kh.name)
    sess.connect(host=lab["host"], port=port, username=lab["users"]["admin"]["username"],
                 key_filename=lab["clientKeys"]["ed25519"], hostkey_verify=True,
                 allow_agent=False, look_for_keys=False, timeout=60)
    m = manager.Manager(sess, dh, timeout=900)
    m.huge_tree = True   # lxml refuses text nodes over 10 MB otherwise
    return m


def main():
    spec = json.loads(sys.argv[1])
    with open(spec.get("lab", "/tmp/ncred-lab/lab.json")) as f:
        lab = json.load(f)
    m = connect(spec, lab)
    source = spec.get("source", "running")
    flt = ("subtree", spec["filter"])
    out = {"client": "ncclient"}
    if spec.get("mode", "large") == "large":
        def request():
            t0 = time.perf_counter()
            reply = m.get_config(source=source, filter=flt)
            n = len(reply.data_xml)
            return (time.perf_counter() - t0) * 1000, n
        gc.collect()
        base = status("VmRSS")
        out["peakResetWorked"] = reset_peak()
        for _ in range(int(spec.get("warm", 1))):
            request()
        gc.collect()
        times = []
        for _ in range(int(spec.get("reps", 3))):
            ms, n = request()
            times.append(ms)
            gc.collect()
        times_sorted = sorted(times)
        mid = len(times_sorted) // 2
        out.update(ms=times_sorted[mid] if len(times_sorted) % 2 else (times_sorted[mid - 1] + times_sorted[mid]) / 2,
                   times=times, bytes=n, baseRss=base, peakRss=status("VmHWM"))
    else:
        for _ in range(int(spec.get("warm", 5))):
            m.get_config(source=source, filter=flt)
        lat = []
        t0 = time.perf_counter()
        for _ in range(int(spec.get("n", 200))):
            t = time.perf_counter()
            m.get_config(source=source, filter=flt)
            lat.append((time.perf_counter() - t) * 1000)
        total = time.perf_counter() - t0
        out.update(n=len(lat), seconds=total, latencies=lat)
    try:
        m.close_session()
    except Exception:
        pass
    sys.stdout.write("BENCH-RESULT " + json.dumps(out) + "\n")


main()
