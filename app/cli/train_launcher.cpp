#include "app/cli/train_launcher.h"

#include "app/cli/local_engine.h"
#include "backend/common/errors.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <iostream>
#include <optional>
#include <vector>

namespace vietllm::cli {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kOption = "--nproc-per-node";
constexpr int kMaxProcesses = 1024;
// How long the ranks still running after one failed get to end on SIGTERM before SIGKILL.
constexpr std::chrono::seconds kStopGrace{3};

// Set by SIGINT/SIGTERM; the wait loop forwards SIGTERM to every rank (a handler may only do this).
std::atomic<int> g_signal{0};

extern "C" void rememberSignal(int signal) {
    g_signal.store(signal);
}

// One started rank: its process, the read end of its stderr pipe (ranks > 0) and its last line.
struct Rank {
    pid_t pid = -1;
    int stderr_fd = -1;
    std::string pending;
    std::string last_line;
    std::optional<int> exit_code;  ///< set once it ended (3 when a signal killed it)
};

// The process count of --nproc-per-node N / --nproc-per-node=N, and `args` without that option.
std::pair<int, Arguments> takeProcessCount(const Arguments& args) {
    Arguments rest;
    std::optional<std::string> value;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        const std::string inline_prefix = std::string(kOption) + "=";
        if (arg == kOption) {
            if (i + 1 >= args.size()) throw UserError(std::string("option ") + kOption + " needs a value");
            value = args[++i];
        } else if (arg.compare(0, inline_prefix.size(), inline_prefix) == 0) {
            value = arg.substr(inline_prefix.size());
        } else {
            rest.push_back(arg);
        }
    }
    const bool digits = value && !value->empty() && value->size() <= 4 &&
                        value->find_first_not_of("0123456789") == std::string::npos;
    const int count = digits ? std::stoi(*value) : 0;
    if (count < 1 || count > kMaxProcesses) {
        throw UserError(std::string("option ") + kOption + ": '" + value.value_or("") +
                        "' is not a process count from 1 to " + std::to_string(kMaxProcesses));
    }
    return {count, rest};
}

// A TCP port that was free a moment ago on 127.0.0.1 (the kernel picks it; rank 0 binds it next).
int freePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw UserError(std::string("cannot open a socket: ") + std::strerror(errno));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
    ::close(fd);
    if (!ok) throw UserError(std::string("cannot find a free port on 127.0.0.1: ") + std::strerror(errno));
    return ntohs(address.sin_port);
}

// In the child: torchrun's variables, stdout (ranks > 0: /dev/null) and stderr, then the engine.
[[noreturn]] void execRank(const std::vector<std::string>& argv, int rank, int count, int port,
                           int stderr_fd) {
    ::setenv("RANK", std::to_string(rank).c_str(), 1);
    ::setenv("LOCAL_RANK", std::to_string(rank).c_str(), 1);
    ::setenv("WORLD_SIZE", std::to_string(count).c_str(), 1);
    ::setenv("LOCAL_WORLD_SIZE", std::to_string(count).c_str(), 1);
    ::setenv("MASTER_ADDR", "127.0.0.1", 1);
    ::setenv("MASTER_PORT", std::to_string(port).c_str(), 1);
    if (rank > 0) {
        const int null_fd = ::open("/dev/null", O_WRONLY);
        if (null_fd >= 0) ::dup2(null_fd, STDOUT_FILENO);
        ::dup2(stderr_fd, STDERR_FILENO);
    }
    std::vector<char*> pointers;
    for (const std::string& arg : argv) pointers.push_back(const_cast<char*>(arg.c_str()));
    pointers.push_back(nullptr);
    ::execv(pointers[0], pointers.data());
    const std::string message = "cannot start " + argv[0] + ": " + std::strerror(errno) + "\n";
    ssize_t ignored = ::write(STDERR_FILENO, message.data(), message.size());
    static_cast<void>(ignored);
    ::_exit(3);
}

// Copies what rank `index` wrote to stderr, line by line with its prefix; false at end of file.
bool forwardStderr(Rank& rank, int index) {
    char buffer[4096];
    const ssize_t size = ::read(rank.stderr_fd, buffer, sizeof buffer);
    if (size < 0 && errno == EINTR) return true;
    if (size <= 0) {
        if (!rank.pending.empty()) std::cerr << "[rank " << index << "] " << rank.pending << std::endl;
        if (!rank.pending.empty()) rank.last_line = rank.pending;
        rank.pending.clear();
        return false;
    }
    rank.pending.append(buffer, static_cast<std::size_t>(size));
    std::size_t newline;
    while ((newline = rank.pending.find('\n')) != std::string::npos) {
        const std::string line = rank.pending.substr(0, newline);
        rank.pending.erase(0, newline + 1);
        std::cerr << "[rank " << index << "] " << line << std::endl;
        if (!line.empty()) rank.last_line = line;
    }
    return true;
}

// The exit code of a wait status in the CLI's contract (a signal counts as an internal error).
int exitCode(int status) {
    return WIFEXITED(status) ? WEXITSTATUS(status) : 3;
}

void signalRunning(const std::vector<Rank>& ranks, int signal) {
    for (const Rank& rank : ranks) {
        if (!rank.exit_code) ::kill(rank.pid, signal);
    }
}

