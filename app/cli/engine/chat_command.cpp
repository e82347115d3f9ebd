// `vietllm-cli chat --model DIR`: a chat REPL. Each line read is a user turn; the reply streams to
// stdout as it is generated; the history goes through the model's chat template and is trimmed
// from the oldest turns when it outgrows the context. Notes and per-reply token counts go to
// stderr, so stdout holds only the replies (one per line read) when driven by a pipe.

#include "app/cli/engine/chat_command.h"

#include "app/cli/engine/generation_flags.h"
#include "app/cli/engine/interrupt_watcher.h"
#include "backend/chat/chat_prompter.h"
#include "backend/common/errors.h"
#include "backend/sample/sampler.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <iostream>

namespace vietllm::cli {
namespace {

constexpr const char* kChatUsage =
    "usage: vietllm-cli chat --model DIR [options]\n"
    "Chats with a local model: type a message and Enter; the reply streams as it is generated.\n"
    "Commands: /reset (forget the conversation), /system TEXT (set the system prompt; /system alone\n"
    "removes it), /exit (or end of input). Ctrl+C stops a reply; Ctrl+C twice at the prompt quits.\n"
    "\n"
    "  --system TEXT             system prompt\n"
    "  --template NAME           chat template (default: detected from tokenizer_config.json)\n"
    "  --max-tokens N            new tokens per reply at most (default: generation_config.json, else 512)\n"
    "  --temperature T           0 = greedy (default: generation_config.json, else 1.0)\n"
    "  --top-k K --top-p P --min-p P\n"
    "  --repetition-penalty R --frequency-penalty F --presence-penalty P --penalty-last-n N\n"
    "  --seed N                  sampling seed (default 0)\n"
    "  --dtype fp32|bf16|fp16    compute type (default fp32); --threads N (default: all cores)\n"
    "  --device cpu|cuda|cuda:N  where the model runs (default cpu)\n"
    "  --decode auto|dynamic|static  decode-step shapes (default auto: static on CUDA);\n"
    "                            --no-cuda-graphs decodes static steps without CUDA graphs\n"
    "When the conversation outgrows the context, the oldest turns are dropped (the system prompt\n"
    "stays) with a note on stderr. Each reply is followed on stderr by its token counts.\n";

constexpr std::int64_t kChatMaxNewTokens = 512;

enum class ReadStatus { Invalid = 0, Line, EndOfInput, Interrupted };

// Reads lines from a file descriptor with poll(), so that interrupt() (called from the signal
// thread) can wake a read that waits for the user.
class LineReader {
public:
    explicit LineReader(int fd) : m_fd(fd) {
        if (::pipe2(m_wake.data(), O_CLOEXEC | O_NONBLOCK) != 0) {
            throw std::runtime_error("cannot create a pipe");
        }
    }
    ~LineReader() {
        ::close(m_wake[0]);
        ::close(m_wake[1]);
    }
    LineReader(const LineReader&) = delete;
    LineReader& operator=(const LineReader&) = delete;

    /// The next line (without its line end), the end of input, or an interrupt.
    ReadStatus read(std::string& line) {
        while (true) {
            const std::size_t end = m_buffer.find('\n');
            if (end != std::string::npos || (m_eof && !m_buffer.empty())) {
                line = m_buffer.substr(0, end);
                m_buffer.erase(0, end == std::string::npos ? end : end + 1);
                if (!line.empty() && line.back() == '\r') {
                    line.pop_back();
                }
                return ReadStatus::Line;
            }
            if (m_eof) {
                return ReadStatus::EndOfInput;
            }
            if (!waitForInput()) {
                return ReadStatus::Interrupted;
            }
        }
    }

    /// Wakes a read() in progress (or the next one) with ReadStatus::Interrupted.
    void interrupt() {
        const char byte = 1;
        [[maybe_unused]] const ssize_t written = ::write(m_wake[1], &byte, 1);
    }

