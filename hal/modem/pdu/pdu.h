// hal/modem/pdu/pdu.h — the SMS PDU codec in one include: decode (deliver, status report,
// submit), encode_submit (with splitting), and reassembly of concatenated parts.
// Pure code, no I/O, no exceptions, no global mutable state.
#pragma once

#include "hal/modem/pdu/decode.h"
#include "hal/modem/pdu/reassembly.h"
#include "hal/modem/pdu/submit.h"
#include "hal/modem/pdu/types.h"
