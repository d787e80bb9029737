// The callback outbox of the SQLite store (store.h "result callbacks"). The landing's write is in
// WriteResult (job_steps.cc); here: leases, the end of an attempt, redelivery and the reads.
// A lease is the delivery's due time (next_attempt_at = lease_until): a delivery whose holder died
// is due again when its lease runs out, with no second index to scan.

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "store/sqlite/job_steps.h"
#include "store/sqlite/rows.h"
#include "store/sqlite/statements.h"
#include "store/sqlite/transitions.h"

namespace noj::store::sqlite {

namespace {

constexpr int kMaxDeliveryListLimit = 1000;

Result<std::optional<DeliveryRecord>> LoadDelivery(Db& db, const std::string& event_id) {
  NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kSelectDelivery));
  stmt.BindText(1, event_id);
  NOJ_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return std::optional<DeliveryRecord>();
  NOJ_ASSIGN_OR_RETURN(DeliveryRecord d, ReadDelivery(stmt));
  return std::optional<DeliveryRecord>(std::move(d));
}

// The rows of a delivery query whose parameters are bound; undecodable rows are skipped.
Result<std::vector<DeliveryRecord>> ReadDeliveries(Stmt& stmt) {
  std::vector<DeliveryRecord> out;
  while (true) {
    NOJ_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return out;
    auto d = ReadDelivery(stmt);
    if (d.ok()) out.push_back(std::move(d).value());
  }
}

Result<std::vector<DeliveryRecord>> OldestOfState(Db& db, DeliveryState state, int limit) {
  NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kDeliveriesOfState));
  stmt.BindInt(1, state == DeliveryState::kPending ? 0 : 1).BindInt(2, limit);
  return ReadDeliveries(stmt);
}

Status RunForDelivery(Db& db, const char* query, const std::string& event_id) {
  NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(query));
  return stmt.BindText(1, event_id).Run();
}

}  // namespace

Result<std::vector<LeasedDelivery>> LeaseDeliveriesTx(Db& db, const std::string& owner, int limit,
                                                      int64_t lease_ms, int64_t now) {
  if (limit <= 0) return std::vector<LeasedDelivery>{};
  if (owner.empty()) return InvalidArgumentError("a delivery lease needs an owner");
  std::vector<DeliveryRecord> due;
  {
    NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kDueDeliveries));
    stmt.BindInt(1, now).BindInt(2, limit);
    NOJ_ASSIGN_OR_RETURN(due, ReadDeliveries(stmt));
  }
  // Leased after the scan: the statement is released before the rows it walked change.
  const int64_t until = now + lease_ms;
  std::vector<LeasedDelivery> out;
  out.reserve(due.size());
  for (DeliveryRecord& d : due) {
    NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kLeaseDelivery));
    NOJ_RETURN_IF_ERROR(stmt.BindText(1, d.event_id).BindText(2, owner).BindInt(3, until).Run());
    d.lease_owner = owner;
    d.lease_until = until;
    d.next_attempt_at = until;
    LeasedDelivery leased{.delivery = std::move(d)};
    if (auto sub = GetSubmissionTx(db, leased.delivery.submission_id); sub.ok()) {
      leased.submission = std::move(sub).value();
    } else {
      leased.submission_error = sub.status().message();
    }
    out.push_back(std::move(leased));
  }
  return out;
}

namespace {

// One outcome of FinishDeliveriesTx: its Status is the outcome's, not the transaction's.
Status FinishOne(Db& db, const std::string& event_id, const std::string& owner,
                 const DeliveryAttempt& attempt, int64_t now) {
  NOJ_ASSIGN_OR_RETURN(std::optional<DeliveryRecord> d, LoadDelivery(db, event_id));
  if (!d) return NotFoundError("no such delivery: " + event_id);
  // An empty owner holds nothing: a delivery not leased is not leased to "".
  if (d->state != DeliveryState::kPending || owner.empty() || d->lease_owner != owner) {
    return AbortedError("node " + owner + " does not hold the delivery " + event_id);
  }
  switch (attempt.kind) {
    case DeliveryAttempt::Kind::kDelivered:
      NOJ_RETURN_IF_ERROR(RunForDelivery(db, sql::kDeleteDelivery, event_id));
      return BumpCounter(db, "delivered_total");
    case DeliveryAttempt::Kind::kSuperseded:
      NOJ_RETURN_IF_ERROR(RunForDelivery(db, sql::kDeleteDelivery, event_id));
      return BumpCounter(db, "superseded_total");
    case DeliveryAttempt::Kind::kRetry: {
      NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kRetryDelivery));
      return stmt.BindText(1, event_id)
          .BindInt(2, now)
          .BindText(3, attempt.error)
          .BindInt(4, attempt.next_attempt_at)
          .Run();
    }
    case DeliveryAttempt::Kind::kDead: {
      NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kKillDelivery));
      return stmt.BindText(1, event_id).BindInt(2, now).BindText(3, attempt.error).Run();
    }
    case DeliveryAttempt::Kind::kPostponed: {
      NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kPostponeDelivery));
      return stmt.BindText(1, event_id).BindInt(2, attempt.next_attempt_at).Run();
    }
  }
  return InvalidArgumentError("unknown delivery attempt kind");
}

