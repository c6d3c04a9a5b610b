// tests/admin/self_signed_cert.h — a throwaway certificate for 127.0.0.1, made with OpenSSL's
// API (no openssl CLI needed): an EC P-256 key and a self-signed X.509 v3 certificate valid for
// an hour, written as PEM files.
#pragma once

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>

namespace sb::test {

struct PemFiles {
  std::string cert, key;
};

namespace detail {

struct KeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct CertFree {
  void operator()(X509* c) const { X509_free(c); }
};
using Key = std::unique_ptr<EVP_PKEY, KeyFree>;
using Cert = std::unique_ptr<X509, CertFree>;

inline void write_pem(const std::string& path, bool (*write)(std::FILE*, void*), void* what) {
  std::FILE* f = std::fopen(path.c_str(), "w");
  if (!f) throw std::runtime_error("cannot write " + path);
  bool ok = write(f, what);
  std::fclose(f);
  if (!ok) throw std::runtime_error("cannot write PEM to " + path);
}

inline Key new_key() {
  Key key(EVP_EC_gen("P-256"));
  if (!key) throw std::runtime_error("EVP_EC_gen failed");
  return key;
}

inline void write_key(const std::string& path, EVP_PKEY* key) {
  write_pem(
      path,
      [](std::FILE* f, void* k) {
        return PEM_write_PrivateKey(f, static_cast<EVP_PKEY*>(k), nullptr, nullptr, 0, nullptr,
                                    nullptr) == 1;
      },
      key);
}

}  // namespace detail

// Writes `<prefix>.crt` and `<prefix>.key`; the certificate names 127.0.0.1 (CN and SAN).
inline PemFiles make_self_signed(const std::string& prefix) {
  auto key = detail::new_key();
  detail::Cert cert(X509_new());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  X509V3_CTX v3;
  X509V3_set_ctx_nodb(&v3);
  X509V3_set_ctx(&v3, cert.get(), cert.get(), nullptr, nullptr, 0);
  X509_EXTENSION* san = X509V3_EXT_conf_nid(nullptr, &v3, NID_subject_alt_name, "IP:127.0.0.1");
  if (!san) throw std::runtime_error("cannot make the subjectAltName");
  X509_add_ext(cert.get(), san, -1);
  X509_EXTENSION_free(san);
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0)
    throw std::runtime_error("X509_sign failed");
  PemFiles out{prefix + ".crt", prefix + ".key"};
  detail::write_pem(
      out.cert, [](std::FILE* f, void* c) { return PEM_write_X509(f, static_cast<X509*>(c)) == 1; },
      cert.get());
  detail::write_key(out.key, key.get());
  return out;
}

// A valid key that belongs to no certificate (for the mismatch case).
inline std::string make_other_key(const std::string& path) {
  auto key = detail::new_key();
  detail::write_key(path, key.get());
  return path;
}

}  // namespace sb::test
