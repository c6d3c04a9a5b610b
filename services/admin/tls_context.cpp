#include "services/admin/tls_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace sb::admin {

namespace ssl = boost::asio::ssl;

namespace {

// Mozilla's "intermediate" list for TLS 1.2 (forward secrecy, AEAD only); TLS 1.3 keeps
// OpenSSL's defaults, which are all strong. Browsers and curl of the last decade speak these.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

// OpenSSL says little about a missing file ("system lib"): check it ourselves first, with errno.
Result<void> readable(const char* key, const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return fail(std::string(key) + ": cannot read '" + path + "': " + std::strerror(errno));
  std::fclose(f);
  return {};
}

std::string openssl_reason(const boost::system::error_code& ec) {
  std::string why = ec.message();
  return why.empty() ? "unknown OpenSSL error" : why;
}

}  // namespace

Result<std::unique_ptr<ssl::context>> make_tls_context(const std::string& cert_file,
                                                       const std::string& key_file) {
  if (auto r = readable("admin.tls_cert", cert_file); !r) return r.error();
  if (auto r = readable("admin.tls_key", key_file); !r) return r.error();
  std::unique_ptr<ssl::context> ctx;
  try {
    ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
  } catch (const std::exception& e) {  // only when OpenSSL cannot allocate a context at all
    return fail(std::string("admin: cannot set up TLS: ") + e.what());
  }
  SSL_CTX* native = ctx->native_handle();
  if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1)
    return fail("admin: this OpenSSL refuses TLS 1.2 with the default cipher list");
  // No renegotiation (a client could make the server do handshakes for free), no compression.
  SSL_CTX_set_options(native, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION);
  // An encrypted key would make OpenSSL prompt on the terminal and hang an unattended start;
  // with an empty passphrase it fails at once instead.
  ctx->set_password_callback([](std::size_t, ssl::context::password_purpose) { return ""; });

  boost::system::error_code ec;
  ERR_clear_error();
  ctx->use_certificate_chain_file(cert_file, ec);
  if (ec)
    return fail("admin.tls_cert: '" + cert_file + "' is not a usable PEM certificate chain (" +
                openssl_reason(ec) + ")");
  ERR_clear_error();
  ctx->use_private_key_file(key_file, ssl::context::pem, ec);
  if (ec)
    return fail("admin.tls_key: '" + key_file +
                "' is not a usable unencrypted PEM private key for the certificate in '" +
                cert_file + "' (" + openssl_reason(ec) + ")");
  ERR_clear_error();
  if (SSL_CTX_check_private_key(native) != 1)
    return fail("admin.tls_key: '" + key_file + "' does not belong to the certificate in '" +
                cert_file + "'");
  return ctx;
}

}  // namespace sb::admin
