"""A retained config from central that would not fit a small gateway: the real binary under an
address-space cap (600 MB, a small gateway) with a real mosquitto holding a 100,000-rule
GatewayConfig (about 10 MB) as the retained config. The service must stay up, publish
CONFIG_REJECTED naming the cap, return under 64 MB of RSS, refuse the re-delivery cheaply on
restart, and still apply a good config afterwards.   python3 test_config_caps.py BINARY"""
import os, resource, subprocess, sys, time, unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "mqtt"))
from harness import Broker, Central, Gateway, pb, wait_for  # noqa: E402

BINARY = None
ADDRESS_SPACE = 600 << 20
RSS_AFTER = 64 << 20


def big_rules(n=100_000):
    parts = ["[handoff]\n"]
    for i in range(n):
        parts.append(f'[[handoff.rules]]\nid = "r{i}"\nkind = "keyword"\n'
                     f'patterns = ["word{i} alpha", "word{i} beta*"]\npriority = {i % 1000}\n')
    return "".join(parts)


class CappedGateway(Gateway):
    """The harness's gateway, started under an address-space cap (ulimit -v)."""

    def start(self):
        with open(os.path.join(self.dir, "err.log"), "a") as log:
            self.proc = subprocess.Popen(
                [self.binary, "run", "--config", self.config], stdout=subprocess.DEVNULL,
                stderr=log,
                preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS,
                                                      (ADDRESS_SPACE, ADDRESS_SPACE)))
        if not wait_for(lambda: self.get("/healthz") is not None, 30):
            raise RuntimeError("gateway did not answer /healthz: " + self.log()[-500:])

    def rss(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        return 0


class ConfigCapsTest(unittest.TestCase):
    payload = None

    @classmethod
    def setUpClass(cls):
        cls.payload = pb.GatewayConfig(version=7, handoff_toml=big_rules()).SerializeToString()
        assert len(cls.payload) > 8 << 20, len(cls.payload)

    def setUp(self):
        self.broker = Broker()
        self.broker.start()
        self.c = Central(self.broker.port)
        # Retained before the gateway ever connects: it arrives on the first subscribe, and
        # again on every restart.
        info = self.c.c.publish("switchboard/gw-test/config", self.payload, qos=1, retain=True)
        info.wait_for_publish()
        self.g = None

    def tearDown(self):
        self.c.close()
        if self.g:
            self.g.stop()
        self.broker.stop()

    def rejections(self, cap):
        with self.c.lock:
            return [e for e in self.c.events.values()
                    if e.kind == pb.Event.CONFIG_REJECTED and cap in e.error]

    def healthz_throughout(self, until):
        """Polls /healthz until `until()` holds; returns how many polls found no answer."""
        misses, polls = 0, 0
        end = time.time() + 120
        while not until() and time.time() < end:
            polls += 1
            if self.g.get("/healthz") is None:
                misses += 1
            time.sleep(0.05)
        return misses, polls

    def run_case(self, extra, cap):
        self.g = CappedGateway(BINARY, f"tcp://127.0.0.1:{self.broker.port}", extra=extra)
        self.g.start()
        misses, _ = self.healthz_throughout(lambda: self.rejections(cap))
        self.assertTrue(self.rejections(cap), "no CONFIG_REJECTED naming " + cap + ": " +
                        self.g.log()[-800:])
        self.assertEqual(misses, 0, "the service stopped answering while refusing the config")
        self.assertIsNone(self.g.proc.poll(), "the service died: " + self.g.log()[-800:])
        # Back to its footprint once the refused config is gone.
        self.assertTrue(wait_for(lambda: self.g.rss() < RSS_AFTER, 20),
                        f"RSS {self.g.rss() >> 20} MiB after the refusal")
        # Messages still flow.
        self.assertTrue(self.c.send_until_receipt("whatsapp", "after-1", "+4970", "hello"))

        # Restart: the broker re-delivers the retained config; it is refused by its digest,
        # without being parsed again (no second event), and the service stays up.
        first = len(self.rejections(cap))
        self.g.stop()
        self.g.start()
        self.assertTrue(self.c.send_until_receipt("whatsapp", "after-2", "+4971", "hello"))
        self.assertTrue(wait_for(lambda: self.g.metric("switchboard_mqtt_connected") == 1))
        self.assertIsNone(self.g.proc.poll())
        self.assertEqual(len(self.rejections(cap)), first, "the re-delivery was compiled again")
        self.assertLess(self.g.rss(), RSS_AFTER)

        # A good config after it still applies.
        good = pb.GatewayConfig(version=8, handoff_toml='[handoff]\n[[handoff.rules]]\nid = "fruit"\n'
                                'kind = "keyword"\npatterns = ["pineapple"]\npriority = 70\n')
        self.c.c.publish("switchboard/gw-test/config", good.SerializeToString(), qos=1, retain=True)
        self.assertTrue(wait_for(lambda: "applied central config v8" in self.g.log(), 30),
                        self.g.log()[-800:])

    def test_payload_over_the_size_cap_is_refused_unread(self):
        self.run_case("", "limits.config_max_kib = 1024")

    def test_rules_over_the_count_cap_are_refused_off_the_event_loop(self):
        # The payload cap raised above the config's size: the rule cap refuses it, after the
        # parse on the worker thread.
        self.run_case("[limits]\nconfig_max_kib = 16384\n", "limits.rules_max = 2000")


if __name__ == "__main__":
    BINARY = sys.argv.pop(1)
    unittest.main(verbosity=2)
