// The Data panel's record browser, offscreen: the record model under QAbstractItemModelTester,
// paging and every filter on a generated project checked against counts computed here from the
// records themselves, search with and without diacritics (generated and real samples), the
// record editor (add, delete, move, retype, undo, save with normalization, reload), labels
// through the keyboard, bulk actions (tag, delete with the confirmation accepted or declined, move,
// checks, duplicates), the import dialog (preview, detected format, a new dataset, a bad line
// named) and the export dialog (datasets or the current filter, counts, records a format cannot
// hold), and the README screenshot (saved when VIETLLM_DATA_SCREENSHOT_PATH is set).

#include "backend/common/errors.h"
#include "backend/data/formats.h"
#include "backend/store/annotations.h"
#include "backend/store/import_session.h"
#include "backend/store/project_store.h"
#include "backend/store/record_browser.h"
#include "backend/store/transfer.h"
#include "backend/text/normalize.h"
#include "tests/common/test_support.h"
#include "widgets/annotation_panel.h"
#include "widgets/app_settings.h"
#include "widgets/bulk_action_dialog.h"
#include "widgets/data_panel.h"
#include "widgets/error_reporter.h"
#include "widgets/export_dialog.h"
#include "widgets/import_dialog.h"
#include "widgets/language.h"
#include "widgets/main_window.h"
#include "widgets/models/dataset_table_model.h"
#include "widgets/models/record_preview_model.h"
#include "widgets/models/record_table_model.h"
#include "widgets/models/turn_list_model.h"
#include "widgets/record_editor.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>
#include <QUndoStack>
#include <QtTest>
#include <functional>
#include <map>
#include <memory>
#include <set>

using vietllm::store::OpenMode;
using vietllm::store::ProjectStore;
using vietllm::store::RecordFilter;
using vietllm::store::RecordKind;
using vietllm::widgets::AnnotationPanel;
using vietllm::widgets::DataPanel;
using vietllm::widgets::RecordTableModel;

namespace {

constexpr int kGeneratedRecords = 1500;

// Record i of the generated dataset: 70% conversations, 20% preference pairs, 10% trees (half in
// Vietnamese, half in English); sources src_b (every third) and src_a; a quarter speak of
// "hòa bình", the rest of "đồng bằng"; lengths spread by padding.
vietllm::data::Record generatedRecord(int i) {
    using namespace vietllm::data;
    Provenance provenance;
    provenance.source = i % 3 == 0 ? "src_b" : "src_a";
    provenance.original_id = "gen:" + std::to_string(i);
    const std::string topic = i % 4 == 0 ? "hòa bình" : "đồng bằng";
    const std::string prompt = "Câu hỏi " + std::to_string(i) + " về " + topic;
    const std::string reply =
        "Trả lời " + std::to_string(i) + " " + std::string(static_cast<std::size_t>(i % 50) * 10, 'x');
    if (i % 10 == 7 || i % 10 == 8) {
        PreferencePair pair;
        pair.prompt = {{Role::User, prompt}};
        pair.chosen = reply;
        pair.rejected = "Không biết";
        pair.provenance = provenance;
        return pair;
    }
    if (i % 10 == 9) {
        ConversationTree tree;
        tree.tree_id = "t" + std::to_string(i);
        const std::string lang = i % 20 == 9 ? "vi" : "en";
        tree.root = {"p" + std::to_string(i),  Role::User, prompt, std::nullopt, lang,
                     nlohmann::json::object(), {}};
        tree.root.replies.push_back(
            {"a" + std::to_string(i), Role::Assistant, reply, 0, lang, nlohmann::json::object(), {}});
        tree.root.replies.push_back(
            {"b" + std::to_string(i), Role::Assistant, "Không biết", 1, lang, nlohmann::json::object(), {}});
        tree.provenance = provenance;
        return tree;
    }
    Conversation conversation;
    conversation.messages = {{Role::User, prompt}, {Role::Assistant, reply}};
    conversation.provenance = provenance;
    return conversation;
}

// Facts about one stored record, computed here without SQL: the oracle for the filters.
struct RecordFacts {
    qint64 id = 0;
    qint64 dataset_id = 0;
    RecordKind kind = RecordKind::Invalid;
    std::string source;
    std::set<std::string> languages;
    qint64 length = 0;
    std::string text;  ///< every message, joined
};

qint64 codePoints(const std::string& text) {
    return QString::fromStdString(text).toUcs4().size();
}

std::vector<RecordFacts> allFacts(const ProjectStore& store) {
    std::vector<RecordFacts> facts;
    for (const auto& dataset : store.datasets()) {
        store.forEachRecord(dataset.id, [&](vietllm::store::StoredRecord&& stored) {
            RecordFacts fact;
            fact.id = stored.id;
            fact.dataset_id = stored.dataset_id;
            fact.kind = vietllm::store::kindOf(stored.record);
            const auto add = [&fact](const std::string& text, const std::string& lang) {
                fact.length += codePoints(text);
                fact.text += text + "\n";
                if (!lang.empty()) {
                    fact.languages.insert(lang);
                }
            };
            if (const auto* conversation = std::get_if<vietllm::data::Conversation>(&stored.record)) {
                fact.source = conversation->provenance.source;
                for (const auto& message : conversation->messages) {
                    add(message.content, "");
                }
            } else if (const auto* pair = std::get_if<vietllm::data::PreferencePair>(&stored.record)) {
                fact.source = pair->provenance.source;
                for (const auto& message : pair->prompt) {
                    add(message.content, "");
                }
                add(pair->chosen, "");
                add(pair->rejected, "");
            } else if (const auto* tree = std::get_if<vietllm::data::ConversationTree>(&stored.record)) {
                fact.source = tree->provenance.source;
                std::function<void(const vietllm::data::TreeNode&)> visit =
                    [&](const vietllm::data::TreeNode& node) {
                        add(node.content, node.lang);
                        for (const auto& reply : node.replies) {
                            visit(reply);
                        }
                    };
                visit(tree->root);
            }
            facts.push_back(std::move(fact));
        });
    }
    return facts;
}

int countFacts(const std::vector<RecordFacts>& facts, const std::function<bool(const RecordFacts&)>& keep) {
    return static_cast<int>(std::count_if(facts.begin(), facts.end(), keep));
}

// Loads every page of the model (what scrolling to the end does).
void fetchAll(RecordTableModel& model) {
    while (model.canFetchMore(QModelIndex())) {
        model.fetchMore(QModelIndex());
    }
}

QList<qint64> shownIds(const QAbstractItemModel& model) {
    QList<qint64> ids;
    for (int row = 0; row < model.rowCount(); ++row) {
        ids.append(model.index(row, 0).data(RecordTableModel::kRecordIdRole).toLongLong());
    }
    return ids;
}

// Answers the next message box that opens with `button`, remembering its text in `*text`.
void answerNextMessageBox(QMessageBox::StandardButton button, QString* text) {
    auto* poll = new QTimer(QApplication::instance());
    poll->setInterval(10);
    QObject::connect(poll, &QTimer::timeout, poll, [poll, button, text] {
        for (QWidget* widget : QApplication::topLevelWidgets()) {
            auto* box = qobject_cast<QMessageBox*>(widget);
            if (box != nullptr && box->isVisible()) {
                *text = box->text();
                poll->deleteLater();
                box->button(button)->click();
                return;
            }
        }
    });
    poll->start();
}

// Selects the first `count` rows of the record table.
void selectFirstRows(QTableView& view, int count) {
    view.clearSelection();
    const QAbstractItemModel& model = *view.model();
    for (int row = 0; row < count; ++row) {
        view.selectionModel()->select(model.index(row, 0),
                                      QItemSelectionModel::Select | QItemSelectionModel::Rows);
    }
}

// The dataset table's record count of `name`; -1 when there is no such dataset.
qint64 datasetRecords(const vietllm::widgets::DatasetTableModel& model, const QString& name) {
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.index(row, vietllm::widgets::DatasetTableModel::kNameColumn).data().toString() == name) {
            return model.index(row, vietllm::widgets::DatasetTableModel::kRecordsColumn)
                .data(vietllm::widgets::DatasetTableModel::kSortRole)
                .toLongLong();
        }
    }
    return -1;
}

