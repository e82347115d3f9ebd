#include "app/cli/engine/interrupt_watcher.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

namespace vietllm::cli {
namespace {

// The write end of the watcher's pipe. A signal handler can reach nothing but globals, so this is
// the one piece of global state; it is set while a watcher exists.
volatile std::sig_atomic_t g_signal_pipe = -1;

constexpr unsigned char kClose = 0;  // not a signal number: tells the helper thread to end

extern "C" void forwardSignal(int signal) {
    const int saved_errno = errno;
    const auto byte = static_cast<unsigned char>(signal);
    [[maybe_unused]] const ssize_t written = ::write(g_signal_pipe, &byte, 1);
    errno = saved_errno;
}

}  // namespace

InterruptWatcher::InterruptWatcher(std::function<void(int signal)> on_signal)
    : m_on_signal(std::move(on_signal)) {
    if (::pipe2(m_pipe, O_CLOEXEC) != 0) {
        throw std::runtime_error("cannot create the signal pipe");
    }
    ::fcntl(m_pipe[1], F_SETFL, O_NONBLOCK);
    g_signal_pipe = m_pipe[1];
    struct sigaction action {};
    action.sa_handler = forwardSignal;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &m_previous_int);
    sigaction(SIGTERM, &action, &m_previous_term);
    m_thread = std::thread([this] { watch(); });
}

InterruptWatcher::~InterruptWatcher() {
    sigaction(SIGINT, &m_previous_int, nullptr);
    sigaction(SIGTERM, &m_previous_term, nullptr);
    [[maybe_unused]] const ssize_t written = ::write(m_pipe[1], &kClose, 1);
    m_thread.join();
    g_signal_pipe = -1;
    ::close(m_pipe[0]);
    ::close(m_pipe[1]);
}

void InterruptWatcher::watch() {
    while (true) {
        unsigned char byte = kClose;
        const ssize_t count = ::read(m_pipe[0], &byte, 1);
        if (count < 0 && errno == EINTR) {
            continue;
        }
        if (count <= 0 || byte == kClose) {
            return;
        }
        m_on_signal(byte);
    }
}

}  // namespace vietllm::cli
