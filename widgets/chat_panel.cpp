#include "widgets/chat_panel.h"

#include "backend/chat/system_presets.h"
#include "backend/common/errors.h"
#include "backend/sample/devices.h"
#include "backend/store/model_registry.h"
#include "backend/weights/model_config.h"
#include "widgets/models/chat_list_model.h"
#include "widgets/models/chat_message_model.h"
#include "widgets/models/chat_model_list_model.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRandomGenerator>
#include <QScrollBar>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QTextBrowser>
#include <QUrl>
#include <QVBoxLayout>

namespace vietllm::widgets {

namespace {

constexpr int kRenderDelayMs = 40;  // streamed text is redrawn at most this often
constexpr const char* kCopyScheme = "copy";
constexpr const char* kEditScheme = "edit";

QString stopReasonText(sample::StopReason reason) {
    switch (reason) {
        case sample::StopReason::MaxTokens:
            return ChatPanel::tr("token limit reached");
        case sample::StopReason::StopToken:
        case sample::StopReason::StopString:
            return ChatPanel::tr("finished");
        case sample::StopReason::Cancelled:
            return ChatPanel::tr("stopped");
        case sample::StopReason::ContextFull:
            return ChatPanel::tr("context full");
        default:
            return QString();
    }
}

QString statsText(const GenerationStats& stats) {
    return ChatPanel::tr("First token %1 ms · %2 tokens/s · %3 tokens · %4")
        .arg(QLocale().toString(stats.first_token_ms, 'f', 0))
        .arg(QLocale().toString(stats.tokens_per_second, 'f', 1))
        .arg(stats.tokens)
        .arg(stopReasonText(stats.stop_reason));
}

nlohmann::json statsJson(const GenerationStats& stats) {
    return {{"stop_reason", sample::stopReasonName(stats.stop_reason)},
            {"stopped", stats.stop_reason == sample::StopReason::Cancelled},
            {"tokens", stats.tokens},
            {"prompt_tokens", stats.prompt_tokens},
            {"first_token_ms", stats.first_token_ms},
            {"tokens_per_second", stats.tokens_per_second}};
}

nlohmann::json samplingJson(const sample::GenerationOptions& options) {
    const sample::SamplingOptions& s = options.sampling;
    return {{"temperature", s.temperature},
            {"top_p", s.top_p},
            {"top_k", s.top_k},
            {"min_p", s.min_p},
            {"repetition_penalty", s.repetition_penalty},
            {"seed", s.seed},
            {"max_tokens", options.max_new_tokens}};
}

std::string toStd(const QString& text) {
    return text.toStdString();
}

QString roleTitle(data::Role role) {
    switch (role) {
        case data::Role::User:
            return ChatPanel::tr("You");
        case data::Role::System:
            return ChatPanel::tr("System");
        default:
            return ChatPanel::tr("Assistant");
    }
}

QString presetTitle(const std::string& key) {
    if (key == "precise") return ChatPanel::tr("Precise");
    if (key == "balanced") return ChatPanel::tr("Balanced");
    if (key == "creative") return ChatPanel::tr("Creative");
    if (key == "general") return ChatPanel::tr("General");
    if (key == "education") return ChatPanel::tr("Education");
    if (key == "medicine") return ChatPanel::tr("Medicine");
    if (key == "finance") return ChatPanel::tr("Finance");
    return QString::fromStdString(key);
}

QDoubleSpinBox* makeDoubleBox(QWidget* parent, double minimum, double maximum, double step) {
    auto* box = new QDoubleSpinBox(parent);
    box->setRange(minimum, maximum);
    box->setSingleStep(step);
    box->setDecimals(2);
    return box;
}

}  // namespace

ChatPanel::ChatPanel(QWidget* parent)
    : QWidget(parent),
      m_worker(new EngineWorker(this)),
      m_chat_model(new ChatListModel(this)),
      m_message_model(new ChatMessageModel(this)),
      m_model_list(new ChatModelListModel(this)) {
    const QString user = qEnvironmentVariable("USER");
    m_annotator = user.isEmpty() ? QStringLiteral("annotator") : user;
    m_title_label = new QLabel(this);
    QFont title_font = m_title_label->font();
    title_font.setBold(true);
    title_font.setPointSizeF(title_font.pointSizeF() * 1.3);
    m_title_label->setFont(title_font);

    m_center = new QStackedWidget(this);
    m_transcript = new QTextBrowser(m_center);
    m_transcript->setOpenLinks(false);
    m_transcript->setObjectName(QStringLiteral("chat_transcript"));
    m_center->addWidget(m_transcript);
    m_center->addWidget(createAbArea());

    m_composer = new QPlainTextEdit(this);
    m_composer->setObjectName(QStringLiteral("chat_composer"));
    m_composer->setMaximumHeight(110);
    m_send_button = new QPushButton(this);
    m_stop_button = new QPushButton(this);
    m_regenerate_button = new QPushButton(this);
    m_stats_label = new QLabel(this);
    m_message_label = new QLabel(this);
    m_message_label->setWordWrap(true);
    m_message_label->setStyleSheet(QStringLiteral("color: #b00020;"));

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_stats_label, 1);
    buttons->addWidget(m_regenerate_button);
    buttons->addWidget(m_stop_button);
    buttons->addWidget(m_send_button);

    auto* center = new QWidget(this);
    auto* center_layout = new QVBoxLayout(center);
    center_layout->setContentsMargins(0, 0, 0, 0);
    center_layout->addWidget(createModelBar());
    center_layout->addWidget(m_center, 1);
    center_layout->addWidget(m_message_label);
    center_layout->addWidget(m_composer);
    center_layout->addLayout(buttons);