class RecordingErrorReporter : public vietllm::widgets::ErrorReporter {
public:
    void showError(QWidget* /*parent*/, const QString& /*title*/, const QString& message) override {
        messages.append(message);
    }
    QStringList messages;
};

}  // namespace

class TestDataPanel : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void modelPassesTheTester();
    void pagesArriveOnDemand();
    void filtersMatchTheRecords();
    void rareFiltersScanInWindows();
    void badFiltersAreReportedNotThrown();
    void searchWithAndWithoutDiacritics();
    void searchRealSamples();
    void editUndoSaveReload();
    void previewsAreReadOnly();
    void normalizeKeepsLinesAndCode();
    void labelsByKeyboard();
    void labelsAreKeptPerAnnotator();
    void keyboardSearchFlow();
    void bulkTagDeleteAndMove();
    void bulkChecksAndDuplicatesOnTheFilter();
    void bulkDialogReturnsTheChoices();
    void importDialogCreatesDataset();
    void importDialogNamesBadLine();
    void exportDialogWritesDatasetsAndFilter();
    void screenshot();

private:
    /// A project with the generated dataset (and a second, small one).
    void openGenerated();
    /// Runs a bulk action, answering its confirmation with `answer`; returns the panel's summary.
    QString runBulk(const vietllm::widgets::BulkRequest& request, QMessageBox::StandardButton answer,
                    QString* question = nullptr);
    /// Shows only the small dataset, every record loaded.
    void filterSmallDataset();
    DataPanel& panel() { return *m_panel; }

    QString m_project_path;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ProjectStore> m_store;
    std::unique_ptr<DataPanel> m_panel;
    qint64 m_main_dataset = 0;
    qint64 m_small_dataset = 0;
};

void TestDataPanel::initTestCase() {
    QVERIFY(QTemporaryDir().isValid());
}

void TestDataPanel::init() {
    m_dir = std::make_unique<QTemporaryDir>();
    m_panel = std::make_unique<DataPanel>();
    new QAbstractItemModelTester(m_panel->recordModel(),
                                 QAbstractItemModelTester::FailureReportingMode::QtTest, m_panel.get());
    new QAbstractItemModelTester(m_panel->recordEditor()->turnModel(),
                                 QAbstractItemModelTester::FailureReportingMode::QtTest, m_panel.get());
    m_panel->resize(1400, 900);
    m_panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
    // Shortcuts fire only in the active window.
    QApplication::setActiveWindow(m_panel.get());
    QVERIFY(QTest::qWaitForWindowActive(m_panel.get()));
}

void TestDataPanel::cleanup() {
    m_panel.reset();
    m_store.reset();
    m_dir.reset();
}

void TestDataPanel::openGenerated() {
    m_project_path = m_dir->filePath(QStringLiteral("generated.vietllm"));
    auto created = ProjectStore::create(QFile::encodeName(m_project_path).toStdString(), false);
    {
        vietllm::store::ImportSession session(created, {"generated", "generated", "test", false});
        for (int i = 0; i < kGeneratedRecords; ++i) {
            session.add(generatedRecord(i), static_cast<std::size_t>(i) + 1);
        }
        m_main_dataset = session.commit().dataset_id;
    }
    {
        vietllm::store::ImportSession session(created, {"small", "small", "test", false});
        for (int i = 0; i < 30; ++i) {
            session.add(generatedRecord(i), static_cast<std::size_t>(i) + 1);
        }
        m_small_dataset = session.commit().dataset_id;
    }
    m_store = std::make_unique<ProjectStore>(std::move(created));
    m_panel->setProject(m_store.get());
}

void TestDataPanel::modelPassesTheTester() {
    openGenerated();
    // The tester asks for more rows after every change, so the whole project arrives.
    RecordTableModel& model = *m_panel->recordModel();
    fetchAll(model);
    QCOMPARE(model.rowCount(), kGeneratedRecords + 30);
    RecordFilter trees;
    trees.kind = RecordKind::Tree;
    model.setFilter(trees);
    fetchAll(model);
    QCOMPARE(model.rowCount(), (kGeneratedRecords + 30) / 10);
    m_panel->setProject(nullptr);
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.canFetchMore(QModelIndex()));
}

