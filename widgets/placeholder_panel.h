#pragma once
// The page of a panel that is not built yet: its name, what it will do, and a plain "not built
// yet", so nobody mistakes an empty page for a broken one.

#include "widgets/panels.h"

#include <QWidget>

class QLabel;

namespace vietllm::widgets {

class PlaceholderPanel : public QWidget {
    Q_OBJECT

public:
    explicit PlaceholderPanel(Panel panel, QWidget* parent = nullptr);

    Panel panel() const { return m_panel; }

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();

    Panel m_panel = Panel::Invalid;
    QLabel* m_title_label = nullptr;
    QLabel* m_purpose_label = nullptr;
    QLabel* m_status_label = nullptr;
};

}  // namespace vietllm::widgets
