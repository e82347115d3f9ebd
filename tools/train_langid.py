#!/usr/bin/env python3
"""Trains the language identifier of backend/text/langid.cpp and writes backend/text/langid_model.inc.

The generated file is a derived model (the top n-grams of each class with quantised costs), never
training text. Python is needed only to retrain; the product compiles the generated C++ file.

Model (langid.cpp implements the same steps; keep the two in step):
  * Text holding combining diacritics is NFC-normalised; text is lower-cased. Letters and combining marks form words; any other
    character (space, digit, punctuation, symbol) ends a word.
  * Every word is padded with one space on each side; its features are its character n-grams of
    orders 1..MAX_ORDER (the lone space excluded), counted with repetition.
  * Multinomial naive Bayes with uniform priors. For each class the TOP_K most frequent n-grams
    (all orders pooled) keep cost(g|c) = -ln P(g|c); an n-gram missing from a class's table costs
    that class's floor (the cost of its K-th n-gram plus FLOOR_PENALTY nats). N-grams in no table
    are ignored, so an unknown script adds no evidence. Costs are stored in tenths of a nat.
  * Vietnamese is two classes: the real text, and the same text with every diacritic stripped
    (đ -> d). Both answer "vi"; Indonesian, Malay and Tagalog are classes of their own, which is
    what keeps diacritic-free Vietnamese apart from them.
  * Script first: each class has the script of its training text (Latin, Cyrillic, Han+kana,
    Hangul, Thai). Only the classes of the text's dominant script compete, a Han, kana or Hangul
    letter counting as SCRIPT_WEIGHT_CJK letters (Chinese with English terms stays Chinese).
  * Confidence: softmax of -cost / TEMPERATURE over the competing classes, summed over the classes
    of the winning language. TEMPERATURE is fitted here (log loss on the held-out lines; it does
    not change any decision).
  * Text without any known n-gram (empty, digits, punctuation) or written in a script no class
    uses (Greek, Arabic, ...) is "und".
  * TOP_K, FLOOR_PENALTY and MAX_ORDER were chosen among a few values on the held-out lines.

Training and held-out text (no internet needed beyond Debian's archive):
  * vi: shared data text/* (Wikipedia, news, Truyện Kiều, UD treebank sentences), instruct/vi_*,
    the Vietnamese side of parallel/envi_debian_gettext_ui_strings.tsv. Held out: eval/vi_*,
    parallel/vi_xquad.vi.json, parallel/envi_iwslt15_tst2012.vi, the Vietnamese side of Tatoeba.
  * en: instruct/en_*, parallel/en_xquad.en.json, parallel/envi_iwslt15_tst2012.en, the English side
    of the gettext table, English msgids of the system's .mo catalogues, Firefox en-GB strings and
    debian-reference-en. Held out: eval/en_*, the English side of Tatoeba.
  * Other languages: translated .mo catalogues under --locale-root (/usr/share/locale), Firefox ESR
    language packs and debian-reference translations. Strings equal to (or mostly made of the
    words of) their English source are dropped as untranslated. Each source file (catalogue
    domain, Firefox resource, manual chapter) goes to the held-out set when crc32(name) % 5 == 0.
  Get the Debian packages with, in an empty folder:
      apt-get download $(for l in id ms tl fr de es-es pt-pt it nl pl tr ru zh-cn ja ko th en-gb; \\
          do echo firefox-esr-l10n-$l; done) \\
          $(for l in en id de es fr it ja pt zh-cn; do echo debian-reference-$l; done)
      for f in *.deb; do n=${f%%_*}; mkdir -p x/$n; dpkg-deb -x "$f" x/$n; done
  then: tools/train_langid.py --sample-data ../shared/data --debian-root x
  The committed model came from Debian 12 (bookworm) with the .mo catalogues installed in the
  vietllm build image, firefox-esr-l10n-* 153.7.0esr-1~deb12u1 and debian-reference 2.100; other
  versions give a slightly different model.
  --heldout-dir DIR also writes the held-out lines (label<TAB>kind<TAB>text) so that the C++
  implementation can be scored on them: tools/train_langid.py --score-cli build/bin/vietllm-cli ...
"""

