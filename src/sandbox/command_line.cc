#include "sandbox/command_line.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <iterator>

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

// -1: not given. 0..2 are the helper's own stdio (its result line goes to 1).
Status ValidateInheritedFd(int fd, const std::string& path, std::string_view flag) {
  if (fd == -1) return Status::Ok();
  if (fd < 3) {
    return Status(ErrorCode::kInvalidArgument,
                  std::string(flag) + " wants an inherited descriptor >= 3");
  }
  if (!path.empty()) {
    return Status(ErrorCode::kInvalidArgument,
                  std::string(flag) + " and a path for the same stream: give one");
  }
  return Status::Ok();
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
  NOJ_RETURN_IF_ERROR(ValidateInheritedFd(r.stdin_fd, r.stdin_path, "--stdin-fd"));
  NOJ_RETURN_IF_ERROR(ValidateInheritedFd(r.stdout_fd, r.stdout_path, "--stdout-fd"));
  if (r.stdin_fd >= 0 && r.stdin_fd == r.stdout_fd) {
    return Status(ErrorCode::kInvalidArgument, "--stdin-fd and --stdout-fd must differ");
  }
  if (!r.collect_dir.empty() &&
      (r.box_mode != BoxMode::kScratch || !r.collect_dir.starts_with('/'))) {
    return Status(ErrorCode::kInvalidArgument, "--collect wants an absolute DIR and --scratch");
  }
  for (const std::string& kv : r.env) {
    if (kv.find('=') == std::string::npos || kv.starts_with('=')) {
      return Status(ErrorCode::kInvalidArgument, "--env wants K=V, got " + kv);
    }
  }
  return ValidateLimits(r.limits);
}

struct FlagSpec {
  std::string_view name;
  const char* value;  // nullptr: a switch
  const char* help;
};

// Hand-rolled rather than CLI11: this runs once per test case, and building a CLI11 parser
// costs ~0.1 ms per run here — a noticeable share of the sandbox's whole overhead.
constexpr FlagSpec kFlags[] = {
    {"--box-dir", "DIR", "host directory for /box (required; see --scratch)"},
    {"--box-id", "N", "0..4999; the program runs as uid/gid 60000+N (required)"},
    {"--cpu-ms", "MS", "CPU time limit, all processes summed (1000)"},
    {"--wall-ms", "MS", "wall limit (default max(2*cpu, cpu+1000))"},
    {"--memory-kib", "KIB", "memory limit (262144)"},
    {"--output-limit", "BYTES", "largest file the program may write (67108864)"},
    {"--max-processes", "N", "tasks alive at once (64)"},
    {"--tmp-kib", "KIB", "size of /tmp (default: the memory limit)"},
    {"--box-kib", "KIB", "size of a scratch /box (default: the output limit, >= 1 MiB)"},
    {"--inodes", "N", "files and directories in /tmp and a scratch /box, each (4096)"},
    {"--open-files", "N", "RLIMIT_NOFILE (64)"},
    {"--stdin", "FILE", "input (default /dev/null); relative: inside the box dir"},
    {"--stdout", "FILE", "output (default /dev/null); relative: inside the box dir"},
    {"--stderr", "FILE", "errors (default /dev/null); relative: inside the box dir"},
    {"--stdin-fd", "N", "input is our inherited pipe N (>= 3) instead of --stdin"},
    {"--stdout-fd", "N", "output is our inherited pipe N (>= 3) instead of --stdout"},
    {"--scratch", nullptr,
     "/box is a fresh tmpfs holding the box dir's entries read-only (else read-write)"},
    {"--box-readonly", nullptr, "mount the box dir read-only at /box"},
    {"--collect", "DIR", "with --scratch: copy what the program made in /box into DIR"},
    {"--ro-bind", "SRC[:DST]", "host path visible read-only in the box (repeatable)"},
    {"--env", "K=V", "environment of the program, nothing else (repeatable)"},
    {"--require", "LIST", "protections that must be active, else SE (comma list)"},
    {"--insecure", nullptr, "run even with nothing but rlimits"},
    {"--cgroup-parent", "PATH", "cgroup v2 parent, relative to the v2 root (own cgroup)"},
    {"--probe", nullptr, "print the active protections, trial-run a box, exit"},
    {"--cleanup", nullptr, "remove dead boxes' cgroups (and an old shared net namespace), exit"},
    {"--serve", nullptr, "with --box-id: a warm box running request frames from stdin until EOF"},
    {"--help", nullptr, "this text"},
};