    auto* splitter = new QSplitter(this);
    splitter->addWidget(createChatList());
    splitter->addWidget(center);
    splitter->addWidget(createParameters());
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setStretchFactor(2, 0);
    splitter->setSizes({220, 700, 300});

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_title_label);
    layout->addWidget(splitter, 1);

    m_render_timer.setSingleShot(true);
    m_render_timer.setInterval(kRenderDelayMs);
    connect(&m_render_timer, &QTimer::timeout, this, [this] {
        renderTranscript();
        renderAbViews();
    });
    connect(m_transcript, &QTextBrowser::anchorClicked, this, &ChatPanel::onAnchorClicked);
    connect(m_send_button, &QPushButton::clicked, this, &ChatPanel::send);
    connect(m_stop_button, &QPushButton::clicked, this, &ChatPanel::stop);
    connect(m_regenerate_button, &QPushButton::clicked, this, &ChatPanel::regenerate);
    m_composer->installEventFilter(this);  // Ctrl+Enter sends
    connect(m_composer, &QPlainTextEdit::textChanged, this, &ChatPanel::updateButtons);
    connect(m_worker, &EngineWorker::chunkReady, this, &ChatPanel::onChunk);
    connect(m_worker, &EngineWorker::generationFinished, this, &ChatPanel::onFinished);
    connect(m_worker, &EngineWorker::generationFailed, this, &ChatPanel::onFailed);
    connect(m_worker, &EngineWorker::busyChanged, this, &ChatPanel::updateButtons);
    connect(m_worker, &EngineWorker::loadStarted, this,
            [this] { m_busy_label->setText(tr("Loading the model…")); });
    connect(m_worker, &EngineWorker::loaded, this, [this](const QString& dir) {
        m_busy_label->setText(tr("Loaded: %1").arg(QDir(dir).dirName()));
        showMessage(QString());
    });
    connect(m_worker, &EngineWorker::loadFailed, this, [this](const QString&, const QString& message) {
        m_busy_label->setText(tr("No model loaded"));
        showMessage(tr("The model could not be loaded: %1").arg(message));
    });
    connect(m_worker, &EngineWorker::loadCancelled, this,
            [this] { m_busy_label->setText(tr("Loading cancelled")); });

    retranslateUi();
    setProject(nullptr);
}

ChatPanel::~ChatPanel() = default;

QWidget* ChatPanel::createChatList() {
    auto* box = new QWidget(this);
    m_chats_label = new QLabel(box);
    m_chat_view = new QListView(box);
    m_chat_view->setObjectName(QStringLiteral("chat_list"));
    m_chat_view->setModel(m_chat_model);
    m_chat_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_new_button = new QPushButton(box);
    m_rename_button = new QPushButton(box);
    m_delete_button = new QPushButton(box);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_new_button);
    buttons->addWidget(m_rename_button);
    buttons->addWidget(m_delete_button);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_chats_label);
    layout->addWidget(m_chat_view, 1);
    layout->addLayout(buttons);
    connect(m_chat_view->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& current) {
                const qint64 id = m_chat_model->chatIdAt(current.row());
                if (id != 0 && id != m_chat_id && !isGenerating()) {
                    openChat(id);
                }
            });
    connect(m_new_button, &QPushButton::clicked, this, &ChatPanel::newChat);
    connect(m_rename_button, &QPushButton::clicked, this, [this] {
        bool ok = false;
        const QModelIndex current = m_chat_view->currentIndex();
        const QString title = QInputDialog::getText(this, tr("Rename chat"), tr("Title:"), QLineEdit::Normal,
                                                    current.data().toString(), &ok);
        if (ok) {
            renameCurrentChat(title);
        }
    });
    connect(m_delete_button, &QPushButton::clicked, this, [this] {
        if (QMessageBox::question(this, tr("Delete chat"),
                                  tr("Delete this chat and all its messages? This cannot be undone.")) ==
            QMessageBox::Yes) {
            deleteCurrentChat();
        }
    });
    return box;
}

QWidget* ChatPanel::createModelBar() {
    auto* bar = new QWidget(this);
    m_model_label = new QLabel(bar);
    m_model_box = new QComboBox(bar);
    m_model_box->setModel(m_model_list);
    m_model_box->setMinimumContentsLength(24);
    m_model_box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_model_label->setBuddy(m_model_box);
    m_add_model_button = new QPushButton(bar);
    m_dtype_label = new QLabel(bar);
    m_dtype_box = new QComboBox(bar);
    m_dtype_box->addItem(QStringLiteral("fp32"), static_cast<int>(sample::ComputeDType::Float32));
    m_dtype_box->addItem(QStringLiteral("bf16"), static_cast<int>(sample::ComputeDType::BFloat16));
    m_dtype_label->setBuddy(m_dtype_box);
    m_device_label = new QLabel(bar);
    m_device_box = new QComboBox(bar);
    // Only the devices this build and machine can run on are offered (CUDA GPUs where visible).
    for (const sample::ComputeDevice& device : sample::computeDevices()) {
        m_device_box->addItem(QString::fromStdString(device.name), QString::fromStdString(device.id));
    }
    m_device_label->setBuddy(m_device_box);
    m_threads_label = new QLabel(bar);
    m_threads = new QSpinBox(bar);
    m_threads->setRange(0, 256);
    m_threads_label->setBuddy(m_threads);
    m_load_button = new QPushButton(bar);
    m_cancel_button = new QPushButton(bar);
    m_busy = new QProgressBar(bar);
    m_busy->setRange(0, 0);  // busy indicator: libtorch reports no load progress
    m_busy->setMaximumWidth(120);
    m_busy->setVisible(false);
    m_busy_label = new QLabel(bar);
    m_memory_label = new QLabel(bar);
    m_memory_label->setWordWrap(true);

    m_threads->setMinimumWidth(90);
    auto* first = new QHBoxLayout;
    first->addWidget(m_model_label);
    first->addWidget(m_model_box, 1);
    first->addWidget(m_add_model_button);
    auto* second = new QHBoxLayout;
    second->addWidget(m_dtype_label);
    second->addWidget(m_dtype_box);
    second->addWidget(m_device_label);
    second->addWidget(m_device_box);
    second->addWidget(m_threads_label);
    second->addWidget(m_threads);
    second->addWidget(m_load_button);
    second->addWidget(m_cancel_button);
    second->addWidget(m_busy);
    second->addWidget(m_busy_label, 1);
    auto* layout = new QVBoxLayout(bar);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(first);
    layout->addLayout(second);
    layout->addWidget(m_memory_label);

    connect(m_add_model_button, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Add model folder"));
        if (!dir.isEmpty()) {
            addModelFolder(dir);
        }
    });
    connect(m_model_box, &QComboBox::currentIndexChanged, this, &ChatPanel::updateModelInfo);
    connect(m_dtype_box, &QComboBox::currentIndexChanged, this, &ChatPanel::updateModelInfo);
    connect(m_load_button, &QPushButton::clicked, this, [this] {
        if (m_model_box->currentIndex() >= 0) {
            m_worker->load(loadSettings(m_model_box));
        }
    });
    connect(m_cancel_button, &QPushButton::clicked, this, &ChatPanel::stop);
    return bar;
}