import argparse
import collections
import csv
import glob
import gzip
import html
import html.parser
import json
import math
import os
import random
import re
import struct
import subprocess
import sys
import unicodedata
import zipfile
import zlib

MAX_ORDER = 4
SCRIPTS = ["Latn", "Cyrl", "Hani", "Hang", "Thai", "Zyyy"]  # ties go to the earlier one
SCRIPT_WEIGHT_CJK = 3  # a Han, kana or Hangul letter carries about as much as three Latin letters
TOP_K = 8000
FLOOR_PENALTY = 2.0  # nats below the class's K-th n-gram
COST_SCALE = 10  # costs are stored in tenths of a nat
TRAIN_CHARS_PER_CLASS = 3_000_000
EVAL_LINES_PER_SET = 1500
MIN_EVAL_CHARS = 20
SHORT_CHARS = 40

# ISO 639-1 code (also the class name) -> (locale folders, Firefox pack, debian-reference suffix).
OTHER_LANGUAGES = {
    "id": (["id"], "id", "id"),
    "ms": (["ms"], "ms", None),
    "tl": (["tl", "fil"], "tl", None),
    "fr": (["fr"], "fr", "fr"),
    "de": (["de"], "de", "de"),
    "es": (["es"], "es-es", "es"),
    "pt": (["pt", "pt_BR", "pt_PT"], "pt-pt", "pt"),
    "it": (["it"], "it", "it"),
    "nl": (["nl"], "nl", None),
    "pl": (["pl"], "pl", None),
    "tr": (["tr"], "tr", None),
    "ru": (["ru"], "ru", None),
    "zh": (["zh_CN"], "zh-cn", "zh-cn"),
    "ja": (["ja"], "ja", "ja"),
    "ko": (["ko"], "ko", None),
    "th": (["th"], "th", None),
}
VI_PLAIN = "vi-ascii"  # the diacritic-stripped Vietnamese class
CLASS_LANG = {"vi": "vi", VI_PLAIN: "vi", "en": "en", **{c: c for c in OTHER_LANGUAGES}}
CLASSES = list(CLASS_LANG)

# Catalogues of names (countries, languages, keyboard layouts) rather than sentences.
SKIPPED_DOMAINS = re.compile(r"^(iso_|xkeyboard-config)")

# JSON fields holding prose in the instruction files (None: a bare string per line).
TEXT_KEYS = {"instruction", "input", "output", "text", "chosen", "rejected", "prompt", "response", None}

VI_LETTERS = set("àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ")


# Feature extraction (mirrors langid.cpp) ---------------------------------------------------------


def is_word_char(ch):
    return unicodedata.category(ch)[0] in "LM"


def lower_char(ch):
    return ch.lower()[0]  # the simple case mapping, as utf8proc_tolower (U+0130 -> i)


def words_of(text):
    """Yields the lower-cased words of `text` (runs of letters and marks)."""
    if any("\u0300" <= ch <= "\u036f" for ch in text):  # decomposed (NFD) diacritics
        text = unicodedata.normalize("NFC", text)
    word = []
    for ch in text:
        if is_word_char(ch):
            word.append(lower_char(ch))
        elif word:
            yield "".join(word)
            word = []
    if word:
        yield "".join(word)


def ngrams_of_word(word):
    padded = " " + word + " "
    for start in range(len(padded)):
        for order in range(1, MAX_ORDER + 1):
            if start + order > len(padded):
                break
            gram = padded[start : start + order]
            if gram != " ":
                yield gram


def script_of(ch):
    """Script group of a letter: Latn, Cyrl, Hani (Han and kana), Hang, Thai, Zyyy (other); '' for marks."""
    cp = ord(ch)
    if 0x300 <= cp <= 0x36F:
        return ""
    if cp <= 0x24F or 0x1E00 <= cp <= 0x1EFF or 0xFF21 <= cp <= 0xFF5A:
        return "Latn"
    if 0x400 <= cp <= 0x52F:
        return "Cyrl"
    if 0xE00 <= cp <= 0xE7F:
        return "Thai"
    if 0x1100 <= cp <= 0x11FF or 0x3130 <= cp <= 0x318F or 0xAC00 <= cp <= 0xD7AF:
        return "Hang"
    if (0x3040 <= cp <= 0x30FF or 0x31F0 <= cp <= 0x31FF or 0x3400 <= cp <= 0x4DBF or 0x4E00 <= cp <= 0x9FFF
            or 0xF900 <= cp <= 0xFAFF or 0xFF66 <= cp <= 0xFF9F or 0x20000 <= cp <= 0x3FFFF):
        return "Hani"
    return "Zyyy"


