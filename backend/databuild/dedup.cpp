#include "backend/databuild/dedup.h"

#include "backend/common/errors.h"
#include "backend/databuild/hashing.h"
#include "backend/databuild/json_fields.h"
#include "backend/databuild/minhash.h"
#include "backend/databuild/record_text.h"
#include "backend/text/normalize.h"

#include <memory>
#include <optional>
#include <unordered_map>
#include <utility>

namespace vietllm::databuild {

namespace {

constexpr std::uint64_t kExactSeed = 0x5eed0001;
constexpr std::uint64_t kCheckSeed = 0x5eed0002;

// A kept record, as duplicates name it.
struct KeptRecord {
    std::string id;
    std::size_t file_index = 0;
    std::size_t line = 0;
};

// The first occurrences seen so far and the indexes that find them again.
class SeenRecords {
public:
    explicit SeenRecords(const DedupOptions& options) : m_index(options.permutations, options.threshold) {}

    // The kept record this one duplicates ("exact" or "near", with the similarity), if any.
    struct Match {
        const KeptRecord* kept = nullptr;
        const char* kind = "";
        double similarity = 0;
    };
    Match find(const DedupKey& key) const {
        const auto exact = m_exact.find(key.exact_hash);
        if (exact != m_exact.end() && exact->second.first == key.exact_check) {
            return {&m_kept[exact->second.second], "exact", 1.0};
        }
        if (!key.minhash.empty()) {
            const auto [item, similarity] = m_index.findSimilar(key.minhash);
            if (item >= 0) {
                return {&m_kept[m_near_owner[static_cast<std::size_t>(item)]], "near", similarity};
            }
        }
        return {};
    }
    void add(const DedupKey& key, KeptRecord kept) {
        const std::size_t position = m_kept.size();
        m_kept.push_back(std::move(kept));
        m_exact.emplace(key.exact_hash, std::make_pair(key.exact_check, position));
        if (!key.minhash.empty()) {
            m_index.insert(key.minhash);
            m_near_owner.push_back(position);
        }
    }
    const LshIndex& index() const { return m_index; }

private:
    std::vector<KeptRecord> m_kept;
    std::unordered_map<std::uint64_t, std::pair<std::uint64_t, std::size_t>> m_exact;
    LshIndex m_index;
    std::vector<std::size_t> m_near_owner;  ///< LSH item -> position in m_kept
};

// Decides, in input order, which records are kept (the first occurrence) and writes OUT and the
// duplicates side file; shared by a single run and the cross-shard merge, so both write the same.
class DedupWriter {
public:
    DedupWriter(const std::string& output_path, data::Format format, const std::string& duplicates_path,
                const DedupOptions& options)
        : m_output_path(output_path),
          m_output(output_path, format),
          m_duplicates(duplicates_path),
          m_seen(options) {}

    void badLine(const data::BadLine& bad_line) {
        ++m_bad_lines;
        m_duplicates.write(badLineEntry(bad_line));
    }

    void consider(const SourcedRecord& item, const DedupKey& key) {
        ++m_read;
        const SeenRecords::Match match = m_seen.find(key);
        if (match.kept == nullptr) {
            if (m_file_names.empty() || m_file_names.back() != item.file) {
                m_file_names.push_back(item.file);
            }
            m_seen.add(key, {recordId(item.record), m_file_names.size() - 1, item.line});
            m_output.write(item.record);
            return;
        }
        (std::string(match.kind) == "exact" ? m_exact : m_near) += 1;
        m_duplicates.write({{"id", recordId(item.record)},
                            {"file", item.file},
                            {"line", item.line},
                            {"kind", match.kind},
                            {"similarity", match.similarity},
                            {"duplicate_of", match.kept->id},
                            {"duplicate_of_file", m_file_names[match.kept->file_index]},
                            {"duplicate_of_line", match.kept->line}});
    }

    void commit() {
        m_output.commit();
        m_duplicates.commit();
    }

