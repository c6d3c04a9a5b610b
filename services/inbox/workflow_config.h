// services/inbox/workflow_config.h — how conversations reach people, as the inbox
// needs it: routing and response targets per department, presence timing, the on-call SMS
// alert and the VIP rule. Built from the config file (firmware/config.cpp); plain values.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "services/inbox/business_hours.h"

namespace sb::inbox {

// A first-reply target: applies to conversations of at least `min_priority`; the entry with
// the highest min_priority <= a conversation's priority wins.
struct ResponseTarget {
  int min_priority = 0;
  std::int64_t ms = 0;
};

struct DepartmentRouting {
  std::string policy = "manual";  // manual | round_robin | least_busy
  int max_per_agent = 0;          // concurrent assigned conversations per agent; 0: no cap
  std::vector<ResponseTarget> targets;
  // Opening hours (null: always open). Outside them a handoff still queues, the customer is
  // told `after_hours_reply` (empty: nothing) once per closed period, targets count only open
  // time and the on-call alert waits for opening unless the conversation is urgent.
  std::shared_ptr<const BusinessHours> hours;
  std::string after_hours_reply;
};

struct WorkflowConfig {
  // Handoffs that name no department go here (empty: they stay without one).
  std::string default_department;
  std::map<std::string, DepartmentRouting> departments;
  // An online agent whose page has not been seen (heartbeat) for this long becomes away.
  std::int64_t away_after_ms = 5 * 60 * 1000;
  struct {
    std::string sms_to;                      // empty: no alert
    std::int64_t interval_ms = 15 * 60 * 1000;
    int min_priority = 0;                    // which late conversations count
    // At or above this priority a conversation is urgent: its target counts all time, not
    // only its department's opening hours, and it alerts while the department is closed.
    int urgent_priority = 100;
  } alert;
  struct {
    bool enabled = false;
    std::string tag = "VIP";                 // a contact tagged so (case-insensitive) is a VIP
    int priority = 8;
    std::string department;                  // empty: default_department
  } vip;
  struct {
    std::int64_t after_ms = 0;               // the customer quiet this long: closed; 0: off
    std::string message;                     // sent on the channel when it closes; empty: none
  } auto_close;
  struct {
    bool enabled = false;                    // ask after a close, when a person handled it
    std::string question = "How did we do? Reply 1 to 5 (5 is best).";
    std::int64_t window_ms = 24LL * 3600 * 1000;  // an answer later than this is a message
  } csat;
};

bool valid_policy(const std::string& p);

}  // namespace sb::inbox
