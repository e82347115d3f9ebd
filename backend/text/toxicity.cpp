#include "backend/text/toxicity.h"

#include "backend/common/utf8.h"
#include "backend/text/syllable_tokens.h"

#include <utf8proc.h>

#include <algorithm>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace vietllm::text {

namespace {

// resources/lexicon/vi_toxic_lexicon.tsv, embedded at build time (cmake/EmbedBytes.cmake) so the
// CLI and the GUI work from any folder without finding the file.
constexpr char kLexiconBytes[] = {
#include "vi_toxic_lexicon.inc"
};
constexpr std::string_view kLexiconTsv(kLexiconBytes, sizeof(kLexiconBytes));

constexpr double kToxicThreshold = 0.5;

// Where the diacritic-free spelling of an entry counts ("đụ" written "du", or a teencode "ngu").
enum class Unaccented {
    Invalid = 0,
    Any,     ///< everywhere: the bare spelling is unambiguous ("dit me", "vcl")
    Marked,  ///< only in text that has diacritics elsewhere, where bare was a choice ("ngu" vs "ngủ")
    Never,   ///< never: the bare spelling is a common word ("cho" for "chó", "cac" for "cặc")
};

struct LexiconEntry {
    std::vector<SyllableToken> syllables;
    bool accented = false;      ///< some syllable carries a diacritic
    bool context_only = false;  ///< a pointer word ("mày", "thằng"): a span only inside toxic text
    double weight = 0;
    Unaccented unaccented = Unaccented::Invalid;
};

struct Lexicon {
    std::vector<LexiconEntry> entries;
    /// Entry indices by the diacritic-free spelling of their syllables, joined by spaces.
    std::unordered_map<std::string, std::vector<std::size_t>> by_plain;
    /// The diacritic-free first syllables of all entries: most tokens start no entry at all.
    std::unordered_set<std::string> first_syllables;
    std::size_t max_syllables = 0;
};

struct Match {
    std::size_t first_token = 0;
    std::size_t token_count = 0;
    const LexiconEntry* entry = nullptr;
};

// True when `text` holds a 'j' or the same code point twice in a row (compared as byte slices,
// without decoding): the common case of nothing to canonicalize costs one pass and no allocation.
bool mayNeedCanonical(std::string_view text) {
    std::string_view previous;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t length = 1;
        while (pos + length < text.size() &&
               (static_cast<unsigned char>(text[pos + length]) & 0xC0) == 0x80) {
            ++length;
        }
        const std::string_view current = text.substr(pos, length);
        if (current == "j" || current == previous) {
            return true;
        }
        previous = current;
        pos += length;
    }
    return false;
}

// Folds lengthened spellings: every run of three or more equal letters becomes one ("nguuuu",
// "đmmmm"), and so does the final run of two when `shorten_final` ("lồnn", "vcll"). Teencode "j"
// for "i" is undone ("đjt", "đjên"): Vietnamese spelling has no j.
void canonicalize(std::string& text, bool shorten_final) {
    if (!mayNeedCanonical(text)) {
        return;
    }
    const std::u32string code_points = utf8::decode(text);
    std::u32string out;
    std::size_t i = 0;
    while (i < code_points.size()) {
        std::size_t run = 1;
        while (i + run < code_points.size() && code_points[i + run] == code_points[i]) {
            ++run;
        }
        const bool final_run = i + run == code_points.size();
        const bool fold = run >= 3 || (run == 2 && final_run && shorten_final);
        out.append(fold ? 1 : run, code_points[i] == U'j' ? U'i' : code_points[i]);
        i += run;
    }
    text = utf8::encode(out);
}

std::vector<SyllableToken> canonicalTokens(std::vector<SyllableToken> tokens, bool shorten_final) {
    for (SyllableToken& token : tokens) {
        canonicalize(token.lower, shorten_final);
        canonicalize(token.plain, shorten_final);
    }
    return tokens;
}

Unaccented parseUnaccented(std::string_view field) {
    if (field == "any") {
        return Unaccented::Any;
    }
    if (field == "marked") {
        return Unaccented::Marked;
    }
    return field == "never" ? Unaccented::Never : Unaccented::Invalid;
}

std::vector<std::string_view> splitTabs(std::string_view line) {
    std::vector<std::string_view> fields;
    std::size_t start = 0;
    for (std::size_t tab = line.find('\t'); tab != std::string_view::npos; tab = line.find('\t', start)) {
        fields.push_back(line.substr(start, tab - start));
        start = tab + 1;
    }
    fields.push_back(line.substr(start));
    return fields;
}