QWidget* ChatPanel::createParameters() {
    auto* panel = new QWidget(this);
    m_parameters_group = new QGroupBox(panel);
    m_preset_label = new QLabel(m_parameters_group);
    m_preset_box = new QComboBox(m_parameters_group);
    m_temperature_label = new QLabel(m_parameters_group);
    m_temperature = makeDoubleBox(m_parameters_group, 0.0, 5.0, 0.05);
    m_top_p_label = new QLabel(m_parameters_group);
    m_top_p = makeDoubleBox(m_parameters_group, 0.01, 1.0, 0.01);
    m_top_k_label = new QLabel(m_parameters_group);
    m_top_k = new QSpinBox(m_parameters_group);
    m_top_k->setRange(0, 100000);
    m_min_p_label = new QLabel(m_parameters_group);
    m_min_p = makeDoubleBox(m_parameters_group, 0.0, 1.0, 0.01);
    m_repetition_label = new QLabel(m_parameters_group);
    m_repetition = makeDoubleBox(m_parameters_group, 0.5, 3.0, 0.05);
    m_max_tokens_label = new QLabel(m_parameters_group);
    m_max_tokens = new QSpinBox(m_parameters_group);
    m_max_tokens->setRange(1, 32768);
    m_max_tokens->setValue(512);
    m_seed_label = new QLabel(m_parameters_group);
    m_seed = new QSpinBox(m_parameters_group);
    m_seed->setRange(0, std::numeric_limits<int>::max());
    m_template_label = new QLabel(m_parameters_group);
    m_template_box = new QComboBox(m_parameters_group);
    m_detected_label = new QLabel(m_parameters_group);
    auto* form = new QFormLayout(m_parameters_group);
    form->addRow(m_preset_label, m_preset_box);
    form->addRow(m_temperature_label, m_temperature);
    form->addRow(m_top_p_label, m_top_p);
    form->addRow(m_top_k_label, m_top_k);
    form->addRow(m_min_p_label, m_min_p);
    form->addRow(m_repetition_label, m_repetition);
    form->addRow(m_max_tokens_label, m_max_tokens);
    form->addRow(m_seed_label, m_seed);
    form->addRow(m_template_label, m_template_box);
    form->addRow(m_detected_label);
    for (QLabel* label : {m_preset_label, m_temperature_label, m_top_p_label, m_top_k_label, m_min_p_label,
                          m_repetition_label, m_max_tokens_label, m_seed_label, m_template_label}) {
        label->setBuddy(form->itemAt(form->indexOf(label) + 1)->widget());
    }

    m_system_group = new QGroupBox(panel);
    m_system_box = new QComboBox(m_system_group);
    m_system_edit = new QPlainTextEdit(m_system_group);
    m_system_edit->setMaximumHeight(140);
    m_save_system_button = new QPushButton(m_system_group);
    auto* system_layout = new QVBoxLayout(m_system_group);
    system_layout->addWidget(m_system_box);
    system_layout->addWidget(m_system_edit);
    system_layout->addWidget(m_save_system_button);

    m_ab_group = new QGroupBox(panel);
    m_ab_mode = new QCheckBox(m_ab_group);
    m_model_b_label = new QLabel(m_ab_group);
    m_model_b_box = new QComboBox(m_ab_group);
    m_model_b_box->setModel(m_model_list);
    m_model_b_box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_model_b_box->setMinimumContentsLength(12);
    m_preset_b_label = new QLabel(m_ab_group);
    m_preset_b_box = new QComboBox(m_ab_group);
    m_model_b_label->setBuddy(m_model_b_box);
    m_preset_b_label->setBuddy(m_preset_b_box);
    auto* ab_form = new QFormLayout(m_ab_group);
    ab_form->addRow(m_ab_mode);
    ab_form->addRow(m_model_b_label, m_model_b_box);
    ab_form->addRow(m_preset_b_label, m_preset_b_box);

    auto* layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_parameters_group);
    layout->addWidget(m_system_group);
    layout->addWidget(m_ab_group);
    layout->addStretch(1);

    fillPresetBoxes();
    applySamplingPreset(m_preset_box);
    connect(m_preset_box, &QComboBox::activated, this, [this] { applySamplingPreset(m_preset_box); });
    connect(m_system_box, &QComboBox::activated, this,
            [this] { m_system_edit->setPlainText(m_system_box->currentData().toString()); });
    connect(m_save_system_button, &QPushButton::clicked, this, [this] {
        bool ok = false;
        const QString name =
            QInputDialog::getText(this, tr("Save system prompt"), tr("Name:"), QLineEdit::Normal, {}, &ok);
        if (ok) {
            saveSystemPromptAs(name);
        }
    });
    connect(m_ab_mode, &QCheckBox::toggled, this, [this](bool on) {
        m_center->setCurrentIndex(on ? 1 : 0);
        updateButtons();
    });
    return panel;
}

QWidget* ChatPanel::createAbArea() {
    m_ab_area = new QWidget(m_center);
    m_left_label = new QLabel(m_ab_area);
    m_right_label = new QLabel(m_ab_area);
    m_left_view = new QTextBrowser(m_ab_area);
    m_right_view = new QTextBrowser(m_ab_area);
    m_left_better = new QPushButton(m_ab_area);
    m_right_better = new QPushButton(m_ab_area);
    m_tie = new QPushButton(m_ab_area);
    m_both_bad = new QPushButton(m_ab_area);
    m_reason_label = new QLabel(m_ab_area);
    m_reason = new QLineEdit(m_ab_area);
    m_reason_label->setBuddy(m_reason);
    m_reveal_label = new QLabel(m_ab_area);
    m_reveal_label->setWordWrap(true);
    auto* left = new QVBoxLayout;
    left->addWidget(m_left_label);
    left->addWidget(m_left_view, 1);
    auto* right = new QVBoxLayout;
    right->addWidget(m_right_label);
    right->addWidget(m_right_view, 1);
    auto* sides = new QHBoxLayout;
    sides->addLayout(left);
    sides->addLayout(right);
    auto* verdicts = new QHBoxLayout;
    verdicts->addWidget(m_left_better);
    verdicts->addWidget(m_right_better);
    verdicts->addWidget(m_tie);
    verdicts->addWidget(m_both_bad);
    verdicts->addWidget(m_reason_label);
    verdicts->addWidget(m_reason, 1);
    auto* layout = new QVBoxLayout(m_ab_area);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(sides, 1);
    layout->addLayout(verdicts);
    layout->addWidget(m_reveal_label);
    const std::pair<QPushButton*, store::AbVerdict> buttons[] = {
        {m_left_better, store::AbVerdict::LeftBetter},
        {m_right_better, store::AbVerdict::RightBetter},
        {m_tie, store::AbVerdict::Tie},
        {m_both_bad, store::AbVerdict::BothBad}};
    for (const auto& [button, verdict] : buttons) {
        const store::AbVerdict chosen = verdict;
        connect(button, &QPushButton::clicked, this, [this, chosen] { submitVerdict(chosen); });
    }
    return m_ab_area;
}

