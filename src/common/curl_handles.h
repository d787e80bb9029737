#pragma once
// RAII for libcurl's handles, shared by every libcurl user (the runner's client, the callback
// deliverer). Header only: only those that link libcurl include it.

#include <curl/curl.h>

#include <memory>

namespace noj::curl_raii {

struct EasyDeleter {
  void operator()(CURL* h) const { curl_easy_cleanup(h); }
};
using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;

struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using HeaderList = std::unique_ptr<curl_slist, SlistDeleter>;

}  // namespace noj::curl_raii
