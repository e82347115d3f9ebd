// Tests of the chat playground's store API (backend/store/chats.h, model_registry.h): chats and
// their message trees (newest first, active path, drafts kept by regenerate, truncation after an
// edit), saved system prompts, A/B verdicts landing in the ranking store, the model registry and
// the memory estimate (checked against the parameters actually written for every family), and the
// built-in presets. Every bad input must be a UserError that names what is wrong.

#include "backend/chat/system_presets.h"
#include "backend/common/errors.h"
#include "backend/store/annotations.h"
#include "backend/store/chats.h"
#include "backend/store/model_registry.h"
#include "backend/store/project_store.h"
#include "backend/store/sqlite_db.h"
#include "backend/text/normalize.h"
#include "backend/weights/random_model.h"
#include "backend/weights/safetensors.h"
#include "tests/common/test_support.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <string>

using namespace vietllm;
using data::Role;
using store::AbVerdict;

namespace {

using testing::expectUserError;

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

std::string rankingComment(store::ProjectStore& project, std::int64_t task_id) {
    store::Statement statement(project.database(), "SELECT comment FROM ranking WHERE task_id = ?");
    return statement.bindInt(1, task_id).step() ? statement.columnText(0) : std::string("<none>");
}

}  // namespace

class TestChatStore : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void chatsListNewestFirstAndRename();
    void settingsRoundTripAndBadSettings();
    void messagesFormAnActivePath();
    void regenerateKeepsDrafts();
    void editTruncatesAfterTheMessage();
    void badMessagesAreRefused();
    void deleteRemovesMessages();
    void savedSystemPrompts();
    void abVerdictsBecomeRankings();
    void abVerdictsRejectBadInput();
    void registryAddsListsAndRemovesModels();
    void registryRefusesBadFolders();
    void checkpoints();
    void parameterCountMatchesWrittenWeights();
    void memoryEstimate();
    void builtInPresets();

private:
    std::string path(const std::string& name) const {
        return m_dir->filePath(QString::fromStdString(name)).toStdString();
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<store::ProjectStore> m_project;
};

void TestChatStore::init() {
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_project =
        std::make_unique<store::ProjectStore>(store::ProjectStore::create(path("chat.vietllm"), false));
}

void TestChatStore::cleanup() {
    m_project.reset();
    m_dir.reset();
}

void TestChatStore::chatsListNewestFirstAndRename() {
    store::Chats chats(*m_project);
    QVERIFY(chats.chats().empty());
    const std::int64_t first = chats.createChat("Thứ nhất", nlohmann::json::object());
    const std::int64_t second = chats.createChat("Thứ hai", nlohmann::json::object());
    std::vector<store::ChatSummary> listed = chats.chats();
    QCOMPARE(listed.size(), std::size_t{2});
    QCOMPARE(listed[0].id, second);
    QCOMPARE(listed[1].id, first);
    // A message makes its chat the most recently updated one.
    QTest::qWait(5);
    chats.addMessage(first, std::nullopt, Role::User, "Xin chào", std::nullopt, nlohmann::json::object());
    listed = chats.chats();
    QCOMPARE(listed[0].id, first);
    QVERIFY(listed[0].updated_at > listed[1].updated_at);
    chats.renameChat(first, "Chào hỏi");
    QCOMPARE(chats.chat(first).title, std::string("Chào hỏi"));
    QVERIFY(contains(expectUserError([&] { chats.renameChat(999, "x"); }), "no chat with id 999"));
    QVERIFY(contains(expectUserError([&] { chats.chat(999); }), "no chat with id 999"));
}

void TestChatStore::settingsRoundTripAndBadSettings() {
    store::Chats chats(*m_project);
    const nlohmann::json settings = {{"model_path", "/models/qwen"},
                                     {"system_prompt", "Bạn là trợ lý."},
                                     {"sampling", {{"temperature", 0.7}, {"top_k", 40}}}};
    const std::int64_t id = chats.createChat("", settings);
    QCOMPARE(chats.chat(id).settings, settings);
    nlohmann::json changed = settings;
    changed["sampling"]["temperature"] = 0.2;
    chats.setSettings(id, changed);
    QCOMPARE(chats.chat(id).settings["sampling"]["temperature"].get<double>(), 0.2);
    QVERIFY(
        contains(expectUserError([&] { chats.createChat("x", nlohmann::json::array()); }), "JSON object"));
    QVERIFY(contains(expectUserError([&] { chats.setSettings(id, 3); }), "JSON object"));
    QVERIFY(contains(expectUserError([&] { chats.setSettings(42, nlohmann::json::object()); }),
                     "no chat with id 42"));
}