def dominant_script(text):
    """The script with most letters, a Han, kana or Hangul letter counting as SCRIPT_WEIGHT_CJK."""
    counts = collections.Counter()
    for word in words_of(text):
        for ch in word:
            script = script_of(ch)
            if script:
                counts[script] += SCRIPT_WEIGHT_CJK if script in ("Hani", "Hang") else 1
    if not counts:
        return ""
    return max(SCRIPTS, key=lambda script: (counts[script], -SCRIPTS.index(script)))


def strip_diacritics(text):
    """Vietnamese without diacritics: decompose, drop combining marks, map đ/Đ to d/D."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


# Line filters --------------------------------------------------------------------------------------


def letter_words(text):
    return [w for w in re.split(r"\s+", text) if any(c.isalpha() for c in w)]


def looks_vietnamese(line):
    """At least 30% of words carry a Vietnamese-specific letter (drops English left in MT data)."""
    words = letter_words(line)
    marked = sum(1 for w in words if any(c in VI_LETTERS for c in w.lower()))
    return bool(words) and marked >= 0.3 * len(words)


def looks_english(line):
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and sum(1 for c in letters if ord(c) > 0x24F) == 0 and not any(
        c in VI_LETTERS for c in line.lower()
    )


PLACEHOLDER = re.compile(
    r"%(\d+\$)?[-+ #0']*\d*(\.\d+)?(hh|h|ll|l|L|q|j|z|t|I64)?[diouxXeEfFgGcsSpn%@]"  # printf
    r"|%\d+|%[A-Za-z_]+%|\$\{?[A-Za-z_][\w-]*\}?|\{[^{}]*\}"  # %1, %name%, $var, { $x }
    r"|<[^>]*>|&[a-zA-Z]+;|&#\d+;|\\[ntr]|https?://\S+|\S+@\S+\.\S+|\S*[/\\]\S*[/\\]\S*"
)


def clean_ui_string(text):
    """A UI string without placeholders, markup, accelerators and escapes; '' when not prose."""
    text = PLACEHOLDER.sub(" ", text)
    text = re.sub(r"(?<=\s)[_&](?=\w)|^[_&](?=\w)|(?<=\w)[_&](?=\w)", "", text)
    text = re.sub(r"\s+", " ", text).strip()
    letters = sum(1 for c in text if c.isalpha())
    if len(letter_words(text)) < 2 and letters < 4:
        return ""
    return text if letters >= 0.6 * max(1, len(text.replace(" ", ""))) else ""


def untranslated(translation, source):
    """True when the translation equals its English source or mostly reuses its words."""
    if not source:
        return False
    t_words = [w.lower() for w in letter_words(translation)]
    s_words = {w.lower() for w in letter_words(source)}
    if not t_words:
        return True
    return sum(1 for w in t_words if w in s_words) >= 0.5 * len(t_words)


# Readers -------------------------------------------------------------------------------------------


def read_mo(path):
    """Pairs (msgid, msgstr) of a GNU .mo catalogue, plural forms flattened."""
    data = open(path, "rb").read()
    magic = struct.unpack("<I", data[:4])[0]
    endian = "<" if magic == 0x950412DE else ">"
    _, count, ids_at, strs_at = struct.unpack(endian + "4I", data[4:20])
    pairs = []
    for index in range(count):
        id_len, id_off = struct.unpack(endian + "2I", data[ids_at + 8 * index : ids_at + 8 * index + 8])
        str_len, str_off = struct.unpack(endian + "2I", data[strs_at + 8 * index : strs_at + 8 * index + 8])
        msgid = data[id_off : id_off + id_len].decode("utf-8", "replace")
        msgstr = data[str_off : str_off + str_len].decode("utf-8", "replace")
        if not msgid:
            continue
        source = msgid.split("\x04")[-1].split("\0")[0]  # no msgctxt, singular form
        pairs.extend((source, target) for target in msgstr.split("\0"))
    return pairs


def read_firefox_pack(xpi_path, pack_locale):
    """{resource path: {key: value}} for the .ftl and .properties files of a Firefox language pack."""
    resources = {}
    with zipfile.ZipFile(xpi_path) as pack:
        for name in pack.namelist():
            if not name.endswith((".ftl", ".properties")):
                continue
            entries = {}
            key = None
            for line in pack.read(name).decode("utf-8", "replace").splitlines():
                entry = re.match(r"^([\w.-]+)\s*[=:]\s*(.*)$", line)
                attribute = re.match(r"^\s+\.([\w-]+)\s*=\s*(.*)$", line)
                if entry:
                    key = entry.group(1)
                    entries[key] = entry.group(2)
                elif attribute and key is not None:
                    entries[f"{key}.{attribute.group(1)}"] = attribute.group(2)
                elif line.startswith(" ") and line.strip() and key is not None:
                    last = next(reversed(entries))
                    entries[last] += " " + line.strip()
                else:
                    key = None
            # Resources are named by their path without the locale, equal across packs.
            parts = ["LOCALE" if part.lower() == pack_locale else part for part in name.split("/")]
            resources["/".join(parts)] = entries
    return resources


class ParagraphParser(html.parser.HTMLParser):
    """Text of the paragraphs, list items and table cells of an HTML page, code left out."""

    BLOCKS = {"p", "li", "td", "dd", "dt", "h1", "h2", "h3", "h4", "title"}
    CODE = {"pre", "code", "tt", "kbd", "samp", "script", "style"}

    def __init__(self):
        super().__init__()
        self.paragraphs = []
        self.current = []
        self.code_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.CODE:
            self.code_depth += 1
        elif tag in self.BLOCKS:
            self.flush()

    def handle_endtag(self, tag):
        if tag in self.CODE:
            self.code_depth = max(0, self.code_depth - 1)
        elif tag in self.BLOCKS:
            self.flush()

    def handle_data(self, data):
        if self.code_depth == 0:
            self.current.append(data)

    def flush(self):
        text = re.sub(r"\s+", " ", "".join(self.current)).strip()
        if text:
            self.paragraphs.append(text)
        self.current = []


def html_paragraphs(path):
    parser = ParagraphParser()
    parser.feed(open(path, encoding="utf-8", errors="replace").read())
    parser.flush()
    return parser.paragraphs


def json_strings(path, keys):
    """Every string stored under one of `keys` anywhere in a JSON or JSON-lines file."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        text = handle.read()
    try:
        documents = [json.loads(text)]
    except json.JSONDecodeError:
        documents = [json.loads(line) for line in text.splitlines() if line.strip()]
    found = []

    def walk(value, key):
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str) and key in keys:
            found.append(value)

    for document in documents:
        walk(document, None)
    return found


