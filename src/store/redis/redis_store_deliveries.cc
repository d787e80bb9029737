// The callback outbox of the Redis store (store.h "result callbacks"). PLACEHOLDER: being
// written (issue 17); every method answers kInternal until then.
#include "store/redis/redis_store_impl.h"

namespace noj::store::redis {

Result<std::vector<DeliveryRecord>> RedisStore::LeaseDeliveries(const std::string&, int, int64_t,
                                                                int64_t) {
  return InternalError("redis store: deliveries not implemented yet");
}
Status RedisStore::FinishDelivery(const std::string&, const std::string&, const DeliveryAttempt&,
                                  int64_t) {
  return InternalError("redis store: deliveries not implemented yet");
}
Status RedisStore::Redeliver(const std::string&, int64_t) {
  return InternalError("redis store: deliveries not implemented yet");
}
Result<DeliveryRecord> RedisStore::GetDelivery(const std::string&) {
  return InternalError("redis store: deliveries not implemented yet");
}
Result<std::vector<DeliveryRecord>> RedisStore::ListDeliveries(const DeliveryFilter&) {
  return InternalError("redis store: deliveries not implemented yet");
}
Result<DeliveryStats> RedisStore::GetDeliveryStats(int64_t) {
  return InternalError("redis store: deliveries not implemented yet");
}

}  // namespace noj::store::redis