void TestDataPanel::pagesArriveOnDemand() {
    openGenerated();
    // A model of its own, without a tester, in a view: pages come only when asked for.
    RecordTableModel model;
    QTableView view;
    view.setModel(&model);
    view.resize(600, 300);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    model.setProject(m_store.get());
    QCOMPARE(model.rowCount(), RecordTableModel::kPageSize);
    QVERIFY(model.canFetchMore(QModelIndex()));
    QVERIFY(!model.scanFinished());
    QTest::qWait(50);
    QCOMPARE(model.rowCount(), RecordTableModel::kPageSize);
    // Scrolling the view to its end asks for the next page.
    view.scrollToBottom();
    QTRY_VERIFY(model.rowCount() > RecordTableModel::kPageSize);
    fetchAll(model);
    const QList<qint64> ids = shownIds(model);
    QCOMPARE(ids.size(), kGeneratedRecords + 30);
    QVERIFY(std::is_sorted(ids.begin(), ids.end()));
    QCOMPARE(QSet<qint64>(ids.begin(), ids.end()).size(), ids.size());
    QVERIFY(model.scanFinished());
    QVERIFY(!model.canFetchMore(QModelIndex()));
    // Columns of a known record: generated record 7 is a preference pair.
    const int row = model.rowOf(ids[7]);
    QCOMPARE(model.index(row, RecordTableModel::kKindColumn).data().toString(),
             QStringLiteral("preference pair"));
    QCOMPARE(model.index(row, RecordTableModel::kDatasetColumn).data().toString(),
             QStringLiteral("generated"));
    QCOMPARE(model.index(row, RecordTableModel::kTurnsColumn).data().toString(), QStringLiteral("3"));
    QCOMPARE(model.index(row, RecordTableModel::kPreviewColumn).data().toString(),
             QStringLiteral("Câu hỏi 7 về đồng bằng"));
    // The panel's count says when it is final.
    fetchAll(*m_panel->recordModel());
    QCOMPARE(m_panel->matchCountLabel()->text(),
             QStringLiteral("%1 record(s)").arg(QLocale().toString(kGeneratedRecords + 30)));
    model.setProject(nullptr);
}

void TestDataPanel::filtersMatchTheRecords() {
    openGenerated();
    vietllm::store::Annotations annotations(*m_store);
    const qint64 annotator = annotations.addAnnotator("checker", vietllm::store::AnnotatorKind::Human);
    const std::vector<RecordFacts> facts = allFacts(*m_store);
    QCOMPARE(static_cast<int>(facts.size()), kGeneratedRecords + 30);
    std::set<qint64> spam;
    for (std::size_t i = 5; i < facts.size(); i += 37) {
        annotations.setLabel({facts[i].id, std::nullopt, annotator, "spam", 1.0, ""});
        spam.insert(facts[i].id);
    }
    RecordTableModel& model = *m_panel->recordModel();
    const auto check = [&](const RecordFilter& filter, const std::function<bool(const RecordFacts&)>& keep,
                           int expected_at_least) {
        model.setFilter(filter);
        fetchAll(model);
        const int expected = countFacts(facts, keep);
        QVERIFY2(expected >= expected_at_least, qPrintable(QString::number(expected)));
        QCOMPARE(model.rowCount(), expected);
        for (const qint64 id : shownIds(model)) {
            const auto fact =
                std::find_if(facts.begin(), facts.end(), [id](const RecordFacts& f) { return f.id == id; });
            QVERIFY(fact != facts.end() && keep(*fact));
        }
    };
    RecordFilter filter;
    filter.dataset_id = m_small_dataset;
    check(
        filter, [&](const RecordFacts& f) { return f.dataset_id == m_small_dataset; }, 30);
    filter = {};
    filter.kind = RecordKind::Preference;
    check(
        filter, [](const RecordFacts& f) { return f.kind == RecordKind::Preference; }, 300);
    filter = {};
    filter.source = "src_b";
    check(
        filter, [](const RecordFacts& f) { return f.source == "src_b"; }, 500);
    filter = {};
    filter.language = "vi";
    check(
        filter, [](const RecordFacts& f) { return f.languages.count("vi") > 0; }, 70);
    filter = {};
    filter.min_length = 200;
    filter.max_length = 320;
    check(
        filter, [](const RecordFacts& f) { return f.length >= 200 && f.length <= 320; }, 100);
    filter = {};
    filter.label = "spam";
    check(
        filter, [&](const RecordFacts& f) { return spam.count(f.id) > 0; }, 40);
    filter.annotator_id = annotator + 1;
    check(
        filter, [](const RecordFacts&) { return false; }, 0);
    // Several filters at once combine with AND.
    filter = {};
    filter.dataset_id = m_main_dataset;
    filter.kind = RecordKind::Conversation;
    filter.source = "src_a";
    filter.search = "\"hòa bình\"";
    check(
        filter,
        [&](const RecordFacts& f) {
            return f.dataset_id == m_main_dataset && f.kind == RecordKind::Conversation &&
                   f.source == "src_a" && f.text.find("hòa bình") != std::string::npos;
        },
        100);
    // The filter boxes drive the same filters.
    m_panel->kindFilterBox()->setCurrentIndex(
        m_panel->kindFilterBox()->findData(static_cast<int>(RecordKind::Tree)));
    fetchAll(model);
    QCOMPARE(model.rowCount(),
             countFacts(facts, [](const RecordFacts& f) { return f.kind == RecordKind::Tree; }));
    m_panel->minLengthBox()->setValue(300);
    m_panel->applyFilter();
    fetchAll(model);
    QCOMPARE(model.rowCount(), countFacts(facts, [](const RecordFacts& f) {
                 return f.kind == RecordKind::Tree && f.length >= 300;
             }));
}

void TestDataPanel::rareFiltersScanInWindows() {
    openGenerated();
    RecordTableModel& model = *m_panel->recordModel();
    RecordFilter filter;
    filter.min_length = 480;
    model.setFilter(filter);
    QTRY_VERIFY(model.scanFinished());
    const std::vector<RecordFacts> facts = allFacts(*m_store);
    QCOMPARE(model.rowCount(), countFacts(facts, [](const RecordFacts& f) { return f.length >= 480; }));
    QVERIFY(model.rowCount() > 0);
    // The scan itself: small windows return few or no ids, never repeats, and end.
    vietllm::store::RecordScan scan(*m_store, filter, 8);
    std::vector<std::int64_t> ids;
    int calls = 0;
    while (!scan.finished()) {
        const auto found = scan.next(1000);
        ids.insert(ids.end(), found.begin(), found.end());
        ++calls;
    }
    QCOMPARE(static_cast<int>(ids.size()), model.rowCount());
    QVERIFY(calls > 1);
}

void TestDataPanel::badFiltersAreReportedNotThrown() {
    openGenerated();
    RecordFilter reversed;
    reversed.min_length = 10;
    reversed.max_length = 5;
    QVERIFY_THROWS_EXCEPTION(vietllm::UserError, m_panel->recordModel()->setFilter(reversed));
    m_panel->searchEdit()->setText(QStringLiteral("\"  \""));
    m_panel->applyFilter();
    QVERIFY(!m_panel->matchCountLabel()->text().isEmpty());
    QVERIFY(m_panel->matchCountLabel()->styleSheet().contains(QStringLiteral("color")));
    // The table falls back to every record rather than a stale result.
    fetchAll(*m_panel->recordModel());
    QCOMPARE(m_panel->recordModel()->rowCount(), kGeneratedRecords + 30);
    m_panel->searchEdit()->clear();
    m_panel->applyFilter();
    QVERIFY(!m_panel->matchCountLabel()->styleSheet().contains(QStringLiteral("color")));
}