QPushButton* ChatPanel::verdictButton(store::AbVerdict verdict) const {
    switch (verdict) {
        case store::AbVerdict::LeftBetter:
            return m_left_better;
        case store::AbVerdict::RightBetter:
            return m_right_better;
        case store::AbVerdict::Tie:
            return m_tie;
        case store::AbVerdict::BothBad:
            return m_both_bad;
        default:
            return nullptr;
    }
}

void ChatPanel::fillPresetBoxes() {
    for (QComboBox* box : {m_preset_box, m_preset_b_box}) {
        const int current = box->currentIndex();
        box->clear();
        for (const chat::SamplingPreset& preset : chat::builtInSamplingPresets()) {
            box->addItem(presetTitle(preset.key), QString::fromStdString(preset.key));
        }
        box->setCurrentIndex(current >= 0 ? current : box->findData(QStringLiteral("balanced")));
    }
    const int creative = m_preset_b_box->findData(QStringLiteral("creative"));
    if (m_preset_b_box->currentIndex() == m_preset_box->currentIndex() && creative >= 0) {
        m_preset_b_box->setCurrentIndex(creative);
    }
    const QString template_choice = m_template_box->currentData().toString();
    m_template_box->clear();
    m_template_box->addItem(tr("Automatic"), QString());
    for (const std::string& name : chat::templateNames()) {
        m_template_box->addItem(QString::fromStdString(name), QString::fromStdString(name));
    }
    m_template_box->setCurrentIndex(std::max(0, m_template_box->findData(template_choice)));
    fillSystemPresets();
}

void ChatPanel::fillSystemPresets() {
    const int current = m_system_box->currentIndex();
    m_system_box->clear();
    m_system_box->addItem(tr("No system prompt"), QString());
    for (const chat::SystemPreset& preset : chat::builtInSystemPresets()) {
        m_system_box->addItem(presetTitle(preset.key), QString::fromStdString(preset.text));
    }
    if (m_chats) {
        for (const store::SavedSystemPrompt& saved : m_chats->savedSystemPrompts()) {
            m_system_box->addItem(tr("Saved: %1").arg(QString::fromStdString(saved.name)),
                                  QString::fromStdString(saved.text));
        }
    }
    m_system_box->setCurrentIndex(current >= 0 && current < m_system_box->count() ? current : 0);
}

void ChatPanel::applySamplingPreset(const QComboBox* box) {
    const std::string key = toStd(box->currentData().toString());
    for (const chat::SamplingPreset& preset : chat::builtInSamplingPresets()) {
        if (preset.key == key) {
            m_temperature->setValue(preset.temperature);
            m_top_p->setValue(preset.top_p);
            m_top_k->setValue(static_cast<int>(preset.top_k));
            m_min_p->setValue(preset.min_p);
            m_repetition->setValue(preset.repetition_penalty);
        }
    }
}

void ChatPanel::setProject(store::ProjectStore* project) {
    stop();
    m_project = project;
    m_chats = project != nullptr ? std::make_unique<store::Chats>(*project) : nullptr;
    m_registry = project != nullptr ? std::make_unique<store::ModelRegistry>(*project) : nullptr;
    m_chat_id = 0;
    m_editing_message_id = 0;
    m_pending = {};
    m_ab_left = {};
    m_ab_right = {};
    m_ab_waiting_verdict = false;
    m_message_model->setMessages({});
    m_model_list->reload(m_registry.get());
    fillSystemPresets();
    reloadChats();
    if (m_chat_model->rowCount() > 0) {
        openChat(m_chat_model->chatIdAt(0));
    }
    showMessage(project == nullptr ? tr("Open a project to keep chats and register models.") : QString());
    renderTranscript();
    updateModelInfo();
    updateButtons();
}

void ChatPanel::reloadChats() {
    m_chat_model->setChats(m_chats ? m_chats->chats() : std::vector<store::ChatSummary>());
    const int row = m_chat_model->rowOf(m_chat_id);
    const QSignalBlocker blocker(m_chat_view->selectionModel());
    m_chat_view->setCurrentIndex(row >= 0 ? m_chat_model->index(row) : QModelIndex());
}

void ChatPanel::openChat(qint64 chat_id) {
    m_chat_id = chat_id;
    m_editing_message_id = 0;
    try {
        applyChatSettings(m_chats->chat(chat_id).settings);
    } catch (const std::exception& error) {
        showMessage(QString::fromStdString(error.what()));
    }
    showStoredPath();
    updateButtons();
}

void ChatPanel::showStoredPath() {
    m_message_model->setMessages(m_chats && m_chat_id != 0 ? m_chats->activePath(m_chat_id)
                                                           : std::vector<store::ChatMessage>());
    renderTranscript();
}

bool ChatPanel::addModelFolder(const QString& path) {
    if (!m_registry) {
        showMessage(tr("Open a project first: models are registered in the project."));
        return false;
    }
    try {
        m_registry->addModelFolder(QFile::encodeName(path).toStdString());
    } catch (const std::exception& error) {
        showMessage(tr("The folder was not added: %1").arg(QString::fromStdString(error.what())));
        return false;
    }
    m_model_list->reload(m_registry.get());
    const QString absolute = QDir::cleanPath(QDir(path).absolutePath());
    const int row = m_model_list->rowOfPath(absolute);
    m_model_box->setCurrentIndex(std::max(row, 0));
    if (m_model_b_box->currentIndex() < 0) {
        m_model_b_box->setCurrentIndex(std::max(row, 0));
    }
    showMessage(QString());
    updateModelInfo();
    return true;
}

EngineLoadSettings ChatPanel::loadSettings(const QComboBox* model_box) const {
    EngineLoadSettings settings;
    settings.model_dir = model_box->currentData(ChatModelListModel::kPathRole).toString();
    settings.dtype = static_cast<sample::ComputeDType>(m_dtype_box->currentData().toInt());
    settings.num_threads = m_threads->value();
    settings.device = m_device_box->currentData().toString();
    return settings;
}