// One "form<TAB>category<TAB>weight<TAB>unaccented" line. The lexicon ships inside the binary, so a
// bad line is a build defect (caught by tst_toxicity), not a user error.
LexiconEntry parseEntry(std::string_view line, std::size_t line_number) {
    const std::vector<std::string_view> fields = splitTabs(line);
    const auto fail = [&](const std::string& what) {
        throw std::logic_error("vi_toxic_lexicon.tsv:" + std::to_string(line_number) + ": " + what);
    };
    if (fields.size() != 4) {
        fail("expected 4 tab-separated fields");
    }
    LexiconEntry entry;
    entry.syllables = canonicalTokens(splitSyllables(fields[0]), false);
    const std::string_view category = fields[1];
    entry.context_only = category == "context";
    entry.weight = std::strtod(std::string(fields[2]).c_str(), nullptr);
    entry.unaccented = parseUnaccented(fields[3]);
    const bool known_category = category == "profanity" || category == "sexual" || category == "insult" ||
                                category == "hate" || entry.context_only;
    if (!known_category) {
        fail("category must be profanity, sexual, insult, hate or context");
    }
    if (entry.syllables.empty() || entry.weight <= 0 || entry.weight >= 1) {
        fail("empty form or weight outside (0, 1)");
    }
    entry.accented = anyDiacritics(entry.syllables);
    if (entry.unaccented == Unaccented::Invalid ||
        (!entry.accented && entry.unaccented == Unaccented::Never)) {
        fail("unaccented must be any, marked or never (never only for accented forms)");
    }
    return entry;
}

std::string joinPlain(const std::vector<SyllableToken>& tokens, std::size_t first, std::size_t count) {
    std::string key;
    for (std::size_t i = first; i < first + count; ++i) {
        if (i > first) {
            key.push_back(' ');
        }
        key += tokens[i].plain;
    }
    return key;
}

Lexicon parseLexicon(std::string_view tsv) {
    Lexicon lexicon;
    std::size_t line_number = 0;
    for (std::size_t start = 0; start < tsv.size();) {
        std::size_t end = tsv.find('\n', start);
        end = end == std::string_view::npos ? tsv.size() : end;
        const std::string_view line = tsv.substr(start, end - start);
        start = end + 1;
        ++line_number;
        if (line.empty() || line[0] == '#') {
            continue;
        }
        LexiconEntry entry = parseEntry(line, line_number);
        lexicon.max_syllables = std::max(lexicon.max_syllables, entry.syllables.size());
        lexicon.by_plain[joinPlain(entry.syllables, 0, entry.syllables.size())].push_back(
            lexicon.entries.size());
        lexicon.first_syllables.insert(entry.syllables.front().plain);
        lexicon.entries.push_back(std::move(entry));
    }
    return lexicon;
}

// Parsed once, on first use, and immutable afterwards (thread-safe function-local static).
const Lexicon& lexicon() {
    static const Lexicon parsed = parseLexicon(kLexiconTsv);
    return parsed;
}

// A token with no mark but the stroke of đ ("đit", "đu"): teencode keeps đ and drops the tones.
bool hasOnlyStroke(const SyllableToken& token) {
    constexpr std::string_view kDStroke = "\xc4\x91";  // đ in UTF-8
    std::string lower = token.lower;
    for (std::size_t pos = lower.find(kDStroke); pos != std::string::npos; pos = lower.find(kDStroke, pos)) {
        lower.replace(pos, kDStroke.size(), "d");
    }
    return token.hasDiacritics() && lower == token.plain;
}

// The tokens of a text as the matcher reads them, with what it knows about the text around them.
struct Reading {
    std::vector<SyllableToken> tokens;
    /// Whether a diacritic-free token may stand for an entry syllable. Not for a capitalised token
    /// inside a sentence ("Cl", "Dell", "L.": names, symbols) nor for a one- or two-letter token
    /// after a number ("5 dm", "500 ml": units).
    std::vector<bool> bare_allowed;
    bool has_diacritics = false;
};

bool isCapitalizedWord(std::string_view original) {
    const std::u32string code_points = utf8::decode(original);
    bool lower_seen = false;
    for (const char32_t c : code_points) {
        lower_seen = lower_seen || utf8proc_islower(static_cast<utf8proc_int32_t>(c));
    }
    const bool first_upper = utf8proc_isupper(static_cast<utf8proc_int32_t>(code_points.front()));
    return first_upper && (lower_seen || code_points.size() == 1);
}

bool startsSentence(std::string_view text, const std::vector<SyllableToken>& tokens, std::size_t index) {
    if (index == 0) {
        return true;
    }
    const std::size_t gap_begin = tokens[index - 1].byte_end;
    const std::string_view gap = text.substr(gap_begin, tokens[index].byte_begin - gap_begin);
    return gap.find_first_of(".!?\n") != std::string_view::npos;
}

