#!/bin/bash
# Inbound messages/s from a publisher through durable commit to the receipt (the message_in
# Event seen by a subscriber), events/s out, and the same publisher and subscriber through
# mosquitto alone as the ceiling, all in one run on one broker.
#   bench/mqtt/bench_mqtt.sh [BUILD_DIR] [N]     (default build, 50000)
set -euo pipefail
build=${1:-build}; n=${2:-50000}
port=$(/usr/bin/python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
d=$(mktemp -d /tmp/sb-bench-mqtt.XXXXXX)
trap 'kill $gw $mq 2>/dev/null; wait 2>/dev/null; rm -rf "$d"' EXIT
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 0\nmax_inflight_messages 1000\n' "$port" >"$d/m.conf"
mosquitto -c "$d/m.conf" >"$d/mq.log" 2>&1 & mq=$!
sleep 0.3
cat >"$d/config.toml" <<CFG
gateway_id = "gw-bench"
log_level = "warning"
[storage]
dir = "$d/data"
[admin]
listen = "127.0.0.1:0"
[mqtt]
uri = "tcp://127.0.0.1:$port"
CFG
"$build/firmware/switchboard" run --config "$d/config.toml" 2>"$d/gw.log" & gw=$!
sleep 1
"$build/bench/mqtt/mqtt_load" "$port" gw-bench "$n" --ceiling
"$build/bench/mqtt/mqtt_load" "$port" gw-bench "$n"