void ChatPanel::updateModelInfo() {
    const QString path = m_model_box->currentData(ChatModelListModel::kPathRole).toString();
    if (path.isEmpty()) {
        m_memory_label->setText(tr("Add a model folder (Hugging Face format) to start chatting."));
        m_detected_label->clear();
        return;
    }
    try {
        const std::string folder = QFile::encodeName(path).toStdString();
        const weights::ModelConfig config = weights::loadModelConfig(folder);
        const int bytes = static_cast<sample::ComputeDType>(m_dtype_box->currentData().toInt()) ==
                                  sample::ComputeDType::Float32
                              ? 4
                              : 2;
        const store::MemoryEstimate estimate = store::estimateMemory(config, bytes, config.max_positions);
        const QLocale locale;
        m_memory_label->setText(tr("Needs about %1: %2 parameters (%3) + KV cache %4 at %5 tokens")
                                    .arg(locale.formattedDataSize(estimate.total_bytes()))
                                    .arg(locale.toString(static_cast<qlonglong>(estimate.parameters)))
                                    .arg(locale.formattedDataSize(estimate.weight_bytes))
                                    .arg(locale.formattedDataSize(estimate.kv_cache_bytes))
                                    .arg(config.max_positions));
        const chat::TemplateKind detected = chat::detectTemplateInFolder(folder);
        m_detected_label->setText(
            detected == chat::TemplateKind::Invalid
                ? tr("Detected template: unknown (plain text is used)")
                : tr("Detected template: %1").arg(QString::fromLatin1(chat::templateName(detected))));
    } catch (const std::exception& error) {
        m_memory_label->setText(QString::fromStdString(error.what()));
        m_detected_label->clear();
    }
}

sample::GenerationOptions ChatPanel::generationOptions() const {
    sample::GenerationOptions options;
    options.max_new_tokens = m_max_tokens->value();
    options.sampling.temperature = m_temperature->value();
    options.sampling.top_p = m_top_p->value();
    options.sampling.top_k = m_top_k->value();
    options.sampling.min_p = m_min_p->value();
    options.sampling.repetition_penalty = m_repetition->value();
    options.sampling.seed = static_cast<std::uint64_t>(m_seed->value());
    return options;
}

sample::GenerationOptions ChatPanel::generationOptionsB() const {
    sample::GenerationOptions options = generationOptions();
    const std::string key = toStd(m_preset_b_box->currentData().toString());
    for (const chat::SamplingPreset& preset : chat::builtInSamplingPresets()) {
        if (preset.key == key) {
            options.sampling.temperature = preset.temperature;
            options.sampling.top_p = preset.top_p;
            options.sampling.top_k = preset.top_k;
            options.sampling.min_p = preset.min_p;
            options.sampling.repetition_penalty = preset.repetition_penalty;
        }
    }
    return options;
}

chat::TemplateKind ChatPanel::chosenTemplate() const {
    return chat::parseTemplateName(toStd(m_template_box->currentData().toString()));
}

nlohmann::json ChatPanel::chatSettings() const {
    return {{"model_path", toStd(m_model_box->currentData(ChatModelListModel::kPathRole).toString())},
            {"model_id", m_model_box->currentData(ChatModelListModel::kModelIdRole).toLongLong()},
            {"dtype", toStd(m_dtype_box->currentText())},
            {"template", toStd(m_template_box->currentData().toString())},
            {"system_prompt", toStd(m_system_edit->toPlainText())},
            {"sampling_preset", toStd(m_preset_box->currentData().toString())},
            {"sampling", samplingJson(generationOptions())}};
}

void ChatPanel::applyChatSettings(const nlohmann::json& settings) {
    const auto text = [&settings](const char* key) {
        const auto found = settings.find(key);
        return found != settings.end() && found->is_string()
                   ? QString::fromStdString(found->get<std::string>())
                   : QString();
    };
    if (settings.empty()) {
        return;
    }
    const int model_row = m_model_list->rowOfPath(text("model_path"));
    if (model_row >= 0) {
        m_model_box->setCurrentIndex(model_row);
    }
    m_dtype_box->setCurrentIndex(std::max(0, m_dtype_box->findText(text("dtype"))));
    m_template_box->setCurrentIndex(std::max(0, m_template_box->findData(text("template"))));
    m_system_edit->setPlainText(text("system_prompt"));
    const int preset = m_preset_box->findData(text("sampling_preset"));
    if (preset >= 0) {
        m_preset_box->setCurrentIndex(preset);
    }
    const nlohmann::json sampling = settings.value("sampling", nlohmann::json::object());
    if (sampling.is_object()) {
        m_temperature->setValue(sampling.value("temperature", m_temperature->value()));
        m_top_p->setValue(sampling.value("top_p", m_top_p->value()));
        m_top_k->setValue(sampling.value("top_k", m_top_k->value()));
        m_min_p->setValue(sampling.value("min_p", m_min_p->value()));
        m_repetition->setValue(sampling.value("repetition_penalty", m_repetition->value()));
        m_seed->setValue(sampling.value("seed", m_seed->value()));
        m_max_tokens->setValue(sampling.value("max_tokens", m_max_tokens->value()));
    }
}

nlohmann::json ChatPanel::sideDetails(const QComboBox* model_box,
                                      const sample::GenerationOptions& options) const {
    return {{"model", toStd(model_box->currentText())},
            {"model_path", toStd(model_box->currentData(ChatModelListModel::kPathRole).toString())},
            {"model_id", model_box->currentData(ChatModelListModel::kModelIdRole).toLongLong()},
            {"dtype", toStd(m_dtype_box->currentText())},
            {"template", toStd(m_template_box->currentData().toString())},
            {"system_prompt", toStd(m_system_edit->toPlainText())},
            {"sampling", samplingJson(options)}};
}

std::vector<data::Message> ChatPanel::promptMessages(const std::vector<store::ChatMessage>& path) const {
    std::vector<data::Message> messages;
    const QString system = m_system_edit->toPlainText().trimmed();
    if (!system.isEmpty()) {
        messages.push_back({data::Role::System, toStd(system)});
    }
    for (const store::ChatMessage& message : path) {
        messages.push_back({message.role, message.content});
    }
    return messages;
}

bool ChatPanel::isGenerating() const {
    return m_pending.request_id != 0 || (m_ab_left.request_id != 0 && !m_ab_left.done) ||
           (m_ab_right.request_id != 0 && !m_ab_right.done);
}

