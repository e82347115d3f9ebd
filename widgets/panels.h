#pragma once
// The workbench's pages, in navigation order, with their translated names, one-line purposes and
// keyboard shortcuts. Names are looked up at display time so a language switch renames them.

#include <QKeySequence>
#include <QString>
#include <vector>

namespace vietllm::widgets {

enum class Panel { Invalid = 0, Start, Data, Ranking, Training, Chat, Evaluation };

/// Every panel in navigation order (Start first).
const std::vector<Panel>& allPanels();
/// The panel's name in the current interface language ("Dữ liệu" / "Data").
QString panelName(Panel panel);
/// One sentence saying what the panel is for, in the current interface language.
QString panelPurpose(Panel panel);
/// Ctrl+0 for Start, then Ctrl+1..5 for Data, Ranking, Training, Chat and Evaluation.
QKeySequence panelShortcut(Panel panel);

}  // namespace vietllm::widgets
