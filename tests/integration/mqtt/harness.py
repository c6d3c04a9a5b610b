"""Real parts for the MQTT integration tests: a mosquitto broker on a free loopback port, the
switchboard binary as a child process, and a central side (bridge + event consumer) on Debian's
python3-paho-mqtt, with payload classes compiled from the project's own switchboard.proto."""
import importlib, json, os, shutil, signal, socket, subprocess, sys, tempfile, threading, time
import urllib.request

import paho.mqtt.client as mqtt

HERE = os.path.dirname(os.path.abspath(__file__))
PROTO = os.path.join(HERE, "..", "..", "..", "services", "proto", "switchboard.proto")


def load_pb():
    out = tempfile.mkdtemp(prefix="sb-pb-")
    subprocess.run(["protoc", f"-I{os.path.dirname(PROTO)}", f"--python_out={out}", PROTO], check=True)
    sys.path.insert(0, out)
    return importlib.import_module("switchboard_pb2")


pb = load_pb()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_for(pred, timeout=20.0, step=0.02):
    end = time.time() + timeout
    while time.time() < end:
        if pred():
            return True
        time.sleep(step)
    return pred()


class Broker:
    def __init__(self, port=None, tls=None):
        self.port = port or free_port()
        self.dir = tempfile.mkdtemp(prefix="sb-mq-")
        self.tls = tls
        self.proc = None

    def start(self):
        conf = os.path.join(self.dir, "m.conf")
        with open(conf, "w") as f:
            f.write(f"listener {self.port} 127.0.0.1\nallow_anonymous true\npersistence false\n"
                    "max_queued_messages 0\nmax_inflight_messages 100\n")
            if self.tls:
                f.write(f"cafile {self.tls['ca']}\ncertfile {self.tls['cert']}\nkeyfile {self.tls['key']}\n")
        with open(os.path.join(self.dir, "log"), "a") as log:
            self.proc = subprocess.Popen(["mosquitto", "-c", conf], stdout=subprocess.DEVNULL,
                                         stderr=log)
        def up():
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                return True
            except OSError:
                return False
        if not wait_for(up, 10):
            raise RuntimeError("mosquitto did not start")

    def stop(self):
        if self.proc:
            self.proc.terminate()
            self.proc.wait(10)
            self.proc = None


class Gateway:
    def __init__(self, binary, broker_uri, gw="gw-test", extra=""):
        self.binary = binary
        self.gw = gw
        self.dir = tempfile.mkdtemp(prefix="sb-gw-")
        self.port = free_port()
        self.config = os.path.join(self.dir, "config.toml")
        with open(self.config, "w") as f:
            f.write(f'gateway_id = "{gw}"\n[storage]\ndir = "{self.dir}/data"\n'
                    f'[admin]\nlisten = "127.0.0.1:{self.port}"\n[mqtt]\nuri = "{broker_uri}"\n{extra}\n')
        self.proc = None

    def start(self):
        with open(os.path.join(self.dir, "err.log"), "a") as log:
            self.proc = subprocess.Popen([self.binary, "run", "--config", self.config],
                                         stdout=subprocess.DEVNULL, stderr=log)
        if not wait_for(lambda: self.get("/healthz") is not None, 15):
            raise RuntimeError("gateway did not answer /healthz: " + self.log()[-500:])

    def get(self, path):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=2) as r:
                return r.read().decode()
        except Exception:
            return None

    def metric(self, name, labels=""):
        text = self.get("/metrics") or ""
        for line in text.splitlines():
            if line.startswith(name + labels + " ") or (not labels and line.startswith(name + " ")):
                return float(line.split()[-1])
        return 0.0

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)

    def log(self):
        with open(os.path.join(self.dir, "err.log")) as f:
            return f.read()

    def export(self):
        out = subprocess.run([self.binary, "export", "--config", self.config], capture_output=True,
                             text=True, timeout=60, check=True)
        return [json.loads(l) for l in out.stdout.splitlines() if l.strip()]

    def inbound_counts(self):
        """external id -> how many times it is stored, over every exported conversation."""
        stored = {}
        for conv in self.export():
            for m in conv["messages"]:
                if m["direction"] == "in":
                    stored[m["external_id"]] = stored.get(m["external_id"], 0) + 1
        return stored


class Central:
    """Subscribes to everything the gateway publishes; keeps events by sequence number."""

    def __init__(self, broker_port, gw="gw-test", tls_ca=None):
        self.gw = gw
        self.lock = threading.Lock()
        self.events = {}          # seq -> Event
        self.receipts = set()     # external ids seen in message_in events
        self.out = []             # (channel, OutboundMessage)
        self.status = []
        self.c = mqtt.Client(client_id=f"central-{os.getpid()}-{time.time_ns()}", clean_session=True)
        if tls_ca:
            self.c.tls_set(ca_certs=tls_ca)
        self.c.on_message = self.on_message
        self.c.on_connect = lambda c, u, f, rc: c.subscribe(f"switchboard/{gw}/#", qos=1)
        self.c.connect("127.0.0.1", broker_port)
        self.c.loop_start()
        time.sleep(0.2)

    def on_message(self, _c, _u, m):
        topic = m.topic.split("/", 2)[2]
        with self.lock:
            if topic == "events":
                b = pb.EventBatch()
                b.ParseFromString(m.payload)
                for e in b.events:
                    self.events[e.seq] = e
                    if e.kind == pb.Event.MESSAGE_IN:
                        self.receipts.add(e.external_id)
            elif topic.startswith("out/"):
                o = pb.OutboundMessage()
                o.ParseFromString(m.payload)
                self.out.append((topic[4:], o))
            elif topic == "status":
                s = pb.GatewayStatus()
                s.ParseFromString(m.payload)
                self.status.append(s)

    def publish(self, topic, payload):
        self.c.publish(f"switchboard/{self.gw}/{topic}", payload, qos=1)

    def send(self, channel, eid, sender, text):
        m = pb.InboundMessage(external_id=eid, sender=sender, sender_name="Test", text=text,
                              sent_at_ms=int(time.time() * 1000))
        self.publish(f"in/{channel}", m.SerializeToString())

    def send_until_receipt(self, channel, eid, sender, text, timeout=20):
        end = time.time() + timeout
        while time.time() < end:
            self.send(channel, eid, sender, text)
            if wait_for(lambda: eid in self.receipt_set(), 2):
                return True
        return False

    def receipt_set(self):
        with self.lock:
            return set(self.receipts)

    def gaps(self):
        with self.lock:
            if not self.events:
                return []
            top = max(self.events)
            return [s for s in range(1, top + 1) if s not in self.events]

    def replay_gaps(self):
        g = self.gaps()
        if g:
            self.publish("replay", pb.ReplayRequest(from_seq=g[0]).SerializeToString())
        return g

    def close(self):
        self.c.loop_stop()
        self.c.disconnect()