void ChatPanel::send() {
    const QString text = m_composer->toPlainText().trimmed();
    if (!m_chats || text.isEmpty() || isGenerating()) {
        return;
    }
    if (m_model_box->currentIndex() < 0) {
        showMessage(tr("Choose a model first (Add model folder…)."));
        return;
    }
    showMessage(QString());
    if (m_ab_mode->isChecked()) {
        sendAb(text);
        return;
    }
    try {
        if (m_chat_id == 0) {
            m_chat_id = m_chats->createChat(toStd(text.left(60)), chatSettings());
        } else {
            m_chats->setSettings(m_chat_id, chatSettings());
            if (m_chats->chat(m_chat_id).title.empty()) {
                m_chats->renameChat(m_chat_id, toStd(text.left(60)));
            }
        }
        qint64 parent_id = 0;
        if (m_editing_message_id != 0) {
            m_chats->setMessageContent(m_editing_message_id, toStd(text));
            m_chats->deleteReplies(m_editing_message_id);
            parent_id = m_editing_message_id;
            m_editing_message_id = 0;
        } else {
            const std::vector<store::ChatMessage> path = m_chats->activePath(m_chat_id);
            const std::optional<std::int64_t> last =
                path.empty() ? std::nullopt : std::optional<std::int64_t>(path.back().id);
            parent_id = m_chats->addMessage(m_chat_id, last, data::Role::User, toStd(text), std::nullopt,
                                            nlohmann::json::object());
        }
        m_composer->clear();
        reloadChats();
        startReply(parent_id);
    } catch (const std::exception& error) {
        showMessage(QString::fromStdString(error.what()));
    }
}

void ChatPanel::startReply(qint64 parent_id) {
    std::vector<store::ChatMessage> path = m_chats->activePath(m_chat_id);
    const auto parent =
        std::find_if(path.begin(), path.end(),
                     [parent_id](const store::ChatMessage& message) { return message.id == parent_id; });
    if (parent == path.end()) {
        showMessage(tr("The message to answer is no longer in this chat."));
        return;
    }
    path.erase(parent + 1, path.end());
    ChatRequest request;
    request.messages = promptMessages(path);
    request.template_kind = chosenTemplate();
    request.generation = generationOptions();
    m_message_model->setMessages(std::move(path));
    m_message_model->beginStreaming();
    m_pending.request_id = ++m_request_serial;
    m_pending.parent_id = parent_id;
    m_pending.details = sideDetails(m_model_box, request.generation);
    m_stats_label->clear();
    renderTranscript();
    m_worker->generate(m_pending.request_id, loadSettings(m_model_box), request);
    updateButtons();
}

void ChatPanel::stop() {
    m_worker->stop();
    if (m_worker_b != nullptr) {
        m_worker_b->stop();
    }
}

void ChatPanel::regenerate() {
    if (!m_chats || m_chat_id == 0 || isGenerating()) {
        return;
    }
    const std::vector<store::ChatMessage> path = m_chats->activePath(m_chat_id);
    if (path.empty()) {
        return;
    }
    const store::ChatMessage& last = path.back();
    if (last.role == data::Role::User) {
        startReply(last.id);
    } else if (last.parent_id) {
        startReply(*last.parent_id);
    }
}

void ChatPanel::editMessage(qint64 message_id) {
    if (!m_chats || isGenerating()) {
        return;
    }
    try {
        const store::ChatMessage message = m_chats->message(message_id);
        if (message.role != data::Role::User || message.chat_id != m_chat_id) {
            return;
        }
        m_editing_message_id = message_id;
        m_composer->setPlainText(QString::fromStdString(message.content));
        m_composer->setFocus();
        updateButtons();
    } catch (const std::exception& error) {
        showMessage(QString::fromStdString(error.what()));
    }
}

void ChatPanel::onChunk(quint64 request_id, const QString& text) {
    if (request_id == m_pending.request_id) {
        m_message_model->appendStreamed(text);
    } else if (AbSide* side = abSide(request_id)) {
        side->text += text;
    } else {
        return;
    }
    scheduleRender();
}

void ChatPanel::scheduleRender() {
    if (!m_render_timer.isActive()) {
        m_render_timer.start();
    }
}

ChatPanel::AbSide* ChatPanel::abSide(quint64 request_id) {
    if (request_id != 0 && request_id == m_ab_left.request_id) {
        return &m_ab_left;
    }
    if (request_id != 0 && request_id == m_ab_right.request_id) {
        return &m_ab_right;
    }
    return nullptr;
}

void ChatPanel::onFinished(quint64 request_id, const GenerationStats& stats) {
    if (request_id == m_pending.request_id) {
        storeReply(stats);
        return;
    }
    AbSide* side = abSide(request_id);
    if (side == nullptr) {
        return;
    }
    side->text = stats.text;
    side->done = true;
    side->details["stats"] = statsJson(stats);
    if (m_ab_left.done && m_ab_right.done) {
        m_ab_waiting_verdict = !m_ab_left.text.isEmpty() && !m_ab_right.text.isEmpty();
        if (!m_ab_waiting_verdict) {
            showMessage(tr("A reply is empty, so there is nothing to compare; send the prompt again."));
        }
        renderAbViews();
        updateButtons();
        emit abRepliesReady();
    }
}

void ChatPanel::storeReply(const GenerationStats& stats) {
    const PendingReply pending = m_pending;
    m_pending = {};
    m_message_model->endStreaming();
    try {
        // An empty reply is kept too (the model ended at once): the chat shows what happened.
        if (stats.tokens > 0 || !stats.text.isEmpty()) {
            nlohmann::json metadata = statsJson(stats);
            metadata["generation"] = pending.details;
            const qint64 model_id = pending.details.value("model_id", qint64{0});
            m_chats->addMessage(m_chat_id, pending.parent_id, data::Role::Assistant, toStd(stats.text),
                                model_id > 0 ? std::optional<std::int64_t>(model_id) : std::nullopt,
                                metadata);
        }
        m_last_stats = statsText(stats);
        m_stats_label->setText(m_last_stats);
        reloadChats();
    } catch (const std::exception& error) {
        showMessage(QString::fromStdString(error.what()));
    }
    showStoredPath();
    updateButtons();
    emit replyFinished();
}

void ChatPanel::onFailed(quint64 request_id, const QString& message) {
    if (request_id == m_pending.request_id) {
        m_pending = {};
        m_message_model->endStreaming();
        showMessage(tr("No reply: %1").arg(message));
        showStoredPath();
        updateButtons();
        emit replyFinished();
        return;
    }
    if (AbSide* side = abSide(request_id)) {
        side->done = true;
        side->text.clear();
        showMessage(tr("No reply: %1").arg(message));
        if (m_ab_left.done && m_ab_right.done) {
            m_ab_waiting_verdict = false;
            updateButtons();
            emit abRepliesReady();
        }
    }
}

