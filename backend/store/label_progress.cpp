#include "backend/store/label_progress.h"

#include <string>

namespace vietllm::store {

LabelProgress labelProgress(const ProjectStore& store, std::int64_t annotator_id) {
    Database& db = store.database();
    const std::string done = std::string("'") + kDoneLabel + "'";
    const std::string skipped = std::string("'") + kSkippedLabel + "'";
    // Per record: does it carry done, skipped, or any ordinary label by this annotator?
    Statement statement(db,
                        "SELECT (SELECT count(*) FROM record), "
                        "coalesce(sum(is_done), 0), coalesce(sum(is_skipped AND NOT is_done), 0), "
                        "coalesce(sum(has_labels AND NOT is_done AND NOT is_skipped), 0) FROM ("
                        "SELECT record_id, max(name = " +
                            done + ") AS is_done, max(name = " + skipped +
                            ") AS is_skipped, max(name NOT IN (" + done + ", " + skipped +
                            ") AND message_id IS NULL) AS has_labels "
                            "FROM label WHERE annotator_id = ? GROUP BY record_id)");
    statement.bindInt(1, annotator_id).step();
    return {statement.columnInt(0), statement.columnInt(1), statement.columnInt(2), statement.columnInt(3)};
}

}  // namespace vietllm::store