void TestChatStore::messagesFormAnActivePath() {
    store::Chats chats(*m_project);
    const std::int64_t chat = chats.createChat("c", nlohmann::json::object());
    QVERIFY(chats.activePath(chat).empty());
    const std::int64_t u1 = chats.addMessage(chat, std::nullopt, Role::User, "Hà Nội ở đâu?", std::nullopt,
                                             nlohmann::json::object());
    const std::int64_t a1 = chats.addMessage(chat, u1, Role::Assistant, "Ở miền Bắc.", std::nullopt,
                                             {{"stopped", false}, {"tokens", 5}});
    const std::int64_t u2 =
        chats.addMessage(chat, a1, Role::User, "Còn Huế?", std::nullopt, nlohmann::json::object());
    const std::vector<store::ChatMessage> path = chats.activePath(chat);
    QCOMPARE(path.size(), std::size_t{3});
    QCOMPARE(path[0].id, u1);
    QCOMPARE(path[1].id, a1);
    QCOMPARE(path[2].id, u2);
    QCOMPARE(path[1].role, Role::Assistant);
    QCOMPARE(path[1].parent_id.value_or(0), u1);
    QCOMPARE(path[1].metadata["tokens"].get<int>(), 5);
    QCOMPARE(path[0].content, std::string("Hà Nội ở đâu?"));
    QCOMPARE(chats.messages(chat).size(), std::size_t{3});
}

void TestChatStore::regenerateKeepsDrafts() {
    store::Chats chats(*m_project);
    const std::int64_t chat = chats.createChat("c", nlohmann::json::object());
    const std::int64_t user =
        chats.addMessage(chat, std::nullopt, Role::User, "Kể chuyện", std::nullopt, nlohmann::json::object());
    const std::int64_t first =
        chats.addMessage(chat, user, Role::Assistant, "Ngày xưa…", std::nullopt, nlohmann::json::object());
    const std::int64_t second =
        chats.addMessage(chat, user, Role::Assistant, "Có một lần…", std::nullopt, nlohmann::json::object());
    const std::vector<store::ChatMessage> path = chats.activePath(chat);
    QCOMPARE(path.size(), std::size_t{2});
    QCOMPARE(path.back().id, second);
    const std::vector<store::ChatMessage> drafts = chats.alternatives(second);
    QCOMPARE(drafts.size(), std::size_t{2});
    QCOMPARE(drafts[0].id, first);
    QCOMPARE(drafts[1].id, second);
    QCOMPARE(chats.alternatives(user).size(), std::size_t{1});
}

void TestChatStore::editTruncatesAfterTheMessage() {
    store::Chats chats(*m_project);
    const std::int64_t chat = chats.createChat("c", nlohmann::json::object());
    const std::int64_t u1 =
        chats.addMessage(chat, std::nullopt, Role::User, "Câu 1", std::nullopt, nlohmann::json::object());
    const std::int64_t a1 =
        chats.addMessage(chat, u1, Role::Assistant, "Đáp 1", std::nullopt, nlohmann::json::object());
    chats.addMessage(chat, u1, Role::Assistant, "Đáp 1b", std::nullopt, nlohmann::json::object());
    const std::int64_t u2 =
        chats.addMessage(chat, a1, Role::User, "Câu 2", std::nullopt, nlohmann::json::object());
    chats.addMessage(chat, u2, Role::Assistant, "Đáp 2", std::nullopt, nlohmann::json::object());
    chats.setMessageContent(u1, "Câu 1 đã sửa");
    chats.deleteReplies(u1);
    const std::vector<store::ChatMessage> path = chats.activePath(chat);
    QCOMPARE(path.size(), std::size_t{1});
    QCOMPARE(path[0].content, std::string("Câu 1 đã sửa"));
    // Descendants of the deleted replies went with them.
    QCOMPARE(chats.messages(chat).size(), std::size_t{1});
    QVERIFY(contains(expectUserError([&] { chats.message(u2); }), "no chat message with id"));
    QVERIFY(contains(expectUserError([&] { chats.deleteReplies(12345); }), "no chat message with id 12345"));
    QVERIFY(contains(expectUserError([&] { chats.setMessageContent(12345, "x"); }), "12345"));
}

