#pragma once
// A small RFC 4180 reader for the shared CSV samples (ViHOS, ViHSD), whose quoted fields hold
// commas, doubled quotes and newlines. Test support only: the product reads no CSV.

#include <QFile>
#include <QList>
#include <QString>
#include <QStringList>

namespace vietllm::testing {

/// Every record of the CSV file at `path`, the header row included; empty when unreadable.
inline QList<QStringList> readCsv(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    const QString data = QString::fromUtf8(file.readAll());
    QList<QStringList> rows;
    QStringList row;
    QString field;
    bool quoted = false;
    for (qsizetype i = 0; i < data.size(); ++i) {
        const QChar c = data[i];
        if (quoted) {
            if (c == QLatin1Char('"') && i + 1 < data.size() && data[i + 1] == QLatin1Char('"')) {
                field += c;
                ++i;
            } else if (c == QLatin1Char('"')) {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == QLatin1Char('"')) {
            quoted = true;
        } else if (c == QLatin1Char(',')) {
            row << field;
            field.clear();
        } else if (c == QLatin1Char('\n')) {
            row << field;
            rows << row;
            row.clear();
            field.clear();
        } else if (c != QLatin1Char('\r')) {
            field += c;
        }
    }
    if (!field.isEmpty() || !row.isEmpty()) {
        row << field;
        rows << row;
    }
    return rows;
}

}  // namespace vietllm::testing
