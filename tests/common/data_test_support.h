#pragma once
// Helpers shared by the converter tests: reading records from files and strings, writing them
// to a string, and reading JSON with Qt's own parser (independent of the code under test).

#include "backend/data/formats.h"

#include <QByteArray>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <sstream>
#include <string>
#include <vector>

namespace vietllm::testing {

/// Every record of `path` (gzip or plain) in `format`.
inline std::vector<data::Record> readFileRecords(data::Format format, const QString& path,
                                                 const data::ReadOptions& options = {}) {
    std::vector<data::Record> records;
    const std::unique_ptr<std::istream> input = data::openInputFile(path.toStdString());
    data::readRecords(format, *input, path.toStdString(), options,
                      [&](data::Record&& record) { records.push_back(std::move(record)); });
    return records;
}

/// Every record of `text` in `format`, as if read from a file named `file_name`.
inline std::vector<data::Record> readTextRecords(data::Format format, const std::string& text,
                                                 const std::string& file_name = "in.jsonl",
                                                 const data::ReadOptions& options = {}) {
    std::vector<data::Record> records;
    std::istringstream input(text);
    data::readRecords(format, input, file_name, options,
                      [&](data::Record&& record) { records.push_back(std::move(record)); });
    return records;
}

/// `records` written in `format`; `written` receives the number of output records.
inline std::string writeRecords(data::Format format, const std::vector<data::Record>& records,
                                data::Layout layout = data::Layout::JsonLines,
                                std::size_t* written = nullptr) {
    std::ostringstream output;
    const std::unique_ptr<data::RecordWriter> writer = data::makeWriter(format, output, layout);
    std::size_t count = 0;
    for (const data::Record& record : records) {
        count += writer->write(record);
    }
    writer->finish();
    if (written != nullptr) {
        *written = count;
    }
    return output.str();
}

/// The non-empty lines of `bytes`.
inline QList<QByteArray> nonEmptyLines(const QByteArray& bytes) {
    QList<QByteArray> lines;
    for (const QByteArray& line : bytes.split('\n')) {
        if (!line.trimmed().isEmpty()) {
            lines.append(line);
        }
    }
    return lines;
}

/// Each JSONL line of `bytes` parsed by Qt.
inline QList<QJsonObject> qtJsonLines(const QByteArray& bytes) {
    QList<QJsonObject> objects;
    for (const QByteArray& line : nonEmptyLines(bytes)) {
        objects.append(QJsonDocument::fromJson(line).object());
    }
    return objects;
}

inline QByteArray readWholeFile(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

inline QByteArray toBytes(const std::string& text) {
    return QByteArray(text.data(), static_cast<qsizetype>(text.size()));
}

}  // namespace vietllm::testing
