#include "widgets/panels.h"

#include <QCoreApplication>

namespace vietllm::widgets {

namespace {

struct PanelTexts {
    Panel panel;
    const char* name;
    const char* purpose;
};

// Source texts stay untranslated here and go through QCoreApplication::translate() at display time.
const std::vector<PanelTexts>& panelTexts() {
    static const std::vector<PanelTexts> texts = {
        {Panel::Start, QT_TRANSLATE_NOOP("Panels", "Start"),
         QT_TRANSLATE_NOOP("Panels", "Create a project, open one, or pick up a recent one.")},
        {Panel::Data, QT_TRANSLATE_NOOP("Panels", "Data"),
         QT_TRANSLATE_NOOP("Panels", "Browse, clean and annotate the project's datasets.")},
        {Panel::Ranking, QT_TRANSLATE_NOOP("Panels", "Ranking"),
         QT_TRANSLATE_NOOP("Panels",
                           "Compare model answers side by side and rank them from the keyboard; the "
                           "judgements become preference data.")},
        {Panel::Training, QT_TRANSLATE_NOOP("Panels", "Training"),
         QT_TRANSLATE_NOOP("Panels",
                           "Launch fine-tuning, reward-model and DPO runs on this computer and follow "
                           "their loss curves live.")},
        {Panel::Chat, QT_TRANSLATE_NOOP("Panels", "Chat"),
         QT_TRANSLATE_NOOP("Panels",
                           "Chat with local models, compare two of them side by side and keep the better "
                           "answer as a preference.")},
        {Panel::Evaluation, QT_TRANSLATE_NOOP("Panels", "Evaluation"),
         QT_TRANSLATE_NOOP("Panels",
                           "Score models on Vietnamese benchmarks, measure agreement between annotators "
                           "and compare runs.")},
    };
    return texts;
}

const PanelTexts* findTexts(Panel panel) {
    for (const PanelTexts& texts : panelTexts()) {
        if (texts.panel == panel) {
            return &texts;
        }
    }
    return nullptr;
}

}  // namespace

const std::vector<Panel>& allPanels() {
    static const std::vector<Panel> panels = [] {
        std::vector<Panel> ordered;
        for (const PanelTexts& texts : panelTexts()) {
            ordered.push_back(texts.panel);
        }
        return ordered;
    }();
    return panels;
}

QString panelName(Panel panel) {
    const PanelTexts* texts = findTexts(panel);
    return texts ? QCoreApplication::translate("Panels", texts->name) : QString();
}

QString panelPurpose(Panel panel) {
    const PanelTexts* texts = findTexts(panel);
    return texts ? QCoreApplication::translate("Panels", texts->purpose) : QString();
}

QKeySequence panelShortcut(Panel panel) {
    const int index = static_cast<int>(panel) - static_cast<int>(Panel::Start);
    if (panel == Panel::Invalid || index > 9) {
        return QKeySequence();
    }
    return QKeySequence(QKeyCombination(Qt::ControlModifier, static_cast<Qt::Key>(Qt::Key_0 + index)));
}

}  // namespace vietllm::widgets
