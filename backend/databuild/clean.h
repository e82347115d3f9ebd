#pragma once
// `data clean`: normalizes every text field, then drops records whose language is not the one
// wanted (user and assistant turns checked separately), that carry personal data (or redacts it),
// that are toxic, or that fail quality thresholds. Every dropped record goes to a side file with
// its reasons, so nothing disappears silently.

#include "backend/databuild/batch_pipeline.h"
#include "backend/text/normalize.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace vietllm::databuild {

enum class PiiPolicy {
    Invalid = 0,
    Redact,  ///< replace spans with <EMAIL>, <PHONE>, ... and keep the record
    Drop,    ///< drop records with any span (reason "pii")
    Keep,    ///< leave PII as it is
};

/// Parses "redact", "drop" or "keep"; PiiPolicy::Invalid otherwise.
PiiPolicy parsePiiPolicy(std::string_view name);

struct CleanOptions {
    bool normalize = true;
    text::NormalizeOptions normalize_options;
    /// Language every user and assistant turn must have (ISO 639-1); empty: no check.
    std::string lang = "vi";
    PiiPolicy pii = PiiPolicy::Redact;
    /// Drop when the toxicity score of some line exceeds this; 1 disables the check. The default
    /// keeps only strong hits: the lexicon scores harmless long answers above 0.5 (22 of the 1006
    /// LIMA-vi records: "DM" for Dungeon Master, "chó", "chết"), 3 above 0.9.
    double max_toxicity = 0.9;
    /// Drop when the share of valid Vietnamese syllables among the words of the record's prose is
    /// lower (only when lang is "vi" and the prose has at least 5 words); 0 disables.
    double min_vietnamese_syllable_ratio = 0.5;
    /// Drop when some field's prose repeats more than this share of its lines; 1 disables.
    double max_duplicate_line_ratio = 0.3;
    std::size_t min_chars = 1;  ///< every text field needs at least this many code points
    std::size_t max_chars = 0;  ///< all fields together at most this many code points; 0: no limit
};

/// What cleaning did to one record.
struct CleanResult {
    std::vector<std::string> reasons;  ///< why it is dropped; empty when kept
    nlohmann::ordered_json details = nlohmann::ordered_json::object();  ///< per reason, what was found
    bool normalized = false;                                            ///< normalization changed some text
    bool pii_redacted = false;                                          ///< some PII was redacted
};

/// Cleans one record in place (normalization, redaction) and says whether to drop it and why.
/// Thread-safe: records are cleaned on worker threads.
CleanResult cleanRecord(data::Record& record, const CleanOptions& options);

/// One clean run over files.
struct CleanJob {
    InputOptions input;
    std::string output_path;
    std::string dropped_path;  ///< side file of dropped records (default OUT.dropped.jsonl)
    data::Format output_format = data::Format::Messages;
    CleanOptions options;
};

/// Runs the job; returns the summary: counts read, kept, dropped and per reason.
nlohmann::ordered_json runClean(const CleanJob& job);

/// The options of a clean run as JSON (the summary and the dataset card list them).
nlohmann::ordered_json toJson(const CleanOptions& options);

}  // namespace vietllm::databuild
