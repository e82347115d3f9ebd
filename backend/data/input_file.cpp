// Input files for the readers. zlib's gz* functions read gzip files and, transparently, plain
// ones, so one stream type serves both (hh-rlhf is shared as .jsonl.gz).

#include "backend/common/errors.h"
#include "backend/data/formats.h"

#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <istream>
#include <streambuf>
#include <vector>

namespace vietllm::data {

namespace {

constexpr unsigned kBufferBytes = 128 * 1024;

class GzipFileBuffer : public std::streambuf {
public:
    GzipFileBuffer(gzFile file, std::string path)
        : m_file(file), m_path(std::move(path)), m_buffer(kBufferBytes) {
        gzbuffer(m_file, kBufferBytes);
    }
    ~GzipFileBuffer() override { gzclose(m_file); }
    GzipFileBuffer(const GzipFileBuffer&) = delete;
    GzipFileBuffer& operator=(const GzipFileBuffer&) = delete;

protected:
    // Refills the buffer. Errors (a truncated or corrupt gzip file) throw: the reading stream
    // rethrows them, so they are never mistaken for the end of the file.
    int_type underflow() override {
        if (gptr() < egptr()) {
            return traits_type::to_int_type(*gptr());
        }
        const int bytes_read = gzread(m_file, m_buffer.data(), kBufferBytes);
        if (bytes_read < 0) {
            int error_code = 0;
            const char* message = gzerror(m_file, &error_code);
            throw UserError(m_path + ": cannot read (" +
                            (error_code == Z_ERRNO ? std::strerror(errno) : std::string(message)) + ")");
        }
        if (bytes_read == 0) {
            // At the end, Z_BUF_ERROR means the file ended inside a gzip stream: a truncated file.
            int error_code = Z_OK;
            gzerror(m_file, &error_code);
            if (error_code == Z_BUF_ERROR) {
                throw UserError(m_path + ": cannot read (the gzip data is truncated)");
            }
            return traits_type::eof();
        }
        setg(m_buffer.data(), m_buffer.data(), m_buffer.data() + bytes_read);
        return traits_type::to_int_type(*gptr());
    }

private:
    gzFile m_file;
    std::string m_path;
    std::vector<char> m_buffer;
};

class GzipFileStream : public std::istream {
public:
    GzipFileStream(gzFile file, std::string path) : std::istream(nullptr), m_buffer(file, std::move(path)) {
        rdbuf(&m_buffer);
        exceptions(std::ios::badbit);
    }

private:
    GzipFileBuffer m_buffer;
};

}  // namespace

std::unique_ptr<std::istream> openInputFile(const std::string& path) {
    gzFile file = path == "-" ? gzdopen(::dup(STDIN_FILENO), "rb") : gzopen(path.c_str(), "rb");
    if (file == nullptr) {
        throw UserError(path + ": cannot open (" + std::strerror(errno) + ")");
    }
    return std::make_unique<GzipFileStream>(file, path == "-" ? std::string("<stdin>") : path);
}

}  // namespace vietllm::data