def lines_of(texts):
    """Splits texts into stripped, non-empty lines; wiki headings and HH speaker tags dropped."""
    for text in texts:
        for line in re.split(r"[\r\n]+", text):
            line = re.sub(r"^(Human|Assistant):\s*", "", line.strip())
            line = re.sub(r"^=+\s*(.*?)\s*=+$", r"\1", line)
            if line:
                yield line


def detokenize(line):
    """Undoes the Moses tokenisation and HTML escapes of the IWSLT files."""
    line = html.unescape(html.unescape(line))
    return re.sub(r" ([.,;:!?)\]'])|([(\[]) ", lambda m: m.group(1) or m.group(2), line)


# Corpus assembly -----------------------------------------------------------------------------------


class Corpus:
    """Training lines per class and held-out lines per (class, kind)."""

    def __init__(self):
        self.train = collections.defaultdict(list)
        self.heldout = collections.defaultdict(list)

    def add(self, cls, lines, heldout, kind="real"):
        target = self.heldout[(cls, kind)] if heldout else self.train[cls]
        target.extend(lines)


def is_heldout_source(name):
    return zlib.crc32(name.encode()) % 5 == 0


def shared_files(sample, pattern):
    return sorted(glob.glob(os.path.join(sample, pattern)))


def collect_vietnamese(corpus, sample):
    texts = []
    texts += json_strings(os.path.join(sample, "text/vi_wikipedia_150docs.jsonl"), {"text"})
    for name in ["vi_news_binhvq_demo_full.txt", "vi_news_binhvq_demo_titles.txt", "vi_truyen_kieu_nguyen_du.txt"]:
        texts.append(open(os.path.join(sample, "text", name), encoding="utf-8").read())
    conllu = open(os.path.join(sample, "text/vi_ud_vtb_test.conllu"), encoding="utf-8").read()
    texts += [m.strip() for m in re.findall(r"^# text =(.*)$", conllu, re.M)]
    for path in shared_files(sample, "instruct/vi_*"):
        texts += json_strings(path, TEXT_KEYS)
    texts += [row[4] for row in gettext_rows(sample)]
    corpus.add("vi", [l for l in lines_of(texts) if looks_vietnamese(l)], heldout=False)

    held = []
    keys = {"passage", "question", "choices", "premise", "hypothesis", "text", "summary", "title",
            "choice1", "choice2", "context", "option_a", "option_b", "option_c", "option_d"}
    for path in shared_files(sample, "eval/vi_*") + [os.path.join(sample, "parallel/vi_xquad.vi.json")]:
        held += json_strings(path, keys)
    held += [detokenize(l) for l in open(os.path.join(sample, "parallel/envi_iwslt15_tst2012.vi"), encoding="utf-8")]
    held += [row[1] for row in tatoeba_rows(sample)]
    corpus.add("vi", [l for l in lines_of(held) if looks_vietnamese(l)], heldout=True)


