#pragma once
// Broadcast messages as (topic, count) pairs: the names parked long-polls wait on (Waiters) and
// what travels between nodes over Redis pub/sub (RedisNotifier). The topics are the ones nodes
// have always exchanged, so nodes of the previous release understand them:
//   "jobs"                 JobsAvailable of any class (count: how many)
//   "jobs@<class key>"     JobsAvailable of that class (api::RequirementsKey, "1:0")
//   "submission:<sid>"     SubmissionFinal (count -1: every waiter)
//   "runner-revoked:<rn>"  RunnerRevoked (count -1)

#include <optional>
#include <string>
#include <utility>

#include "dispatch/broadcast.h"

namespace noj::dispatch {

inline constexpr char kJobsTopic[] = "jobs";
std::string SubmissionTopic(const std::string& submission_id);

// The topic and count a message travels as.
std::pair<std::string, int> TopicOf(const Message& message);

// The message of a topic; nullopt for a topic this release does not know (ignored).
std::optional<Message> MessageOfTopic(const std::string& topic, int count);

}  // namespace noj::dispatch
