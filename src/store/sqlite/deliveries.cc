// The callback outbox of the SQLite store (store.h "result callbacks"). PLACEHOLDER: being
// written (issue 17); every method answers kInternal until then.
#include "store/sqlite/transitions.h"

namespace noj::store::sqlite {

Result<std::vector<DeliveryRecord>> LeaseDeliveriesTx(Db&, const std::string&, int, int64_t,
                                                      int64_t) {
  return InternalError("sqlite store: deliveries not implemented yet");
}
Status FinishDeliveryTx(Db&, const std::string&, const std::string&, const DeliveryAttempt&,
                        int64_t) {
  return InternalError("sqlite store: deliveries not implemented yet");
}
Status RedeliverTx(Db&, const std::string&, int64_t) {
  return InternalError("sqlite store: deliveries not implemented yet");
}
Result<DeliveryRecord> GetDeliveryTx(Db&, const std::string&) {
  return InternalError("sqlite store: deliveries not implemented yet");
}
Result<std::vector<DeliveryRecord>> ListDeliveriesTx(Db&, const DeliveryFilter&) {
  return InternalError("sqlite store: deliveries not implemented yet");
}
Result<DeliveryStats> GetDeliveryStatsTx(Db&, int64_t) {
  return InternalError("sqlite store: deliveries not implemented yet");
}

}  // namespace noj::store::sqlite
