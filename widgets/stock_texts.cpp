#include "widgets/stock_texts.h"

#include <QtGlobal>

namespace vietllm::widgets {

const std::vector<StockText>& stockTexts() {
    // The contexts and sources below must match Qt's own strings exactly (checked against the
    // sources of qtbase_*.qm in qt6-translations-l10n 6.4.2).
    static const std::vector<StockText> texts = {
        {"QPlatformTheme", QT_TRANSLATE_NOOP("QPlatformTheme", "OK")},
        {"QPlatformTheme", QT_TRANSLATE_NOOP("QPlatformTheme", "Save")},
        {"QPlatformTheme", QT_TRANSLATE_NOOP("QPlatformTheme", "Save All")},
        {"QPlatformTheme", QT_TRANSLATE_NOOP("QPlatformTheme", "Open")},
        {"QPlatformTheme", QT_TRANSLATE_NOOP("QPlatformTheme", "&Yes")},
        {"QPlatformTheme", QT_TRANSLATE_NOOP("QPlatformTheme", "Yes to &All")},
        {"QPlatformTheme", QT_TRANSLATE_NOOP("QPlatformTheme", "&No")},
        {"QPlatformTheme", QT_TRANSLATE_NOOP("QPlatformTheme", "N&o to All")},
        {"QPlatformTheme", QT_TRANSLATE_NOOP("QPlatformTheme", "Abort")},
        {"QPlatformTheme", QT_TRANSLATE_NOOP("QPlatformTheme", "Retry")},
        {"QPlatformTheme", QT_TRANSLATE_NOOP("QPlatformTheme", "Ignore")},
        {"QPlatformTheme", QT_TRANSLATE_NOOP("QPlatformTheme", "Close")},
        {"QPlatformTheme", QT_TRANSLATE_NOOP("QPlatformTheme", "Cancel")},
        {"QPlatformTheme", QT_TRANSLATE_NOOP("QPlatformTheme", "Discard")},
        {"QPlatformTheme", QT_TRANSLATE_NOOP("QPlatformTheme", "Help")},
        {"QPlatformTheme", QT_TRANSLATE_NOOP("QPlatformTheme", "Apply")},
        {"QPlatformTheme", QT_TRANSLATE_NOOP("QPlatformTheme", "Reset")},
        {"QPlatformTheme", QT_TRANSLATE_NOOP("QPlatformTheme", "Restore Defaults")},
        {"QGnomeTheme", QT_TRANSLATE_NOOP("QGnomeTheme", "&OK")},
        {"QGnomeTheme", QT_TRANSLATE_NOOP("QGnomeTheme", "&Save")},
        {"QGnomeTheme", QT_TRANSLATE_NOOP("QGnomeTheme", "&Cancel")},
        {"QGnomeTheme", QT_TRANSLATE_NOOP("QGnomeTheme", "&Close")},
        {"QGnomeTheme", QT_TRANSLATE_NOOP("QGnomeTheme", "Close without Saving")},
        {"QMessageBox", QT_TRANSLATE_NOOP("QMessageBox", "Show Details...")},
        {"QMessageBox", QT_TRANSLATE_NOOP("QMessageBox", "Hide Details...")},
        {"QMessageBox", QT_TRANSLATE_NOOP("QMessageBox", "About Qt")},
        {"QLineEdit", QT_TRANSLATE_NOOP("QLineEdit", "&Undo")},
        {"QLineEdit", QT_TRANSLATE_NOOP("QLineEdit", "&Redo")},
        {"QLineEdit", QT_TRANSLATE_NOOP("QLineEdit", "Cu&t")},
        {"QLineEdit", QT_TRANSLATE_NOOP("QLineEdit", "&Copy")},
        {"QLineEdit", QT_TRANSLATE_NOOP("QLineEdit", "&Paste")},
        {"QLineEdit", QT_TRANSLATE_NOOP("QLineEdit", "Delete")},
        {"QLineEdit", QT_TRANSLATE_NOOP("QLineEdit", "Select All")},
        {"QMessageBox", QT_TRANSLATE_NOOP("QMessageBox", "OK")},
    };
    return texts;
}

}  // namespace vietllm::widgets
