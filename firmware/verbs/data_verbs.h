// firmware/verbs/data_verbs.h — verbs that read or copy the data directory of a gateway, safe
// to run while the service runs (LMDB readers never block the writer).
#pragma once

#include <iosfwd>
#include <memory>
#include <string>

#include "firmware/config.h"
#include "services/store/store.h"

namespace sb::verbs {

// The store read-only, its pages checked first (a damaged file is refused before anything is
// read from it); nullptr, with the one line on `err` naming `verb`, when it cannot be used.
std::unique_ptr<store::Store> open_checked(const firmware::Config& config, const char* verb,
                                           std::ostream& err);

// Every conversation with its messages, as JSON Lines.
int export_data(const firmware::Config& config, std::ostream& out, std::ostream& err);
// A consistent compacted copy of the database into `dest`.
int backup(const firmware::Config& config, const std::string& dest, std::ostream& err);
// Checks the database file page by page and reads every table: 0 and "… is sound" when it is,
// 1 and one line naming the file and saying it is damaged when it is not.
int verify(const firmware::Config& config, std::ostream& err);
// A local user; the password is read from `in` (one line).
int user_add(const firmware::Config& config, const std::string& name, const std::string& role,
             std::istream& in, std::ostream& err);

}  // namespace sb::verbs
