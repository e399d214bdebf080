#!/bin/bash
# test/interop/lab/replay.sh start|stop - a FAST reply server for client benchmarks:
# a second sshd on 127.0.0.1:8840 whose `netconf` subsystem is lib/replay-server.py
# (base:1.1 only; a <get-config>/<get> whose filter holds
#  <replay xmlns="urn:example:replay" mb="N" chunk="C"/> gets about N MB of /lab/item data
# in C-byte chunks; any other RPC gets <ok/>). netconfd itself tops out near 30 MB/s, so it
# would measure netconfd, not our client. Same users/keys/host keys as the lab: start.sh first.
# stop.sh stops it too.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
LAB=${NETCONF_LAB_DIR:-/tmp/ncred-lab}
PORT=8840
k=$LAB/ssh; pidf=$LAB/run/sshd-replay.pid
descendants() { local c; for c in $(ps -o pid= --ppid "$1" 2>/dev/null || true); do descendants "$c"; echo "$c"; done; }
running() { [ -f "$pidf" ] && [ "$(readlink "/proc/$(cat "$pidf")/exe" 2>/dev/null)" = /usr/sbin/sshd ]; }
case "${1:-start}" in
start)
  [ "$(id -u)" = 0 ] || { echo "replay: run as root" >&2; exit 1; }
  [ -f "$k/sshd_config" ] || { echo "replay: run start.sh first" >&2; exit 1; }
  if running; then echo "replay: already running on 127.0.0.1:$PORT"; exit 0; fi
  if ss -Hltn "sport = :$PORT" | grep -q .; then echo "replay: port $PORT is in use by another process" >&2; exit 1; fi
  install -m 755 "$HERE/lib/replay-server.py" "$LAB/bin/replay-server.py"
  { echo "ListenAddress 127.0.0.1:$PORT"; echo "PidFile $pidf"
    grep -vE '^(ListenAddress|PidFile|Subsystem)' "$k/sshd_config"
    echo "Subsystem netconf $LAB/bin/replay-server.py"; } > "$k/sshd_replay_config"
  /usr/sbin/sshd -f "$k/sshd_replay_config" -E "$LAB/log/sshd-replay.log"
  for _ in $(seq 50); do   # bounded: 5 s for the SSH banner
    if timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT; head -c 4 <&3" 2>/dev/null | grep -q SSH-; then
      echo "replay: sshd on 127.0.0.1:$PORT (pid $(cat "$pidf"); users/keys/host keys as the lab's)"; exit 0
    fi
    sleep 0.1
  done
  echo "replay: sshd did not answer on $PORT (see $LAB/log/sshd-replay.log)" >&2; exit 1;;
stop)
  if running; then
    pid=$(cat "$pidf")
    kids=$(descendants "$pid")   # session sshds and replay-server.py processes too
    # shellcheck disable=SC2086
    kill -TERM "$pid" $kids 2>/dev/null || true
    for _ in $(seq 30); do [ -d "/proc/$pid" ] || break; sleep 0.1; done
    for p in $pid $kids; do [ -d "/proc/$p" ] && kill -KILL "$p" 2>/dev/null || true; done
  fi
  rm -f "$pidf"; echo "replay: stopped";;
*) echo "usage: $0 start|stop" >&2; exit 2;;
esac
