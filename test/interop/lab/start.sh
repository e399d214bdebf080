#!/bin/bash
# test/interop/lab/start.sh - start the interop lab: a third-party NETCONF server
# (yuma123 netconfd, Debian package "netconfd") behind OpenSSH (SSH), socat (TLS)
# and stunnel (TLS call home, see callhome.sh). Everything binds/dials loopback only.
# Adapted from the team's verified recipe (shared/netconf-lab); the project carries
# its own copy so nothing outside the repo is needed at run time.
#
# Idempotent: parts that already run are left alone; keys/certs are made once.
# Writes $LAB/lab.json (ports, users, key/cert paths, host key fingerprints) for tests.
# Env knobs (read only when a part actually starts; run stop.sh first to change them):
#   NETCONF_LAB_DIR        state dir (default /tmp/ncred-lab)
#   NETCONF_LAB_FRESH=1    netconfd starts with empty datastores
#   NETCONF_LAB_NO_INSTALL=1  never run apt-get (fail if packages are missing)
#   NETCONF_LAB_LOG_LEVEL  netconfd --log-level (default info; debug2 shows NACM)
#   NETCONF_LAB_READY_TIMEOUT  seconds to wait for a real <hello> (default 30)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
LAB=${NETCONF_LAB_DIR:-/tmp/ncred-lab}
SSH_PORT=8830      # SSH -> netconfd "candidate" (:candidate, :confirmed-commit, :startup)
RUN_PORT=8831      # SSH -> netconfd "running"   (:writable-running, no :startup)
TLS_PORT=6513      # TLS (socat, mutual auth) -> netconfd "candidate"
CH_SSH_ID=4334     # port id netconfd sees for SSH call-home sessions (callhome.sh)
REPLAY_PORT=8840   # replay.sh (benchmark reply server), only when started
# python3-paramiko is pulled in by python3-ncclient; named explicitly because ready.py needs it.
PKGS="netconfd yangcli openssh-server openssh-client python3-ncclient python3-paramiko python3-lxml socat stunnel4 openssl"
PY=/usr/bin/python3   # Debian's interpreter: a pyenv python3 on PATH does not see python3-ncclient
T0=$(date +%s%N)
log() { printf 'interop-lab: %s\n' "$*"; }
die() { printf 'interop-lab: ERROR: %s\n' "$*" >&2; exit 1; }
elapsed() { local ms=$(( ($(date +%s%N) - T0) / 1000000 )); printf '%d.%03ds' $((ms / 1000)) $((ms % 1000)); }
[ "$(id -u)" = 0 ] || die "run as root (needs apt-get, useradd, sshd); e.g. sudo -E $0"
case "$LAB" in /*) ;; *) die "NETCONF_LAB_DIR must be an absolute path (got '$LAB')";; esac

# 1. Debian packages, only the missing ones. apt-get update only if the install fails
#    (a fresh CI image may have stale or empty lists; a dev box usually does not).
#    NOT netconfd-module-ietf-interfaces / -ietf-system: their SIL code aborts netconfd
#    or runs ifconfig/reboot through system() (see README).
missing=$(for p in $PKGS; do dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' || echo "$p"; done)
if [ -n "$missing" ]; then
  [ -z "${NETCONF_LAB_NO_INSTALL:-}" ] || die "missing Debian packages:" $missing
  log "installing:" $missing
  export DEBIAN_FRONTEND=noninteractive
  alog=$(mktemp /tmp/ncred-lab-apt.XXXXXX)
  # shellcheck disable=SC2086  # word splitting of the package list is intended
  timeout 600 apt-get install -y -q --no-install-recommends $missing >"$alog" 2>&1 \
    || { timeout 300 apt-get update -q >>"$alog" 2>&1 \
         && timeout 600 apt-get install -y -q --no-install-recommends $missing >>"$alog" 2>&1; } \
    || { tail -20 "$alog" >&2; die "apt-get install failed (log: $alog)"; }
  rm -f "$alog"
  log "packages installed after $(elapsed)"
fi
for m in netconfd-module-ietf-interfaces netconfd-module-ietf-system; do
  if dpkg-query -W -f='${Status}\n' "$m" 2>/dev/null | grep -q '^install ok installed'; then
    die "$m is installed: its SIL crashes netconfd / touches the host. Purge it: apt-get purge $m"
  fi
done

# 2. Login users: "netconf" = netconfd --superuser (bypasses NACM); "netconf-ro" =
#    normal user under default NACM (read permit, write deny on the running instance).
#    Password = user name; loopback-only test box.
for u in netconf netconf-ro; do
  id "$u" >/dev/null 2>&1 || useradd --system --create-home --home-dir "/home/$u" --shell /bin/sh "$u"
  echo "$u:$u" | chpasswd
done

# 3. State dirs. netconfd runs unprivileged as "netconf" in nc-*/, so the lab dir
#    must be traversable (755).
mkdir -p "$LAB"/{run,log,ssh,tls,bin,client,modules} "$LAB"/nc-candidate "$LAB"/nc-running /run/sshd
chmod 755 "$LAB" "$LAB"/{run,log,ssh,tls,bin,modules}; chmod 700 "$LAB"/client
chown netconf: "$LAB"/nc-candidate "$LAB"/nc-running
chgrp netconf "$LAB"/log; chmod 775 "$LAB"/log
install -m 755 "$HERE/lib/nc-subsys-wrapper" "$LAB/bin/nc-subsys-wrapper"
install -m 644 "$HERE/lib/netconf-lab.yang" "$LAB/modules/netconf-lab.yang"

