#include "widgets/training_panel.h"

#include "backend/common/atomic_file.h"
#include "backend/common/errors.h"
#include "backend/runs/run_history.h"
#include "backend/runs/training_presets.h"
#include "backend/sample/devices.h"
#include "backend/store/project_store.h"
#include "widgets/models/checkpoint_list_model.h"
#include "widgets/models/run_history_model.h"
#include "widgets/models/training_source_model.h"
#include "widgets/training_charts.h"
#include "widgets/training_job.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QDoubleSpinBox>
#include <QDoubleValidator>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace vietllm::widgets {

namespace {

// Live charts redraw at most this often, however fast the trainer reports.
constexpr int kChartRefreshMs = 250;

QSpinBox* spinBox(QWidget* parent, int minimum, int maximum, int value) {
    auto* box = new QSpinBox(parent);
    box->setRange(minimum, maximum);
    box->setValue(value);
    return box;
}

QDoubleSpinBox* fractionBox(QWidget* parent, double value) {
    auto* box = new QDoubleSpinBox(parent);
    box->setRange(0.0, 0.5);
    box->setSingleStep(0.01);
    box->setDecimals(3);
    box->setValue(value);
    return box;
}

QString safeFileName(const QString& name) {
    QString safe;
    for (const QChar c : name) {
        safe += c.isLetterOrNumber() || c == QLatin1Char('-') || c == QLatin1Char('_') ? c : QLatin1Char('_');
    }
    return safe.isEmpty() ? QStringLiteral("data") : safe;
}

}  // namespace

TrainingPanel::TrainingPanel(QWidget* parent) : QWidget(parent) {
    m_trainer_program = QCoreApplication::applicationDirPath() + QStringLiteral("/vietllm-cli");
    m_sources = new TrainingSourceModel(this);
    m_history = new RunHistoryModel(this);
    m_checkpoints = new CheckpointListModel(this);
    m_job = new TrainingJob(this);
    m_export_job = new TrainingJob(this);
    m_chart_timer.setSingleShot(true);
    m_chart_timer.setInterval(kChartRefreshMs);
    connect(&m_chart_timer, &QTimer::timeout, this, &TrainingPanel::updateCharts);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(createFormPanel());
    splitter->addWidget(createResultsPanel());
    splitter->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    connect(m_job, &TrainingJob::stageChanged, this,
            [this](const QString& stage) { setStatus(stage, false); });
    connect(m_job, &TrainingJob::metricsChanged, this, [this] {
        if (!m_chart_timer.isActive()) {
            m_chart_timer.start();
        }
    });
    connect(m_job, &TrainingJob::finished, this, &TrainingPanel::onJobFinished);
    connect(m_export_job, &TrainingJob::stageChanged, this,
            [this](const QString& stage) { setStatus(stage, false); });
    connect(m_export_job, &TrainingJob::finished, this, [this](bool ok, const QString& message) {
        setStatus(ok ? tr("Export finished.") : message, !ok);
        updateButtons();
    });
    connect(m_history, &RunHistoryModel::overlayChanged, this, &TrainingPanel::updateCharts);
    connect(m_history_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &TrainingPanel::showSelectedRun);
    connect(m_checkpoint_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &TrainingPanel::updateButtons);
    retranslateUi();
    updateMethodFields();
    updateButtons();
}

TrainingPanel::~TrainingPanel() = default;

