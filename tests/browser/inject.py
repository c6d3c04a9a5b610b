#!/usr/bin/python3
"""Plays a channel bridge for the browser tests: publishes one InboundMessage on
switchboard/GW/in/CHANNEL at QoS 1 and re-sends it every 2 s until the gateway's receipt (a
message_in Event carrying the external_id on switchboard/GW/events) arrives.

  inject.py BROKER_PORT GW PYPROTO_DIR CHANNEL EXTERNAL_ID SENDER SENDER_NAME TEXT

PYPROTO_DIR holds switchboard_pb2.py (protoc --python_out of services/proto/switchboard.proto).
Exit 0 on receipt, 1 on timeout (15 s).
"""
import os, sys, time

port, gw, pydir, channel, eid, sender, name, text = sys.argv[1:9]
sys.path.insert(0, pydir)
import paho.mqtt.client as mqtt
import switchboard_pb2 as pb

got = set()


def on_message(_c, _u, m):
    try:
        batch = pb.EventBatch.FromString(m.payload)
        events = list(batch.events)
    except Exception:
        events = []
    if not events:
        try:
            events = [pb.Event.FromString(m.payload)]
        except Exception:
            return
    got.update(e.external_id for e in events)


c = mqtt.Client(client_id=f"browser-bridge-{os.getpid()}", clean_session=True)
c.on_message = on_message
c.connect("127.0.0.1", int(port))
c.loop_start()
c.subscribe(f"switchboard/{gw}/events", qos=1)
time.sleep(0.2)
msg = pb.InboundMessage(external_id=eid, sender=sender, sender_name=name, text=text,
                        sent_at_ms=int(time.time() * 1000))
end, next_send = time.time() + 15, 0.0
while time.time() < end:
    if eid in got:
        sys.exit(0)
    if time.time() >= next_send:
        c.publish(f"switchboard/{gw}/in/{channel}", msg.SerializeToString(), qos=1)
        next_send = time.time() + 2
    time.sleep(0.05)
print(f"inject.py: no receipt for {eid} within 15 s", file=sys.stderr)
sys.exit(1)
