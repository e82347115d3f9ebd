#include "widgets/error_reporter.h"

#include <QMessageBox>

namespace vietllm::widgets {

void MessageBoxErrorReporter::showError(QWidget* parent, const QString& title, const QString& message) {
    QMessageBox::warning(parent, title, message);
}

}  // namespace vietllm::widgets
