#include "widgets/evaluation_panel.h"

#include "backend/common/atomic_file.h"
#include "backend/eval/eval_items.h"
#include "backend/eval/run_report.h"
#include "backend/eval/task_folders.h"
#include "backend/eval/task_spec.h"
#include "backend/runs/run_history.h"
#include "backend/store/model_registry.h"
#include "backend/store/project_store.h"
#include "widgets/evaluation_charts.h"
#include "widgets/evaluation_job.h"
#include "widgets/models/eval_leaderboard_model.h"
#include "widgets/models/eval_target_model.h"
#include "widgets/models/eval_task_model.h"
#include "widgets/models/evaluation_item_model.h"
#include "widgets/models/evaluation_run_model.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
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
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QThread>
#include <QVBoxLayout>

namespace vietllm::widgets {

namespace {

// The task list as the worker thread reads it: every task file, each task's data counted.
struct TaskListing {
    std::vector<EvalTaskModel::Task> tasks;
    QString error;
};

TaskListing readTaskListing(const std::string& tasks_dir, const std::string& data_dir) {
    TaskListing listing;
    try {
        for (const eval::TaskSpec& spec : eval::loadTaskFolder(tasks_dir)) {
            EvalTaskModel::Task task;
            task.name = QString::fromStdString(spec.name);
            task.kind = QString::fromStdString(eval::taskKindName(spec.kind));
            task.metric = QString::fromStdString(spec.metric);
            try {
                task.items = static_cast<qint64>(eval::loadItems(spec, data_dir).size());
            } catch (const std::exception& error) {
                task.problem = QString::fromStdString(error.what());
            }
            listing.tasks.push_back(task);
        }
    } catch (const std::exception& error) {
        listing.error = QString::fromStdString(error.what());
    }
    return listing;
}

QTableView* tableView(QWidget* parent, QAbstractItemModel* model) {
    auto* view = new QTableView(parent);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->horizontalHeader()->setStretchLastSection(true);
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
    return view;
}

}  // namespace

EvaluationPanel::EvaluationPanel(QWidget* parent) : QWidget(parent) {
    m_cli_program = QCoreApplication::applicationDirPath() + QStringLiteral("/vietllm-cli");
    m_targets = new EvalTargetModel(this);
    m_tasks = new EvalTaskModel(this);
    m_runs = new EvaluationRunModel(this);
    m_items = new EvaluationItemModel(this);
    m_leaderboard = new EvalLeaderboardModel(this);
    m_leaderboard_proxy = new QSortFilterProxyModel(this);
    m_leaderboard_proxy->setSourceModel(m_leaderboard);
    m_leaderboard_proxy->setSortRole(EvalLeaderboardModel::kSortRole);
    m_job = new EvaluationJob(this);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(createChoicePanel());
    splitter->addWidget(createResultsPanel());
    splitter->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    connect(m_job, &EvaluationJob::commandStarted, this, [this](const QString& label, int index, int count) {
        m_checkpoint_label->setText(tr("Model %1 of %2: %3").arg(index + 1).arg(count).arg(label));
        resetProgress(m_tasks->checkedNames());
    });
    connect(m_job, &EvaluationJob::progress, this, &EvaluationPanel::onProgress);
    connect(m_job, &EvaluationJob::taskFinished, this, [this](const QString& task) {
        onProgress(task, 1, 1);
        refreshRuns();
    });
    connect(m_job, &EvaluationJob::finished, this, &EvaluationPanel::onJobFinished);
    connect(m_run_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &EvaluationPanel::showSelectedRuns);
    connect(m_item_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &EvaluationPanel::showSelectedItem);
    retranslateUi();
    loadTasks();
    updateButtons();
}

EvaluationPanel::~EvaluationPanel() {
    if (m_task_loader) {
        m_task_loader->wait();
    }
}

QWidget* EvaluationPanel::createChoicePanel() {
    auto* form_widget = new QWidget(this);
    auto* form_layout = new QVBoxLayout(form_widget);

    auto* models_group = new QGroupBox(form_widget);
    models_group->setObjectName(QStringLiteral("modelsGroup"));
    auto* models_layout = new QVBoxLayout(models_group);
    m_models_caption = new QLabel(models_group);
    m_models_caption->setWordWrap(true);
    m_target_view = new QListView(models_group);
    m_target_view->setModel(m_targets);
    m_target_view->setMinimumHeight(120);
    m_add_folder_button = new QPushButton(models_group);
    connect(m_add_folder_button, &QPushButton::clicked, this, &EvaluationPanel::addFolder);
    m_endpoint_url = new QLineEdit(models_group);
    m_endpoint_model = new QLineEdit(models_group);
    m_add_endpoint_button = new QPushButton(models_group);
    connect(m_add_endpoint_button, &QPushButton::clicked, this, [this] {
        if (addEndpoint(m_endpoint_url->text().trimmed(), m_endpoint_model->text().trimmed())) {
            m_endpoint_url->clear();
            m_endpoint_model->clear();
        }
    });
    auto* endpoint_row = new QHBoxLayout;
    endpoint_row->addWidget(m_endpoint_url, 2);
    endpoint_row->addWidget(m_endpoint_model, 1);
    endpoint_row->addWidget(m_add_endpoint_button);
    models_layout->addWidget(m_models_caption);
    models_layout->addWidget(m_target_view, 1);
    models_layout->addWidget(m_add_folder_button);
    models_layout->addLayout(endpoint_row);
    form_layout->addWidget(models_group, 1);

    auto* tasks_group = new QGroupBox(form_widget);
    tasks_group->setObjectName(QStringLiteral("tasksGroup"));
    auto* tasks_layout = new QVBoxLayout(tasks_group);
    m_tasks_caption = new QLabel(tasks_group);
    m_tasks_caption->setWordWrap(true);
    m_task_view = tableView(tasks_group, m_tasks);
    m_task_view->verticalHeader()->hide();
    m_task_view->setMinimumHeight(160);
    m_limit = new QSpinBox(tasks_group);
    m_limit->setRange(0, 1000000);
    m_limit->setValue(100);
    m_batch_size = new QSpinBox(tasks_group);
    m_batch_size->setRange(1, 256);
    m_batch_size->setValue(8);
    m_dtype = new QComboBox(tasks_group);
    for (const char* dtype : {"fp32", "bf16", "fp16"}) {
        m_dtype->addItem(QString::fromLatin1(dtype), QString::fromLatin1(dtype));
    }
    auto* options = new QFormLayout;
    m_limit_caption = new QLabel(tasks_group);
    m_batch_caption = new QLabel(tasks_group);
    m_dtype_caption = new QLabel(tasks_group);
    options->addRow(m_limit_caption, m_limit);
    options->addRow(m_batch_caption, m_batch_size);
    options->addRow(m_dtype_caption, m_dtype);
    tasks_layout->addWidget(m_tasks_caption);
    tasks_layout->addWidget(m_task_view, 1);
    tasks_layout->addLayout(options);
    form_layout->addWidget(tasks_group, 1);

    m_run_button = new QPushButton(form_widget);
    m_stop_button = new QPushButton(form_widget);
    connect(m_run_button, &QPushButton::clicked, this, &EvaluationPanel::startEvaluation);
    connect(m_stop_button, &QPushButton::clicked, this, &EvaluationPanel::stopEvaluation);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_run_button);
    buttons->addWidget(m_stop_button);
    form_layout->addLayout(buttons);
    m_checkpoint_label = new QLabel(form_widget);
    m_checkpoint_label->setWordWrap(true);
    form_layout->addWidget(m_checkpoint_label);
    m_progress_layout = new QVBoxLayout;
    form_layout->addLayout(m_progress_layout);
    m_status_label = new QLabel(form_widget);
    m_status_label->setWordWrap(true);
    m_status_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form_layout->addWidget(m_status_label);