bool IsOutcomeRefusal(const Status& s) {
  return s.code() == ErrorCode::kNotFound || s.code() == ErrorCode::kAborted ||
         s.code() == ErrorCode::kInvalidArgument;
}

}  // namespace

Result<std::vector<Status>> FinishDeliveriesTx(Db& db, const std::string& owner,
                                               const std::vector<DeliveryOutcome>& outcomes,
                                               int64_t now) {
  std::vector<Status> out;
  out.reserve(outcomes.size());
  for (const DeliveryOutcome& o : outcomes) {
    Status s = FinishOne(db, o.event_id, owner, o.attempt, now);
    // A refused outcome wrote nothing (its checks come first); any other error is the
    // database's, and fails the whole step.
    if (!s.ok() && !IsOutcomeRefusal(s)) return s;
    out.push_back(std::move(s));
  }
  return out;
}

Status RedeliverTx(Db& db, const std::string& event_id, int64_t now) {
  NOJ_ASSIGN_OR_RETURN(std::optional<DeliveryRecord> d, LoadDelivery(db, event_id));
  if (!d) return NotFoundError("no such delivery: " + event_id);
  if (d->state != DeliveryState::kDead) {
    return FailedPreconditionError("delivery " + event_id + " is not dead");
  }
  NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kRedeliver));
  return stmt.BindText(1, event_id).BindInt(2, now).Run();
}

Result<DeliveryRecord> GetDeliveryTx(Db& db, const std::string& event_id) {
  NOJ_ASSIGN_OR_RETURN(std::optional<DeliveryRecord> d, LoadDelivery(db, event_id));
  if (!d) return NotFoundError("no such delivery: " + event_id);
  return std::move(*d);
}

Result<std::vector<DeliveryRecord>> ListDeliveriesTx(Db& db, const DeliveryFilter& filter) {
  const int limit = std::clamp(filter.limit, 1, kMaxDeliveryListLimit);
  if (filter.state) return OldestOfState(db, *filter.state, limit);
  // Both states: the oldest `limit` of each (one index range each), merged.
  NOJ_ASSIGN_OR_RETURN(std::vector<DeliveryRecord> out,
                       OldestOfState(db, DeliveryState::kPending, limit));
  NOJ_ASSIGN_OR_RETURN(std::vector<DeliveryRecord> dead,
                       OldestOfState(db, DeliveryState::kDead, limit));
  const size_t pending_count = out.size();
  out.insert(out.end(), std::make_move_iterator(dead.begin()), std::make_move_iterator(dead.end()));
  auto older = [](const DeliveryRecord& a, const DeliveryRecord& b) {
    return std::tie(a.created_at, a.event_id) < std::tie(b.created_at, b.event_id);
  };
  std::inplace_merge(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(pending_count),
                     out.end(), older);
  if (out.size() > static_cast<size_t>(limit)) out.resize(static_cast<size_t>(limit));
  return out;
}

Result<DeliveryStats> GetDeliveryStatsTx(Db& db, int64_t now) {
  DeliveryStats stats;
  {
    NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kDeliveriesByUrl));
    while (true) {
      NOJ_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      const std::string url = stmt.Text(0);
      if (stats.targets.empty() || stats.targets.back().url != url) {
        stats.targets.push_back(DeliveryTargetStats{url, 0, 0, 0});
      }
      DeliveryTargetStats& target = stats.targets.back();
      const int64_t count = stmt.Int(2);
      if (stmt.Int(1) == 0) {
        target.pending = count;
        target.oldest_pending_created_at = stmt.Int(3);
        stats.pending += count;
        if (stats.oldest_pending_created_at == 0 ||
            target.oldest_pending_created_at < stats.oldest_pending_created_at) {
          stats.oldest_pending_created_at = target.oldest_pending_created_at;
        }
      } else {
        target.dead = count;
        stats.dead += count;
      }
    }
  }
  {
    NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kLeasedDeliveries));
    stmt.BindInt(1, now);
    NOJ_ASSIGN_OR_RETURN(bool row, stmt.Step());
    stats.leased = row ? stmt.Int(0) : 0;
  }
  NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kReadCounters));
  while (true) {
    NOJ_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    const std::string key = stmt.Text(0);
    if (key == "delivered_total") stats.delivered_total = stmt.Int(1);
    if (key == "superseded_total") stats.superseded_total = stmt.Int(1);
  }
  return stats;
}

}  // namespace noj::store::sqlite