QWidget* TrainingPanel::createFormPanel() {
    auto* form_widget = new QWidget(this);
    auto* form_layout = new QVBoxLayout(form_widget);

    auto* model_group = new QGroupBox(form_widget);
    model_group->setObjectName(QStringLiteral("modelGroup"));
    auto* model_form = new QFormLayout(model_group);
    m_model_dir = new QLineEdit(model_group);
    m_model_button = new QPushButton(model_group);
    connect(m_model_button, &QPushButton::clicked, this, &TrainingPanel::chooseModelDirectory);
    connect(m_model_dir, &QLineEdit::editingFinished, this,
            [this] { setModelDirectory(m_model_dir->text()); });
    auto* model_row = new QHBoxLayout;
    model_row->addWidget(m_model_dir, 1);
    model_row->addWidget(m_model_button);
    m_model_caption = new QLabel(model_group);
    model_form->addRow(m_model_caption, model_row);
    m_model_summary = new QLabel(model_group);
    m_model_summary->setWordWrap(true);
    model_form->addRow(m_model_summary);
    m_preset = new QComboBox(model_group);
    for (const runs::TrainingPreset& preset : runs::trainingPresets()) {
        m_preset->addItem(QString::fromStdString(preset.display_name), QString::fromStdString(preset.id));
    }
    connect(m_preset, &QComboBox::activated, this, &TrainingPanel::applyPreset);
    m_preset_caption = new QLabel(model_group);
    model_form->addRow(m_preset_caption, m_preset);
    form_layout->addWidget(model_group);

    auto* data_group = new QGroupBox(form_widget);
    data_group->setObjectName(QStringLiteral("dataGroup"));
    auto* data_layout = new QVBoxLayout(data_group);
    m_data_caption = new QLabel(data_group);
    m_data_caption->setWordWrap(true);
    m_source_view = new QListView(data_group);
    m_source_view->setModel(m_sources);
    m_source_view->setMaximumHeight(120);
    m_add_file_button = new QPushButton(data_group);
    connect(m_add_file_button, &QPushButton::clicked, this, &TrainingPanel::addDataFile);
    m_eval_fraction = fractionBox(data_group, 0.05);
    auto* eval_row = new QFormLayout;
    auto* eval_caption = new QLabel(data_group);
    m_form_captions.emplace_back(eval_caption, QT_TR_NOOP("Held out for eval loss:"));
    eval_row->addRow(eval_caption, m_eval_fraction);
    data_layout->addWidget(m_data_caption);
    data_layout->addWidget(m_source_view);
    data_layout->addWidget(m_add_file_button);
    data_layout->addLayout(eval_row);
    form_layout->addWidget(data_group);

    auto* method_group = new QGroupBox(form_widget);
    method_group->setObjectName(QStringLiteral("methodGroup"));
    auto* method_form = new QFormLayout(method_group);
    m_method = new QComboBox(method_group);
    m_method->addItem(QString(), static_cast<int>(runs::TrainingMethod::Sft));
    m_method->addItem(QString(), static_cast<int>(runs::TrainingMethod::RewardModel));
    m_method->addItem(QString(), static_cast<int>(runs::TrainingMethod::Dpo));
    m_method->addItem(QString(), static_cast<int>(runs::TrainingMethod::Rl));
    m_method_caption = new QLabel(method_group);
    method_form->addRow(m_method_caption, m_method);
    m_lora = new QCheckBox(method_group);
    m_lora->setChecked(true);
    method_form->addRow(m_lora);
    m_lora_rank = spinBox(method_group, 1, 512, 16);
    m_lora_alpha = spinBox(method_group, 1, 1024, 32);
    m_lora_dropout = fractionBox(method_group, 0.05);
    m_dpo_beta = new QDoubleSpinBox(method_group);
    m_dpo_beta->setRange(0.001, 10.0);
    m_dpo_beta->setDecimals(3);
    m_dpo_beta->setSingleStep(0.01);
    m_dpo_beta->setValue(0.1);
    m_reward_model_dir = new QLineEdit(method_group);
    m_reward_model_button = new QPushButton(method_group);
    connect(m_reward_model_button, &QPushButton::clicked, this, &TrainingPanel::chooseRewardModelDirectory);
    auto* reward_model_row = new QWidget(method_group);
    auto* reward_model_layout = new QHBoxLayout(reward_model_row);
    reward_model_layout->setContentsMargins(0, 0, 0, 0);
    reward_model_layout->addWidget(m_reward_model_dir, 1);
    reward_model_layout->addWidget(m_reward_model_button);
    m_samples_per_prompt = spinBox(method_group, 2, 64, 4);
    m_kl_coef = new QDoubleSpinBox(method_group);
    m_kl_coef->setRange(0.0, 10.0);
    m_kl_coef->setDecimals(3);
    m_kl_coef->setSingleStep(0.01);
    m_kl_coef->setValue(0.05);
    const std::pair<QWidget*, const char*> method_rows[] = {
        {m_lora_rank, QT_TR_NOOP("LoRA rank:")},
        {m_lora_alpha, QT_TR_NOOP("LoRA alpha:")},
        {m_lora_dropout, QT_TR_NOOP("LoRA dropout:")},
        {m_dpo_beta, QT_TR_NOOP("DPO beta:")},
        {reward_model_row, QT_TR_NOOP("Reward model:")},
        {m_samples_per_prompt, QT_TR_NOOP("Samples per prompt:")},
        {m_kl_coef, QT_TR_NOOP("KL coefficient:")},
    };
    for (const auto& [field, caption] : method_rows) {
        auto* label = new QLabel(method_group);
        m_form_captions.emplace_back(label, caption);
        method_form->addRow(label, field);
    }
    m_method_form = method_form;
    m_dpo_fields = {m_dpo_beta};
    m_rl_fields = {reward_model_row, m_samples_per_prompt, m_kl_coef};
    connect(m_method, &QComboBox::currentIndexChanged, this, &TrainingPanel::updateMethodFields);
    form_layout->addWidget(method_group);

    auto* hyper_group = new QGroupBox(form_widget);
    hyper_group->setObjectName(QStringLiteral("hyperGroup"));
    auto* hyper_form = new QFormLayout(hyper_group);
    m_learning_rate = new QLineEdit(QStringLiteral("2e-4"), hyper_group);
    auto* rate_validator = new QDoubleValidator(1e-9, 1.0, 10, m_learning_rate);
    rate_validator->setNotation(QDoubleValidator::ScientificNotation);
    rate_validator->setLocale(QLocale::c());
    m_learning_rate->setValidator(rate_validator);
    m_epochs = spinBox(hyper_group, 1, 100, 1);
    m_max_steps = spinBox(hyper_group, 0, 10000000, 0);
    m_micro_batch = spinBox(hyper_group, 1, 1024, 4);
    m_accumulation = spinBox(hyper_group, 1, 1024, 4);
    m_max_seq_len = spinBox(hyper_group, 16, 131072, 1024);
    m_max_seq_len->setSingleStep(256);
    m_packing = new QCheckBox(hyper_group);
    m_packing->setChecked(true);
    m_checkpointing = new QCheckBox(hyper_group);
    m_schedule = new QComboBox(hyper_group);
    for (const char* kind : {"cosine", "linear", "constant"}) {
        m_schedule->addItem(QString(), QString::fromLatin1(kind));
    }
    m_warmup = fractionBox(hyper_group, 0.03);
    m_eval_every = spinBox(hyper_group, 1, 1000000, 50);
    m_save_every = spinBox(hyper_group, 1, 1000000, 100);
    m_seed = spinBox(hyper_group, 0, 1 << 30, 42);
    const std::pair<QWidget*, const char*> hyper_rows[] = {
        {m_learning_rate, QT_TR_NOOP("Learning rate:")},
        {m_epochs, QT_TR_NOOP("Epochs:")},
        {m_max_steps, QT_TR_NOOP("Max steps (0 = epochs):")},
        {m_micro_batch, QT_TR_NOOP("Micro-batch size:")},
        {m_accumulation, QT_TR_NOOP("Gradient accumulation:")},
        {m_max_seq_len, QT_TR_NOOP("Max sequence length:")},
        {m_packing, QT_TR_NOOP("Pack sequences:")},
        {m_checkpointing, QT_TR_NOOP("Gradient checkpointing:")},
        {m_schedule, QT_TR_NOOP("Schedule:")},
        {m_warmup, QT_TR_NOOP("Warm-up fraction:")},
        {m_eval_every, QT_TR_NOOP("Eval every (steps):")},
        {m_save_every, QT_TR_NOOP("Checkpoint every (steps):")},
        {m_seed, QT_TR_NOOP("Seed:")},
    };
    for (const auto& [field, caption] : hyper_rows) {
        auto* label = new QLabel(hyper_group);
        m_form_captions.emplace_back(label, caption);
        hyper_form->addRow(label, field);
    }
    form_layout->addWidget(hyper_group);

    auto* device_group = new QGroupBox(form_widget);
    device_group->setObjectName(QStringLiteral("deviceGroup"));
    auto* device_form = new QFormLayout(device_group);
    m_device = new QComboBox(device_group);
    for (const sample::ComputeDevice& device : sample::computeDevices()) {
        m_device->addItem(QString::fromStdString(device.name), QString::fromStdString(device.id));
    }
    m_dtype = new QComboBox(device_group);
    m_dtype->addItem(QStringLiteral("bf16"), QStringLiteral("bf16"));
    m_dtype->addItem(QStringLiteral("fp32"), QStringLiteral("fp32"));
    m_processes = spinBox(device_group, 1, 64, 1);
    const std::pair<QWidget*, const char*> device_rows[] = {
        {m_device, QT_TR_NOOP("Device:")},
        {m_dtype, QT_TR_NOOP("Precision:")},
        {m_processes, QT_TR_NOOP("Processes:")},
    };
    for (const auto& [field, caption] : device_rows) {
        auto* label = new QLabel(device_group);
        m_form_captions.emplace_back(label, caption);
        device_form->addRow(label, field);
    }
    m_memory_label = new QLabel(device_group);
    m_memory_label->setWordWrap(true);
    device_form->addRow(m_memory_label);
    form_layout->addWidget(device_group);

    m_start_button = new QPushButton(form_widget);
    m_stop_button = new QPushButton(form_widget);
    m_resume_button = new QPushButton(form_widget);
    connect(m_start_button, &QPushButton::clicked, this, &TrainingPanel::startRun);
    connect(m_stop_button, &QPushButton::clicked, this, &TrainingPanel::stopRun);
    connect(m_resume_button, &QPushButton::clicked, this, &TrainingPanel::resumeSelectedRun);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_start_button);
    buttons->addWidget(m_stop_button);
    buttons->addWidget(m_resume_button);
    form_layout->addLayout(buttons);
    m_status_label = new QLabel(form_widget);
    m_status_label->setWordWrap(true);
    m_status_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form_layout->addWidget(m_status_label);
    form_layout->addStretch(1);

    for (QSpinBox* box : {m_lora_rank, m_micro_batch, m_max_seq_len}) {
        connect(box, &QSpinBox::valueChanged, this, &TrainingPanel::updateMemoryEstimate);
    }
    connect(m_lora, &QCheckBox::toggled, this, [this](bool on) {
        for (QWidget* field : std::initializer_list<QWidget*>{m_lora_rank, m_lora_alpha, m_lora_dropout}) {
            field->setEnabled(on);
        }
        updateMemoryEstimate();
    });
    connect(m_dtype, &QComboBox::currentIndexChanged, this, &TrainingPanel::updateMemoryEstimate);
    connect(m_checkpointing, &QCheckBox::toggled, this, &TrainingPanel::updateMemoryEstimate);
    connect(m_device, &QComboBox::currentIndexChanged, this, &TrainingPanel::updateMemoryEstimate);
    connect(m_processes, &QSpinBox::valueChanged, this, &TrainingPanel::updateMemoryEstimate);

    auto* scroll = new QScrollArea(this);
    scroll->setWidget(form_widget);
    scroll->setWidgetResizable(true);
    scroll->setMinimumWidth(440);
    return scroll;
}

