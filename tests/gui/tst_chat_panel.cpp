// Tests of the Chat playground (widgets/chat_panel.h) against a tiny random Llama written into a
// temporary folder: a Vietnamese message streams into the transcript and is stored; Stop leaves
// the user message and the partial, marked reply; Regenerate keeps the old reply as a draft; an
// edited message truncates what followed; A/B verdicts land in the ranking store; the GUI thread
// stays responsive while the worker generates; the item models pass QAbstractItemModelTester; and
// the README screenshot (saved when VIETLLM_CHAT_SCREENSHOT_PATH is set).

#include "backend/store/annotations.h"
#include "backend/store/chats.h"
#include "backend/store/model_registry.h"
#include "backend/store/project_store.h"
#include "backend/store/sqlite_db.h"
#include "backend/weights/random_model.h"
#include "widgets/app_settings.h"
#include "widgets/chat_panel.h"
#include "widgets/error_reporter.h"
#include "widgets/language.h"
#include "widgets/main_window.h"
#include "widgets/models/chat_list_model.h"
#include "widgets/models/chat_message_model.h"
#include "widgets/models/chat_model_list_model.h"
#include "widgets/panels.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QTimer>
#include <QtTest>

using namespace vietllm;
using vietllm::widgets::ChatPanel;

namespace {

class RecordingErrorReporter : public widgets::ErrorReporter {
public:
    void showError(QWidget* /*parent*/, const QString& /*title*/, const QString& message) override {
        messages.append(message);
    }
    QStringList messages;
};

constexpr int kReplyTimeoutMs = 60000;

}  // namespace

class TestChatPanel : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void modelPickerShowsEstimateAndHonestDevices();
    void sendStreamsAndStores();
    void stopKeepsPartialReply();
    void regenerateKeepsAlternative();
    void editResendTruncates();
    void chatsSurviveReopening();
    void longChatsKeepFitting();
    void systemPromptPresets();
    void abVerdictsLandInRankingStore();
    void guiStaysResponsive();
    void screenshot();

private:
    /// Types `text` and sends it with Ctrl+Enter; waits for the stored reply. False (with the reason
    /// logged) when no reply came or the panel shows an error.
    bool sendAndWait(const QString& text);
    std::vector<store::ChatMessage> storedPath() const;

    QTemporaryDir m_models;
    QString m_model_dir;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<store::ProjectStore> m_project;
    std::unique_ptr<ChatPanel> m_panel;
};

void TestChatPanel::initTestCase() {
    QVERIFY(m_models.isValid());
    m_model_dir = m_models.filePath(QStringLiteral("tiny-llama"));
    weights::RandomModelOptions options;
    options.architecture = weights::Architecture::Llama;
    weights::writeRandomModel(QFile::encodeName(m_model_dir).toStdString(), options);
}

void TestChatPanel::init() {
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_project = std::make_unique<store::ProjectStore>(store::ProjectStore::create(
        QFile::encodeName(m_dir->filePath(QStringLiteral("chat.vietllm"))).toStdString(), false));
    m_panel = std::make_unique<ChatPanel>();
    for (QAbstractItemModel* model : std::initializer_list<QAbstractItemModel*>{
             m_panel->chatListModel(), m_panel->messageModel(), m_panel->modelListModel()}) {
        new QAbstractItemModelTester(model, QAbstractItemModelTester::FailureReportingMode::QtTest,
                                     m_panel.get());
    }
    m_panel->resize(1200, 800);
    m_panel->show();
    m_panel->setProject(m_project.get());
    m_panel->setAnnotatorName(QStringLiteral("lan"));
    QVERIFY(m_panel->addModelFolder(m_model_dir));
    m_panel->maxTokensBox()->setValue(16);
    m_panel->threadsBox()->setValue(1);
    m_panel->seedBox()->setValue(3);
}

void TestChatPanel::cleanup() {
    m_panel.reset();
    m_project.reset();
    m_dir.reset();
}

std::vector<store::ChatMessage> TestChatPanel::storedPath() const {
    store::Chats chats(*m_project);
    return m_panel->currentChatId() != 0 ? chats.activePath(m_panel->currentChatId())
                                         : std::vector<store::ChatMessage>();
}

