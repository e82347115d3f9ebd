#include "backend/weights/safetensors.h"

#include "backend/common/atomic_file.h"
#include "backend/common/errors.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

namespace vietllm::weights {
namespace {

// The reference implementation's MAX_HEADER_SIZE: a larger header is refused before parsing.
constexpr std::uint64_t kMaxHeaderBytes = 100'000'000;
constexpr std::size_t kLengthPrefixBytes = 8;

struct DTypeInfo {
    DType dtype;
    const char* name;
    std::size_t size;
};

constexpr std::array<DTypeInfo, 15> kDTypes = {{
    {DType::Bool, "BOOL", 1},
    {DType::U8, "U8", 1},
    {DType::I8, "I8", 1},
    {DType::F8E5M2, "F8_E5M2", 1},
    {DType::F8E4M3, "F8_E4M3", 1},
    {DType::I16, "I16", 2},
    {DType::U16, "U16", 2},
    {DType::F16, "F16", 2},
    {DType::BF16, "BF16", 2},
    {DType::I32, "I32", 4},
    {DType::U32, "U32", 4},
    {DType::F32, "F32", 4},
    {DType::F64, "F64", 8},
    {DType::I64, "I64", 8},
    {DType::U64, "U64", 8},
}};

std::string tensorError(const std::string& source, const std::string& tensor, const std::string& what) {
    return source + ": tensor '" + tensor + "': " + what;
}

std::uint64_t readLittleEndian64(const std::uint8_t* bytes) {
    std::uint64_t value = 0;
    for (int i = 7; i >= 0; --i) {
        value = (value << 8) | bytes[i];
    }
    return value;
}

// Multiplies with an overflow check, so a hostile shape cannot wrap around to a small size.
bool checkedMultiply(std::uint64_t a, std::uint64_t b, std::uint64_t* out) {
    if (a != 0 && b > std::numeric_limits<std::uint64_t>::max() / a) {
        return false;
    }
    *out = a * b;
    return true;
}

// Parses the header JSON, refusing duplicate top-level names (nlohmann would keep the last one).
nlohmann::json parseHeaderJson(const std::string& text, const std::string& source) {
    if (text.empty() || text.front() != '{') {
        throw UserError(source + ": safetensors header does not start with '{'");
    }
    std::set<std::string> seen;
    std::string duplicate;
    const nlohmann::json::parser_callback_t detect_duplicates =
        [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
            if (depth == 1 && event == nlohmann::json::parse_event_t::key && parsed.is_string() &&
                !seen.insert(parsed.get<std::string>()).second && duplicate.empty()) {
                duplicate = parsed.get<std::string>();
            }
            return true;
        };
    nlohmann::json header;
    try {
        header = nlohmann::json::parse(text, detect_duplicates);
    } catch (const nlohmann::json::exception& error) {
        throw UserError(source + ": safetensors header is not valid JSON: " + error.what());
    }
    if (!header.is_object()) {
        throw UserError(source + ": safetensors header is not a JSON object");
    }
    if (!duplicate.empty()) {
        throw UserError(tensorError(source, duplicate, "name appears twice in the header"));
    }
    return header;
}

std::map<std::string, std::string> parseMetadata(const nlohmann::json& value, const std::string& source) {
    if (!value.is_object()) {
        throw UserError(source + ": safetensors '__metadata__' is not an object");
    }
    std::map<std::string, std::string> metadata;
    for (const auto& [key, item] : value.items()) {
        if (!item.is_string()) {
            throw UserError(source + ": safetensors '__metadata__' value of '" + key + "' is not a string");
        }
        metadata[key] = item.get<std::string>();
    }
    return metadata;
}

struct RawEntry {
    TensorView view;
    std::uint64_t begin = 0;
    std::uint64_t end = 0;
};

std::uint64_t nonNegativeInteger(const nlohmann::json& value, const std::string& source,
                                 const std::string& name, const std::string& field) {
    if (!value.is_number_unsigned()) {
        throw UserError(tensorError(source, name, "'" + field + "' must hold non-negative integers"));
    }
    return value.get<std::uint64_t>();
}

RawEntry parseEntry(const std::string& name, const nlohmann::json& entry, const std::string& source) {
    if (!entry.is_object()) {
        throw UserError(tensorError(source, name, "entry is not an object"));
    }
    RawEntry raw;
    raw.view.name = name;
    const auto dtype = entry.find("dtype");
    if (dtype == entry.end() || !dtype->is_string()) {
        throw UserError(tensorError(source, name, "missing 'dtype'"));
    }
    raw.view.dtype = dtypeFromName(dtype->get<std::string>());
    if (raw.view.dtype == DType::Invalid) {
        throw UserError(tensorError(source, name, "unsupported dtype '" + dtype->get<std::string>() + "'"));
    }
    const auto shape = entry.find("shape");
    if (shape == entry.end() || !shape->is_array()) {
        throw UserError(tensorError(source, name, "missing 'shape'"));
    }
    std::uint64_t byte_size = dtypeSize(raw.view.dtype);
    for (const auto& dim : *shape) {
        const std::uint64_t extent = nonNegativeInteger(dim, source, name, "shape");
        if (extent > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) ||
            !checkedMultiply(byte_size, extent, &byte_size)) {
            throw UserError(tensorError(source, name, "shape overflows the addressable size"));
        }
        raw.view.shape.push_back(static_cast<std::int64_t>(extent));
    }
    const auto offsets = entry.find("data_offsets");
    if (offsets == entry.end() || !offsets->is_array() || offsets->size() != 2) {
        throw UserError(tensorError(source, name, "'data_offsets' must be [begin, end]"));
    }
    raw.begin = nonNegativeInteger((*offsets)[0], source, name, "data_offsets");
    raw.end = nonNegativeInteger((*offsets)[1], source, name, "data_offsets");
    if (raw.end < raw.begin) {
        throw UserError(tensorError(source, name, "data_offsets end is before begin"));
    }
    if (raw.end - raw.begin != byte_size) {
        throw UserError(tensorError(source, name,
                                    "data_offsets span " + std::to_string(raw.end - raw.begin) +
                                        " bytes but shape x dtype needs " + std::to_string(byte_size)));
    }
    raw.view.byte_size = static_cast<std::size_t>(byte_size);
    return raw;
}

}  // namespace