QWidget* TrainingPanel::createResultsPanel() {
    auto* results = new QSplitter(Qt::Vertical, this);
    m_charts = new TrainingCharts(results);
    results->addWidget(m_charts);

    auto* tabs = new QTabWidget(results);
    tabs->setObjectName(QStringLiteral("resultTabs"));
    auto* history_page = new QWidget(tabs);
    auto* history_layout = new QHBoxLayout(history_page);
    m_history_view = new QTableView(history_page);
    m_history_view->setModel(m_history);
    m_history_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_history_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_history_view->horizontalHeader()->setStretchLastSection(true);
    m_history_view->verticalHeader()->hide();
    history_layout->addWidget(m_history_view, 3);

    auto* checkpoint_box = new QVBoxLayout;
    m_checkpoint_view = new QListView(history_page);
    m_checkpoint_view->setModel(m_checkpoints);
    m_chat_button = new QPushButton(history_page);
    m_evaluate_button = new QPushButton(history_page);
    m_export_button = new QPushButton(history_page);
    connect(m_chat_button, &QPushButton::clicked, this,
            [this] { emit chatRequested(selectedCheckpointPath()); });
    connect(m_evaluate_button, &QPushButton::clicked, this,
            [this] { emit evaluateRequested(selectedCheckpointPath()); });
    connect(m_export_button, &QPushButton::clicked, this, &TrainingPanel::exportSelectedCheckpoint);
    checkpoint_box->addWidget(m_checkpoint_view, 1);
    checkpoint_box->addWidget(m_chat_button);
    checkpoint_box->addWidget(m_evaluate_button);
    checkpoint_box->addWidget(m_export_button);
    history_layout->addLayout(checkpoint_box, 2);
    tabs->addTab(history_page, QString());

    m_log = new QPlainTextEdit(tabs);
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(2000);
    tabs->addTab(m_log, QString());
    results->addWidget(tabs);
    results->setStretchFactor(0, 3);
    results->setStretchFactor(1, 2);
    return results;
}

