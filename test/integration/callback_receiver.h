#pragma once
// The example receiver (examples/callback_receiver/receiver.py) as a real process for the
// callback tests: it verifies each POST's Standard Webhooks signature with nojd's secret (401
// otherwise, which nojd retries: an unsigned or wrongly signed delivery never lands), dedups by
// webhook-id and records every accepted POST as a JSON line. Stopped by PID when this dies.

#include <sys/types.h>

#include <string>
#include <vector>

namespace noj::testing {

class CallbackReceiver {
 public:
  // `secrets_json`: nojd's secrets file (its callback_secret); `dir`: where the events and mode
  // files live.
  CallbackReceiver(std::string secrets_json, std::string dir);
  ~CallbackReceiver();
  CallbackReceiver(const CallbackReceiver&) = delete;
  CallbackReceiver& operator=(const CallbackReceiver&) = delete;

  // Starts it (on the port it had before, after the first start) and waits for its "listening"
  // line. False (with a reason) on failure.
  bool Start(std::string* error = nullptr);
  void Kill();  // SIGKILL and wait: down, as a crashed back-end

  // How it answers from the next request on: "ok" (204), "500", "410", "redirect", "hang",
  // "slow" (receiver.py's doc).
  void SetMode(const std::string& mode);

  struct Event {
    std::string id;  // webhook-id
    bool duplicate = false;
    std::string submission_id;
    int status = -1;
    int score = 0;
  };
  std::vector<Event> Events() const;  // every accepted POST, in arrival order
  // Distinct event ids accepted so far.
  size_t DistinctEvents() const;
  // Waits until `n` distinct events arrived or `timeout_s` passed; true if they did.
  bool WaitForDistinct(size_t n, int timeout_s) const;

  std::string url(const std::string& path = "/noj") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  int port() const { return port_; }

 private:
  std::string secrets_json_;
  std::string events_path_;
  std::string mode_path_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// The receiver script (set by CMake).
std::string CallbackReceiverScript();

}  // namespace noj::testing