bool TestChatPanel::sendAndWait(const QString& text) {
    QSignalSpy finished(m_panel.get(), &ChatPanel::replyFinished);
    m_panel->composer()->setPlainText(text);
    QTest::keyClick(m_panel->composer(), Qt::Key_Return, Qt::ControlModifier);
    if (!finished.wait(kReplyTimeoutMs)) {
        qWarning("no reply within %d ms", kReplyTimeoutMs);
        return false;
    }
    if (!m_panel->messageLabel()->text().isEmpty()) {
        qWarning("%s", qPrintable(m_panel->messageLabel()->text()));
        return false;
    }
    return true;
}

void TestChatPanel::modelPickerShowsEstimateAndHonestDevices() {
    QCOMPARE(m_panel->modelListModel()->rowCount(), 1);
    QVERIFY(m_panel->modelBox()->currentText().startsWith(QStringLiteral("tiny-llama (llama")));
    QCOMPARE(m_panel->deviceBox()->count(), 1);
    QCOMPARE(m_panel->deviceBox()->itemData(0).toString(), QStringLiteral("cpu"));
    QCOMPARE(m_panel->dtypeBox()->count(), 2);
    const QString fp32 = m_panel->memoryLabel()->text();
    QVERIFY2(fp32.contains(QStringLiteral("256 tokens")), qPrintable(fp32));
    m_panel->dtypeBox()->setCurrentIndex(1);
    QVERIFY(m_panel->memoryLabel()->text() != fp32);
    // A folder that is not a model is refused with the reason shown, and nothing is added.
    QVERIFY(!m_panel->addModelFolder(m_dir->path()));
    QVERIFY(!m_panel->messageLabel()->text().isEmpty());
    QCOMPARE(m_panel->modelListModel()->rowCount(), 1);
    // A checkpoint of the model is listed under it.
    store::ModelRegistry registry(*m_project);
    registry.addCheckpoint(registry.models().front().id, QFile::encodeName(m_model_dir).toStdString(), 50);
    m_panel->setProject(m_project.get());
    QCOMPARE(m_panel->modelListModel()->rowCount(), 2);
    QVERIFY(m_panel->modelListModel()->index(1).data().toString().contains(QStringLiteral("50")));
}

void TestChatPanel::sendStreamsAndStores() {
    bool saw_cursor = false;
    int chunks = 0;
    connect(m_panel->worker(), &widgets::EngineWorker::chunkReady, m_panel.get(), [&] {
        ++chunks;
        saw_cursor = saw_cursor || m_panel->messageModel()->isStreaming();
    });
    QTimer probe;
    connect(&probe, &QTimer::timeout, m_panel.get(), [&] {
        saw_cursor = saw_cursor || m_panel->transcript()->toPlainText().contains(QStringLiteral("▌"));
    });
    probe.start(5);
    const QString question = QStringLiteral("Xin chào, hôm nay trời Hà Nội thế nào?");
    QVERIFY(sendAndWait(question));
    probe.stop();
    QVERIFY(chunks > 0);
    QVERIFY(saw_cursor);
    const std::vector<store::ChatMessage> path = storedPath();
    QCOMPARE(path.size(), std::size_t{2});
    QCOMPARE(path[0].role, data::Role::User);
    QCOMPARE(QString::fromStdString(path[0].content), question);
    QCOMPARE(path[1].role, data::Role::Assistant);
    QVERIFY(!path[1].content.empty());
    QCOMPARE(path[1].metadata["stopped"].get<bool>(), false);
    QVERIFY(path[1].metadata["tokens"].get<int>() > 0);
    QVERIFY(path[1].metadata["tokens"].get<int>() <= 16);
    QVERIFY(path[1].model_id.has_value());
    // The view shows the stored chat: both messages, and the reply's timing.
    QCOMPARE(m_panel->messageModel()->rowCount(), 2);
    QCOMPARE(m_panel->messageModel()->index(1).data().toString(), QString::fromStdString(path[1].content));
    QVERIFY(m_panel->transcript()->toPlainText().contains(question));
    QVERIFY2(m_panel->statsLabel()->text().contains(QStringLiteral("tokens/s")),
             qPrintable(m_panel->statsLabel()->text()));
    QCOMPARE(m_panel->chatListModel()->rowCount(), 1);
    QCOMPARE(m_panel->chatListModel()->index(0).data().toString(), question);
    // The chat's settings were stored with it.
    const nlohmann::json settings = store::Chats(*m_project).chat(m_panel->currentChatId()).settings;
    QCOMPARE(settings["sampling"]["max_tokens"].get<int>(), 16);
    QCOMPARE(QString::fromStdString(settings["model_path"].get<std::string>()), m_model_dir);
}