void TestDataPanel::searchWithAndWithoutDiacritics() {
    openGenerated();
    const std::vector<RecordFacts> facts = allFacts(*m_store);
    const int peace =
        countFacts(facts, [](const RecordFacts& f) { return f.text.find("hòa bình") != std::string::npos; });
    const int delta =
        countFacts(facts, [](const RecordFacts& f) { return f.text.find("đồng bằng") != std::string::npos; });
    QVERIFY(peace > 300 && delta > 1000);
    RecordTableModel& model = *m_panel->recordModel();
    const auto search = [&](const QString& text, bool ignore) {
        m_panel->ignoreDiacriticsBox()->setChecked(ignore);
        m_panel->searchEdit()->setText(text);
        m_panel->applyFilter();
        fetchAll(model);
        return model.rowCount();
    };
    QCOMPARE(search(QStringLiteral("\"hòa bình\""), false), peace);
    // Exact search tells tones apart: "hóa" is not "hòa".
    QCOMPARE(search(QStringLiteral("\"hóa bình\""), false), 0);
    QCOMPARE(search(QStringLiteral("\"hoa binh\""), false), 0);
    QCOMPARE(search(QStringLiteral("\"hoa binh\""), true), peace);
    QCOMPARE(search(QStringLiteral("dong bang"), true), delta);
    QCOMPARE(search(QStringLiteral("đồng"), false), delta);
    // Prefixes.
    QCOMPARE(search(QStringLiteral("bìn*"), false), peace);
    // The first rows of a search are the records of the first matching messages, once each.
    search(QStringLiteral("Câu"), false);
    QCOMPARE(model.rowCount(), kGeneratedRecords + 30);
    const QList<qint64> ids = shownIds(model);
    QCOMPARE(QSet<qint64>(ids.begin(), ids.end()).size(), ids.size());
}

void TestDataPanel::searchRealSamples() {
    VIETLLM_REQUIRE_SAMPLE(sample, "instruct/vi_alpaca_gpt4vn_sample1000.jsonl");
    m_project_path = m_dir->filePath(QStringLiteral("real.vietllm"));
    auto created = ProjectStore::create(QFile::encodeName(m_project_path).toStdString(), false);
    vietllm::store::FileImportRequest request;
    request.input_path = QFile::encodeName(sample).toStdString();
    request.format = vietllm::data::Format::PromptResponse;
    request.skip_bad = true;
    QVERIFY(vietllm::store::importFile(created, request).records > 900);
    m_store = std::make_unique<ProjectStore>(std::move(created));
    m_panel->setProject(m_store.get());
    const std::vector<RecordFacts> facts = allFacts(*m_store);
    // Oracle: the plain form of the text (no diacritics, lower case) contains the plain words.
    const auto plainContains = [](const RecordFacts& f, const std::string& words) {
        return QString::fromStdString(vietllm::text::stripDiacritics(f.text))
            .toLower()
            .contains(QString::fromStdString(words));
    };
    const int exact = countFacts(facts, [](const RecordFacts& f) {
        return QString::fromStdString(f.text).toLower().contains(QStringLiteral("sử dụng"));
    });
    const int plain = countFacts(facts, [&](const RecordFacts& f) { return plainContains(f, "su dung"); });
    QVERIFY2(exact > 20 && plain >= exact, qPrintable(QStringLiteral("%1 %2").arg(exact).arg(plain)));
    RecordTableModel& model = *m_panel->recordModel();
    m_panel->searchEdit()->setText(QStringLiteral("\"sử dụng\""));
    m_panel->applyFilter();
    fetchAll(model);
    // Word matching may differ from substring matching at word edges ("sử dụngx"): allow that.
    QVERIFY2(model.rowCount() <= exact && model.rowCount() >= exact * 9 / 10,
             qPrintable(QString::number(model.rowCount())));
    m_panel->ignoreDiacriticsBox()->setChecked(true);
    m_panel->searchEdit()->setText(QStringLiteral("\"su dung\""));
    m_panel->applyFilter();
    fetchAll(model);
    QVERIFY2(model.rowCount() <= plain && model.rowCount() >= plain * 9 / 10 && model.rowCount() >= exact,
             qPrintable(QString::number(model.rowCount())));
}

