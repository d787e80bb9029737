#include "callbacks/callback_url.h"

#include <gtest/gtest.h>

#include "support/status_matchers.h"

namespace noj::callbacks {
namespace {

using ::noj::testing::StatusIs;

TEST(CallbackUrl, ParsesHostPortAndDefaults) {
  ASSERT_OK_AND_ASSIGN(CallbackUrl u, ParseCallbackUrl("https://OJ.Example.com/api/judge?x=1"));
  EXPECT_EQ(u.scheme, "https");
  EXPECT_EQ(u.host, "oj.example.com");
  EXPECT_FALSE(u.host_is_ip);
  EXPECT_EQ(u.port, 443);
  EXPECT_EQ(u.text, "https://OJ.Example.com/api/judge?x=1");
  EXPECT_EQ(u.target(), "https://oj.example.com:443");

  ASSERT_OK_AND_ASSIGN(CallbackUrl v, ParseCallbackUrl("HTTP://10.1.2.3:8080/hook"));
  EXPECT_EQ(v.scheme, "http");
  EXPECT_EQ(v.host, "10.1.2.3");
  EXPECT_TRUE(v.host_is_ip);
  EXPECT_EQ(v.port, 8080);

  ASSERT_OK_AND_ASSIGN(CallbackUrl w, ParseCallbackUrl("http://[FD00:0::1]/x"));
  EXPECT_EQ(w.host, "fd00::1");  // canonical, no brackets
  EXPECT_TRUE(w.host_is_ip);
  EXPECT_EQ(w.port, 80);
  EXPECT_EQ(w.target(), "http://[fd00::1]:80");
}

TEST(CallbackUrl, RefusesWhatIsNotAPlainHttpTarget) {
  for (const char* bad : {
           "",                             // empty
           "/relative/path",               // not absolute
           "ftp://example.com/",           // scheme
           "file:///etc/passwd",           // scheme, no host
           "gopher://example.com/",        // scheme
           "http://user:pw@example.com/",  // userinfo
           "http://user@example.com/",     // userinfo
           "http://example.com/#frag",     // fragment
           "http:///nohost",               // no host
           "http://exa%6Dple.com/",        // percent-encoded host
           "http://2130706433/",           // a number: read as 127.0.0.1 by resolvers
           "http://0x7f.1/",               // hex IPv4
           "http://example.com:0/",        // port 0
           "http://example.com:99999/",    // port out of range
           "http://[v1.x]/",               // IPvFuture
           "not a url",
       }) {
    EXPECT_THAT(ParseCallbackUrl(bad), StatusIs(ErrorCode::kInvalidArgument)) << bad;
  }
}

TEST(CallbackUrl, RefusesOverlongUrls) {
  std::string ok = "http://example.com/" + std::string(kMaxCallbackUrlBytes - 19, 'a');
  ASSERT_EQ(ok.size(), kMaxCallbackUrlBytes);
  EXPECT_OK(ParseCallbackUrl(ok));
  EXPECT_THAT(ParseCallbackUrl(ok + "a"), StatusIs(ErrorCode::kInvalidArgument));
}

}  // namespace
}  // namespace noj::callbacks
