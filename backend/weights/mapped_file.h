#pragma once
// A whole file mapped read-only into memory (POSIX mmap), unmapped when the object goes: the
// weights readers (safetensors, GGUF) parse and view tensors in place instead of copying
// gigabytes into buffers.

#include <cstddef>
#include <cstdint>
#include <string>

namespace vietllm::weights {

class MappedFile {
public:
    /// Maps `path`. Throws UserError naming the file when it cannot be opened ("cannot open
    /// `what`"), is not a regular file, or cannot be mapped. An empty file maps to size 0 and no
    /// data.
    MappedFile(const std::string& path, const std::string& what);
    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    /// The file's bytes (nullptr for an empty file), valid while this object lives.
    const std::uint8_t* data() const { return static_cast<const std::uint8_t*>(m_mapping); }
    std::size_t size() const { return m_size; }

private:
    void* m_mapping = nullptr;
    std::size_t m_size = 0;
};

}  // namespace vietllm::weights
