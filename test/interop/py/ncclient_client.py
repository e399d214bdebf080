#!/usr/bin/python3
"""Reference NETCONF client for cross-checks: Debian's python3-ncclient (0.6.13, SSH only).

TypeScript tests run it through child_process to compare our client / our simulator
with an independent implementation. Always run it with /usr/bin/python3 (a pyenv
python3 on PATH does not see python3-ncclient).

INPUT: one JSON object, as argv[1] or on stdin (when argv[1] is absent or "-").
  Connection:
    "lab": "/tmp/ncred-lab/lab.json"  optional; fills host, port (sshPort), admin user/password
                                      and knownHosts from the lab description
    "host", "port"                    default 127.0.0.1 / 830 (or from "lab")
    "username", "password"            password auth, or
    "keyFile"                         private key file (OpenSSH or PEM)
    "hostkeyVerify": true|false       default false
    "knownHosts": path                known_hosts used when hostkeyVerify is true
    "hostkeyB64": "AAAA..."           pin the server host key instead (implies verification)
    "timeout": 30                     seconds, for the connect and for every RPC reply
  What to do, either
    "action": "get-config", plus that action's parameters at the top level, or
    "action": {"op": "get-config", ...}, or
    "actions": [{"op": ...}, ...]     run in order in ONE session (lock/edit/commit/unlock ...)
    "continueOnError": false          default: stop at the first step that is not ok
  Steps (op and parameters):
    get-config      source (running), filter (subtree XML string) or xpath, withDefaults
    get             filter or xpath, withDefaults
    edit-config     config (XML; wrapped in <config> unless it already is), target (candidate),
                    defaultOperation, testOption, errorOption
    commit          confirmed (bool), confirmTimeout (s), persist, persistId
    cancel-commit   persistId
    discard-changes, validate (source: candidate), copy-config (source, target),
    delete-config (target), lock / unlock (target: candidate), kill-session (sessionId)
    create-subscription  stream, filter (subtree XML), startTime, stopTime
    wait-notification    timeout (10 s), count (1), match (substring the notification XML must
                         contain; others are counted as "skipped"). Creates the subscription
                         first (with the create-subscription parameters above) unless this
                         session already has one.
    rpc             xml: any operation element as XML (sent inside <rpc> unchanged)
    sleep           seconds
    close-session   (done automatically at the end otherwise)

OUTPUT (stdout, one JSON object):
  {"ok": bool, "sessionId": "5", "serverCapabilities": [...],
   "results": [{"op", "ok", "xml": "<rpc-reply ...>", "data": "<data>...</data>" (get/get-config),
                "errors": [{"type","tag","severity","appTag","path","message","info"}],
                "notifications": [{"xml","eventTime"}] (wait-notification), "timedOut",
                "exception": {"type","message"} (Python-side failure), "elapsedMs"}],
   "result": <the last result>,            (convenience)
   "error": {"type","message"}            (only when the connect failed or input was bad)}
  "ok" of a step = a reply came and it holds no rpc-error with severity "error".
Progress on stderr, one JSON line each, so a caller can trigger events at the right time:
  {"event":"connected","sessionId":..}, {"event":"subscribed"}, {"event":"step","index":i,"op":..,"ok":..}
EXIT STATUS: 0 = ran to the end (check "ok": rpc-errors are results, not failures),
  1 = connect failed or a step raised (transport error, reply timeout),
  2 = bad input.
"""
import json, os, sys, time
sys.dont_write_bytecode = True

NC = "urn:ietf:params:xml:ns:netconf:base:1.0"
NOTIF = "urn:ietf:params:xml:ns:netconf:notification:1.0"


class BadInput(Exception):
    pass


def event(**kw):
    sys.stderr.write(json.dumps(kw) + "\n")
    sys.stderr.flush()


def load_input():
    if len(sys.argv) > 1 and sys.argv[1] != "-":
        raw = sys.argv[1]
    else:
        raw = sys.stdin.read()
    try:
        spec = json.loads(raw)
    except ValueError as e:
        raise BadInput("input is not JSON: %s" % e)
    if not isinstance(spec, dict):
        raise BadInput("input must be a JSON object")
    if spec.get("lab"):
        with open(spec["lab"]) as f:
            lab = json.load(f)
        admin = lab["users"]["admin"]
        spec.setdefault("host", lab["host"])
        spec.setdefault("port", lab["sshPort"])
        if "keyFile" not in spec:
            spec.setdefault("username", admin["username"])
            if spec.get("username") == admin["username"]:
                spec.setdefault("password", admin["password"])
            elif spec.get("username") == lab["users"]["ro"]["username"]:
                spec.setdefault("password", lab["users"]["ro"]["password"])
        spec.setdefault("knownHosts", lab["knownHosts"])
    if "actions" in spec:
        steps = spec["actions"]
    elif isinstance(spec.get("action"), dict):
        steps = [spec["action"]]
    elif isinstance(spec.get("action"), str):
        steps = [dict(spec, op=spec["action"])]
    else:
        raise BadInput('need "action" or "actions"')
    if not isinstance(steps, list) or not all(isinstance(s, dict) and isinstance(s.get("op"), str) for s in steps):
        raise BadInput('every step needs an "op" string')
    for s in steps:
        if s["op"] not in OPS:
            raise BadInput("unknown op %r (known: %s)" % (s["op"], ", ".join(sorted(OPS))))
    return spec, steps


