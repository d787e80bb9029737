#include "runner/sandbox_process_executor.h"

#include <sys/wait.h>

#include "runner/child_process.h"
#include "runner/fs_util.h"
#include "sandbox/command_line.h"

namespace noj::runner {
namespace {

std::string JoinList(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ",") + s;
  return out;
}

// The last non-empty line of the helper's stdout.
std::string_view LastLine(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  size_t nl = text.rfind('\n');
  return nl == std::string_view::npos ? text : text.substr(nl + 1);
}

std::string Oneline(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  return s;
}

}  // namespace

SandboxProcessExecutor::SandboxProcessExecutor(std::filesystem::path sandbox_path,
                                               std::vector<std::string> require)
    : sandbox_path_(std::move(sandbox_path)), require_(std::move(require)) {}

sandbox::RunResult SandboxProcessExecutor::Execute(const sandbox::RunRequest& request,
                                                   std::stop_token stop) {
  sandbox::RunRequest r = request;
  r.require = require_;
  std::vector<std::string> argv = sandbox::BuildCommandLine(r);
  argv.insert(argv.begin(), sandbox_path_.string());
  // The helper enforces the wall limit itself; the backstop only guards against a stuck helper.
  int64_t wall = sandbox::EffectiveWallMs(r.limits);
  std::filesystem::path log = std::filesystem::path(r.box_dir).parent_path() / "sandbox.log";
  ChildOptions opts{.stderr_path = log, .backstop = std::chrono::milliseconds(wall + 30000)};
  auto child = RunChild(argv, opts, stop);
  if (stop.stop_requested()) return sandbox::SandboxError("cancelled");
  if (!child.ok()) return sandbox::SandboxError(child.status().message());
  auto parsed = sandbox::ParseResultLine(LastLine(child->stdout_text));
  if (parsed.ok()) return std::move(parsed).value();
  std::string why = child->timed_out ? "noj-sandbox did not finish in time"
                                     : "noj-sandbox " + DescribeWaitStatus(child->wait_status);
  std::string err = Oneline(ReadFilePrefix(log, 2048));
  return sandbox::SandboxError(why + " without a result line" + (err.empty() ? "" : ": " + err));
}

Result<std::string> SandboxProcessExecutor::Probe() {
  std::vector<std::string> argv = {sandbox_path_.string(), "--probe"};
  if (!require_.empty()) {
    argv.push_back("--require");
    argv.push_back(JoinList(require_));
  }
  auto dir = std::filesystem::temp_directory_path();
  auto log = dir / ("noj-runner-probe-" + std::to_string(::getpid()) + ".log");
  auto child = RunChild(argv, {.stderr_path = log, .backstop = std::chrono::seconds(30)}, {});
  std::string err = Oneline(ReadFilePrefix(log, 4096));
  RemoveTree(log).IgnoreError();  // best effort: a temp file
  if (!child.ok())
    return FailedPreconditionError("cannot run " + sandbox_path_.string() + ": " +
                                   child.status().message());
  std::string line(LastLine(child->stdout_text));
  if (!WIFEXITED(child->wait_status) || WEXITSTATUS(child->wait_status) != 0)
    return FailedPreconditionError("noj-sandbox --probe " + DescribeWaitStatus(child->wait_status) +
                                   ": " + (err.empty() ? line : err));
  constexpr std::string_view kPrefix = "protections: ";
  if (line.rfind(kPrefix, 0) == 0) line.erase(0, kPrefix.size());
  return line;
}

}  // namespace noj::runner