std::size_t dtypeSize(DType dtype) {
    for (const DTypeInfo& info : kDTypes) {
        if (info.dtype == dtype) {
            return info.size;
        }
    }
    return 0;
}

std::string dtypeName(DType dtype) {
    for (const DTypeInfo& info : kDTypes) {
        if (info.dtype == dtype) {
            return info.name;
        }
    }
    return "invalid";
}

DType dtypeFromName(const std::string& name) {
    for (const DTypeInfo& info : kDTypes) {
        if (name == info.name) {
            return info.dtype;
        }
    }
    return DType::Invalid;
}

std::int64_t TensorView::elementCount() const {
    std::int64_t count = 1;
    for (const std::int64_t extent : shape) {
        count *= extent;
    }
    return count;
}

std::vector<TensorView> parseSafetensors(const std::uint8_t* data, std::size_t size,
                                         const std::string& source,
                                         std::map<std::string, std::string>* metadata) {
    if (size < kLengthPrefixBytes) {
        throw UserError(source + ": not a safetensors file: shorter than the 8-byte header length");
    }
    const std::uint64_t header_bytes = readLittleEndian64(data);
    if (header_bytes > kMaxHeaderBytes) {
        throw UserError(source + ": safetensors header length " + std::to_string(header_bytes) +
                        " exceeds the 100,000,000-byte limit (corrupt or not a safetensors file)");
    }
    if (header_bytes > size - kLengthPrefixBytes) {
        throw UserError(source + ": safetensors header length " + std::to_string(header_bytes) +
                        " runs past the end of the file (" + std::to_string(size) + " bytes): truncated?");
    }
    const std::string text(reinterpret_cast<const char*>(data + kLengthPrefixBytes), header_bytes);
    const nlohmann::json header = parseHeaderJson(text, source);

    std::vector<RawEntry> entries;
    for (const auto& [name, entry] : header.items()) {
        if (name == "__metadata__") {
            std::map<std::string, std::string> parsed = parseMetadata(entry, source);
            if (metadata != nullptr) {
                *metadata = std::move(parsed);
            }
            continue;
        }
        entries.push_back(parseEntry(name, entry, source));
    }
    std::sort(entries.begin(), entries.end(), [](const RawEntry& a, const RawEntry& b) {
        return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
    });
    const std::uint8_t* buffer = data + kLengthPrefixBytes + header_bytes;
    const std::uint64_t buffer_bytes = size - kLengthPrefixBytes - header_bytes;
    std::uint64_t expected_begin = 0;
    std::vector<TensorView> views;
    for (RawEntry& entry : entries) {
        if (entry.begin != expected_begin) {
            throw UserError(tensorError(source, entry.view.name,
                                        "data_offsets begin at " + std::to_string(entry.begin) +
                                            ", expected " + std::to_string(expected_begin) +
                                            " (gap or overlap)"));
        }
        if (entry.end > buffer_bytes) {
            throw UserError(
                tensorError(source, entry.view.name, "data runs past the end of the file: truncated?"));
        }
        entry.view.data = buffer + entry.begin;
        expected_begin = entry.end;
        views.push_back(std::move(entry.view));
    }
    if (expected_begin != buffer_bytes) {
        throw UserError(source + ": safetensors data buffer is " + std::to_string(buffer_bytes) +
                        " bytes but the tensors cover " + std::to_string(expected_begin));
    }
    return views;
}

SafetensorsFile::SafetensorsFile(std::string path) : m_path(std::move(path)), m_file(m_path, "weights file") {
    m_tensors = parseSafetensors(m_file.data(), m_file.size(), m_path, &m_metadata);
}

