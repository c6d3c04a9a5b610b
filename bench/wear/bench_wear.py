#!/usr/bin/python3
"""Bytes written to flash per inbound message, as the field sees it.

Runs the real `switchboard` binary against a real mosquitto on a free loopback port, with a
bridge that answers every outbound message (the bot's replies) with DELIVERED, and reads the
service's own write_bytes from /proc/PID/io (what the kernel charged it for writing towards the
disk). Two loads: a trickle (300 messages from new contacts, then 300 from the same contacts
again, 30 per second) and a burst as fast as the bridge can publish. Beside them, in the same
run: SQLite in WAL mode with synchronous=FULL storing the same rows (conversation, message,
event per transaction), wear_probe's figures per commit kind, and the tables whose pages a burst
commit of the same size writes.

    bench/wear/bench_wear.py [BUILD_DIR] [BURST]        (default build, 3000)

Run as root (with losetup), the service's data and SQLite's file also live on a fresh ext4 on a
loop device, and the sectors that device was sent are printed beside write_bytes: what reaches
the disk, ext4's journal included. On kernels with large page-cache folios (6.16 and later)
write_bytes charges a whole folio for a 4 KiB write into it, which for LMDB's scattered page
writes runs several times over what the disk is sent. `WEAR_FS=ext2` puts the data on ext2
instead, whose page cache keeps 4 KiB pages as every filesystem did before large folios (the
gateways' kernels): there write_bytes charges what a 6.1 kernel would.

A benchmark: it prints figures, it never passes or fails. The service logs to /dev/null here
(in the field its log goes to journald, not to its own files)."""
import atexit, os, shutil, subprocess, sys, tempfile, threading, time, urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "integration", "mqtt"))
from harness import Broker, free_port, pb, wait_for  # noqa: E402
import paho.mqtt.client as mqtt  # noqa: E402

GW = "gw-wear"


def write_bytes(pid):
    with open(f"/proc/{pid}/io") as f:
        for line in f:
            if line.startswith("write_bytes:"):
                return int(line.split()[1])
    return 0


def folio_charge(where):
    """What this kernel charges write_bytes for one 4 KiB write into a file region first
    written 64 KiB at a time (as LMDB writes a run of new pages in one writev): 4 KiB where the
    page cache keeps 4 KiB pages, the whole folio where it keeps large ones."""
    path = os.path.join(where, "folio-check")
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        for i in range(16):
            os.pwrite(fd, b"x" * 65536, i * 65536)
        os.fdatasync(fd)
        b0 = write_bytes(os.getpid())
        for i in range(16):
            os.pwrite(fd, b"y" * 4096, i * 65536 + 8192)
            os.fdatasync(fd)
        return (write_bytes(os.getpid()) - b0) / 16 / 1024.0
    finally:
        os.close(fd)
        os.unlink(path)


class Bridge:
    """The channel bridge and central in one client: sends inbound messages, answers every
    outbound message with DELIVERED, and counts receipts."""

    def __init__(self, port):
        self.lock = threading.Lock()
        self.receipts, self.outbound, self.delivered = set(), 0, 0
        self.c = mqtt.Client(client_id=f"bridge-{os.getpid()}", clean_session=True)
        self.c.max_inflight_messages_set(1000)
        self.c.max_queued_messages_set(0)
        self.c.on_message = self.on_message
        self.c.on_connect = lambda c, u, f, rc: c.subscribe(f"switchboard/{GW}/#", qos=1)
        self.c.connect("127.0.0.1", port)
        self.c.loop_start()
        time.sleep(0.3)

    def on_message(self, _c, _u, m):
        topic = m.topic.split("/", 2)[2]
        if topic == "events":
            b = pb.EventBatch()
            b.ParseFromString(m.payload)
            with self.lock:
                for e in b.events:
                    if e.kind == pb.Event.MESSAGE_IN:
                        self.receipts.add(e.external_id)
        elif topic.startswith("out/"):
            o = pb.OutboundMessage()
            o.ParseFromString(m.payload)
            d = pb.DeliveryStatus(id=o.id, state=pb.DeliveryStatus.DELIVERED,
                                  at_ms=int(time.time() * 1000))
            self.c.publish(f"switchboard/{GW}/delivery/{topic[4:]}", d.SerializeToString(), qos=1)
            with self.lock:
                self.outbound += 1

    def send(self, eid, sender, text):
        m = pb.InboundMessage(external_id=eid, sender=sender, sender_name="Customer", text=text,
                              sent_at_ms=int(time.time() * 1000))
        self.c.publish(f"switchboard/{GW}/in/whatsapp", m.SerializeToString(), qos=1)

    def count(self):
        with self.lock:
            return len(self.receipts), self.outbound


