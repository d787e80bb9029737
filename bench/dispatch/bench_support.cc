#include "bench_support.h"

#include <fcntl.h>
#include <hiredis/hiredis.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "common/zip_archive.h"
#include "judge/testdata_layout.h"

namespace noj::bench {

namespace bj = boost::json;

// ---------------------------------------------------------------- nojd processes

NojdServer::NojdServer(std::string binary, std::string data_dir, std::vector<std::string> flags)
    : binary_(std::move(binary)), data_dir_(std::move(data_dir)), flags_(std::move(flags)) {}

NojdServer::~NojdServer() { Stop(); }

bool NojdServer::Start(std::string* error) {
  std::vector<std::string> args = {binary_,   "--listen",    "127.0.0.1:0", "--data-dir",
                                   data_dir_, "--log-level", "warn"};
  for (const std::string& f : flags_) args.push_back(f);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::string log_path = data_dir_ + "/nojd.log";

  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) {
    *error = std::string("pipe: ") + std::strerror(errno);
    return false;
  }
  pid_t parent = getpid();
  pid_ = fork();
  if (pid_ < 0) {
    *error = std::string("fork: ") + std::strerror(errno);
    close(out[0]);
    close(out[1]);
    return false;
  }
  if (pid_ == 0) {
    // nojd takes SIGTERM as "shut down gracefully"; it gets one if the bench dies first.
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(126);
    dup2(out[1], 1);
    int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (log >= 0) dup2(log, 2);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out[1]);
  stdout_fd_ = out[0];
  // Read lines up to "nojd listening on http://127.0.0.1:PORT".
  std::string buf;
  char chunk[512];
  bool ok = false;
  while (!ok) {
    ssize_t n = read(stdout_fd_, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    buf.append(chunk, static_cast<size_t>(n));
    size_t at = buf.find("nojd listening on http://127.0.0.1:");
    if (at != std::string::npos && buf.find('\n', at) != std::string::npos) {
      port_ = std::atoi(buf.c_str() + at + std::strlen("nojd listening on http://127.0.0.1:"));
      ok = port_ > 0;
      if (!ok) break;
    }
  }
  if (!ok) {
    std::ifstream in(log_path);
    std::stringstream ss;
    ss << in.rdbuf();
    *error = "nojd (" + binary_ + ") did not start: " + ss.str().substr(0, 2000);
    Stop();
    return false;
  }
  // nojd prints little after this line; drain it anyway so it never blocks on a full pipe. The
  // reader ends when nojd exits (the write end closes).
  int fd = stdout_fd_;
  std::thread([fd] {
    char sink[512];
    while (true) {
      ssize_t n = read(fd, sink, sizeof sink);
      if (n > 0 || (n < 0 && errno == EINTR)) continue;
      break;
    }
    close(fd);
  }).detach();
  stdout_fd_ = -1;
  return true;
}

void NojdServer::Stop() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    int status = 0;
    bool gone = false;
    for (int i = 0; i < 1000 && !gone; ++i) {
      if (waitpid(pid_, &status, WNOHANG) == pid_)
        gone = true;
      else
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (!gone) {
      std::fprintf(stderr, "bench: nojd %d did not stop in 10 s; SIGKILL\n", pid_);
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
    }
    pid_ = -1;
  }
  if (stdout_fd_ >= 0) {
    close(stdout_fd_);
    stdout_fd_ = -1;
  }
}

// ---------------------------------------------------------------- /proc

double ProcessCpuMs(pid_t pid, double* user_ms, double* system_ms) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t rp = s.rfind(')');
  if (rp == std::string::npos) return -1;
  // After "pid (comm)": field 3 is state; utime and stime are fields 14 and 15.
  std::istringstream fields(s.substr(rp + 2));
  std::string f;
  unsigned long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && (fields >> f); ++i) {
    if (i == 14) utime = std::stoull(f);
    if (i == 15) stime = std::stoull(f);
  }
  double ms_per_tick = 1000.0 / static_cast<double>(sysconf(_SC_CLK_TCK));
  if (user_ms) *user_ms = static_cast<double>(utime) * ms_per_tick;
  if (system_ms) *system_ms = static_cast<double>(stime) * ms_per_tick;
  return static_cast<double>(utime + stime) * ms_per_tick;
}

