#pragma once
// The Chat playground: conversations kept in the project (list on the left), the transcript
// rendered as Markdown with copy and edit links, a composer (Ctrl+Enter sends), and replies
// streamed from the in-process engine on a worker thread (EngineWorker) with Stop, Regenerate
// (the old reply stays as a draft in the store) and time to first token and tokens/s after each
// reply. The model picker lists the project's registered model folders (ModelRegistry) with a
// memory estimate before loading; sampling and system-prompt presets sit on the right.
//
// A/B mode sends one prompt to two configurations (two models, or one model with two parameter
// sets) side by side, one worker each so both stream at once. Sides are shuffled and the models
// stay hidden until the verdict, which is stored as a ranking in the "Chat A/B" dataset.

#include "backend/store/chats.h"
#include "widgets/engine_worker.h"

#include <QTimer>
#include <QWidget>
#include <memory>
#include <nlohmann/json.hpp>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QListView;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QStackedWidget;
class QTextBrowser;

namespace vietllm::store {
class ModelRegistry;
class ProjectStore;
}  // namespace vietllm::store

namespace vietllm::widgets {

class ChatListModel;
class ChatMessageModel;
class ChatModelListModel;

class ChatPanel : public QWidget {
    Q_OBJECT

public:
    explicit ChatPanel(QWidget* parent = nullptr);
    ~ChatPanel() override;

    /// Shows the chats and models of `project` (nullptr: none). Generation in flight is stopped.
    /// The project must outlive the panel or be replaced first.
    void setProject(store::ProjectStore* project);
    /// The annotator A/B verdicts are stored for (created in the project on first use).
    void setAnnotatorName(const QString& name) { m_annotator = name; }

    /// Registers a model folder in the project and selects it; false (with the reason shown)
    /// when the folder is not a model we can load.
    bool addModelFolder(const QString& path);
    /// Sends the composer's text (or, in A/B mode, starts both sides).
    void send();
    /// Stops generation at the next token (and drops a load in flight).
    void stop();
    /// Generates a new reply to the last user message; the old reply stays as a draft.
    void regenerate();
    /// Puts a user message into the composer; sending then replaces it and drops what followed.
    void editMessage(qint64 message_id);
    /// Stores the A/B verdict for the replies on screen (with the reason box's text).
    void submitVerdict(store::AbVerdict verdict);
    /// Saves the system prompt box under `name` in the project.
    void saveSystemPromptAs(const QString& name);
    /// Renames / deletes the chat on screen (the buttons ask first, then call these).
    void renameCurrentChat(const QString& title);
    void deleteCurrentChat();
    /// Starts a new, empty chat.
    void newChat();

    /// The chat on screen; 0 when none.
    qint64 currentChatId() const { return m_chat_id; }
    /// True while a reply (or both A/B replies) is being generated.
    bool isGenerating() const;
    /// Whether side A was put on the left in the last A/B round.
    bool abLeftIsA() const { return m_ab_left_is_a; }

