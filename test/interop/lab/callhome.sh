#!/bin/bash
# test/interop/lab/callhome.sh ssh|tls PORT - make the lab "device" call home once (RFC 8071).
# The device opens TCP to 127.0.0.1:PORT (the NETCONF *client* must already listen there;
# 4334 for SSH and 4335 for TLS by convention), then on that one socket it runs
#   ssh: sshd in inetd mode (sshd -i) = the SSH *server*; the client does the SSH client side
#   tls: stunnel in inetd mode        = the TLS *server* (mutual auth, lab CA); client does TLS client side
# and NETCONF then runs as usual against the netconfd "candidate" instance (users, keys,
# host keys and certs as for 8830/6513). Returns at once, printing the device pid; the device
# keeps retrying the connect once a second for NETCONF_LAB_CH_RETRY s (default 10) and exits
# when the session ends. stop.sh kills any that are still around. Needs start.sh first.
set -euo pipefail
LAB=${NETCONF_LAB_DIR:-/tmp/ncred-lab}
proto=${1:-} port=${2:-}
usage() { echo "usage: $0 ssh|tls PORT" >&2; exit 2; }
case "$proto" in ssh|tls) ;; *) usage;; esac
case "$port" in ''|*[!0-9]*) usage;; esac
[ "$(id -u)" = 0 ] || { echo "callhome: run as root (sshd -i needs it)" >&2; exit 1; }
[ -S "$LAB/nc-candidate/ncxserver.sock" ] || { echo "callhome: lab not running - run start.sh first" >&2; exit 1; }
retry=${NETCONF_LAB_CH_RETRY:-10}
case "$retry" in ''|*[!0-9]*) echo "callhome: NETCONF_LAB_CH_RETRY must be a number" >&2; exit 2;; esac
for f in "$LAB"/run/callhome-*.pid; do   # forget finished call-home devices
  if [ -e "$f" ] && ! [ -d "/proc/$(cat "$f")" ]; then rm -f "$f"; fi
done
# socat dials out (bounded retries); nofork = the program gets the TCP socket itself
# as stdin/stdout and replaces socat in the same pid (so the saved pid stays valid).
dial="TCP:127.0.0.1:$port,retry=$retry,interval=1"
log=$LAB/log/callhome-$proto.log
if [ "$proto" = ssh ]; then   # sshd must start as root (privilege separation)
  setsid socat -d -d "$dial" \
    "EXEC:/usr/sbin/sshd -i -f $LAB/ssh/sshd_callhome_config -E $log,nofork" \
    </dev/null >>"$LAB/log/callhome-socat.log" 2>&1 &
else                          # nothing here needs root: run as the netconf user
  setsid setpriv --reuid=netconf --regid=netconf --init-groups socat -d -d "$dial" \
    "EXEC:/usr/bin/stunnel4 $LAB/tls/stunnel-callhome.conf,nofork" \
    </dev/null >>"$LAB/log/callhome-socat.log" 2>&1 &
fi
pid=$!
echo "$pid" > "$LAB/run/callhome-$proto-$port-$pid.pid"
echo "callhome: $proto device dialling 127.0.0.1:$port (pid $pid, log $log)"
