#include "support/server_harness.h"

#include <spdlog/spdlog.h>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <variant>

#include "api/task_spec.h"
#include "common/clock.h"
#include "common/crypto.h"
#include "common/zip_archive.h"
#include "judge/aggregate.h"
#include "server/assemble.h"
#include "server/code_link.h"
#include "server/http/beast_request.h"
#include "server/http/respond.h"
#include "server/http/router.h"
#include "store/sqlite/sqlite_store.h"

namespace noj::fuzz {
namespace {

namespace bj = boost::json;
namespace http = boost::beast::http;

constexpr uint64_t kMaxBodyBytes = 1 << 20;  // the fuzz inputs are far smaller anyway

class FixedClock final : public Clock {
 public:
  int64_t NowMs() const override { return kNowMs; }
};

[[noreturn]] void Fail(const std::string& what, const std::string& target, int status,
                       const std::string& body) {
  std::fprintf(stderr, "\n*** noj fuzz invariant violated: %s\n*** request target: %s\n",
               what.c_str(), target.c_str());
  std::fprintf(stderr, "*** response status: %d\n*** response body (first 2000 bytes): %.2000s\n",
               status, body.c_str());
  std::abort();
}

template <typename T>
T Must(Result<T> r, const char* what) {
  if (!r.ok()) {
    std::fprintf(stderr, "fuzz harness: seeding failed at %s: %s\n", what,
                 r.status().ToString().c_str());
    std::abort();
  }
  return std::move(r).value();
}

void Must(const Status& s, const char* what) {
  if (!s.ok()) {
    std::fprintf(stderr, "fuzz harness: seeding failed at %s: %s\n", what, s.ToString().c_str());
    std::abort();
  }
}

store::RunnerRecord Runner(const char* id, const char* token, const char* name) {
  store::RunnerRecord r;
  r.runner_id = id;
  r.name = name;
  r.token_sha256 = crypto::Sha256Hex(token);
  r.registered_at = kNowMs - 60'000;
  r.last_seen = kNowMs - 1'000;
  r.expires_at = kNowMs + 86'400'000;
  return r;
}

store::NewSubmission Submission(const char* sid, const char* jb) {
  store::NewSubmission s;
  s.submission_id = sid;
  s.job_id = jb;
  s.problem_id = kProblemId;
  s.language = 1;
  s.code =
      "#include <cstdio>\nint main(){int "
      "a,b;std::scanf(\"%d%d\",&a,&b);std::printf(\"%d\",a+b);}\n";
  s.priority = 1;
  s.requirements = {s.language, 0};  // a plain problem
  return s;
}

// One server, wired by the factory nojd uses (server::Assemble), on a fresh seeded store.
struct World {
  FixedClock clock;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<server::Assembly> assembly;
  server::Router* router = nullptr;

  World() {
    store = Must(store::sqlite::OpenSqliteStore(":memory:"), "open");
    Seed();
    server::ServerConfig config;
    config.public_url = "http://127.0.0.1:8080";
    config.registration_token = kRegistrationToken;
    config.api_token = kApiToken;
    config.sandbox_token = kSandboxToken;
    config.max_body_bytes = kMaxBodyBytes;
    server::Secrets secrets{kRegistrationToken, kApiToken, kSandboxToken, kCodeUrlKey};
    assembly = server::Assemble(config, secrets, *store, clock);
    router = &assembly->router;
  }