void TestChatStore::badMessagesAreRefused() {
    store::Chats chats(*m_project);
    const std::int64_t one = chats.createChat("1", nlohmann::json::object());
    const std::int64_t two = chats.createChat("2", nlohmann::json::object());
    const std::int64_t in_one =
        chats.addMessage(one, std::nullopt, Role::User, "a", std::nullopt, nlohmann::json::object());
    QVERIFY(contains(expectUserError([&] {
                         chats.addMessage(two, in_one, Role::Assistant, "b", std::nullopt,
                                          nlohmann::json::object());
                     }),
                     "is not in chat"));
    QVERIFY(contains(expectUserError([&] {
                         chats.addMessage(one, std::nullopt, Role::Invalid, "b", std::nullopt,
                                          nlohmann::json::object());
                     }),
                     "role"));
    QVERIFY(contains(expectUserError([&] {
                         chats.addMessage(77, std::nullopt, Role::User, "b", std::nullopt,
                                          nlohmann::json::object());
                     }),
                     "no chat with id 77"));
    QVERIFY(contains(
        expectUserError([&] { chats.addMessage(one, in_one, Role::User, "b", std::nullopt, "text"); }),
        "metadata"));
    QCOMPARE(chats.messages(one).size(), std::size_t{1});
    QVERIFY(chats.messages(two).empty());
}

void TestChatStore::deleteRemovesMessages() {
    store::Chats chats(*m_project);
    const std::int64_t chat = chats.createChat("c", nlohmann::json::object());
    const std::int64_t user =
        chats.addMessage(chat, std::nullopt, Role::User, "a", std::nullopt, nlohmann::json::object());
    chats.addMessage(chat, user, Role::Assistant, "b", std::nullopt, nlohmann::json::object());
    chats.deleteChat(chat);
    QVERIFY(chats.chats().empty());
    QCOMPARE(m_project->database().queryInt("SELECT count(*) FROM chat_message"), std::int64_t{0});
    QVERIFY(contains(expectUserError([&] { chats.deleteChat(chat); }), "no chat with id"));
}

void TestChatStore::savedSystemPrompts() {
    store::Chats chats(*m_project);
    QVERIFY(chats.savedSystemPrompts().empty());
    chats.saveSystemPrompt("Luật", "Bạn là trợ lý pháp lý.");
    chats.saveSystemPrompt("Nấu ăn", "Bạn là đầu bếp.");
    chats.saveSystemPrompt("Luật", "Bạn là trợ lý pháp lý; không thay thế luật sư.");
    std::vector<store::SavedSystemPrompt> saved = chats.savedSystemPrompts();
    QCOMPARE(saved.size(), std::size_t{2});
    const auto luat =
        std::find_if(saved.begin(), saved.end(), [](const auto& p) { return p.name == "Luật"; });
    QVERIFY(luat != saved.end());
    QCOMPARE(luat->text, std::string("Bạn là trợ lý pháp lý; không thay thế luật sư."));
    QVERIFY(chats.removeSystemPrompt("Nấu ăn"));
    QVERIFY(!chats.removeSystemPrompt("Nấu ăn"));
    QCOMPARE(chats.savedSystemPrompts().size(), std::size_t{1});
    QVERIFY(contains(expectUserError([&] { chats.saveSystemPrompt("", "x"); }), "needs a name"));
    // Kept in the project file: a second connection sees them.
    store::ProjectStore reopened = store::ProjectStore::open(m_project->path(), store::OpenMode::ReadOnly);
    QCOMPARE(store::Chats(reopened).savedSystemPrompts().size(), std::size_t{1});
}

