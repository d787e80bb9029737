// RedisStore: the callback outbox (store.h "result callbacks", docs/redis.md "The callback
// outbox"). Landings write deliveries inside their own scripts (lib.lua write_result); here are
// the deliverer's transitions (lease, finish, redeliver: one EVALSHA each) and the reads.

#include <algorithm>

#include "store/redis/codec.h"
#include "store/redis/redis_store_impl.h"

namespace noj::store::redis {

namespace {

constexpr int kMaxDeliveryListLimit = 1000;

// The outcome names finish_delivery.lua knows.
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

Result<std::vector<DeliveryRecord>> RedisStore::LeaseDeliveries(const std::string& owner, int limit,
                                                                int64_t lease_ms, int64_t now) {
  if (limit <= 0) return std::vector<DeliveryRecord>{};
  // A lease of 0 ms would leave a leased delivery due at once (its lease is its due time).
  if (lease_ms <= 0) return InvalidArgumentError("delivery lease must be at least 1 ms");
  if (owner.empty()) return InvalidArgumentError("delivery lease owner must not be empty");
  const std::string count = Int(limit);
  const std::string ttl = Int(lease_ms);
  const std::string at = Int(now);
  NOJ_ASSIGN_OR_RETURN(ReplyPtr reply, Call(ScriptId::kLeaseDeliveries, {owner, count, ttl, at}));
  return DecodeDeliveries(Element(*reply, 1));
}

Status RedisStore::FinishDelivery(const std::string& event_id, const std::string& owner,
                                  const DeliveryAttempt& attempt, int64_t now) {
  const std::string next = Int(attempt.next_attempt_at);
  const std::string at = Int(now);
  return Call(ScriptId::kFinishDelivery,
              {event_id, owner, KindName(attempt.kind), next, attempt.error, at})
      .status();
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
