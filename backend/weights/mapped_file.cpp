#include "backend/weights/mapped_file.h"

#include "backend/common/errors.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace vietllm::weights {

MappedFile::MappedFile(const std::string& path, const std::string& what) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        throw UserError(path + ": cannot open " + what);
    }
    struct stat info {};
    if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        ::close(fd);
        throw UserError(path + ": not a regular file");
    }
    const auto size = static_cast<std::size_t>(info.st_size);
    void* mapping = size > 0 ? ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0) : nullptr;
    ::close(fd);
    if (mapping == MAP_FAILED) {
        throw UserError(path + ": cannot memory-map " + what);
    }
    m_mapping = mapping;
    m_size = size;
}

MappedFile::~MappedFile() {
    if (m_mapping != nullptr) {
        ::munmap(m_mapping, m_size);
    }
}

}  // namespace vietllm::weights