    nlohmann::ordered_json summary(const InputOptions& input, const DedupOptions& options) const {
        const LshBands& bands = m_seen.index().bands();
        return {{"step", "dedup"},
                {"inputs", input.paths},
                {"shard", std::to_string(input.shard.index) + "/" + std::to_string(input.shard.count)},
                {"records_read", m_read},
                {"bad_lines", m_bad_lines},
                {"kept", m_read - m_exact - m_near},
                {"dropped", m_exact + m_near},
                {"reasons", {{"exact-duplicate", m_exact}, {"near-duplicate", m_near}}},
                {"options",
                 {{"threshold", options.threshold},
                  {"shingle_size", options.shingle_size},
                  {"permutations", options.permutations},
                  {"bands", bands.bands},
                  {"rows_per_band", bands.rows},
                  {"near", options.near}}},
                {"output", m_output_path},
                {"duplicates_file", m_duplicates.path()}};
    }

private:
    std::string m_output_path;
    RecordOutput m_output;
    JsonLinesOutput m_duplicates;
    SeenRecords m_seen;
    std::vector<std::string> m_file_names;
    std::size_t m_read = 0;
    std::size_t m_exact = 0;
    std::size_t m_near = 0;
    std::size_t m_bad_lines = 0;
};

constexpr const char* kSignatureMagic = "vietllm-dedup-signatures";
constexpr int kSignatureVersion = 1;

// 64-bit values as fixed-width hex (16 digits each): exact in any JSON reader, unlike numbers
// above 2^53.
std::string hexOf(const std::vector<std::uint64_t>& values) {
    static const char kDigits[] = "0123456789abcdef";
    std::string text;
    text.reserve(values.size() * 16);
    for (const std::uint64_t value : values) {
        for (int shift = 60; shift >= 0; shift -= 4) {
            text += kDigits[(value >> shift) & 0xf];
        }
    }
    return text;
}

// The values of hexOf()'s text; nullopt when it is not whole 16-digit groups of hex digits.
std::optional<std::vector<std::uint64_t>> valuesOfHex(const std::string& text) {
    if (text.size() % 16 != 0) {
        return std::nullopt;
    }
    std::vector<std::uint64_t> values(text.size() / 16, 0);
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (digit < 0) {
            return std::nullopt;
        }
        values[i / 16] = (values[i / 16] << 4) | static_cast<std::uint64_t>(digit);
    }
    return values;
}

nlohmann::ordered_json signatureHeader(const DedupJob& job) {
    return {{"format", kSignatureMagic},
            {"version", kSignatureVersion},
            {"shard", std::to_string(job.input.shard.index) + "/" + std::to_string(job.input.shard.count)},
            {"inputs", job.input.paths},
            {"shingle_size", job.options.shingle_size},
            {"permutations", job.options.permutations},
            {"seed", job.options.seed},
            {"near", job.options.near}};
}

nlohmann::ordered_json signatureEntry(const SourcedRecord& item, const DedupKey& key) {
    return {{"ordinal", item.ordinal},
            {"id", recordId(item.record)},
            {"file", item.file},
            {"line", item.line},
            {"exact", hexOf({key.exact_hash, key.exact_check})},
            {"minhash", hexOf(key.minhash)}};
}

// One signature file, read line by line.
class SignatureReader {
public:
    explicit SignatureReader(const std::string& path) : m_path(path), m_input(data::openInputFile(path)) {
        const std::optional<nlohmann::json> header = nextJson();
        if (!header || jsonString(*header, "format") != kSignatureMagic ||
            jsonUnsigned(*header, "version", 0) != kSignatureVersion) {
            throw UserError(locatedMessage(path, 1,
                                           "not a dedup signature file (made by 'data dedup "
                                           "--signatures-out')"));
        }
        m_shard = parseShard(jsonString(*header, "shard"));
        if (const nlohmann::json* inputs = jsonField(*header, "inputs");
            inputs != nullptr && inputs->is_array()) {
            for (const nlohmann::json& input : *inputs) {
                m_inputs.push_back(input.is_string() ? input.get_ref<const std::string&>() : std::string());
            }
        }
        m_options.shingle_size = jsonUnsigned(*header, "shingle_size", 0);
        m_options.permutations = jsonUnsigned(*header, "permutations", 0);
        m_options.seed = jsonUnsigned(*header, "seed", 0);
        m_options.near = jsonBool(*header, "near");
    }

    // The next record's ordinal, id and key; nullopt at the end of the file.
    struct Entry {
        std::size_t ordinal = 0;
        std::string id;
        DedupKey key;
    };
    std::optional<Entry> next() {
        const std::optional<nlohmann::json> line = nextJson();
        if (!line) {
            return std::nullopt;
        }
        const auto exact = valuesOfHex(jsonString(*line, "exact"));
        const nlohmann::json* minhash_text = jsonField(*line, "minhash");
        const auto minhash = minhash_text != nullptr && minhash_text->is_string()
                                 ? valuesOfHex(minhash_text->get_ref<const std::string&>())
                                 : std::nullopt;
        const nlohmann::json* ordinal = jsonField(*line, "ordinal");
        const nlohmann::json* id = jsonField(*line, "id");
        if (!exact || exact->size() != 2 || !minhash || ordinal == nullptr ||
            !ordinal->is_number_unsigned() || id == nullptr || !id->is_string() ||
            (!minhash->empty() && minhash->size() != m_options.permutations)) {
            throw UserError(locatedMessage(m_path, m_line, "not a signature entry"));
        }
        return Entry{jsonUnsigned(*line, "ordinal", 0), id->get_ref<const std::string&>(),
                     DedupKey{(*exact)[0], (*exact)[1], *minhash}};
    }

