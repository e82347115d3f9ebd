#pragma once
// safetensors: the Hugging Face weight format (8-byte little-endian header length N, N bytes of
// JSON describing each tensor, then the raw data). Files are memory-mapped and every header rule of
// the reference implementation is checked before any view is handed out, so a corrupt or truncated
// file gives a UserError naming the file and tensor instead of a crash.

#include "backend/weights/mapped_file.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace vietllm::weights {

/// Element types of the format (names as written in headers: "F32", "BF16", ...).
enum class DType {
    Invalid = 0,
    Bool,
    U8,
    I8,
    F8E5M2,
    F8E4M3,
    I16,
    U16,
    F16,
    BF16,
    I32,
    U32,
    F32,
    F64,
    I64,
    U64
};

/// Bytes per element of `dtype` (0 for Invalid).
std::size_t dtypeSize(DType dtype);
/// The header name of `dtype`, e.g. "BF16".
std::string dtypeName(DType dtype);
/// The DType for a header name; Invalid when the name is unknown.
DType dtypeFromName(const std::string& name);

/// A read-only view of one tensor inside a mapped file (valid while the file object lives).
struct TensorView {
    std::string name;
    DType dtype = DType::Invalid;
    std::vector<std::int64_t> shape;
    const std::uint8_t* data = nullptr;
    std::size_t byte_size = 0;

    /// Number of elements (1 for a 0-rank tensor).
    std::int64_t elementCount() const;
};

/// One memory-mapped .safetensors file with a validated header.
class SafetensorsFile {
public:
    /// Maps and validates `path`; throws UserError naming the file (and tensor) on any defect.
    explicit SafetensorsFile(std::string path);
    SafetensorsFile(const SafetensorsFile&) = delete;
    SafetensorsFile& operator=(const SafetensorsFile&) = delete;

    const std::string& path() const { return m_path; }
    /// Tensors in data order.
    const std::vector<TensorView>& tensors() const { return m_tensors; }
    /// The tensor called `name`, or nullptr.
    const TensorView* find(const std::string& name) const;
    /// The optional "__metadata__" string map.
    const std::map<std::string, std::string>& metadata() const { return m_metadata; }

private:
    std::string m_path;
    MappedFile m_file;
    std::vector<TensorView> m_tensors;
    std::map<std::string, std::string> m_metadata;
};

/// Parses and validates a whole safetensors image held in memory (`data`, `size` bytes); views
/// point into `data`. `source` names the file in error messages. Exposed for SafetensorsFile and
/// for corruption tests.
std::vector<TensorView> parseSafetensors(const std::uint8_t* data, std::size_t size,
                                         const std::string& source,
                                         std::map<std::string, std::string>* metadata);

/// A tensor to write: the caller owns the bytes (`shape` elements of `dtype`, row-major).
struct TensorToWrite {
    std::string name;
    DType dtype = DType::Invalid;
    std::vector<std::int64_t> shape;
    const void* data = nullptr;
};

/// Writes a safetensors file atomically: tensors ordered by descending element size then name,
/// header padded with spaces to a multiple of 8 so every tensor is 8-byte aligned. Throws UserError
/// on duplicate names or an unwritable path.
void writeSafetensors(const std::string& path, const std::vector<TensorToWrite>& tensors,
                      const std::map<std::string, std::string>& metadata = {});

/// The weights of a model directory: model.safetensors, or the shards listed by
/// model.safetensors.index.json ("weight_map": tensor name -> shard file).
class WeightSet {
public:
    /// Opens the weights of `model_dir`; throws UserError when none are found or one is corrupt.
    explicit WeightSet(const std::string& model_dir);

    /// The tensor `name`, or nullptr.
    const TensorView* find(const std::string& name) const;
    /// The tensor `name`; throws UserError naming it and the directory when absent.
    const TensorView& require(const std::string& name) const;
    /// Every tensor name, sorted.
    std::vector<std::string> names() const;
    const std::string& directory() const { return m_directory; }

private:
    std::string m_directory;
    std::vector<std::unique_ptr<SafetensorsFile>> m_files;
    std::map<std::string, const TensorView*> m_index;
};

}  // namespace vietllm::weights
