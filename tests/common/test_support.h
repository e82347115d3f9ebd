#pragma once
// Helpers shared by the Qt Test suites: where the shared real samples are, running the CLI,
// and temporary folders.

#include <QByteArray>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QtTest>

#include "backend/common/errors.h"

#include <functional>
#include <string>

namespace vietllm::testing {

/// The shared sample folder: $VIETLLM_SAMPLE_DATA, else the build's default (../shared/data).
inline QString sampleDataDir() {
    QString dir = qEnvironmentVariable("VIETLLM_SAMPLE_DATA");
    if (dir.isEmpty()) {
        dir = qEnvironmentVariable("VIETLLM_SAMPLE_DATA_DEFAULT");
    }
    return QDir::cleanPath(dir);
}

/// Path of one sample file, e.g. samplePath("instruct/en_oasst_100_trees.jsonl"); empty when absent.
inline QString samplePath(const QString& relative_path) {
    const QString path = sampleDataDir() + QLatin1Char('/') + relative_path;
    return QFileInfo::exists(path) ? path : QString();
}

/// Skips the current test, with the reason, when a sample file is missing.
#define VIETLLM_REQUIRE_SAMPLE(variable, relative_path)                                           \
    const QString variable = vietllm::testing::samplePath(QStringLiteral(relative_path));         \
    if (variable.isEmpty())                                                                       \
    QSKIP(qPrintable(QStringLiteral("shared sample data absent: %1/%2 (set VIETLLM_SAMPLE_DATA)") \
                         .arg(vietllm::testing::sampleDataDir(), QStringLiteral(relative_path))))

/// The code points [begin, end) of `text`, so that span offsets are checked as code points.
inline QString codePointSlice(const QString& text, std::size_t begin, std::size_t end) {
    const QList<uint> code_points = text.toUcs4();
    QString out;
    for (std::size_t i = begin; i < end && i < static_cast<std::size_t>(code_points.size()); ++i) {
        const char32_t c = code_points[static_cast<qsizetype>(i)];
        out += QString::fromUcs4(&c, 1);
    }
    return out;
}

struct CliResult {
    int exit_code = -1;
    QByteArray standard_output;
    QByteArray standard_error;
};

/// Runs build/bin/vietllm-cli with `arguments`, feeding `standard_input`.
inline CliResult runCli(const QStringList& arguments, const QByteArray& standard_input = {},
                        int timeout_ms = 120000) {
    QProcess process;
    process.start(QStringLiteral(VIETLLM_CLI_PATH), arguments);
    CliResult result;
    if (!process.waitForStarted(timeout_ms)) {
        return result;
    }
    process.write(standard_input);
    process.closeWriteChannel();
    process.waitForFinished(timeout_ms);
    result.exit_code = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.standard_output = process.readAllStandardOutput();
    result.standard_error = process.readAllStandardError();
    return result;
}

/// The message of the UserError `action` throws, or "(no error)": tests assert on what a user
/// would read.
inline std::string expectUserError(const std::function<void()>& action) {
    try {
        action();
    } catch (const UserError& error) {
        return error.what();
    }
    return "(no error)";
}

}  // namespace vietllm::testing