void TrainingPanel::setProject(store::ProjectStore* project) {
    m_project = project;
    m_sources->setProject(project);
    refreshHistory();
    updateButtons();
}

void TrainingPanel::setTrainerProgram(const QString& program) {
    m_trainer_program = program;
}

void TrainingPanel::setModelDirectory(const QString& model_dir) {
    m_model_dir->setText(model_dir);
    m_model_config.reset();
    if (model_dir.isEmpty()) {
        m_model_summary->clear();
        updateMemoryEstimate();
        return;
    }
    try {
        m_model_config = weights::loadModelConfig(model_dir.toStdString());
    } catch (const std::exception& error) {
        m_model_summary->setText(QString::fromStdString(error.what()));
        updateMemoryEstimate();
        updateButtons();
        return;
    }
    const runs::TrainingPreset& preset = runs::matchPreset(*m_model_config);
    const double parameters_millions = static_cast<double>(runs::countParameters(*m_model_config)) / 1e6;
    m_model_summary->setText(tr("%1, %2 million parameters, %3 layers")
                                 .arg(QString::fromStdString(m_model_config->model_type),
                                      QLocale().toString(parameters_millions, 'f', 1))
                                 .arg(m_model_config->num_layers));
    const int preset_index = m_preset->findData(QString::fromStdString(preset.id));
    m_preset->setCurrentIndex(preset_index);
    applyPreset(preset_index);
}

void TrainingPanel::updateMethodFields() {
    const auto method = static_cast<runs::TrainingMethod>(m_method->currentData().toInt());
    for (QWidget* field : m_dpo_fields)
        m_method_form->setRowVisible(field, method == runs::TrainingMethod::Dpo);
    for (QWidget* field : m_rl_fields)
        m_method_form->setRowVisible(field, method == runs::TrainingMethod::Rl);
    updateMemoryEstimate();
}

void TrainingPanel::chooseRewardModelDirectory() {
    const QString dir = QFileDialog::getExistingDirectory(
        this, tr("Choose a reward model folder (the output of a reward-model run)"),
        m_reward_model_dir->text());
    if (!dir.isEmpty()) {
        m_reward_model_dir->setText(dir);
    }
}

