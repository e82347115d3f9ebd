#pragma once
// Help > About: the icon, name and version, what vietllm is for, and the Qt version it runs on.

#include <QDialog>

class QLabel;

namespace vietllm::widgets {

class AboutDialog : public QDialog {
    Q_OBJECT

public:
    explicit AboutDialog(QWidget* parent = nullptr);

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();

    QLabel* m_name_label = nullptr;
    QLabel* m_description_label = nullptr;
    QLabel* m_details_label = nullptr;
};

}  // namespace vietllm::widgets
