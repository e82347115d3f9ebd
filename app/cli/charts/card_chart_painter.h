#pragma once
// The PNG charts of the dataset card (`data export`), drawn with QtGui (QImage and QPainter) on
// the offscreen platform, so that no display is needed. Built only with the GUI libraries
// (VIETLLM_GUI=ON): the backend describes the charts (backend/databuild/export.h) and stays free
// of Qt; vietllm-cli links this library when it exists.

#include "backend/databuild/export.h"

#include <memory>
#include <string>

class QGuiApplication;

namespace vietllm::cli {

class CardChartPainter {
public:
    static constexpr int kWidth = 900;   ///< pixels
    static constexpr int kHeight = 500;  ///< pixels

    /// Creates a QGuiApplication on the offscreen platform when the process has none (text
    /// drawing needs one for its fonts).
    CardChartPainter();
    ~CardChartPainter();
    CardChartPainter(const CardChartPainter&) = delete;
    CardChartPainter& operator=(const CardChartPainter&) = delete;

    /// Draws `chart` as a kWidth x kHeight PNG at `path` (written through a temporary file);
    /// throws UserError when it cannot be written.
    void draw(const databuild::CardChart& chart, const std::string& path) const;

private:
    int m_argc = 1;
    char m_program[16] = "vietllm-cli";
    char* m_argv[2] = {m_program, nullptr};
    std::unique_ptr<QGuiApplication> m_application;
};

}  // namespace vietllm::cli
