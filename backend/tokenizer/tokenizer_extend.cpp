#include "backend/tokenizer/tokenizer_extend.h"

#include "backend/common/atomic_file.h"
#include "backend/common/errors.h"
#include "backend/common/utf8.h"
#include "backend/text/vietnamese_syllable.h"
#include "backend/tokenizer/bpe_model.h"
#include "backend/tokenizer/bpe_trainer.h"
#include "backend/tokenizer/byte_level.h"
#include "backend/tokenizer/corpus_texts.h"
#include "backend/tokenizer/embedding_resize.h"
#include "backend/tokenizer/hf_tokenizer.h"
#include "backend/tokenizer/json_fields.h"
#include "backend/tokenizer/text_pipeline.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unordered_map>

namespace vietllm::tokenizer {

namespace fs = std::filesystem;

namespace {

constexpr const char* kMetaspace = "\xE2\x96\x81";  // "▁"
constexpr std::size_t kSampleTokens = 24;

// Tokenizer-side files copied next to the new tokenizer.json; the ones listed as stale describe
// the old vocabulary in another format and are left out.
const char* const kCopiedFiles[] = {"tokenizer_config.json", "special_tokens_map.json", "added_tokens.json",
                                    "chat_template.jinja", "chat_template.json"};
const char* const kStaleFiles[] = {"tokenizer.model", "vocab.json", "merges.txt"};

double secondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string readText(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw UserError(path.string() + ": cannot open the file");
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

// The base tokenizer's tokenizer.json, and its pieces run separately: the trainer needs the words
// the pre-tokenizer makes and the base ids of each, which HfTokenizer keeps to itself.
struct BaseTokenizer {
    fs::path json_path;
    fs::path folder;
    std::unique_ptr<BpeModel> model;
    std::vector<NormalizerStep> normalizer;
    PreTokenizer pre_tokenizer;
    std::string marker;            ///< the word-start mark inside raw words (" " or "▁"); may be empty
    std::string marker_in_tokens;  ///< the same mark as vocabulary text ("Ġ" or "▁")
    bool string_merges = true;     ///< merges written as "a b" (else ["a", "b"])
    std::size_t size = 0;          ///< ids in use, added tokens included
};

fs::path resolveBaseJson(const std::string& base) {
    std::error_code error;
    fs::path path(base);
    if (fs::is_directory(path, error)) {
        if (fs::exists(path / "tokenizer.json", error)) return path / "tokenizer.json";
        throw UserError(
            base + ": no tokenizer.json in the folder (extension needs a Hugging Face BPE tokenizer.json;" +
            (fs::exists(path / "tokenizer.model", error)
                 ? " a SentencePiece tokenizer.model alone is not enough)"
                 : " none found)"));
    }
    if (!fs::exists(path, error)) throw UserError(base + ": --base: no such file or folder");
    if (path.extension() != ".json")
        throw UserError(base + ": --base must be a tokenizer.json or a folder holding one");
    return path;
}

BaseTokenizer loadBase(const std::string& base) {
    BaseTokenizer out;
    out.json_path = resolveBaseJson(base);
    out.folder = out.json_path.parent_path();
    const std::string file = out.json_path.string();
    nlohmann::json root;
    try {
        root = nlohmann::json::parse(readText(out.json_path));
    } catch (const nlohmann::json::parse_error& error) {
        throw UserError(file + ": not valid JSON (" + error.what() + ")");
    }
    if (!root.is_object() || !root.contains("model") || !root["model"].is_object())
        throw UserError(file + ": not a tokenizer.json (no 'model' object)");
    if (stringField(root["model"], "type", "BPE") != "BPE") {
        throw UserError(file + ": the base tokenizer's model is " + stringField(root["model"], "type") +
                        ", not BPE; only BPE tokenizers can be extended with merges");
    }
    out.model = std::make_unique<BpeModel>(root["model"], file);
    for (const auto& entry : fieldOrNull(root, "added_tokens")) {
        if (entry.is_object() && entry.contains("id") && entry["id"].is_number_integer() &&
            entry.contains("content") && entry["content"].is_string()) {
            out.model->addToken(entry["content"].get<std::string>(), entry["id"].get<TokenId>());
        }
    }
    out.model->finish();
    out.size = out.model->size();
    out.normalizer = parseNormalizer(fieldOrNull(root, "normalizer"), file);
    out.pre_tokenizer = parsePreTokenizer(fieldOrNull(root, "pre_tokenizer"), file);
    const auto& merges = root["model"]["merges"];
    out.string_merges = merges.empty() || merges[0].is_string();
    if (out.pre_tokenizer.byte_level) {
        out.marker = " ";
        out.marker_in_tokens = bytesToByteLevel(" ");
        return out;
    }
    for (const PreTokenizerStep& step : out.pre_tokenizer.steps) {
        if (step.kind == PreTokenizerStep::Kind::Metaspace) out.marker = step.replacement;
    }
    for (const NormalizerStep& step : out.normalizer) {
        if (step.kind == NormalizerStep::Kind::Replace && step.text == " ") out.marker = step.replacement;
    }
    out.marker_in_tokens = out.marker;
    return out;
}

bool isVietLetter(char32_t code_point) {
    return code_point < text::kVietLetterTableSize && text::vietLetterTable()[code_point].key != 0;
}

// The training units of one pre-token word: each run of Vietnamese-alphabet letters with the word
// mark just before it (a syllable), or, with `cross`, runs of such syllables joined by single
// marks. Units without a non-ASCII letter are dropped: their merges could change ASCII text.
void collectUnits(const std::string& word, const std::u32string& marker, bool cross,
                  std::unordered_map<std::string, std::int64_t>& counts) {
    const std::u32string code_points = utf8::decode(word);
    const std::size_t n = code_points.size();
    std::u32string run;
    bool run_has_viet = false;
    std::size_t run_end = std::string::npos;
    const auto flush = [&] {
        if (run_has_viet) ++counts[utf8::encode(run)];
        run.clear();
        run_has_viet = false;
    };
    std::size_t i = 0;
    while (i < n) {
        const std::size_t start = i;
        const bool has_marker = !marker.empty() && code_points.compare(i, marker.size(), marker) == 0;
        const std::size_t letters = has_marker ? i + marker.size() : i;
        std::size_t end = letters;
        bool viet = false;
        for (; end < n && isVietLetter(code_points[end]); ++end) {
            if (code_points[end] >= 0x80) viet = true;
        }
        if (end == letters) {
            flush();
            i = letters > i ? letters : i + 1;
            continue;
        }
        if (!(cross && has_marker && !run.empty() && run_end == start)) flush();
        run.append(code_points, start, end - start);
        run_has_viet = run_has_viet || viet;
        run_end = end;
        i = end;
    }
    flush();
}

// The trainer's input: distinct units with counts, as base ids, plus the letters the base
// vocabulary lacks (byte fallback only), which become new single-character tokens.
struct TrainingSet {
    std::vector<TrainingWord> words;
    std::vector<std::string> new_characters;
    std::int64_t occurrences = 0;
};

TrainingSet buildTrainingSet(const BaseTokenizer& base, const std::vector<std::string>& texts, bool cross) {
    std::unordered_map<std::string, std::int64_t> counts;
    const std::u32string marker = utf8::decode(base.marker);
    for (const std::string& text : texts) {
        std::size_t begin = 0;
        while (begin <= text.size()) {
            std::size_t end = text.find('\n', begin);
            if (end == std::string::npos) end = text.size();
            if (end > begin) {
                const std::string normalized =
                    applyNormalizer(base.normalizer, text.substr(begin, end - begin));
                for (const std::string& word : preTokenize(base.pre_tokenizer, normalized, 0))
                    collectUnits(word, marker, cross, counts);
            }
            begin = end + 1;
        }
    }
    std::vector<std::pair<std::string, std::int64_t>> sorted(counts.begin(), counts.end());
    std::sort(sorted.begin(), sorted.end());  // a fixed order: ids of new characters, trainer ties
    TrainingSet set;
    std::unordered_map<std::string, TokenId> character_ids;
    for (const auto& [unit, count] : sorted) {
        TrainingWord word;
        word.count = count;
        set.occurrences += count;
        if (base.pre_tokenizer.byte_level) {
            base.model->encodeWord(unit, true, word.ids);
            set.words.push_back(std::move(word));
            continue;
        }
        // Letters without a token would fall back to bytes; they become tokens of their own.
        std::size_t piece = 0;
        for (std::size_t at = 0; at < unit.size();) {
            std::size_t length = 1;
            while (at + length < unit.size() &&
                   (static_cast<unsigned char>(unit[at + length]) & 0xC0) == 0x80)
                ++length;
            const std::string character = unit.substr(at, length);
            if (!base.model->tokenId(character)) {
                base.model->encodeWord(std::string_view(unit).substr(piece, at - piece), false, word.ids);
                auto found = character_ids.find(character);
                if (found == character_ids.end()) {
                    found =
                        character_ids
                            .emplace(character, static_cast<TokenId>(base.size + set.new_characters.size()))
                            .first;
                    set.new_characters.push_back(character);
                }
                word.ids.push_back(found->second);
                piece = at + length;
            }
            at += length;
        }
        base.model->encodeWord(std::string_view(unit).substr(piece), false, word.ids);
        set.words.push_back(std::move(word));
    }
    return set;
}

// Only merges whose token holds a non-ASCII byte (the word mark aside): ASCII text never contains
// both halves, so its tokenization cannot change.
PairFilter vietnamesePairFilter(const BaseTokenizer& base) {
    const bool byte_level = base.pre_tokenizer.byte_level;
    const std::string marker = base.marker_in_tokens;
    const bool string_merges = base.string_merges;
    return [byte_level, marker, string_merges](const std::string& left, const std::string& right) {
        if (string_merges && (left.find(' ') != std::string::npos || right.find(' ') != std::string::npos))
            return false;  // "a b" merges cannot hold a space
        std::string text = left + right;
        if (byte_level) {
            text = byteLevelToBytes(text).value_or(std::string());
        } else if (!marker.empty()) {
            for (std::size_t at = text.find(marker); at != std::string::npos; at = text.find(marker, at))
                text.erase(at, marker.size());
        }
        return std::any_of(text.begin(), text.end(),
                           [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
    };
}

// The text a token stands for, for people: bytes of byte-level tokens, spaces for the mark.
std::string displayText(const BaseTokenizer& base, const std::string& token) {
    if (base.pre_tokenizer.byte_level) {
        const auto bytes = byteLevelToBytes(token);  // part of a character stays in byte-level form
        return bytes && utf8::isValid(*bytes) ? *bytes : token;
    }
    std::string text = token;
    if (!base.marker.empty()) {
        for (std::size_t at = text.find(base.marker); at != std::string::npos;
             at = text.find(base.marker, at + 1))
            text.replace(at, base.marker.size(), " ");
    }
    return text;
}

std::string fallbackToken(unsigned char byte) {
    char text[8];
    std::snprintf(text, sizeof text, "<0x%02X>", byte);
    return text;
}

// For every new id, the old ids it replaces (its base tokenization), for the embedding rows.
std::vector<std::vector<TokenId>> rowSources(const BaseTokenizer& base, const TrainingSet& set,
                                             const std::vector<LearnedMerge>& merges) {
    std::vector<std::vector<TokenId>> sources;
    for (const std::string& character : set.new_characters) {
        std::vector<TokenId> ids;
        for (const char byte : character) {
            const auto id = base.model->tokenId(fallbackToken(static_cast<unsigned char>(byte)));
            if (id) ids.push_back(*id);
        }
        if (ids.empty() && base.model->unknownId()) ids.push_back(*base.model->unknownId());
        sources.push_back(std::move(ids));
    }
    const auto expand = [&](TokenId id) {
        return static_cast<std::size_t>(id) < base.size ? std::vector<TokenId>{id}
                                                        : sources[static_cast<std::size_t>(id) - base.size];
    };
    for (const LearnedMerge& merge : merges) {
        if (!merge.new_token) continue;
        std::vector<TokenId> ids = expand(merge.left);
        const std::vector<TokenId> right = expand(merge.right);
        ids.insert(ids.end(), right.begin(), right.end());
        sources.push_back(std::move(ids));
    }
    return sources;
}

template <typename Json>
void writeJsonFile(const fs::path& path, const Json& json) {
    AtomicFileWriter writer(path.string());
    writer.stream() << json.dump(2, ' ', false) << '\n';
    writer.commit();
}

// Writes tokenizer.json with the new tokens and merges appended, and copies the companion files.
void writeExtendedTokenizer(const BaseTokenizer& base, const std::vector<std::string>& vocabulary,
                            const std::vector<LearnedMerge>& merges, const fs::path& out,
                            ExtendReport& report) {
    nlohmann::ordered_json root = nlohmann::ordered_json::parse(readText(base.json_path));
    auto& vocab = root["model"]["vocab"].get_ref<nlohmann::ordered_json::object_t&>();
    for (std::size_t id = base.size; id < vocabulary.size(); ++id) {
        // New texts are not in the vocabulary (the trainer checked), so no duplicate key appears.
        vocab.emplace_back(vocabulary[id], static_cast<TokenId>(id));
    }
    auto& merge_list = root["model"]["merges"];
    for (const LearnedMerge& merge : merges) {
        const std::string& left = vocabulary[static_cast<std::size_t>(merge.left)];
        const std::string& right = vocabulary[static_cast<std::size_t>(merge.right)];
        if (base.string_merges) {
            merge_list.push_back(left + " " + right);
        } else {
            merge_list.push_back(nlohmann::ordered_json::array({left, right}));
        }
    }
    writeJsonFile(out / "tokenizer.json", root);
    report.written_files.push_back("tokenizer.json");
    std::error_code error;
    for (const char* name : kCopiedFiles) {
        if (!fs::exists(base.folder / name, error)) continue;
        AtomicFileWriter writer((out / name).string());
        writer.stream() << readText(base.folder / name);
        writer.commit();
        report.written_files.push_back(name);
    }
    for (const char* name : kStaleFiles) {
        if (fs::exists(base.folder / name, error)) report.skipped_files.push_back(name);
    }
}

// Token counts of `texts` line by line with both tokenizers; checks that the new tokenizer decodes
// every line exactly as the base does.
TextStats measure(const std::string& file, const std::vector<const std::string*>& texts,
                  const Tokenizer& before, const Tokenizer& after) {
    TextStats stats;
    stats.file = file;
    for (const std::string* text : texts) {
        ++stats.texts;
        std::size_t begin = 0;
        bool changed = false;
        while (begin <= text->size()) {
            std::size_t end = text->find('\n', begin);
            if (end == std::string::npos) end = text->size();
            const std::string line = text->substr(begin, end - begin);
            begin = end + 1;
            if (line.empty()) continue;
            const std::vector<TokenId> old_ids = before.encode(line, false);
            const std::vector<TokenId> new_ids = after.encode(line, false);
            if (after.decode(new_ids, false) != before.decode(old_ids, false)) {
                throw std::logic_error("extended tokenizer decodes " + file + " text " +
                                       std::to_string(stats.texts) + " differently from the base tokenizer");
            }
            stats.pieces += countWhitespacePieces(line);
            stats.tokens_before += static_cast<std::int64_t>(old_ids.size());
            stats.tokens_after += static_cast<std::int64_t>(new_ids.size());
            changed = changed || old_ids != new_ids;
        }
        if (changed) ++stats.texts_changed;
    }
    return stats;
}

TextStats total(const std::vector<TextStats>& parts) {
    TextStats sum;
    sum.file = "total";
    for (const TextStats& part : parts) {
        sum.texts += part.texts;
        sum.pieces += part.pieces;
        sum.tokens_before += part.tokens_before;
        sum.tokens_after += part.tokens_after;
        sum.texts_changed += part.texts_changed;
    }
    return sum;
}

void checkOptions(const ExtendOptions& options) {
    if (options.corpus.empty()) throw UserError("--corpus: give at least one corpus file");
    if (options.new_tokens == 0) throw UserError("--vocab-size must be at least 1 (new tokens to add)");
    if (options.min_frequency < 1) throw UserError("--min-frequency must be at least 1");
    if (options.out_dir.empty()) throw UserError("--out: give an output folder");
    std::error_code error;
    for (const std::string& file : options.corpus) {
        if (!fs::is_regular_file(file, error)) throw UserError(file + ": --corpus file not found");
    }
    for (const std::string& file : options.english) {
        if (!fs::is_regular_file(file, error)) throw UserError(file + ": --english file not found");
    }
}

void progress(const ExtendOptions& options, const std::string& stage) {
    if (options.on_progress) options.on_progress(stage);
}

void checkCancel(const ExtendOptions& options) {
    if (options.cancel && options.cancel->load())
        throw UserError("tokenizer extension cancelled; nothing written");
}

}  // namespace

ExtendReport extendTokenizer(const ExtendOptions& options) {
    const auto started = std::chrono::steady_clock::now();
    checkOptions(options);
    const BaseTokenizer base = loadBase(options.base);
    const bool can_cross = base.pre_tokenizer.steps.empty() && !base.marker.empty();
    if (options.cross_syllables == CrossSyllables::Yes && !can_cross) {
        throw UserError(
            base.json_path.string() +
            ": --cross-syllables yes needs a metaspace tokenizer without a pre-tokenizer (this one "
            "splits words first, so merges across words could never apply)");
    }
    const bool cross = options.cross_syllables == CrossSyllables::Yes ||
                       (options.cross_syllables == CrossSyllables::Auto && can_cross);
    const fs::path out(options.out_dir);
    std::error_code error;
    if (fs::exists(out, error) && fs::equivalent(out, base.folder, error))
        throw UserError(options.out_dir + ": --out must not be the base tokenizer's folder");

    ExtendReport report;
    report.base_vocab_size = base.size;
    report.cross_syllables = cross;
    std::vector<std::string> training;
    std::vector<std::pair<std::string, std::vector<std::string>>> held_out;
    for (const std::string& file : options.corpus) {
        progress(options, "reading " + file);
        std::vector<std::string> texts = readCorpusTexts(file, options.fields);
        held_out.emplace_back(file, std::vector<std::string>());
        for (std::size_t i = 0; i < texts.size(); ++i) {
            const bool hold =
                options.held_out_every > 0 && i % options.held_out_every == options.held_out_every - 1;
            (hold ? held_out.back().second : training).push_back(std::move(texts[i]));
        }
        report.held_out_texts += held_out.back().second.size();
    }
    report.training_texts = training.size();
    checkCancel(options);

    progress(options, "counting Vietnamese words");
    const auto train_started = std::chrono::steady_clock::now();
    const TrainingSet set = buildTrainingSet(base, training, cross);
    report.distinct_words = set.words.size();
    report.word_occurrences = set.occurrences;
    if (set.words.empty()) {
        throw UserError(
            "--corpus: no Vietnamese words (letters with Vietnamese diacritics) in the training text");
    }
    std::vector<std::string> vocabulary(base.size);
    for (std::size_t id = 0; id < base.size; ++id)
        vocabulary[id] = base.model->tokenText(static_cast<TokenId>(id));
    vocabulary.insert(vocabulary.end(), set.new_characters.begin(), set.new_characters.end());
    BpeTrainer trainer(std::move(vocabulary));
    BpeTrainerOptions trainer_options;
    trainer_options.new_tokens =
        options.new_tokens > set.new_characters.size() ? options.new_tokens - set.new_characters.size() : 0;
    trainer_options.min_frequency = options.min_frequency;
    trainer_options.allow_pair = vietnamesePairFilter(base);
    trainer_options.cancel = options.cancel;
    trainer_options.on_progress = [&](std::size_t learned) {
        progress(options, "learned " + std::to_string(learned) + " tokens");
    };
    progress(options, "training on " + std::to_string(set.words.size()) + " distinct words");
    const std::vector<LearnedMerge> merges = trainer.train(set.words, trainer_options);
    report.train_seconds = secondsSince(train_started);
    checkCancel(options);
    const std::vector<std::string>& new_vocabulary = trainer.vocabulary();
    report.new_vocab_size = new_vocabulary.size();
    report.new_tokens = new_vocabulary.size() - base.size;
    report.new_characters = set.new_characters.size();
    report.new_merges = merges.size();
    for (std::size_t id = base.size + set.new_characters.size();
         id < new_vocabulary.size() && report.sample_tokens.size() < kSampleTokens; ++id)
        report.sample_tokens.push_back(displayText(base, new_vocabulary[id]));

    fs::create_directories(out, error);
    if (error) throw UserError(options.out_dir + ": cannot create the folder (" + error.message() + ")");
    progress(options, "writing " + (out / "tokenizer.json").string());
    writeExtendedTokenizer(base, new_vocabulary, merges, out, report);
    if (!options.model_dir.empty()) {
        progress(options, "resizing the vocabulary rows of " + options.model_dir);
        const ResizeResult resized =
            resizeModelVocabulary(options.model_dir, options.out_dir, static_cast<TokenId>(base.size),
                                  rowSources(base, set, merges));
        report.resized_tensors = resized.tensors;
        report.written_files.insert(report.written_files.end(), resized.written_files.begin(),
                                    resized.written_files.end());
        report.skipped_files.insert(report.skipped_files.end(), resized.skipped_files.begin(),
                                    resized.skipped_files.end());
    }

    progress(options, "measuring held-out text");
    const fs::path config = base.folder / "tokenizer_config.json";
    const HfTokenizer before(base.json_path.string(), fs::exists(config, error) ? config.string() : "");
    const HfTokenizer after(
        (out / "tokenizer.json").string(),
        fs::exists(out / "tokenizer_config.json", error) ? (out / "tokenizer_config.json").string() : "");
    for (std::size_t id = base.size; id < new_vocabulary.size(); ++id) {
        if (after.tokenId(new_vocabulary[id]) != static_cast<TokenId>(id))
            throw std::logic_error("the written tokenizer.json lost new token " + std::to_string(id));
    }
    for (const auto& [file, texts] : held_out) {
        std::vector<const std::string*> pointers;
        for (const std::string& text : texts) pointers.push_back(&text);
        if (!pointers.empty()) report.vietnamese.push_back(measure(file, pointers, before, after));
    }
    if (!report.vietnamese.empty()) report.vietnamese.push_back(total(report.vietnamese));
    for (const std::string& file : options.english) {
        const std::vector<std::string> texts = readCorpusTexts(file, {});
        std::vector<const std::string*> pointers;
        for (const std::string& text : texts) pointers.push_back(&text);
        report.english.push_back(measure(file, pointers, before, after));
    }
    if (!report.english.empty()) report.english.push_back(total(report.english));
    report.total_seconds = secondsSince(started);
    return report;
}

nlohmann::json extendReportJson(const ExtendReport& report) {
    const auto statsJson = [](const std::vector<TextStats>& list) {
        nlohmann::json out = nlohmann::json::array();
        for (const TextStats& stats : list) {
            out.push_back({{"file", stats.file},
                           {"texts", stats.texts},
                           {"pieces", stats.pieces},
                           {"tokens_before", stats.tokens_before},
                           {"tokens_after", stats.tokens_after},
                           {"per_piece_before", stats.perPieceBefore()},
                           {"per_piece_after", stats.perPieceAfter()},
                           {"texts_changed", stats.texts_changed}});
        }
        return out;
    };
    return {{"base_vocab_size", report.base_vocab_size},
            {"new_vocab_size", report.new_vocab_size},
            {"new_tokens", report.new_tokens},
            {"new_characters", report.new_characters},
            {"new_merges", report.new_merges},
            {"cross_syllables", report.cross_syllables},
            {"training_texts", report.training_texts},
            {"held_out_texts", report.held_out_texts},
            {"distinct_words", report.distinct_words},
            {"word_occurrences", report.word_occurrences},
            {"train_seconds", report.train_seconds},
            {"total_seconds", report.total_seconds},
            {"vietnamese_tokens_per_syllable", statsJson(report.vietnamese)},
            {"english_tokens_per_word", statsJson(report.english)},
            {"sample_tokens", report.sample_tokens},
            {"written_files", report.written_files},
            {"skipped_files", report.skipped_files},
            {"resized_tensors", report.resized_tensors}};
}

}  // namespace vietllm::tokenizer