    /// Forgets interrupts that arrived while nobody was reading.
    void clearInterrupts() {
        char bytes[64];
        while (::read(m_wake[0], bytes, sizeof(bytes)) > 0) {
        }
    }

private:
    // Waits for input and appends it; false when woken by interrupt().
    bool waitForInput() {
        std::array<pollfd, 2> fds{pollfd{m_fd, POLLIN, 0}, pollfd{m_wake[0], POLLIN, 0}};
        if (::poll(fds.data(), fds.size(), -1) < 0) {
            return errno == EINTR;
        }
        if (fds[1].revents != 0) {
            clearInterrupts();
            return false;
        }
        char bytes[4096];
        const ssize_t count = ::read(m_fd, bytes, sizeof(bytes));
        if (count > 0) {
            m_buffer.append(bytes, static_cast<std::size_t>(count));
        } else if (count == 0 || errno != EINTR) {
            m_eof = true;
        }
        return true;
    }

    int m_fd;
    std::array<int, 2> m_wake{};
    std::string m_buffer;
    bool m_eof = false;
};

// What the signal thread and the REPL share.
struct InterruptState {
    std::atomic<bool> generating{false};
    std::atomic<bool> cancel{false};
    std::atomic<bool> terminate{false};
};

class ChatRepl {
public:
    ChatRepl(const sample::Engine& engine, const chat::ChatPrompter& prompter, const ParsedOptions& options,
             InterruptState& interrupts)
        : m_engine(engine), m_prompter(prompter), m_options(options), m_interrupts(interrupts) {
        if (const std::optional<std::string> system = options.value("system")) {
            m_history.push_back({data::Role::System, *system});
        }
    }

    /// Handles one input line: a command or a user turn. False when the chat should end.
    bool handle(const std::string& line) {
        if (line == "/exit" || line == "/quit") {
            return false;
        }
        if (line == "/reset") {
            resetHistory();
        } else if (line == "/system" || line.rfind("/system ", 0) == 0) {
            setSystem(line.size() > 8 ? line.substr(8) : std::string());
        } else if (!line.empty() && line.front() == '/') {
            std::cerr << "unknown command '" << line << "' (/reset, /system TEXT, /exit)\n";
        } else if (!line.empty()) {
            reply(line);
        }
        return true;
    }

private:
    void resetHistory() {
        const bool has_system = !m_history.empty() && m_history.front().role == data::Role::System;
        m_history.erase(m_history.begin() + (has_system ? 1 : 0), m_history.end());
        std::cerr << "(conversation cleared" << (has_system ? "; the system prompt stays)\n" : ")\n");
    }

    void setSystem(const std::string& text) {
        if (!m_history.empty() && m_history.front().role == data::Role::System) {
            m_history.erase(m_history.begin());
        }
        if (!text.empty()) {
            m_history.insert(m_history.begin(), {data::Role::System, text});
        }
        std::cerr << (text.empty() ? "(system prompt removed)\n" : "(system prompt set)\n");
    }

    sample::GenerationOptions generationOptions(std::size_t prompt_tokens) const {
        const sample::GenerationDefaults& defaults = m_engine.generationDefaults();
        sample::GenerationOptions generation = sample::applyGenerationDefaults(defaults, prompt_tokens);
        if (!defaults.max_new_tokens && !defaults.max_length) {
            generation.max_new_tokens = kChatMaxNewTokens;
        }
        generation = generationFlags(m_options, generation);
        m_prompter.addEndOfTurnStops(generation.stop_token_ids, generation.stop_strings);
        return generation;
    }

    // The prompt of the history, trimmed to the context; empty when even the last turn is too long.
    std::vector<std::int32_t> fittedPrompt() {
        const auto context = static_cast<std::size_t>(m_engine.config().max_positions);
        const auto wanted =
            static_cast<std::size_t>(std::max<std::int64_t>(0, generationOptions(0).max_new_tokens));
        std::size_t dropped = 0;
        std::vector<std::int32_t> prompt =
            m_prompter.fit(m_history, context, std::min(wanted, context / 2), dropped);
        if (dropped > 0) {
            std::cerr << "(dropped the " << dropped << " oldest message" << (dropped == 1 ? "" : "s")
                      << " to fit the model's context of " << context << " tokens)\n";
        }
        if (prompt.size() >= context) {
            std::cerr << "error: the message needs " << prompt.size()
                      << " tokens, more than the model's context of " << context << "; it was not sent\n";
            m_history.pop_back();
            return {};
        }
        return prompt;
    }