EngineWorker* ChatPanel::workerB() {
    if (m_worker_b == nullptr) {
        m_worker_b = new EngineWorker(this);
        connect(m_worker_b, &EngineWorker::chunkReady, this, &ChatPanel::onChunk);
        connect(m_worker_b, &EngineWorker::generationFinished, this, &ChatPanel::onFinished);
        connect(m_worker_b, &EngineWorker::generationFailed, this, &ChatPanel::onFailed);
        connect(m_worker_b, &EngineWorker::busyChanged, this, &ChatPanel::updateButtons);
    }
    return m_worker_b;
}

void ChatPanel::sendAb(const QString& text) {
    if (m_model_b_box->currentIndex() < 0) {
        m_model_b_box->setCurrentIndex(m_model_box->currentIndex());
    }
    ChatRequest request_a;
    request_a.messages = promptMessages({});
    request_a.messages.push_back({data::Role::User, toStd(text)});
    request_a.template_kind = chosenTemplate();
    request_a.generation = generationOptions();
    ChatRequest request_b = request_a;
    request_b.generation = generationOptionsB();
    m_ab_prompt = request_a.messages;
    // Blind comparison: which configuration goes left is drawn at random and stored.
    m_ab_left_is_a = QRandomGenerator::global()->bounded(2) == 0;
    AbSide a;
    a.config_a = true;
    a.details = sideDetails(m_model_box, request_a.generation);
    a.details["config"] = "A";
    AbSide b;
    b.config_a = false;
    b.details = sideDetails(m_model_b_box, request_b.generation);
    b.details["config"] = "B";
    a.request_id = ++m_request_serial;
    b.request_id = ++m_request_serial;
    m_ab_left = m_ab_left_is_a ? a : b;
    m_ab_right = m_ab_left_is_a ? b : a;
    m_ab_waiting_verdict = false;
    m_reveal_label->clear();
    m_reason->clear();
    m_composer->clear();
    renderAbViews();
    m_worker->generate(a.request_id, loadSettings(m_model_box), request_a);
    workerB()->generate(b.request_id, loadSettings(m_model_b_box), request_b);
    updateButtons();
}

void ChatPanel::submitVerdict(store::AbVerdict verdict) {
    if (!m_chats || !m_ab_waiting_verdict) {
        return;
    }
    store::AbComparison comparison;
    comparison.prompt = m_ab_prompt;
    comparison.left = {toStd(m_ab_left.text), m_ab_left.details};
    comparison.right = {toStd(m_ab_right.text), m_ab_right.details};
    comparison.left_is_a = m_ab_left_is_a;
    comparison.verdict = verdict;
    comparison.reason = toStd(m_reason->text().trimmed());
    comparison.annotator = toStd(m_annotator);
    try {
        const store::AbStored stored = m_chats->recordAbVerdict(comparison);
        m_ab_waiting_verdict = false;
        // The models are revealed only now, after the blind verdict.
        m_reveal_label->setText(
            tr("Saved to \"%1\". Left: %2 (%3) · Right: %4 (%5)")
                .arg(QString::fromLatin1(store::kAbDatasetName),
                     QString::fromStdString(m_ab_left.details.value("model", std::string())),
                     m_ab_left.config_a ? QStringLiteral("A") : QStringLiteral("B"),
                     QString::fromStdString(m_ab_right.details.value("model", std::string())),
                     m_ab_right.config_a ? QStringLiteral("A") : QStringLiteral("B")));
        updateButtons();
        emit verdictStored(stored.task_id);
    } catch (const std::exception& error) {
        showMessage(QString::fromStdString(error.what()));
    }
}

void ChatPanel::saveSystemPromptAs(const QString& name) {
    if (!m_chats) {
        return;
    }
    try {
        m_chats->saveSystemPrompt(toStd(name.trimmed()), toStd(m_system_edit->toPlainText()));
        fillSystemPresets();
        m_system_box->setCurrentIndex(m_system_box->findText(tr("Saved: %1").arg(name.trimmed())));
    } catch (const std::exception& error) {
        showMessage(QString::fromStdString(error.what()));
    }
}

void ChatPanel::renameCurrentChat(const QString& title) {
    if (!m_chats || m_chat_id == 0) {
        return;
    }
    try {
        m_chats->renameChat(m_chat_id, toStd(title.trimmed()));
        reloadChats();
    } catch (const std::exception& error) {
        showMessage(QString::fromStdString(error.what()));
    }
}

void ChatPanel::deleteCurrentChat() {
    if (!m_chats || m_chat_id == 0 || isGenerating()) {
        return;
    }
    try {
        m_chats->deleteChat(m_chat_id);
    } catch (const std::exception& error) {
        showMessage(QString::fromStdString(error.what()));
    }
    m_chat_id = 0;
    reloadChats();
    showStoredPath();
    updateButtons();
}

void ChatPanel::newChat() {
    if (!m_chats || isGenerating()) {
        return;
    }
    try {
        m_chat_id = m_chats->createChat(std::string(), chatSettings());
    } catch (const std::exception& error) {
        showMessage(QString::fromStdString(error.what()));
        return;
    }
    m_editing_message_id = 0;
    m_stats_label->clear();
    reloadChats();
    showStoredPath();
    updateButtons();
    m_composer->setFocus();
}

void ChatPanel::onAnchorClicked(const QUrl& url) {
    bool ok = false;
    const int row = url.path().toInt(&ok);
    if (!ok || row < 0 || row >= m_message_model->rowCount()) {
        return;
    }
    const QModelIndex index = m_message_model->index(row);
    if (url.scheme() == QLatin1String(kCopyScheme)) {
        QApplication::clipboard()->setText(index.data().toString());
        m_stats_label->setText(tr("Copied to the clipboard."));
    } else if (url.scheme() == QLatin1String(kEditScheme)) {
        editMessage(index.data(ChatMessageModel::kMessageIdRole).toLongLong());
    }
}