  void Seed() {
    api::TaskSpecs tasks{{40, 1, 65536, 1000}, {60, 2, 65536, 1000}};
    int64_t pid = Must(store->CreateProblem({"A+B", tasks}, kNowMs - 3'600'000), "problem");
    if (pid != kProblemId) Fail("seeded problem id is not 1", "(seed)", 0, "");
    std::string zip = Must(zip::Build({{"0000.in", "1 2\n"},
                                       {"0000.out", "3\n"},
                                       {"0100.in", "2 2\n"},
                                       {"0100.out", "4\n"},
                                       {"0101.in", "-1 1\n"},
                                       {"0101.out", "0\n"}}),
                           "zip");
    Must(store->PutTestdata(kProblemId, zip, crypto::Md5Hex(zip), false, kNowMs - 3'500'000),
         "testdata");
    int64_t bare =
        Must(store->CreateProblem({"bare", {{100, 1, 65536, 1000}}}, kNowMs - 3'400'000), "bare");
    if (bare != kBareProblemId) Fail("seeded bare problem id is not 2", "(seed)", 0, "");
    Must(store->RegisterRunner(Runner(kRunnerId, kRunnerToken, "fuzz-1")), "runner");
    Must(store->RegisterRunner(Runner(kOtherRunnerId, kOtherRunnerToken, "fuzz-2")), "runner 2");

    store::LeasePolicy lease{3'600'000, 3};
    // Judged: enqueued, claimed by kRunnerId, completed (AC everywhere, with outputs).
    Must(store->Enqueue(Submission(kJudgedSubmission, kJudgedJob), kNowMs - 600'000), "enqueue");
    auto claim = Must(store->Claim(kRunnerId, {}, lease, kNowMs - 590'000), "claim judged");
    if (!claim.job || claim.job->job_id != kJudgedJob) Fail("seed claim", "(seed)", 0, "");
    api::CaseResult ac{api::Verdict::kAC, 0, 12, 1024, "3\n", ""};
    api::ReportedCases cases{{ac}, {ac, ac}};
    store::CompletionRequest done;
    done.runner_id = kRunnerId;
    done.job_id = kJudgedJob;
    done.attempt = claim.job->attempts;
    done.result = judge::Aggregate(tasks, cases);
    done.outputs = judge::TruncatedOutputs(cases, 64 * 1024);
    Must(store->Complete(done, kNowMs - 580'000), "complete");
    // Leased: claimed by kRunnerId, lease valid for an hour of the fixed clock.
    Must(store->Enqueue(Submission(kLeasedSubmission, kLeasedJob), kNowMs - 120'000), "enqueue 2");
    claim = Must(store->Claim(kRunnerId, {}, lease, kNowMs - 110'000), "claim leased");
    if (!claim.job || claim.job->job_id != kLeasedJob) Fail("seed claim 2", "(seed)", 0, "");
    // Pending: what the next claim hands out.
    Must(store->Enqueue(Submission(kPendingSubmission, kPendingJob), kNowMs - 60'000), "enqueue 3");
  }
};

bool PatternMatches(const std::vector<std::string>& parts,
                    const std::vector<std::string>& segments) {
  if (parts.size() != segments.size()) return false;
  for (size_t k = 0; k < parts.size(); ++k)
    if (parts[k].front() != '{' && parts[k] != segments[k]) return false;
  return true;
}

// The bias of each target toward its area: a path outside the area is replaced by one of the
// area's routes (picked by a hash of the raw target), its {params} filled with the request's own
// segments in order. Method, query, headers and body stay as fuzzed.
void KeepInArea(const Area& area, server::Request& req) {
  std::vector<std::vector<std::string>> routes;
  for (const std::string& p : area.patterns) routes.push_back(server::SplitPattern(p));
  for (const auto& parts : routes)
    if (PatternMatches(parts, req.segments)) return;
  if (routes.empty()) return;
  size_t h = 0;
  for (char c : req.target) h = h * 31 + static_cast<unsigned char>(c);
  const auto& parts = routes[h % routes.size()];
  std::vector<std::string> segments;
  size_t next = 0;
  for (const std::string& part : parts) {
    if (part.front() == '{')
      segments.push_back(next < req.segments.size() ? req.segments[next++] : std::string());
    else
      segments.push_back(part);
  }
  req.segments = std::move(segments);
}

// What must hold for every response, whatever the request was.
void CheckResponse(const server::Response& resp, const server::Request& req,
                   std::string_view raw_request) {
  const std::string& t = req.target;
  switch (resp.status) {
    case 200:
    case 201:
    case 202:
    case 204:
    case 400:
    case 401:
    case 403:
    case 404:
    case 405:
    case 409:
    case 413:
    case 415:
      break;
    default:
      // 500: a bug by definition (the store is in memory and healthy); 503 likewise.
      Fail("unexpected HTTP status " + std::to_string(resp.status), t, resp.status, resp.body);
  }
  if (resp.status == 204 && !resp.body.empty()) Fail("204 with a body", t, resp.status, resp.body);
  bool is_json = resp.content_type == "application/json";
  std::optional<bj::value> parsed;
  if (is_json && !resp.body.empty()) {
    boost::system::error_code ec;
    bj::value v = bj::parse(resp.body, ec);
    if (ec) Fail("application/json body is not JSON", t, resp.status, resp.body);
    parsed = std::move(v);
  }
  if (resp.status >= 400) {
    // protocol.md §1: every error is the envelope {"status":"err","message":…,"data":…}.
    if (!is_json || !parsed || !parsed->is_object())
      Fail("error response is not a JSON object", t, resp.status, resp.body);
    const bj::object& o = parsed->as_object();
    const bj::value* st = o.if_contains("status");
    const bj::value* msg = o.if_contains("message");
    if (st == nullptr || !st->is_string() || st->as_string() != "err" || msg == nullptr ||
        !msg->is_string() || msg->as_string().empty() || !o.contains("data"))
      Fail("error response is not the envelope", t, resp.status, resp.body);
  }
  // Secrets never leave the server (unless the request itself carried them, e.g. echoed ids).
  for (const char* secret :
       {kApiToken, kRegistrationToken, kSandboxToken, kCodeUrlKey, kRunnerToken, kOtherRunnerToken})
    if (resp.body.find(secret) != std::string::npos &&
        raw_request.find(secret) == std::string_view::npos)
      Fail(std::string("a secret appears in the response: ") + secret, t, resp.status, resp.body);
}

}  // namespace

std::string ValidCodeLinkTarget() {
  int64_t expires = kNowMs / 1000 + 3600;
  return "/code/" + std::string(kJudgedSubmission) + "?expires=" + std::to_string(expires) +
         "&sig=" + server::SignCodeLink(kCodeUrlKey, kJudgedSubmission, expires);
}

int RunHttpInput(const Area& area, const uint8_t* data, size_t size) {
  static bool quiet = [] {
    spdlog::set_level(spdlog::level::off);  // handlers log every event; the fuzzer needs none
    return true;
  }();
  (void)quiet;
  // A fresh world for inputs after one that changed state (a 2xx or a long-poll), so that each
  // input meets the same seeded store and a crash reproduces from its input alone.
  static std::unique_ptr<World> world;
  static bool dirty = true;
  if (dirty) {
    world.reset();
    world = std::make_unique<World>();
    dirty = false;
  }

  std::string_view raw(reinterpret_cast<const char*>(data), size);
  http::request_parser<http::string_body> parser;
  parser.eager(true);
  parser.header_limit(32 * 1024);
  parser.body_limit(kMaxBodyBytes);
  boost::beast::error_code ec;
  size_t offset = 0;
  while (!parser.is_done() && offset < size) {
    size_t n = parser.put(boost::asio::buffer(data + offset, size - offset), ec);
    if (ec || n == 0) break;
    offset += n;
  }
  if (!parser.got_some()) return 0;  // nothing that looks like a request: the server just waits
  if (ec == http::error::need_more || (!ec && !parser.is_done())) {
    ec = {};
    parser.put_eof(ec);
  }
  // The server answers parse errors itself (400/413/431) without reaching the router.
  if (ec || !parser.is_done()) return 0;

  bool target_ok = true;
  server::Request req = server::FromBeast(parser.get(), target_ok);
  if (!target_ok) return 0;  // the server's 400 "malformed request target"; no handler runs
  KeepInArea(area, req);
  static const bool trace = std::getenv("NOJ_FUZZ_TRACE") != nullptr;
  server::HandlerResult hr = world->router->Dispatch(req);
  if (trace) {
    const auto* r = std::get_if<server::Response>(&hr);
    std::fprintf(stderr, "noj-fuzz: %s %s -> %s %.300s\n", req.method.c_str(), req.target.c_str(),
                 r ? std::to_string(r->status).c_str() : "long-poll", r ? r->body.c_str() : "");
  }
  if (auto* lp = std::get_if<server::LongPoll>(&hr)) {
    dirty = true;
    if (lp->topic.empty() || !lp->retry || !lp->on_timeout)
      Fail("long-poll without topic or callbacks", req.target, 0, "");
    // The connection would retry after a wake-up, then time out: run both once, at once.
    std::optional<server::Response> r = lp->retry();
    if (r) CheckResponse(*r, req, raw);
    CheckResponse(lp->on_timeout(), req, raw);
  } else {
    const auto& resp = std::get<server::Response>(hr);
    CheckResponse(resp, req, raw);
    if (resp.status < 300) dirty = true;
  }
  return 0;
}

}  // namespace noj::fuzz