bool isNumber(const SyllableToken& token) {
    return std::all_of(token.lower.begin(), token.lower.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Reading makeReading(std::string_view text, const std::vector<SyllableToken>& tokens, bool shorten_final) {
    Reading reading;
    reading.tokens = canonicalTokens(tokens, shorten_final);
    reading.has_diacritics = anyDiacritics(tokens);
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const std::string_view original =
            text.substr(tokens[i].byte_begin, tokens[i].byte_end - tokens[i].byte_begin);
        const bool bare = !tokens[i].hasDiacritics() || hasOnlyStroke(tokens[i]);
        const bool name_like = bare && isCapitalizedWord(original) && !startsSentence(text, tokens, i);
        const bool unit_like = i > 0 && isNumber(tokens[i - 1]) && tokens[i].lower.size() <= 2;
        reading.bare_allowed.push_back(!name_like && !unit_like);
    }
    return reading;
}

// Whether `entry` reads the tokens from `first` on. Each syllable must be spelled as in the entry,
// or without diacritics; the second case is ambiguous and obeys the entry's policy, as does an
// entry with no diacritic at all ("ngu", "vl"). A syllable that keeps only đ may stand for the
// entry's only when the entry counts everywhere ("đit" for "địt"): "đeo", "đi", "đu" are words.
bool entryMatches(const LexiconEntry& entry, const Reading& reading, std::size_t first) {
    bool exact = entry.accented;
    bool stroke_only = false;
    for (std::size_t k = 0; k < entry.syllables.size(); ++k) {
        const SyllableToken& token = reading.tokens[first + k];
        const bool allowed = reading.bare_allowed[first + k];
        if (token.lower == entry.syllables[k].lower) {
            if (!entry.accented && !allowed) {
                return false;
            }
            continue;
        }
        if ((token.hasDiacritics() && !hasOnlyStroke(token)) || !allowed) {
            return false;
        }
        stroke_only = stroke_only || hasOnlyStroke(token);
        exact = false;
    }
    switch (entry.unaccented) {
        case Unaccented::Any:
            return true;
        case Unaccented::Marked:
            return exact || (reading.has_diacritics && !stroke_only);
        case Unaccented::Never:
        case Unaccented::Invalid:
            return exact;
    }
    return false;
}

// Longest lexicon match starting at token `first`; token_count 0 when none.
Match longestMatchAt(const Lexicon& lex, const Reading& reading, std::size_t first) {
    if (lex.first_syllables.count(reading.tokens[first].plain) == 0) {
        return {};
    }
    const std::size_t longest = std::min(lex.max_syllables, reading.tokens.size() - first);
    for (std::size_t count = longest; count >= 1; --count) {
        const auto found = lex.by_plain.find(joinPlain(reading.tokens, first, count));
        if (found == lex.by_plain.end()) {
            continue;
        }
        for (const std::size_t index : found->second) {
            if (entryMatches(lex.entries[index], reading, first)) {
                return {first, count, &lex.entries[index]};
            }
        }
    }
    return {};
}

bool endsWithDoubledLetter(const SyllableToken& token) {
    const std::u32string code_points = utf8::decode(token.lower);
    const std::size_t n = code_points.size();
    return n >= 2 && code_points[n - 1] == code_points[n - 2];
}

// Greedy longest matches from left to right; where the spelling as written matches nothing, the
// spelling with a doubled final letter shortened is tried ("lồnn" but not "cc" → "c").
std::vector<Match> findMatches(const Lexicon& lex, std::string_view text,
                               const std::vector<SyllableToken>& tokens) {
    const Reading as_written = makeReading(text, tokens, false);
    const bool any_doubled = std::any_of(tokens.begin(), tokens.end(), endsWithDoubledLetter);
    const Reading shortened = any_doubled ? makeReading(text, tokens, true) : Reading{};
    std::vector<Match> matches;
    std::size_t i = 0;
    while (i < tokens.size()) {
        Match match = longestMatchAt(lex, as_written, i);
        if (match.token_count == 0 && any_doubled) {
            match = longestMatchAt(lex, shortened, i);
        }
        if (match.token_count == 0) {
            ++i;
            continue;
        }
        matches.push_back(match);
        i += match.token_count;
    }
    return matches;
}

// Noisy-or over the distinct entries found: each is independent evidence, so the score stays in
// [0, 1) and grows with every further kind of offence, while a word repeated ("del del del" in a
// list of names) counts once.
double combinedScore(const std::vector<Match>& matches) {
    std::vector<const LexiconEntry*> distinct;
    double clean_probability = 1;
    for (const Match& match : matches) {
        if (std::find(distinct.begin(), distinct.end(), match.entry) == distinct.end()) {
            distinct.push_back(match.entry);
            clean_probability *= 1 - match.entry->weight;
        }
    }
    return 1 - clean_probability;
}

ToxicityResult scoreValidText(std::string_view text) {
    const std::vector<SyllableToken> tokens = splitSyllables(text);
    const std::vector<Match> matches = findMatches(lexicon(), text, tokens);
    ToxicityResult result;
    result.score = combinedScore(matches);
    result.toxic = result.score >= kToxicThreshold;
    for (const Match& match : matches) {
        if (match.entry->context_only && !result.toxic) {
            continue;
        }
        result.spans.push_back(
            {tokens[match.first_token].begin, tokens[match.first_token + match.token_count - 1].end});
    }
    return result;
}

}  // namespace

ToxicityResult scoreToxicity(std::string_view text) {
    if (utf8::isValid(text)) {
        return scoreValidText(text);
    }
    return scoreValidText(utf8::encode(utf8::decode(text)));
}

}  // namespace vietllm::text
