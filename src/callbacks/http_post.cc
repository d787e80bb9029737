#include "callbacks/http_post.h"

#include <curl/curl.h>
#include <sys/socket.h>

#include <algorithm>
#include <mutex>

#include "common/curl_handles.h"

namespace noj::callbacks {
namespace {

using curl_raii::EasyHandle;
using curl_raii::GlobalInit;
using curl_raii::HeaderList;

// What the callbacks see during one transfer.
struct Transfer {
  const CallbackAllowList* allow = nullptr;
  const CallbackUrl* url = nullptr;
  size_t max_bytes = 0;
  size_t received = 0;
  bool cut = false;
  std::string refused_ip;  // the last address the allow-list refused
};

// The body is not kept (nothing reads it); only counted, and cut past the limit.
size_t OnWrite(char*, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t len = size * n;
  if (t->received + len > t->max_bytes) {
    t->cut = true;
    return 0;  // libcurl stops with CURLE_WRITE_ERROR
  }
  t->received += len;
  return len;
}

// Connect time: the address after DNS is what is checked (a name resolving to 127.0.0.1 or
// 169.254.169.254 is refused here even though the name passed the submit-time check).
curl_socket_t OnOpenSocket(void* user, curlsocktype purpose, curl_sockaddr* address) {
  auto* t = static_cast<Transfer*>(user);
  if (purpose != CURLSOCKTYPE_IPCXN) return CURL_SOCKET_BAD;
  if (!t->allow->AddressAllowed(*t->url, &address->addr)) {
    auto ip = IpOf(&address->addr);
    t->refused_ip = ip ? IpToString(*ip) : "(not an IP address)";
    return CURL_SOCKET_BAD;
  }
  return socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

class CurlHttpPost final : public HttpPost {
 public:
  CurlHttpPost(const CallbackAllowList& allow, HttpPostOptions options, EasyHandle h)
      : allow_(allow), options_(std::move(options)), h_(std::move(h)) {}

  Outcome Post(const PostRequest& r) override {
    curl_easy_reset(h_.get());  // keeps the connection cache
    Transfer t{.allow = &allow_, .url = &r.url, .max_bytes = options_.max_response_bytes};
    HeaderList headers = BuildHeaders(r);
    char errbuf[CURL_ERROR_SIZE] = {};
    Configure(r, headers.get(), &t, errbuf);
    CURLcode rc = curl_easy_perform(h_.get());
    curl_easy_setopt(h_.get(), CURLOPT_ERRORBUFFER, nullptr);  // errbuf dies with this call
    long status = 0;
    curl_easy_getinfo(h_.get(), CURLINFO_RESPONSE_CODE, &status);
    Outcome out;
    out.body_cut = t.cut;
    if (rc == CURLE_OK || (t.cut && status > 0)) {
      out.result.http_status = static_cast<int>(status);
      if (status >= 300 && status < 400)
        out.result.error = "HTTP " + std::to_string(status) + " (redirects are not followed)";
      else if (!out.result.ok())
        out.result.error = "HTTP " + std::to_string(status);
      return out;
    }
    out.result.error = TransportError(rc, t, errbuf);
    return out;
  }

 private:
  std::string TransportError(CURLcode rc, const Transfer& t, const char* errbuf) const {
    if (!t.refused_ip.empty()) return "address not allowed: " + t.refused_ip;
    std::string detail = errbuf[0] != '\0' ? errbuf : curl_easy_strerror(rc);
    switch (rc) {
      case CURLE_OPERATION_TIMEDOUT:
        return "timeout after " + std::to_string(options_.timeout_ms) + " ms";
      case CURLE_COULDNT_RESOLVE_HOST:
        return "resolve: " + detail;
      case CURLE_COULDNT_CONNECT:
        return "connect: " + detail;
      default:
        return detail;
    }
  }

  HeaderList BuildHeaders(const PostRequest& r) const {
    curl_slist* list = nullptr;
    auto add = [&list](const std::string& line) {
      curl_slist* next = curl_slist_append(list, line.c_str());
      if (next != nullptr) list = next;
    };
    add("Content-Type: application/json");
    add("webhook-id: " + std::string(r.webhook_id));
    add("webhook-timestamp: " + std::to_string(r.webhook_timestamp_s));
    add("webhook-signature: " + std::string(r.webhook_signature));
    add("Expect:");  // no 100-continue round trip for bodies over 1 KiB
    return HeaderList(list);
  }

  void Configure(const PostRequest& r, curl_slist* headers, Transfer* t, char* errbuf) const {
    CURL* h = h_.get();
    curl_easy_setopt(h, CURLOPT_URL, r.url.text.c_str());
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_PROXY, "");  // never a proxy from http_proxy & co.
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, 0L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_USERAGENT, options_.user_agent.c_str());
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout_ms));
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(std::min(options_.connect_timeout_ms, options_.timeout_ms)));
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &OnWrite);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, t);
    curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, &OnOpenSocket);
    curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, t);
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, r.body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
  }

  const CallbackAllowList& allow_;
  const HttpPostOptions options_;
  EasyHandle h_;
};

}  // namespace

Result<std::unique_ptr<HttpPost>> HttpPost::Create(const CallbackAllowList& allow,
                                                   HttpPostOptions options) {
  NOJ_RETURN_IF_ERROR(GlobalInit());
  EasyHandle h(curl_easy_init());
  if (!h) return InternalError("curl_easy_init failed");
  return std::unique_ptr<HttpPost>(
      std::make_unique<CurlHttpPost>(allow, std::move(options), std::move(h)));
}

}  // namespace noj::callbacks
