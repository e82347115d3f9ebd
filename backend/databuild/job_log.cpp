#include "backend/databuild/job_log.h"

#include "backend/common/atomic_file.h"
#include "backend/common/errors.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>

namespace vietllm::databuild {

namespace {

namespace fs = std::filesystem;

// A streaming SHA-256 (OpenSSL's libcrypto, already linked for the response cache).
class Sha256 {
public:
    Sha256() : m_context(EVP_MD_CTX_new(), EVP_MD_CTX_free) {
        if (!m_context || EVP_DigestInit_ex(m_context.get(), EVP_sha256(), nullptr) != 1) {
            throw std::runtime_error("SHA-256 init failed");
        }
    }
    void update(std::string_view bytes) {
        if (EVP_DigestUpdate(m_context.get(), bytes.data(), bytes.size()) != 1) {
            throw std::runtime_error("SHA-256 update failed");
        }
    }
    void updateFile(const fs::path& path) {
        std::ifstream file(path, std::ios::binary);
        if (!file) {
            throw UserError(path.string() + ": cannot read");
        }
        std::array<char, 1 << 16> buffer{};
        while (file.read(buffer.data(), buffer.size()) || file.gcount() > 0) {
            update(std::string_view(buffer.data(), static_cast<std::size_t>(file.gcount())));
        }
    }
    std::string hex() {
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned int size = 0;
        if (EVP_DigestFinal_ex(m_context.get(), digest, &size) != 1) {
            throw std::runtime_error("SHA-256 final failed");
        }
        std::string text;
        for (unsigned int i = 0; i < size; ++i) {
            char pair[3];
            std::snprintf(pair, sizeof pair, "%02x", digest[i]);
            text += pair;
        }
        return text;
    }

private:
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> m_context;
};

nlohmann::ordered_json toJson(const JobFileHash& hash) {
    return {{"path", hash.path}, {"sha256", hash.sha256}};
}

JobFileHash hashFromJson(const nlohmann::ordered_json& value) {
    return {value.at("path").get<std::string>(), value.at("sha256").get<std::string>()};
}

}  // namespace

std::string sha256Hex(std::string_view bytes) {
    Sha256 hash;
    hash.update(bytes);
    return hash.hex();
}

std::string sha256OfPath(const std::string& path) {
    std::error_code error;
    if (!fs::exists(path, error)) {
        return {};
    }
    Sha256 hash;
    if (!fs::is_directory(path, error)) {
        hash.updateFile(path);
        return hash.hex();
    }
    std::vector<fs::path> files;
    for (const fs::directory_entry& entry : fs::recursive_directory_iterator(path)) {
        if (entry.is_regular_file()) {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& file : files) {
        const std::string relative = fs::relative(file, path).generic_string();
        hash.update(relative);
        hash.update(std::string_view("\0", 1));
        hash.updateFile(file);
    }
    return hash.hex();
}

std::string jobRecordPath(const std::string& output_path) {
    std::string path = output_path;
    while (path.size() > 1 && (path.back() == '/' || path.back() == '\\')) {
        path.pop_back();
    }
    return path + ".job.json";
}

nlohmann::ordered_json toJson(const JobRecord& record) {
    nlohmann::ordered_json inputs = nlohmann::ordered_json::array();
    for (const JobFileHash& input : record.inputs) {
        inputs.push_back(toJson(input));
    }
    return {{"recipe", record.recipe},
            {"step_id", record.step_id},
            {"step", record.step},
            {"status", record.status},
            {"started_at", record.started_at},
            {"finished_at", record.finished_at},
            {"config_sha256", record.config_sha256},
            {"inputs", inputs},
            {"output", toJson(record.output)},
            {"summary", record.summary}};
}

std::optional<JobRecord> readJobRecord(const std::string& path) {
    std::ifstream file(path);
    if (!file) {
        return std::nullopt;
    }
    const nlohmann::ordered_json value = nlohmann::ordered_json::parse(file, nullptr, false);
    try {
        JobRecord record;
        record.recipe = value.at("recipe").get<std::string>();
        record.step_id = value.at("step_id").get<std::string>();
        record.step = value.at("step").get<std::string>();
        record.status = value.at("status").get<std::string>();
        record.started_at = value.at("started_at").get<std::string>();
        record.finished_at = value.at("finished_at").get<std::string>();
        record.config_sha256 = value.at("config_sha256").get<std::string>();
        for (const nlohmann::ordered_json& input : value.at("inputs")) {
            record.inputs.push_back(hashFromJson(input));
        }
        record.output = hashFromJson(value.at("output"));
        record.summary = value.at("summary");
        return record;
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
}

void writeJobRecord(const std::string& path, const JobRecord& record) {
    AtomicFileWriter writer(path);
    writer.stream() << toJson(record).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    writer.commit();
}

std::string utcNow() {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

}  // namespace vietllm::databuild