void TestChatStore::abVerdictsBecomeRankings() {
    store::Chats chats(*m_project);
    store::Annotations annotations(*m_project);
    store::AbComparison comparison;
    comparison.prompt = {{Role::System, "Bạn là trợ lý."}, {Role::User, "Thủ đô của Việt Nam?"}};
    comparison.left = {"Hà Nội.", {{"model", "tiny-a"}, {"sampling", {{"temperature", 0.2}}}}};
    comparison.right = {"Là Hà Nội, thủ đô từ năm 1976.", {{"model", "tiny-b"}}};
    comparison.left_is_a = false;
    comparison.annotator = "lan";

    comparison.verdict = AbVerdict::LeftBetter;
    const store::AbStored left = chats.recordAbVerdict(comparison);
    std::vector<store::RankingVote> votes = annotations.rankings(left.task_id);
    QCOMPARE(votes.size(), std::size_t{1});
    QVERIFY(!votes[0].not_rankable);
    QCOMPARE(votes[0].tiers, (store::RankingTiers{{left.left_message_id}, {left.right_message_id}}));
    QCOMPARE(annotations.rankingCandidates(left.task_id),
             (std::vector<std::int64_t>{left.left_message_id, left.right_message_id}));
    QCOMPARE(annotations.taskStatus(left.task_id), std::string("done"));

    comparison.verdict = AbVerdict::RightBetter;
    const store::AbStored right = chats.recordAbVerdict(comparison);
    QCOMPARE(annotations.rankings(right.task_id)[0].tiers,
             (store::RankingTiers{{right.right_message_id}, {right.left_message_id}}));

    comparison.verdict = AbVerdict::Tie;
    const store::AbStored tie = chats.recordAbVerdict(comparison);
    votes = annotations.rankings(tie.task_id);
    QCOMPARE(votes[0].tiers.size(), std::size_t{1});
    QCOMPARE(votes[0].tiers[0].size(), std::size_t{2});

    comparison.verdict = AbVerdict::BothBad;
    comparison.reason = "Cả hai đều bịa";
    const store::AbStored bad = chats.recordAbVerdict(comparison);
    votes = annotations.rankings(bad.task_id);
    QVERIFY(votes[0].not_rankable);
    QVERIFY(votes[0].tiers.empty());
    QCOMPARE(rankingComment(*m_project, bad.task_id), std::string("Cả hai đều bịa"));

    // One record per verdict in the "Chat A/B" dataset: the prompt chain, then the two replies as
    // sibling assistant messages with their details, and the blind mapping in the record.
    const std::optional<store::DatasetInfo> dataset = m_project->findDataset(store::kAbDatasetName);
    QVERIFY(dataset);
    QCOMPARE(m_project->recordCount(dataset->id), std::int64_t{4});
    const store::StoredRecord record = m_project->record(bad.record_id);
    const auto* tree = std::get_if<data::ConversationTree>(&record.record);
    QVERIFY(tree);
    QCOMPARE(tree->metadata["verdict"].get<std::string>(), std::string("both_bad"));
    QCOMPARE(tree->metadata["left_is_a"].get<bool>(), false);
    QCOMPARE(tree->root.role, Role::System);
    QCOMPARE(tree->root.replies.size(), std::size_t{1});
    const data::TreeNode& user = tree->root.replies[0];
    QCOMPARE(user.content, std::string("Thủ đô của Việt Nam?"));
    QCOMPARE(user.replies.size(), std::size_t{2});
    QCOMPARE(user.replies[0].content, std::string("Hà Nội."));
    QCOMPARE(user.replies[0].metadata["details"]["model"].get<std::string>(), std::string("tiny-a"));
    QCOMPARE(user.replies[1].metadata["side"].get<std::string>(), std::string("right"));
    QVERIFY(annotations.findAnnotator("lan"));
}

void TestChatStore::abVerdictsRejectBadInput() {
    store::Chats chats(*m_project);
    store::AbComparison comparison;
    comparison.prompt = {{Role::User, "Chào"}};
    comparison.left = {"A", nlohmann::json::object()};
    comparison.right = {"B", nlohmann::json::object()};
    comparison.annotator = "lan";
    QVERIFY(contains(expectUserError([&] { chats.recordAbVerdict(comparison); }), "verdict"));
    comparison.verdict = AbVerdict::Tie;
    comparison.prompt = {{Role::User, "Chào"}, {Role::Assistant, "Chào bạn"}};
    QVERIFY(contains(expectUserError([&] { chats.recordAbVerdict(comparison); }), "end with a user message"));
    comparison.prompt = {{Role::User, "Chào"}};
    comparison.right.text.clear();
    QVERIFY(contains(expectUserError([&] { chats.recordAbVerdict(comparison); }), "both A/B replies"));
    comparison.right.text = "B";
    comparison.annotator.clear();
    QVERIFY(contains(expectUserError([&] { chats.recordAbVerdict(comparison); }), "annotator"));
    QVERIFY(!m_project->findDataset(store::kAbDatasetName));
}

