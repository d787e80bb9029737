#include "runner/sandbox_process_executor.h"

#include <sys/wait.h>

#include "runner/child_process.h"
#include "runner/fs_util.h"
#include "runner/owned_fd.h"
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

// noj-sandbox's stderr on one line, for a log field or an SE message: what it said is passed
// on verbatim (the kernel floor's refusal is the operator's only clue), newlines aside.
std::string Oneline(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

}  // namespace

SandboxProcessExecutor::SandboxProcessExecutor(std::filesystem::path sandbox_path,
                                               std::vector<std::string> require, bool warm_boxes)
    : sandbox_path_(std::move(sandbox_path)),
      require_(std::move(require)),
      warm_boxes_(warm_boxes) {}

SandboxProcessExecutor::~SandboxProcessExecutor() {
  std::map<int, std::unique_ptr<WarmBoxClient>> idle;
  {
    MutexLock lock(&mu_);
    idle.swap(warm_);
  }
  // Each helper tears its box down on EOF; closing them one by one would wait for each in turn.
  idle.clear();
}

void SandboxProcessExecutor::StartWarmBoxes(const std::vector<int>& box_ids) {
  if (!warm_boxes_) return;
  for (int id : box_ids) {
    auto started = WarmBoxClient::Start(sandbox_path_, id);
    if (started.ok()) ReturnWarm(id, std::move(*started));
  }
}

std::unique_ptr<WarmBoxClient> SandboxProcessExecutor::TakeWarm(int box_id) {
  MutexLock lock(&mu_);
  auto it = warm_.find(box_id);
  if (it == warm_.end()) return nullptr;
  std::unique_ptr<WarmBoxClient> client = std::move(it->second);
  warm_.erase(it);
  return client;
}

void SandboxProcessExecutor::ReturnWarm(int box_id, std::unique_ptr<WarmBoxClient> client) {
  MutexLock lock(&mu_);
  warm_[box_id] = std::move(client);
}

sandbox::RunResult SandboxProcessExecutor::ExecuteWarm(const sandbox::RunRequest& request,
                                                       std::stop_token stop) {
  sandbox::RunRequest r = request;
  r.require = require_;
  const std::vector<std::string> args = sandbox::BuildCommandLine(r);
  const auto backstop = std::chrono::milliseconds(sandbox::EffectiveWallMs(r.limits) + 30000);
  std::unique_ptr<WarmBoxClient> client = TakeWarm(r.box_id);
  // A kept helper that fails (it exits on its own only after a failure of its own, e.g. a box
  // it could not clean up) is replaced once; re-running the case is harmless. A fresh one that
  // fails is the answer.
  bool reused = client != nullptr;
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (!client || !client->Alive()) {
      auto started = WarmBoxClient::Start(sandbox_path_, r.box_id);
      if (!started.ok()) return sandbox::SandboxError(started.status().message());
      client = std::move(*started);
    }
    Result<sandbox::RunResult> result = client->Run(args, backstop, stop);
    if (stop.stop_requested()) return sandbox::SandboxError("cancelled");
    if (result.ok()) {
      ReturnWarm(r.box_id, std::move(client));
      return std::move(result).value();
    }
    client.reset();
    if (!reused || attempt == 1) return sandbox::SandboxError(result.status().message());
  }
  return sandbox::SandboxError("unreachable");
}

struct SandboxProcessExecutor::Started {
  ChildProcess child;
  std::filesystem::path log;  // the helper's stderr
};

Result<SandboxProcessExecutor::Started> SandboxProcessExecutor::Start(sandbox::RunRequest request,
                                                                      const std::string& log_name,
                                                                      std::vector<int> pass_fds) {
  request.require = require_;
  std::vector<std::string> argv = sandbox::BuildCommandLine(request);
  argv.insert(argv.begin(), sandbox_path_.string());
  // The helper enforces the wall limit itself; the backstop only guards against a stuck helper.
  int64_t wall = sandbox::EffectiveWallMs(request.limits);
  std::filesystem::path log = std::filesystem::path(request.box_dir).parent_path() / log_name;
  ChildOptions opts{.stderr_path = log,
                    .backstop = std::chrono::milliseconds(wall + 30000),
                    .pass_fds = std::move(pass_fds)};
  NOJ_ASSIGN_OR_RETURN(ChildProcess child, ChildProcess::Start(argv, std::move(opts)));
  return Started{std::move(child), std::move(log)};
}

sandbox::RunResult SandboxProcessExecutor::Finish(Started& started, std::stop_token stop) {
  ChildResult child = started.child.Wait(stop);
  if (stop.stop_requested()) return sandbox::SandboxError("cancelled");
  auto parsed = sandbox::ParseResultLine(LastLine(child.stdout_text));
  if (parsed.ok()) return std::move(parsed).value();
  std::string why = child.timed_out ? "noj-sandbox did not finish in time"
                                    : "noj-sandbox " + DescribeWaitStatus(child.wait_status);
  std::string err = Oneline(ReadFilePrefix(started.log, 2048));
  return sandbox::SandboxError(why + " without a result line" + (err.empty() ? "" : ": " + err));
}

sandbox::RunResult SandboxProcessExecutor::Execute(const sandbox::RunRequest& request,
                                                   std::stop_token stop) {
  if (warm_boxes_ && request.box_mode == sandbox::BoxMode::kScratch && request.stdin_fd < 0 &&
      request.stdout_fd < 0) {
    return ExecuteWarm(request, stop);
  }
  auto started = Start(request, "sandbox.log", {});
  if (!started.ok()) return sandbox::SandboxError(started.status().message());
  return Finish(*started, stop);
}

std::pair<sandbox::RunResult, sandbox::RunResult> SandboxProcessExecutor::ExecuteInteractive(
    const sandbox::RunRequest& program, const sandbox::RunRequest& interactor,
    std::stop_token stop) {
  auto both = [](const std::string& error) {
    return std::pair{sandbox::SandboxError(error), sandbox::SandboxError(error)};
  };
  if (program.box_id == interactor.box_id) return both("interactive run: one box id for both");
  if (stop.stop_requested()) return both("cancelled");
  Result<Pipe> to_interactor = MakePipe();  // the program's stdout → the interactor's stdin
  Result<Pipe> to_program = MakePipe();     // the interactor's stdout → the program's stdin
  if (!to_interactor.ok()) return both(to_interactor.status().message());
  if (!to_program.ok()) return both(to_program.status().message());
  sandbox::RunRequest p = program, q = interactor;
  p.stdin_path.clear();
  p.stdout_path.clear();
  q.stdin_path.clear();
  q.stdout_path.clear();
  p.stdin_fd = to_program->read.get();
  p.stdout_fd = to_interactor->write.get();
  q.stdin_fd = to_interactor->read.get();
  q.stdout_fd = to_program->write.get();
  auto log_name = [](int box_id) { return "sandbox-" + std::to_string(box_id) + ".log"; };
  auto p_started = Start(p, log_name(p.box_id), {p.stdin_fd, p.stdout_fd});
  if (!p_started.ok()) return both(p_started.status().message());
  auto q_started = Start(q, log_name(q.box_id), {q.stdin_fd, q.stdout_fd});
  // Each box holds its ends now; a copy kept here would hide the other box's end (no EOF).
  *to_interactor = Pipe{};
  *to_program = Pipe{};
  if (!q_started.ok()) return both(q_started.status().message());  // p_started is stopped
  sandbox::RunResult program_result = Finish(*p_started, stop);
  sandbox::RunResult interactor_result = Finish(*q_started, stop);
  return {std::move(program_result), std::move(interactor_result)};
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
