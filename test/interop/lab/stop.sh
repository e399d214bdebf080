#!/bin/bash
# test/interop/lab/stop.sh - stop everything start.sh, callhome.sh and replay.sh started,
# by the PIDs they saved in $NETCONF_LAB_DIR/run (default /tmp/ncred-lab/run), together
# with each one's descendants (sshd/socat per-connection children, netconf-subsystem).
# Never by process name. Then checks with ps that nothing of the lab is left: exit 1
# (and a list) if something is.
#   --purge   also delete the state dir (keys, certs, datastores, logs, lab.json)
set -euo pipefail
LAB=${NETCONF_LAB_DIR:-/tmp/ncred-lab}
PURGE=; [ "${1:-}" = --purge ] && PURGE=1
log() { printf 'interop-lab: %s\n' "$*"; }
case "$LAB" in /?*) ;; *) echo "interop-lab: NETCONF_LAB_DIR must be an absolute path" >&2; exit 2;; esac

# Executables we may have started; a saved pid now running anything else was reused
# by an unrelated process and is left alone.
ours_exe() { case "$1" in /usr/sbin/netconfd|/usr/sbin/sshd|/usr/bin/socat|/usr/bin/stunnel4) return 0;; esac; return 1; }

descendants() { # all descendants of pid $1, children first
  local c
  for c in $(ps -o pid= --ppid "$1" 2>/dev/null || true); do descendants "$c"; echo "$c"; done
}
# live PID: exists and is not a zombie (an exited child that init has not reaped yet
# still has a /proc entry but no exe and cannot be killed: treat it as gone)
live() { local st; st=$(ps -o stat= -p "$1" 2>/dev/null) || return 1; case "$st" in Z*|'') return 1;; esac; return 0; }
gone() { local p; for p in "$@"; do if live "$p"; then return 1; fi; done; return 0; }

stopped_any=
stop_pidfile() {
  local f=$1 pid exe tree i p
  pid=$(cat "$f" 2>/dev/null || true); rm -f "$f"
  [ -n "$pid" ] && live "$pid" || return 0
  exe=$(readlink "/proc/$pid/exe" 2>/dev/null || true)
  ours_exe "$exe" || { log "pid $pid from $(basename "$f") runs '$exe', not ours - left alone"; return 0; }
  # Take the tree before signalling: sshd's session children do not die with the
  # listener, and orphans would be re-parented out of reach.
  tree="$(descendants "$pid" | tr '\n' ' ')$pid"
  # shellcheck disable=SC2086
  kill -TERM $tree 2>/dev/null || true
  # netconfd needs 1-2 s for SIGTERM (longer in the middle of a big edit): wait up to 5 s.
  for i in $(seq 50); do
    # shellcheck disable=SC2086
    gone $tree && break; sleep 0.1
  done
  for p in $tree; do if live "$p"; then kill -KILL "$p" 2>/dev/null || true; fi; done
  for i in $(seq 20); do
    # shellcheck disable=SC2086
    gone $tree && break; sleep 0.1
  done
  local kids=${tree%"$pid"}
  log "stopped $(basename "$f" .pid) (pid $pid${kids:+, descendants: ${kids% }})"
  stopped_any=1
}

if [ -d "$LAB/run" ]; then
  # front ends first (so clients see EOF, not a hang), netconfd last
  for f in "$LAB"/run/callhome-*.pid "$LAB/run/tls.pid" "$LAB/run/sshd-replay.pid" "$LAB/run/sshd.pid" \
           "$LAB/run/netconfd-candidate.pid" "$LAB/run/netconfd-running.pid"; do
    if [ -f "$f" ]; then stop_pidfile "$f"; fi
  done
  rm -f "$LAB"/nc-*/ncxserver.sock
fi
[ -n "$stopped_any" ] || log "nothing was running"

# Verify with ps: every lab server process has "$LAB/" in its command line (configs,
# sockets, pid files live there) and is one of the server binaries, or runs a program
# from $LAB/bin/. (Clients such as a test passing a key path are not counted.)
# Snapshot first, then filter, so the filter does not see itself.
snap=$(ps -eo pid=,args=)
left=
while read -r pid args; do
  case "$args" in *"$LAB/"*) ;; *) continue;; esac
  exe=$(readlink "/proc/$pid/exe" 2>/dev/null || true)
  case "$exe" in /usr/sbin/netconfd|/usr/sbin/sshd|/usr/bin/socat|/usr/bin/stunnel4|/usr/sbin/netconf-subsystem) ;;
    *) case "$args" in *"$LAB/bin/"*) ;; *) continue;; esac;; esac
  if live "$pid"; then left+="$pid $args"$'\n'; fi
done <<< "$snap"
if [ -n "$left" ]; then
  log "ERROR: processes of $LAB are still running:" >&2
  printf '%s' "$left" >&2
  exit 1
fi
log "no lab processes left (checked with ps)"

if [ -n "$PURGE" ]; then rm -rf "$LAB"; log "removed $LAB"; fi
exit 0
