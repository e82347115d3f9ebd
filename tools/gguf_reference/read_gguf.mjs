// Prints what @huggingface/gguf reads from a GGUF file as one JSON object: the typed metadata
// (long arrays as their length and first items) and the tensor infos, so that tests can compare it
// with our own reader. Usage: node read_gguf.mjs FILE.gguf (with node_modules next to this file or
// NODE_PATH pointing at them).
import { gguf } from "@huggingface/gguf";

const kShownItems = 8;

function plain(value) {
  if (typeof value === "bigint") return Number(value);
  if (Array.isArray(value)) return value.map(plain);
  return value;
}

function shown(entry) {
  const value = plain(entry.value);
  if (Array.isArray(value) && value.length > kShownItems) {
    return { length: value.length, first: value.slice(0, kShownItems) };
  }
  return value;
}

const file = process.argv[2];
const { typedMetadata, tensorInfos } = await gguf(file, { allowLocalFile: true, typedMetadata: true });
const metadata = {};
for (const [key, entry] of Object.entries(typedMetadata)) {
  if (key === "version" || key === "tensor_count" || key === "kv_count") continue;
  metadata[key] = { type: entry.type, subType: entry.subType ?? null, value: shown(entry) };
}
const tensors = tensorInfos.map((info) => ({
  name: info.name,
  dims: info.shape.map(Number),
  type: info.dtype,
  offset: Number(info.offset),
}));
console.log(JSON.stringify({ version: plain(typedMetadata.version.value), metadata, tensors }));