    auto* scroll = new QScrollArea(this);
    scroll->setWidget(form_widget);
    scroll->setWidgetResizable(true);
    scroll->setMinimumWidth(420);
    return scroll;
}

QWidget* EvaluationPanel::createResultsPanel() {
    auto* tabs = new QTabWidget(this);
    tabs->setObjectName(QStringLiteral("evaluationTabs"));

    auto* runs_page = new QSplitter(Qt::Vertical, tabs);
    auto* runs_top = new QWidget(runs_page);
    auto* runs_layout = new QVBoxLayout(runs_top);
    runs_layout->setContentsMargins(0, 0, 0, 0);
    m_run_view = tableView(runs_top, m_runs);
    m_run_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_run_view->verticalHeader()->hide();
    m_refresh_button = new QPushButton(runs_top);
    m_export_json_button = new QPushButton(runs_top);
    m_export_markdown_button = new QPushButton(runs_top);
    connect(m_refresh_button, &QPushButton::clicked, this, &EvaluationPanel::refreshRuns);
    connect(m_export_json_button, &QPushButton::clicked, this, [this] { exportWithDialog(false); });
    connect(m_export_markdown_button, &QPushButton::clicked, this, [this] { exportWithDialog(true); });
    auto* run_buttons = new QHBoxLayout;
    run_buttons->addWidget(m_refresh_button);
    run_buttons->addStretch(1);
    run_buttons->addWidget(m_export_json_button);
    run_buttons->addWidget(m_export_markdown_button);
    runs_layout->addWidget(m_run_view, 1);
    runs_layout->addLayout(run_buttons);
    m_charts = new EvaluationCharts(runs_page);
    runs_page->addWidget(runs_top);
    runs_page->addWidget(m_charts);
    tabs->addTab(runs_page, QString());

    auto* leaderboard_page = new QWidget(tabs);
    auto* leaderboard_layout = new QVBoxLayout(leaderboard_page);
    m_leaderboard_view = tableView(leaderboard_page, m_leaderboard_proxy);
    m_leaderboard_view->setSortingEnabled(true);
    m_leaderboard_view->sortByColumn(EvalLeaderboardModel::kMeanColumn, Qt::DescendingOrder);
    m_leaderboard_note = new QLabel(leaderboard_page);
    m_leaderboard_note->setWordWrap(true);
    leaderboard_layout->addWidget(m_leaderboard_view, 1);
    leaderboard_layout->addWidget(m_leaderboard_note);
    tabs->addTab(leaderboard_page, QString());

    auto* items_page = new QSplitter(Qt::Vertical, tabs);
    auto* items_top = new QWidget(items_page);
    auto* items_layout = new QVBoxLayout(items_top);
    items_layout->setContentsMargins(0, 0, 0, 0);
    m_item_view = tableView(items_top, m_items);
    m_item_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_previous_page_button = new QPushButton(items_top);
    m_next_page_button = new QPushButton(items_top);
    m_page_label = new QLabel(items_top);
    connect(m_previous_page_button, &QPushButton::clicked, this,
            [this] { showItemPage(m_items->page() - 1); });
    connect(m_next_page_button, &QPushButton::clicked, this, [this] { showItemPage(m_items->page() + 1); });
    auto* paging = new QHBoxLayout;
    paging->addWidget(m_previous_page_button);
    paging->addWidget(m_page_label, 1, Qt::AlignCenter);
    paging->addWidget(m_next_page_button);
    items_layout->addWidget(m_item_view, 1);
    items_layout->addLayout(paging);
    m_item_detail = new QPlainTextEdit(items_page);
    m_item_detail->setReadOnly(true);
    items_page->addWidget(items_top);
    items_page->addWidget(m_item_detail);
    tabs->addTab(items_page, QString());
    return tabs;
}

