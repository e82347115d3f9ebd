// Tests of backend/chat/chat_prompter.h, the one place that turns a chat into prompt ids for every
// caller (CLI chat, server, evaluation, Chat and Ranking panels): which template a model folder
// gets (named, detected, or plain/refused when unknown), BOS exactly once whether the template or
// the tokenizer writes it, end-of-turn stops as ids or strings, and trimming to the context.

#include "backend/chat/chat_prompter.h"
#include "backend/common/errors.h"
#include "backend/tokenizer/tokenizer.h"
#include "backend/weights/random_model.h"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

using vietllm::chat::ChatPrompter;
using vietllm::chat::TemplateKind;
using vietllm::chat::UnknownTemplate;
using vietllm::data::Message;
using vietllm::data::Role;

namespace {

void writeFile(const QTemporaryDir& dir, const char* name, const std::string& text) {
    std::ofstream(dir.filePath(QLatin1String(name)).toStdString()) << text;
}

// The message of the UserError `action` throws; empty when it throws none.
template <typename Action>
std::string userErrorOf(Action action) {
    try {
        action();
    } catch (const vietllm::UserError& error) {
        return error.what();
    }
    return {};
}

}  // namespace

class TestChatPrompter : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void templateResolution();
    void templateByName();
    void bosExactlyOnce();
    void endOfTurnStops();
    void fitDropsOldestExchanges();

private:
    QTemporaryDir m_model_dir;
    std::unique_ptr<vietllm::tokenizer::Tokenizer> m_tokenizer;
};

void TestChatPrompter::initTestCase() {
    QVERIFY(m_model_dir.isValid());
    vietllm::weights::RandomModelOptions options;
    options.architecture = vietllm::weights::Architecture::Llama;
    vietllm::weights::writeRandomModel(m_model_dir.path().toStdString(), options);
    // The tiny model's byte-level tokenizer adds <|bos|> itself (add_bos_token) and has no chat
    // template, so its folder is detected as Plain.
    m_tokenizer = vietllm::tokenizer::loadTokenizer(m_model_dir.path().toStdString());
    QVERIFY(m_tokenizer->bosId().has_value());
}

void TestChatPrompter::templateResolution() {
    QTemporaryDir dir;
    writeFile(dir, "config.json", R"({"model_type": "qwen2"})");
    const std::string folder = dir.path().toStdString();
    QCOMPARE(vietllm::chat::resolveTemplate(folder, TemplateKind::Invalid, UnknownTemplate::Refuse),
             TemplateKind::ChatMl);
    QCOMPARE(vietllm::chat::resolveTemplate(folder, TemplateKind::Gemma, UnknownTemplate::Refuse),
             TemplateKind::Gemma);
    writeFile(dir, "tokenizer_config.json", R"({"chat_template": "{{ messages | some_filter }}"})");
    QCOMPARE(vietllm::chat::resolveTemplate(folder, TemplateKind::Invalid, UnknownTemplate::UsePlain),
             TemplateKind::Plain);
    const std::string refused = userErrorOf(
        [&] { vietllm::chat::resolveTemplate(folder, TemplateKind::Invalid, UnknownTemplate::Refuse); });
    QVERIFY(refused.find("tokenizer_config.json") != std::string::npos);
    QVERIFY(refused.find("--template") != std::string::npos);
}

void TestChatPrompter::templateByName() {
    QTemporaryDir dir;
    writeFile(dir, "config.json", R"({"model_type": "qwen2"})");
    const std::string folder = dir.path().toStdString();
    QCOMPARE(vietllm::chat::resolveTemplate(folder, std::string("LLAMA3")), TemplateKind::Llama3);
    QCOMPARE(vietllm::chat::resolveTemplate(folder, std::string()), TemplateKind::ChatMl);
    const std::string unknown =
        userErrorOf([&] { vietllm::chat::resolveTemplate(folder, std::string("jinja")); });
    QVERIFY(unknown.find("--template") != std::string::npos);
    QVERIFY(unknown.find("'jinja'") != std::string::npos);
}

