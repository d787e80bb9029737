// The status page's files (GET /ui, /ui/{file}) and the runner's sandbox protections on
// GET /runners (an extension, docs/protocol.md), against a real nojd. The page itself is driven
// in a browser by test/ui.

#include <gmock/gmock.h>

#include "integration/nojd_fixture.h"

namespace noj::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using StatusPage = NojdTest;

constexpr char kProtections[] =
    "cgroup-mem=v2 cgroup-pids=v2 cgroup-cpu=v2 kill=cgroup ns=pid,mnt,net,ipc,uts netns=shared "
    "seccomp=yes landlock=scope uid=dedicated";

std::string Header(const HttpResult& r, const std::string& name) {
  auto it = r.headers.find(name);
  return it == r.headers.end() ? "" : it->second;
}

void ExpectStaticHeaders(const HttpResult& r) {
  EXPECT_EQ(Header(r, "cache-control"), "no-cache");
  EXPECT_EQ(Header(r, "x-content-type-options"), "nosniff");
  const std::string csp = Header(r, "content-security-policy");
  EXPECT_THAT(csp, HasSubstr("default-src 'self'"));
  EXPECT_THAT(csp, HasSubstr("script-src 'self'"));
  EXPECT_THAT(csp, HasSubstr("frame-ancestors 'none'"));
  EXPECT_THAT(csp, Not(HasSubstr("unsafe-inline")));
  EXPECT_THAT(csp, Not(HasSubstr("unsafe-eval")));
  EXPECT_FALSE(Header(r, "etag").empty());
}

TEST_F(StatusPage, PageAndFilesAreServedWithoutAuthWithTypesAndCsp) {
  struct File {
    std::string path, type, marker;
  };
  for (const File& f : {File{"/ui", "text/html; charset=utf-8", "<script src=\"ui/app.js\""},
                        File{"/ui/index.html", "text/html; charset=utf-8", "<!doctype html>"},
                        File{"/ui/format.js", "text/javascript; charset=utf-8", "NojFormat"},
                        File{"/ui/charts.js", "text/javascript; charset=utf-8", "NojCharts"},
                        File{"/ui/app.js", "text/javascript; charset=utf-8", "'use strict';"},
                        File{"/ui/app.css", "text/css; charset=utf-8", ":root"},
                        File{"/ui/favicon.svg", "image/svg+xml", "<svg"}}) {
    SCOPED_TRACE(f.path);
    auto r = http_->Get(f.path);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(Header(r, "content-type"), f.type);
    EXPECT_THAT(r.body, HasSubstr(f.marker));
    ExpectStaticHeaders(r);
  }
}

TEST_F(StatusPage, PageHasNoInlineScriptOrStyle) {
  auto r = http_->Get("/ui");
  ASSERT_EQ(r.status, 200);
  // The CSP forbids inline code; the page must not depend on it.
  EXPECT_THAT(r.body, Not(HasSubstr("<script>")));
  EXPECT_THAT(r.body, Not(HasSubstr("<style")));
  EXPECT_THAT(r.body, Not(HasSubstr(" style=")));
  EXPECT_THAT(r.body, Not(HasSubstr(" onclick=")));
  EXPECT_THAT(r.body, Not(HasSubstr("http://")));
  EXPECT_THAT(r.body, Not(HasSubstr("https://")));
}

TEST_F(StatusPage, UnchangedFileRevalidatesWith304) {
  auto first = http_->Get("/ui/app.js");
  ASSERT_EQ(first.status, 200);
  const std::string etag = Header(first, "etag");
  auto again = http_->Get("/ui/app.js", {"If-None-Match: " + etag});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(Header(again, "etag"), etag);
  EXPECT_EQ(http_->Get("/ui/app.js", {"If-None-Match: \"other\""}).status, 200);
}

TEST_F(StatusPage, TrailingSlashRedirectsToThePageAndUnknownFilesAre404) {
  auto r = http_->Get("/ui/");
  EXPECT_EQ(r.status, 301);
  EXPECT_EQ(Header(r, "location"), "../ui");
  for (const std::string path : {"/ui/nope.js", "/ui/..%2Fsecrets.json", "/ui/app.js/x"}) {
    SCOPED_TRACE(path);
    ExpectErrorEnvelope(http_->Get(path), 404);
  }
  ExpectErrorEnvelope(http_->Send("POST", "/ui", "{}"), 405);
}

TEST_F(StatusPage, RunnersListTheSandboxTheRunnerReported) {
  auto reg =
      http_->Send("POST", "/runners/register",
                  bj::serialize(bj::object{{"registration_token", nojd_->registration_token()},
                                           {"name", "tiered"},
                                           {"sandbox", kProtections}}));
  ASSERT_EQ(reg.status, 201) << reg.body;
  const std::string tiered(Json(reg).as_object().at("runner_id").as_string());
  const std::string plain = Register("plain").id;  // no sandbox field: still accepted

  auto r = Api("GET", "/runners");
  ASSERT_EQ(r.status, 200) << r.body;
  std::map<std::string, std::string> sandbox_of;
  const bj::value runners = Json(r);
  for (const bj::value& v : runners.as_array()) {
    const bj::object& o = v.as_object();
    ASSERT_TRUE(o.contains("sandbox")) << bj::serialize(o);
    sandbox_of[std::string(o.at("runner_id").as_string())] = o.at("sandbox").as_string();
  }
  EXPECT_EQ(sandbox_of[tiered], kProtections);
  EXPECT_EQ(sandbox_of[plain], "");
}

TEST_F(StatusPage, RegisterIgnoresASandboxFieldItCannotShow) {
  // Another runner may use the name for something else: ignored like an unknown field.
  const std::string too_long = "\"" + std::string(513, 'x') + "\"";
  for (const std::string& sandbox : {std::string("42"), std::string(R"(["ns"])"), too_long}) {
    SCOPED_TRACE(sandbox.substr(0, 20));
    auto r = http_->Send("POST", "/runners/register",
                         R"({"registration_token":")" + nojd_->registration_token() +
                             R"(","name":"odd","sandbox":)" + sandbox + "}");
    ASSERT_EQ(r.status, 201) << r.body;
  }
  auto r = Api("GET", "/runners");
  ASSERT_EQ(r.status, 200) << r.body;
  const bj::value runners = Json(r);
  ASSERT_EQ(runners.as_array().size(), 3u);
  for (const bj::value& v : runners.as_array()) EXPECT_EQ(v.as_object().at("sandbox"), "");
}

}  // namespace
}  // namespace noj::testing