void EvaluationPanel::setProject(store::ProjectStore* project) {
    if (project != m_project && m_job->isRunning()) {
        m_job->stop();
    }
    m_project = project;
    m_evaluations = project ? std::make_unique<store::Evaluations>(*project) : nullptr;
    m_items->setRun(nullptr, 0);
    refreshTargets();
    refreshRuns();
    updateButtons();
}

void EvaluationPanel::setCliProgram(const QString& program) {
    m_cli_program = program;
}

void EvaluationPanel::setTaskFolders(const QString& tasks_dir, const QString& data_dir) {
    m_tasks_dir = tasks_dir;
    m_data_dir = data_dir;
    loadTasks();
}

void EvaluationPanel::loadTasks() {
    const std::string bin = QCoreApplication::applicationDirPath().toStdString();
    const std::string tasks_dir =
        m_tasks_dir.isEmpty() ? eval::defaultTasksFolder(bin) : m_tasks_dir.toStdString();
    const std::string data_dir =
        m_data_dir.isEmpty() ? eval::defaultDataFolder(bin) : m_data_dir.toStdString();
    m_tasks_loaded = false;
    const int generation = ++m_task_generation;
    auto listing = std::make_shared<TaskListing>();
    QThread* worker =
        QThread::create([listing, tasks_dir, data_dir] { *listing = readTaskListing(tasks_dir, data_dir); });
    connect(worker, &QThread::finished, this, [this, worker, listing, generation] {
        worker->deleteLater();
        if (generation != m_task_generation) {
            return;  // a newer listing was asked for meanwhile
        }
        m_tasks->setTasks(listing->tasks);
        m_task_view->resizeColumnsToContents();
        if (!listing->error.isEmpty()) {
            setStatus(listing->error, true);
        }
        m_tasks_loaded = true;
        updateButtons();
        emit taskListReady();
    });
    if (m_task_loader) {
        m_task_loader->wait();
    }
    m_task_loader = worker;
    worker->start();
}

