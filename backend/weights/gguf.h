#pragma once
// GGUF, the single-file model format of llama.cpp/ggml (version 3): typed metadata key-values,
// tensor infos, then aligned tensor data. The writer streams tensors one at a time so that
// exporting a large model never holds more than one encoded tensor in memory; the reader maps a
// file and validates every field (bounds, types, alignment, overlaps) before handing out views, so a
// truncated or corrupt file is a UserError naming the file, never a crash. The Q8_0 and Q4_0 block
// quantizers follow ggml's reference definitions (docs/formats.md).

#include "backend/weights/mapped_file.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace vietllm::weights {

/// ggml tensor types by their file ids. F32 is 0 in the format itself, so this enum has no
/// Invalid member; ggmlTypeFromId() says whether an id is known.
enum class GgmlType : std::uint32_t {
    F32 = 0,
    F16 = 1,
    Q4_0 = 2,
    Q4_1 = 3,
    Q5_0 = 6,
    Q5_1 = 7,
    Q8_0 = 8,
    Q8_1 = 9,
    Q2_K = 10,
    Q3_K = 11,
    Q4_K = 12,
    Q5_K = 13,
    Q6_K = 14,
    Q8_K = 15,
    I8 = 24,
    I16 = 25,
    I32 = 26,
    I64 = 27,
    F64 = 28,
    BF16 = 30,
};

/// The type with file id `id`; false when this reader does not know its block layout.
bool ggmlTypeFromId(std::uint32_t id, GgmlType* type);
/// "F32", "Q8_0", ...
std::string ggmlTypeName(GgmlType type);
/// Elements per block (1 for plain types, 32 for Q4_0/Q8_0, 256 for K-quants).
std::size_t ggmlBlockSize(GgmlType type);
/// Bytes per block.
std::size_t ggmlBlockBytes(GgmlType type);
/// Bytes of `elements` values of `type` (elements must be a multiple of the block size).
std::uint64_t ggmlByteSize(GgmlType type, std::uint64_t elements);

/// Metadata value types by their file ids.
enum class GgufValueType : std::uint32_t {
    Uint8 = 0,
    Int8 = 1,
    Uint16 = 2,
    Int16 = 3,
    Uint32 = 4,
    Int32 = 5,
    Float32 = 6,
    Bool = 7,
    String = 8,
    Array = 9,
    Uint64 = 10,
    Int64 = 11,
    Float64 = 12,
};

/// "uint32", "string", "array[string]"... as printed by `model gguf-info`.
std::string ggufValueTypeName(GgufValueType type, GgufValueType element_type);

/// One metadata value: its file type (and element type for arrays) and the value as JSON
/// (numbers, booleans, strings, arrays of them).
struct GgufValue {
    GgufValueType type = GgufValueType::Uint8;
    GgufValueType element_type = GgufValueType::Uint8;  ///< arrays only
    nlohmann::json value;
};

/// Collects metadata and tensors, then writes a GGUF v3 file atomically.
class GgufWriter {
public:
    /// Produces a tensor's encoded bytes when write() reaches it (exactly its byte size).
    using Encoder = std::function<std::vector<std::uint8_t>()>;

    void addUint32(const std::string& key, std::uint32_t value);
    void addInt32(const std::string& key, std::int32_t value);
    void addUint64(const std::string& key, std::uint64_t value);
    void addFloat32(const std::string& key, float value);
    void addBool(const std::string& key, bool value);
    void addString(const std::string& key, const std::string& value);
    void addStringArray(const std::string& key, const std::vector<std::string>& values);
    void addFloat32Array(const std::string& key, const std::vector<float>& values);
    void addInt32Array(const std::string& key, const std::vector<std::int32_t>& values);

    /// Adds a tensor of row-major `shape` (outermost first, as in PyTorch; stored reversed as ggml
    /// wants) in `type`, encoded by `encode` during write(). Throws UserError for a duplicate name,
    /// an empty or 5-D shape, or an innermost extent that is not a multiple of the block size.
    void addTensor(const std::string& name, const std::vector<std::int64_t>& shape, GgmlType type,
                   Encoder encode);

    /// Writes the file (header, metadata, tensor infos, data aligned to 32 bytes); nothing is left
    /// at `path` if an encoder throws or the disk fills. `on_tensor` (optional) is told after each
    /// tensor (index, count).
    void write(const std::string& path,
               const std::function<void(std::size_t, std::size_t)>& on_tensor = {}) const;

private:
    struct PendingTensor {
        std::string name;
        std::vector<std::int64_t> shape;
        GgmlType type = GgmlType::F32;
        std::uint64_t byte_size = 0;
        Encoder encode;
    };
    void addValue(const std::string& key, GgufValue value);

    std::vector<std::pair<std::string, GgufValue>> m_metadata;
    std::vector<PendingTensor> m_tensors;
};

/// A tensor inside a mapped GGUF file.
struct GgufTensorInfo {
    std::string name;
    std::vector<std::int64_t> dims;  ///< ggml order: dims[0] is the innermost (contiguous) extent
    GgmlType type = GgmlType::F32;
    std::uint64_t offset = 0;  ///< from the start of the data section
    std::uint64_t byte_size = 0;
    const std::uint8_t* data = nullptr;

    /// Row-major shape (dims reversed), as PyTorch would see it.
    std::vector<std::int64_t> shape() const;
    std::uint64_t elementCount() const;
};

/// The parsed parts of a GGUF image (views point into the image).
struct GgufContents {
    std::uint32_t version = 0;
    std::map<std::string, GgufValue> metadata;
    std::vector<std::string> metadata_order;  ///< keys in file order
    std::vector<GgufTensorInfo> tensors;      ///< in file order
    std::uint64_t alignment = 32;
    std::uint64_t data_offset = 0;  ///< where the data section starts
};

/// Parses and validates a whole GGUF image in memory; `source` names it in errors. Exposed for
/// GgufFile and for corruption tests.
GgufContents parseGguf(const std::uint8_t* data, std::size_t size, const std::string& source);

/// A memory-mapped, validated GGUF file.
class GgufFile {
public:
    /// Maps and validates `path`; throws UserError naming the file (and key or tensor) on a defect.
    explicit GgufFile(std::string path);
    GgufFile(const GgufFile&) = delete;
    GgufFile& operator=(const GgufFile&) = delete;

    const std::string& path() const { return m_path; }
    const GgufContents& contents() const { return m_contents; }
    /// The value of `key`, or nullptr.
    const GgufValue* find(const std::string& key) const;
    /// The tensor called `name`, or nullptr.
    const GgufTensorInfo* findTensor(const std::string& name) const;

private:
    std::string m_path;
    MappedFile m_file;
    GgufContents m_contents;
};

/// `count` floats as ggml's reference Q8_0 (blocks of 32: half scale max|x|/127, int8 round(x/d)).
std::vector<std::uint8_t> quantizeQ8_0(const float* values, std::size_t count);
/// `count` floats as ggml's reference Q4_0 (blocks of 32: half scale d = signed max-magnitude value
/// / -8, nibbles min(15, x/d + 8.5); byte j holds element j low and element j + 16 high).
std::vector<std::uint8_t> quantizeQ4_0(const float* values, std::size_t count);
/// The float32 values of a tensor stored as F32, F16, BF16, Q8_0 or Q4_0; throws UserError for
/// other types.
std::vector<float> dequantizeTensor(const GgufTensorInfo& tensor);

}  // namespace vietllm::weights
