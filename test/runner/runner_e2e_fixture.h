#pragma once
// The end-to-end fixture: a real nojd (NojdTest) plus real noj-runner processes that use the real
// noj-sandbox. Needs root for the sandbox (skips otherwise).

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "integration/nojd_fixture.h"
#include "runner/runner_process.h"
#include "support/host_check.h"

namespace noj::runner {

namespace bj = boost::json;
using namespace std::chrono_literals;

inline bool WaitUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(50ms);
  }
  return true;
}

class RunnerE2E : public noj::testing::NojdTest {
 protected:
  std::vector<std::string> Flags() const override {
    return {"--heartbeat-interval", "1", "--poll-interval", "1", "--lease-ttl", "10"};
  }

  void SetUp() override {
    if (std::string why = noj::testing::MissingRoot(); !why.empty()) GTEST_SKIP() << why;
    if (std::string why = testing::MissingRunnerCompilers(); !why.empty()) GTEST_SKIP() << why;
    NojdTest::SetUp();
  }

  // `box_id_base`: runners alive at once need distinct ranges (each uses base .. base+2×slots).
  std::unique_ptr<testing::RunnerProcess> StartRunner(const std::string& name,
                                                      std::vector<std::string> extra = {},
                                                      int box_id_base = 4900) {
    std::vector<std::string> args = {NOJ_RUNNER_BINARY,
                                     "--server",
                                     nojd_->base_url(),
                                     "--name",
                                     name,
                                     "--registration-token-file",
                                     dir_ + "/secrets.json",
                                     "--work-dir",
                                     dir_ + "/work-" + name,
                                     "--cache-dir",
                                     dir_ + "/cache-" + name,
                                     "--sandbox",
                                     NOJ_SANDBOX_BINARY,
                                     "--slots",
                                     "2",
                                     "--box-id-base",
                                     std::to_string(box_id_base),
                                     "--poll-wait",
                                     "3",
                                     "--drain-timeout",
                                     "30",
                                     "--log-level",
                                     "debug"};
    for (auto& e : extra) args.push_back(e);
    return std::make_unique<testing::RunnerProcess>(args, dir_ + "/runner-" + name + ".log");
  }

  std::string JobState(const std::string& sid) {
    auto s = Submission(sid);
    auto it = s.find("job_state");
    return it != s.end() && it->value().is_string() ? std::string(it->value().as_string()) : "";
  }

  int64_t Int(const bj::object& o, const char* key) { return o.at(key).to_number<int64_t>(); }
};

}  // namespace noj::runner