void EvaluationPanel::refreshTargets() {
    std::vector<EvalTargetModel::Target> targets;
    if (m_project) {
        try {
            const store::ModelRegistry registry(*m_project);
            for (const store::RegisteredModel& model : registry.models()) {
                EvalTargetModel::Target target;
                target.source = EvalTargetModel::Source::Registered;
                target.label = QString::fromStdString(model.name);
                target.path = QDir::cleanPath(QString::fromStdString(model.path));
                targets.push_back(target);
                for (const store::RegisteredCheckpoint& checkpoint : registry.checkpoints(model.id)) {
                    target.label =
                        checkpoint.step
                            ? tr("%1 / step %2").arg(QString::fromStdString(model.name)).arg(*checkpoint.step)
                            : QString::fromStdString(model.name) + QStringLiteral(" / ") +
                                  QFileInfo(QString::fromStdString(checkpoint.path)).fileName();
                    target.path = QDir::cleanPath(QString::fromStdString(checkpoint.path));
                    targets.push_back(target);
                }
            }
            for (const runs::RunSummary& run : runs::listRuns(runs::runsFolderFor(m_project->path()))) {
                for (const runs::CheckpointInfo& checkpoint : run.checkpoints) {
                    EvalTargetModel::Target target;
                    target.source = EvalTargetModel::Source::RunCheckpoint;
                    const QString name = QString::fromStdString(run.name);
                    target.label = checkpoint.step < 0 ? tr("%1 / final").arg(name)
                                                       : tr("%1 / step %2").arg(name).arg(checkpoint.step);
                    if (checkpoint.is_adapter) {
                        target.label += QLatin1Char(' ') + tr("(LoRA adapter: export it merged first)");
                    }
                    target.path = QDir::cleanPath(QString::fromStdString(checkpoint.path));
                    targets.push_back(target);
                }
            }
        } catch (const std::exception& error) {
            setStatus(QString::fromStdString(error.what()), true);
        }
    }
    m_targets->setProjectTargets(targets);
}

void EvaluationPanel::chooseCheckpoint(const QString& model_dir) {
    refreshTargets();
    const int row = m_targets->addFolder(model_dir);
    m_target_view->setCurrentIndex(m_targets->index(row));
    updateButtons();
}

bool EvaluationPanel::addEndpoint(const QString& url, const QString& model_name) {
    if (url.isEmpty() || model_name.isEmpty()) {
        setStatus(tr("An endpoint needs its URL (http://host:8000/v1) and a model name."), true);
        return false;
    }
    m_targets->addEndpoint(url, model_name);
    updateButtons();
    return true;
}

void EvaluationPanel::addFolder() {
    const QString dir =
        QFileDialog::getExistingDirectory(this, tr("Choose a model folder (config.json, *.safetensors)"));
    if (!dir.isEmpty()) {
        chooseCheckpoint(dir);
    }
}

bool EvaluationPanel::startEvaluation() {
    if (m_job->isRunning()) {
        return false;
    }
    const std::vector<EvalTargetModel::Target> targets = m_targets->checkedTargets();
    const QStringList tasks = m_tasks->checkedNames();
    if (!m_project) {
        setStatus(tr("Open a project first: the results are stored in it."), true);
        return false;
    }
    if (targets.empty() || tasks.isEmpty()) {
        setStatus(tr("Check at least one model and one task."), true);
        return false;
    }
    QStringList common = {QStringLiteral("--tasks"),      tasks.join(QLatin1Char(',')),
                          QStringLiteral("--batch-size"), QString::number(m_batch_size->value()),
                          QStringLiteral("--project"),    QString::fromStdString(m_project->path())};
    if (m_limit->value() > 0) {
        common << QStringLiteral("--limit") << QString::number(m_limit->value());
    }
    if (!m_tasks_dir.isEmpty()) {
        common << QStringLiteral("--tasks-dir") << m_tasks_dir;
    }
    if (!m_data_dir.isEmpty()) {
        common << QStringLiteral("--data-dir") << m_data_dir;
    }
    std::vector<EvaluationJob::Command> commands;
    for (const EvalTargetModel::Target& target : targets) {
        QStringList arguments = {QStringLiteral("eval"), QStringLiteral("run")};
        if (target.source == EvalTargetModel::Source::Endpoint) {
            arguments << QStringLiteral("--endpoint") << target.endpoint << QStringLiteral("--model-name")
                      << target.model_name;
        } else {
            arguments << QStringLiteral("--model") << target.path << QStringLiteral("--dtype")
                      << m_dtype->currentData().toString();
        }
        commands.push_back({m_cli_program, arguments + common, target.label});
    }
    m_job->start(commands);
    setStatus(tr("Evaluating %n model(s)…", nullptr, static_cast<int>(commands.size())), false);
    updateButtons();
    return true;
}

