#include "callbacks/webhook_signature.h"

#include <gtest/gtest.h>

#include "common/crypto.h"
#include "support/status_matchers.h"

namespace noj::callbacks {
namespace {

using ::noj::testing::StatusIs;

TEST(Base64, StandardAlphabetWithPadding) {
  EXPECT_EQ(crypto::Base64Encode(""), "");
  EXPECT_EQ(crypto::Base64Encode("f"), "Zg==");
  EXPECT_EQ(crypto::Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(crypto::Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(crypto::Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(crypto::Base64Encode("\xfb\xff"), "+/8=");
  for (std::string s : {"", "f", "fo", "foo", "foob", "fooba", "foobar", "\xfb\xff"})
    EXPECT_EQ(crypto::Base64Decode(crypto::Base64Encode(s)), s);
  EXPECT_EQ(crypto::Base64Decode("+/8="), std::string("\xfb\xff"));
  for (const char* bad : {"Zg", "Zg=", "Z===", "Zm9v!A==", "Zg==Zg==", "Zm 9", "-_8="})
    EXPECT_EQ(crypto::Base64Decode(bad), std::nullopt) << bad;
}

// The Standard Webhooks specification's example, recomputed with Python's standard library:
//   import hmac, hashlib, base64
//   key = base64.b64decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
//   msg = b'msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{"test": 2432232314}'
//   "v1," + base64.b64encode(hmac.new(key, msg, hashlib.sha256).digest()).decode()
//   -> 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='
TEST(WebhookSignature, MatchesTheStandardWebhooksVector) {
  ASSERT_OK_AND_ASSIGN(WebhookKey key, WebhookKey::Parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
  const std::string body = R"({"test": 2432232314})";
  EXPECT_EQ(key.Sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  // The prefix is optional (as in the reference libraries).
  ASSERT_OK_AND_ASSIGN(WebhookKey bare, WebhookKey::Parse("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
  EXPECT_EQ(bare.Sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}

TEST(WebhookSignature, VerifyRoundTripAndRejections) {
  const std::string secret = GenerateWebhookSecret();
  ASSERT_EQ(secret.rfind("whsec_", 0), 0u);
  ASSERT_EQ(crypto::Base64Decode(secret.substr(6))->size(), 32u);
  ASSERT_OK_AND_ASSIGN(WebhookKey key, WebhookKey::Parse(secret));
  ASSERT_OK_AND_ASSIGN(WebhookKey other, WebhookKey::Parse(GenerateWebhookSecret()));
  const std::string body = R"({"submission_id":"s1","status":0})";
  const std::string sig = key.Sign("msg_jb_1", 1700000000, body);

  EXPECT_TRUE(Verify(key, "msg_jb_1", 1700000000, body, sig));
  // One of several (key rotation): any match passes; other versions are skipped.
  EXPECT_TRUE(Verify(key, "msg_jb_1", 1700000000, body, "v1,AAAA v1a,xyz " + sig));
  EXPECT_FALSE(Verify(other, "msg_jb_1", 1700000000, body, sig));  // wrong secret
  EXPECT_FALSE(Verify(key, "msg_jb_2", 1700000000, body, sig));    // other id
  EXPECT_FALSE(Verify(key, "msg_jb_1", 1700000001, body, sig));    // other timestamp
  EXPECT_FALSE(Verify(key, "msg_jb_1", 1700000000, body + " ", sig));
  EXPECT_FALSE(Verify(key, "msg_jb_1", 1700000000, body, ""));
  EXPECT_FALSE(Verify(key, "msg_jb_1", 1700000000, body, sig.substr(3)));  // no "v1,"
}

TEST(WebhookSignature, BadSecretsAreRefusedWithoutEchoingThem) {
  for (const char* bad : {"", "whsec_", "whsec_not base64!", "whsec_c2hvcnQ=" /* 5 bytes */}) {
    auto key = WebhookKey::Parse(bad);
    EXPECT_THAT(key, StatusIs(ErrorCode::kInvalidArgument)) << bad;
    if (!key.ok() && std::string(bad).size() > 6) {
      EXPECT_EQ(key.status().message().find(std::string(bad).substr(6)), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace noj::callbacks