void TestDataPanel::editUndoSaveReload() {
    openGenerated();
    RecordTableModel& model = *m_panel->recordModel();
    m_panel->recordView()->selectRow(0);  // generated record 0: a conversation
    vietllm::widgets::RecordEditor& editor = *m_panel->recordEditor();
    const qint64 record_id = model.index(0, 0).data(RecordTableModel::kRecordIdRole).toLongLong();
    QCOMPARE(editor.recordId(), record_id);
    QVERIFY(editor.isEditable());
    auto& turns = *editor.turnModel();
    QCOMPARE(turns.rowCount(), 2);
    QVERIFY(!editor.hasUnsavedChanges());

    // Add a user turn after the reply and type into it: the new turn takes the other role.
    editor.turnView()->selectRow(1);
    editor.addTurn();
    QCOMPARE(turns.rowCount(), 3);
    QCOMPARE(turns.turns()[2].role, vietllm::data::Role::User);
    // QTest types Latin-1 only; the rest arrives as an input method would insert it.
    QTest::keyClicks(editor.textEdit(), QStringLiteral("Ho"));
    editor.textEdit()->insertPlainText(QStringLiteral("à  bình và thuỷ lợi"));
    QCOMPARE(turns.turns()[2].text, QStringLiteral("Hoà  bình và thuỷ lợi"));
    // Typing in one turn is one undo step.
    const int steps_after_typing = editor.undoStack()->count();
    QCOMPARE(steps_after_typing, 2);
    // Move it up, then delete the first turn; undo both, redo one.
    editor.moveTurn(-1);
    QCOMPARE(turns.turns()[1].text, QStringLiteral("Hoà  bình và thuỷ lợi"));
    editor.turnView()->selectRow(0);
    editor.deleteTurn();
    QCOMPARE(turns.rowCount(), 2);
    QCOMPARE(turns.turns()[0].text, QStringLiteral("Hoà  bình và thuỷ lợi"));
    editor.undoStack()->undo();
    QCOMPARE(turns.rowCount(), 3);
    QCOMPARE(turns.turns()[0].text, QStringLiteral("Câu hỏi 0 về hòa bình"));
    editor.undoStack()->undo();
    QCOMPARE(turns.turns()[2].text, QStringLiteral("Hoà  bình và thuỷ lợi"));
    editor.undoStack()->redo();
    QCOMPARE(turns.turns()[1].text, QStringLiteral("Hoà  bình và thuỷ lợi"));
    // The role box changes the role, undoably.
    QComboBox* role = editor.roleBox();
    role->setCurrentIndex(role->findData(static_cast<int>(vietllm::data::Role::System)));
    emit role->activated(role->currentIndex());
    QCOMPARE(turns.turns()[1].role, vietllm::data::Role::System);
    editor.undoStack()->undo();
    QCOMPARE(turns.turns()[1].role, vietllm::data::Role::User);
    QVERIFY(editor.hasUnsavedChanges());

    // Save (Ctrl+S): normalized, in the store, and the table row follows.
    editor.textEdit()->setFocus();
    QTest::keyClick(editor.textEdit(), Qt::Key_S, Qt::ControlModifier);
    QVERIFY2(!editor.hasUnsavedChanges(), qPrintable(editor.messageLabel()->text()));
    QCOMPARE(model.index(0, RecordTableModel::kTurnsColumn).data().toString(), QStringLiteral("3"));
    const ProjectStore reopened =
        ProjectStore::open(QFile::encodeName(m_project_path).toStdString(), OpenMode::ReadOnly);
    const auto stored = reopened.record(record_id);
    const auto& conversation = std::get<vietllm::data::Conversation>(stored.record);
    QCOMPARE(conversation.messages.size(), std::size_t{3});
    QCOMPARE(QString::fromStdString(conversation.messages[1].content),
             QStringLiteral("Hòa bình và thủy lợi"));
    QCOMPARE(conversation.messages[1].role, vietllm::data::Role::User);
    QCOMPARE(conversation.provenance.transformations.back(), std::string("edit"));
    // The search index follows the edit.
    RecordFilter filter;
    filter.search = "thủy";
    vietllm::store::RecordScan scan(reopened, filter);
    QCOMPARE(scan.next(10), std::vector<std::int64_t>{record_id});
    // Reloading the panel shows the saved turns.
    m_panel->setProject(m_store.get());
    m_panel->recordView()->selectRow(0);
    QCOMPARE(editor.turnModel()->rowCount(), 3);
    QCOMPARE(editor.turnModel()->turns()[1].text, QStringLiteral("Hòa bình và thủy lợi"));

    // An empty turn is refused with a message, and nothing changes in the store.
    editor.addTurn();
    QVERIFY(!editor.save());
    QVERIFY(editor.messageLabel()->text().contains(QStringLiteral("no text")));
    QCOMPARE(reopened.record(record_id).record.index(), stored.record.index());
    QCOMPARE(std::get<vietllm::data::Conversation>(reopened.record(record_id).record).messages.size(),
             std::size_t{3});
}

void TestDataPanel::previewsAreReadOnly() {
    openGenerated();
    RecordTableModel& model = *m_panel->recordModel();
    m_panel->recordView()->selectRow(9);  // generated record 9: a tree
    vietllm::widgets::RecordEditor& editor = *m_panel->recordEditor();
    QCOMPARE(model.index(9, RecordTableModel::kKindColumn).data().toString(),
             QStringLiteral("conversation tree"));
    QVERIFY(!editor.isEditable());
    QCOMPARE(editor.turnModel()->rowCount(), 3);
    QVERIFY(editor.textEdit()->isReadOnly());
    editor.addTurn();
    QCOMPARE(editor.turnModel()->rowCount(), 3);
    QVERIFY_THROWS_EXCEPTION(
        vietllm::UserError,
        vietllm::store::replaceConversationMessages(
            *m_store, model.index(9, 0).data(RecordTableModel::kRecordIdRole).toLongLong(),
            {{vietllm::data::Role::User, "x"}}));
}

void TestDataPanel::normalizeKeepsLinesAndCode() {
    using vietllm::store::normalizeMessageText;
    QCOMPARE(normalizeMessageText("\n  Hoà  bình\u200b\n\n- thuỷ   lợi  \n"),
             std::string("  Hòa bình\n\n- thủy lợi"));
    const std::string code = "Ví dụ:\n```python\nif x:\n    print(\"hoà   bình\")\n```\nXong  rồi";
    QCOMPARE(normalizeMessageText(code),
             std::string("Ví dụ:\n```python\nif x:\n    print(\"hoà   bình\")\n```\nXong rồi"));
    QCOMPARE(normalizeMessageText(normalizeMessageText(code)), normalizeMessageText(code));
}

void TestDataPanel::labelsByKeyboard() {
    openGenerated();
    AnnotationPanel& labels = *m_panel->annotationPanel();
    labels.setAnnotatorName(QStringLiteral("lan"));
    QTableView* view = m_panel->recordView();
    view->setFocus();
    QTRY_VERIFY(view->hasFocus());
    view->selectRow(0);
    QTest::keyClick(view, Qt::Key_Down);  // the second record
    const qint64 record_id = m_panel->recordEditor()->recordId();
    QCOMPARE(record_id,
             m_panel->recordModel()->index(1, 0).data(RecordTableModel::kRecordIdRole).toLongLong());
    QTest::keyClick(view, Qt::Key_4);
    QTest::keyClick(view, Qt::Key_2, Qt::AltModifier);
    QTest::keyClick(view, Qt::Key_S);
    QTest::keyClick(view, Qt::Key_P);
    QTest::keyClick(view, Qt::Key_P);  // toggles PII off again
    QTest::keyClick(view, Qt::Key_N);
    QTRY_VERIFY(labels.noteEdit()->hasFocus());
    QTest::keyClicks(labels.noteEdit(), QStringLiteral("d"));
    labels.noteEdit()->insert(QStringLiteral("ịch máy"));
    QTest::keyClick(labels.noteEdit(), Qt::Key_Escape);
    QTRY_VERIFY(view->hasFocus());

    vietllm::store::Annotations annotations(*m_store);
    const auto annotator = annotations.findAnnotator("lan");
    QVERIFY(annotator.has_value());
    std::map<std::string, vietllm::store::LabelValue> by_name;
    for (const auto& label : annotations.labels(record_id)) {
        QCOMPARE(label.annotator_id, *annotator);
        by_name[label.name] = label;
    }
    QCOMPARE(by_name.size(), std::size_t{4});
    QCOMPARE(by_name["quality"].value.value_or(0), 4.0);
    QCOMPARE(by_name["helpfulness"].value.value_or(0), 2.0);
    QCOMPARE(by_name["spam"].value.value_or(0), 1.0);
    QCOMPARE(QString::fromStdString(by_name["note"].text), QStringLiteral("dịch máy"));
    QCOMPARE(m_panel->recordModel()->index(1, RecordTableModel::kLabelsColumn).data().toString(),
             QStringLiteral("helpfulness, note, quality, spam"));
    // 0 clears the quality; the label filter now offers "spam".
    QTest::keyClick(view, Qt::Key_0);
    QCOMPARE(annotations.labels(record_id).size(), std::size_t{3});
    QVERIFY(m_panel->labelFilterBox()->findData(QStringLiteral("spam")) > 0);
    // Down to the next record: its labels are empty, the keys label it, not the previous one.
    QTest::keyClick(view, Qt::Key_Down);
    QVERIFY(m_panel->recordEditor()->recordId() != record_id);
    QTest::keyClick(view, Qt::Key_5);
    QCOMPARE(annotations.labels(m_panel->recordEditor()->recordId()).size(), std::size_t{1});
    QCOMPARE(annotations.labels(record_id).size(), std::size_t{3});
}

