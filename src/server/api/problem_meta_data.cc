#include "server/api/problem_meta_data.h"

#include "api/codec.h"
#include "common/crypto.h"
#include "common/json_util.h"

namespace noj::server {

boost::json::object ProblemMetaData(const api::TaskSpecs& tasks, const api::ProblemMeta& meta) {
  boost::json::array task_array;
  for (const api::TaskSpec& t : tasks) task_array.push_back(api::TaskSpecToMetaJson(t));
  boost::json::object data;
  data["tasks"] = std::move(task_array);
  api::AppendProblemMetaJson(meta, data);  // after tasks: boost::json::object keeps insertion order
  return data;
}

std::string TestdataChecksum(const std::string& zip, const api::TaskSpecs& tasks,
                             const api::ProblemMeta& meta) {
  return crypto::Md5Hex(zip + json::PythonDumps(ProblemMetaData(tasks, meta)));
}

}  // namespace noj::server