const TensorView* SafetensorsFile::find(const std::string& name) const {
    for (const TensorView& view : m_tensors) {
        if (view.name == name) {
            return &view;
        }
    }
    return nullptr;
}

void writeSafetensors(const std::string& path, const std::vector<TensorToWrite>& tensors,
                      const std::map<std::string, std::string>& metadata) {
    std::vector<const TensorToWrite*> ordered;
    std::set<std::string> names;
    for (const TensorToWrite& tensor : tensors) {
        if (dtypeSize(tensor.dtype) == 0) {
            throw UserError(tensorError(path, tensor.name, "cannot write an invalid dtype"));
        }
        if (!names.insert(tensor.name).second || tensor.name == "__metadata__") {
            throw UserError(tensorError(path, tensor.name, "name used twice or reserved"));
        }
        ordered.push_back(&tensor);
    }
    std::sort(ordered.begin(), ordered.end(), [](const TensorToWrite* a, const TensorToWrite* b) {
        const std::size_t size_a = dtypeSize(a->dtype);
        const std::size_t size_b = dtypeSize(b->dtype);
        return size_a != size_b ? size_a > size_b : a->name < b->name;
    });
    nlohmann::json header = nlohmann::json::object();
    if (!metadata.empty()) {
        header["__metadata__"] = metadata;
    }
    std::vector<std::size_t> byte_sizes;
    std::size_t offset = 0;
    for (const TensorToWrite* tensor : ordered) {
        std::size_t bytes = dtypeSize(tensor->dtype);
        for (const std::int64_t extent : tensor->shape) {
            bytes *= static_cast<std::size_t>(extent);
        }
        header[tensor->name] = {{"dtype", dtypeName(tensor->dtype)},
                                {"shape", tensor->shape},
                                {"data_offsets", {offset, offset + bytes}}};
        byte_sizes.push_back(bytes);
        offset += bytes;
    }
    std::string text = header.dump();
    text.append((8 - text.size() % 8) % 8, ' ');
    AtomicFileWriter writer(path);
    std::ofstream& out = writer.stream();
    std::array<char, kLengthPrefixBytes> length{};
    std::uint64_t header_bytes = text.size();
    for (char& byte : length) {
        byte = static_cast<char>(header_bytes & 0xFF);
        header_bytes >>= 8;
    }
    out.write(length.data(), length.size());
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    for (std::size_t i = 0; i < ordered.size(); ++i) {
        out.write(static_cast<const char*>(ordered[i]->data), static_cast<std::streamsize>(byte_sizes[i]));
    }
    writer.commit();
}

WeightSet::WeightSet(const std::string& model_dir) : m_directory(model_dir) {
    namespace fs = std::filesystem;
    const fs::path dir(model_dir);
    const fs::path single = dir / "model.safetensors";
    const fs::path index_path = dir / "model.safetensors.index.json";
    std::vector<std::string> shard_files;
    if (fs::exists(single)) {
        shard_files.push_back(single.string());
    } else if (fs::exists(index_path)) {
        std::ifstream in(index_path);
        nlohmann::json index;
        try {
            index = nlohmann::json::parse(in);
        } catch (const nlohmann::json::exception& error) {
            throw UserError(index_path.string() + ": not valid JSON: " + error.what());
        }
        const auto weight_map = index.find("weight_map");
        if (weight_map == index.end() || !weight_map->is_object()) {
            throw UserError(index_path.string() + ": missing 'weight_map' object");
        }
        std::set<std::string> unique_shards;
        for (const auto& [tensor, shard] : weight_map->items()) {
            if (!shard.is_string() || shard.get<std::string>().find('/') != std::string::npos) {
                throw UserError(index_path.string() + ": 'weight_map' entry of '" + tensor +
                                "' must name a shard file in the same folder");
            }
            unique_shards.insert(shard.get<std::string>());
        }
        for (const std::string& shard : unique_shards) {
            shard_files.push_back((dir / shard).string());
        }
    } else {
        throw UserError(model_dir + ": no model.safetensors or model.safetensors.index.json in this folder");
    }
    for (const std::string& file : shard_files) {
        m_files.push_back(std::make_unique<SafetensorsFile>(file));
        for (const TensorView& view : m_files.back()->tensors()) {
            if (!m_index.emplace(view.name, &view).second) {
                throw UserError(tensorError(file, view.name, "also present in another shard"));
            }
        }
    }
}

const TensorView* WeightSet::find(const std::string& name) const {
    const auto found = m_index.find(name);
    return found == m_index.end() ? nullptr : found->second;
}

const TensorView& WeightSet::require(const std::string& name) const {
    const TensorView* view = find(name);
    if (view == nullptr) {
        throw UserError(m_directory + ": weights lack tensor '" + name + "'");
    }
    return *view;
}

std::vector<std::string> WeightSet::names() const {
    std::vector<std::string> all;
    for (const auto& entry : m_index) {
        all.push_back(entry.first);
    }
    return all;
}

}  // namespace vietllm::weights
