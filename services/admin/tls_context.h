// services/admin/tls_context.h — the admin server's TLS settings in one place: the certificate
// and key from config, TLS 1.2 at least, a cipher list without the weak suites.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "base/result.h"

namespace sb::admin {

// Loads the PEM certificate chain and private key (unencrypted: the service starts unattended,
// so there is no one to type a passphrase). The error names the config key, the file and what
// is wrong: unreadable, not PEM, or a key that does not belong to the certificate.
Result<std::unique_ptr<boost::asio::ssl::context>> make_tls_context(const std::string& cert_file,
                                                                    const std::string& key_file);

}  // namespace sb::admin
