// `vietllm-cli serve --model DIR`: loads the model once and answers OpenAI chat-completion
// requests on localhost (backend/serve/chat_server.h), one generation at a time.

#include "app/cli/engine/serve_command.h"

#include "app/cli/engine/generation_flags.h"
#include "app/cli/engine/interrupt_watcher.h"
#include "backend/chat/chat_prompter.h"
#include "backend/common/errors.h"
#include "backend/serve/chat_server.h"

#include <ctime>
#include <filesystem>
#include <iostream>
#include <mutex>

namespace vietllm::cli {
namespace {

constexpr const char* kServeUsage =
    "usage: vietllm-cli serve --model DIR [options]\n"
    "An OpenAI-compatible server: GET /v1/models, POST /v1/chat/completions (stream or not).\n"
    "Prints the base URL, then one line per request on stderr; Ctrl+C or SIGTERM stops it.\n"
    "\n"
    "  --host HOST               address to listen on (default 127.0.0.1: this machine only)\n"
    "  --port N                  port (default 8080; 0 = any free port)\n"
    "  --model-name NAME         the model name clients use (default: the folder's name)\n"
    "  --template NAME           chat template (default: detected from tokenizer_config.json)\n"
    "  --max-concurrency N       requests that may wait while one generates (default 8); more get 429\n"
    "  --dtype fp32|bf16|fp16    compute type (default fp32); --threads N (default: all cores)\n"
    "  --device cpu|cuda|cuda:N  where the model runs (default cpu)\n"
    "  --decode auto|dynamic|static  decode-step shapes (default auto: static on CUDA);\n"
    "                            --no-cuda-graphs decodes static steps without CUDA graphs\n"
    "Sampling defaults come from the model's generation_config.json; requests override them.\n";

std::string folderName(const std::string& model_dir) {
    const std::filesystem::path path = std::filesystem::path(model_dir).lexically_normal();
    const std::string name = (path.has_filename() ? path : path.parent_path()).filename().string();
    return name.empty() ? std::string("model") : name;
}

std::string utcTime() {
    const std::time_t now = std::time(nullptr);
    std::tm parts{};
    gmtime_r(&now, &parts);
    char text[32];
    std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &parts);
    return text;
}

}  // namespace

int runServeCommand(const Arguments& args) {
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        std::cout << kServeUsage;
        return args.empty() ? 2 : 0;
    }
    const ParsedOptions options(
        args, withEngineValueNames({"model", "host", "port", "model-name", "template", "max-concurrency"}),
        engineFlagNames());
    std::mutex stop_mutex;
    serve::ChatServer* running = nullptr;
    bool stop_requested = false;
    const InterruptWatcher watcher([&](int) {
        const std::lock_guard<std::mutex> lock(stop_mutex);
        stop_requested = true;
        if (running != nullptr) {
            running->stop();
        }
    });

    const std::string model_dir = options.requiredValue("model");
    serve::ServerOptions server_options;
    server_options.host = options.value("host").value_or("127.0.0.1");
    server_options.port = static_cast<int>(integerFlag(options, "port", 8080));
    if (server_options.port < 0 || server_options.port > 65535) {
        throw UserError("option --port: " + std::to_string(server_options.port) + " is not a port (0-65535)");
    }
    const std::int64_t max_waiting = integerFlag(options, "max-concurrency", 8);
    if (max_waiting < 0) {
        throw UserError("option --max-concurrency must be >= 0");
    }
    server_options.max_waiting = static_cast<std::size_t>(max_waiting);
    server_options.model_name = options.value("model-name").value_or(folderName(model_dir));
    server_options.template_kind = chat::resolveTemplate(model_dir, options.value("template").value_or(""));
    server_options.render_options = chat::renderOptionsInFolder(model_dir);
    std::mutex log_mutex;
    server_options.log = [&log_mutex](const std::string& line) {
        const std::lock_guard<std::mutex> lock(log_mutex);
        std::cerr << utcTime() << ' ' << line << '\n' << std::flush;
    };

    const sample::Engine engine(model_dir, engineFlags(options));
    serve::ChatServer server(engine, server_options);
    {
        const std::lock_guard<std::mutex> lock(stop_mutex);
        if (stop_requested) {
            return 0;
        }
        running = &server;
    }
    std::cout << "serving " << server_options.model_name << " (template "
              << chat::templateName(server_options.template_kind) << ") on " << server.baseUrl() << '\n'
              << std::flush;
    const bool listened = server.run();
    {
        const std::lock_guard<std::mutex> lock(stop_mutex);
        running = nullptr;
    }
    std::cerr << "vietllm-cli serve: stopped\n";
    return listened ? 0 : 3;
}

}  // namespace vietllm::cli
