#pragma once
// The Store implementations the contract suite (store_contract_test.cc) runs against.
// Adding a backend = one more entry in AllStoreFactories() (store_factories.cc).

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/store.h"

namespace noj::store::contract {

// One backend instance under test, owning the store and any raw access the tests need.
class StoreHarness {
 public:
  virtual ~StoreHarness() = default;
  virtual Store& store() = 0;

  // Closes the store and opens it again on the same data. false when the backend keeps nothing
  // across a reopen (in-memory): the persistence test is then skipped.
  virtual bool Reopen() { return false; }

  // Damage done behind the store's back (raw SQL, raw Redis commands) to check that scans skip
  // or settle broken records. false when unsupported: the test is then skipped.
  // Makes the stored result of the submission undecodable.
  virtual bool CorruptResult(const std::string& /*submission_id*/) { return false; }
  // Deletes the submission record only (its jobs stay).
  virtual bool DropSubmissionRecord(const std::string& /*submission_id*/) { return false; }
  // Deletes the problem record only (submissions and jobs stay).
  virtual bool DropProblemRecord(int64_t /*problem_id*/) { return false; }

  // Evidence that a claim's work does not grow with the jobs it cannot take (routing tests):
  // Commands the backend has run so far (Redis: INFO commandstats), when no other process shares
  // the server; nullopt otherwise.
  virtual std::optional<int64_t> CommandsRun() { return std::nullopt; }
  // EXPLAIN QUERY PLAN of each query a claim runs, over the current data (SQLite on a file);
  // empty when unsupported.
  virtual std::vector<std::string> ClaimQueryPlans() { return {}; }
};

struct StoreFactory {
  std::string name;  // test-name suffix: letters, digits, underscores
  std::function<Result<std::unique_ptr<StoreHarness>>()> make;
  // What the host lacks for this backend ("" or unset: nothing); the test is then skipped.
  std::function<std::string()> missing;
};

const std::vector<StoreFactory>& AllStoreFactories();

// Test names and failure messages show the backend's name.
inline void PrintTo(const StoreFactory& factory, std::ostream* os) { *os << factory.name; }

}  // namespace noj::store::contract