void TestChatStore::registryAddsListsAndRemovesModels() {
    weights::RandomModelOptions options;
    options.architecture = weights::Architecture::Qwen2;
    weights::writeRandomModel(path("qwen-tiny"), options);
    options.architecture = weights::Architecture::Llama;
    weights::writeRandomModel(path("llama-tiny"), options);
    store::ModelRegistry registry(*m_project);
    const std::int64_t qwen = registry.addModelFolder(path("qwen-tiny"));
    const std::int64_t llama = registry.addModelFolder(path("llama-tiny"), "Llama nhỏ");
    const std::vector<store::RegisteredModel> models = registry.models();
    QCOMPARE(models.size(), std::size_t{2});
    QCOMPARE(models[0].name, std::string("Llama nhỏ"));
    QCOMPARE(models[0].family, std::string("llama"));
    QCOMPARE(models[1].name, std::string("qwen-tiny"));
    QCOMPARE(models[1].family, std::string("qwen2"));
    QCOMPARE(models[1].path, path("qwen-tiny"));
    QCOMPARE(models[1].size_bytes, store::folderSizeBytes(path("qwen-tiny")));
    QVERIFY(models[1].size_bytes >
            static_cast<std::int64_t>(std::filesystem::file_size(path("qwen-tiny") + "/model.safetensors")) -
                1);
    QCOMPARE(registry.model(llama).path, path("llama-tiny"));
    registry.removeModel(qwen);
    QCOMPARE(registry.models().size(), std::size_t{1});
    QVERIFY(std::filesystem::exists(path("qwen-tiny") + "/config.json"));  // files stay
    QVERIFY(contains(expectUserError([&] { registry.removeModel(qwen); }), "no model with id"));
}

void TestChatStore::registryRefusesBadFolders() {
    store::ModelRegistry registry(*m_project);
    QVERIFY(contains(expectUserError([&] { registry.addModelFolder(path("missing")); }), "not a folder"));
    std::filesystem::create_directories(path("empty"));
    QVERIFY(contains(expectUserError([&] { registry.addModelFolder(path("empty")); }), path("empty")));
    std::filesystem::create_directories(path("odd"));
    std::ofstream(path("odd/config.json")) << R"({"model_type": "t5"})";
    QVERIFY(contains(expectUserError([&] { registry.addModelFolder(path("odd")); }), "t5"));
    weights::RandomModelOptions options;
    options.architecture = weights::Architecture::Llama;
    weights::writeRandomModel(path("llama-tiny"), options);
    registry.addModelFolder(path("llama-tiny"));
    QVERIFY(contains(expectUserError([&] { registry.addModelFolder(path("llama-tiny"), "other"); }),
                     "already registered"));
    QVERIFY(
        contains(expectUserError([&] { registry.addModelFolder(path("qwen-tiny") + "/../llama-tiny", "x"); }),
                 "already registered"));
    weights::writeRandomModel(path("llama-copy"), options);
    QVERIFY(contains(expectUserError([&] { registry.addModelFolder(path("llama-copy"), "llama-tiny"); }),
                     "already registered"));
    QCOMPARE(registry.models().size(), std::size_t{1});
}

void TestChatStore::checkpoints() {
    weights::RandomModelOptions options;
    options.architecture = weights::Architecture::Llama;
    weights::writeRandomModel(path("base"), options);
    options.seed = 7;
    weights::writeRandomModel(path("run/step-100"), options);
    store::ModelRegistry registry(*m_project);
    const std::int64_t model = registry.addModelFolder(path("base"));
    const std::int64_t checkpoint = registry.addCheckpoint(model, path("run/step-100"), 100);
    const std::int64_t unnamed = registry.addCheckpoint(model, path("run/step-100"), std::nullopt);
    std::vector<store::RegisteredCheckpoint> listed = registry.checkpoints(model);
    QCOMPARE(listed.size(), std::size_t{2});
    QCOMPARE(listed[0].id, checkpoint);
    QCOMPARE(listed[0].step.value_or(-1), std::int64_t{100});
    QVERIFY(!listed[1].step);
    QVERIFY(listed[0].size_bytes > 0);
    registry.removeCheckpoint(unnamed);
    QCOMPARE(registry.checkpoints(model).size(), std::size_t{1});
    QVERIFY(contains(expectUserError([&] { registry.removeCheckpoint(unnamed); }), "no checkpoint with id"));
    QVERIFY(
        contains(expectUserError([&] { registry.addCheckpoint(999, path("run/step-100"), 1); }), "no model"));
    QVERIFY(contains(expectUserError([&] { registry.addCheckpoint(model, path("run/step-100"), -5); }),
                     "negative"));
    QVERIFY(contains(expectUserError([&] { registry.addCheckpoint(model, path("nowhere"), 5); }),
                     "not a folder"));
    registry.removeModel(model);
    QCOMPARE(m_project->database().queryInt("SELECT count(*) FROM checkpoint"), std::int64_t{0});
}