void TestDataPanel::labelsAreKeptPerAnnotator() {
    openGenerated();
    AnnotationPanel& labels = *m_panel->annotationPanel();
    m_panel->recordView()->selectRow(0);
    const qint64 record_id = m_panel->recordEditor()->recordId();
    labels.setAnnotatorName(QStringLiteral("an"));
    labels.setLikert(AnnotationPanel::kQuality, 5);
    labels.setAnnotatorName(QStringLiteral("binh"));
    labels.setLikert(AnnotationPanel::kQuality, 1);
    labels.toggleFlag(1);
    vietllm::store::Annotations annotations(*m_store);
    const auto values = annotations.labels(record_id);
    QCOMPARE(values.size(), std::size_t{3});
    const qint64 an = *annotations.findAnnotator("an");
    const qint64 binh = *annotations.findAnnotator("binh");
    QCOMPARE(std::count_if(values.begin(), values.end(), [&](const auto& l) { return l.annotator_id == an; }),
             1);
    QCOMPARE(
        std::count_if(values.begin(), values.end(),
                      [&](const auto& l) { return l.annotator_id == binh && l.name == "not_vietnamese"; }),
        1);
    // Switching back shows the first annotator's own labels.
    labels.setAnnotatorName(QStringLiteral("an"));
    QCOMPARE(labels.findChild<QSpinBox*>()->value(), 5);
    // A read-only project refuses labels with a message, without throwing.
    m_panel->setProject(nullptr);
    auto read_only = std::make_unique<ProjectStore>(
        ProjectStore::open(QFile::encodeName(m_project_path).toStdString(), OpenMode::ReadOnly));
    m_panel->setProject(read_only.get());
    m_panel->recordView()->selectRow(0);
    labels.setLikert(AnnotationPanel::kQuality, 3);
    QVERIFY(!labels.messageLabel()->text().isEmpty());
    QVERIFY(!m_panel->recordEditor()->isEditable());
    m_panel->setProject(nullptr);
}