const FlagSpec* FindFlag(std::string_view name) {
  for (const FlagSpec& f : kFlags) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

std::string HelpText() {
  std::string out =
      "noj-sandbox: runs one command confined in a box, prints one JSON result line\n"
      "usage: noj-sandbox --box-dir DIR --box-id N [flags] -- PROGRAM ARGS...\n"
      "       noj-sandbox --probe | --cleanup | --serve --box-id N\n";
  for (const FlagSpec& f : kFlags) {
    std::string left = std::string(f.name) + (f.value ? std::string(" ") + f.value : "");
    left.resize(std::max<size_t>(left.size() + 1, 28), ' ');
    out += "  " + left + f.help + "\n";
  }
  return out;
}

Status ParseNumber(std::string_view name, const std::string& text, int64_t& out) {
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) {
    return Status(ErrorCode::kInvalidArgument,
                  std::string(name) + " wants an integer, got '" + text + "'");
  }
  out = v;
  return Status::Ok();
}

// A descriptor number; a negative one or one out of int range becomes -2 (-1 means "none"),
// which Validate() refuses.
Status ParseFd(std::string_view name, const std::string& text, int& out) {
  int64_t v = 0;
  NOJ_RETURN_IF_ERROR(ParseNumber(name, text, v));
  out = v >= 0 && v <= INT32_MAX ? static_cast<int>(v) : -2;
  return Status::Ok();
}

Status Apply(std::string_view name, const std::string& value, RunRequest& r) {
  int64_t box_id = 0;
  if (name == "--box-dir") r.box_dir = value;
  if (name == "--box-id") {
    NOJ_RETURN_IF_ERROR(ParseNumber(name, value, box_id));
    if (box_id < 0 || box_id > kMaxBoxId) box_id = -1;  // Validate() names the range
    r.box_id = static_cast<int>(box_id);
  }
  if (name == "--cpu-ms") return ParseNumber(name, value, r.limits.cpu_ms);
  if (name == "--wall-ms") return ParseNumber(name, value, r.limits.wall_ms);
  if (name == "--memory-kib") return ParseNumber(name, value, r.limits.memory_kib);
  if (name == "--output-limit") return ParseNumber(name, value, r.limits.output_bytes);
  if (name == "--max-processes") return ParseNumber(name, value, r.limits.max_processes);
  if (name == "--tmp-kib") return ParseNumber(name, value, r.limits.tmp_kib);
  if (name == "--box-kib") return ParseNumber(name, value, r.limits.box_kib);
  if (name == "--inodes") return ParseNumber(name, value, r.limits.inodes);
  if (name == "--collect") r.collect_dir = value;
  if (name == "--open-files") return ParseNumber(name, value, r.limits.open_files);
  if (name == "--stdin") r.stdin_path = value;
  if (name == "--stdout") r.stdout_path = value;
  if (name == "--stderr") r.stderr_path = value;
  if (name == "--stdin-fd") return ParseFd(name, value, r.stdin_fd);
  if (name == "--stdout-fd") return ParseFd(name, value, r.stdout_fd);
  if (name == "--env") r.env.push_back(value);
  if (name == "--require") {
    for (std::string& n : SplitList(value)) r.require.push_back(std::move(n));
  }
  if (name == "--cgroup-parent") r.cgroup_parent = value;
  if (name == "--ro-bind") {
    NOJ_ASSIGN_OR_RETURN(BindMount b, ParseBind(value));
    r.ro_binds.push_back(std::move(b));
  }
  return Status::Ok();
}

}  // namespace