def collect_english(corpus, sample, locale_root, debian_root):
    texts = []
    for path in shared_files(sample, "instruct/en_*"):
        texts += json_strings(path, TEXT_KEYS)
    texts += json_strings(os.path.join(sample, "parallel/en_xquad.en.json"), {"context", "question", "text"})
    texts += [detokenize(l) for l in open(os.path.join(sample, "parallel/envi_iwslt15_tst2012.en"), encoding="utf-8")]
    texts += [clean_ui_string(row[3]) for row in gettext_rows(sample)]
    corpus.add("en", [l for l in lines_of(texts) if looks_english(l)], heldout=False)
    held = json_strings(os.path.join(sample, "eval/en_belebele_seahelm895.jsonl"), {"passage", "question", "choices"})
    held += json_strings(os.path.join(sample, "eval/en_sea_ifeval.jsonl"), {"text"})
    held += [row[0] for row in tatoeba_rows(sample)]
    corpus.add("en", [l for l in lines_of(held) if looks_english(l)], heldout=True)

    # English UI strings and prose, for the same domains as the other languages' Debian text.
    for path in sorted(glob.glob(os.path.join(locale_root, "de/LC_MESSAGES/*.mo"))):
        domain = os.path.basename(path)[:-3]
        if not SKIPPED_DOMAINS.match(domain) and not is_heldout_source("mo:" + domain):
            lines = [clean_ui_string(source) for source, _ in read_mo(path)]
            corpus.add("en", [l for l in lines if l], heldout=False)
    for resource, entries in firefox_resources(debian_root, "en-gb").items():
        if not is_heldout_source("ff:" + resource):
            corpus.add("en", [clean_ui_string(v) for v in entries.values() if clean_ui_string(v)], heldout=False)
    for path, paragraphs in debian_reference(debian_root, "en").items():
        if not is_heldout_source("dr:" + path):
            corpus.add("en", [p for p in paragraphs if clean_ui_string(p)], heldout=False)


def gettext_rows(sample):
    path = os.path.join(sample, "parallel/envi_debian_gettext_ui_strings.tsv")
    with open(path, encoding="utf-8") as handle:
        rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))[1:]
    return [[c.replace("\\n", "\n").replace("\\t", " ") for c in row] for row in rows if len(row) == 5]


def tatoeba_rows(sample):
    path = os.path.join(sample, "parallel/envi_tatoeba_manythings_2017.tsv")
    with open(path, encoding="utf-8") as handle:
        return [line.rstrip("\n").split("\t")[:2] for line in handle if line.count("\t") >= 1]


def firefox_resources(debian_root, pack):
    paths = glob.glob(os.path.join(debian_root, f"firefox-esr-l10n-{pack}", "**", "*.xpi"), recursive=True)
    return read_firefox_pack(paths[0], pack) if paths else {}


