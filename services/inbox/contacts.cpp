// Contacts as people: one profile per person across channels, found by any of their
// addresses, searchable by name and address, mergeable by an agent, and the VIP rule.
#include <algorithm>
#include <cctype>

#include "services/inbox/contacts.h"
#include "services/inbox/message_log.h"
#include "services/inbox/tx.h"

namespace sb::inbox {

namespace {
constexpr std::size_t kMaxNotes = 8192;

std::string lower(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

bool has_tag(const Contact& p, const std::string& tag) {
  for (const auto& t : p.tags())
    if (lower(t) == lower(tag)) return true;
  return false;
}

// Replaces the contact's postings in contact_terms with those of its name and addresses.
void reindex_contact(store::WriteTxn& w, Contact& p) {
  unindex_terms(w, store::Table::contact_terms, p.id(),
                {p.indexed_terms().begin(), p.indexed_terms().end()});
  p.clear_indexed_terms();
  if (p.merged_into()) return;  // a tombstone is found through the one it was merged into
  std::string text = p.name();
  for (const auto& a : p.addresses()) text += " " + a.address();
  for (auto& term : search_terms(text)) {
    w.put(store::Table::contact_terms, term + '\0' + be64(p.id()), {});
    p.add_indexed_terms(std::move(term));
  }
}

// Follows merges to the living profile (a short chain: each merge is one hop).
bool load_contact(const store::ReadTxn& r, std::uint64_t id, Contact& p) {
  for (int hop = 0; hop < 16; ++hop) {
    if (!r.get_proto(store::Table::contacts, be64(id), p)) return false;
    if (p.merged_into() == 0) return true;
    id = p.merged_into();
  }
  return false;
}

std::string describe(const Contact& p) {
  std::string s = p.name().empty() ? "contact " + std::to_string(p.id()) : p.name();
  std::string addrs;
  for (const auto& a : p.addresses()) addrs += (addrs.empty() ? "" : ", ") + a.channel() + " " + a.address();
  return addrs.empty() ? s : s + " (" + addrs + ")";
}
}  // namespace

void Contacts::ensure_contact(Tx& tx, Conversation& c, const InboundMessage& msg) {
  store::WriteTxn& w = tx.w;
  Contact p;
  bool changed = false;
  if (c.contact_id() && load_contact(w, c.contact_id(), p)) {
    if (p.id() != c.contact_id()) c.set_contact_id(p.id());  // merged since
  } else if (auto id = w.get(store::Table::contact_by_address, contact_key(msg.channel, msg.sender));
             id && load_contact(w, from_be64(*id), p)) {
    c.set_contact_id(p.id());
    w.put(store::Table::contact_conversations, be64(p.id()) + be64(c.id()), {});
  } else {
    p.set_id(w.next_id("contact_id"));
    p.set_created_at_ms(tx.now_ms);
    auto* a = p.add_addresses();
    a->set_channel(msg.channel);
    a->set_address(msg.sender);
    w.put(store::Table::contact_by_address, contact_key(msg.channel, msg.sender), be64(p.id()));
    w.put(store::Table::contact_conversations, be64(p.id()) + be64(c.id()), {});
    c.set_contact_id(p.id());
    changed = true;
  }
  // The channel's display name fills an empty profile name; an agent's edit is never overwritten.
  if (p.name().empty() && !msg.sender_name.empty()) {
    p.set_name(msg.sender_name);
    changed = true;
  }
  if (!changed) return;
  p.set_updated_at_ms(tx.now_ms);
  reindex_contact(w, p);
  w.put_proto(store::Table::contacts, be64(p.id()), p);
}

bool Inbox::apply_vip_rule(Tx& tx, Conversation& c) {
  if (!workflow_.vip.enabled || status_of(c) != STATUS_BOT || !c.contact_id()) return false;
  Contact p;
  if (!load_contact(tx.w, c.contact_id(), p) || !has_tag(p, workflow_.vip.tag)) return false;
  switchboard::store::HandoffRecord h;
  h.set_trigger("vip");
  h.set_rule("vip");
  h.set_priority(std::max(workflow_.vip.priority, c.priority()));
  h.set_department(workflow_.vip.department);
  h.set_matched_text(workflow_.vip.tag);
  h.set_at_ms(tx.now_ms);
  queue_for_human(tx, c, h);
  return true;
}

std::optional<Contact> Contacts::contact(std::uint64_t id) const {
  std::optional<Contact> out;
  snapshot([&](const store::ReadTxn& r) {
    Contact p;
    if (r.get_proto(store::Table::contacts, be64(id), p)) out = std::move(p);
  });
  return out;
}

Result<void> Contacts::update_contact(Tx& tx, std::uint64_t id,
                                      const std::optional<std::string>& name,
                                      const std::optional<std::string>& notes,
                                      const std::vector<std::string>& add_tags,
                                      const std::vector<std::string>& remove_tags,
                                      const std::string& actor) {
  if (name && name->size() > 256) return fail("a contact name is at most 256 bytes");
  if (notes && notes->size() > kMaxNotes) return fail("contact notes are at most 8192 bytes");
  for (const auto& t : add_tags)
    if (t.empty() || t.size() > 64) return fail("a tag is 1 to 64 bytes");
  {  // in the caller's transaction
    Contact p;
    if (!tx.w.get_proto(store::Table::contacts, be64(id), p))
      return fail("contact " + std::to_string(id) + " does not exist");
    if (p.merged_into())
      return fail("contact " + std::to_string(id) + " was merged into " +
                  std::to_string(p.merged_into()));
    std::string what;
    if (name && *name != p.name()) {
      p.set_name(*name);
      what += "name";
    }
    if (notes && *notes != p.notes()) {
      p.set_notes(*notes);
      what += what.empty() ? "notes" : ", notes";
    }
    for (const auto& t : add_tags)
      if (!has_tag(p, t)) {
        p.add_tags(t);
        what += (what.empty() ? "" : ", ") + std::string("+") + t;
      }
    for (const auto& t : remove_tags) {
      auto* tags = p.mutable_tags();
      for (int i = tags->size() - 1; i >= 0; --i)
        if (lower(tags->Get(i)) == lower(t)) {
          tags->DeleteSubrange(i, 1);
          what += (what.empty() ? "" : ", ") + std::string("-") + t;
        }
    }
    if (what.empty()) return {};
    p.set_updated_at_ms(tx.now_ms);
    reindex_contact(tx.w, p);
    tx.w.put_proto(store::Table::contacts, be64(p.id()), p);
    Event& e = tx.gateway_event(Event::CONTACT_UPDATED);
    e.set_contact_id(p.id());
    e.set_text(describe(p) + " updated by " + actor + ": " + what);
    e.set_author(actor);
    for (const auto& t : p.tags()) e.set_tag(e.tag().empty() ? t : e.tag() + "," + t);
    return {};
  }
}

Result<void> Contacts::merge_contacts(Tx& tx, std::uint64_t keep, std::uint64_t other,
                                      const std::string& actor) {
  if (keep == other) return fail("a contact cannot be merged into itself");
  {  // in the caller's transaction
    Contact k, o;
    if (!tx.w.get_proto(store::Table::contacts, be64(keep), k))
      return fail("contact " + std::to_string(keep) + " does not exist");
    if (!tx.w.get_proto(store::Table::contacts, be64(other), o))
      return fail("contact " + std::to_string(other) + " does not exist");
    if (k.merged_into() || o.merged_into())
      return fail("contact " + std::to_string(k.merged_into() ? keep : other) +
                  " was already merged");
    const std::string folded = describe(o);
    for (const auto& a : o.addresses()) {
      *k.add_addresses() = a;
      tx.w.put(store::Table::contact_by_address, contact_key(a.channel(), a.address()), be64(keep));
    }
    for (const auto& t : o.tags())
      if (!has_tag(k, t)) k.add_tags(t);
    if (k.name().empty()) k.set_name(o.name());
    if (!o.notes().empty()) k.set_notes(k.notes().empty() ? o.notes() : k.notes() + "\n" + o.notes());
    // The other profile's conversations become this person's: the merged history shows both.
    std::vector<std::uint64_t> convs;
    tx.w.scan(store::Table::contact_conversations, be64(other), [&](std::string_view key, std::string_view) {
      if (key.substr(0, 8) != be64(other)) return false;
      convs.push_back(from_be64(key, 8));
      return true;
    });
    for (std::uint64_t id : convs) {
      tx.w.del(store::Table::contact_conversations, be64(other) + be64(id));
      tx.w.put(store::Table::contact_conversations, be64(keep) + be64(id), {});
      Conversation c;
      if (!tx.load(id, c)) continue;
      c.set_contact_id(keep);
      tx.system_note(c, "contact " + folded + " merged into " + describe(k) + " by " + actor);
      tx.save(c);
    }
    o.set_merged_into(keep);
    o.set_updated_at_ms(tx.now_ms);
    reindex_contact(tx.w, o);
    k.set_updated_at_ms(tx.now_ms);
    reindex_contact(tx.w, k);
    tx.w.put_proto(store::Table::contacts, be64(other), o);
    tx.w.put_proto(store::Table::contacts, be64(keep), k);
    Event& e = tx.gateway_event(Event::CONTACTS_MERGED);
    e.set_contact_id(k.id());
    e.set_merged_contact_id(other);
    e.set_author(actor);
    e.set_text(folded + " merged into " + describe(k) + " by " + actor);
    return {};
  }
}

std::vector<std::uint64_t> Contacts::contact_conversations(std::uint64_t contact) const {
  std::vector<std::uint64_t> out;
  snapshot([&](const store::ReadTxn& r) {
    Contact p;
    if (!load_contact(r, contact, p)) return;
    const std::string prefix = be64(p.id());
    r.scan(store::Table::contact_conversations, prefix, [&](std::string_view k, std::string_view) {
      if (k.substr(0, 8) != prefix) return false;
      out.push_back(from_be64(k, 8));
      return true;
    });
  });
  return out;
}

std::vector<Message> Contacts::history(std::uint64_t conversation) const {
  std::vector<Message> out;
  snapshot([&](const store::ReadTxn& r) { out = read_history(r, conversation); });
  return out;
}

std::vector<Message> Contacts::contact_history(std::uint64_t contact) const {
  std::vector<Message> out;
  for (std::uint64_t id : contact_conversations(contact)) {
    auto h = history(id);
    out.insert(out.end(), std::make_move_iterator(h.begin()), std::make_move_iterator(h.end()));
  }
  // Message ids grow with commit order, across conversations: one timeline.
  std::sort(out.begin(), out.end(), [](const Message& a, const Message& b) { return a.id() < b.id(); });
  return out;
}

}  // namespace sb::inbox