void TestChatPrompter::bosExactlyOnce() {
    const std::string folder = m_model_dir.path().toStdString();
    const std::int32_t bos = *m_tokenizer->bosId();
    const std::vector<Message> chat = {{Role::User, "Xin chào"}};
    // Llama-3 writes BOS itself (the folder's "<|bos|>" text), ChatML and Plain leave it to the
    // tokenizer: either way the prompt starts with exactly one BOS.
    for (const TemplateKind kind : {TemplateKind::Llama3, TemplateKind::ChatMl, TemplateKind::Invalid}) {
        const ChatPrompter prompter =
            ChatPrompter::forModel(*m_tokenizer, folder, kind, UnknownTemplate::Refuse);
        const std::vector<std::int32_t> ids = prompter.encode(chat);
        QVERIFY(!ids.empty());
        QCOMPARE(ids.front(), bos);
        QCOMPARE(std::count(ids.begin(), ids.end(), bos), 1);
    }
    QCOMPARE(
        ChatPrompter::forModel(*m_tokenizer, folder, TemplateKind::Invalid, UnknownTemplate::Refuse).kind(),
        TemplateKind::Plain);
}

void TestChatPrompter::endOfTurnStops() {
    const std::string folder = m_model_dir.path().toStdString();
    std::vector<std::int32_t> ids;
    std::vector<std::string> strings;
    // ChatML's <|im_end|> is no token of the byte-level vocabulary: a stop string.
    ChatPrompter::forModel(*m_tokenizer, folder, TemplateKind::ChatMl, UnknownTemplate::Refuse)
        .addEndOfTurnStops(ids, strings);
    QVERIFY(ids.empty());
    QCOMPARE(strings, std::vector<std::string>{"<|im_end|>"});
    // Mistral ends a turn with the folder's EOS text, which is one token: a stop id.
    strings.clear();
    ChatPrompter::forModel(*m_tokenizer, folder, TemplateKind::Mistral, UnknownTemplate::Refuse)
        .addEndOfTurnStops(ids, strings);
    QVERIFY(strings.empty());
    QCOMPARE(ids, std::vector<std::int32_t>{*m_tokenizer->eosId()});
}

void TestChatPrompter::fitDropsOldestExchanges() {
    const ChatPrompter prompter(*m_tokenizer, TemplateKind::ChatMl, {});
    const std::vector<Message> chat = {{Role::System, "Hệ thống"},       {Role::User, "câu hỏi một"},
                                       {Role::Assistant, "trả lời một"}, {Role::User, "câu hỏi hai"},
                                       {Role::Assistant, "trả lời hai"}, {Role::User, "câu hỏi ba"}};
    std::vector<Message> messages = chat;
    std::size_t dropped = 0;
    const std::size_t whole = prompter.encode(chat).size();
    QCOMPARE(prompter.fit(messages, whole, 0, dropped).size(), whole);
    QCOMPARE(dropped, std::size_t{0});
    // One token short: the oldest exchange goes, the system message and the last turns stay.
    const std::vector<std::int32_t> ids = prompter.fit(messages, whole - 1, 0, dropped);
    QCOMPARE(dropped, std::size_t{2});
    QCOMPARE(messages.size(), std::size_t{4});
    QCOMPARE(messages.front().role, Role::System);
    QCOMPARE(messages[1].content, std::string("câu hỏi hai"));
    QCOMPARE(ids, prompter.encode(messages));
    // No room at all: everything but the system message and the last user turn goes.
    prompter.fit(messages, 1, 0, dropped);
    QCOMPARE(messages.size(), std::size_t{2});
    QCOMPARE(messages.back().content, std::string("câu hỏi ba"));
}

QTEST_GUILESS_MAIN(TestChatPrompter)
#include "tst_chat_prompter.moc"