void TrainingPanel::applyPreset(int index) {
    const auto& presets = runs::trainingPresets();
    if (index < 0 || index >= static_cast<int>(presets.size())) {
        return;
    }
    const runs::RunSetup setup = runs::setupFromPreset(presets[static_cast<std::size_t>(index)]);
    m_lora->setChecked(setup.lora);
    m_lora_rank->setValue(setup.lora_rank);
    m_lora_alpha->setValue(setup.lora_alpha);
    m_lora_dropout->setValue(setup.lora_dropout);
    m_learning_rate->setText(QString::number(setup.learning_rate, 'g', 4));
    m_micro_batch->setValue(setup.micro_batch_size);
    m_accumulation->setValue(setup.gradient_accumulation);
    m_max_seq_len->setValue(setup.max_seq_len);
    m_checkpointing->setChecked(setup.gradient_checkpointing);
    m_dtype->setCurrentIndex(m_dtype->findData(QString::fromStdString(setup.dtype)));
    updateMemoryEstimate();
}

runs::RunSetup TrainingPanel::currentSetup() const {
    runs::RunSetup setup;
    setup.method = static_cast<runs::TrainingMethod>(m_method->currentData().toInt());
    setup.model_dir = m_model_dir->text().toStdString();
    setup.eval_fraction = m_eval_fraction->value();
    setup.lora = m_lora->isChecked();
    setup.lora_rank = m_lora_rank->value();
    setup.lora_alpha = m_lora_alpha->value();
    setup.lora_dropout = m_lora_dropout->value();
    setup.learning_rate = QLocale::c().toDouble(m_learning_rate->text());
    setup.epochs = m_epochs->value();
    setup.max_steps = m_max_steps->value();
    setup.micro_batch_size = m_micro_batch->value();
    setup.gradient_accumulation = m_accumulation->value();
    setup.max_seq_len = m_max_seq_len->value();
    setup.packing = m_packing->isChecked();
    setup.gradient_checkpointing = m_checkpointing->isChecked();
    setup.schedule = m_schedule->currentData().toString().toStdString();
    setup.warmup_ratio = m_warmup->value();
    setup.eval_every_steps = m_eval_every->value();
    setup.save_every_steps = m_save_every->value();
    setup.seed = m_seed->value();
    setup.device = m_device->currentData().toString().toStdString();
    setup.dtype = m_dtype->currentData().toString().toStdString();
    setup.dpo_beta = m_dpo_beta->value();
    setup.rl_reward_model_dir = m_reward_model_dir->text().toStdString();
    setup.rl_samples_per_prompt = m_samples_per_prompt->value();
    setup.rl_kl_coef = m_kl_coef->value();
    return setup;
}

void TrainingPanel::updateMemoryEstimate() {
    if (!m_model_config) {
        m_memory_label->setText(tr("Choose a model to see how much memory the run needs."));
        m_memory_label->setStyleSheet(QString());
        m_fits_memory = true;
        updateButtons();
        return;
    }
    const runs::RunSetup setup = currentSetup();
    const runs::MemoryEstimate estimate =
        runs::estimateTrainingMemory(*m_model_config, runs::trainingShape(setup));
    // A GPU run holds one replica per GPU; on the CPU every process holds one in the host's memory
    // (the trainer checks the same: train::checkTrainConfig).
    const bool gpu = setup.device != "cpu";
    const int processes = gpu ? 1 : m_processes->value();
    const std::int64_t available =
        gpu ? sample::deviceMemoryBytes(setup.device) : runs::physicalMemoryBytes();
    const std::int64_t needed = estimate.total_bytes * processes;
    m_fits_memory = available == 0 || needed <= available;
    const auto bytes = [](std::int64_t value) { return QString::fromStdString(runs::formatBytes(value)); };
    const QString weights = bytes(estimate.weights_bytes);
    const QString optimizer = bytes(estimate.gradients_bytes + estimate.optimizer_bytes);
    const QString activations = bytes(estimate.activations_bytes);
    const QString device = QString::fromStdString(setup.device);
    QString text;
    if (gpu && available == 0) {
        text = tr("Needs about %1 (weights %2, gradients and optimizer %3, activations %4); the memory of %5 "
                  "is unknown.")
                   .arg(bytes(needed), weights, optimizer, activations, device);
    } else if (gpu) {
        text = tr("Needs about %1 (weights %2, gradients and optimizer %3, activations %4); %5 has %6.")
                   .arg(bytes(needed), weights, optimizer, activations, device, bytes(available));
    } else if (processes > 1) {
        text = tr("Needs about %1 processes × %2 = %3 (each: weights %4, gradients and optimizer %5, "
                  "activations %6); this machine has %7.")
                   .arg(QString::number(processes), bytes(estimate.total_bytes), bytes(needed), weights,
                        optimizer, activations, bytes(available));
    } else {
        text = tr("Needs about %1 (weights %2, gradients and optimizer %3, activations %4); this machine has "
                  "%5.")
                   .arg(bytes(needed), weights, optimizer, activations, bytes(available));
    }
    if (!m_fits_memory) {
        text += QLatin1Char(' ') +
                (processes > 1 ? tr("It will not fit: use LoRA, a smaller micro-batch or sequence length, "
                                    "fewer processes, or a bigger machine.")
                               : tr("It will not fit: use LoRA, a smaller micro-batch or sequence length, "
                                    "or a bigger machine."));
    }
    m_memory_label->setText(text);
    m_memory_label->setStyleSheet(m_fits_memory ? QString() : QStringLiteral("color: #b00020;"));
    updateButtons();
}

