#include "runner/output_checker.h"

#include "judge/builtin_checker.h"
#include "runner/box_files.h"
#include "runner/fs_util.h"

namespace noj::runner {
namespace {

constexpr uint64_t kMaxAnswerBytes = uint64_t{1} << 31;

judge::BuiltinChecker BuiltinOf(api::CheckerKind kind) {
  switch (kind) {
    case api::CheckerKind::kExact:
      return judge::BuiltinChecker::kExact;
    case api::CheckerKind::kTokens:
      return judge::BuiltinChecker::kTokens;
    case api::CheckerKind::kFloat:
      return judge::BuiltinChecker::kFloat;
    default:
      return judge::BuiltinChecker::kDefault;
  }
}

// One text's outcome as the case's judgement; `label` names the text when a case has several.
OutputJudgement JudgementOf(const judge::CheckerOutcome& o, const std::string& label,
                            bool keep_accepted_message) {
  OutputJudgement j;
  switch (o.judgement) {
    case judge::CheckerJudgement::kAccepted:
      j.verdict = api::Verdict::kAC;
      break;
    case judge::CheckerJudgement::kWrongAnswer:
      j.verdict = api::Verdict::kWA;
      if (o.points > 0) j.points = o.points;
      break;
    case judge::CheckerJudgement::kJudgeError:
      j.verdict = api::Verdict::kJE;
      break;
  }
  if (j.verdict != api::Verdict::kAC || keep_accepted_message)
    j.message = judge::CleanMessage(label.empty() || o.message.empty() ? o.message
                                                                       : label + ": " + o.message);
  return j;
}

}  // namespace

OutputChecker::OutputChecker(const api::CheckerSpec& spec, CaseExecutor& executor,
                             const CompiledTool* custom, CheckerRunContext ctx,
                             int64_t max_output_bytes)
    : spec_(spec),
      executor_(executor),
      custom_(custom),
      ctx_(std::move(ctx)),
      max_output_bytes_(max_output_bytes) {}

Result<judge::CheckerOutcome> OutputChecker::CheckOne(const fs::path& input, const fs::path& actual,
                                                      const fs::path& answer,
                                                      std::stop_token stop) const {
  if (spec_.kind == api::CheckerKind::kCustom) {
    if (custom_ == nullptr) return InternalError("the custom checker was not compiled");
    return RunChecker(executor_, *custom_, input, actual, answer, ctx_, stop);
  }
  auto expected = ReadFile(answer, kMaxAnswerBytes);
  if (!expected.ok()) return InternalError("testdata: " + expected.status().message());
  std::string got = ReadFilePrefix(actual, static_cast<uint64_t>(max_output_bytes_) + 1);
  judge::CheckVerdict v =
      judge::Check(BuiltinOf(spec_.kind), {spec_.abs, spec_.rel}, *expected, got);
  return judge::CheckerOutcome{
      v.accepted ? judge::CheckerJudgement::kAccepted : judge::CheckerJudgement::kWrongAnswer,
      v.accepted ? 1.0 : 0.0, std::move(v.message)};
}

Result<OutputJudgement> OutputChecker::CheckCase(const CaseFiles& files,
                                                 const fs::path& stdout_file,
                                                 const fs::path& collected,
                                                 std::stop_token stop) const {
  const bool custom = spec_.kind == api::CheckerKind::kCustom;
  NOJ_ASSIGN_OR_RETURN(std::vector<std::string> out_files, ListFilesBelow(files.out_dir));
  const std::string stdout_label = out_files.empty() ? "" : "stdout";
  NOJ_ASSIGN_OR_RETURN(judge::CheckerOutcome first,
                       CheckOne(files.stdin_file, stdout_file, files.answer, stop));
  OutputJudgement result = JudgementOf(first, stdout_label, custom);
  if (result.verdict != api::Verdict::kAC) return result;
  for (const std::string& name : out_files) {
    const std::string label = "out/" + name;
    fs::path actual = collected / name;
    std::error_code ec;
    if (!fs::is_regular_file(fs::symlink_status(actual, ec))) {
      return OutputJudgement{api::Verdict::kWA, std::nullopt,
                             judge::CleanMessage("missing output file " + name)};
    }
    NOJ_ASSIGN_OR_RETURN(judge::CheckerOutcome o,
                         CheckOne(files.stdin_file, actual, files.out_dir / name, stop));
    OutputJudgement j = JudgementOf(o, label, custom);
    if (j.verdict != api::Verdict::kAC) return j;
  }
  return result;
}

}  // namespace noj::runner
