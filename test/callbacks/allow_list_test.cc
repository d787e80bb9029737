#include "callbacks/allow_list.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>

#include <cstring>

#include "support/status_matchers.h"

namespace noj::callbacks {
namespace {

using ::noj::testing::StatusIs;

CallbackUrl Url(const std::string& text) {
  auto u = ParseCallbackUrl(text);
  EXPECT_TRUE(u.ok()) << text << ": " << u.status().ToString();
  return u.ok() ? *u : CallbackUrl{};
}

CallbackAllowList List(const std::vector<std::string>& entries) {
  auto l = CallbackAllowList::Parse(entries);
  EXPECT_TRUE(l.ok()) << l.status().ToString();
  return l.ok() ? std::move(*l) : CallbackAllowList{};
}

// A sockaddr holding `ip` (IPv4 dotted or IPv6 text), as curl hands it to the socket callback.
struct Addr {
  sockaddr_storage ss{};
  explicit Addr(const std::string& ip) {
    if (ip.find(':') == std::string::npos) {
      auto* in = reinterpret_cast<sockaddr_in*>(&ss);
      in->sin_family = AF_INET;
      inet_pton(AF_INET, ip.c_str(), &in->sin_addr);
    } else {
      auto* in6 = reinterpret_cast<sockaddr_in6*>(&ss);
      in6->sin6_family = AF_INET6;
      inet_pton(AF_INET6, ip.c_str(), &in6->sin6_addr);
    }
  }
  const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&ss); }
};

TEST(CallbackAllowList, BadEntriesAreNamed) {
  for (const char* bad : {"", "exa mple.com", "*.", "a.*.com", "10.0.0.0/33", "fd00::/129",
                          "example.com:0", "example.com:70000", "[::1", "[example.com]:80",
                          "10.0.0.0/8:80", ".example.com", "example.com:x"}) {
    auto l = CallbackAllowList::Parse({"ok.example.com", bad});
    EXPECT_THAT(l, StatusIs(ErrorCode::kInvalidArgument)) << bad;
    if (!l.ok()) {
      EXPECT_NE(l.status().message().find(std::string("\"") + bad + "\""), std::string::npos)
          << l.status().message();
    }
  }
}

TEST(CallbackAllowList, EmptyListAllowsNothing) {
  CallbackAllowList l = List({});
  EXPECT_TRUE(l.empty());
  EXPECT_THAT(l.CheckUrl(Url("https://example.com/")), StatusIs(ErrorCode::kInvalidArgument));
}

TEST(CallbackAllowList, ExactHostsAndPorts) {
  CallbackAllowList l = List({"OJ.example.com", "api.example.org:8443"});
  EXPECT_OK(l.CheckUrl(Url("https://oj.example.com/a")));
  EXPECT_OK(l.CheckUrl(Url("http://oj.example.com:9000/a")));  // no port in the entry: any
  EXPECT_OK(l.CheckUrl(Url("https://api.example.org:8443/x")));
  EXPECT_THAT(l.CheckUrl(Url("https://api.example.org/x")),  // 443 is not 8443
              StatusIs(ErrorCode::kInvalidArgument));
  EXPECT_THAT(l.CheckUrl(Url("https://sub.oj.example.com/")),
              StatusIs(ErrorCode::kInvalidArgument));
  EXPECT_THAT(l.CheckUrl(Url("https://example.com/")), StatusIs(ErrorCode::kInvalidArgument));
  EXPECT_THAT(l.CheckUrl(Url("https://oj.example.com.evil.net/")),
              StatusIs(ErrorCode::kInvalidArgument));
}

TEST(CallbackAllowList, WildcardMatchesSubdomainsOnly) {
  CallbackAllowList l = List({"*.example.com", "*.hooks.net:8080"});
  EXPECT_OK(l.CheckUrl(Url("https://a.example.com/")));
  EXPECT_OK(l.CheckUrl(Url("https://a.b.example.com/")));
  EXPECT_THAT(l.CheckUrl(Url("https://example.com/")), StatusIs(ErrorCode::kInvalidArgument));
  EXPECT_THAT(l.CheckUrl(Url("https://badexample.com/")), StatusIs(ErrorCode::kInvalidArgument));
  EXPECT_OK(l.CheckUrl(Url("http://x.hooks.net:8080/")));
  EXPECT_THAT(l.CheckUrl(Url("http://x.hooks.net/")), StatusIs(ErrorCode::kInvalidArgument));
}

TEST(CallbackAllowList, IpLiteralsNeedAnIpOrCidrEntry) {
  CallbackAllowList l =
      List({"10.0.0.0/8", "192.168.1.5:8080", "fd00::/8", "[::1]:9000", "example.com"});
  EXPECT_OK(l.CheckUrl(Url("http://10.200.3.4/")));
  EXPECT_THAT(l.CheckUrl(Url("http://11.0.0.1/")), StatusIs(ErrorCode::kInvalidArgument));
  EXPECT_OK(l.CheckUrl(Url("http://192.168.1.5:8080/")));
  EXPECT_THAT(l.CheckUrl(Url("http://192.168.1.5/")), StatusIs(ErrorCode::kInvalidArgument));
  EXPECT_OK(l.CheckUrl(Url("http://[fd12::1]/")));
  EXPECT_THAT(l.CheckUrl(Url("http://[fe80::1]/")), StatusIs(ErrorCode::kInvalidArgument));
  EXPECT_OK(l.CheckUrl(Url("http://[::1]:9000/")));
  EXPECT_THAT(l.CheckUrl(Url("http://[::1]:9001/")), StatusIs(ErrorCode::kInvalidArgument));
  // A host name entry never lets an IP literal through.
  EXPECT_THAT(l.CheckUrl(Url("http://93.184.216.34/")), StatusIs(ErrorCode::kInvalidArgument));
}

