#pragma once
// Job records of recipe steps, kept in a small JSON file next to each step's output
// (OUT.job.json), beside the step's response cache (OUT.cache.sqlite). A record says when the
// step started and finished, what it was asked to do (a hash of its expanded settings), the
// SHA-256 of its inputs and of its output, and its summary (counts, endpoint usage and cost).
// A re-run trusts a finished step only when all of that still matches the files on disk, so a
// changed input, setting or a touched output makes the step run again. Files beside the data,
// not the project, keep jobs runnable without a project; `data run --project` copies each
// record into the project's data_job table too.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vietllm::databuild {

struct JobFileHash {
    std::string path;
    std::string sha256;  ///< empty when the file is missing
};

struct JobRecord {
    std::string recipe;         ///< recipe name
    std::string step_id;        ///< the step's id in the recipe
    std::string step;           ///< translate, harvest, ...
    std::string status;         ///< "running" or "finished"
    std::string started_at;     ///< ISO 8601 UTC
    std::string finished_at;    ///< empty while running
    std::string config_sha256;  ///< of the step's expanded settings
    std::vector<JobFileHash> inputs;
    JobFileHash output;
    nlohmann::ordered_json summary = nlohmann::ordered_json::object();
};

/// SHA-256 (hex) of bytes.
std::string sha256Hex(std::string_view bytes);
/// SHA-256 (hex) of a file's bytes, or of a folder (every regular file below it, by sorted
/// relative path: the path, then the bytes). Empty when the path does not exist.
std::string sha256OfPath(const std::string& path);

/// The job record file of a step writing `output_path`: OUT.job.json.
std::string jobRecordPath(const std::string& output_path);

/// The record's JSON form.
nlohmann::ordered_json toJson(const JobRecord& record);
/// Reads a job record file; nullopt when it is absent or not a job record (it is then rewritten).
std::optional<JobRecord> readJobRecord(const std::string& path);
/// Writes a job record file atomically.
void writeJobRecord(const std::string& path, const JobRecord& record);

/// The current time as ISO 8601 UTC ("2026-01-31T12:00:00Z").
std::string utcNow();

}  // namespace vietllm::databuild