def debian_reference(debian_root, suffix):
    """{chapter: paragraphs} of one debian-reference translation."""
    if suffix is None:
        return {}
    folder = os.path.join(debian_root, f"debian-reference-{suffix}", "usr/share/debian-reference")
    return {os.path.basename(p).split(".")[0]: html_paragraphs(p) for p in sorted(glob.glob(folder + "/*.html"))}


def collect_other(corpus, cls, locale_root, debian_root, english_reference):
    locales, firefox_pack, reference_suffix = OTHER_LANGUAGES[cls]
    for locale in locales:
        for path in sorted(glob.glob(os.path.join(locale_root, locale, "LC_MESSAGES/*.mo"))):
            domain = os.path.basename(path)[:-3]
            if SKIPPED_DOMAINS.match(domain):
                continue
            lines = [clean_ui_string(t) for s, t in read_mo(path) if t and not untranslated(t, s)]
            corpus.add(cls, [l for l in lines if l], heldout=is_heldout_source("mo:" + domain))
    english = firefox_resources(debian_root, "en-gb")
    for resource, entries in firefox_resources(debian_root, firefox_pack).items():
        reference = english.get(resource, {})
        lines = [clean_ui_string(v) for k, v in entries.items() if not untranslated(v, reference.get(k, ""))]
        corpus.add(cls, [l for l in lines if l], heldout=is_heldout_source("ff:" + resource))
    for chapter, paragraphs in debian_reference(debian_root, reference_suffix).items():
        lines = [p for p in paragraphs if p not in english_reference and clean_ui_string(p)]
        corpus.add(cls, lines, heldout=is_heldout_source("dr:" + chapter))


def finish(corpus):
    """Deduplicates, removes held-out lines seen in training, samples and caps every set."""
    rng = random.Random(20240601)
    train_seen = set()
    for cls in CLASSES:
        lines = list(dict.fromkeys(corpus.train[cls]))
        rng.shuffle(lines)
        kept, total = [], 0
        for line in lines:
            if total >= TRAIN_CHARS_PER_CLASS:
                break
            kept.append(line)
            total += len(line)
        corpus.train[cls] = kept
        train_seen.update(line.lower() for line in corpus.train[cls])
    for key in list(corpus.heldout):
        lines = [l for l in dict.fromkeys(corpus.heldout[key]) if len(l) >= MIN_EVAL_CHARS and l.lower() not in train_seen]
        rng.shuffle(lines)
        corpus.heldout[key] = lines[:EVAL_LINES_PER_SET]
    corpus.train[VI_PLAIN] = [strip_diacritics(l) for l in corpus.train["vi"]]
    corpus.heldout[("vi", "no-diacritics")] = [strip_diacritics(l) for l in corpus.heldout[("vi", "real")]]


# Model ---------------------------------------------------------------------------------------------


class ClassModel:
    """One class: its script, the cost of an n-gram missing from its table, and its n-gram costs."""

    def __init__(self, script, floor, costs):
        self.script = script
        self.floor = floor
        self.costs = costs


def count_ngrams(lines):
    word_counts = collections.Counter(w for line in lines for w in words_of(line))
    grams = collections.Counter()
    for word, count in word_counts.items():
        for gram in ngrams_of_word(word):
            grams[gram] += count
    return grams


def main_script(lines):
    """The dominant script of most of a class's training characters."""
    counts = collections.Counter()
    for line in lines:
        counts[dominant_script(line)] += len(line)
    return counts.most_common(1)[0][0]


def build_model(corpus):
    """{class: ClassModel} with costs in 1/COST_SCALE nat."""
    model = {}
    for cls in CLASSES:
        grams = count_ngrams(corpus.train[cls])
        total = sum(grams.values())
        top = sorted(grams.items(), key=lambda item: (-item[1], item[0]))[:TOP_K]
        costs = {g: round(-math.log(c / total) * COST_SCALE) for g, c in top}
        floor = round((-math.log(top[-1][1] / total) + FLOOR_PENALTY) * COST_SCALE)
        model[cls] = ClassModel(main_script(corpus.train[cls]), floor, costs)
        print(f"  {cls:9s} {model[cls].script} {len(corpus.train[cls]):7d} lines {total:9d} n-grams "
              f"floor {floor / COST_SCALE:.1f}", file=sys.stderr)
    return model