TEST(CallbackAllowList, NonPublicRanges) {
  for (const char* ip : {"127.0.0.1",
                         "127.255.0.9",
                         "10.1.2.3",
                         "172.16.0.1",
                         "172.31.255.255",
                         "192.168.0.1",
                         "100.64.0.1",
                         "169.254.169.254",
                         "0.0.0.0",
                         "0.1.2.3",
                         "224.0.0.1",
                         "255.255.255.255",
                         "::1",
                         "::",
                         "fe80::1",
                         "fc00::1",
                         "fd12:3456::1",
                         "ff02::1",
                         "::ffff:127.0.0.1",
                         "::ffff:169.254.169.254",
                         "::ffff:10.0.0.1",
                         "64:ff9b::a00:1"}) {
    auto parsed = ParseIp(ip);
    ASSERT_TRUE(parsed) << ip;
    EXPECT_TRUE(IsNonPublic(*parsed)) << ip;
  }
  for (const char* ip : {"93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1",
                         "2606:2800:220:1:248:1893:25c8:1946", "::ffff:8.8.8.8"}) {
    auto parsed = ParseIp(ip);
    ASSERT_TRUE(parsed) << ip;
    EXPECT_FALSE(IsNonPublic(*parsed)) << ip;
  }
}

TEST(CallbackAllowList, ConnectTimeRefusesPrivateAddressesUnlessAllowed) {
  CallbackAllowList l = List({"*.example.com", "hooks.internal", "10.9.0.0/16"});
  CallbackUrl wild = Url("https://api.example.com/");
  // A public name resolving to a public address: fine; to a private one (DNS rebinding, the
  // metadata address, loopback): refused, IPv4-mapped forms too.
  EXPECT_TRUE(l.AddressAllowed(wild, Addr("93.184.216.34").get()));
  EXPECT_TRUE(l.AddressAllowed(wild, Addr("2606:2800:220:1::1").get()));
  for (const char* ip : {"127.0.0.1", "169.254.169.254", "10.0.0.1", "192.168.1.1", "::1",
                         "::ffff:127.0.0.1", "::ffff:169.254.169.254", "fd00::1", "fe80::1"})
    EXPECT_FALSE(l.AddressAllowed(wild, Addr(ip).get())) << ip;
  // Covered by a CIDR entry: allowed, whatever the name.
  EXPECT_TRUE(l.AddressAllowed(wild, Addr("10.9.1.2").get()));
  EXPECT_TRUE(l.AddressAllowed(wild, Addr("::ffff:10.9.1.2").get()));
  EXPECT_FALSE(l.AddressAllowed(wild, Addr("10.8.1.2").get()));
  // An exact host-name entry: the operator meant that host wherever it resolves.
  CallbackUrl exact = Url("http://hooks.internal:8080/");
  EXPECT_TRUE(l.AddressAllowed(exact, Addr("192.168.7.7").get()));
  EXPECT_TRUE(l.AddressAllowed(exact, Addr("127.0.0.1").get()));
  // A url the list does not allow is never connected to.
  EXPECT_FALSE(l.AddressAllowed(Url("https://evil.net/"), Addr("93.184.216.34").get()));
  // Not an IP family.
  sockaddr unix_addr{};
  unix_addr.sa_family = AF_UNIX;
  EXPECT_FALSE(l.AddressAllowed(wild, &unix_addr));
}

TEST(CallbackAllowList, IpLiteralUrlOfAPrivateAddress) {
  CallbackAllowList l = List({"127.0.0.1"});
  CallbackUrl u = Url("http://127.0.0.1:8080/hook");
  EXPECT_OK(l.CheckUrl(u));
  EXPECT_TRUE(l.AddressAllowed(u, Addr("127.0.0.1").get()));
  EXPECT_TRUE(l.AddressAllowed(u, Addr("::ffff:127.0.0.1").get()));
  EXPECT_FALSE(l.AddressAllowed(u, Addr("127.0.0.2").get()));
}

TEST(CallbackAllowList, AllowExactAddsTheOperatorsDefault) {
  CallbackAllowList l = List({});
  CallbackUrl def = Url("http://backend.local:5000/judge-results");
  l.AllowExact(def);
  EXPECT_OK(l.CheckUrl(def));
  EXPECT_THAT(l.CheckUrl(Url("http://backend.local:5001/")), StatusIs(ErrorCode::kInvalidArgument));
  EXPECT_TRUE(l.AddressAllowed(def, Addr("10.0.0.7").get()));

  CallbackUrl ip = Url("http://[fd00::5]:5000/");
  l.AllowExact(ip);
  EXPECT_OK(l.CheckUrl(ip));
  EXPECT_TRUE(l.AddressAllowed(ip, Addr("fd00::5").get()));
  EXPECT_FALSE(l.AddressAllowed(ip, Addr("fd00::6").get()));
}

}  // namespace
}  // namespace noj::callbacks