def connect(spec):
    from ncclient import manager, transport
    from ncclient.manager import make_device_handler
    from ncclient.operations import RaiseMode
    timeout = float(spec.get("timeout", 30))
    verify = bool(spec.get("hostkeyVerify", False)) or bool(spec.get("hostkeyB64"))
    dh = make_device_handler({})
    sess = transport.SSHSession(dh)
    if verify and spec.get("knownHosts"):
        # manager.connect() would read ~/.ssh/known_hosts only; use the given file.
        sess.load_known_hosts(spec["knownHosts"])
    kw = dict(host=spec.get("host", "127.0.0.1"), port=int(spec.get("port", 830)),
              username=spec.get("username"), hostkey_verify=verify,
              allow_agent=False, look_for_keys=False, timeout=timeout)
    if spec.get("hostkeyB64"):
        kw["hostkey_b64"] = spec["hostkeyB64"]
    if spec.get("keyFile"):
        kw["key_filename"] = spec["keyFile"]
    else:
        kw["password"] = spec.get("password")
    try:
        sess.connect(**kw)
    except Exception:
        if sess.transport:
            sess.close()
        raise
    m = manager.Manager(sess, dh, timeout=timeout)
    m.raise_mode = RaiseMode.NONE      # rpc-errors come back as replies; we report them
    m.huge_tree = True                 # big get-config replies (lxml's default limits are 10 MB)
    return m


def parse_errors(xml):
    from lxml import etree
    out = []
    try:
        root = etree.fromstring(xml.encode() if isinstance(xml, str) else xml,
                                etree.XMLParser(huge_tree=True, recover=True))
    except Exception:
        return out
    if root is None:
        return out
    names = {"error-type": "type", "error-tag": "tag", "error-severity": "severity",
             "error-app-tag": "appTag", "error-path": "path", "error-message": "message",
             "error-info": "info"}
    for err in root.iter("{%s}rpc-error" % NC):
        e = {v: None for v in names.values()}
        for child in err:
            if not isinstance(child.tag, str):
                continue
            key = names.get(etree.QName(child).localname)
            if key == "info":
                e[key] = "".join(etree.tostring(c, encoding="unicode", with_tail=False) for c in child if isinstance(c.tag, str))
            elif key:
                e[key] = (child.text or "").strip()
        out.append(e)
    return out


def reply_result(reply, with_data=False):
    xml = reply.xml if isinstance(reply.xml, str) else reply.xml.decode()
    errors = parse_errors(xml)
    r = {"ok": not any((e.get("severity") or "error") == "error" for e in errors),
         "xml": xml, "errors": errors}
    if with_data:
        r["data"] = None
        if r["ok"]:
            from lxml import etree
            root = etree.fromstring(xml.encode(), etree.XMLParser(huge_tree=True))
            # <data> of get/get-config is in the base namespace; other RPCs (get-schema ...)
            # put theirs in the module's namespace: take any child element named data.
            d = root.find("{%s}data" % NC)
            if d is None:
                d = next((c for c in root if isinstance(c.tag, str) and etree.QName(c).localname == "data"), None)
            r["data"] = etree.tostring(d, encoding="unicode") if d is not None else None
    return r


def filt(step):
    if step.get("xpath"):
        return ("xpath", step["xpath"])
    if step.get("filter"):
        return ("subtree", step["filter"])
    return None


def wrap_config(x):
    s = x.strip()
    if s.startswith("<config") or s.startswith("<nc:config"):
        return s
    return '<config xmlns="%s">%s</config>' % (NC, s)


STATE = {"subscribed": False}


def op_get_config(m, s):
    return reply_result(m.get_config(source=s.get("source", "running"), filter=filt(s),
                                     with_defaults=s.get("withDefaults")), True)


def op_get(m, s):
    return reply_result(m.get(filter=filt(s), with_defaults=s.get("withDefaults")), True)


def op_edit_config(m, s):
    if not s.get("config"):
        raise BadInput("edit-config needs config")
    return reply_result(m.edit_config(config=wrap_config(s["config"]), target=s.get("target", "candidate"),
                                      default_operation=s.get("defaultOperation"),
                                      test_option=s.get("testOption"), error_option=s.get("errorOption")))


def op_commit(m, s):
    t = s.get("confirmTimeout")
    return reply_result(m.commit(confirmed=bool(s.get("confirmed")), timeout=str(t) if t is not None else None,
                                 persist=s.get("persist"), persist_id=s.get("persistId")))


