#include "integration/callback_receiver.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <set>
#include <thread>

namespace noj::testing {

std::string CallbackReceiverScript() { return CALLBACK_RECEIVER_PY; }

CallbackReceiver::CallbackReceiver(std::string secrets_json, std::string dir)
    : secrets_json_(std::move(secrets_json)),
      events_path_(dir + "/callback-events.jsonl"),
      mode_path_(dir + "/callback-mode") {}

CallbackReceiver::~CallbackReceiver() { Kill(); }

bool CallbackReceiver::Start(std::string* error) {
  std::vector<std::string> args = {"python3",       CallbackReceiverScript(),
                                   "--port",        std::to_string(port_),
                                   "--secret-file", secrets_json_,
                                   "--out",         events_path_,
                                   "--mode-file",   mode_path_};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int out[2];
  if (pipe(out) != 0) return false;
  pid_ = fork();
  if (pid_ == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlives a crashed test
    dup2(out[1], 1);
    close(out[0]);
    close(out[1]);
    execvp(argv[0], argv.data());
    _exit(127);
  }
  close(out[1]);
  FILE* f = fdopen(out[0], "r");
  char line[256];
  bool ok = false;
  if (fgets(line, sizeof line, f) != nullptr) {
    int port = 0;
    if (std::sscanf(line, "listening on 127.0.0.1:%d", &port) == 1) {
      port_ = port;
      ok = true;
    }
  }
  fclose(f);
  if (!ok) {
    if (error) *error = "the callback receiver did not start";
    Kill();
  }
  return ok;
}

void CallbackReceiver::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

void CallbackReceiver::SetMode(const std::string& mode) {
  std::string tmp = mode_path_ + ".tmp";
  std::ofstream(tmp) << mode;
  std::rename(tmp.c_str(), mode_path_.c_str());  // a request never reads half a mode
}

std::vector<CallbackReceiver::Event> CallbackReceiver::Events() const {
  std::vector<Event> out;
  std::ifstream in(events_path_);
  std::string line;
  while (std::getline(in, line)) {
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(line, ec);
    if (ec || !v.is_object()) continue;  // a line being written
    const boost::json::object& o = v.as_object();
    Event e;
    if (auto* id = o.if_contains("id"); id && id->is_string()) e.id = id->as_string();
    if (auto* d = o.if_contains("duplicate"); d && d->is_bool()) e.duplicate = d->as_bool();
    if (auto* s = o.if_contains("submission_id"); s && s->is_string())
      e.submission_id = s->as_string();
    if (auto* s = o.if_contains("status"); s && s->is_int64())
      e.status = static_cast<int>(s->as_int64());
    if (auto* s = o.if_contains("score"); s && s->is_int64())
      e.score = static_cast<int>(s->as_int64());
    out.push_back(std::move(e));
  }
  return out;
}

size_t CallbackReceiver::DistinctEvents() const {
  std::set<std::string> ids;
  for (const Event& e : Events()) ids.insert(e.id);
  return ids.size();
}

bool CallbackReceiver::WaitForDistinct(size_t n, int timeout_s) const {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  while (std::chrono::steady_clock::now() < deadline) {
    if (DistinctEvents() >= n) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return DistinctEvents() >= n;
}

}  // namespace noj::testing
