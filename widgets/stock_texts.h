#pragma once
// Texts that Qt itself shows in our windows (standard dialog buttons, the line-edit context menu,
// message-box detail toggles). Qt 6.4 ships no qtbase_vi.qm, so these source texts are listed here
// for lupdate and translated in our own translations/vietllm_vi.ts under Qt's contexts.

#include <vector>

namespace vietllm::widgets {

struct StockText {
    const char* context;  ///< the Qt class that calls QCoreApplication::translate()
    const char* source;   ///< the exact English source text in Qt 6.4
};

/// Every Qt-owned text we translate; tests check that each one is translated in Vietnamese.
const std::vector<StockText>& stockTexts();

}  // namespace vietllm::widgets