    const std::string& path() const { return m_path; }
    std::size_t line() const { return m_line; }
    const Shard& shard() const { return m_shard; }
    const std::vector<std::string>& inputs() const { return m_inputs; }
    const DedupOptions& options() const { return m_options; }

private:
    std::optional<nlohmann::json> nextJson() {
        std::string text;
        while (std::getline(*m_input, text)) {
            ++m_line;
            if (text.empty()) {
                continue;
            }
            nlohmann::json value = nlohmann::json::parse(text, nullptr, false);
            if (!value.is_object()) {
                throw UserError(locatedMessage(m_path, m_line, "not a JSON object"));
            }
            return value;
        }
        return std::nullopt;
    }

    std::string m_path;
    std::unique_ptr<std::istream> m_input;
    std::size_t m_line = 0;
    Shard m_shard;
    std::vector<std::string> m_inputs;
    DedupOptions m_options;
};

bool sameKeySettings(const DedupOptions& a, const DedupOptions& b) {
    return a.shingle_size == b.shingle_size && a.permutations == b.permutations && a.seed == b.seed &&
           a.near == b.near;
}

// The entries of several signature files in the order of the merged inputs: shards of the same
// inputs (`I/N`) interleave by ordinal; files of unsharded runs (`0/1`) follow each other.
class SignatureStream {
public:
    explicit SignatureStream(const std::vector<std::string>& paths) {
        if (paths.empty()) {
            throw UserError("--merge-shards: no signature file");
        }
        for (const std::string& path : paths) {
            m_readers.push_back(std::make_unique<SignatureReader>(path));
            const SignatureReader& reader = *m_readers.back();
            if (!sameKeySettings(reader.options(), m_readers.front()->options())) {
                throw UserError(path +
                                ": made with other --shingle-size, --permutations, --seed or "
                                "--exact-only than " +
                                paths.front());
            }
        }
        m_interleaved = m_readers.front()->shard().count > 1;
        if (m_interleaved) {
            orderShards();
            return;
        }
        for (const std::unique_ptr<SignatureReader>& reader : m_readers) {
            if (reader->shard().count != 1) {
                throw UserError(reader->path() + ": a shard of a sharded run, while " + paths.front() +
                                " is a whole run; give either the shards of one run or whole runs");
            }
        }
    }

    const DedupOptions& options() const { return m_readers.front()->options(); }
    std::size_t shardCount() const { return m_readers.size(); }

    // The key of `item`, the next record of the merged inputs; checks it is the same record.
    DedupKey next(const SourcedRecord& item) {
        SignatureReader& reader = *m_readers[m_interleaved ? item.ordinal % m_readers.size() : m_current];
        std::optional<SignatureReader::Entry> entry = reader.next();
        while (!entry && !m_interleaved && m_current + 1 < m_readers.size()) {
            entry = m_readers[++m_current]->next();
        }
        const SignatureReader& used = *m_readers[m_interleaved ? item.ordinal % m_readers.size() : m_current];
        const std::string id = recordId(item.record);
        if (!entry) {
            throw UserError(locatedMessage(item.file, item.line,
                                           "record '" + id +
                                               "' has no signature: the signature files "
                                               "end before the inputs"));
        }
        if (entry->id != id || (m_interleaved && entry->ordinal != item.ordinal)) {
            throw UserError(locatedMessage(used.path(), used.line(),
                                           "signature of record '" + entry->id + "', but " + item.file + ":" +
                                               std::to_string(item.line) + " holds '" + id +
                                               "': the inputs are not those the shards read, in that order"));
        }
        return std::move(entry->key);
    }

