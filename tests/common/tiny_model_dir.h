#pragma once
// A temporary folder holding a tiny random model of one family (vocabulary 300) under "model", for
// the trainer tests: each test's fixture writes its own data files beside it.

#include "backend/weights/random_model.h"

#include <QString>
#include <QTemporaryDir>

#include <string>

namespace vietllm::testing {

struct TinyModelDir {
    QTemporaryDir dir;
    std::string model;

    explicit TinyModelDir(weights::Architecture architecture = weights::Architecture::Llama) {
        weights::RandomModelOptions options;
        options.architecture = architecture;
        options.vocab_size = 300;
        model = path("model");
        weights::writeRandomModel(model, options);
    }

    /// NAME inside the folder.
    std::string path(const std::string& name) const {
        return dir.filePath(QString::fromStdString(name)).toStdString();
    }
};

}  // namespace vietllm::testing