void ChatPanel::renderTranscript() {
    QString markdown;
    const int rows = m_message_model->rowCount();
    for (int row = 0; row < rows; ++row) {
        const store::ChatMessage& message = m_message_model->messages()[static_cast<std::size_t>(row)];
        const bool streaming = m_message_model->isStreaming() && row == rows - 1;
        QString header = QStringLiteral("**%1**").arg(roleTitle(message.role));
        if (!streaming) {
            header += QStringLiteral(" · [%1](%2:%3)").arg(tr("Copy"), QLatin1String(kCopyScheme)).arg(row);
        }
        if (message.role == data::Role::User && !isGenerating()) {
            header += QStringLiteral(" · [%1](%2:%3)").arg(tr("Edit"), QLatin1String(kEditScheme)).arg(row);
        }
        if (message.metadata.value("stopped", false)) {
            header += QStringLiteral(" · *%1*").arg(tr("stopped"));
        }
        if (message.role == data::Role::Assistant && m_chats && message.id != 0) {
            const std::size_t drafts = m_chats->alternatives(message.id).size();
            if (drafts > 1) {
                header += QStringLiteral(" · *%1*").arg(tr("drafts kept: %1").arg(drafts));
            }
        }
        QString content = QString::fromStdString(message.content);
        if (streaming) {
            content += QStringLiteral(" ▌");
        }
        markdown += header + QStringLiteral("\n\n") + content + QStringLiteral("\n\n---\n\n");
    }
    if (rows == 0) {
        markdown = m_project != nullptr ? tr("*Type a message below and press Ctrl+Enter to send it.*")
                                        : tr("*Open a project to chat.*");
    }
    QScrollBar* scroll = m_transcript->verticalScrollBar();
    const bool at_end = scroll->value() >= scroll->maximum() - 4;
    m_transcript->setMarkdown(markdown);
    if (at_end) {
        scroll->setValue(scroll->maximum());
    }
}

void ChatPanel::renderAbViews() {
    const auto show = [](QTextBrowser* view, const AbSide& side) {
        view->setMarkdown(side.text +
                          (side.request_id != 0 && !side.done ? QStringLiteral(" ▌") : QString()));
    };
    show(m_left_view, m_ab_left);
    show(m_right_view, m_ab_right);
}

void ChatPanel::updateButtons() {
    const bool generating = isGenerating();
    const bool busy = m_worker->isBusy() || (m_worker_b != nullptr && m_worker_b->isBusy());
    const bool has_model = m_model_box->currentIndex() >= 0;
    m_send_button->setEnabled(m_chats != nullptr && has_model && !generating &&
                              !m_composer->toPlainText().trimmed().isEmpty());
    m_send_button->setText(m_editing_message_id != 0 ? tr("Resend (Ctrl+Enter)") : tr("Send (Ctrl+Enter)"));
    m_stop_button->setEnabled(generating);
    m_regenerate_button->setEnabled(!generating && m_chat_id != 0 && m_message_model->rowCount() > 0 &&
                                    !m_ab_mode->isChecked());
    m_load_button->setEnabled(has_model && !busy);
    m_cancel_button->setEnabled(busy);
    m_busy->setVisible(busy);
    if (generating && !m_worker->loadedModelDir().isEmpty()) {
        m_busy_label->setText(tr("Generating…"));
    } else if (!busy && m_busy_label->text() == tr("Generating…")) {
        m_busy_label->setText(tr("Loaded: %1").arg(QDir(m_worker->loadedModelDir()).dirName()));
    }
    for (QPushButton* button : {m_left_better, m_right_better, m_tie, m_both_bad}) {
        button->setEnabled(m_ab_waiting_verdict);
    }
    m_new_button->setEnabled(m_chats != nullptr && !generating);
    m_rename_button->setEnabled(m_chat_id != 0);
    m_delete_button->setEnabled(m_chat_id != 0 && !generating);
    m_chat_view->setEnabled(!generating);
    m_add_model_button->setEnabled(m_registry != nullptr);
    m_save_system_button->setEnabled(m_chats != nullptr);
}

void ChatPanel::showMessage(const QString& text) {
    m_message_label->setText(text);
    m_message_label->setVisible(!text.isEmpty());
}

bool ChatPanel::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_composer && event->type() == QEvent::KeyPress) {
        const auto* key = static_cast<QKeyEvent*>(event);
        if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) &&
            key->modifiers().testFlag(Qt::ControlModifier)) {
            send();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void ChatPanel::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
    }
    QWidget::changeEvent(event);
}

void ChatPanel::retranslateUi() {
    m_title_label->setText(tr("Chat playground"));
    m_chats_label->setText(tr("Conversations"));
    m_new_button->setText(tr("New"));
    m_rename_button->setText(tr("Rename…"));
    m_delete_button->setText(tr("Delete…"));
    m_model_label->setText(tr("&Model:"));
    m_add_model_button->setText(tr("Add model folder…"));
    m_dtype_label->setText(tr("Precision:"));
    m_device_label->setText(tr("Device:"));
    m_device_box->setToolTip(tr("This build runs models on the CPU; other devices are not offered."));
    m_threads_label->setText(tr("Threads:"));
    m_threads->setSpecialValueText(tr("auto"));
    m_load_button->setText(tr("Load"));
    m_cancel_button->setText(tr("Cancel"));
    if (m_busy_label->text().isEmpty() || m_worker->loadedModelDir().isEmpty()) {
        m_busy_label->setText(tr("No model loaded"));
    }
    m_composer->setPlaceholderText(tr("Message (Ctrl+Enter sends)"));
    m_stop_button->setText(tr("Stop"));
    m_regenerate_button->setText(tr("Regenerate"));
    m_parameters_group->setTitle(tr("Parameters"));
    m_preset_label->setText(tr("Preset:"));
    m_temperature_label->setText(tr("Temperature:"));
    m_top_p_label->setText(tr("Top-p:"));
    m_top_k_label->setText(tr("Top-k:"));
    m_top_k->setSpecialValueText(tr("off"));
    m_min_p_label->setText(tr("Min-p:"));
    m_repetition_label->setText(tr("Repetition penalty:"));
    m_max_tokens_label->setText(tr("Max tokens:"));
    m_seed_label->setText(tr("Seed:"));
    m_template_label->setText(tr("Template:"));
    m_system_group->setTitle(tr("System prompt"));
    m_save_system_button->setText(tr("Save as preset…"));
    m_ab_group->setTitle(tr("A/B comparison"));
    m_ab_mode->setText(tr("A/B mode (blind, side by side)"));
    m_model_b_label->setText(tr("Model B:"));
    m_preset_b_label->setText(tr("Preset B:"));
    m_left_label->setText(tr("Left"));
    m_right_label->setText(tr("Right"));
    m_left_better->setText(tr("Left better"));
    m_right_better->setText(tr("Right better"));
    m_tie->setText(tr("Tie"));
    m_both_bad->setText(tr("Both bad"));
    m_reason_label->setText(tr("Reason:"));
    m_reason->setPlaceholderText(tr("optional"));
    fillPresetBoxes();
    m_chat_model->retranslate();
    m_model_list->retranslate();
    if (!m_last_stats.isEmpty()) {
        m_stats_label->clear();
    }
    updateModelInfo();
    renderTranscript();
    updateButtons();
}

}  // namespace vietllm::widgets
