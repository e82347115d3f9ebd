#include "backend/databuild/dedup.h"

#include "backend/databuild/hashing.h"
#include "backend/databuild/minhash.h"
#include "backend/databuild/record_text.h"
#include "backend/text/normalize.h"

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
    RecordOutput output(job.output_path, job.output_format);
    JsonLinesOutput duplicates(job.duplicates_path);
    SeenRecords seen(job.options);
    std::vector<std::string> file_names;
    std::size_t read = 0;
    std::size_t exact = 0;
    std::size_t near = 0;
    std::size_t bad_lines = 0;
    std::vector<DedupKey> keys;
    const auto on_bad_line = [&](const data::BadLine& bad_line) {
        ++bad_lines;
        duplicates.write(badLineEntry(bad_line));
    };
    readBatches(job.input, on_bad_line, [&](std::vector<SourcedRecord>& batch) {
        keys.assign(batch.size(), DedupKey{});
        parallelFor(batch.size(), job.input.threads,
                    [&](std::size_t i) { keys[i] = dedupKey(batch[i].record, job.options); });
        for (std::size_t i = 0; i < batch.size(); ++i) {
            ++read;
            const SourcedRecord& item = batch[i];
            const SeenRecords::Match match = seen.find(keys[i]);
            if (match.kept == nullptr) {
                if (file_names.empty() || file_names.back() != item.file) {
                    file_names.push_back(item.file);
                }
                seen.add(keys[i], {recordId(item.record), file_names.size() - 1, item.line});
                output.write(item.record);
                continue;
            }
            (std::string(match.kind) == "exact" ? exact : near) += 1;
            duplicates.write({{"id", recordId(item.record)},
                              {"file", item.file},
                              {"line", item.line},
                              {"kind", match.kind},
                              {"similarity", match.similarity},
                              {"duplicate_of", match.kept->id},
                              {"duplicate_of_file", file_names[match.kept->file_index]},
                              {"duplicate_of_line", match.kept->line}});
        }
    });
    output.commit();
    duplicates.commit();
    const LshBands& bands = seen.index().bands();
    return {{"step", "dedup"},
            {"inputs", job.input.paths},
            {"shard", std::to_string(job.input.shard.index) + "/" + std::to_string(job.input.shard.count)},
            {"records_read", read},
            {"bad_lines", bad_lines},
            {"kept", read - exact - near},
            {"dropped", exact + near},
            {"reasons", {{"exact-duplicate", exact}, {"near-duplicate", near}}},
            {"options",
             {{"threshold", job.options.threshold},
              {"shingle_size", job.options.shingle_size},
              {"permutations", job.options.permutations},
              {"bands", bands.bands},
              {"rows_per_band", bands.rows},
              {"near", job.options.near}}},
            {"output", job.output_path},
            {"duplicates_file", job.duplicates_path}};
}

}  // namespace vietllm::databuild