WORDS = ["hello", "order", "where", "is", "my", "parcel", "thanks", "please", "the", "invoice",
         "today", "number"]


def text_of(i):
    return " ".join(WORDS[(i * 7 + w * 5) % 12] for w in range(8)) + f" {100000 + i}"


class LoopDisk:
    """A fresh ext4 (or WEAR_FS) on a loop device (root only), counting the sectors the kernel
    sends it."""

    def __init__(self, work):
        self.dev = None
        self.mnt = os.path.join(work, "mnt")
        if os.geteuid() != 0 or not shutil.which("losetup") or not shutil.which("mkfs.ext4"):
            return
        img = os.path.join(work, "disk.img")
        with open(img, "wb") as f:
            f.truncate(1 << 30)
        os.makedirs(self.mnt)
        try:
            subprocess.run(["mke2fs", "-q", "-F", "-t", os.environ.get("WEAR_FS", "ext4"), img],
                           check=True, capture_output=True)
            dev = subprocess.run(["losetup", "-f", "--show", img], check=True,
                                 capture_output=True, text=True).stdout.strip()
            self.dev = dev
            subprocess.run(["mount", dev, self.mnt], check=True, capture_output=True)
        except (subprocess.CalledProcessError, OSError):
            self.close()

    def sectors(self):
        """Sectors written to the device so far, after the kernel has sent it what waits."""
        if not self.dev:
            return 0
        os.sync()
        with open(f"/sys/block/{os.path.basename(self.dev)}/stat") as f:
            return int(f.read().split()[6])

    def dir(self, name, fallback):
        return os.path.join(self.mnt, name) if self.dev else fallback

    def close(self):
        if self.dev:
            subprocess.run(["umount", self.mnt], capture_output=True)
            subprocess.run(["losetup", "-d", self.dev], capture_output=True)
            self.dev = None


