#include "backend/databuild/decontaminate.h"

#include "backend/common/errors.h"
#include "backend/common/utf8.h"
#include "backend/databuild/hashing.h"
#include "backend/databuild/record_text.h"
#include "backend/text/normalize.h"
#include "backend/text/syllable_tokens.h"

#include <algorithm>
#include <map>

namespace vietllm::databuild {

namespace {

// The lower-cased syllables of normalized text, and their hashes.
struct Syllables {
    std::vector<std::string> words;
    std::vector<std::uint64_t> hashes;
};

Syllables syllablesOf(const std::string& text) {
    Syllables syllables;
    for (text::SyllableToken& token : text::splitSyllables(text::normalize(text))) {
        syllables.hashes.push_back(hashBytes(token.lower));
        syllables.words.push_back(std::move(token.lower));
    }
    return syllables;
}

std::uint64_t ngramHash(const std::vector<std::uint64_t>& hashes, std::size_t start, std::size_t length) {
    std::uint64_t hash = length;
    for (std::size_t i = start; i < start + length; ++i) {
        hash = combineHash(hash, hashes[i]);
    }
    return hash;
}

std::string joinWords(const std::vector<std::string>& words, std::size_t start, std::size_t length) {
    std::string joined;
    for (std::size_t i = start; i < start + length; ++i) {
        if (i > start) joined += ' ';
        joined += words[i];
    }
    return joined;
}

void collectStrings(const nlohmann::json& value, std::vector<std::string>& out) {
    if (value.is_string()) {
        out.push_back(value.get<std::string>());
    } else if (value.is_structured()) {
        for (const auto& element : value) {
            collectStrings(element, out);
        }
    }
}

}  // namespace

void BenchmarkIndex::addFile(const std::string& path) {
    const std::unique_ptr<std::istream> input = data::openInputFile(path);
    std::string line;
    std::size_t line_number = 0;
    while (std::getline(*input, line)) {
        ++line_number;
        if (line.find_first_not_of(" \t\r") == std::string::npos) {
            continue;
        }
        if (!utf8::isValid(line)) {
            throw UserError(locatedMessage(path, line_number, "not valid UTF-8"));
        }
        const nlohmann::json value = nlohmann::json::parse(line, nullptr, false);
        if (value.is_discarded()) {
            throw UserError(locatedMessage(path, line_number, "not valid JSON (benchmark files are JSONL)"));
        }
        std::vector<std::string> strings;
        collectStrings(value, strings);
        for (const std::string& text : strings) {
            addText(text, path, line_number);
        }
    }
}

void BenchmarkIndex::addText(const std::string& text, const std::string& file, std::size_t line) {
    const Syllables syllables = syllablesOf(text);
    const std::size_t count = syllables.hashes.size();
    if (count < std::max<std::size_t>(1, m_options.min_tokens)) {
        return;
    }
    if (m_sources.empty() || m_sources.back() != file) {
        m_sources.push_back(file);
    }
    const std::size_t length = std::min(count, m_options.ngram);
    if (std::find(m_lengths.begin(), m_lengths.end(), length) == m_lengths.end()) {
        m_lengths.push_back(length);
    }
    const auto source = static_cast<std::uint32_t>(m_sources.size() - 1);
    for (std::size_t start = 0; start + length <= count; ++start) {
        m_entries.try_emplace(ngramHash(syllables.hashes, start, length),
                              Entry{source, line, joinWords(syllables.words, start, length)});
    }
}

std::optional<BenchmarkMatch> BenchmarkIndex::findIn(const std::string& text) const {
    if (m_entries.empty()) {
        return std::nullopt;
    }
    const Syllables syllables = syllablesOf(text);
    for (std::size_t start = 0; start < syllables.hashes.size(); ++start) {
        for (const std::size_t length : m_lengths) {
            if (start + length > syllables.hashes.size()) {
                continue;
            }
            const auto entry = m_entries.find(ngramHash(syllables.hashes, start, length));
            if (entry != m_entries.end() &&
                entry->second.ngram == joinWords(syllables.words, start, length)) {
                return BenchmarkMatch{m_sources[entry->second.source], entry->second.line,
                                      entry->second.ngram};
            }
        }
    }
    return std::nullopt;
}

nlohmann::ordered_json runDecontaminate(const DecontaminateJob& job) {
    if (job.against.empty()) {
        throw UserError("--against: name at least one benchmark file");
    }
    BenchmarkIndex index(job.options);
    for (const std::string& path : job.against) {
        index.addFile(path);
    }
    RecordOutput output(job.output_path, job.output_format);
    JsonLinesOutput matches(job.matches_path);
    std::map<std::string, std::size_t> per_benchmark;
    std::size_t read = 0;
    std::size_t dropped = 0;
    std::size_t bad_lines = 0;
    std::vector<std::optional<BenchmarkMatch>> found;
    const auto on_bad_line = [&](const data::BadLine& bad_line) {
        ++bad_lines;
        matches.write(badLineEntry(bad_line));
    };
    readBatches(job.input, on_bad_line, [&](std::vector<SourcedRecord>& batch) {
        found.assign(batch.size(), std::nullopt);
        parallelFor(batch.size(), job.input.threads, [&](std::size_t i) {
            forEachText(batch[i].record, [&](data::Role, const std::string& text) {
                if (!found[i]) {
                    found[i] = index.findIn(text);
                }
            });
        });
        for (std::size_t i = 0; i < batch.size(); ++i) {
            ++read;
            if (!found[i]) {
                output.write(batch[i].record);
                continue;
            }
            ++dropped;
            ++per_benchmark[found[i]->file];
            matches.write({{"id", recordId(batch[i].record)},
                           {"file", batch[i].file},
                           {"line", batch[i].line},
                           {"reasons", {"contamination"}},
                           {"benchmark", found[i]->file},
                           {"benchmark_line", found[i]->line},
                           {"ngram", found[i]->ngram}});
        }
    });
    output.commit();
    matches.commit();
    return {{"step", "decontaminate"},
            {"inputs", job.input.paths},
            {"against", job.against},
            {"shard", std::to_string(job.input.shard.index) + "/" + std::to_string(job.input.shard.count)},
            {"records_read", read},
            {"bad_lines", bad_lines},
            {"kept", read - dropped},
            {"dropped", dropped},
            {"reasons", {{"contamination", dropped}}},
            {"matches_per_benchmark", per_benchmark},
            {"options", {{"ngram", job.options.ngram}, {"min_tokens", job.options.min_tokens}}},
            {"benchmark_ngrams", index.ngramCount()},
            {"output", job.output_path},
            {"matches_file", job.matches_path}};
}

}  // namespace vietllm::databuild