void EvaluationPanel::stopEvaluation() {
    if (m_job->isRunning()) {
        setStatus(tr("Stopping after the current chunk…"), false);
        m_job->stop();
    }
}

void EvaluationPanel::resetProgress(const QStringList& tasks) {
    for (auto& [name, bar] : m_progress) {
        delete bar;
    }
    m_progress.clear();
    for (const QString& task : tasks) {
        auto* bar = new QProgressBar(this);
        bar->setRange(0, 100);
        bar->setValue(0);
        bar->setFormat(task + QStringLiteral(": %p%"));
        m_progress_layout->addWidget(bar);
        m_progress[task] = bar;
    }
}

void EvaluationPanel::onProgress(const QString& task, qint64 done, qint64 total) {
    const auto found = m_progress.find(task);
    if (found != m_progress.end() && total > 0) {
        found->second->setValue(static_cast<int>(100 * done / total));
    }
}

std::map<QString, int> EvaluationPanel::taskProgress() const {
    std::map<QString, int> progress;
    for (const auto& [task, bar] : m_progress) {
        progress[task] = bar->value();
    }
    return progress;
}

void EvaluationPanel::onJobFinished(bool ok, bool stopped, const QString& message) {
    if (stopped) {
        setStatus(tr("Stopped; the interrupted run is stored as cancelled."), false);
    } else if (ok) {
        setStatus(tr("Evaluation finished."), false);
    } else {
        setStatus(message, true);
    }
    refreshRuns();
    updateButtons();
    emit evaluationFinished(ok);
}

void EvaluationPanel::refreshRuns() {
    std::vector<store::EvaluationRun> runs;
    if (m_evaluations) {
        try {
            runs = m_evaluations->runs();
        } catch (const std::exception& error) {
            setStatus(QString::fromStdString(error.what()), true);
        }
    }
    std::vector<std::int64_t> selected;
    for (const store::EvaluationRun& run : selectedRuns()) selected.push_back(run.id);
    m_runs->setRuns(runs);
    m_run_view->resizeColumnsToContents();
    m_leaderboard->setRuns(runs);
    m_leaderboard_view->resizeColumnsToContents();
    for (const std::int64_t id : selected) {
        const int row = m_runs->rowOf(id);
        if (row >= 0) {
            m_run_view->selectionModel()->select(m_runs->index(row, 0),
                                                 QItemSelectionModel::Select | QItemSelectionModel::Rows);
        }
    }
    showSelectedRuns();
}

