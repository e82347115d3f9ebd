#include "backend/databuild/clean.h"

#include "backend/common/utf8.h"
#include "backend/databuild/record_text.h"
#include "backend/text/langid.h"
#include "backend/text/pii.h"
#include "backend/text/quality.h"
#include "backend/text/toxicity.h"

#include <algorithm>
#include <map>

namespace vietllm::databuild {

namespace {

// The prose of the user turns and of the assistant turns (system messages are not judged).
struct RoleProse {
    std::string user;
    std::string assistant;
};

RoleProse collectProse(const data::Record& record) {
    RoleProse prose;
    forEachText(record, [&](data::Role role, const std::string& text) {
        if (role == data::Role::User) {
            prose.user += proseText(text);
        } else if (role == data::Role::Assistant) {
            prose.assistant += proseText(text);
        }
    });
    return prose;
}

// Adds "lang" when a role's prose is confidently another language; undecidable text ("und":
// numbers, symbols, nothing left outside code) passes.
void checkLanguage(const RoleProse& prose, const std::string& wanted, CleanResult& result) {
    nlohmann::ordered_json found = nlohmann::ordered_json::object();
    const auto check = [&](const char* role, const std::string& text) {
        if (text.find_first_not_of(" \n\t") == std::string::npos) {
            return;
        }
        const text::LanguageGuess guess = text::identifyLanguage(text);
        if (guess.lang != wanted && guess.lang != "und") {
            found[role] = guess.lang;
        }
    };
    check("user", prose.user);
    check("assistant", prose.assistant);
    if (!found.empty()) {
        result.reasons.emplace_back("lang");
        result.details["lang"] = found;
    }
}

void applyPiiPolicy(data::Record& record, PiiPolicy policy, CleanResult& result) {
    if (policy == PiiPolicy::Keep) {
        return;
    }
    std::map<std::string, std::size_t> types;
    forEachText(record, [&](data::Role, std::string& text) {
        const std::vector<text::PiiSpan> spans = text::findPii(text);
        if (spans.empty()) {
            return;
        }
        for (const text::PiiSpan& span : spans) {
            ++types[text::piiTypeName(span.type)];
        }
        if (policy == PiiPolicy::Redact) {
            text = text::redactPii(text, spans);
        }
    });
    if (types.empty()) {
        return;
    }
    if (policy == PiiPolicy::Drop) {
        result.reasons.emplace_back("pii");
        result.details["pii"] = types;
    } else {
        result.pii_redacted = true;
    }
}

void checkToxicity(const data::Record& record, double max_toxicity, CleanResult& result) {
    if (max_toxicity >= 1) {
        return;
    }
    // Scored line by line: the lexicon score adds up weak hits ("nó", "chó") over a long document,
    // while offensive language is local (on the LIMA-vi sample, whole-document scores drop 23
    // harmless answers at 0.5, line scores far fewer).
    double worst = 0;
    forEachText(record, [&](data::Role, const std::string& text) {
        std::size_t start = 0;
        while (start < text.size()) {
            const std::size_t end = std::min(text.find('\n', start), text.size());
            if (end > start) {
                worst = std::max(
                    worst, text::scoreToxicity(std::string_view(text).substr(start, end - start)).score);
            }
            start = end + 1;
        }
    });
    if (worst > max_toxicity) {
        result.reasons.emplace_back("toxicity");
        result.details["toxicity"] = worst;
    }
}

void checkQuality(const data::Record& record, const RoleProse& prose, const CleanOptions& options,
                  CleanResult& result) {
    if (options.lang == "vi" && options.min_vietnamese_syllable_ratio > 0) {
        const text::QualitySignals signals = text::computeQuality(prose.user + prose.assistant);
        if (signals.words >= 5 && signals.vietnamese_syllable_ratio < options.min_vietnamese_syllable_ratio) {
            result.reasons.emplace_back("vietnamese-syllable-ratio");
            result.details["vietnamese-syllable-ratio"] = signals.vietnamese_syllable_ratio;
        }
    }
    double worst_duplicates = 0;
    std::size_t shortest = std::string::npos;
    std::size_t total = 0;
    forEachText(record, [&](data::Role, const std::string& text) {
        const std::size_t chars = utf8::codePointCount(text);
        shortest = std::min(shortest, chars);
        total += chars;
        if (options.max_duplicate_line_ratio < 1) {
            worst_duplicates =
                std::max(worst_duplicates, text::computeQuality(proseText(text)).duplicate_line_ratio);
        }
    });
    if (worst_duplicates > options.max_duplicate_line_ratio && options.max_duplicate_line_ratio < 1) {
        result.reasons.emplace_back("duplicate-line-ratio");
        result.details["duplicate-line-ratio"] = worst_duplicates;
    }
    const bool too_short = shortest != std::string::npos && shortest < options.min_chars;
    const bool too_long = options.max_chars > 0 && total > options.max_chars;
    if (too_short || too_long) {
        result.reasons.emplace_back("length");
        result.details["length"] = {{"shortest_field_chars", shortest == std::string::npos ? 0 : shortest},
                                    {"total_chars", total}};
    }
}

}  // namespace

PiiPolicy parsePiiPolicy(std::string_view name) {
    if (name == "redact") return PiiPolicy::Redact;
    if (name == "drop") return PiiPolicy::Drop;
    if (name == "keep") return PiiPolicy::Keep;
    return PiiPolicy::Invalid;
}

CleanResult cleanRecord(data::Record& record, const CleanOptions& options) {
    CleanResult result;
    if (options.normalize) {
        forEachText(record, [&](data::Role, std::string& text) {
            std::string normalized = normalizeMultiline(text, options.normalize_options);
            if (normalized != text) {
                text = std::move(normalized);
                result.normalized = true;
            }
        });
    }
    const RoleProse prose = collectProse(record);
    if (!options.lang.empty()) {
        checkLanguage(prose, options.lang, result);
    }
    applyPiiPolicy(record, options.pii, result);
    checkToxicity(record, options.max_toxicity, result);
    checkQuality(record, prose, options, result);
    return result;
}

nlohmann::ordered_json toJson(const CleanOptions& options) {
    const char* pii = options.pii == PiiPolicy::Drop   ? "drop"
                      : options.pii == PiiPolicy::Keep ? "keep"
                                                       : "redact";
    return {{"normalize", options.normalize},
            {"tone_style",
             options.normalize_options.tone_style == text::ToneStyle::OnSecondVowel ? "hoà" : "hòa"},
            {"lang", options.lang},
            {"pii", pii},
            {"max_toxicity", options.max_toxicity},
            {"min_vietnamese_syllable_ratio", options.min_vietnamese_syllable_ratio},
            {"max_duplicate_line_ratio", options.max_duplicate_line_ratio},
            {"min_chars", options.min_chars},
            {"max_chars", options.max_chars}};
}

nlohmann::ordered_json runClean(const CleanJob& job) {
    RecordOutput output(job.output_path, job.output_format);
    JsonLinesOutput dropped(job.dropped_path);
    std::map<std::string, std::size_t> reason_counts;
    std::size_t read = 0;
    std::size_t kept = 0;
    std::size_t bad_lines = 0;
    std::size_t normalized = 0;
    std::size_t redacted = 0;
    std::vector<CleanResult> results;
    const auto on_bad_line = [&](const data::BadLine& bad_line) {
        ++bad_lines;
        ++reason_counts["bad-line"];
        dropped.write(badLineEntry(bad_line));
    };
    readBatches(job.input, on_bad_line, [&](std::vector<SourcedRecord>& batch) {
        results.assign(batch.size(), CleanResult{});
        parallelFor(batch.size(), job.input.threads,
                    [&](std::size_t i) { results[i] = cleanRecord(batch[i].record, job.options); });
        for (std::size_t i = 0; i < batch.size(); ++i) {
            ++read;
            const CleanResult& result = results[i];
            normalized += result.normalized ? 1 : 0;
            redacted += result.pii_redacted ? 1 : 0;
            data::Record& record = batch[i].record;
            if (result.reasons.empty()) {
                std::vector<std::string>& steps = provenanceOf(record).transformations;
                if (result.normalized) steps.emplace_back("clean:normalize");
                if (result.pii_redacted) steps.emplace_back("clean:pii-redact");
                output.write(record);
                ++kept;
                continue;
            }
            for (const std::string& reason : result.reasons) {
                ++reason_counts[reason];
            }
            dropped.write({{"id", recordId(record)},
                           {"file", batch[i].file},
                           {"line", batch[i].line},
                           {"reasons", result.reasons},
                           {"details", result.details},
                           {"record", data::toJson(record)}});
        }
    });
    output.commit();
    dropped.commit();
    return {{"step", "clean"},
            {"inputs", job.input.paths},
            {"shard", std::to_string(job.input.shard.index) + "/" + std::to_string(job.input.shard.count)},
            {"records_read", read},
            {"bad_lines", bad_lines},
            {"kept", kept},
            {"dropped", read - kept},
            {"reasons", reason_counts},
            {"normalized_records", normalized},
            {"pii_redacted_records", redacted},
            {"options", toJson(job.options)},
            {"output", job.output_path},
            {"dropped_file", job.dropped_path}};
}

}  // namespace vietllm::databuild
