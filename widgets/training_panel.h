#pragma once
// The Training panel: choose a base model (or checkpoint), the project's datasets or JSONL files
// and a method (SFT, reward model, DPO, RL with a reward model; each method's own fields shown only
// for it); hyperparameters with presets per model; device and a
// memory estimate before starting. Start, stop and resume run the trainer (`vietllm-cli train`)
// as a child process whose JSON-line progress feeds live charts. Below: the run history (every
// run folder of the project, with overlay of several runs on the charts) and the selected run's
// checkpoints with actions: chat with it, export it.

#include "backend/runs/run_setup.h"
#include "backend/weights/model_config.h"

#include <QString>
#include <QTimer>
#include <QWidget>
#include <optional>
#include <vector>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QListView;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableView;

namespace vietllm::store {
class ProjectStore;
}

namespace vietllm::widgets {

class CheckpointListModel;
class RunHistoryModel;
class TrainingCharts;
class TrainingJob;
class TrainingSourceModel;

class TrainingPanel : public QWidget {
    Q_OBJECT

public:
    explicit TrainingPanel(QWidget* parent = nullptr);
    ~TrainingPanel() override;

    /// Uses `project` (nullptr: none) for datasets and its runs folder (PROJECT.runs beside the
    /// file) for run history. The project must outlive the panel or be replaced first.
    void setProject(store::ProjectStore* project);
    /// The program run as the trainer and exporter; vietllm-cli beside the GUI by default.
    void setTrainerProgram(const QString& program);
    /// Fills the model field (as if chosen in the folder dialog) and applies its preset.
    void setModelDirectory(const QString& model_dir);

    /// Starts a new run with the form's settings. False (with the reason in the status line) when
    /// the form is incomplete, the model cannot be read, or the run cannot fit in memory.
    bool startRun();
    /// Asks the running trainer to checkpoint and stop.
    void stopRun();
    /// Continues the run selected in the history from its newest checkpoint.
    bool resumeSelectedRun();
    /// Re-reads the run folders.
    void refreshHistory();
    /// The settings the form holds now.
    runs::RunSetup currentSetup() const;

    /// For tests.
    TrainingSourceModel* sourceModel() const { return m_sources; }
    RunHistoryModel* historyModel() const { return m_history; }
    QTableView* historyView() const { return m_history_view; }
    CheckpointListModel* checkpointModel() const { return m_checkpoints; }
    TrainingCharts* charts() const { return m_charts; }
    TrainingJob* job() const { return m_job; }
    QComboBox* presetBox() const { return m_preset; }
    QComboBox* methodBox() const { return m_method; }
    QCheckBox* loraBox() const { return m_lora; }
    QCheckBox* checkpointingBox() const { return m_checkpointing; }
    QDoubleSpinBox* dpoBetaBox() const { return m_dpo_beta; }
    QSpinBox* samplesPerPromptBox() const { return m_samples_per_prompt; }
    QSpinBox* processesBox() const { return m_processes; }
    QLabel* memoryLabel() const { return m_memory_label; }
    QLabel* statusLabel() const { return m_status_label; }
    QPushButton* startButton() const { return m_start_button; }
    QPushButton* stopButton() const { return m_stop_button; }
    QPushButton* resumeButton() const { return m_resume_button; }
    QPushButton* evaluateButton() const { return m_evaluate_button; }

signals:
    /// "Chat with it" on a checkpoint: its folder (a full model or a LoRA adapter).
    void chatRequested(const QString& checkpoint_dir);
    /// "Evaluate it" on a checkpoint: its folder, to choose in the Evaluation panel.
    void evaluateRequested(const QString& checkpoint_dir);

protected:
    void changeEvent(QEvent* event) override;

private:
    QWidget* createFormPanel();
    QWidget* createResultsPanel();
    void retranslateUi();
    void chooseModelDirectory();
    void addDataFile();
    void applyPreset(int index);
    void updateMethodFields();
    void chooseRewardModelDirectory();
    void updateMemoryEstimate();
    void updateButtons();
    void updateCharts();
    void showSelectedRun();
    void onJobFinished(bool ok, const QString& message);
    /// `--nproc-per-node N` when more than one data-parallel process is asked for, else nothing.
    QStringList processArguments() const;
    void exportSelectedCheckpoint();
    QString selectedCheckpointPath() const;
    QString runsRoot() const;
    void setStatus(const QString& text, bool error);

