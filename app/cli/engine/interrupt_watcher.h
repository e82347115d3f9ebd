#pragma once
// Ctrl+C and SIGTERM for the long-running engine commands (chat, serve). The signal handler only
// writes the signal number to a pipe (all a handler may safely do); a helper thread reads it and
// runs the reaction (cancel a reply, stop the server) as ordinary code. A handler, not sigwait()
// with blocked signals: libraries start threads of their own (OpenBLAS when it is loaded) with
// the signals unblocked, and a Ctrl+C delivered to one of those would kill the process.

#include <csignal>
#include <functional>
#include <thread>

namespace vietllm::cli {

class InterruptWatcher {
public:
    /// Installs the SIGINT and SIGTERM handlers; `on_signal` receives each signal number on the
    /// helper thread. One watcher at a time.
    explicit InterruptWatcher(std::function<void(int signal)> on_signal);
    /// Restores the previous handlers and ends the helper thread.
    ~InterruptWatcher();
    InterruptWatcher(const InterruptWatcher&) = delete;
    InterruptWatcher& operator=(const InterruptWatcher&) = delete;

private:
    void watch();

    std::function<void(int)> m_on_signal;
    int m_pipe[2] = {-1, -1};
    struct sigaction m_previous_int {};
    struct sigaction m_previous_term {};
    std::thread m_thread;
};

}  // namespace vietllm::cli
