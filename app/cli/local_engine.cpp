#include "app/cli/local_engine.h"

#include "backend/common/errors.h"
#include "backend/net/http_transport.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <climits>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

namespace vietllm::cli {

const char* const kLocalModelUsage =
    "  --local-model DIR     instead of --endpoint: start 'vietllm-engine serve' on DIR (a model folder)\n"
    "                        on a free localhost port for this step, and stop it at the end; its log is\n"
    "                        OUT.engine.log; --model then names the served model (default: DIR's name)\n"
    "  --local-model-timeout-s N  wait at most N s for the engine to load the model (default 600)\n";

namespace {

constexpr std::int64_t kStopGraceMs = 10000;
constexpr std::int64_t kProbeIntervalMs = 100;
constexpr std::size_t kLogTailBytes = 1500;

std::int64_t nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// True once the child has exited (it is reaped).
bool hasExited(pid_t pid) {
    int status = 0;
    return ::waitpid(pid, &status, WNOHANG) == pid;
}

std::string logTail(const std::string& path) {
    std::ifstream input(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << input.rdbuf();
    const std::string text = bytes.str();
    return text.size() > kLogTailBytes ? "..." + text.substr(text.size() - kLogTailBytes) : text;
}

}  // namespace

std::string engineExecutablePath() {
    char own_path[PATH_MAX] = {};
    const ssize_t length = ::readlink("/proc/self/exe", own_path, sizeof(own_path) - 1);
    if (length <= 0) {
        return "vietllm-engine";
    }
    const std::string own(own_path, static_cast<std::size_t>(length));
    return own.substr(0, own.rfind('/') + 1) + "vietllm-engine";
}

LocalEngineServer::LocalEngineServer(const std::string& engine_path, const std::string& model_dir,
                                     const std::string& model_name, const std::string& log_path,
                                     std::int64_t timeout_ms)
    : m_log_path(log_path) {
    std::vector<std::string> arguments = {engine_path, "serve", "--model", model_dir, "--port", "0"};
    if (!model_name.empty()) {
        arguments.insert(arguments.end(), {"--model-name", model_name});
    }
    std::vector<char*> argv;
    for (std::string& argument : arguments) argv.push_back(argument.data());
    argv.push_back(nullptr);

    const int log_fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (log_fd < 0) {
        throw UserError(log_path + ": cannot write the engine's log");
    }
    int out_pipe[2] = {-1, -1};
    if (::pipe2(out_pipe, O_CLOEXEC) != 0) {
        ::close(log_fd);
        throw std::runtime_error("cannot create a pipe for the local engine");
    }
    const pid_t parent = ::getpid();
    m_pid = ::fork();
    if (m_pid == 0) {
        // The child: only async-signal-safe calls until exec.
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent) ::_exit(127);  // the parent died before prctl
        const int null_fd = ::open("/dev/null", O_RDONLY);
        ::dup2(null_fd, 0);
        ::dup2(out_pipe[1], 1);
        ::dup2(log_fd, 2);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(out_pipe[1]);
    ::close(log_fd);
    if (m_pid < 0) {
        ::close(out_pipe[0]);
        throw std::runtime_error("cannot start the local engine (fork failed)");
    }
    const std::int64_t deadline_ms = nowMs() + timeout_ms;
    try {
        readAnnouncement(out_pipe[0], deadline_ms);
        ::close(out_pipe[0]);
        waitUntilReady(deadline_ms);
    } catch (...) {
        ::close(out_pipe[0]);
        throw;
    }
}

LocalEngineServer::~LocalEngineServer() {
    if (m_pid <= 0) {
        return;
    }
    ::kill(m_pid, SIGTERM);
    const std::int64_t deadline_ms = nowMs() + kStopGraceMs;
    while (!hasExited(m_pid)) {
        if (nowMs() > deadline_ms) {
            ::kill(m_pid, SIGKILL);
            ::waitpid(m_pid, nullptr, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

// serve prints "serving NAME (template T) on URL" once the model is loaded and the port bound.
void LocalEngineServer::readAnnouncement(int stdout_fd, std::int64_t deadline_ms) {
    std::string output;
    while (true) {
        const std::size_t line_end = output.find('\n');
        if (line_end != std::string::npos) {
            const std::string line = output.substr(0, line_end);
            const std::size_t name_end = line.find(" (template ");
            const std::size_t on = line.rfind(" on ");
            if (line.rfind("serving ", 0) != 0 || name_end == std::string::npos || on == std::string::npos) {
                fail("unexpected first line from the engine: " + line);
            }
            m_model_name = line.substr(8, name_end - 8);
            m_endpoint = line.substr(on + 4);
            return;
        }
        const std::int64_t left_ms = deadline_ms - nowMs();
        if (left_ms <= 0) {
            fail("the engine did not load the model in time (--local-model-timeout-s)");
        }
        pollfd descriptor{stdout_fd, POLLIN, 0};
        if (::poll(&descriptor, 1, static_cast<int>(std::min<std::int64_t>(left_ms, 1000))) <= 0) {
            continue;
        }
        char buffer[512];
        const ssize_t count = ::read(stdout_fd, buffer, sizeof(buffer));
        if (count <= 0) {
            fail("the engine stopped before serving");
        }
        output.append(buffer, static_cast<std::size_t>(count));
    }
}

void LocalEngineServer::waitUntilReady(std::int64_t deadline_ms) {
    net::HttpTransport transport;
    while (true) {
        const net::HttpResponse response = transport.get(m_endpoint + "/models", 5000);
        if (response.error == net::TransportError::None && response.status == 200) {
            return;
        }
        if (hasExited(m_pid)) {
            m_pid = -1;
            fail("the engine stopped before answering " + m_endpoint + "/models");
        }
        if (nowMs() > deadline_ms) {
            fail(m_endpoint + "/models did not answer in time (--local-model-timeout-s)");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(kProbeIntervalMs));
    }
}

void LocalEngineServer::fail(const std::string& what) {
    if (m_pid > 0) {
        ::kill(m_pid, SIGKILL);
        ::waitpid(m_pid, nullptr, 0);
        m_pid = -1;
    }
    const std::string tail = logTail(m_log_path);
    throw UserError("--local-model: " + what +
                    (tail.empty() ? "" : "; the engine's log (" + m_log_path + ") ends:\n" + tail));
}

std::unique_ptr<LocalEngineServer> startLocalModel(const ParsedOptions& options, const std::string& output,
                                                   net::ChatClientOptions& client) {
    const std::optional<std::string> model_dir = options.value(kLocalModelOption);
    if (!model_dir) {
        return nullptr;
    }
    if (options.value("endpoint")) {
        throw UserError("--local-model: not with --endpoint (the local engine is the endpoint)");
    }
    std::int64_t timeout_s = 600;
    if (const auto text = options.value(kLocalModelTimeoutOption)) {
        if (text->empty() || text->find_first_not_of("0123456789") != std::string::npos || text->size() > 9 ||
            std::stoll(*text) < 1) {
            throw UserError(std::string("--") + kLocalModelTimeoutOption + ": '" + *text +
                            "' is not a whole number of at least 1");
        }
        timeout_s = std::stoll(*text);
    }
    if (!std::filesystem::is_directory(*model_dir)) {
        throw UserError("--local-model " + *model_dir + ": no such folder");
    }
    const std::string engine = engineExecutablePath();
    if (::access(engine.c_str(), X_OK) != 0) {
        throw UserError("--local-model: this build has no engine (" + engine + ", built with libtorch)");
    }
    auto server = std::make_unique<LocalEngineServer>(engine, *model_dir, options.value("model").value_or(""),
                                                      output + ".engine.log", timeout_s * 1000);
    client.endpoint = server->endpoint();
    client.model = server->modelName();
    return server;
}

}  // namespace vietllm::cli