void TestChatPanel::stopKeepsPartialReply() {
    m_panel->maxTokensBox()->setValue(200);
    QSignalSpy finished(m_panel.get(), &ChatPanel::replyFinished);
    // Blocking: the worker waits at its first chunk until Stop was clicked, so a loaded machine
    // cannot let it finish all 200 tokens before the click lands.
    connect(
        m_panel->worker(), &widgets::EngineWorker::chunkReady, m_panel.get(),
        [this] { m_panel->stopButton()->click(); }, Qt::BlockingQueuedConnection);
    m_panel->composer()->setPlainText(QStringLiteral("Hãy viết một bài thơ thật dài về biển."));
    m_panel->sendButton()->click();
    QVERIFY(m_panel->stopButton()->isEnabled());
    QVERIFY(finished.wait(kReplyTimeoutMs));
    const std::vector<store::ChatMessage> path = storedPath();
    QCOMPARE(path.size(), std::size_t{2});
    QCOMPARE(path[0].role, data::Role::User);
    QCOMPARE(path[1].role, data::Role::Assistant);
    QVERIFY(!path[1].content.empty());
    QCOMPARE(path[1].metadata["stopped"].get<bool>(), true);
    QCOMPARE(path[1].metadata["stop_reason"].get<std::string>(), std::string("cancelled"));
    QVERIFY(path[1].metadata["tokens"].get<int>() < 200);
    QVERIFY(m_panel->transcript()->toPlainText().contains(QStringLiteral("stopped")));
    QVERIFY(!m_panel->isGenerating());
    QVERIFY(!m_panel->stopButton()->isEnabled());
    QVERIFY(m_panel->regenerateButton()->isEnabled());
}

void TestChatPanel::regenerateKeepsAlternative() {
    QVERIFY(sendAndWait(QStringLiteral("Giải thích ngắn gọn về phở.")));
    const std::int64_t first = storedPath().back().id;
    m_panel->seedBox()->setValue(11);
    QSignalSpy finished(m_panel.get(), &ChatPanel::replyFinished);
    m_panel->regenerateButton()->click();
    QVERIFY(finished.wait(kReplyTimeoutMs));
    const std::vector<store::ChatMessage> path = storedPath();
    QCOMPARE(path.size(), std::size_t{2});
    QVERIFY(path.back().id != first);
    const std::vector<store::ChatMessage> drafts = store::Chats(*m_project).alternatives(path.back().id);
    QCOMPARE(drafts.size(), std::size_t{2});
    QCOMPARE(drafts.front().id, first);
    QCOMPARE(drafts.back().metadata["generation"]["sampling"]["seed"].get<int>(), 11);
    QVERIFY(m_panel->transcript()->toPlainText().contains(QStringLiteral("drafts kept: 2")));
}

void TestChatPanel::editResendTruncates() {
    QVERIFY(sendAndWait(QStringLiteral("Câu hỏi một")));
    QVERIFY(sendAndWait(QStringLiteral("Câu hỏi hai")));
    QCOMPARE(storedPath().size(), std::size_t{4});
    const std::int64_t first_question = storedPath().front().id;
    m_panel->editMessage(first_question);
    QCOMPARE(m_panel->composer()->toPlainText(), QStringLiteral("Câu hỏi một"));
    m_panel->composer()->setPlainText(QStringLiteral("Câu hỏi một, đã sửa"));
    QSignalSpy finished(m_panel.get(), &ChatPanel::replyFinished);
    m_panel->send();
    QVERIFY(finished.wait(kReplyTimeoutMs));
    const std::vector<store::ChatMessage> path = storedPath();
    QCOMPARE(path.size(), std::size_t{2});
    QCOMPARE(path[0].id, first_question);
    QCOMPARE(path[0].content, std::string("Câu hỏi một, đã sửa"));
    QCOMPARE(store::Chats(*m_project).messages(m_panel->currentChatId()).size(), std::size_t{2});
}

