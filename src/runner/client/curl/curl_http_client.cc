#include "runner/client/curl/curl_http_client.h"

#include <curl/curl.h>

#include <mutex>
#include <vector>

#include "common/curl_handles.h"
#include "common/thread_annotations.h"

namespace noj::runner::client::curl {
namespace {

using curl_raii::EasyHandle;
using curl_raii::GlobalInit;
using curl_raii::HeaderList;

// What the callbacks see during one transfer.
struct Transfer {
  std::string body;
  uint64_t max_bytes = 0;
  bool too_large = false;
  std::stop_token stop;
};

size_t OnWrite(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t len = size * n;
  if (t->body.size() + len > t->max_bytes) {
    t->too_large = true;
    return 0;  // makes libcurl fail with CURLE_WRITE_ERROR
  }
  t->body.append(data, len);
  return len;
}

int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<Transfer*>(user)->stop.stop_requested() ? 1 : 0;  // 1 aborts the transfer
}

class CurlHttpClient final : public HttpClient {
 public:
  explicit CurlHttpClient(CurlOptions options) : options_(std::move(options)) {}

  Result<HttpResponse> Send(const HttpRequest& request, std::stop_token stop) override {
    if (stop.stop_requested()) return AbortedError("request cancelled");
    EasyHandle h = Acquire();
    if (!h) return InternalError("curl_easy_init failed");
    Transfer t{
        .body = {}, .max_bytes = request.max_response_bytes, .too_large = false, .stop = stop};
    HeaderList headers = BuildHeaders(request);
    Configure(h.get(), request, headers.get(), &t);
    CURLcode rc = curl_easy_perform(h.get());
    long status = 0;
    curl_easy_getinfo(h.get(), CURLINFO_RESPONSE_CODE, &status);
    Release(std::move(h));
    if (rc == CURLE_OK) return HttpResponse{static_cast<int>(status), std::move(t.body)};
    if (rc == CURLE_ABORTED_BY_CALLBACK || stop.stop_requested())
      return AbortedError("request cancelled");
    if (t.too_large)
      return ResourceExhaustedError("response larger than " + std::to_string(t.max_bytes) +
                                    " bytes from " + request.method + " " + Redact(request.url));
    if (rc == CURLE_URL_MALFORMAT || rc == CURLE_UNSUPPORTED_PROTOCOL)
      return InvalidArgumentError(std::string(curl_easy_strerror(rc)) + ": " + Redact(request.url));
    return UnavailableError(request.method + " " + Redact(request.url) + ": " +
                            curl_easy_strerror(rc));
  }

 private:
  // Query strings may carry signatures or tokens: never log them.
  static std::string Redact(const std::string& url) { return url.substr(0, url.find('?')); }

  HeaderList BuildHeaders(const HttpRequest& request) const {
    curl_slist* list = nullptr;
    auto add = [&list](const std::string& line) {
      curl_slist* next = curl_slist_append(list, line.c_str());
      if (next != nullptr) list = next;
    };
    for (const auto& [k, v] : request.headers) add(k + ": " + v);
    if (request.method != "GET") add("Content-Type: " + request.content_type);
    add("Expect:");  // no 100-continue round trip
    return HeaderList(list);
  }

  void Configure(CURL* h, const HttpRequest& r, curl_slist* headers, Transfer* t) const {
    curl_easy_setopt(h, CURLOPT_URL, r.url.c_str());
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_USERAGENT, options_.user_agent.c_str());
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(r.timeout.count()));
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(options_.connect_timeout.count()));
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &OnWrite);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, t);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, &OnProgress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, t);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");  // any encoding libcurl supports
    if (r.method == "GET") {
      curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    } else {
      if (r.method != "POST") curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, r.method.c_str());
      curl_easy_setopt(h, CURLOPT_POST, 1L);
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, r.body.data());
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
    }
  }

  EasyHandle Acquire() {
    {
      MutexLock lock(&mu_);
      if (!idle_.empty()) {
        EasyHandle h = std::move(idle_.back());
        idle_.pop_back();
        return h;
      }
    }
    return EasyHandle(curl_easy_init());
  }

  void Release(EasyHandle h) {
    curl_easy_reset(h.get());  // keeps the connection cache
    MutexLock lock(&mu_);
    if (idle_.size() < kMaxIdle) idle_.push_back(std::move(h));
  }

  static constexpr size_t kMaxIdle = 16;
  const CurlOptions options_;
  Mutex mu_;
  std::vector<EasyHandle> idle_ GUARDED_BY(mu_);
};

}  // namespace

Result<std::unique_ptr<HttpClient>> MakeCurlHttpClient(const CurlOptions& options) {
  NOJ_RETURN_IF_ERROR(GlobalInit());
  return std::unique_ptr<HttpClient>(std::make_unique<CurlHttpClient>(options));
}

}  // namespace noj::runner::client::curl
