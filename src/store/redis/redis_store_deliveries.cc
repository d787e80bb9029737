// RedisStore: the callback outbox (store.h "result callbacks", docs/redis.md "The callback
// outbox"). Landings write deliveries inside their own scripts (lib.lua write_result); here are
// the deliverer's transitions (lease, finish a batch, redeliver: one EVALSHA each) and the reads.

#include <algorithm>

#include "store/redis/codec.h"
#include "store/redis/redis_store_impl.h"

namespace noj::store::redis {

namespace {

constexpr int kMaxDeliveryListLimit = 1000;

// The outcome names finish_deliveries.lua knows.
std::string_view KindName(DeliveryAttempt::Kind kind) {
  switch (kind) {
    case DeliveryAttempt::Kind::kDelivered:
      return "delivered";
    case DeliveryAttempt::Kind::kRetry:
      return "retry";
    case DeliveryAttempt::Kind::kDead:
      return "dead";
    case DeliveryAttempt::Kind::kPostponed:
      return "postponed";
    case DeliveryAttempt::Kind::kSuperseded:
      return "superseded";
  }
  return "";
}

// {{event_id, {fields...}}...} (lease_deliveries.lua, list_deliveries.lua). A record that cannot
// be decoded fails the call: the deliverer must not skip one silently, and neither may a listing.
Result<std::vector<DeliveryRecord>> DecodeDeliveries(const redisReply* items) {
  if (items == nullptr || items->type != REDIS_REPLY_ARRAY) {
    return InternalError("redis: deliveries reply");
  }
  std::vector<DeliveryRecord> out;
  out.reserve(items->elements);
  for (size_t i = 0; i < items->elements; ++i) {
    const redisReply& item = *items->element[i];
    NOJ_ASSIGN_OR_RETURN(DeliveryRecord d,
                         DecodeDelivery(Text(Element(item, 0)), ToFields(Element(item, 1))));
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace

Result<std::vector<LeasedDelivery>> RedisStore::LeaseDeliveries(const std::string& owner, int limit,
                                                                int64_t lease_ms, int64_t now) {
  if (limit <= 0) return std::vector<LeasedDelivery>{};
  // A lease of 0 ms would leave a leased delivery due at once (its lease is its due time).
  if (lease_ms <= 0) return InvalidArgumentError("delivery lease must be at least 1 ms");
  if (owner.empty()) return InvalidArgumentError("delivery lease owner must not be empty");
  const std::string count = Int(limit);
  const std::string ttl = Int(lease_ms);
  const std::string at = Int(now);
  NOJ_ASSIGN_OR_RETURN(ReplyPtr reply, Call(ScriptId::kLeaseDeliveries, {owner, count, ttl, at}));
  const redisReply* items = Element(*reply, 1);
  NOJ_ASSIGN_OR_RETURN(std::vector<DeliveryRecord> records, DecodeDeliveries(items));
  std::vector<LeasedDelivery> out;
  out.reserve(records.size());
  for (size_t i = 0; i < records.size(); ++i) {
    LeasedDelivery leased{.delivery = std::move(records[i])};
    const redisReply* sub = Element(*items->element[i], 2);
    if (sub == nullptr || sub->type != REDIS_REPLY_ARRAY) {  // false: gone
      leased.submission_error = "no such submission: " + leased.delivery.submission_id;
    } else if (auto decoded = DecodeSubmission(*sub); decoded.ok()) {
      leased.submission = std::move(decoded).value();
    } else {
      leased.submission_error = decoded.status().message();
    }
    out.push_back(std::move(leased));
  }
  return out;
}

Result<std::vector<Status>> RedisStore::FinishDeliveries(
    const std::string& owner, const std::vector<DeliveryOutcome>& outcomes, int64_t now) {
  if (outcomes.empty()) return std::vector<Status>{};
  // Argv holds views: the integers' texts live in `texts` (reserved: never moved).
  std::vector<std::string> texts;
  texts.reserve(1 + outcomes.size());
  Argv args;
  args.reserve(2 + 4 * outcomes.size());
  args.push_back(owner);
  args.push_back(texts.emplace_back(Int(now)));
  for (const DeliveryOutcome& o : outcomes) {
    args.push_back(o.event_id);
    args.push_back(KindName(o.attempt.kind));
    args.push_back(texts.emplace_back(Int(o.attempt.next_attempt_at)));
    args.push_back(o.attempt.error);
  }
  NOJ_ASSIGN_OR_RETURN(ReplyPtr reply, Call(ScriptId::kFinishDeliveries, args));
  const redisReply* statuses = Element(*reply, 1);
  if (statuses == nullptr || statuses->type != REDIS_REPLY_ARRAY ||
      statuses->elements != outcomes.size()) {
    return InternalError("redis: finish_deliveries reply");
  }
  std::vector<Status> out;
  out.reserve(outcomes.size());
  for (size_t i = 0; i < statuses->elements; ++i) {
    out.push_back(ScriptStatus(*statuses->element[i], "finish_deliveries"));
  }
  return out;
}

Status RedisStore::Redeliver(const std::string& event_id, int64_t now) {
  const std::string at = Int(now);
  return Call(ScriptId::kRedeliver, {event_id, at}).status();
}

Result<DeliveryRecord> RedisStore::GetDelivery(const std::string& event_id) {
  NOJ_ASSIGN_OR_RETURN(ReplyPtr reply, Read({"HGETALL", Key("dlv:" + event_id)}));
  const Fields fields = ToFields(reply.get());
  if (fields.empty()) return NotFoundError("no such delivery: " + event_id);
  return DecodeDelivery(event_id, fields);
}

Result<std::vector<DeliveryRecord>> RedisStore::ListDeliveries(const DeliveryFilter& filter) {
  std::string state;  // '' = both
  if (filter.state) state = *filter.state == DeliveryState::kDead ? "dead" : "pending";
  const std::string limit = Int(std::clamp(filter.limit, 1, kMaxDeliveryListLimit));
  NOJ_ASSIGN_OR_RETURN(ReplyPtr reply,
                       Call(ScriptId::kListDeliveries, {state, limit}, Idempotent::kYes));
  return DecodeDeliveries(Element(*reply, 1));
}

Result<DeliveryStats> RedisStore::GetDeliveryStats(int64_t now) {
  const std::string at = Int(now);
  NOJ_ASSIGN_OR_RETURN(ReplyPtr reply, Call(ScriptId::kDeliveryStats, {at}, Idempotent::kYes));
  DeliveryStats stats;
  int64_t* fields[] = {
      &stats.pending,         &stats.leased,          &stats.dead, &stats.oldest_pending_created_at,
      &stats.delivered_total, &stats.superseded_total};
  for (size_t i = 0; i < std::size(fields); ++i) {
    if (!ParseInt(Element(*reply, i + 1), *fields[i])) {
      return InternalError("redis: delivery_stats reply");
    }
  }
  const redisReply* targets = Element(*reply, std::size(fields) + 1);
  for (size_t i = 0; targets != nullptr && i < targets->elements; ++i) {
    const redisReply& item = *targets->element[i];
    DeliveryTargetStats t;
    t.url = Text(Element(item, 0));
    if (!ParseInt(Element(item, 1), t.pending) || !ParseInt(Element(item, 2), t.dead) ||
        !ParseInt(Element(item, 3), t.oldest_pending_created_at)) {
      return InternalError("redis: delivery_stats reply for " + t.url);
    }
    stats.targets.push_back(std::move(t));
  }
  return stats;
}

}  // namespace noj::store::redis