QString TrainingPanel::runsRoot() const {
    return m_project ? QString::fromStdString(runs::runsFolderFor(m_project->path())) : QString();
}

void TrainingPanel::setStatus(const QString& text, bool error) {
    m_status_label->setText(text);
    m_status_label->setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
    if (!text.isEmpty()) {
        m_log->appendPlainText(QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss ")) + text);
    }
}

bool TrainingPanel::startRun() {
    if (m_job->isRunning()) {
        return false;
    }
    if (!m_project) {
        setStatus(tr("Open a project first: runs are kept beside it."), true);
        return false;
    }
    if (!m_model_config) {
        setStatus(tr("Choose a model folder with a config.json."), true);
        return false;
    }
    const auto sources = m_sources->checkedSources();
    if (sources.empty()) {
        setStatus(tr("Tick at least one dataset or add a JSONL file."), true);
        return false;
    }
    if (!m_fits_memory) {
        setStatus(m_memory_label->text(), true);
        return false;
    }
    runs::RunSetup setup = currentSetup();
    const QString root = runsRoot();
    const std::string timestamp =
        QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")).toStdString();
    const QString run_dir =
        root + QLatin1Char('/') +
        QString::fromStdString(runs::newRunName(root.toStdString(), runs::trainingMethodName(setup.method),
                                                setup.model_dir, timestamp));
    if (!QDir().mkpath(run_dir + QStringLiteral("/data"))) {
        setStatus(tr("Cannot create the run folder %1.").arg(run_dir), true);
        return false;
    }
    if (setup.method == runs::TrainingMethod::Rl && setup.rl_reward_model_dir.empty()) {
        setStatus(tr("Choose the reward model that scores the samples."), true);
        return false;
    }
    // Reward models and DPO learn from preference pairs; SFT from conversations, RL from their prompts.
    const bool pairs =
        setup.method == runs::TrainingMethod::RewardModel || setup.method == runs::TrainingMethod::Dpo;
    const QString format = pairs ? QStringLiteral("preference") : QStringLiteral("messages");
    std::vector<TrainingJob::Command> preparation;
    for (const TrainingSourceModel::Source& source : sources) {
        if (source.is_file) {
            setup.train_files.push_back(source.name.toStdString());
            continue;
        }
        const QString output =
            run_dir + QStringLiteral("/data/") + safeFileName(source.name) + QStringLiteral(".jsonl");
        preparation.push_back(
            {m_trainer_program,
             {QStringLiteral("project"), QStringLiteral("export"), QString::fromStdString(m_project->path()),
              QStringLiteral("--format"), format, output, QStringLiteral("--dataset"), source.name},
             tr("Exporting dataset %1…").arg(source.name)});
        setup.train_files.push_back(output.toStdString());
    }
    setup.output_dir = run_dir.toStdString();
    const QString config_path = run_dir + QStringLiteral("/config.json");
    try {
        AtomicFileWriter writer(config_path.toStdString());
        writer.stream() << runs::trainerConfig(setup).dump(2) << '\n';
        writer.commit();
    } catch (const std::exception& error) {
        setStatus(QString::fromStdString(error.what()), true);
        return false;
    }
    const QString method = QString::fromStdString(runs::trainingMethodName(setup.method));
    m_active_run_dir = run_dir;
    m_shown_run_dir = run_dir;
    m_job->start(preparation, {m_trainer_program,
                               QStringList{QStringLiteral("train"), method, config_path} + processArguments(),
                               tr("Training %1…").arg(QFileInfo(run_dir).fileName())});
    refreshHistory();
    updateButtons();
    return true;
}

QStringList TrainingPanel::processArguments() const {
    if (m_processes->value() <= 1) return {};
    return {QStringLiteral("--nproc-per-node"), QString::number(m_processes->value())};
}

void TrainingPanel::stopRun() {
    if (m_job->isRunning()) {
        setStatus(tr("Stopping: the trainer saves a checkpoint first…"), false);
        m_job->stop();
    }
}

bool TrainingPanel::resumeSelectedRun() {
    const QModelIndex current = m_history_view->currentIndex();
    if (m_job->isRunning() || !current.isValid()) {
        return false;
    }
    const runs::RunSummary& run = m_history->run(current.row());
    const bool has_checkpoint = std::any_of(run.checkpoints.begin(), run.checkpoints.end(),
                                            [](const runs::CheckpointInfo& info) { return info.step >= 0; });
    if (run.metrics.status == runs::RunStatus::Finished || !has_checkpoint) {
        setStatus(tr("This run has no checkpoint to continue from."), true);
        return false;
    }
    m_active_run_dir = QString::fromStdString(run.dir);
    m_shown_run_dir = m_active_run_dir;
    const QString config_path = m_active_run_dir + QStringLiteral("/config.json");
    m_job->start({}, {m_trainer_program,
                      QStringList{QStringLiteral("train"), QString::fromStdString(run.method), config_path} +
                          processArguments() + QStringList{QStringLiteral("--resume")},
                      tr("Resuming %1…").arg(QString::fromStdString(run.name))});
    refreshHistory();
    updateButtons();
    return true;
}

void TrainingPanel::onJobFinished(bool ok, const QString& message) {
    if (ok) {
        const bool stopped = m_job->metrics().status == runs::RunStatus::Cancelled;
        setStatus(stopped ? tr("Stopped; the run can be resumed from its last checkpoint.")
                          : tr("Training finished."),
                  false);
    } else {
        setStatus(tr("Training failed: %1").arg(message), true);
    }
    m_active_run_dir.clear();
    refreshHistory();
    updateCharts();
    updateButtons();
}

void TrainingPanel::refreshHistory() {
    const QString shown = m_shown_run_dir;
    std::vector<runs::RunSummary> list;
    if (m_project) {
        try {
            list = runs::listRuns(runsRoot().toStdString());
        } catch (const std::exception& error) {
            setStatus(QString::fromStdString(error.what()), true);
        }
    }
    m_history->setRuns(std::move(list), m_active_run_dir);
    for (int row = 0; row < m_history->rowCount(); ++row) {
        if (QString::fromStdString(m_history->run(row).dir) == shown) {
            m_history_view->selectionModel()->setCurrentIndex(
                m_history->index(row, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        }
    }
    updateCharts();
}

void TrainingPanel::showSelectedRun() {
    const QModelIndex current = m_history_view->currentIndex();
    if (!current.isValid()) {
        m_checkpoints->setCheckpoints({});
    } else {
        const runs::RunSummary& run = m_history->run(current.row());
        m_shown_run_dir = QString::fromStdString(run.dir);
        m_checkpoints->setCheckpoints(run.checkpoints);
    }
    updateCharts();
    updateButtons();
}

void TrainingPanel::updateCharts() {
    TrainingCharts::Curve current;
    std::vector<TrainingCharts::Curve> overlays;
    for (int row = 0; row < m_history->rowCount(); ++row) {
        const runs::RunSummary& run = m_history->run(row);
        const QString dir = QString::fromStdString(run.dir);
        if (dir == m_shown_run_dir) {
            current.name = QString::fromStdString(run.name);
            current.metrics = dir == m_active_run_dir ? m_job->metrics() : run.metrics;
        } else if (m_history->overlayDirs().contains(dir)) {
            overlays.push_back({QString::fromStdString(run.name), run.metrics});
        }
    }
    m_charts->setCurves(current, overlays);
}

QString TrainingPanel::selectedCheckpointPath() const {
    const QModelIndex current = m_checkpoint_view->currentIndex();
    return current.isValid() ? current.data(CheckpointListModel::kPathRole).toString() : QString();
}

void TrainingPanel::exportSelectedCheckpoint() {
    const QModelIndex current = m_checkpoint_view->currentIndex();
    const QModelIndex run_index = m_history_view->currentIndex();
    if (!current.isValid() || !run_index.isValid() || m_export_job->isRunning()) {
        return;
    }
    const runs::CheckpointInfo& checkpoint = m_checkpoints->checkpoint(current.row());
    const runs::RunSummary& run = m_history->run(run_index.row());
    if (!checkpoint.is_adapter) {
        setStatus(tr("This checkpoint is already a complete model folder: %1")
                      .arg(QString::fromStdString(checkpoint.path)),
                  false);
        return;
    }
    const QString target = QFileDialog::getExistingDirectory(this, tr("Export the model to"));
    if (target.isEmpty()) {
        return;
    }
    // A LoRA adapter is merged into its base model, giving a model folder any tool loads.
    const QString out = target + QLatin1Char('/') + QString::fromStdString(run.name);
    const QStringList arguments = {QStringLiteral("train"),     QStringLiteral("merge"),
                                   QStringLiteral("--model"),   QString::fromStdString(run.base_model),
                                   QStringLiteral("--adapter"), QString::fromStdString(checkpoint.path),
                                   QStringLiteral("--out"),     out};
    m_export_job->start({}, {m_trainer_program, arguments, tr("Exporting to %1…").arg(out)});
    updateButtons();
}

void TrainingPanel::chooseModelDirectory() {
    const QString dir = QFileDialog::getExistingDirectory(
        this, tr("Choose a model folder (config.json, *.safetensors)"), m_model_dir->text());
    if (!dir.isEmpty()) {
        setModelDirectory(dir);
    }
}

void TrainingPanel::addDataFile() {
    const QStringList files = QFileDialog::getOpenFileNames(
        this, tr("Add training data"), QString(), tr("JSON Lines (*.jsonl *.jsonl.gz);;All files (*)"));
    for (const QString& file : files) {
        m_sources->addFile(file);
    }
}

void TrainingPanel::updateButtons() {
    const bool running = m_job->isRunning();
    m_start_button->setEnabled(!running && m_project != nullptr && m_model_config.has_value() &&
                               m_fits_memory);
    m_start_button->setToolTip(m_fits_memory ? QString() : m_memory_label->text());
    m_stop_button->setEnabled(running);
    const QModelIndex run_index = m_history_view->currentIndex();
    bool resumable = false;
    if (run_index.isValid()) {
        const runs::RunSummary& run = m_history->run(run_index.row());
        resumable = run.metrics.status != runs::RunStatus::Finished && !run.checkpoints.empty() &&
                    QString::fromStdString(run.dir) != m_active_run_dir;
    }
    m_resume_button->setEnabled(!running && resumable);
    const bool has_checkpoint = m_checkpoint_view->currentIndex().isValid();
    m_chat_button->setEnabled(has_checkpoint);
    m_evaluate_button->setEnabled(has_checkpoint);
    m_export_button->setEnabled(has_checkpoint && !m_export_job->isRunning());
}

void TrainingPanel::retranslateUi() {
    if (auto* group = findChild<QGroupBox*>(QStringLiteral("modelGroup"))) {
        group->setTitle(tr("Base model"));
    }
    if (auto* group = findChild<QGroupBox*>(QStringLiteral("dataGroup"))) {
        group->setTitle(tr("Training data"));
    }
    if (auto* group = findChild<QGroupBox*>(QStringLiteral("methodGroup"))) {
        group->setTitle(tr("Method"));
    }
    if (auto* group = findChild<QGroupBox*>(QStringLiteral("hyperGroup"))) {
        group->setTitle(tr("Hyperparameters"));
    }
    if (auto* group = findChild<QGroupBox*>(QStringLiteral("deviceGroup"))) {
        group->setTitle(tr("Device"));
    }
    m_model_caption->setText(tr("&Folder:"));
    m_model_caption->setBuddy(m_model_dir);
    m_model_dir->setPlaceholderText(tr("A Hugging Face model folder or a checkpoint"));
    m_model_button->setText(tr("Choose…"));
    m_preset_caption->setText(tr("&Preset:"));
    m_preset_caption->setBuddy(m_preset);
    m_data_caption->setText(
        tr("Datasets of the project (conversations for SFT and RL, preference pairs for the reward "
           "model and DPO) and JSONL files:"));
    m_add_file_button->setText(tr("Add JSONL file…"));
    m_method_caption->setText(tr("&Method:"));
    m_method_caption->setBuddy(m_method);
    m_method->setItemText(0, tr("Supervised fine-tuning (SFT)"));
    m_method->setItemText(1, tr("Reward model"));
    m_method->setItemText(2, tr("DPO (direct preference optimization)"));
    m_method->setItemText(3, tr("RL with a reward model"));
    m_reward_model_dir->setPlaceholderText(tr("A reward model folder"));
    m_reward_model_button->setText(tr("Choose…"));
    m_lora->setText(tr("&LoRA (train small adapters; the base model stays frozen)"));
    m_packing->setText(tr("fewer padding tokens"));
    m_checkpointing->setText(tr("recompute activations in backward: less memory, about a third slower"));
    m_schedule->setItemText(0, tr("cosine"));
    m_schedule->setItemText(1, tr("linear"));
    m_schedule->setItemText(2, tr("constant"));
    for (const auto& [label, caption] : m_form_captions) {
        label->setText(tr(caption));
    }
    m_start_button->setText(tr("&Start"));
    m_stop_button->setText(tr("S&top"));
    m_resume_button->setText(tr("&Resume"));
    m_processes->setToolTip(
        tr("Data-parallel processes: each one holds the whole model and trains on its share of every "
           "step, so a step learns from micro-batch × accumulation × processes examples. One per GPU; "
           "on a CPU they share its cores."));
    m_chat_button->setText(tr("Chat with it"));
    m_evaluate_button->setText(tr("Evaluate it"));
    m_export_button->setText(tr("Export…"));
    if (auto* tabs = findChild<QTabWidget*>(QStringLiteral("resultTabs"))) {
        tabs->setTabText(0, tr("Run history"));
        tabs->setTabText(1, tr("Log"));
    }
    m_history->retranslate();
    updateMemoryEstimate();
}

void TrainingPanel::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
    }
    QWidget::changeEvent(event);
}

}  // namespace vietllm::widgets