class Scorer:
    """The decision rule of langid.cpp over the quantised model."""

    def __init__(self, model):
        self.model = model
        self.floors = [model[c].floor for c in CLASSES]
        self.bonus = collections.defaultdict(list)  # n-gram -> [(class index, floor - cost)]
        for index, cls in enumerate(CLASSES):
            for gram, cost in model[cls].costs.items():
                self.bonus[gram].append((index, model[cls].floor - cost))
        self.word_cache = {}

    def costs(self, text):
        """Costs of the classes written in the text's dominant script ({class index: cost})."""
        script = dominant_script(text)
        candidates = [i for i, c in enumerate(CLASSES) if self.model[c].script == script]
        found, gain = 0, [0] * len(CLASSES)
        for word in words_of(text):
            cached = self.word_cache.get(word)
            if cached is None:
                cached = [0, [0] * len(CLASSES)]
                for gram in ngrams_of_word(word):
                    entries = self.bonus.get(gram)
                    if entries is not None:
                        cached[0] += 1
                        for index, bonus in entries:
                            cached[1][index] += bonus
                self.word_cache[word] = cached
            found += cached[0]
            for index, value in enumerate(cached[1]):
                gain[index] += value
        if found == 0:
            return {}
        return {i: found * self.floors[i] - gain[i] for i in candidates}

    def identify(self, text):
        costs = self.costs(text)
        if not costs:
            return "und", costs
        best = min(costs, key=lambda i: (costs[i], i))
        return CLASS_LANG[CLASSES[best]], costs


def language_probability(costs, lang, temperature):
    """Softmax of -cost / temperature over the candidate classes, summed over those of `lang`."""
    best = min(costs.values())
    weights = {i: math.exp(-(c - best) / (COST_SCALE * temperature)) for i, c in costs.items()}
    return sum(w for i, w in weights.items() if CLASS_LANG[CLASSES[i]] == lang) / sum(weights.values())


def fit_temperature(scorer, corpus):
    """The temperature minimising the log loss of the true language on the held-out lines."""
    samples = []
    for (cls, _), lines in corpus.heldout.items():
        for line in lines:
            for variant in (line, line[:SHORT_CHARS]):
                costs = scorer.costs(variant)
                if costs:
                    samples.append((costs, CLASS_LANG[cls]))

    def loss(temperature):
        return -sum(math.log(max(1e-12, language_probability(c, l, temperature))) for c, l in samples)

    return min((loss(t), t) for t in [0.5 * k for k in range(1, 41)])[1]


def write_model(model, temperature, path):
    """Writes the model as C++ data for langid.cpp (which defines ModelClass before including it)."""
    out = [
        "// Generated by tools/train_langid.py; do not edit. Character n-gram naive Bayes model for",
        "// backend/text/langid.cpp: for each class the most frequent n-grams with their costs",
        f"// (-ln P in 1/{COST_SCALE} nat). Derived from the training text, not a copy of it.",
        "// Each class lists its n-grams separated by '|' in order of rising cost; its cost runs give",
        "// that cost as (cost, number of consecutive n-grams) pairs.",
        "// clang-format off",
        "",
        f"constexpr int kMaxOrder = {MAX_ORDER};",
        f"constexpr int kCostScale = {COST_SCALE};",
        f"constexpr int kScriptWeightCjk = {SCRIPT_WEIGHT_CJK};",
        f"constexpr double kTemperature = {temperature};",
    ]
    for index, cls in enumerate(CLASSES):
        costs = model[cls].costs
        grams = sorted(costs, key=lambda g: (costs[g], g))
        runs = []
        for gram in grams:
            if runs and runs[-1][0] == costs[gram]:
                runs[-1][1] += 1
            else:
                runs.append([costs[gram], 1])
        flat = [str(v) for run in runs for v in run]
        out.append("")
        out.append(f"// {cls}")
        out.append(f"constexpr unsigned short kCostRuns{index}[] = {{")
        out.extend("    " + ", ".join(flat[i : i + 24]) + "," for i in range(0, len(flat), 24))
        out.append("};")
        out.append(f"constexpr const char kGrams{index}[] =")
        pieces, piece = [], ""
        for position, gram in enumerate(grams):
            token = gram + ("|" if position + 1 < len(grams) else "")
            if piece and len((piece + token).encode()) > 96:
                pieces.append(piece)
                piece = ""
            piece += token
        pieces.append(piece)
        out.extend(f'    "{p}"' for p in pieces)
        out[-1] += ";"
    out.append("")
    out.append("constexpr ModelClass kClasses[] = {")
    for index, cls in enumerate(CLASSES):
        out.append(f'    {{"{CLASS_LANG[cls]}", "{model[cls].script}", {model[cls].floor}, kCostRuns{index}, '
                   f"std::size(kCostRuns{index}), kGrams{index}}},  // {cls}")
    out.append("};")
    out.append("// clang-format on")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("\n".join(out) + "\n")