    store::ProjectStore* m_project = nullptr;
    QString m_trainer_program;
    std::optional<weights::ModelConfig> m_model_config;
    QString m_active_run_dir;
    QString m_shown_run_dir;
    bool m_fits_memory = true;

    TrainingSourceModel* m_sources = nullptr;
    RunHistoryModel* m_history = nullptr;
    CheckpointListModel* m_checkpoints = nullptr;
    TrainingJob* m_job = nullptr;
    TrainingJob* m_export_job = nullptr;
    TrainingCharts* m_charts = nullptr;
    QTimer m_chart_timer;

    QLabel* m_model_caption = nullptr;
    QLineEdit* m_model_dir = nullptr;
    QPushButton* m_model_button = nullptr;
    QLabel* m_model_summary = nullptr;
    QLabel* m_preset_caption = nullptr;
    QComboBox* m_preset = nullptr;
    QLabel* m_data_caption = nullptr;
    QListView* m_source_view = nullptr;
    QPushButton* m_add_file_button = nullptr;
    QLabel* m_method_caption = nullptr;
    QComboBox* m_method = nullptr;
    QCheckBox* m_lora = nullptr;
    QSpinBox* m_lora_rank = nullptr;
    QSpinBox* m_lora_alpha = nullptr;
    QDoubleSpinBox* m_lora_dropout = nullptr;
    QFormLayout* m_method_form = nullptr;
    QDoubleSpinBox* m_dpo_beta = nullptr;
    QLineEdit* m_reward_model_dir = nullptr;
    QPushButton* m_reward_model_button = nullptr;
    QSpinBox* m_samples_per_prompt = nullptr;
    QDoubleSpinBox* m_kl_coef = nullptr;
    std::vector<QWidget*> m_dpo_fields;  ///< rows shown only for DPO
    std::vector<QWidget*> m_rl_fields;   ///< rows shown only for RL
    QLineEdit* m_learning_rate = nullptr;
    QSpinBox* m_epochs = nullptr;
    QSpinBox* m_max_steps = nullptr;
    QSpinBox* m_micro_batch = nullptr;
    QSpinBox* m_accumulation = nullptr;
    QSpinBox* m_max_seq_len = nullptr;
    QCheckBox* m_packing = nullptr;
    QCheckBox* m_checkpointing = nullptr;
    QComboBox* m_schedule = nullptr;
    QDoubleSpinBox* m_warmup = nullptr;
    QDoubleSpinBox* m_eval_fraction = nullptr;
    QSpinBox* m_eval_every = nullptr;
    QSpinBox* m_save_every = nullptr;
    QSpinBox* m_seed = nullptr;
    QComboBox* m_device = nullptr;
    QComboBox* m_dtype = nullptr;
    QSpinBox* m_processes = nullptr;  ///< data-parallel processes (--nproc-per-node)
    QLabel* m_memory_label = nullptr;
    QPushButton* m_start_button = nullptr;
    QPushButton* m_stop_button = nullptr;
    QPushButton* m_resume_button = nullptr;
    QLabel* m_status_label = nullptr;
    QTableView* m_history_view = nullptr;
    QListView* m_checkpoint_view = nullptr;
    QPushButton* m_chat_button = nullptr;
    QPushButton* m_evaluate_button = nullptr;
    QPushButton* m_export_button = nullptr;
    QPlainTextEdit* m_log = nullptr;
    std::vector<std::pair<QLabel*, const char*>> m_form_captions;
};

}  // namespace vietllm::widgets
