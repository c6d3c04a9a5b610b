#!/usr/bin/python3
"""Plays the outbound side of a channel bridge for the browser tests: subscribes to
switchboard/GW/out/#, appends every payload the gateway publishes there to LOG_FILE (one line
per message: topic, a tab, the payload in hex), and answers each OutboundMessage with a
DeliveryStatus SENT on switchboard/GW/delivery/<channel>, as a real bridge would. Prints
"ready" on stdout once subscribed; runs until killed.

  bridge_out.py BROKER_PORT GW PYPROTO_DIR LOG_FILE
"""
import os, sys, time

port, gw, pydir, log_file = sys.argv[1:5]
sys.path.insert(0, pydir)
import paho.mqtt.client as mqtt
import switchboard_pb2 as pb

log = open(log_file, "a", buffering=1)


def on_message(c, _u, m):
    log.write(m.topic + "\t" + m.payload.hex() + "\n")
    try:
        out = pb.OutboundMessage.FromString(m.payload)
    except Exception:
        return
    if not out.id:
        return
    channel = m.topic.rsplit("/", 1)[-1]
    st = pb.DeliveryStatus(id=out.id, state=pb.DeliveryStatus.SENT, at_ms=int(time.time() * 1000))
    c.publish(f"switchboard/{gw}/delivery/{channel}", st.SerializeToString(), qos=1)


def on_subscribe(*_a):
    print("ready", flush=True)


def on_connect(c, *_a):
    c.subscribe(f"switchboard/{gw}/out/#", qos=1)


c = mqtt.Client(client_id=f"browser-bridge-out-{os.getpid()}", clean_session=True)
c.on_message = on_message
c.on_subscribe = on_subscribe
c.on_connect = on_connect
c.connect("127.0.0.1", int(port))
c.loop_forever()