int64_t ProcessStatusKib(pid_t pid, const char* field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  std::string want = std::string(field) + ":";
  while (std::getline(in, line))
    if (line.rfind(want, 0) == 0) return std::atoll(line.c_str() + want.size());
  return -1;
}

double SelfCpuMs() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto ms = [](const timeval& t) { return t.tv_sec * 1000.0 + t.tv_usec / 1000.0; };
  return ms(u.ru_utime) + ms(u.ru_stime);
}

// ---------------------------------------------------------------- statistics and tables

Percentiles Summarize(std::vector<double> v) {
  Percentiles p;
  p.n = v.size();
  if (v.empty()) return p;
  std::sort(v.begin(), v.end());
  auto at = [&](double q) {
    size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(v.size())));
    return v[std::min(v.size() - 1, rank == 0 ? 0 : rank - 1)];
  };
  p.p50 = at(0.50);
  p.p90 = at(0.90);
  p.p99 = at(0.99);
  p.max = v.back();
  return p;
}

std::string Fmt(double v, int decimals) {
  char b[64];
  std::snprintf(b, sizeof b, "%.*f", decimals, v);
  return b;
}

std::string FmtInt(int64_t v) {
  std::string digits = std::to_string(v < 0 ? -v : v);
  std::string out = v < 0 ? "-" : "";
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

void Table::Print() const {
  std::vector<size_t> w(header_.size(), 0);
  auto widen = [&](const std::vector<std::string>& r) {
    for (size_t i = 0; i < r.size() && i < w.size(); ++i) w[i] = std::max(w[i], r[i].size());
  };
  widen(header_);
  for (const auto& r : rows_) widen(r);
  auto line = [&](const std::vector<std::string>& r) {
    std::string s = "|";
    for (size_t i = 0; i < w.size(); ++i) {
      std::string c = i < r.size() ? r[i] : "";
      s += " " + c + std::string(w[i] - c.size(), ' ') + " |";
    }
    std::printf("%s\n", s.c_str());
  };
  line(header_);
  std::string sep = "|";
  for (size_t x : w) sep += std::string(x + 2, '-') + "|";
  std::printf("%s\n", sep.c_str());
  for (const auto& r : rows_) line(r);
  std::fflush(stdout);
}

// ---------------------------------------------------------------- the protocol

namespace {

std::optional<bj::object> ParseObject(const std::string& body) {
  boost::system::error_code ec;
  bj::value v = bj::parse(body, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.as_object());
}

// The complete body for a task shape, built once per shape.
const std::string& AllAcBody(const std::vector<int>& case_counts) {
  static std::mutex mu;
  static std::map<std::vector<int>, std::string> cache;
  std::lock_guard lock(mu);
  auto it = cache.find(case_counts);
  if (it != cache.end()) return it->second;
  bj::array tasks;
  for (int n : case_counts) {
    bj::array cases;
    for (int i = 0; i < n; ++i)
      cases.push_back(bj::object{{"status", "AC"},
                                 {"exitCode", 0},
                                 {"execTime", 1},
                                 {"memoryUsage", 1024},
                                 {"stdout", ""},
                                 {"stderr", ""}});
    tasks.push_back(std::move(cases));
  }
  return cache.emplace(case_counts, bj::serialize(bj::object{{"tasks", tasks}})).first->second;
}

}  // namespace

int CreateProblem(HttpClient& http, const std::string& api_auth, int64_t* problem_id) {
  // One task of one case: the smallest job, so the figures are the dispatch path's own cost.
  bj::array tasks{bj::object{
      {"taskScore", 100}, {"caseCount", 1}, {"memoryLimit", 65536}, {"timeLimit", 1000}}};
  auto r =
      http.Send("POST", "/problems",
                bj::serialize(bj::object{{"title", "bench A+B"}, {"tasks", tasks}}), {api_auth});
  if (r.status != 201) return r.status;
  auto o = ParseObject(r.body);
  if (!o || !o->contains("problem_id")) return -1;
  *problem_id = o->at("problem_id").to_number<int64_t>();
  auto zip = zip::Build(
      {{judge::CaseFileName(0, 0, "in"), "1 2\n"}, {judge::CaseFileName(0, 0, "out"), "3\n"}});
  if (!zip.ok()) return -1;
  auto up = http.Send("PUT", "/problems/" + std::to_string(*problem_id) + "/testdata", *zip,
                      {api_auth, "Content-Type: application/zip"});
  return up.status == 200 ? 201 : up.status;
}

int Register(HttpClient& http, const std::string& registration_token, const std::string& name,
             RunnerCreds* out) {
  auto r = http.Send(
      "POST", "/runners/register",
      bj::serialize(bj::object{{"registration_token", registration_token}, {"name", name}}));
  if (r.status != 201) return r.status;
  auto o = ParseObject(r.body);
  if (!o) return -1;
  out->id = std::string(o->at("runner_id").as_string());
  out->auth = "Authorization: Bearer " + std::string(o->at("token").as_string());
  return r.status;
}

int Submit(HttpClient& http, const std::string& api_auth, int64_t problem_id,
           std::string* submission_id) {
  auto r = http.Send("POST", "/submissions",
                     "{\"problem_id\":" + std::to_string(problem_id) +
                         ",\"language\":1,\"code\":\"int main(){}\",\"priority\":1}",
                     {api_auth});
  if (r.status != 201) return r.status;
  auto o = ParseObject(r.body);
  if (!o || !o->contains("submission_id")) return -1;
  *submission_id = std::string(o->at("submission_id").as_string());
  return r.status;
}

int Claim(HttpClient& http, const RunnerCreds& r, int wait_s, ClaimedJob* job) {
  std::string path = "/runners/" + r.id + "/next-job";
  if (wait_s > 0) path += "?wait=" + std::to_string(wait_s);
  auto res = http.Send("GET", path, "", {r.auth}, (wait_s + 15) * 1000L);
  if (res.status != 200) return res.status;
  auto o = ParseObject(res.body);
  if (!o) return -1;
  job->job_id = std::string(o->at("job_id").as_string());
  job->submission_id = std::string(o->at("submission_id").as_string());
  job->attempt = static_cast<int>(o->at("attempt").to_number<int64_t>());
  job->case_counts.clear();
  for (const bj::value& t : o->at("tasks").as_array())
    job->case_counts.push_back(
        static_cast<int>(t.as_object().at("caseCount").to_number<int64_t>()));
  return res.status;
}

int Complete(HttpClient& http, const RunnerCreds& r, const ClaimedJob& job) {
  return http
      .Send("PUT", "/runners/" + r.id + "/jobs/" + job.job_id + "/complete",
            AllAcBody(job.case_counts), {r.auth, "X-Job-Attempt: " + std::to_string(job.attempt)})
      .status;
}

int Heartbeat(HttpClient& http, const RunnerCreds& r, const std::vector<std::string>& job_ids) {
  bj::array ids;
  for (const auto& j : job_ids) ids.push_back(bj::value(j));
  return http
      .Send("POST", "/runners/" + r.id + "/heartbeat",
            bj::serialize(bj::object{{"active_job_ids", ids}}), {r.auth})
      .status;
}

bool QueueStats(HttpClient& http, const std::string& api_auth, int64_t* pending, int64_t* leased) {
  auto r = http.Send("GET", "/queue", "", {api_auth});
  if (r.status != 200) return false;
  auto o = ParseObject(r.body);
  if (!o) return false;
  *pending = o->at("pending_total").to_number<int64_t>();
  *leased = o->at("leased").to_number<int64_t>();
  return true;
}

// ---------------------------------------------------------------- Redis side channel

std::optional<RedisSide> RedisSide::Connect(const std::string& url, std::string* error) {
  auto u = boost::urls::parse_uri(url);
  if (!u || u->scheme() != "redis") {
    *error = "not a redis:// URL: " + url;
    return std::nullopt;
  }
  std::string host = u->host();
  int port = u->has_port() ? u->port_number() : 6379;
  timeval tv{2, 0};
  redisContext* c = redisConnectWithTimeout(host.c_str(), port, tv);
  if (c == nullptr || c->err) {
    *error = "cannot connect to Redis at " + host + ":" + std::to_string(port) +
             (c ? std::string(": ") + c->errstr : "");
    if (c) redisFree(c);
    return std::nullopt;
  }
  redisSetTimeout(c, tv);
  auto command_ok = [&](redisReply* r) {
    bool ok = r != nullptr && r->type != REDIS_REPLY_ERROR;
    if (!ok) *error = r ? std::string(r->str, r->len) : std::string(c->errstr);
    if (r) freeReplyObject(r);
    return ok;
  };
  std::string password = u->password();
  if (!password.empty() &&
      !command_ok(static_cast<redisReply*>(redisCommand(c, "AUTH %s", password.c_str())))) {
    redisFree(c);
    return std::nullopt;
  }
  std::string path = u->path();
  if (path.size() > 1 &&
      !command_ok(static_cast<redisReply*>(redisCommand(c, "SELECT %s", path.c_str() + 1)))) {
    redisFree(c);
    return std::nullopt;
  }
  return RedisSide(c);
}

RedisSide::~RedisSide() {
  if (ctx_) redisFree(static_cast<redisContext*>(ctx_));
}

std::string RedisSide::Info(const char* section) {
  auto* r =
      static_cast<redisReply*>(redisCommand(static_cast<redisContext*>(ctx_), "INFO %s", section));
  std::string out;
  if (r && r->type == REDIS_REPLY_STRING) out.assign(r->str, r->len);
  if (r) freeReplyObject(r);
  return out;
}

namespace {
double InfoField(const std::string& info, const std::string& key) {
  size_t at = info.find(key + ":");
  if (at == std::string::npos) return -1;
  return std::atof(info.c_str() + at + key.size() + 1);
}
}  // namespace

double RedisSide::CpuMs() {
  std::string info = Info("cpu");
  double u = InfoField(info, "used_cpu_user"), s = InfoField(info, "used_cpu_sys");
  return u < 0 || s < 0 ? -1 : (u + s) * 1000.0;
}

int64_t RedisSide::RssKib() {
  double rss = InfoField(Info("memory"), "used_memory_rss");
  return rss < 0 ? -1 : static_cast<int64_t>(rss / 1024);
}

int64_t RedisSide::CommandsProcessed() {
  double n = InfoField(Info("stats"), "total_commands_processed");
  return n < 0 ? -1 : static_cast<int64_t>(n);
}

int64_t RedisSide::DeletePrefix(const std::string& prefix) {
  auto* c = static_cast<redisContext*>(ctx_);
  std::string cursor = "0";
  std::string match = prefix + "*";
  int64_t deleted = 0;
  do {
    auto* r = static_cast<redisReply*>(
        redisCommand(c, "SCAN %s MATCH %s COUNT 1000", cursor.c_str(), match.c_str()));
    if (r == nullptr || r->type != REDIS_REPLY_ARRAY || r->elements != 2) {
      if (r) freeReplyObject(r);
      return deleted;
    }
    cursor.assign(r->element[0]->str, r->element[0]->len);
    redisReply* keys = r->element[1];
    if (keys->elements > 0) {
      std::vector<const char*> argv{"UNLINK"};
      std::vector<size_t> lens{6};
      for (size_t i = 0; i < keys->elements; ++i) {
        argv.push_back(keys->element[i]->str);
        lens.push_back(keys->element[i]->len);
      }
      auto* d = static_cast<redisReply*>(
          redisCommandArgv(c, static_cast<int>(argv.size()), argv.data(), lens.data()));
      if (d && d->type == REDIS_REPLY_INTEGER) deleted += d->integer;
      if (d) freeReplyObject(d);
    }
    freeReplyObject(r);
  } while (cursor != "0");
  return deleted;
}

std::string WithPrefix(const std::string& url, const std::string& prefix) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "prefix=" + prefix;
}

double MetricValue(HttpClient& http, const std::string& api_auth, const std::string& name) {
  HttpResult r = http.Get("/metrics", {api_auth});
  if (r.status != 200) return -1;
  size_t at = 0;
  while ((at = r.body.find(name, at)) != std::string::npos) {
    const bool line_start = at == 0 || r.body[at - 1] == '\n';
    const size_t after = at + name.size();
    if (line_start && after < r.body.size() && r.body[after] == ' ') {
      return std::atof(r.body.c_str() + after + 1);
    }
    at = after;
  }
  return -1;
}

}  // namespace noj::bench