void TestChatPanel::chatsSurviveReopening() {
    QVERIFY(sendAndWait(QStringLiteral("Nhớ giúp tôi: mã số 42.")));
    const qint64 chat = m_panel->currentChatId();
    m_panel->newChat();
    QVERIFY(m_panel->currentChatId() != chat);
    QCOMPARE(m_panel->messageModel()->rowCount(), 0);
    m_panel->renameCurrentChat(QStringLiteral("Trống"));
    m_panel->setProject(nullptr);
    QCOMPARE(m_panel->chatListModel()->rowCount(), 0);
    m_panel->setProject(m_project.get());
    QCOMPARE(m_panel->chatListModel()->rowCount(), 2);
    // The most recently updated chat opens first: the renamed empty one.
    QCOMPARE(m_panel->chatListModel()->index(0).data().toString(), QStringLiteral("Trống"));
    m_panel->chatView()->setCurrentIndex(m_panel->chatListModel()->index(1));
    QCOMPARE(m_panel->currentChatId(), chat);
    QCOMPARE(m_panel->messageModel()->rowCount(), 2);
    QVERIFY(m_panel->transcript()->toPlainText().contains(QStringLiteral("mã số 42")));
    m_panel->deleteCurrentChat();
    QCOMPARE(m_panel->chatListModel()->rowCount(), 1);
    QCOMPARE(store::Chats(*m_project).chats().size(), std::size_t{1});
}

void TestChatPanel::longChatsKeepFitting() {
    // Each turn is about 100 tokens of the byte-level tiny model, whose context is 256 tokens: from
    // the third turn on, the oldest exchanges must be left out of the prompt.
    m_panel->maxTokensBox()->setValue(60);
    const QString turn =
        QStringLiteral("Hãy nhắc lại câu này thật chậm rãi và rõ ràng nhé: một hai ba bốn năm sáu.");
    for (int round = 0; round < 4; ++round) {
        QVERIFY(sendAndWait(turn));
    }
    const std::vector<store::ChatMessage> path = storedPath();
    QCOMPARE(path.size(), std::size_t{8});
    QCOMPARE(path.back().role, data::Role::Assistant);
    QVERIFY(path.back().metadata["prompt_tokens"].get<int>() < 256);
}

void TestChatPanel::systemPromptPresets() {
    QComboBox* box = m_panel->systemPresetBox();
    QCOMPARE(box->itemData(0).toString(), QString());
    const int medicine = box->findText(QStringLiteral("Medicine"));
    QVERIFY(medicine > 0);
    box->setCurrentIndex(medicine);
    emit box->activated(medicine);
    QVERIFY(m_panel->systemPromptEdit()->toPlainText().contains(QStringLiteral("115")));
    m_panel->systemPromptEdit()->setPlainText(QStringLiteral("Bạn là trợ lý của phòng khám; luôn lịch sự."));
    m_panel->saveSystemPromptAs(QStringLiteral("Phòng khám"));
    const std::vector<store::SavedSystemPrompt> saved = store::Chats(*m_project).savedSystemPrompts();
    QCOMPARE(saved.size(), std::size_t{1});
    QCOMPARE(saved[0].name, std::string("Phòng khám"));
    QVERIFY(box->findText(QStringLiteral("Saved: Phòng khám")) > 0);
    // The system prompt goes with the chat's settings.
    QVERIFY(sendAndWait(QStringLiteral("Tôi bị sốt nhẹ.")));
    const nlohmann::json settings = store::Chats(*m_project).chat(m_panel->currentChatId()).settings;
    QCOMPARE(settings["system_prompt"].get<std::string>(),
             std::string("Bạn là trợ lý của phòng khám; luôn lịch sự."));
    // Sampling presets set the parameters.
    const int precise = m_panel->samplingPresetBox()->findData(QStringLiteral("precise"));
    m_panel->samplingPresetBox()->setCurrentIndex(precise);
    emit m_panel->samplingPresetBox()->activated(precise);
    QCOMPARE(m_panel->temperatureBox()->value(), 0.2);
}

