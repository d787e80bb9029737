#pragma once
// RAII and the one global init for libcurl's handles, shared by every libcurl user (the runner's
// client, the callback deliverer). Header only: only those that link libcurl include it.

#include <curl/curl.h>

#include <memory>
#include <mutex>
#include <string>

#include "common/status.h"

namespace noj::curl_raii {

struct EasyDeleter {
  void operator()(CURL* h) const { curl_easy_cleanup(h); }
};
using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;

struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using HeaderList = std::unique_ptr<curl_slist, SlistDeleter>;

// curl_global_init, once per process (it is not thread-safe to call twice at once).
inline Status GlobalInit() {
  static std::once_flag once;
  static CURLcode rc = CURLE_OK;
  std::call_once(once, [] { rc = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (rc != CURLE_OK)
    return InternalError(std::string("curl_global_init: ") + curl_easy_strerror(rc));
  return Status::Ok();
}

}  // namespace noj::curl_raii
