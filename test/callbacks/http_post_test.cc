// HttpPost against a real HTTP server on 127.0.0.1 (test_http_server.h).
#include "callbacks/http_post.h"

#include <gtest/gtest.h>

#include "callbacks/test_http_server.h"
#include "common/clock.h"
#include "support/status_matchers.h"

namespace noj::callbacks {
namespace {

using testing::Received;
using testing::Reply;
using testing::TestHttpServer;

class HttpPostTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto l = CallbackAllowList::Parse({"127.0.0.1"});
    ASSERT_TRUE(l.ok());
    allow_ = std::move(*l);
  }

  HttpPost::Outcome PostTo(const std::string& url_text, HttpPostOptions options = {}) {
    auto url = ParseCallbackUrl(url_text);
    EXPECT_TRUE(url.ok()) << url.status().ToString();
    auto post = HttpPost::Create(allow_, options);
    EXPECT_TRUE(post.ok());
    return (*post)->Post({.url = *url,
                          .body = R"({"submission_id":"s1"})",
                          .webhook_id = "msg_jb_1",
                          .webhook_timestamp_s = 1700000000,
                          .webhook_signature = "v1,abc="});
  }

  CallbackAllowList allow_;
  TestHttpServer server_;
};

TEST_F(HttpPostTest, NoContentIsSuccessAndHeadersAreSent) {
  server_.SetHandler([](const Received&) { return Reply{.status = 204}; });
  HttpPost::Outcome out = PostTo(server_.Url("/hook?team=1"));
  EXPECT_TRUE(out.result.ok()) << out.result.error;
  EXPECT_EQ(out.result.http_status, 204);
  EXPECT_EQ(out.result.error, "");
  ASSERT_TRUE(server_.WaitForRequests(1));
  Received r = server_.requests().at(0);
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "/hook?team=1");
  EXPECT_EQ(r.body, R"({"submission_id":"s1"})");
  EXPECT_EQ(r.headers["content-type"], "application/json");
  EXPECT_EQ(r.headers["webhook-id"], "msg_jb_1");
  EXPECT_EQ(r.headers["webhook-timestamp"], "1700000000");
  EXPECT_EQ(r.headers["webhook-signature"], "v1,abc=");
  EXPECT_EQ(r.headers["user-agent"], "nojd-callbacks/1");
  EXPECT_EQ(r.headers.count("expect"), 0u);
}

TEST_F(HttpPostTest, ServerErrorIsAFailure) {
  server_.SetHandler([](const Received&) { return Reply{.status = 500, .body = "oops"}; });
  HttpPost::Outcome out = PostTo(server_.Url());
  EXPECT_FALSE(out.result.ok());
  EXPECT_EQ(out.result.http_status, 500);
  EXPECT_EQ(out.result.error, "HTTP 500");
}

TEST_F(HttpPostTest, RedirectIsNotFollowed) {
  TestHttpServer elsewhere;
  server_.SetHandler([&elsewhere](const Received&) {
    return Reply{.status = 302, .headers = {{"Location", elsewhere.Url("/stolen")}}};
  });
  HttpPost::Outcome out = PostTo(server_.Url());
  EXPECT_EQ(out.result.http_status, 302);
  EXPECT_EQ(out.result.error, "HTTP 302 (redirects are not followed)");
  EXPECT_TRUE(server_.WaitIdle());
  EXPECT_EQ(elsewhere.connections(), 0);
}

TEST_F(HttpPostTest, HugeResponseIsCutButItsStatusCounts) {
  constexpr size_t kHuge = 256u << 20;  // far beyond what socket buffers hold
  server_.SetHandler(
      [](const Received&) { return Reply{.status = 200, .huge_body_bytes = kHuge}; });
  HttpPost::Outcome out = PostTo(server_.Url());
  EXPECT_TRUE(out.body_cut);
  EXPECT_TRUE(out.result.ok()) << out.result.error;
  EXPECT_EQ(out.result.http_status, 200);
  ASSERT_TRUE(server_.WaitIdle());
  EXPECT_LT(server_.huge_bytes_sent(), kHuge);  // the client went away long before the end

  server_.SetHandler(
      [](const Received&) { return Reply{.status = 500, .huge_body_bytes = kHuge}; });
  HttpPost::Outcome failed = PostTo(server_.Url());
  EXPECT_TRUE(failed.body_cut);
  EXPECT_EQ(failed.result.error, "HTTP 500");
}

TEST_F(HttpPostTest, ServerThatNeverAnswersTimesOut) {
  server_.SetHandler([](const Received&) { return Reply{.hang = true}; });
  HttpPostOptions o;
  o.timeout_ms = 300;
  HttpPost::Outcome out = PostTo(server_.Url(), o);
  EXPECT_EQ(out.result.http_status, 0);
  EXPECT_EQ(out.result.error, "timeout after 300 ms");
  EXPECT_EQ(server_.requests().size(), 1u);  // it did arrive: the answer never came
}

TEST_F(HttpPostTest, RefusedConnection) {
  HttpPost::Outcome out =
      PostTo("http://127.0.0.1:" + std::to_string(testing::UnusedPort()) + "/hook");
  EXPECT_EQ(out.result.http_status, 0);
  EXPECT_EQ(out.result.error.rfind("connect: ", 0), 0u) << out.result.error;
}

TEST_F(HttpPostTest, AddressNotAllowedIsRefusedBeforeConnecting) {
  // A name the list allows (a wildcard) that resolves to loopback (curl resolves *.localhost
  // itself): the socket is never opened.
  auto l = CallbackAllowList::Parse({"*.localhost"});
  ASSERT_TRUE(l.ok());
  allow_ = std::move(*l);
  HttpPost::Outcome out =
      PostTo("http://hooks.localhost:" + std::to_string(server_.port()) + "/hook");
  EXPECT_EQ(out.result.http_status, 0);
  EXPECT_TRUE(out.result.error == "address not allowed: 127.0.0.1" ||
              out.result.error == "address not allowed: ::1")
      << out.result.error;
  EXPECT_EQ(server_.connections(), 0);

  // The same host as an exact entry: the operator meant it, loopback included.
  auto exact = CallbackAllowList::Parse({"hooks.localhost"});
  ASSERT_TRUE(exact.ok());
  allow_ = std::move(*exact);
  server_.SetHandler([](const Received&) { return Reply{.status = 204}; });
  HttpPost::Outcome ok = PostTo("http://hooks.localhost:" + std::to_string(server_.port()) + "/h");
  EXPECT_TRUE(ok.result.ok()) << ok.result.error;
}

TEST_F(HttpPostTest, OneHandleServesManyPosts) {
  server_.SetHandler([](const Received&) { return Reply{.status = 200, .body = "ok"}; });
  auto url = ParseCallbackUrl(server_.Url());
  ASSERT_TRUE(url.ok());
  auto post = HttpPost::Create(allow_);
  ASSERT_TRUE(post.ok());
  for (int i = 0; i < 5; ++i) {
    std::string id = "msg_" + std::to_string(i);
    auto out = (*post)->Post({.url = *url,
                              .body = "{}",
                              .webhook_id = id,
                              .webhook_timestamp_s = 1,
                              .webhook_signature = "v1,x"});
    EXPECT_TRUE(out.result.ok()) << out.result.error;
  }
  ASSERT_TRUE(server_.WaitForRequests(5));
  EXPECT_EQ(server_.requests().at(4).headers["webhook-id"], "msg_4");
}

}  // namespace
}  // namespace noj::callbacks
