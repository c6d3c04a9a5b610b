#!/usr/bin/python3
"""Plays a channel bridge sending many messages at once, in order: publishes every line of
MESSAGES (JSON Lines: channel, id, sender, name, text) at QoS 1 on switchboard/GW/in/CHANNEL
and re-sends those without a receipt every 2 s until each has one.

  inject_many.py BROKER_PORT GW PYPROTO_DIR MESSAGES

Exit 0 when every message has its receipt, 1 on timeout (30 s).
"""
import json, os, sys, time

port, gw, pydir, path = sys.argv[1:5]
sys.path.insert(0, pydir)
import paho.mqtt.client as mqtt
import switchboard_pb2 as pb

with open(path, encoding="utf-8") as f:
    items = [json.loads(line) for line in f if line.strip()]
got = set()


def on_message(_c, _u, m):
    try:
        events = list(pb.EventBatch.FromString(m.payload).events)
    except Exception:
        events = []
    if not events:
        try:
            events = [pb.Event.FromString(m.payload)]
        except Exception:
            return
    got.update(e.external_id for e in events)


c = mqtt.Client(client_id=f"browser-bridge-many-{os.getpid()}", clean_session=True)
c.on_message = on_message
c.connect("127.0.0.1", int(port))
c.loop_start()
c.subscribe(f"switchboard/{gw}/events", qos=1)
time.sleep(0.2)
end, next_send = time.time() + 30, 0.0
while time.time() < end:
    missing = [i for i in items if i["id"] not in got]
    if not missing:
        sys.exit(0)
    if time.time() >= next_send:
        for i in missing:
            msg = pb.InboundMessage(external_id=i["id"], sender=i["sender"], sender_name=i["name"],
                                    text=i["text"], sent_at_ms=int(time.time() * 1000))
            c.publish(f"switchboard/{gw}/in/{i['channel']}", msg.SerializeToString(), qos=1)
            # One at a time in order: each is in before the next (the test's "after ten").
            t = time.time() + 5
            while i["id"] not in got and time.time() < t:
                time.sleep(0.01)
        next_send = time.time() + 2
    time.sleep(0.05)
print(f"inject_many.py: {len(missing)} messages without a receipt within 30 s", file=sys.stderr)
sys.exit(1)