void TestChatPanel::abVerdictsLandInRankingStore() {
    m_panel->abModeBox()->setChecked(true);
    m_panel->samplingPresetBBox()->setCurrentIndex(
        m_panel->samplingPresetBBox()->findData(QStringLiteral("creative")));
    store::Annotations annotations(*m_project);
    const struct {
        store::AbVerdict verdict;
        QString reason;
    } rounds[] = {{store::AbVerdict::Tie, QString()},
                  {store::AbVerdict::BothBad, QStringLiteral("Cả hai đều vô nghĩa")},
                  {store::AbVerdict::LeftBetter, QString()}};
    for (const auto& round : rounds) {
        QSignalSpy ready(m_panel.get(), &ChatPanel::abRepliesReady);
        QSignalSpy stored(m_panel.get(), &ChatPanel::verdictStored);
        m_panel->composer()->setPlainText(QStringLiteral("Viết một câu chào buổi sáng."));
        m_panel->send();
        QVERIFY(ready.wait(kReplyTimeoutMs));
        QVERIFY(!m_panel->leftView()->toPlainText().isEmpty());
        QVERIFY(!m_panel->rightView()->toPlainText().isEmpty());
        QVERIFY(m_panel->abRevealLabel()->text().isEmpty());  // blind until the verdict
        m_panel->reasonEdit()->setText(round.reason);
        QPushButton* button = m_panel->verdictButton(round.verdict);
        QVERIFY(button->isEnabled());
        button->click();
        QCOMPARE(stored.count(), 1);
        QVERIFY(!button->isEnabled());
        QVERIFY(m_panel->abRevealLabel()->text().contains(QStringLiteral("tiny-llama")));
        const std::int64_t task = stored.front().front().toLongLong();
        const std::vector<std::int64_t> candidates = annotations.rankingCandidates(task);
        QCOMPARE(candidates.size(), std::size_t{2});
        const std::vector<store::RankingVote> votes = annotations.rankings(task);
        QCOMPARE(votes.size(), std::size_t{1});
        QCOMPARE(votes[0].annotator_id, annotations.findAnnotator("lan").value_or(-1));
        store::Statement comment(m_project->database(), "SELECT comment FROM ranking WHERE task_id = ?");
        QVERIFY(comment.bindInt(1, task).step());
        QCOMPARE(QString::fromStdString(comment.columnText(0)), round.reason);
        if (round.verdict == store::AbVerdict::Tie) {
            QCOMPARE(votes[0].tiers, (store::RankingTiers{{candidates[0], candidates[1]}}));
        } else if (round.verdict == store::AbVerdict::BothBad) {
            QVERIFY(votes[0].not_rankable);
            QVERIFY(votes[0].tiers.empty());
        } else {
            QCOMPARE(votes[0].tiers, (store::RankingTiers{{candidates[0]}, {candidates[1]}}));
            // The left reply's stored details name the configuration that was drawn for the left.
            store::Statement left(m_project->database(), "SELECT metadata FROM message WHERE id = ?");
            QVERIFY(left.bindInt(1, candidates[0]).step());
            const nlohmann::json metadata = nlohmann::json::parse(left.columnText(0));
            QCOMPARE(metadata["details"]["config"].get<std::string>(),
                     std::string(m_panel->abLeftIsA() ? "A" : "B"));
            QCOMPARE(metadata["side"].get<std::string>(), std::string("left"));
        }
    }
    const std::optional<store::DatasetInfo> dataset = m_project->findDataset(store::kAbDatasetName);
    QVERIFY(dataset);
    QCOMPARE(m_project->recordCount(dataset->id), std::int64_t{3});
    QVERIFY(store::Chats(*m_project).chats().empty());  // A/B rounds are not chats
}