    // Streams the reply to stdout; Ctrl+C (the cancel flag) stops it.
    sample::GenerationResult generate(const std::vector<std::int32_t>& prompt,
                                      const sample::GenerationOptions& generation) {
        m_interrupts.generating = true;
        try {
            sample::GenerationResult result = m_engine
                                                  .generate({prompt}, generation,
                                                            [this](const sample::StreamChunk& chunk) {
                                                                std::cout << chunk.text << std::flush;
                                                                return !m_interrupts.cancel;
                                                            })
                                                  .front();
            m_interrupts.generating = false;
            return result;
        } catch (...) {
            m_interrupts.generating = false;
            m_history.pop_back();
            throw;
        }
    }

    void reply(const std::string& text) {
        m_history.push_back({data::Role::User, text});
        const std::vector<std::int32_t> prompt = fittedPrompt();
        if (prompt.empty()) {
            return;
        }
        const sample::GenerationOptions generation = generationOptions(prompt.size());
        const auto start = std::chrono::steady_clock::now();
        const sample::GenerationResult result = generate(prompt, generation);
        std::cout << '\n' << std::flush;
        m_history.push_back({data::Role::Assistant, result.text});
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        char speed[32];
        std::snprintf(speed, sizeof(speed), "%.1f", seconds > 0 ? result.token_ids.size() / seconds : 0.0);
        std::cerr << (result.stop_reason == sample::StopReason::Cancelled ? "(reply stopped) " : "")
                  << "[prompt " << prompt.size() << " tokens, reply " << result.token_ids.size()
                  << " tokens, " << speed << " tokens/s]\n";
    }

    const sample::Engine& m_engine;
    const chat::ChatPrompter& m_prompter;
    const ParsedOptions& m_options;
    InterruptState& m_interrupts;
    std::vector<data::Message> m_history;
};

std::set<std::string> chatValueOptions() {
    std::set<std::string> names = samplingFlagNames();
    names.insert({"model", "system", "template"});
    return withEngineValueNames(names);
}

}  // namespace

int runChatCommand(const Arguments& args) {
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        std::cout << kChatUsage;
        return args.empty() ? 2 : 0;
    }
    const ParsedOptions options(args, chatValueOptions(), engineFlagNames());
    LineReader reader(STDIN_FILENO);
    InterruptState interrupts;
    const InterruptWatcher watcher([&](int signal) {
        if (signal == SIGTERM) {
            interrupts.terminate = true;
            interrupts.cancel = true;
            reader.interrupt();
        } else if (interrupts.generating) {
            interrupts.cancel = true;
        } else {
            reader.interrupt();
        }
    });
    const std::string model_dir = options.requiredValue("model");
    const chat::TemplateKind kind = chat::resolveTemplate(model_dir, options.value("template").value_or(""));
    const sample::Engine engine(model_dir, engineFlags(options));
    if (engine.tokenizer() == nullptr) {
        throw UserError(model_dir +
                        ": the model folder has no tokenizer (tokenizer.json or tokenizer.model)");
    }
    const chat::ChatPrompter prompter(*engine.tokenizer(), kind, chat::renderOptionsInFolder(model_dir));
    // A bad sampling flag is reported now, not after the first message.
    sample::Sampler(generationFlags(options, {}).sampling, 1);
    ChatRepl repl(engine, prompter, options, interrupts);
    const bool interactive = ::isatty(STDIN_FILENO) != 0;
    if (interactive) {
        std::cerr << "Chat with " << model_dir << " (template " << chat::templateName(kind)
                  << "). /reset, /system TEXT, /exit; Ctrl+C stops a reply.\n";
    }
    bool interrupted_before = false;
    std::string line;
    while (true) {
        if (interactive) {
            std::cout << "> " << std::flush;
        }
        reader.clearInterrupts();
        const ReadStatus status = reader.read(line);
        if (status == ReadStatus::EndOfInput || interrupts.terminate) {
            break;
        }
        if (status == ReadStatus::Interrupted) {
            if (interrupted_before) {
                break;
            }
            std::cerr << "\n(Ctrl+C again or /exit to quit)\n";
            interrupted_before = true;
            continue;
        }
        interrupts.cancel = false;
        try {
            if (!repl.handle(line)) {
                break;
            }
        } catch (const UserError& error) {
            std::cerr << "error: " << error.what() << '\n';
        }
        interrupted_before = interrupts.cancel;
    }
    if (interactive) {
        std::cout << '\n';
    }
    return 0;
}

}  // namespace vietllm::cli