void TestDataPanel::keyboardSearchFlow() {
    openGenerated();
    m_panel->recordView()->setFocus();
    QTest::keyClick(m_panel->recordView(), Qt::Key_F, Qt::ControlModifier);
    QTRY_VERIFY(m_panel->searchEdit()->hasFocus());
    m_panel->ignoreDiacriticsBox()->setChecked(true);
    QTest::keyClicks(m_panel->searchEdit(), QStringLiteral("\"hoa binh\""));
    QTest::keyClick(m_panel->searchEdit(), Qt::Key_Return);
    QTRY_VERIFY(m_panel->recordView()->hasFocus());
    const qint64 first =
        m_panel->recordModel()->index(0, 0).data(RecordTableModel::kRecordIdRole).toLongLong();
    QCOMPARE(m_panel->recordEditor()->recordId(), first);
    QVERIFY(m_panel->recordEditor()->turnModel()->turns()[0].text.contains(QStringLiteral("hòa bình")));
    // Alt+Insert adds a turn in the editor; Ctrl+Z takes it back.
    m_panel->recordEditor()->turnView()->setFocus();
    QTest::keyClick(m_panel->recordEditor()->turnView(), Qt::Key_Insert, Qt::AltModifier);
    QCOMPARE(m_panel->recordEditor()->turnModel()->rowCount(), 3);
    QTest::keyClick(m_panel->recordEditor()->textEdit(), Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(m_panel->recordEditor()->turnModel()->rowCount(), 2);
    // Typing pauses apply the search without Enter.
    m_panel->searchEdit()->setFocus();
    m_panel->searchEdit()->selectAll();
    QTest::keyClicks(m_panel->searchEdit(), QStringLiteral("zzzzqqq"));
    QTRY_COMPARE(m_panel->recordModel()->rowCount(), 0);
    QTRY_VERIFY(m_panel->recordModel()->scanFinished());
}

QString TestDataPanel::runBulk(const vietllm::widgets::BulkRequest& request,
                               QMessageBox::StandardButton answer, QString* question) {
    QString asked;
    QSignalSpy finished(m_panel.get(), &DataPanel::bulkFinished);
    answerNextMessageBox(answer, &asked);
    m_panel->runBulkAction(request);
    if (finished.isEmpty() && !finished.wait(20000)) {
        return QStringLiteral("(no bulkFinished signal)");
    }
    if (question != nullptr) {
        *question = asked;
    }
    return finished.takeFirst().at(0).toString();
}

void TestDataPanel::filterSmallDataset() {
    m_panel->datasetFilterBox()->setCurrentIndex(m_panel->datasetFilterBox()->findData(m_small_dataset));
    fetchAll(*m_panel->recordModel());
    QCOMPARE(m_panel->recordModel()->rowCount(), 30);
}

void TestDataPanel::bulkTagDeleteAndMove() {
    using vietllm::widgets::BulkActionKind;
    using vietllm::widgets::BulkRequest;
    using vietllm::widgets::BulkScope;
    openGenerated();
    filterSmallDataset();
    selectFirstRows(*m_panel->recordView(), 3);
    const QList<qint64> ids = shownIds(*m_panel->recordModel()).mid(0, 3);

    BulkRequest tag;
    tag.kind = BulkActionKind::AddTag;
    tag.scope = BulkScope::Selected;
    tag.tag = QStringLiteral("review");
    m_panel->annotationPanel()->setAnnotatorName(QStringLiteral("lan"));
    QString question;
    QString summary = runBulk(tag, QMessageBox::Yes, &question);
    QVERIFY2(question.contains(QStringLiteral("3")), qPrintable(question));
    QVERIFY2(summary.contains(QStringLiteral("3")), qPrintable(summary));
    QCOMPARE(m_panel->bulkStatusLabel()->text(), summary);
    // The labels column and the label filter see the tag.
    const int row = m_panel->recordModel()->rowOf(ids[1]);
    QVERIFY(m_panel->recordModel()
                ->index(row, RecordTableModel::kLabelsColumn)
                .data()
                .toString()
                .contains(QStringLiteral("review")));
    QVERIFY(m_panel->labelFilterBox()->findData(QStringLiteral("review")) > 0);

    // Declining the confirmation changes nothing.
    selectFirstRows(*m_panel->recordView(), 2);
    BulkRequest remove;
    remove.kind = BulkActionKind::Delete;
    remove.scope = BulkScope::Selected;
    summary = runBulk(remove, QMessageBox::Cancel, &question);
    QVERIFY2(question.contains(QStringLiteral("2")), qPrintable(question));
    QCOMPARE(m_store->recordCount(m_small_dataset), std::int64_t{30});
    // Accepted: both go, in one transaction, and the tables follow.
    selectFirstRows(*m_panel->recordView(), 2);
    summary = runBulk(remove, QMessageBox::Yes);
    QVERIFY2(summary.contains(QStringLiteral("2")), qPrintable(summary));
    QCOMPARE(m_store->recordCount(m_small_dataset), std::int64_t{28});
    QCOMPARE(datasetRecords(*m_panel->datasetModel(), QStringLiteral("small")), qint64{28});
    fetchAll(*m_panel->recordModel());
    QCOMPARE(m_panel->recordModel()->rowCount(), 28);
    QCOMPARE(m_panel->recordModel()->rowOf(ids[0]), -1);

    // Move every record matching the filter (the small dataset) to a new dataset.
    BulkRequest move;
    move.kind = BulkActionKind::Transfer;
    move.scope = BulkScope::Matching;
    move.mode = vietllm::store::TransferMode::Move;
    move.dataset = QStringLiteral("moved");
    summary = runBulk(move, QMessageBox::Yes, &question);
    QVERIFY2(question.contains(QStringLiteral("28")), qPrintable(question));
    QCOMPARE(datasetRecords(*m_panel->datasetModel(), QStringLiteral("moved")), qint64{28});
    QCOMPARE(datasetRecords(*m_panel->datasetModel(), QStringLiteral("small")), qint64{0});
    QVERIFY(m_panel->datasetFilterBox()->findText(QStringLiteral("moved")) > 0);
    const qint64 moved_id = m_store->requireDataset("moved").id;
    QCOMPARE(m_store->record(ids[2]).dataset_id, moved_id);
    QCOMPARE(m_store->recordCount(m_main_dataset), std::int64_t{kGeneratedRecords});
}

void TestDataPanel::bulkChecksAndDuplicatesOnTheFilter() {
    using vietllm::widgets::BulkActionKind;
    using vietllm::widgets::BulkRequest;
    using vietllm::widgets::BulkScope;
    openGenerated();
    // The first 30 generated records are in both datasets: each record of the small dataset is an
    // exact duplicate of one of the main dataset, which comes first. The filter is every record,
    // and only the first page is loaded, so the panel counts the matches before it asks.
    m_panel->datasetFilterBox()->setCurrentIndex(0);
    m_panel->applyFilter();
    QVERIFY(!m_panel->recordModel()->scanFinished());

    BulkRequest checks;
    checks.kind = BulkActionKind::TextChecks;
    checks.scope = BulkScope::Matching;
    checks.checks.language = true;
    QString summary = runBulk(checks, QMessageBox::Yes);
    QVERIFY2(summary.contains(QStringLiteral("lang:")), qPrintable(summary));
    QVERIFY(m_panel->labelFilterBox()->findData(QStringLiteral("lang:vi")) > 0);

    BulkRequest duplicates;
    duplicates.kind = BulkActionKind::Duplicates;
    duplicates.scope = BulkScope::Matching;
    duplicates.duplicates.action = vietllm::store::DuplicateAction::Tag;
    duplicates.duplicates.near = false;
    summary = runBulk(duplicates, QMessageBox::Yes);
    QVERIFY2(summary.contains(QStringLiteral("exact")), qPrintable(summary));
    RecordFilter tagged;
    tagged.label = "duplicate";
    const std::vector<std::int64_t> found = vietllm::store::matchingRecordIds(*m_store, tagged);
    QCOMPARE(static_cast<int>(found.size()), 30);
    for (const std::int64_t id : found) {
        QCOMPARE(m_store->record(id).dataset_id, m_small_dataset);
    }
}

void TestDataPanel::bulkDialogReturnsTheChoices() {
    using vietllm::widgets::BulkActionDialog;
    using vietllm::widgets::BulkActionKind;
    BulkActionDialog none(BulkActionKind::AddTag, 0, QStringLiteral("12"), {}, {QStringLiteral("spam")});
    QCOMPARE(none.request().scope, vietllm::widgets::BulkScope::Matching);
    BulkActionDialog transfer(BulkActionKind::Transfer, 4, QStringLiteral("12"), {QStringLiteral("a")}, {});
    auto* dataset = transfer.findChild<QComboBox*>();
    QVERIFY(dataset != nullptr);
    const QList<QComboBox*> boxes = transfer.findChildren<QComboBox*>();
    QCOMPARE(boxes.size(), 2);
    boxes[1]->setCurrentText(QStringLiteral("new set"));
    boxes[0]->setCurrentIndex(1);
    const vietllm::widgets::BulkRequest request = transfer.request();
    QCOMPARE(request.scope, vietllm::widgets::BulkScope::Selected);
    QCOMPARE(request.dataset, QStringLiteral("new set"));
    QCOMPARE(request.mode, vietllm::store::TransferMode::Copy);
}

void TestDataPanel::importDialogCreatesDataset() {
    openGenerated();
    const QString input = m_dir->filePath(QStringLiteral("new_data.jsonl"));
    {
        QFile file(input);
        QVERIFY(file.open(QIODevice::WriteOnly));
        for (int i = 0; i < 25; ++i) {
            file.write(QStringLiteral("{\"prompt\": \"Câu hỏi mới %1\", \"response\": \"Trả lời %1\"}\n")
                           .arg(i)
                           .toUtf8());
        }
    }
    vietllm::widgets::ImportDialog* dialog = m_panel->showImportDialog();
    QVERIFY(dialog != nullptr);
    new QAbstractItemModelTester(dialog->previewModel(),
                                 QAbstractItemModelTester::FailureReportingMode::QtTest, dialog);
    dialog->setFiles({input});
    QCOMPARE(dialog->previewModel()->rowCount(), 20);
    QCOMPARE(dialog->previewModel()
                 ->index(3, vietllm::widgets::RecordPreviewModel::kPreviewColumn)
                 .data()
                 .toString(),
             QStringLiteral("Câu hỏi mới 3"));
    QVERIFY2(dialog->statusText().contains(QStringLiteral("prompt-response")),
             qPrintable(dialog->statusText()));
    QCOMPARE(dialog->datasetNameEdit()->text(), QStringLiteral("new_data"));
    QSignalSpy finished(dialog, &vietllm::widgets::ImportDialog::importFinished);
    dialog->startImport();
    QVERIFY(finished.wait(20000));
    QCOMPARE(finished.first().at(0).toBool(), true);
    QCOMPARE(datasetRecords(*m_panel->datasetModel(), QStringLiteral("new_data")), qint64{25});
    QVERIFY(m_panel->bulkStatusLabel()->text().contains(QStringLiteral("25")));
    QVERIFY(m_panel->datasetFilterBox()->findText(QStringLiteral("new_data")) > 0);
}

void TestDataPanel::importDialogNamesBadLine() {
    openGenerated();
    const QString input = m_dir->filePath(QStringLiteral("bad.jsonl"));
    {
        QFile file(input);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"prompt\": \"a\", \"response\": \"b\"}\n{\"prompt\": \"c\", \"response\": \"d\"}\n");
        for (int i = 0; i < 30; ++i) {
            file.write("{\"prompt\": \"e\", \"response\": \"f\"}\n");
        }
        file.write("{\"prompt\": \"broken\"\n");
    }
    vietllm::widgets::ImportDialog* dialog = m_panel->showImportDialog();
    dialog->setFiles({input});
    QCOMPARE(dialog->previewModel()->rowCount(), 20);  // the bad line comes after the preview
    QSignalSpy finished(dialog, &vietllm::widgets::ImportDialog::importFinished);
    dialog->startImport();
    QVERIFY(finished.wait(20000));
    QCOMPARE(finished.first().at(0).toBool(), false);
    const QString summary = finished.first().at(1).toString();
    QVERIFY2(summary.contains(input + QStringLiteral(":33")), qPrintable(summary));
    QVERIFY(!m_store->findDataset("bad").has_value());
    dialog->close();
}

