#include "sandbox/command_line.h"

#include <CLI/CLI.hpp>
#include <algorithm>

#include "sandbox/protections.h"

namespace noj::sandbox {
namespace {

// Inside the box these belong to the sandbox; a bind there would shadow or defeat it.
bool IsReservedTarget(const std::string& target) {
  for (std::string_view top : {"/box", "/tmp", "/proc", "/dev"}) {
    if (target == top || target.starts_with(std::string(top) + "/")) return true;
  }
  return target == "/";
}

Result<BindMount> ParseBind(const std::string& spec) {
  size_t colon = spec.find(':');
  BindMount b;
  b.source = spec.substr(0, colon);
  b.target = colon == std::string::npos ? b.source : spec.substr(colon + 1);
  if (!b.source.starts_with('/') || !b.target.starts_with('/') ||
      b.target.find("..") != std::string::npos || IsReservedTarget(b.target)) {
    return Status(
        ErrorCode::kInvalidArgument,
        "--ro-bind wants SRC[:DST], absolute paths, DST outside /box /tmp /proc /dev: " + spec);
  }
  return b;
}

Status Validate(const RunRequest& r) {
  if (!r.box_dir.starts_with('/')) {
    return Status(ErrorCode::kInvalidArgument, "--box-dir must be an absolute path");
  }
  if (r.box_id < 0 || r.box_id > kMaxBoxId) {
    return Status(ErrorCode::kInvalidArgument,
                  "--box-id must be in [0, " + std::to_string(kMaxBoxId) + "]");
  }
  if (r.argv.empty()) {
    return Status(ErrorCode::kInvalidArgument, "missing program: -- PROGRAM ARGS...");
  }
  for (const std::string& kv : r.env) {
    if (kv.find('=') == std::string::npos || kv.starts_with('=')) {
      return Status(ErrorCode::kInvalidArgument, "--env wants K=V, got " + kv);
    }
  }
  return ValidateLimits(r.limits);
}

}  // namespace

Result<CommandLine> ParseCommandLine(const std::vector<std::string>& args) {
  // Everything after the first "--" is the program, untouched by the flag parser.
  auto dashdash = std::find(args.begin(), args.end(), "--");
  std::vector<std::string> flags(args.begin(), dashdash);
  CommandLine cl;
  RunRequest& r = cl.request;
  if (dashdash != args.end()) r.argv.assign(dashdash + 1, args.end());

  CLI::App app("noj-sandbox: runs one command confined in a box, prints one JSON result line");
  bool probe = false, cleanup = false;
  std::string require, netns = "shared";
  std::vector<std::string> binds;
  app.add_flag("--probe", probe, "print the active protections and exit");
  app.add_flag("--cleanup", cleanup, "remove the persistent shared net namespace and exit");
  app.add_option("--box-dir", r.box_dir, "host directory mounted read-write at /box");
  app.add_option("--box-id", r.box_id, "box number; the program runs as uid/gid 60000+N");
  app.add_option("--cpu-ms", r.limits.cpu_ms, "CPU time limit, all processes summed");
  app.add_option("--wall-ms", r.limits.wall_ms, "wall limit (default max(2*cpu, cpu+1000))");
  app.add_option("--memory-kib", r.limits.memory_kib, "memory limit");
  app.add_option("--output-limit", r.limits.output_bytes, "largest file written, in bytes");
  app.add_option("--max-processes", r.limits.max_processes, "tasks alive at once");
  app.add_option("--tmp-kib", r.limits.tmp_kib, "size of /tmp (default: memory limit)");
  app.add_option("--open-files", r.limits.open_files, "RLIMIT_NOFILE");
  app.add_option("--stdin", r.stdin_path, "input file (default /dev/null)");
  app.add_option("--stdout", r.stdout_path, "output file (default /dev/null)");
  app.add_option("--stderr", r.stderr_path, "error file (default /dev/null)");
  app.add_option("--ro-bind", binds, "SRC[:DST] host path visible read-only in the box");
  app.add_option("--env", r.env, "K=V environment of the program (only these)");
  app.add_option("--require", require, "comma list of protections that must be active");
  app.add_flag("--insecure", r.insecure, "run even with nothing but rlimits");
  app.add_option("--netns", netns, "shared (default) or new")
      ->check(CLI::IsMember({"shared", "new"}));
  app.add_option("--cgroup-parent", r.cgroup_parent,
                 "cgroup v2 parent relative to the v2 root (default: own cgroup)");
  std::vector<std::string> reversed(flags.rbegin(), flags.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    cl.mode = Mode::kHelp;
    cl.help_text = app.help();
    return cl;
  } catch (const CLI::ParseError& e) {
    return Status(ErrorCode::kInvalidArgument, e.what());
  }
  r.require = SplitList(require);
  r.netns = netns == "new" ? NetnsMode::kNew : NetnsMode::kShared;
  for (const std::string& spec : binds) {
    NOJ_ASSIGN_OR_RETURN(BindMount b, ParseBind(spec));
    r.ro_binds.push_back(std::move(b));
  }
  if (probe) {
    cl.mode = Mode::kProbe;
    return cl;
  }
  if (cleanup) {
    cl.mode = Mode::kCleanup;
    return cl;
  }
  NOJ_RETURN_IF_ERROR(Validate(r));
  return cl;
}

std::vector<std::string> BuildCommandLine(const RunRequest& r) {
  std::vector<std::string> a = {"--box-dir", r.box_dir, "--box-id", std::to_string(r.box_id)};
  auto num = [&a](const char* flag, int64_t v) {
    a.push_back(flag);
    a.push_back(std::to_string(v));
  };
  num("--cpu-ms", r.limits.cpu_ms);
  num("--wall-ms", r.limits.wall_ms);
  num("--memory-kib", r.limits.memory_kib);
  num("--output-limit", r.limits.output_bytes);
  num("--max-processes", r.limits.max_processes);
  num("--tmp-kib", r.limits.tmp_kib);
  num("--open-files", r.limits.open_files);
  auto str = [&a](const char* flag, const std::string& v) {
    if (v.empty()) return;
    a.push_back(flag);
    a.push_back(v);
  };
  str("--stdin", r.stdin_path);
  str("--stdout", r.stdout_path);
  str("--stderr", r.stderr_path);
  for (const BindMount& b : r.ro_binds) str("--ro-bind", b.source + ":" + b.target);
  for (const std::string& kv : r.env) str("--env", kv);
  std::string require;
  for (const std::string& n : r.require) require += (require.empty() ? "" : ",") + n;
  str("--require", require);
  if (r.insecure) a.push_back("--insecure");
  if (r.netns == NetnsMode::kNew) str("--netns", "new");
  str("--cgroup-parent", r.cgroup_parent);
  a.push_back("--");
  a.insert(a.end(), r.argv.begin(), r.argv.end());
  return a;
}

}  // namespace noj::sandbox
