#pragma once
// Writes a file so that readers never see it half-written: data goes to a temporary file in the
// same folder and is renamed over the target only on commit(). Without commit() (an error, a
// cancel) the temporary file is removed and any existing target is left as it was.

#include <fstream>
#include <string>

namespace vietllm {

class AtomicFileWriter {
public:
    /// Opens a temporary file next to `target_path`; throws UserError if the folder is not writable.
    explicit AtomicFileWriter(std::string target_path);
    ~AtomicFileWriter();
    AtomicFileWriter(const AtomicFileWriter&) = delete;
    AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;

    /// The stream to write the file's content to.
    std::ofstream& stream() { return m_stream; }
    /// Flushes, syncs and renames the temporary file over the target; throws UserError on failure.
    void commit();
    const std::string& targetPath() const { return m_target_path; }

private:
    std::string m_target_path;
    std::string m_temp_path;
    std::ofstream m_stream;
    bool m_committed = false;
};

}  // namespace vietllm