// Waits for every rank, forwarding stderr and signals; stops the others when one fails. Returns
// the index of the first rank that failed, if any.
std::optional<std::size_t> superviseRanks(std::vector<Rank>& ranks) {
    std::optional<std::size_t> failed;
    std::optional<Clock::time_point> kill_at;
    bool forwarded_signal = false;
    for (;;) {
        std::vector<pollfd> fds;
        std::vector<std::size_t> owners;
        for (std::size_t i = 0; i < ranks.size(); ++i) {
            if (ranks[i].stderr_fd < 0) continue;
            fds.push_back({ranks[i].stderr_fd, POLLIN, 0});
            owners.push_back(i);
        }
        ::poll(fds.data(), fds.size(), 100);
        for (std::size_t k = 0; k < fds.size(); ++k) {
            if ((fds[k].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
            Rank& rank = ranks[owners[k]];
            if (!forwardStderr(rank, static_cast<int>(owners[k]))) {
                ::close(rank.stderr_fd);
                rank.stderr_fd = -1;
            }
        }
        if (g_signal.load() != 0 && !forwarded_signal) {
            signalRunning(ranks, SIGTERM);
            forwarded_signal = true;
        }
        bool running = false;
        for (std::size_t i = 0; i < ranks.size(); ++i) {
            Rank& rank = ranks[i];
            int status = 0;
            if (!rank.exit_code && ::waitpid(rank.pid, &status, WNOHANG) == rank.pid) {
                rank.exit_code = exitCode(status);
                if (*rank.exit_code != 0 && !failed) {
                    failed = i;
                    signalRunning(ranks, SIGTERM);
                    kill_at = Clock::now() + kStopGrace;
                }
            }
            running = running || !rank.exit_code;
        }
        if (kill_at && Clock::now() >= *kill_at) signalRunning(ranks, SIGKILL);
        const bool pipes_open =
            std::any_of(ranks.begin(), ranks.end(), [](const Rank& rank) { return rank.stderr_fd >= 0; });
        if (!running && !pipes_open) return failed;
    }
}

}  // namespace

bool hasProcessCountOption(const Arguments& args) {
    const std::string inline_prefix = std::string(kOption) + "=";
    return std::any_of(args.begin(), args.end(), [&](const std::string& arg) {
        return arg == kOption || arg.compare(0, inline_prefix.size(), inline_prefix) == 0;
    });
}

int runTrainLauncher(const Arguments& args) {
    auto [count, rest] = takeProcessCount(args);
    const std::string subcommand = rest.empty() ? std::string() : rest[0];
    if (subcommand != "sft" && subcommand != "dpo" && subcommand != "rm" && subcommand != "rl") {
        throw UserError(std::string(kOption) + " works with train sft, dpo, rm and rl");
    }
    std::vector<std::string> argv = {engineExecutablePath(), "train"};
    argv.insert(argv.end(), rest.begin(), rest.end());
    // Without --threads every rank would start one intra-op thread per core: share the cores.
    if (!std::any_of(rest.begin(), rest.end(), [](const std::string& arg) {
            return arg == "--threads" || arg.rfind("--threads=", 0) == 0;
        })) {
        const long cores = std::max(1L, ::sysconf(_SC_NPROCESSORS_ONLN));
        argv.push_back("--threads=" + std::to_string(std::max(1L, cores / count)));
    }
    const int port = freePort();
    struct sigaction action {};
    action.sa_handler = rememberSignal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    std::cout.flush();
    std::vector<Rank> ranks(static_cast<std::size_t>(count));
    for (int index = 0; index < count; ++index) {
        int pipe_fds[2] = {-1, -1};
        if (index > 0 && ::pipe2(pipe_fds, O_CLOEXEC) != 0) {
            signalRunning(ranks, SIGKILL);
            throw UserError(std::string("cannot create a pipe: ") + std::strerror(errno));
        }
        const pid_t pid = ::fork();
        if (pid == 0) execRank(argv, index, count, port, pipe_fds[1]);
        if (pipe_fds[1] >= 0) ::close(pipe_fds[1]);
        Rank& rank = ranks[static_cast<std::size_t>(index)];
        rank.pid = pid;
        rank.stderr_fd = pipe_fds[0];
        if (pid < 0) {
            rank.exit_code = 3;
            signalRunning(ranks, SIGKILL);
            throw UserError(std::string("cannot start a rank: ") + std::strerror(errno));
        }
    }
    const std::optional<std::size_t> failed = superviseRanks(ranks);
    if (!failed) return 0;
    const Rank& rank = ranks[*failed];
    std::cerr << "vietllm-cli train: rank " << *failed << " failed (exit code " << *rank.exit_code
              << "); the other ranks were stopped" << std::endl;
    if (*failed > 0) {
        // Rank 0 reports its own errors on stdout; the GUI reads the event stream for the others'.
        const nlohmann::ordered_json event = {
            {"event", "error"},
            {"message", "rank " + std::to_string(*failed) + ": " +
                            (rank.last_line.empty() ? "exited with code " + std::to_string(*rank.exit_code)
                                                    : rank.last_line)}};
        std::cout << event.dump() << std::endl;
    }
    return *rank.exit_code;
}

}  // namespace vietllm::cli
