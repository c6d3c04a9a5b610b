#include "services/sync/central_config_intake.h"

#include <openssl/evp.h>

#include <algorithm>

#include "services/store/store.h"

namespace sb::sync {

namespace {

// Settings keys: the digest of the last refused payload, and of the one being applied (set
// before the slow part, cleared after it; still set at start = that applying was cut short).
constexpr const char* kRefusedKey = "central_config_refused";
constexpr const char* kApplyingKey = "central_config_applying";

std::string read_setting(store::Store& store, const char* key) {
  std::string out;
  store.read([&](const store::ReadTxn& r) {
    if (auto v = r.get(store::Table::settings, key)) out = std::string(*v);
  });
  return out;
}

}  // namespace

std::string config_digest(const std::string& payload) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(payload.data(), payload.size(), md, &len, EVP_sha256(), nullptr);
  static const char hex[] = "0123456789abcdef";
  std::string out = std::to_string(payload.size()) + ":";
  for (unsigned i = 0; i < len && i < 16; ++i) {
    out += hex[md[i] >> 4];
    out += hex[md[i] & 15];
  }
  return out;
}

CentralConfigIntake::CentralConfigIntake(inbox::Inbox& inbox, store::Store& store, Log& log,
                                         Apply apply, std::size_t max_bytes)
    : inbox_(inbox), store_(store), log_(log), apply_(std::move(apply)), max_bytes_(max_bytes) {
  refused_digest_ = read_setting(store_, kRefusedKey);
  if (std::string cut = read_setting(store_, kApplyingKey); !cut.empty()) {
    log_.error("config", "the service stopped while applying a central config (", cut,
               "); it is refused until central sends another");
    refuse("central config", "the service stopped while applying it", cut);
    remember(kApplyingKey, "");
  }
}

CentralConfigIntake::~CentralConfigIntake() {
  *alive_ = false;
  if (busy_) remember(kApplyingKey, "");
}

void CentralConfigIntake::remember(const char* key, const std::string& value) {
  auto r = store_.write([&](store::WriteTxn& w) -> Result<void> {
    if (value.empty())
      w.del(store::Table::settings, key);
    else
      w.put(store::Table::settings, key, value);
    return {};
  });
  if (!r) log_.error("config", "cannot record the central config's state: ", r.error().message);
}

void CentralConfigIntake::refuse(const std::string& what, const std::string& why,
                                 const std::string& digest) {
  // The applier's reasons often begin with the config's own name already.
  const bool named = why.rfind(what, 0) == 0;
  log_.error("config", "refused ", named ? std::string() : what + ": ", why,
             " (the running config stays)");
  (void)inbox_.record_gateway_event(inbox::Event::CONFIG_REJECTED, what, why);
  if (!digest.empty() && digest != refused_digest_) {
    refused_digest_ = digest;
    remember(kRefusedKey, digest);
  }
}

broker::Accepted CentralConfigIntake::handle(const std::string& payload) {
  if (payload.empty()) return std::nullopt;  // a cleared retained config: keep what runs
  if (payload.size() > max_bytes_) {
    // Not even parsed: a big payload would cost its size several times over in memory. Not a
    // dead letter either (that would store it); the event names the cap. Any payload this big
    // is refused whatever it holds, so its size and ends identify it well enough to say so
    // once, without hashing megabytes on the event loop.
    const std::size_t part = std::min<std::size_t>(payload.size() / 2, 32 * 1024);
    const std::string digest =
        "over:" + config_digest(std::to_string(payload.size()) + payload.substr(0, part) +
                                payload.substr(payload.size() - part));
    if (digest == refused_digest_) return std::nullopt;
    refuse("central config", std::to_string(payload.size()) +
                                 " bytes, more than limits.config_max_kib = " +
                                 std::to_string(max_bytes_ >> 10),
           digest);
    return std::nullopt;
  }
  std::string digest = config_digest(payload);
  if (digest == refused_digest_) {
    log_.debug("config", "central config ", digest, " was refused before: skipped");
    return std::nullopt;
  }
  if (busy_) {
    waiting_ = payload;  // replaces an older waiting one
    return std::nullopt;
  }
  switchboard::v1::GatewayConfig cfg;
  if (!cfg.ParseFromString(payload)) {
    (void)inbox_.record_gateway_event(inbox::Event::CONFIG_REJECTED, "central config",
                                      "not a GatewayConfig");
    return broker::Refusal{"not_protobuf", "not a GatewayConfig"};
  }
  if (cfg.version() != 0 && cfg.version() == applied_version_) return std::nullopt;  // seen it
  if (!apply_) {
    refuse("central config v" + std::to_string(cfg.version()), "no config handler", digest);
    return std::nullopt;
  }
  busy_ = true;
  remember(kApplyingKey, digest);
  apply_(cfg, [this, alive = alive_, version = cfg.version(),
               digest = std::move(digest)](Result<void> r) {
    if (!*alive) return;
    busy_ = false;
    remember(kApplyingKey, "");
    if (!r) {
      refuse("central config v" + std::to_string(version), r.error().message, digest);
    } else {
      applied_version_ = version;
      log_.notice("config", "applied central config v", version);
    }
    if (waiting_) {
      std::string next = std::move(*waiting_);
      waiting_.reset();
      if (auto refused = handle(next))
        log_.error("config", "central config: ", refused->reason);
    }
  });
  return std::nullopt;
}

}  // namespace sb::sync