    // Widgets and models, for tests.
    ChatListModel* chatListModel() const { return m_chat_model; }
    ChatMessageModel* messageModel() const { return m_message_model; }
    ChatModelListModel* modelListModel() const { return m_model_list; }
    QListView* chatView() const { return m_chat_view; }
    QTextBrowser* transcript() const { return m_transcript; }
    QPlainTextEdit* composer() const { return m_composer; }
    QPushButton* sendButton() const { return m_send_button; }
    QPushButton* stopButton() const { return m_stop_button; }
    QPushButton* regenerateButton() const { return m_regenerate_button; }
    QLabel* statsLabel() const { return m_stats_label; }
    QLabel* memoryLabel() const { return m_memory_label; }
    QLabel* messageLabel() const { return m_message_label; }
    QComboBox* modelBox() const { return m_model_box; }
    QComboBox* modelBBox() const { return m_model_b_box; }
    QComboBox* dtypeBox() const { return m_dtype_box; }
    QComboBox* deviceBox() const { return m_device_box; }
    QComboBox* templateBox() const { return m_template_box; }
    QComboBox* samplingPresetBox() const { return m_preset_box; }
    QComboBox* samplingPresetBBox() const { return m_preset_b_box; }
    QComboBox* systemPresetBox() const { return m_system_box; }
    QPlainTextEdit* systemPromptEdit() const { return m_system_edit; }
    QDoubleSpinBox* temperatureBox() const { return m_temperature; }
    QSpinBox* maxTokensBox() const { return m_max_tokens; }
    QSpinBox* seedBox() const { return m_seed; }
    QSpinBox* threadsBox() const { return m_threads; }
    QCheckBox* abModeBox() const { return m_ab_mode; }
    QTextBrowser* leftView() const { return m_left_view; }
    QTextBrowser* rightView() const { return m_right_view; }
    QLineEdit* reasonEdit() const { return m_reason; }
    QLabel* abRevealLabel() const { return m_reveal_label; }
    QPushButton* verdictButton(store::AbVerdict verdict) const;
    EngineWorker* worker() const { return m_worker; }

signals:
    /// A reply was stored (finished, stopped or failed) and the transcript shows the stored chat.
    void replyFinished();
    /// Both A/B replies are on screen; the verdict buttons are enabled.
    void abRepliesReady();
    /// An A/B verdict was stored as ranking task `task_id`.
    void verdictStored(qint64 task_id);

protected:
    void changeEvent(QEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    struct PendingReply {
        quint64 request_id = 0;
        qint64 parent_id = 0;
        nlohmann::json details;
    };
    struct AbSide {
        quint64 request_id = 0;
        QString text;
        bool done = false;
        bool config_a = true;
        nlohmann::json details;
    };

    QWidget* createChatList();
    QWidget* createModelBar();
    QWidget* createParameters();
    QWidget* createAbArea();
    void retranslateUi();
    void fillPresetBoxes();
    void fillSystemPresets();
    void reloadChats();
    void openChat(qint64 chat_id);
    void showStoredPath();
    void renderTranscript();
    void renderAbViews();
    void scheduleRender();
    void updateButtons();
    void updateModelInfo();
    void showMessage(const QString& text);
    void onAnchorClicked(const QUrl& url);
    void applySamplingPreset(const QComboBox* box);
    void startReply(qint64 parent_id);
    void sendAb(const QString& text);
    EngineWorker* workerB();
    void onChunk(quint64 request_id, const QString& text);
    void onFinished(quint64 request_id, const GenerationStats& stats);
    void onFailed(quint64 request_id, const QString& message);
    void storeReply(const GenerationStats& stats);
    AbSide* abSide(quint64 request_id);
    EngineLoadSettings loadSettings(const QComboBox* model_box) const;
    sample::GenerationOptions generationOptions() const;
    sample::GenerationOptions generationOptionsB() const;
    chat::TemplateKind chosenTemplate() const;
    nlohmann::json chatSettings() const;
    void applyChatSettings(const nlohmann::json& settings);
    nlohmann::json sideDetails(const QComboBox* model_box, const sample::GenerationOptions& options) const;
    std::vector<data::Message> promptMessages(const std::vector<store::ChatMessage>& path) const;

    store::ProjectStore* m_project = nullptr;
    std::unique_ptr<store::Chats> m_chats;
    std::unique_ptr<store::ModelRegistry> m_registry;
    qint64 m_chat_id = 0;
    qint64 m_editing_message_id = 0;
    quint64 m_request_serial = 0;
    PendingReply m_pending;
    AbSide m_ab_left;
    AbSide m_ab_right;
    std::vector<data::Message> m_ab_prompt;
    bool m_ab_left_is_a = true;
    bool m_ab_waiting_verdict = false;
    QString m_annotator;
    QString m_last_stats;
    QTimer m_render_timer;

    EngineWorker* m_worker = nullptr;
    EngineWorker* m_worker_b = nullptr;
    ChatListModel* m_chat_model = nullptr;
    ChatMessageModel* m_message_model = nullptr;
    ChatModelListModel* m_model_list = nullptr;

    QLabel* m_title_label = nullptr;
    QLabel* m_chats_label = nullptr;
    QListView* m_chat_view = nullptr;
    QPushButton* m_new_button = nullptr;
    QPushButton* m_rename_button = nullptr;
    QPushButton* m_delete_button = nullptr;

    QLabel* m_model_label = nullptr;
    QComboBox* m_model_box = nullptr;
    QPushButton* m_add_model_button = nullptr;
    QLabel* m_dtype_label = nullptr;
    QComboBox* m_dtype_box = nullptr;
    QLabel* m_device_label = nullptr;
    QComboBox* m_device_box = nullptr;
    QLabel* m_threads_label = nullptr;
    QSpinBox* m_threads = nullptr;
    QPushButton* m_load_button = nullptr;
    QPushButton* m_cancel_button = nullptr;
    QProgressBar* m_busy = nullptr;
    QLabel* m_busy_label = nullptr;
    QLabel* m_memory_label = nullptr;

    QStackedWidget* m_center = nullptr;
    QTextBrowser* m_transcript = nullptr;
    QWidget* m_ab_area = nullptr;
    QLabel* m_left_label = nullptr;
    QLabel* m_right_label = nullptr;
    QTextBrowser* m_left_view = nullptr;
    QTextBrowser* m_right_view = nullptr;
    QPushButton* m_left_better = nullptr;
    QPushButton* m_right_better = nullptr;
    QPushButton* m_tie = nullptr;
    QPushButton* m_both_bad = nullptr;
    QLabel* m_reason_label = nullptr;
    QLineEdit* m_reason = nullptr;
    QLabel* m_reveal_label = nullptr;

    QPlainTextEdit* m_composer = nullptr;
    QPushButton* m_send_button = nullptr;
    QPushButton* m_stop_button = nullptr;
    QPushButton* m_regenerate_button = nullptr;
    QLabel* m_stats_label = nullptr;
    QLabel* m_message_label = nullptr;

    QGroupBox* m_parameters_group = nullptr;
    QLabel* m_preset_label = nullptr;
    QComboBox* m_preset_box = nullptr;
    QLabel* m_temperature_label = nullptr;
    QDoubleSpinBox* m_temperature = nullptr;
    QLabel* m_top_p_label = nullptr;
    QDoubleSpinBox* m_top_p = nullptr;
    QLabel* m_top_k_label = nullptr;
    QSpinBox* m_top_k = nullptr;
    QLabel* m_min_p_label = nullptr;
    QDoubleSpinBox* m_min_p = nullptr;
    QLabel* m_repetition_label = nullptr;
    QDoubleSpinBox* m_repetition = nullptr;
    QLabel* m_max_tokens_label = nullptr;
    QSpinBox* m_max_tokens = nullptr;
    QLabel* m_seed_label = nullptr;
    QSpinBox* m_seed = nullptr;
    QLabel* m_template_label = nullptr;
    QComboBox* m_template_box = nullptr;
    QLabel* m_detected_label = nullptr;
    QGroupBox* m_system_group = nullptr;
    QComboBox* m_system_box = nullptr;
    QPlainTextEdit* m_system_edit = nullptr;
    QPushButton* m_save_system_button = nullptr;
    QGroupBox* m_ab_group = nullptr;
    QCheckBox* m_ab_mode = nullptr;
    QLabel* m_model_b_label = nullptr;
    QComboBox* m_model_b_box = nullptr;
    QLabel* m_preset_b_label = nullptr;
    QComboBox* m_preset_b_box = nullptr;
};

}  // namespace vietllm::widgets
