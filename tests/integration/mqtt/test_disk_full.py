"""A full disk under a bridge that re-sends what was not receipted: the real binary on a real
20 MB tmpfs volume, a real mosquitto, a central side in Python.
   python3 test_disk_full.py BINARY
Needs root (to mount the small volume); elsewhere it says so and is skipped."""
import ctypes, os, shutil, subprocess, sys, tempfile, threading, time, unittest, urllib.request

from harness import Broker, Central, Gateway, wait_for

BINARY = None
MESSAGES = 3000
# Under ASan the binary runs several times slower and its shadow memory counts as RSS: the
# time and memory bounds are the release build's to show; the sanitized run checks the rest.
SANITIZED = bool(os.environ.get("SB_SANITIZED"))
TEXT = "my parcel never arrived, order " + "x" * 900


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class DiskFullTest(unittest.TestCase):
    def setUp(self):
        self.mnt = tempfile.mkdtemp(prefix="sb-small-")
        if os.geteuid() != 0 or subprocess.run(
                ["mount", "-t", "tmpfs", "-o", "size=20m", "tmpfs", self.mnt]).returncode != 0:
            self.skipTest("mounting a 20 MB tmpfs needs root")
        self.broker = Broker()
        self.broker.start()

    def tearDown(self):
        self.broker.stop()
        subprocess.run(["umount", "-l", self.mnt])
        shutil.rmtree(self.mnt, ignore_errors=True)

    def test_reads_answer_memory_stays_bounded_and_every_message_is_stored_once(self):
        g = Gateway(BINARY, f"tcp://127.0.0.1:{self.broker.port}")
        with open(g.config, "w") as f:
            f.write(f'gateway_id = "{g.gw}"\n[storage]\ndir = "{self.mnt}/data"\n'
                    f'[admin]\nlisten = "127.0.0.1:{g.port}"\n'
                    f'[mqtt]\nuri = "tcp://127.0.0.1:{self.broker.port}"\n')
        g.start()
        c = Central(self.broker.port, gw=g.gw)
        try:
            # Leave ~2 MB free: the messages below need several times that.
            with open(os.path.join(self.mnt, "ballast"), "wb") as f:
                free = shutil.disk_usage(self.mnt).free
                f.write(b"b" * max(0, free - (2 << 20)))

            stop = threading.Event()
            worst = {"healthz_s": 0.0, "rss_kib": 0, "probes": 0, "failed": 0}

            def watch():
                while not stop.is_set():
                    t0 = time.time()
                    try:
                        with urllib.request.urlopen(
                                f"http://127.0.0.1:{g.port}/healthz",
                                timeout=30 if SANITIZED else 5) as r:
                            r.read()
                    except Exception:
                        worst["failed"] += 1
                    worst["healthz_s"] = max(worst["healthz_s"], time.time() - t0)
                    worst["rss_kib"] = max(worst["rss_kib"], rss_kib(g.proc.pid))
                    worst["probes"] += 1
                    time.sleep(0.1)

            watcher = threading.Thread(target=watch)
            watcher.start()
            ids = [f"df-{i}" for i in range(MESSAGES)]
            freed_at = None
            started = time.time()
            disk_full_seen = False
            # The bridge: everything not receipted yet is sent again, every round.
            while time.time() - started < 240:
                left = [i for i in ids if i not in c.receipt_set()]
                if not left:
                    break
                for n, eid in enumerate(left):
                    c.send("whatsapp", eid, f"+4917{n % 400:04d}", TEXT)
                time.sleep(1.0)
                disk_full_seen = disk_full_seen or g.metric("switchboard_storage_disk_full") == 1
                if freed_at is None and (disk_full_seen or time.time() - started > 60):
                    time.sleep(5)  # some seconds of a full disk under the re-sending bridge
                    os.remove(os.path.join(self.mnt, "ballast"))
                    freed_at = time.time()
            stop.set()
            watcher.join()
            self.assertTrue(disk_full_seen, "the disk never filled: the test proves nothing")
            self.assertEqual([i for i in ids if i not in c.receipt_set()], [],
                             "messages never receipted after space came back")
            self.assertGreater(worst["probes"], 20)
            self.assertEqual(worst["failed"], 0, worst)
            if not SANITIZED:
                self.assertLess(worst["healthz_s"], 2.0, worst)
                self.assertLess(worst["rss_kib"], 128 * 1024, worst)
            print(f"disk full: {MESSAGES} messages, /healthz worst {worst['healthz_s']*1000:.0f} ms "
                  f"over {worst['probes']} probes, RSS peak {worst['rss_kib']//1024} MiB, "
                  f"all receipted {time.time() - freed_at:.1f} s after space came back",
                  file=sys.stderr)
        finally:
            c.close()
            g.stop()
        stored = g.inbound_counts()
        self.assertEqual({k: v for k, v in stored.items() if v != 1}, {})
        self.assertEqual(set(stored), set(ids))


if __name__ == "__main__":
    BINARY = sys.argv.pop(1)
    unittest.main(verbosity=2)
