// services/channels/sms/sms_identity.h — the external id of an SMS, derived from what the
// network sent and nothing else, so a message read again after a crash (before its deletion
// from the SIM) deduplicates in the inbox instead of appearing twice.
#pragma once

#include <string>
#include <vector>

#include "hal/modem/pdu/decode.h"

namespace sb::channels::sms {

// "sms-" + 32 hex digits over SMSC, sender, time stamp, concatenation (ref/total/seq) and text.
std::string single_id(const pdu::Decoded& d);
// Over the sender, the reference, the total and the PDUs of the parts present (by seq), so the
// same set of parts always gives the same id.
std::string multipart_id(const std::string& sender, unsigned ref, unsigned total,
                         const std::vector<std::string>& part_pdus_by_seq);

}  // namespace sb::channels::sms
