"""MQTT integration tests against a real mosquitto broker and the real switchboard binary.
   python3 test_mqtt.py BINARY [unittest args]"""
import csv, io, json, os, random, subprocess, sys, tempfile, time, unittest, urllib.request

from harness import Broker, Central, Gateway, pb, wait_for

BINARY = None


class MqttTest(unittest.TestCase):
    def setUp(self):
        self.broker = Broker()
        self.broker.start()
        self.gws, self.centrals = [], []

    def tearDown(self):
        for c in self.centrals:
            c.close()
        for g in self.gws:
            g.stop()
        self.broker.stop()

    def gateway(self, extra="", uri=None):
        g = Gateway(BINARY, uri or f"tcp://127.0.0.1:{self.broker.port}", extra=extra)
        g.start()
        self.gws.append(g)
        return g

    def central(self, **kw):
        c = Central(self.broker.port, **kw)
        self.centrals.append(c)
        return c

    def conv(self, g, contact):
        mine = [c for c in g.export() if c["contact"] == contact]
        self.assertEqual(len(mine), 1, f"conversations for {contact}: {mine}")
        return mine[0]

    def test_in_and_out_on_several_channels_with_delivery_status(self):
        g = self.gateway()
        c = self.central()
        for i, ch in enumerate(["whatsapp", "telegram", "email"]):
            self.assertTrue(c.send_until_receipt(ch, f"{ch}-1", f"+4900{i}", "hello there"), ch)
        # The bot greets each on its own channel.
        self.assertTrue(wait_for(lambda: {ch for ch, _ in c.out} >= {"whatsapp", "telegram", "email"}))
        ch, out = next((ch, o) for ch, o in c.out if ch == "telegram")
        self.assertEqual(out.recipient, "+49001")
        c.publish(f"delivery/{ch}", pb.DeliveryStatus(id=out.id, state=pb.DeliveryStatus.DELIVERED,
                                                      at_ms=int(time.time() * 1000)).SerializeToString())
        def delivered():
            return any(m["status"] == "delivered" for m in self.conv(g, "+49001")["messages"]
                       if m["author"] == "bot")
        self.assertTrue(wait_for(delivered, 10))
        # Other channels' greetings are still re-sent: no status came for them.
        n = len([1 for ch, _ in c.out if ch == "whatsapp"])
        self.assertTrue(wait_for(lambda: len([1 for ch, _ in c.out if ch == "whatsapp"]) > n, 15),
                        "an outbound message without a delivery status was not re-sent")
        self.assertTrue(wait_for(lambda: any(e.kind == pb.Event.OUTBOUND_STATUS for e in c.events.values())))

    def test_outbound_marked_failed_without_a_delivery_status(self):
        g = self.gateway(extra="[outbound]\nretry_initial_s = 1\nfail_after_s = 2")
        c = self.central()
        self.assertTrue(c.send_until_receipt("webchat", "w-1", "visitor-1", "hi"))
        def failed():
            return any(m["status"] == "failed" for m in self.conv(g, "visitor-1")["messages"]
                       if m["author"] == "bot")
        self.assertTrue(wait_for(failed, 20), "no failed status after fail_after_s")
        self.assertGreaterEqual(len([1 for ch, _ in c.out if ch == "webchat"]), 2)

    def test_duplicates_are_stored_once_and_receipted_again(self):
        g = self.gateway()
        c = self.central()
        for _ in range(5):
            c.send("whatsapp", "dup-1", "+4911", "same message")
        self.assertTrue(wait_for(lambda: "dup-1" in c.receipt_set()))
        n = len([e for e in c.events.values() if e.external_id == "dup-1"])
        c.receipts.discard("dup-1")
        c.send("whatsapp", "dup-1", "+4911", "same message")
        self.assertTrue(wait_for(lambda: "dup-1" in c.receipt_set()), "a duplicate got no receipt")
        texts = [m["text"] for m in self.conv(g, "+4911")["messages"] if m["direction"] == "in"]
        self.assertEqual(texts, ["same message"])
        self.assertGreaterEqual(n, 1)

    def test_bad_payloads_are_counted_and_survived(self):
        g = self.gateway()
        c = self.central()
        c.publish("in/whatsapp", os.urandom(300))
        c.publish("in/whatsapp", pb.DeliveryStatus(id="x", state=1).SerializeToString())  # wrong type
        c.publish("in/whatsapp", pb.InboundMessage(sender="+1", text="no id").SerializeToString())
        c.publish("in/whatsapp", pb.InboundMessage(external_id="big", sender="+1",
                                                   text="x" * 300000).SerializeToString())
        c.publish("in/Bad_Channel", b"x")
        c.publish("delivery/whatsapp", b"\xff\xff")
        self.assertTrue(c.send_until_receipt("whatsapp", "good-1", "+4922", "still here"))
        kinds = ["missing_external_id", "oversized", "not_protobuf", "bad_channel"]
        for k in kinds:
            self.assertTrue(wait_for(lambda: g.metric("switchboard_bad_input_total", f'{{kind="{k}"}}') >= 1, 5), k)
        self.assertIn("refused input", g.log())
        dead = g.get("/healthz")
        self.assertIsNotNone(dead)

    def test_broker_outage_and_gateway_kill_lose_nothing_and_events_have_no_gaps(self):
        g = self.gateway()
        c = self.central()
        n = 1500
        ids = [f"s-{i}" for i in range(n)]
        def send_missing(batch):
            for i, eid in enumerate(batch):
                c.send("whatsapp", eid, f"+4930{i % 50:03d}", f"stream message {eid}")
        send_missing(ids[:500])
        wait_for(lambda: len(c.receipt_set()) >= 200, 20)
        # The broker goes away for a while in the middle of the stream, then comes back.
        self.broker.stop()
        time.sleep(2)
        self.broker.start()
        c.c.reconnect()
        send_missing(ids[500:1000])
        wait_for(lambda: len(c.receipt_set()) >= 700, 20)
        # The gateway is killed mid-stream and restarted.
        g.kill()
        g.start()
        send_missing(ids[1000:])
        for _ in range(10):
            missing = [e for e in ids if e not in c.receipt_set()]
            if not missing:
                break
            send_missing(missing)  # the bridge re-sends what has no receipt
            wait_for(lambda: all(e in c.receipt_set() for e in missing), 10)
        self.assertEqual([e for e in ids if e not in c.receipt_set()], [])
        # Central repairs its gaps with replay requests until every event is there, in order.
        last = lambda: max(c.events) if c.events else 0
        for _ in range(10):
            if not c.replay_gaps():
                break
            wait_for(lambda: not c.gaps(), 10)
        self.assertEqual(c.gaps(), [])
        self.assertEqual(sorted(c.events), list(range(1, last() + 1)))
        g.stop()
        stored = g.inbound_counts()
        self.assertEqual({k: v for k, v in stored.items() if v != 1}, {})
        self.assertEqual(set(stored), set(ids))

    def test_replay_publishes_a_range_again(self):
        g = self.gateway()
        c = self.central()
        for i in range(5):
            self.assertTrue(c.send_until_receipt("email", f"e-{i}", "a@example.org", f"mail {i}"))
        top = max(c.events)
        with c.lock:
            c.events.clear()
        c.publish("replay", pb.ReplayRequest(from_seq=2, to_seq=4).SerializeToString())
        self.assertTrue(wait_for(lambda: {2, 3, 4} <= set(c.events)))
        self.assertNotIn(top, c.events) if top > 4 else None
        self.assertEqual(g.proc.poll(), None)

    def test_status_is_retained_and_the_will_says_offline(self):
        g = self.gateway()
        self.assertTrue(wait_for(lambda: g.metric("switchboard_mqtt_connected") == 1))
        late = self.central()  # subscribes after the gateway published: retained status arrives
        self.assertTrue(wait_for(lambda: any(s.state == pb.GatewayStatus.ONLINE for s in late.status)))
        g.kill()  # no clean goodbye: the broker publishes the will after the keepalive
        self.assertTrue(wait_for(lambda: any(s.state == pb.GatewayStatus.OFFLINE for s in late.status), 60))

    def test_config_from_central_is_validated_applied_and_kept(self):
        g = self.gateway()
        c = self.central()
        rules = ('[handoff]\n[[handoff.rules]]\nid = "fruit"\nkind = "keyword"\n'
                 'patterns = ["pineapple"]\npriority = 70\ndepartment = "produce"\n')
        bad = pb.GatewayConfig(version=1, handoff_toml=rules)  # "produce" is unknown
        c.c.publish(f"switchboard/{g.gw}/config", bad.SerializeToString(), qos=1, retain=True)
        self.assertTrue(wait_for(lambda: any(e.kind == pb.Event.CONFIG_REJECTED and "produce" in e.error
                                             for e in c.events.values())))
        self.assertTrue(c.send_until_receipt("whatsapp", "cfg-1", "+4950", "pineapple please"))
        good = pb.GatewayConfig(version=2, handoff_toml=rules,
                                departments_toml='[[departments]]\nid = "produce"\nname = "Produce"\n')
        c.c.publish(f"switchboard/{g.gw}/config", good.SerializeToString(), qos=1, retain=True)
        self.assertTrue(wait_for(lambda: "applied central config v2" in g.log()))
        self.assertTrue(c.send_until_receipt("whatsapp", "cfg-2", "+4951", "pineapple please"))
        conv = self.conv(g, "+4951")
        self.assertEqual((conv["status"], conv["handoff"]["trigger"], conv["department"]),
                         ("queued", "keyword", "produce"))
        self.assertEqual(self.conv(g, "+4950")["status"], "bot")  # refused config changed nothing
        # Kept across a restart, even before the broker re-delivers it.
        c.c.publish(f"switchboard/{g.gw}/config", b"", qos=1, retain=True)  # clear the retained copy
        g.stop()
        g.start()
        self.assertTrue(c.send_until_receipt("whatsapp", "cfg-3", "+4952", "pineapple please"))
        self.assertEqual(self.conv(g, "+4952")["department"], "produce")

    def test_a_csat_answer_on_whatsapp_lands_on_its_closed_conversation(self):
        g = Gateway(BINARY, f"tcp://127.0.0.1:{self.broker.port}",
                    extra='[csat]\nenabled = true\nquestion = "How did we do? Reply 1 to 5"\nwindow_min = 60')
        subprocess.run([BINARY, "user", "add", "ana", "--role", "agent", "--config", g.config],
                       input="agent-password-1\n", capture_output=True, text=True, timeout=60, check=True)
        g.start()
        self.gws.append(g)
        c = self.central()
        base = f"http://127.0.0.1:{g.port}/api/v1"
        def call(method, path, body=None, cookie=None, csrf=None):
            req = urllib.request.Request(base + path, method=method,
                                         data=None if body is None else json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json"})
            if cookie:
                req.add_header("Cookie", cookie)
            if csrf:
                req.add_header("X-CSRF-Token", csrf)
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.headers, json.loads(r.read() or b"null")
        headers, _ = call("POST", "/login", {"name": "ana", "password": "agent-password-1"})
        cookie = headers["Set-Cookie"].split(";")[0]
        csrf = call("GET", "/me", cookie=cookie)[1]["csrf"]

        self.assertTrue(c.send_until_receipt("whatsapp", "csat-1", "+4960", "I want a refund"))
        # The agent the command line made before the start reaches central as an Event too.
        c.replay_gaps()
        self.assertTrue(wait_for(lambda: any(e.kind == pb.Event.AGENT_ADDED and e.assignee == "ana"
                                             for e in list(c.events.values()))))
        conv = self.conv(g, "+4960")
        call("POST", f"/conversations/{conv['id']}/messages", {"text": "Refunded today"}, cookie, csrf)
        call("POST", f"/conversations/{conv['id']}/close", {}, cookie, csrf)
        # The survey goes out on the conversation's own channel, to the customer.
        self.assertTrue(wait_for(lambda: any(ch == "whatsapp" and o.recipient == "+4960" and
                                             o.text == "How did we do? Reply 1 to 5" for ch, o in c.out)))
        # Distinct ids: a message without a delivery status is sent again, with the same id.
        sent = {o.id for ch, o in c.out if o.recipient == "+4960"}
        events_before = max(c.events)

        self.assertTrue(c.send_until_receipt("whatsapp", "csat-2", "+4960", " 4 "))
        mine = [x for x in g.export() if x["contact"] == "+4960"]
        self.assertEqual(len(mine), 1, "the answer opened a new conversation")
        self.assertEqual(mine[0]["id"], conv["id"])
        self.assertEqual(mine[0]["status"], "closed")
        answer = [m for m in mine[0]["messages"] if m["external_id"] == "csat-2"]
        self.assertEqual(len(answer), 1)
        after = [m for m in mine[0]["messages"] if m["id"] > answer[0]["id"]]
        self.assertFalse([m for m in after if m["author"] == "bot"], f"a bot turn after the answer: {after}")
        self.assertEqual(call("GET", f"/conversations/{conv['id']}", cookie=cookie)[1]["csat"], 4)
        self.assertTrue(wait_for(lambda: any(e.kind == pb.Event.CSAT_ANSWERED and e.text == "4" and
                                             e.conversation_id == conv["id"] and e.assignee == "ana"
                                             for e in c.events.values())))
        self.assertFalse([e for s, e in c.events.items() if s > events_before and
                          e.kind in (pb.Event.REOPENED, pb.Event.CONVERSATION_OPENED)])
        time.sleep(1)  # nothing more goes out to the customer (a bot answer would by now)
        self.assertEqual({o.id for ch, o in c.out if o.recipient == "+4960"}, sent)
        out = subprocess.run([BINARY, "export", "--format", "csv", "--config", g.config],
                             capture_output=True, text=True, timeout=60, check=True).stdout
        rows = list(csv.DictReader(io.StringIO(out)))
        self.assertEqual([r["csat"] for r in rows if r["id"] == str(conv["id"])], ["4"])

    def test_tls_with_a_generated_ca(self):
        d = tempfile.mkdtemp(prefix="sb-tls-")
        def ssl(*args):
            subprocess.run(["openssl", *args], cwd=d, check=True, capture_output=True)
        ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=test-ca",
            "-keyout", "ca.key", "-out", "ca.pem")
        ssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", "srv.key", "-out", "srv.csr")
        with open(os.path.join(d, "ext.cnf"), "w") as f:
            f.write("subjectAltName=IP:127.0.0.1\n")
        ssl("x509", "-req", "-in", "srv.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-days", "2", "-extfile", "ext.cnf", "-out", "srv.pem")
        # mosquitto drops to its own user when started as root: it must be able to read these.
        os.chmod(d, 0o755)
        for f in os.listdir(d):
            os.chmod(os.path.join(d, f), 0o644)
        tls = Broker(tls={"ca": f"{d}/ca.pem", "cert": f"{d}/srv.pem", "key": f"{d}/srv.key"})
        tls.start()
        try:
            g = self.gateway(uri=f"ssl://127.0.0.1:{tls.port}",
                             extra=f'ca_file = "{d}/ca.pem"')
            c = Central(tls.port, tls_ca=f"{d}/ca.pem")
            self.centrals.append(c)
            self.assertTrue(c.send_until_receipt("whatsapp", "tls-1", "+4940", "over tls"))
            self.assertEqual(g.metric("switchboard_mqtt_connected"), 1)
        finally:
            for gw in self.gws:
                gw.stop()
            tls.stop()


if __name__ == "__main__":
    BINARY = sys.argv.pop(1)
    unittest.main(verbosity=2)