def op_create_subscription(m, s):
    r = reply_result(m.create_subscription(filter=("subtree", s["filter"]) if s.get("filter") else None,
                                           stream_name=s.get("stream"), start_time=s.get("startTime"),
                                           stop_time=s.get("stopTime")))
    if r["ok"]:
        STATE["subscribed"] = True
        event(event="subscribed")
    return r


def op_wait_notification(m, s):
    from lxml import etree
    res = {"ok": False, "errors": [], "notifications": [], "skipped": 0, "timedOut": False}
    if not STATE["subscribed"]:
        sub = op_create_subscription(m, s)
        if not sub["ok"]:
            sub["notifications"] = []
            return sub
    want, match = int(s.get("count", 1)), s.get("match")
    deadline = time.monotonic() + float(s.get("timeout", 10))
    while len(res["notifications"]) < want:
        left = deadline - time.monotonic()
        if left <= 0:
            res["timedOut"] = True
            break
        n = m.take_notification(block=True, timeout=min(left, 1.0))
        if n is None:
            if not m.connected:    # server closed the session: do not wait out the timeout
                raise RuntimeError("session closed by the server while waiting for notifications")
            continue
        xml = n.notification_xml if isinstance(n.notification_xml, str) else n.notification_xml.decode()
        if match and match not in xml:
            res["skipped"] += 1
            continue
        et = None
        try:
            et = etree.fromstring(xml.encode()).findtext("{%s}eventTime" % NOTIF)
        except Exception:
            pass
        res["notifications"].append({"xml": xml, "eventTime": et})
    res["ok"] = len(res["notifications"]) >= want
    return res


def op_rpc(m, s):
    from ncclient.xml_ import to_ele
    if not s.get("xml"):
        raise BadInput("rpc needs xml")
    return reply_result(m.dispatch(to_ele(s["xml"])), True)


def op_sleep(m, s):
    time.sleep(float(s.get("seconds", 1)))
    return {"ok": True, "errors": []}


def op_close(m, s):
    r = reply_result(m.close_session())
    STATE["closed"] = True
    return r


OPS = {
    "get-config": op_get_config,
    "get": op_get,
    "edit-config": op_edit_config,
    "commit": op_commit,
    "cancel-commit": lambda m, s: reply_result(m.cancel_commit(persist_id=s.get("persistId"))),
    "discard-changes": lambda m, s: reply_result(m.discard_changes()),
    "validate": lambda m, s: reply_result(m.validate(source=s.get("source", "candidate"))),
    "copy-config": lambda m, s: reply_result(m.copy_config(source=s["source"], target=s["target"])),
    "delete-config": lambda m, s: reply_result(m.delete_config(target=s["target"])),
    "lock": lambda m, s: reply_result(m.lock(target=s.get("target", "candidate"))),
    "unlock": lambda m, s: reply_result(m.unlock(target=s.get("target", "candidate"))),
    "kill-session": lambda m, s: reply_result(m.kill_session(session_id=str(s["sessionId"]))),
    "create-subscription": op_create_subscription,
    "wait-notification": op_wait_notification,
    "rpc": op_rpc,
    "sleep": op_sleep,
    "close-session": op_close,
}


def main():
    out = {"ok": False, "sessionId": None, "serverCapabilities": [], "results": []}

    def finish(code):
        if out["results"]:
            out["result"] = out["results"][-1]
        sys.stdout.write(json.dumps(out) + "\n")
        sys.stdout.flush()
        return code

    try:
        spec, steps = load_input()
    except (BadInput, OSError, KeyError) as e:
        out["error"] = {"type": type(e).__name__, "message": str(e)}
        return finish(2)
    try:
        m = connect(spec)
    except Exception as e:
        out["error"] = {"type": type(e).__name__, "message": str(e)}
        return finish(1)
    out["sessionId"] = m.session_id
    out["serverCapabilities"] = list(m.server_capabilities)
    event(event="connected", sessionId=m.session_id)
    code, all_ok = 0, True
    try:
        for i, s in enumerate(steps):
            t0 = time.monotonic()
            try:
                r = OPS[s["op"]](m, s)
            except BadInput as e:
                out["error"] = {"type": "BadInput", "message": str(e)}
                code, all_ok = 2, False
                break
            except Exception as e:     # transport failure, reply timeout, missing capability ...
                r = {"ok": False, "errors": [], "exception": {"type": type(e).__name__, "message": str(e)}}
                code = 1
            r = dict({"op": s["op"]}, **r)
            r["elapsedMs"] = round((time.monotonic() - t0) * 1000, 1)
            out["results"].append(r)
            event(event="step", index=i, op=s["op"], ok=r["ok"])
            all_ok = all_ok and r["ok"]
            if (not r["ok"] and not spec.get("continueOnError")) or code == 1:
                break
    finally:
        if not STATE.get("closed"):
            try:
                m.close_session()
            except Exception:
                pass
    out["ok"] = all_ok and code == 0 and len(out["results"]) == len(steps)
    return finish(code)


if __name__ == "__main__":
    sys.exit(main())