void TestChatStore::parameterCountMatchesWrittenWeights() {
    const weights::Architecture families[] = {weights::Architecture::Llama, weights::Architecture::Mistral,
                                              weights::Architecture::Qwen2, weights::Architecture::GptNeoX,
                                              weights::Architecture::Bloom, weights::Architecture::GptJ,
                                              weights::Architecture::Mpt};
    for (const weights::Architecture family : families) {
        const std::string folder = path(weights::architectureName(family));
        weights::RandomModelOptions options;
        options.architecture = family;
        weights::writeRandomModel(folder, options);
        std::int64_t written = 0;
        const weights::SafetensorsFile file(folder + "/model.safetensors");
        for (const weights::TensorView& tensor : file.tensors()) {
            written += tensor.elementCount();
        }
        const std::int64_t counted = store::parameterCount(weights::loadModelConfig(folder));
        QVERIFY2(counted == written,
                 qPrintable(QStringLiteral("%1: counted %2, written %3")
                                .arg(QString::fromStdString(weights::architectureName(family)))
                                .arg(counted)
                                .arg(written)));
    }
}

void TestChatStore::memoryEstimate() {
    weights::RandomModelOptions options;
    options.architecture = weights::Architecture::Llama;
    weights::writeRandomModel(path("llama"), options);
    const weights::ModelConfig config = weights::loadModelConfig(path("llama"));
    const store::MemoryEstimate fp32 = store::estimateMemory(config, 4, 1024);
    const store::MemoryEstimate bf16 = store::estimateMemory(config, 2, 1024);
    QCOMPARE(fp32.weight_bytes, fp32.parameters * 4);
    QCOMPARE(bf16.weight_bytes * 2, fp32.weight_bytes);
    // Keys and values of every layer: 2 x layers x kv heads x head dim x positions x bytes.
    QCOMPARE(fp32.kv_cache_bytes, 2 * config.num_layers * config.num_kv_heads * config.head_dim * 1024 * 4);
    QCOMPARE(fp32.total_bytes(), fp32.weight_bytes + fp32.kv_cache_bytes);
    // A 7B Llama-2 shape: about 6.7 billion parameters, 2 GiB of fp16 KV cache at 4096 tokens.
    weights::ModelConfig llama2 = config;
    llama2.vocab_size = 32000;
    llama2.hidden_size = 4096;
    llama2.intermediate_size = 11008;
    llama2.num_layers = 32;
    llama2.num_heads = 32;
    llama2.num_kv_heads = 32;
    llama2.head_dim = 128;
    llama2.tie_word_embeddings = false;
    const store::MemoryEstimate big = store::estimateMemory(llama2, 2, 4096);
    QCOMPARE(big.parameters, std::int64_t{6738415616});
    QCOMPARE(big.kv_cache_bytes, std::int64_t{2} * 1024 * 1024 * 1024);
    QVERIFY(contains(expectUserError([&] { store::estimateMemory(config, 0, 10); }), "positive"));
    QVERIFY(contains(expectUserError([&] { store::estimateMemory(config, 2, 0); }), "positive"));
}

void TestChatStore::builtInPresets() {
    const std::vector<chat::SystemPreset>& system = chat::builtInSystemPresets();
    QCOMPARE(system.size(), std::size_t{4});
    const auto text_of = [&system](const std::string& key) {
        for (const chat::SystemPreset& preset : system) {
            if (preset.key == key) return preset.text;
        }
        return std::string();
    };
    QVERIFY(contains(text_of("medicine"), "115"));
    QVERIFY(contains(text_of("medicine"), "không thay thế"));
    QVERIFY(contains(text_of("finance"), "không phải lời khuyên đầu tư cá nhân hóa"));
    QVERIFY(!text_of("general").empty());
    QVERIFY(!text_of("education").empty());
    for (const chat::SystemPreset& preset : system) {
        QCOMPARE(text::toNfc(preset.text), preset.text);
    }
    const std::vector<chat::SamplingPreset>& sampling = chat::builtInSamplingPresets();
    QCOMPARE(sampling.size(), std::size_t{3});
    QCOMPARE(sampling[0].key, std::string("precise"));
    QVERIFY(sampling[0].temperature < sampling[1].temperature);
    QVERIFY(sampling[1].temperature < sampling[2].temperature);
}

QTEST_GUILESS_MAIN(TestChatStore)
#include "tst_chat_store.moc"