void TestDataPanel::exportDialogWritesDatasetsAndFilter() {
    openGenerated();
    filterSmallDataset();
    vietllm::widgets::ExportDialog* dialog = m_panel->showExportDialog();
    QVERIFY(dialog != nullptr);
    QSignalSpy finished(dialog, &vietllm::widgets::ExportDialog::exportFinished);
    // The current filter, as messages, JSON Lines.
    dialog->scopeBox()->setCurrentIndex(dialog->scopeBox()->count() - 1);
    const QString filtered = m_dir->filePath(QStringLiteral("filtered.jsonl"));
    dialog->destinationEdit()->setText(filtered);
    dialog->startExport();
    QVERIFY(finished.wait(20000));
    QVERIFY2(finished.first().at(0).toBool(), qPrintable(dialog->statusText()));
    QFile file(filtered);
    QVERIFY(file.open(QIODevice::ReadOnly));
    // 30 records; each of the 3 trees among them becomes its 2 root-to-leaf conversations.
    QCOMPARE(file.readAll().trimmed().split('\n').size(), 33);
    QVERIFY2(dialog->statusText().contains(QStringLiteral("Exported 30 records as 33 messages records")),
             qPrintable(dialog->statusText()));

    // The main dataset as preference pairs in one JSON array: conversations cannot be written.
    finished.clear();
    dialog->scopeBox()->setCurrentIndex(dialog->scopeBox()->findData(m_main_dataset));
    dialog->formatBox()->setCurrentIndex(dialog->formatBox()->findText(QStringLiteral("preference")));
    dialog->layoutBox()->setCurrentIndex(1);
    const QString pairs = m_dir->filePath(QStringLiteral("pairs.json"));
    dialog->destinationEdit()->setText(pairs);
    dialog->startExport();
    QVERIFY(finished.wait(20000));
    QVERIFY(finished.first().at(0).toBool());
    const QString status = dialog->statusText();
    QVERIFY2(status.contains(QLocale().toString(kGeneratedRecords * 7 / 10)) &&
                 status.contains(QStringLiteral("•")),
             qPrintable(status));
    QFile array(pairs);
    QVERIFY(array.open(QIODevice::ReadOnly));
    QVERIFY(array.readAll().trimmed().startsWith('['));
    dialog->close();
}

void TestDataPanel::screenshot() {
    VIETLLM_REQUIRE_SAMPLE(alpaca, "instruct/vi_alpaca_gpt4vn_sample1000.jsonl");
    VIETLLM_REQUIRE_SAMPLE(oasst, "instruct/en_oasst_100_trees.jsonl");
    m_panel.reset();
    const QString path = m_dir->filePath(QStringLiteral("demo.vietllm"));
    {
        auto store = ProjectStore::create(QFile::encodeName(path).toStdString(), false);
        const QList<QPair<QString, vietllm::data::Format>> samples = {
            {alpaca, vietllm::data::Format::PromptResponse}, {oasst, vietllm::data::Format::Oasst}};
        for (const auto& [sample, format] : samples) {
            vietllm::store::FileImportRequest request;
            request.input_path = QFile::encodeName(sample).toStdString();
            request.format = format;
            request.skip_bad = true;
            QVERIFY(vietllm::store::importFile(store, request).records >= 100);
        }
    }
    QSettings qsettings(m_dir->filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    vietllm::widgets::AppSettings settings(qsettings);
    vietllm::widgets::LanguageSwitcher languages;
    QVERIFY(languages.apply(vietllm::widgets::Language::Vietnamese));
    RecordingErrorReporter errors;
    vietllm::widgets::MainWindow window(settings, languages, errors);
    window.resize(1500, 940);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.openProject(path));
    DataPanel& data = *window.dataPanel();
    data.ignoreDiacriticsBox()->setChecked(true);
    data.searchEdit()->setText(QStringLiteral("su dung"));
    data.applyFilter();
    QTRY_VERIFY(data.recordModel()->rowCount() > 10);
    data.recordView()->selectRow(2);
    data.annotationPanel()->setAnnotatorName(QStringLiteral("lan"));
    data.annotationPanel()->setLikert(AnnotationPanel::kQuality, 4);
    data.annotationPanel()->setLikert(AnnotationPanel::kHelpfulness, 5);
    QApplication::processEvents();
    QVERIFY2(data.matchCountLabel()->text().contains(QStringLiteral("bản ghi")),
             qPrintable(data.matchCountLabel()->text()));
    const QImage image = window.grab().toImage();
    QCOMPARE(image.size(), window.size() * window.devicePixelRatio());
    const QString output = qEnvironmentVariable("VIETLLM_DATA_SCREENSHOT_PATH");
    if (!output.isEmpty()) {
        QVERIFY2(image.save(output), qPrintable(output));
    }
    QVERIFY(errors.messages.isEmpty());
}

QTEST_MAIN(TestDataPanel)
#include "tst_data_panel.moc"