# Evaluation ----------------------------------------------------------------------------------------


def evaluate(predict, corpus, title):
    """Prints accuracy per held-out set for full lines and their first SHORT_CHARS characters."""
    print(f"\n{title}")
    print(f"| class | kind | lines | full: accuracy | full: wrong labels | first {SHORT_CHARS} chars: accuracy | wrong labels |")
    print("|---|---|---|---|---|---|---|")
    for (cls, kind), lines in sorted(corpus.heldout.items()):
        if not lines:
            continue
        cells = []
        for variant in (lines, [l[:SHORT_CHARS] for l in lines]):
            predictions = predict(variant)
            wrong = collections.Counter(p for p in predictions if p != CLASS_LANG[cls])
            accuracy = 100.0 * (len(variant) - sum(wrong.values())) / len(variant)
            cells.append(f"{accuracy:.1f}%")
            cells.append(", ".join(f"{k} {v}" for k, v in wrong.most_common(4)) or "-")
        print(f"| {cls} | {kind} | {len(lines)} | " + " | ".join(cells) + " |")


def write_heldout(corpus, folder):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "heldout.tsv"), "w", encoding="utf-8") as handle:
        for (cls, kind), lines in sorted(corpus.heldout.items()):
            for line in lines:
                clean = line.replace("\t", " ").replace("\r", " ").replace("\n", " ")
                handle.write(f"{CLASS_LANG[cls]}\t{kind}\t{clean}\n")


def cli_predictor(cli):
    def predict(lines):
        joined = "".join(l.replace("\r", " ").replace("\n", " ") + "\n" for l in lines)
        result = subprocess.run([cli, "text", "langid"], input=joined.encode(), capture_output=True, check=True)
        return [json.loads(l)["lang"] for l in result.stdout.decode().splitlines()]

    return predict


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sample-data", required=True, help="the shared data folder (../shared/data)")
    parser.add_argument("--debian-root", required=True, help="folder of extracted Debian packages (see above)")
    parser.add_argument("--locale-root", default="/usr/share/locale")
    parser.add_argument("--output", default=os.path.join(os.path.dirname(__file__), "../backend/text/langid_model.inc"))
    parser.add_argument("--heldout-dir", help="also write the held-out lines there")
    parser.add_argument("--score-cli", help="score this vietllm-cli on the held-out lines instead of training")
    args = parser.parse_args()

    corpus = Corpus()
    print("reading training text", file=sys.stderr)
    collect_vietnamese(corpus, args.sample_data)
    collect_english(corpus, args.sample_data, args.locale_root, args.debian_root)
    english_reference = {p for ps in debian_reference(args.debian_root, "en").values() for p in ps}
    for cls in OTHER_LANGUAGES:
        collect_other(corpus, cls, args.locale_root, args.debian_root, english_reference)
    finish(corpus)
    if args.heldout_dir:
        write_heldout(corpus, args.heldout_dir)
    if args.score_cli:
        evaluate(cli_predictor(args.score_cli), corpus, f"held-out accuracy of {args.score_cli}")
        return
    print("counting n-grams", file=sys.stderr)
    model = build_model(corpus)
    scorer = Scorer(model)
    temperature = fit_temperature(scorer, corpus)
    write_model(model, temperature, args.output)
    print(f"wrote {args.output} ({os.path.getsize(args.output)} bytes), temperature {temperature}", file=sys.stderr)
    evaluate(lambda lines: [scorer.identify(l)[0] for l in lines], corpus, "held-out accuracy (Python scorer)")


if __name__ == "__main__":
    main()