# 4. Keys, generated once and kept across restarts so known_hosts/fingerprints stay valid.
k=$LAB/ssh
[ -f "$k/ssh_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N '' -C ncred-lab-host -f "$k/ssh_host_ed25519_key"
[ -f "$k/ssh_host_rsa_key" ]     || ssh-keygen -q -t rsa -b 3072 -N '' -C ncred-lab-host -f "$k/ssh_host_rsa_key"
c=$LAB/client   # client private keys: OpenSSH-format ed25519, PEM-format ("BEGIN RSA PRIVATE KEY") RSA
[ -f "$c/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C ncred-lab-client -f "$c/id_ed25519"
[ -f "$c/id_rsa" ]     || ssh-keygen -q -t rsa -b 3072 -m PEM -N '' -C ncred-lab-client -f "$c/id_rsa"
cat "$c/id_ed25519.pub" "$c/id_rsa.pub" > "$k/authorized_keys.netconf"
cat "$c/id_ed25519.pub" "$c/id_rsa.pub" > "$k/authorized_keys.netconf-ro"
chmod 644 "$k"/authorized_keys.*
# One line per host pattern and key (no comma lists): simple parsers in tests cope.
{ for f in "$k"/ssh_host_ed25519_key.pub "$k"/ssh_host_rsa_key.pub; do
    for h in "[127.0.0.1]:$SSH_PORT" "[127.0.0.1]:$RUN_PORT" "[::1]:$SSH_PORT" "[::1]:$RUN_PORT" \
             "[localhost]:$SSH_PORT" "[localhost]:$RUN_PORT"; do
      printf '%s %s\n' "$h" "$(cut -d' ' -f1,2 "$f")"
    done
  done; } > "$c/known_hosts"
chmod 644 "$c/known_hosts"

t=$LAB/tls      # CA, server cert (localhost/127.0.0.1/::1), client certs CN=username
mkcert() { # name subject ext [self]
  [ -f "$t/$1.pem" ] && return 0
  openssl req -new -newkey rsa:2048 -nodes -keyout "$t/$1.key" -subj "$2" -out "$t/$1.csr" 2>/dev/null
  printf '%s\n' "$3" > "$t/$1.ext"
  if [ "${4:-}" = self ]; then
    openssl x509 -req -days 3650 -in "$t/$1.csr" -signkey "$t/$1.key" -extfile "$t/$1.ext" -out "$t/$1.pem" 2>/dev/null
  else
    openssl x509 -req -days 3650 -in "$t/$1.csr" -CA "$t/ca.pem" -CAkey "$t/ca.key" -CAcreateserial -extfile "$t/$1.ext" -out "$t/$1.pem" 2>/dev/null
  fi
  rm -f "$t/$1.csr" "$t/$1.ext"
}
[ -f "$t/ca.pem" ] || openssl req -x509 -new -newkey rsa:2048 -nodes -days 3650 -subj "/CN=ncred-lab CA" \
  -keyout "$t/ca.key" -out "$t/ca.pem" 2>/dev/null
mkcert server     "/CN=localhost"  "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1
extendedKeyUsage=serverAuth"
mkcert client     "/CN=netconf"    "extendedKeyUsage=clientAuth"
mkcert client-ro  "/CN=netconf-ro" "extendedKeyUsage=clientAuth"
mkcert rogue      "/CN=netconf"    "extendedKeyUsage=clientAuth" self   # NOT signed by the CA: must be refused
chgrp netconf "$t"/server.key; chmod 640 "$t"/*.key; chmod 600 "$t"/ca.key

# If started through sudo, the tests run as the invoking user: give that user the
# client-side secrets (client keys, client TLS keys), nothing server-side.
if [ -n "${SUDO_UID:-}" ] && [ "${SUDO_UID}" != 0 ]; then
  chown -R "$SUDO_UID:${SUDO_GID:-$SUDO_UID}" "$c"
  chown "$SUDO_UID:${SUDO_GID:-$SUDO_UID}" "$t"/client.key "$t"/client-ro.key "$t"/rogue.key
fi

# helpers ------------------------------------------------------------------
alive() { # alive PIDFILE EXE: does the pid saved in PIDFILE still run EXE?
  local pid; pid=$(cat "$1" 2>/dev/null) || return 1
  [ -n "$pid" ] && [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$2" ]
}
waitfor() { # waitfor SECONDS COMMAND...: poll every 0.1 s, bounded
  local n=$(( $1 * 10 )); shift
  until "$@" 2>/dev/null; do n=$((n-1)); [ $n -gt 0 ] || return 1; sleep 0.1; done
}
banner() { timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2; head -c 4 <&3" 2>/dev/null | grep -q SSH-; }
listening() { ss -Hltn "sport = :$1" | grep -q .; }
# A port we are about to bind must be free: the team recipe (shared/netconf-lab) uses the
# same ports, and sshd would silently run with only some of its ListenAddresses.
port_free() {
  local p
  for p in "$@"; do
    if listening "$p"; then
      ss -Hltnp "sport = :$p" >&2 || true
      die "port $p is already in use by another process (another lab, e.g. /work/shared/netconf-lab? stop it first)"
    fi
  done
}

# Preflight: fail before starting anything if a port we still have to bind is taken.
alive "$LAB/run/sshd.pid" /usr/sbin/sshd || port_free $SSH_PORT $RUN_PORT
alive "$LAB/run/tls.pid" /usr/bin/socat || port_free $TLS_PORT

# 5. Two netconfd instances, unix sockets only (sshd/socat bring clients in).
start_netconfd() { # name target with-startup port...
  local name=$1 target=$2 ws=$3; shift 3
  local d=$LAB/nc-$name pidf=$LAB/run/netconfd-$name.pid ports=() p
  if alive "$pidf" /usr/sbin/netconfd; then log "netconfd-$name already running (pid $(cat "$pidf"))"; return; fi
  # netconfd accepts a session only if the "server port" netconf-subsystem reports is one of these
  for p in "$@"; do ports+=(--port="$p"); done
  rm -f "$d/ncxserver.sock" "$pidf"
  if [ -n "${NETCONF_LAB_FRESH:-}" ]; then rm -f "$d/startup-cfg.xml"; fi
  [ -f "$d/startup-cfg.xml" ] || printf '<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"/>\n' > "$d/startup-cfg.xml"
  chown netconf: "$d/startup-cfg.xml"
  # The previous instance's log and output (an abort message) are kept one start: a crash
  # found after the next start can still be read. Output starts empty, so it is this run's.
  for p in log out; do [ -f "$LAB/log/netconfd-$name.$p" ] && mv -f "$LAB/log/netconfd-$name.$p" "$LAB/log/netconfd-$name.$p.prev"; done
  # env -i: clean environment (root's PATH etc. would leak in); netconfd stays in the
  # foreground, start-stop-daemon backgrounds it and records its PID (env execs netconfd).
  start-stop-daemon --start --quiet --background --make-pidfile --pidfile "$pidf" \
    --chuid netconf --chdir "$d" --output "$LAB/log/netconfd-$name.out" --startas /usr/bin/env -- -i \
    PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$d" USER=netconf \
    /usr/sbin/netconfd --home="$d" --ncxserver-sockname="$d/ncxserver.sock" \
      --target="$target" --with-startup="$ws" --startup="$d/startup-cfg.xml" \
      --superuser=netconf --access-control=enforcing --with-validate=true \
      --eventlog-size=1000 --max-burst=0 "${ports[@]}" \
      --module=iana-if-type --module=ietf-interfaces --module=ietf-ip \
      --module=toaster --module=helloworld --module="$LAB/modules/netconf-lab.yang" \
      --log="$LAB/log/netconfd-$name.log" --log-level="${NETCONF_LAB_LOG_LEVEL:-info}"
  waitfor 20 test -S "$d/ncxserver.sock" \
    || { tail -20 "$LAB/log/netconfd-$name".* >&2; die "netconfd-$name did not create its socket within 20 s"; }
  log "netconfd-$name started (pid $(cat "$pidf"), target=$target)"
}
start_netconfd candidate candidate true  $SSH_PORT $TLS_PORT $CH_SSH_ID
start_netconfd running   running   false $RUN_PORT

# 6. Own sshd instance (own config, host keys, pid file); the system sshd is untouched.
SOCK_C=$LAB/nc-candidate/ncxserver.sock SOCK_R=$LAB/nc-running/ncxserver.sock
sshd_common() { cat <<EOF
# generated by test/interop/lab/start.sh
HostKey $k/ssh_host_ed25519_key
HostKey $k/ssh_host_rsa_key
AuthorizedKeysFile $k/authorized_keys.%u
StrictModes no
UsePAM no
PasswordAuthentication yes
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin no
AllowUsers netconf netconf-ro
DisableForwarding yes
PermitTTY no
PrintMotd no
UseDNS no
MaxSessions 64
MaxStartups 64:30:128
LogLevel VERBOSE
EOF
}
{ for a in 127.0.0.1 '[::1]'; do
    for p in $SSH_PORT $RUN_PORT; do echo "ListenAddress $a:$p"; done
  done
  echo "PidFile $LAB/run/sshd.pid"
  sshd_common
  # netconf-subsystem picks the netconfd socket by the SSH server port.
  echo "Subsystem netconf /usr/sbin/netconf-subsystem --ncxserver-sockname=$SSH_PORT@$SOCK_C --ncxserver-sockname=$RUN_PORT@$SOCK_R"
} > "$k/sshd_config"
{ sshd_common; echo "Subsystem netconf $LAB/bin/nc-subsys-wrapper $CH_SSH_ID $SOCK_C"; } > "$k/sshd_callhome_config"
/usr/sbin/sshd -t -f "$k/sshd_config" || die "bad $k/sshd_config"
/usr/sbin/sshd -t -f "$k/sshd_callhome_config" || die "bad $k/sshd_callhome_config"
if alive "$LAB/run/sshd.pid" /usr/sbin/sshd; then
  log "sshd already running (pid $(cat "$LAB/run/sshd.pid"))"
else
  port_free $SSH_PORT $RUN_PORT
  /usr/sbin/sshd -f "$k/sshd_config" -E "$LAB/log/sshd.log" || die "sshd failed (see $LAB/log/sshd.log)"
  waitfor 10 banner 127.0.0.1 $SSH_PORT || die "sshd not answering on $SSH_PORT (see $LAB/log/sshd.log)"
  waitfor 5 banner 127.0.0.1 $RUN_PORT || die "sshd not answering on $RUN_PORT (see $LAB/log/sshd.log)"
  log "sshd started (pid $(cat "$LAB/run/sshd.pid"))"
fi

# 7. NETCONF over TLS: socat, mutual TLS (verify=1 + cafile), one netconf-subsystem per
#    connection; runs as the unprivileged netconf user.
if alive "$LAB/run/tls.pid" /usr/bin/socat; then
  log "tls listener already running (pid $(cat "$LAB/run/tls.pid"))"
else
  port_free $TLS_PORT
  rm -f "$LAB/run/tls.pid"
  start-stop-daemon --start --quiet --background --make-pidfile --pidfile "$LAB/run/tls.pid" \
    --chuid netconf --output "$LAB/log/tls.log" --exec /usr/bin/socat -- -d -d \
    "OPENSSL-LISTEN:$TLS_PORT,bind=127.0.0.1,reuseaddr,fork,cert=$t/server.pem,key=$t/server.key,cafile=$t/ca.pem,verify=1" \
    "EXEC:$LAB/bin/nc-subsys-wrapper $TLS_PORT $SOCK_C"
  waitfor 10 listening $TLS_PORT || die "socat not listening on $TLS_PORT (see $LAB/log/tls.log)"
  log "tls listener started (pid $(cat "$LAB/run/tls.pid"))"
fi
# stunnel config for TLS call home (inetd mode: TLS *server* on stdin/stdout).
cat > "$t/stunnel-callhome.conf" <<EOF
; generated by test/interop/lab/start.sh - used by callhome.sh tls
debug = 5
output = $LAB/log/callhome-tls.log
cert = $t/server.pem
key = $t/server.key
CAfile = $t/ca.pem
verifyChain = yes
requireCert = yes
exec = $LAB/bin/nc-subsys-wrapper
execArgs = nc-subsys-wrapper $TLS_PORT $SOCK_C
EOF

# 8. Describe the lab for the tests ($LAB/lab.json). Fingerprints exactly as
#    `ssh-keygen -lf` prints them (SHA256:base64-without-padding).
fp() { ssh-keygen -lf "$1" | awk '{print $2}'; }
export LAB HERE SSH_PORT RUN_PORT TLS_PORT REPLAY_PORT
export FP_ED25519=$(fp "$k/ssh_host_ed25519_key.pub") FP_RSA=$(fp "$k/ssh_host_rsa_key.pub")
"$PY" - <<'EOF'
import json, os
e = os.environ
L, H = e["LAB"], e["HERE"]
t = L + "/tls"
pub = lambda n: open(L + "/ssh/ssh_host_%s_key.pub" % n).read().split()[:2]
d = {
    "dir": L,
    "host": "127.0.0.1",
    "sshPort": int(e["SSH_PORT"]),        # netconfd candidate instance
    "runningPort": int(e["RUN_PORT"]),    # netconfd running instance (:writable-running)
    "tlsPort": int(e["TLS_PORT"]),        # candidate instance over TLS
    "users": {"admin": {"username": "netconf", "password": "netconf"},
              "ro": {"username": "netconf-ro", "password": "netconf-ro"}},
    "clientKeys": {"ed25519": L + "/client/id_ed25519", "rsa": L + "/client/id_rsa"},
    "knownHosts": L + "/client/known_hosts",
    "hostFingerprints": [e["FP_ED25519"], e["FP_RSA"]],
    "hostKeys": {"ed25519": {"type": pub("ed25519")[0], "base64": pub("ed25519")[1], "fingerprint": e["FP_ED25519"]},
                 "rsa": {"type": pub("rsa")[0], "base64": pub("rsa")[1], "fingerprint": e["FP_RSA"]}},
    "tls": {"ca": t + "/ca.pem", "cert": t + "/client.pem", "key": t + "/client.key",
            "roCert": t + "/client-ro.pem", "roKey": t + "/client-ro.key",
            "rogueCert": t + "/rogue.pem", "rogueKey": t + "/rogue.key",
            "serverCert": t + "/server.pem", "serverName": "localhost"},
    "callhome": {"script": H + "/callhome.sh", "sshPort": 4334, "tlsPort": 4335},
    "replay": {"script": H + "/replay.sh", "port": int(e["REPLAY_PORT"])},
    "python": {"interpreter": "/usr/bin/python3",
               "ncclientClient": os.path.normpath(H + "/../py/ncclient_client.py")},
    "logs": L + "/log",
}
tmp = L + "/lab.json.tmp"
with open(tmp, "w") as f:
    json.dump(d, f, indent=2)
    f.write("\n")
os.chmod(tmp, 0o644)
os.replace(tmp, L + "/lab.json")   # atomic: a test never reads a half-written file
EOF

# 9. Readiness: a real <hello> (and <close-session/> round trip) over SSH on both
#    instances and over TLS; bounded by NETCONF_LAB_READY_TIMEOUT.
"$PY" "$HERE/lib/ready.py" "$LAB" --timeout "${NETCONF_LAB_READY_TIMEOUT:-30}" \
  --ssh-port $SSH_PORT --running-port $RUN_PORT --tls-port $TLS_PORT | sed 's/^/interop-lab: /' \
  || die "NETCONF hello check failed (logs: $LAB/log/)"
log "ready in $(elapsed)  (state: $LAB, description: $LAB/lab.json)"
cat <<EOF
  SSH  127.0.0.1:$SSH_PORT ([::1] too)  netconfd candidate  users netconf/netconf (superuser), netconf-ro/netconf-ro
  SSH  127.0.0.1:$RUN_PORT ([::1] too)  netconfd running    same users; keys $c/id_ed25519, $c/id_rsa
  TLS  127.0.0.1:$TLS_PORT            netconfd candidate  CA $t/ca.pem; client cert $t/client.pem + .key (CN=netconf)
  Call home: $HERE/callhome.sh ssh|tls PORT   (listen on 127.0.0.1:PORT first; 4334/4335 by convention)
EOF