std::vector<store::EvaluationRun> EvaluationPanel::selectedRuns() const {
    std::vector<store::EvaluationRun> runs;
    for (const QModelIndex& index : m_run_view->selectionModel()->selectedRows()) {
        runs.push_back(m_runs->run(index.row()));
    }
    std::sort(runs.begin(), runs.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    return runs;
}

void EvaluationPanel::showSelectedRuns() {
    const std::vector<store::EvaluationRun> runs = selectedRuns();
    m_charts->setRuns(runs);
    const QModelIndex current = m_run_view->currentIndex();
    const std::int64_t run_id =
        current.isValid() && m_run_view->selectionModel()->isRowSelected(current.row())
            ? m_runs->run(current.row()).id
            : (runs.empty() ? 0 : runs.front().id);
    m_items->setRun(m_evaluations.get(), run_id);
    showItemPage(0);
    updateButtons();
}

void EvaluationPanel::showItemPage(int page) {
    m_items->setPage(page);
    m_item_detail->clear();
    const int pages = m_items->pageCount();
    m_page_label->setText(pages == 0
                              ? tr("No items")
                              : tr("Page %1 of %2 (%3 items)")
                                    .arg(m_items->page() + 1)
                                    .arg(pages)
                                    .arg(QLocale().toString(static_cast<qlonglong>(m_items->totalItems()))));
    m_previous_page_button->setEnabled(m_items->page() > 0);
    m_next_page_button->setEnabled(m_items->page() + 1 < pages);
}

void EvaluationPanel::showSelectedItem() {
    const QModelIndex current = m_item_view->currentIndex();
    m_item_detail->setPlainText(current.isValid() ? itemDetailText(m_items->item(current.row())) : QString());
}

bool EvaluationPanel::exportSelected(const QString& path, bool markdown) {
    const std::vector<store::EvaluationRun> runs = selectedRuns();
    if (runs.empty()) {
        setStatus(tr("Select the runs to export."), true);
        return false;
    }
    try {
        AtomicFileWriter writer(QFile::encodeName(path).toStdString());
        writer.stream() << (markdown ? eval::runsResultsMarkdown(runs)
                                     : eval::runsResultsJson(runs).dump(2) + "\n");
        writer.commit();
    } catch (const std::exception& error) {
        setStatus(QString::fromStdString(error.what()), true);
        return false;
    }
    setStatus(tr("Exported %n run(s) to %1.", nullptr, static_cast<int>(runs.size())).arg(path), false);
    return true;
}

void EvaluationPanel::exportWithDialog(bool markdown) {
    const QString path =
        QFileDialog::getSaveFileName(this, markdown ? tr("Export as Markdown") : tr("Export as JSON"),
                                     QString(), markdown ? tr("Markdown (*.md)") : tr("JSON (*.json)"));
    if (!path.isEmpty()) {
        exportSelected(path, markdown);
    }
}

void EvaluationPanel::updateButtons() {
    const bool running = m_job->isRunning();
    m_run_button->setEnabled(!running && m_project != nullptr);
    m_stop_button->setEnabled(running);
    const bool has_selection = m_run_view->selectionModel()->hasSelection();
    m_export_json_button->setEnabled(has_selection);
    m_export_markdown_button->setEnabled(has_selection);
}

void EvaluationPanel::setStatus(const QString& text, bool error) {
    m_status_label->setText(text);
    m_status_label->setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
}

void EvaluationPanel::retranslateUi() {
    if (auto* group = findChild<QGroupBox*>(QStringLiteral("modelsGroup"))) {
        group->setTitle(tr("Models"));
    }
    if (auto* group = findChild<QGroupBox*>(QStringLiteral("tasksGroup"))) {
        group->setTitle(tr("Tasks"));
    }
    m_models_caption->setText(
        tr("Registered models and checkpoints, training run checkpoints, folders and endpoints; each "
           "checked one is evaluated in turn:"));
    m_add_folder_button->setText(tr("Add folder…"));
    m_endpoint_url->setPlaceholderText(tr("Endpoint URL (http://host:8000/v1)"));
    m_endpoint_model->setPlaceholderText(tr("Model name"));
    m_add_endpoint_button->setText(tr("Add endpoint"));
    m_tasks_caption->setText(tr("Tasks (resources/eval/tasks; items counted in the data found):"));
    m_limit_caption->setText(tr("&Limit (items per task, 0 = all):"));
    m_limit_caption->setBuddy(m_limit);
    m_batch_caption->setText(tr("&Batch size:"));
    m_batch_caption->setBuddy(m_batch_size);
    m_dtype_caption->setText(tr("&Precision:"));
    m_dtype_caption->setBuddy(m_dtype);
    m_run_button->setText(tr("&Run"));
    m_stop_button->setText(tr("S&top"));
    m_refresh_button->setText(tr("Refresh"));
    m_export_json_button->setText(tr("Export JSON…"));
    m_export_markdown_button->setText(tr("Export Markdown…"));
    m_leaderboard_note->setText(
        tr("Best headline score per task for each model across all finished runs; the mean is over "
           "the tasks where higher is better (bits per byte is left out)."));
    m_previous_page_button->setText(tr("Previous"));
    m_next_page_button->setText(tr("Next"));
    if (auto* tabs = findChild<QTabWidget*>(QStringLiteral("evaluationTabs"))) {
        tabs->setTabText(0, tr("Runs and charts"));
        tabs->setTabText(1, tr("Leaderboard"));
        tabs->setTabText(2, tr("Items"));
    }
    m_runs->retranslate();
    showItemPage(m_items->page());
}

void EvaluationPanel::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
    }
    QWidget::changeEvent(event);
}

}  // namespace vietllm::widgets
