#include "backend/common/atomic_file.h"

#include "backend/common/errors.h"

#include <fcntl.h>
#include <unistd.h>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace vietllm {

namespace {

void syncFile(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

}  // namespace

AtomicFileWriter::AtomicFileWriter(std::string target_path)
    : m_target_path(std::move(target_path)),
      m_temp_path(m_target_path + ".part." + std::to_string(::getpid())) {
    m_stream.open(m_temp_path, std::ios::binary | std::ios::trunc);
    if (!m_stream) {
        throw UserError(m_target_path + ": cannot write here (" + std::strerror(errno) + ")");
    }
}

AtomicFileWriter::~AtomicFileWriter() {
    if (!m_committed) {
        m_stream.close();
        std::remove(m_temp_path.c_str());
    }
}

void AtomicFileWriter::commit() {
    m_stream.flush();
    const bool write_failed = !m_stream;
    m_stream.close();
    if (write_failed) {
        throw UserError(m_target_path + ": writing failed (disk full?)");
    }
    syncFile(m_temp_path);
    if (std::rename(m_temp_path.c_str(), m_target_path.c_str()) != 0) {
        throw UserError(m_target_path + ": cannot replace the file (" + std::strerror(errno) + ")");
    }
    m_committed = true;
}

}  // namespace vietllm
