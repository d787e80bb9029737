// Problems beyond Normal-OJ's over HTTP against a real nojd (judging.md §1-§2): the meta keys of
// POST /problems, shown by GET /problems/{pid} and served after `tasks` by GET /problem/{pid}/meta
// with a checksum that covers them, and testdata packages (ContextIO, checker/, interactor/, the
// other folders) accepted or refused with every issue listed.

#include <algorithm>
#include <map>

#include "common/crypto.h"
#include "common/json_util.h"
#include "common/zip_archive.h"
#include "integration/nojd_fixture.h"
#include "support/zip_forge.h"

namespace noj::testing {
namespace {

constexpr const char* kOneTask =
    R"({"taskScore":100,"caseCount":2,"memoryLimit":65536,"timeLimit":1000})";

std::string Zip(const std::vector<zip::Entry>& entries) {
  auto z = zip::Build(entries);
  EXPECT_TRUE(z.ok()) << z.status().ToString();
  return z.ok() ? *z : "";
}

std::vector<zip::Entry> SimpleCases() {
  return {{"0000.in", "1\n"}, {"0000.out", "1\n"}, {"0001.in", "2\n"}, {"0001.out", "2\n"}};
}

std::vector<std::string> Keys(const bj::object& o) {
  std::vector<std::string> keys;
  for (const auto& kv : o) keys.emplace_back(kv.key());
  return keys;
}

class ProblemPackageTest : public NojdTest {
 protected:
  // POST /problems with one task of two cases and the given extra keys ("" for none).
  int64_t Create(const std::string& meta_keys) {
    std::string body = std::string(R"({"title":"P","tasks":[)") + kOneTask + "]" +
                       (meta_keys.empty() ? "" : "," + meta_keys) + "}";
    auto r = Api("POST", "/problems", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? Json(r).as_object().at("problem_id").as_int64() : 0;
  }
  HttpResult Upload(int64_t pid, const std::string& zip) {
    return http_->Send("PUT", "/problems/" + std::to_string(pid) + "/testdata", zip,
                       {ApiAuth(), "Content-Type: application/zip"});
  }
  bj::object Show(int64_t pid) {
    auto r = Api("GET", "/problems/" + std::to_string(pid));
    EXPECT_EQ(r.status, 200) << r.body;
    return Json(r).as_object();
  }
};

TEST_F(ProblemPackageTest, MetaIsShownAndServedAfterTasksAndCoveredByTheChecksum) {
  RunnerCreds rc = Register();
  const int64_t pid = Create(
      R"("languages":[2,1],"outputLimit":1048576,"checker":{"type":"float","abs":1e-6,"rel":1e-9})");
  bj::object shown = Show(pid);
  const std::vector<std::string> keys = Keys(shown);
  auto at = [&](const std::string& k) { return std::find(keys.begin(), keys.end(), k); };
  ASSERT_NE(at("tasks"), keys.end());
  EXPECT_EQ(at("checker"), at("tasks") + 1);
  EXPECT_EQ(at("outputLimit"), at("tasks") + 2);
  EXPECT_EQ(at("languages"), at("tasks") + 3);
  EXPECT_EQ(shown.at("checker"), (bj::object{{"type", "float"}, {"abs", 1e-6}, {"rel", 1e-9}}));
  EXPECT_EQ(shown.at("languages"), (bj::array{1, 2}));  // stored sorted
  EXPECT_EQ(shown.at("context_io"), false);

  const std::string zip = Zip(SimpleCases());
  auto up = Upload(pid, zip);
  ASSERT_EQ(up.status, 200) << up.body;
  auto meta = http_->Get("/problem/" + std::to_string(pid) + "/meta", {rc.auth()});
  ASSERT_EQ(meta.status, 200) << meta.body;
  bj::object data = Json(meta).as_object().at("data").as_object();
  EXPECT_EQ(Keys(data), (std::vector<std::string>{"tasks", "checker", "outputLimit", "languages"}));
  EXPECT_EQ(data.at("outputLimit"), 1048576);
  // The checksum is md5(zip + json.dumps(data)) over exactly the data served.
  const std::string expected = crypto::Md5Hex(zip + json::PythonDumps(data));
  EXPECT_EQ(Json(up).as_object().at("checksum"), bj::value(expected));
  auto sum = http_->Get("/problem/" + std::to_string(pid) + "/checksum", {rc.auth()});
  EXPECT_EQ(Json(sum).as_object().at("data"), bj::value(expected));
}

TEST_F(ProblemPackageTest, ADifferentCheckerGivesADifferentChecksum) {
  const std::string zip = Zip(SimpleCases());
  std::vector<std::string> sums;
  for (const std::string meta :
       {"", R"("checker":{"type":"default"})", R"("checker":{"type":"tokens"})",
        R"("checker":{"type":"exact"})", R"("checker":{"type":"float","abs":1e-6,"rel":0})",
        R"("checker":{"type":"float","abs":1e-5,"rel":0})"}) {
    auto up = Upload(Create(meta), zip);
    ASSERT_EQ(up.status, 200) << meta << ": " << up.body;
    sums.emplace_back(Json(up).as_object().at("checksum").as_string());
  }
  // An explicit default checker is the plain problem: the same meta, the same checksum.
  EXPECT_EQ(sums[0], sums[1]);
  const std::string plain_data = std::string(R"({"tasks": [{"taskScore": 100, "caseCount": 2, )") +
                                 R"("memoryLimit": 65536, "timeLimit": 1000}]})";
  EXPECT_EQ(sums[0], crypto::Md5Hex(zip + plain_data));
  for (size_t i = 2; i < sums.size(); ++i)
    for (size_t j = 0; j < i; ++j) EXPECT_NE(sums[i], sums[j]) << i << " vs " << j;
}

TEST_F(ProblemPackageTest, ContextIoPackageIsAcceptedAndRecorded) {
  const int64_t pid = Create(R"("checker":{"type":"tokens"})");
  auto up = Upload(pid, Zip({{"test-case/0000/STDIN", "1\n"},
                             {"test-case/0000/STDOUT", "1\n"},
                             {"test-case/0000/in/data.txt", "input file"},
                             {"test-case/0000/out/result.txt", "expected file"},
                             {"test-case/0001/STDIN", "2\n"},
                             {"test-case/0001/STDOUT", "2\n"},
                             {"chaos/seed", "42"},
                             {"share/dict.txt", "words"},
                             {"include/helper.h", "int helper();"}}));
  ASSERT_EQ(up.status, 200) << up.body;
  EXPECT_EQ(Json(up).as_object().at("context_io"), true);
  bj::object shown = Show(pid);
  EXPECT_EQ(shown.at("context_io"), true);
  EXPECT_EQ(shown.at("has_testdata"), true);
  // Replaced by a SimpleIO package: the flag follows.
  up = Upload(pid, Zip(SimpleCases()));
  ASSERT_EQ(up.status, 200) << up.body;
  EXPECT_EQ(Json(up).as_object().at("context_io"), false);
  EXPECT_EQ(Show(pid).at("context_io"), false);
}

TEST_F(ProblemPackageTest, CustomCheckerAndInteractorPackageIsAccepted) {
  const int64_t pid = Create(R"("checker":{"type":"custom"},"interactive":true)");
  std::vector<zip::Entry> entries = SimpleCases();
  entries.push_back({"checker/checker.cpp", "#include \"testlib.h\"\nint main(){}"});
  entries.push_back({"checker/testlib.h", "// testlib"});
  entries.push_back({"interactor/interactor.py", "print(1)"});
  auto up = Upload(pid, Zip(entries));
  ASSERT_EQ(up.status, 200) << up.body;
  bj::object shown = Show(pid);
  EXPECT_EQ(shown.at("checker"), (bj::object{{"type", "custom"}}));
  EXPECT_EQ(shown.at("interactive"), true);
}

TEST_F(ProblemPackageTest, RefusalListsEveryOffendingEntryAndChangesNothing) {
  const int64_t pid = Create("");
  auto first = Upload(pid, Zip(SimpleCases()));
  ASSERT_EQ(first.status, 200) << first.body;
  const bj::object before = Show(pid);
  std::vector<zip::Entry> entries = {{"0000.in", "1\n"},  // 0000.out, 0001.* missing
                                     {"../escape", "x"},
                                     {"checker/checker.cpp", "int main(){}"},
                                     {"share/link", "/etc/passwd", true},
                                     {"test-case/0000/STDIN", "1\n"}};
  auto up = Upload(pid, Zip(entries));
  ExpectErrorEnvelope(up, 400);
  bj::object data = Json(up).as_object().at("data").as_object();
  std::map<std::string, std::string> issues;
  for (const bj::value& v : data.at("issues").as_array())
    issues[std::string(v.at("entry").as_string())] = v.at("reason").as_string();
  for (const char* entry : {"../escape", "checker/checker.cpp", "share/link",
                            "test-case/0000/STDIN", "0000.out", "0001.in", "0001.out"})
    EXPECT_TRUE(issues.contains(entry)) << entry << " in " << up.body;
  EXPECT_EQ(issues.size(), 7u) << up.body;
  EXPECT_EQ(data.at("missing"), (bj::array{"0000.out", "0001.in", "0001.out"}));
  EXPECT_EQ(data.at("extra"),
            (bj::array{"../escape", "checker/checker.cpp", "share/link", "test-case/0000/STDIN"}));
  EXPECT_EQ(Show(pid), before);  // same checksum, same testdata
}

TEST_F(ProblemPackageTest, HugeDeclaredEntryIsRefusedByItsDeclaredSize) {
  const int64_t pid = Create("");
  std::vector<zip::Entry> entries = SimpleCases();
  entries.push_back({"share/big", std::string(4096, 'x')});
  // 300 MiB declared in the zip's headers; the data is 4 KiB: nothing that large is ever made.
  std::string zip = WithDeclaredSize(Zip(entries), "share/big", 300u << 20);
  ASSERT_FALSE(zip.empty());
  auto up = Upload(pid, zip);
  ExpectErrorEnvelope(up, 400);
  const bj::array issues = Json(up).as_object().at("data").as_object().at("issues").as_array();
  ASSERT_EQ(issues.size(), 1u) << up.body;
  EXPECT_EQ(issues[0].at("entry"), "share/big");
  EXPECT_NE(std::string(issues[0].at("reason").as_string()).find("more than 256 MiB per entry"),
            std::string::npos)
      << up.body;
  // Declared smaller than it is: the names pass, decompression catches the lie.
  up = Upload(pid, WithDeclaredSize(Zip(entries), "share/big", 100));
  ExpectErrorEnvelope(up, 400);
  EXPECT_NE(up.body.find("corrupt zip entry: share/big"), std::string::npos) << up.body;
  EXPECT_EQ(Show(pid).at("has_testdata"), false);
}

TEST_F(ProblemPackageTest, MetaErrorsNameTheKey) {
  auto r = Api("POST", "/problems",
               std::string(R"({"title":"x","tasks":[)") + kOneTask +
                   R"(],"checker":{"type":"float","abs":1e-6}})");
  ExpectErrorEnvelope(r, 400);
  EXPECT_NE(r.body.find("checker.rel"), std::string::npos) << r.body;
  ExpectErrorEnvelope(Api("GET", "/problems/1"), 404);  // nothing was created
}

}  // namespace
}  // namespace noj::testing
