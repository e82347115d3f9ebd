#pragma once
// The built-in local-engine backend of the model steps (`--local-model DIR`): a
// `vietllm-engine serve` child process (the engine vietllm-cli execs for its model commands) on
// a free localhost port, which the steps' OpenAI-compatible client talks to like any endpoint.
// The child never outlives us: it is stopped when the server object goes (also on an error), and
// the kernel sends it SIGTERM when this process dies (Ctrl+C, kill).

#include "app/cli/options.h"
#include "backend/net/chat_client.h"

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>

namespace vietllm::cli {

class LocalEngineServer {
public:
    /// Starts `engine_path serve --model MODEL_DIR --port 0` (with --model-name when `model_name`
    /// is not empty), its stderr in `log_path`, and waits until /v1/models answers. Throws
    /// UserError with the end of the log when it exits or is not ready within `timeout_ms`.
    LocalEngineServer(const std::string& engine_path, const std::string& model_dir,
                      const std::string& model_name, const std::string& log_path, std::int64_t timeout_ms);
    /// Stops the child: SIGTERM, then SIGKILL when it has not exited within 10 s.
    ~LocalEngineServer();
    LocalEngineServer(const LocalEngineServer&) = delete;
    LocalEngineServer& operator=(const LocalEngineServer&) = delete;

    /// The base URL, http://127.0.0.1:PORT/v1.
    const std::string& endpoint() const { return m_endpoint; }
    /// The model name the server answers to.
    const std::string& modelName() const { return m_model_name; }
    pid_t pid() const { return m_pid; }

private:
    void readAnnouncement(int stdout_fd, std::int64_t deadline_ms);
    void waitUntilReady(std::int64_t deadline_ms);
    [[noreturn]] void fail(const std::string& what);

    std::string m_log_path;
    pid_t m_pid = -1;
    std::string m_endpoint;
    std::string m_model_name;
};

/// The path of vietllm-engine beside the running executable (vietllm-cli), where the build and the
/// install put it; plain "vietllm-engine" when /proc/self/exe cannot be read.
std::string engineExecutablePath();

/// The option names of the local-engine backend, for the model steps' option sets.
inline constexpr const char* kLocalModelOption = "local-model";
inline constexpr const char* kLocalModelTimeoutOption = "local-model-timeout-s";

/// With --local-model DIR: refuses --endpoint, starts the engine (log OUTPUT.engine.log) and points
/// `client` at it; the returned server must outlive the step. Without it: nullptr.
std::unique_ptr<LocalEngineServer> startLocalModel(const ParsedOptions& options, const std::string& output,
                                                   net::ChatClientOptions& client);

/// The usage lines of the local-engine options.
extern const char* const kLocalModelUsage;

}  // namespace vietllm::cli