def healthy(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def metric(port, name):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as r:
            for line in r.read().decode().splitlines():
                if line.startswith(name + " "):
                    return float(line.split()[-1])
    except OSError:
        pass
    return 0.0


def settle(bridge, want, pid):
    """Waits until every message has its receipt, then until the service stops writing (its
    outbox boundary and the bridge's delivery statuses have landed)."""
    wait_for(lambda: bridge.count()[0] >= want, 120)
    last, still = write_bytes(pid), 0
    while still < 3:  # three quiet seconds in a row (the outbox boundary is kept every second)
        time.sleep(1)
        now = write_bytes(pid)
        still = still + 1 if now == last else 0
        last = now


def run_phase(bridge, pid, admin, start, n, rate, sender_of, disk):
    got0, out0 = bridge.count()
    commits0 = metric(admin, "switchboard_ingest_commits_total")
    s0 = disk.sectors()
    b0 = write_bytes(pid)
    t0 = time.time()
    for i in range(n):
        k = start + i
        bridge.send(f"m{k}", sender_of(k), text_of(k))
        if rate:
            delay = t0 + (i + 1) / rate - time.time()
            if delay > 0:
                time.sleep(delay)
    settle(bridge, got0 + n, pid)
    got, out = bridge.count()
    commits = metric(admin, "switchboard_ingest_commits_total") - commits0
    written = write_bytes(pid) - b0
    return (written / 1024.0 / n, got - got0, out - out0, commits,
            (disk.sectors() - s0) * 512 / 1024.0 / n)


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    burst = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
    binary = os.path.join(build, "firmware", "switchboard")
    probe = os.path.join(build, "bench", "wear", "wear_probe")
    work = tempfile.mkdtemp(prefix="sb-wear-")
    disk = LoopDisk(work)
    atexit.register(disk.close)  # whatever happens, the loop device goes
    data = disk.dir("data", f"{work}/data")
    os.makedirs(data, exist_ok=True)
    folio = folio_charge(data)
    broker = Broker()
    broker.start()
    admin = free_port()
    config = os.path.join(work, "config.toml")
    with open(config, "w") as f:
        f.write(f'gateway_id = "{GW}"\nlog_level = "warning"\n[storage]\ndir = "{data}"\n'
                f'[admin]\nlisten = "127.0.0.1:{admin}"\n[mqtt]\nuri = "tcp://127.0.0.1:{broker.port}"\n')
    gw = subprocess.Popen([binary, "run", "--config", config], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL)
    try:
        if not wait_for(lambda: healthy(admin), 15):
            raise RuntimeError("gateway did not start")
        bridge = Bridge(broker.port)
        time.sleep(1.5)
        new = lambda k: f"+4477009{k:05d}"
        known = lambda k: f"+4477009{k - 300:05d}"
        a = run_phase(bridge, gw.pid, admin, 0, 300, 30, new, disk)
        b = run_phase(bridge, gw.pid, admin, 300, 300, 30, known, disk)
        trickle = (a[0] * 300 + b[0] * 300) / 600
        c = run_phase(bridge, gw.pid, admin, 600, burst, 0,
                      lambda k: f"+4478009{k % (burst // 2):05d}", disk)
        bridge.c.loop_stop()
    finally:
        gw.terminate()
        gw.wait(10)
        broker.stop()

    group = burst / c[3] if c[3] else 1

    def sqlite(name, n, batch):
        s0 = disk.sectors()
        out = subprocess.run([probe, "sqlite", disk.dir(name, f"{work}/{name}"), str(n), str(batch)],
                             capture_output=True, text=True, check=True).stdout.strip()
        return out, (disk.sectors() - s0) * 512 / 1024.0 / n

    sq_trickle, sq_trickle_dev = sqlite("sqlite1", 600, 1)
    sq_load, sq_load_dev = sqlite("sqlite2", burst, max(1, round(group)))
    disk.close()
    print(f"this kernel ({os.uname().release}) charges a 4 KiB write into a region written 64 KiB at "
          f"a time as {folio:.0f} KiB of write_bytes (4 without large page-cache folios)")
    print("bytes written to storage per inbound message (write_bytes of the process, /proc/PID/io)")
    print(f"  switchboard, trickle 30/s, new contacts:   {a[0]:7.1f} KiB/msg  "
          f"({a[1]} receipts, {a[2]} bot replies DELIVERED, {a[3]:.0f} ingest commits)")
    print(f"  switchboard, trickle 30/s, known contacts: {b[0]:7.1f} KiB/msg  "
          f"({b[1]} receipts, {b[2]} bot replies DELIVERED, {b[3]:.0f} ingest commits)")
    print(f"  switchboard, trickle 30/s, all 600:        {trickle:7.1f} KiB/msg")
    print(f"  switchboard, burst of {burst}:             {c[0]:7.1f} KiB/msg  "
          f"({c[1]} receipts, {c[2]} DELIVERED, {group:.1f} messages per ingest commit)")
    st, sw = (float(x) for x in sq_trickle.split())
    lt, lw = (float(x) for x in sq_load.split())
    print(f"  SQLite WAL synchronous=FULL, same rows, 1 msg/txn:    {st:7.1f} KiB/msg  ({sw:.1f} to write calls)")
    print(f"  SQLite WAL synchronous=FULL, same rows, {round(group)} msgs/txn: {lt:7.1f} KiB/msg  ({lw:.1f} to write calls)")
    if a[4] or c[4]:
        print("sent to the disk per inbound message (sectors written to a loop-mounted "
              f"{os.environ.get('WEAR_FS', 'ext4')} holding only the data, journal included)")
        print(f"  switchboard, trickle 30/s, new / known / all: {a[4]:6.1f} / {b[4]:.1f} / "
              f"{(a[4] + b[4]) / 2:.1f} KiB/msg")
        print(f"  switchboard, burst of {burst}:                 {c[4]:6.1f} KiB/msg")
        print(f"  SQLite WAL synchronous=FULL, 1 msg/txn:        {sq_trickle_dev:6.1f} KiB/msg")
        print(f"  SQLite WAL synchronous=FULL, {round(group)} msgs/txn:      {sq_load_dev:6.1f} KiB/msg")
    else:
        print("(not root or no losetup: the bytes sent to the disk itself are not measured)")
    sys.stdout.flush()
    subprocess.run([probe, "kinds", f"{work}/kinds"], check=True)
    # Where a burst commit's pages go, at the batch size the service reached above.
    subprocess.run([probe, "burst", f"{work}/burst", str(burst), str(max(1, round(group))),
                    str(max(1, burst // 2))], check=True)
    if os.environ.get("WEAR_KEEP"):
        print(f"(kept {work} for mdb_stat)")
    else:
        subprocess.run(["rm", "-rf", work])


if __name__ == "__main__":
    main()