void TestChatPanel::guiStaysResponsive() {
    // Load first, so the measurement covers generation, not the one-off load; then a new chat so
    // that the prompt and 200 new tokens fit the tiny model's 256-token context.
    QVERIFY(sendAndWait(QStringLiteral("Chào")));
    m_panel->newChat();
    m_panel->maxTokensBox()->setValue(200);
    QElapsedTimer clock;
    qint64 last = 0;
    qint64 longest_gap = 0;
    int ticks = 0;
    QTimer ticker;
    ticker.setTimerType(Qt::PreciseTimer);
    connect(&ticker, &QTimer::timeout, m_panel.get(), [&] {
        const qint64 now = clock.elapsed();
        longest_gap = std::max(longest_gap, now - last);
        last = now;
        ++ticks;
    });
    QSignalSpy finished(m_panel.get(), &ChatPanel::replyFinished);
    m_panel->composer()->setPlainText(QStringLiteral("Kể cho tôi nghe một câu chuyện cổ tích Việt Nam."));
    clock.start();
    ticker.start(5);
    // One reply and four regenerations, each with another seed: a second or so of generation.
    qint64 tokens = 0;
    for (int round = 0; round < 5; ++round) {
        m_panel->seedBox()->setValue(100 + round);
        if (round == 0) {
            m_panel->send();
        } else {
            m_panel->regenerate();
        }
        QVERIFY(finished.wait(kReplyTimeoutMs));
        QVERIFY2(m_panel->messageLabel()->text().isEmpty(), qPrintable(m_panel->messageLabel()->text()));
        QCOMPARE(storedPath().back().role, data::Role::Assistant);
        tokens += storedPath().back().metadata["tokens"].get<qint64>();
    }
    ticker.stop();
    qInfo("generated %lld tokens in %lld ms; %d timer ticks; longest gap between 5 ms ticks: %lld ms",
          static_cast<long long>(tokens), static_cast<long long>(clock.elapsed()), ticks,
          static_cast<long long>(longest_gap));
    QVERIFY(tokens > 50);
    QVERIFY(ticks > 3);
    QVERIFY2(longest_gap < 50, qPrintable(QStringLiteral("longest gap %1 ms").arg(longest_gap)));
}

void TestChatPanel::screenshot() {
    m_panel.reset();
    const QString path = QString::fromStdString(m_project->path());
    {
        store::Chats chats(*m_project);
        const std::int64_t older = chats.createChat("Lịch sử Huế", nlohmann::json::object());
        chats.addMessage(older, std::nullopt, data::Role::User, "Huế là kinh đô từ năm nào?", std::nullopt,
                         nlohmann::json::object());
        const std::int64_t chat = chats.createChat("Đảo ngược chuỗi tiếng Việt", nlohmann::json::object());
        const std::int64_t user =
            chats.addMessage(chat, std::nullopt, data::Role::User,
                             "Viết hàm Python đảo ngược một chuỗi tiếng Việt mà không làm hỏng dấu.",
                             std::nullopt, nlohmann::json::object());
        chats.addMessage(chat, user, data::Role::Assistant,
                         "Chuẩn hóa về **NFC** trước, rồi đảo theo cụm ký tự:\n\n"
                         "```python\nimport unicodedata\n\ndef dao_nguoc(s: str) -> str:\n"
                         "    return unicodedata.normalize(\"NFC\", s)[::-1]\n```\n\n"
                         "Ví dụ: `dao_nguoc(\"Việt Nam\")` cho `\"maN tệiV\"`.",
                         std::nullopt, {{"stopped", false}, {"tokens", 61}});
    }
    m_project.reset();
    QSettings qsettings(m_dir->filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    widgets::AppSettings settings(qsettings);
    widgets::LanguageSwitcher languages;
    QVERIFY(languages.apply(widgets::Language::Vietnamese));
    RecordingErrorReporter errors;
    widgets::MainWindow window(settings, languages, errors);
    window.resize(1500, 940);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.openProject(path));
    window.showPanel(widgets::Panel::Chat);
    ChatPanel& chat = *window.chatPanel();
    QCOMPARE(chat.modelListModel()->rowCount(), 1);  // registered in init()
    QCOMPARE(chat.chatListModel()->rowCount(), 2);
    QCOMPARE(chat.messageModel()->rowCount(), 2);
    chat.composer()->setPlainText(QStringLiteral("Giải thích thêm về NFC và NFD."));
    QApplication::processEvents();
    QVERIFY2(chat.transcript()->toPlainText().contains(QStringLiteral("Sao chép")),
             qPrintable(chat.transcript()->toPlainText()));
    const QImage image = window.grab().toImage();
    QCOMPARE(image.size(), window.size() * window.devicePixelRatio());
    const QString output = qEnvironmentVariable("VIETLLM_CHAT_SCREENSHOT_PATH");
    if (!output.isEmpty()) {
        QVERIFY2(image.save(output), qPrintable(output));
    }
    QVERIFY(errors.messages.isEmpty());
}

QTEST_MAIN(TestChatPanel)
#include "tst_chat_panel.moc"
