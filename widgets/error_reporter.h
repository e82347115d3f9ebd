#pragma once
// How the GUI tells the user that something failed (a file that is not a project, a project from
// a newer version). Widgets report through this interface so that tests can record the messages
// instead of blocking on a modal message box.

#include <QString>

class QWidget;

namespace vietllm::widgets {

class ErrorReporter {
public:
    virtual ~ErrorReporter() = default;
    /// Shows `message` under `title` to the user, over `parent`.
    virtual void showError(QWidget* parent, const QString& title, const QString& message) = 0;
};

/// The production reporter: one warning message box per error.
class MessageBoxErrorReporter : public ErrorReporter {
public:
    /// Opens a modal warning box and returns when the user closes it.
    void showError(QWidget* parent, const QString& title, const QString& message) override;
};

}  // namespace vietllm::widgets
