#include "dispatch/topics.h"

namespace noj::dispatch {
namespace {

constexpr std::string_view kJobsPrefix = "jobs@";
constexpr std::string_view kSubmissionPrefix = "submission:";
constexpr std::string_view kRevokedPrefix = "runner-revoked:";

bool StartsWith(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

struct TopicVisitor {
  std::pair<std::string, int> operator()(const JobsAvailable& m) const {
    if (!m.requirements) return {kJobsTopic, m.count};
    return {std::string(kJobsPrefix) + api::RequirementsKey(*m.requirements), m.count};
  }
  std::pair<std::string, int> operator()(const SubmissionFinal& m) const {
    return {SubmissionTopic(m.submission_id), -1};
  }
  std::pair<std::string, int> operator()(const RunnerRevoked& m) const {
    return {std::string(kRevokedPrefix) + m.runner_id, -1};
  }
};

}  // namespace

std::string SubmissionTopic(const std::string& submission_id) {
  return std::string(kSubmissionPrefix) + submission_id;
}

std::pair<std::string, int> TopicOf(const Message& message) {
  return std::visit(TopicVisitor{}, message);
}

std::optional<Message> MessageOfTopic(const std::string& topic, int count) {
  if (topic == kJobsTopic) return Message(JobsAvailable{std::nullopt, count});
  if (StartsWith(topic, kJobsPrefix))
    // A class key this node cannot read still announces jobs: any runner may look.
    return Message(
        JobsAvailable{api::RequirementsFromKey(topic.substr(kJobsPrefix.size())), count});
  if (StartsWith(topic, kSubmissionPrefix))
    return Message(SubmissionFinal{topic.substr(kSubmissionPrefix.size())});
  if (StartsWith(topic, kRevokedPrefix))
    return Message(RunnerRevoked{topic.substr(kRevokedPrefix.size())});
  return std::nullopt;
}

}  // namespace noj::dispatch
