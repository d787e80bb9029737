#pragma once
// nojctl against a real nojd: the NojdTest fixture (nojd on a free port, protocol helpers) plus
// running nojctl with this server's URL and token, and a scripted runner played over HTTP.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "cli/nojctl_process.h"
#include "integration/nojd_fixture.h"

namespace noj::cli::testing {

namespace bj = boost::json;
using noj::testing::RunnerCreds;

class NojctlTest : public noj::testing::NojdTest {
 protected:
  // nojctl --server <this nojd> --token <its API token> ARGS…
  CliResult Cli(std::vector<std::string> args, std::vector<std::string> env = {});
  std::vector<std::string> WithServer(std::vector<std::string> args) const;
  // Runs with --json, expects exit 0 and one JSON document on stdout.
  bj::value CliJson(std::vector<std::string> args);

  // Writes a testdata directory (TTCC.in/.out) for tasks of {score, cases}; returns its path.
  std::string TestdataDir(const std::vector<std::pair<int, int>>& tasks);
  std::string WriteFile(const std::string& name, const std::string& content);

  // Plays a runner: claims the next job once `claim_when()` holds, completes it with `body` once
  // `complete_when()` holds (each waited for up to 20 s). Join the thread before the test ends.
  std::thread JudgeNext(RunnerCreds runner, std::function<bool()> claim_when,
                        std::function<bool()> complete_when, std::string body);
  // A complete body: every case `status`; `stderr_text` on each case.
  static std::string CasesBody(const std::vector<int>& case_counts, const std::string& status,
                               const std::string& stderr_text = "");
};

// Exit code `code`, nothing on stdout, exactly one line on stderr: "nojctl: …" containing `text`.
void ExpectOneLineError(const CliResult& r, int code, const std::string& text);

// Polls `cond` every 10 ms for up to `timeout_ms`; true if it held.
bool Eventually(const std::function<bool()>& cond, int timeout_ms = 20000);

}  // namespace noj::cli::testing