Result<CommandLine> ParseCommandLine(const std::vector<std::string>& args) {
  CommandLine cl;
  // Everything after the first "--" is the program, untouched by the flag parser.
  auto dashdash = std::find(args.begin(), args.end(), "--");
  if (dashdash != args.end()) cl.request.argv.assign(dashdash + 1, args.end());
  bool probe = false, cleanup = false, serve = false;
  for (auto it = args.begin(); it != dashdash; ++it) {
    std::string_view arg = *it;
    std::string_view name = arg.substr(0, arg.find('='));
    const FlagSpec* spec = FindFlag(name);
    if (spec == nullptr) return Status(ErrorCode::kInvalidArgument, "unknown flag " + *it);
    if (spec->value == nullptr) {
      if (name.size() != arg.size()) {
        return Status(ErrorCode::kInvalidArgument, std::string(name) + " takes no value");
      }
      if (name == "--help") {
        cl.mode = Mode::kHelp;
        cl.help_text = HelpText();
        return cl;
      }
      if (name == "--probe") probe = true;
      if (name == "--cleanup") cleanup = true;
      if (name == "--serve") serve = true;
      if (name == "--insecure") cl.request.insecure = true;
      if (name == "--box-readonly") cl.request.box_mode = BoxMode::kReadonly;
      if (name == "--scratch") cl.request.box_mode = BoxMode::kScratch;
      continue;
    }
    std::string value;
    if (name.size() != arg.size()) {
      value = std::string(arg.substr(name.size() + 1));
    } else if (std::next(it) != dashdash) {
      value = *++it;
    } else {
      return Status(ErrorCode::kInvalidArgument, std::string(name) + " needs a value");
    }
    NOJ_RETURN_IF_ERROR(Apply(name, value, cl.request));
  }
  if (probe) {
    cl.mode = Mode::kProbe;
    return cl;
  }
  if (cleanup) {
    cl.mode = Mode::kCleanup;
    return cl;
  }
  if (serve) {
    if (cl.request.box_id < 0 || cl.request.box_id > kMaxBoxId) {
      return Status(ErrorCode::kInvalidArgument,
                    "--serve needs --box-id in [0, " + std::to_string(kMaxBoxId) + "]");
    }
    cl.mode = Mode::kServe;
    return cl;
  }
  NOJ_RETURN_IF_ERROR(Validate(cl.request));
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
  num("--box-kib", r.limits.box_kib);
  num("--inodes", r.limits.inodes);
  num("--open-files", r.limits.open_files);
  auto str = [&a](const char* flag, const std::string& v) {
    if (v.empty()) return;
    a.push_back(flag);
    a.push_back(v);
  };
  str("--stdin", r.stdin_path);
  str("--stdout", r.stdout_path);
  str("--stderr", r.stderr_path);
  if (r.stdin_fd >= 0) num("--stdin-fd", r.stdin_fd);
  if (r.stdout_fd >= 0) num("--stdout-fd", r.stdout_fd);
  for (const BindMount& b : r.ro_binds) str("--ro-bind", b.source + ":" + b.target);
  for (const std::string& kv : r.env) str("--env", kv);
  std::string require;
  for (const std::string& n : r.require) require += (require.empty() ? "" : ",") + n;
  str("--require", require);
  if (r.insecure) a.push_back("--insecure");
  if (r.box_mode == BoxMode::kReadonly) a.push_back("--box-readonly");
  if (r.box_mode == BoxMode::kScratch) a.push_back("--scratch");
  str("--collect", r.collect_dir);
  str("--cgroup-parent", r.cgroup_parent);
  a.push_back("--");
  a.insert(a.end(), r.argv.begin(), r.argv.end());
  return a;
}

}  // namespace noj::sandbox
