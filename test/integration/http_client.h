#pragma once
// A blocking HTTP/1.1 test client on libcurl: one request per call, keep-alive across calls.

#include <map>
#include <string>
#include <vector>

namespace noj::testing {

struct HttpResult {
  int status = 0;  // 0 = transport error
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string error;
};

class HttpClient {
 public:
  explicit HttpClient(std::string base_url);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  HttpResult Send(const std::string& method, const std::string& path, const std::string& body = "",
                  const std::vector<std::string>& headers = {}, long timeout_ms = 40000);
  HttpResult Get(const std::string& path, const std::vector<std::string>& headers = {}) {
    return Send("GET", path, "", headers);
  }

 private:
  std::string base_;
  void* curl_;
};

}  // namespace noj::testing