    // Throws when a signature file has entries left (the inputs ended first).
    void requireExhausted() {
        for (const std::unique_ptr<SignatureReader>& reader : m_readers) {
            if (reader->next()) {
                throw UserError(locatedMessage(reader->path(), reader->line(),
                                               "more signatures than records in the inputs"));
            }
        }
    }

private:
    // Shards I/N of one run: every I from 0 to N-1 exactly once, the same inputs and N.
    void orderShards() {
        const std::size_t count = m_readers.front()->shard().count;
        const std::vector<std::string> inputs = m_readers.front()->inputs();
        const std::string first_path = m_readers.front()->path();
        std::vector<std::unique_ptr<SignatureReader>> ordered(count);
        for (std::unique_ptr<SignatureReader>& reader : m_readers) {
            const Shard& shard = reader->shard();
            if (shard.count != count || reader->inputs() != inputs) {
                throw UserError(reader->path() + ": not a shard of the same run as " + first_path +
                                " (other inputs or shard count)");
            }
            if (ordered[shard.index]) {
                throw UserError(reader->path() + ": shard " + std::to_string(shard.index) + "/" +
                                std::to_string(count) + " is given twice");
            }
            ordered[shard.index] = std::move(reader);
        }
        for (std::size_t i = 0; i < count; ++i) {
            if (!ordered[i]) {
                throw UserError("--merge-shards: shard " + std::to_string(i) + "/" + std::to_string(count) +
                                " is missing");
            }
        }
        m_readers = std::move(ordered);
    }

    std::vector<std::unique_ptr<SignatureReader>> m_readers;
    bool m_interleaved = false;
    std::size_t m_current = 0;
};

}  // namespace

DedupKey dedupKey(const data::Record& record, const DedupOptions& options) {
    std::string tagged;
    std::string plain;
    forEachText(record, [&](data::Role role, const std::string& text) {
        // One-line normalization: line ends and indentation do not make a record different.
        const std::string normalized = text::normalize(text);
        tagged += data::roleName(role);
        tagged += ": ";
        tagged += normalized;
        tagged += '\n';
        plain += normalized;
        plain += '\n';
    });
    DedupKey key;
    key.exact_hash = hashBytes(tagged, kExactSeed);
    key.exact_check = hashBytes(tagged, kCheckSeed);
    if (options.near) {
        const std::vector<std::uint64_t> shingles = shingleSet(plain, options.shingle_size);
        if (!shingles.empty()) {
            key.minhash = MinHasher(options.permutations, options.seed).signature(shingles);
        }
    }
    return key;
}

nlohmann::ordered_json runDedup(const DedupJob& job) {
    DedupWriter writer(job.output_path, job.output_format, job.duplicates_path, job.options);
    std::optional<JsonLinesOutput> signatures;
    if (!job.signatures_path.empty()) {
        signatures.emplace(job.signatures_path);
        signatures->write(signatureHeader(job));
    }
    std::vector<DedupKey> keys;
    readBatches(
        job.input, [&](const data::BadLine& bad_line) { writer.badLine(bad_line); },
        [&](std::vector<SourcedRecord>& batch) {
            keys.assign(batch.size(), DedupKey{});
            parallelFor(batch.size(), job.input.threads,
                        [&](std::size_t i) { keys[i] = dedupKey(batch[i].record, job.options); });
            for (std::size_t i = 0; i < batch.size(); ++i) {
                if (signatures) {
                    signatures->write(signatureEntry(batch[i], keys[i]));
                }
                writer.consider(batch[i], keys[i]);
            }
        });
    writer.commit();
    if (signatures) {
        signatures->commit();
    }
    nlohmann::ordered_json summary = writer.summary(job.input, job.options);
    if (signatures) {
        summary["signatures_file"] = job.signatures_path;
    }
    return summary;
}

nlohmann::ordered_json runDedupMerge(const DedupMergeJob& job) {
    if (job.input.shard.count != 1) {
        throw UserError("--shard: the merge reads every input; give the shards' signature files instead");
    }
    SignatureStream stream(job.signature_paths);
    DedupOptions options = stream.options();
    options.threshold = job.threshold;
    DedupWriter writer(job.output_path, job.output_format, job.duplicates_path, options);
    readBatches(
        job.input, [&](const data::BadLine& bad_line) { writer.badLine(bad_line); },
        [&](std::vector<SourcedRecord>& batch) {
            for (const SourcedRecord& item : batch) {
                writer.consider(item, stream.next(item));
            }
        });
    stream.requireExhausted();
    writer.commit();
    nlohmann::ordered_json summary = writer.summary(job.input, options);
    summary["signature_files"] = job.signature_paths;
    summary["shards_merged"] = stream.shardCount();
    return summary;
}

}  // namespace vietllm::databuild
