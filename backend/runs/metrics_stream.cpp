#include "backend/runs/metrics_stream.h"

#include "backend/common/errors.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>

namespace vietllm::runs {

namespace {

using Json = nlohmann::json;

std::optional<double> numberField(const Json& object, const char* name) {
    const auto found = object.find(name);
    if (found == object.end() || !found->is_number()) {
        return std::nullopt;
    }
    return found->get<double>();
}

std::int64_t integerField(const Json& object, const char* name) {
    const auto found = object.find(name);
    return found != object.end() && found->is_number() ? found->get<std::int64_t>() : 0;
}

std::string stringField(const Json& object, const char* name) {
    const auto found = object.find(name);
    return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

EventKind eventKindFromName(const std::string& name) {
    static const std::map<std::string, EventKind> kinds = {
        {"start", EventKind::Start},           {"step", EventKind::Step}, {"eval", EventKind::Eval},
        {"checkpoint", EventKind::Checkpoint}, {"done", EventKind::Done}, {"error", EventKind::Error},
    };
    const auto found = kinds.find(name);
    return found == kinds.end() ? EventKind::Invalid : found->second;
}

// The numeric fields of step and eval events that MetricEvent has a member for.
bool isKnownField(const std::string& name) {
    static const char* const known[] = {"event",     "step",   "epoch",        "loss",      "lr",
                                        "grad_norm", "tokens", "tokens_per_s", "elapsed_s", "eval_loss"};
    return std::any_of(std::begin(known), std::end(known), [&](const char* key) { return name == key; });
}

std::map<std::string, double> extraFields(const Json& object) {
    std::map<std::string, double> out;
    for (auto item = object.begin(); item != object.end(); ++item) {
        if (item->is_number() && !isKnownField(item.key())) out[item.key()] = item->get<double>();
    }
    return out;
}

void dropPointsAfter(std::vector<SeriesPoint>& series, std::int64_t step) {
    series.erase(std::remove_if(series.begin(), series.end(),
                                [step](const SeriesPoint& point) { return point.step > step; }),
                 series.end());
}

void appendPoint(std::vector<SeriesPoint>& series, std::int64_t step, const std::optional<double>& value) {
    if (value && std::isfinite(*value)) {
        series.push_back({step, *value});
    }
}

}  // namespace

std::optional<MetricEvent> parseMetricLine(const std::string& line) {
    const Json object = Json::parse(line, nullptr, false);
    if (object.is_discarded() || !object.is_object()) {
        return std::nullopt;
    }
    MetricEvent event;
    event.kind = eventKindFromName(stringField(object, "event"));
    if (event.kind == EventKind::Invalid) {
        return std::nullopt;
    }
    event.step = integerField(object, "step");
    event.method = stringField(object, "method");
    event.total_steps = integerField(object, "total_steps");
    event.parameters = integerField(object, "parameters");
    event.trainable_parameters = integerField(object, "trainable_parameters");
    if (const auto resumed = numberField(object, "resumed_from_step")) {
        event.resumed_from_step = static_cast<std::int64_t>(*resumed);
    }
    event.epoch = numberField(object, "epoch").value_or(0.0);
    event.loss = numberField(object, "loss");
    event.learning_rate = numberField(object, "lr");
    event.grad_norm = numberField(object, "grad_norm");
    event.tokens_per_s = numberField(object, "tokens_per_s");
    event.tokens = integerField(object, "tokens");
    event.elapsed_s = numberField(object, "elapsed_s").value_or(0.0);
    event.eval_loss = numberField(object, "eval_loss");
    if (event.kind == EventKind::Step || event.kind == EventKind::Eval) event.extra = extraFields(object);
    event.path = stringField(object, event.kind == EventKind::Done ? "output" : "path");
    event.status = stringField(object, "status");
    event.message = stringField(object, "message");
    return event;
}

std::string runStatusName(RunStatus status) {
    switch (status) {
        case RunStatus::Running:
            return "running";
        case RunStatus::Finished:
            return "finished";
        case RunStatus::Cancelled:
            return "cancelled";
        case RunStatus::Failed:
            return "failed";
        case RunStatus::Invalid:
            break;
    }
    return "invalid";
}

void RunMetrics::add(const MetricEvent& event) {
    switch (event.kind) {
        case EventKind::Start:
            method = event.method;
            total_steps = event.total_steps;
            parameters = event.parameters;
            trainable_parameters = event.trainable_parameters;
            status = RunStatus::Running;
            error.clear();
            if (event.resumed_from_step) {
                for (auto* series : {&loss, &eval_loss, &learning_rate, &grad_norm, &tokens_per_s}) {
                    dropPointsAfter(*series, *event.resumed_from_step);
                }
                for (auto& [name, series] : extra) dropPointsAfter(series, *event.resumed_from_step);
                last_step = std::min(last_step, *event.resumed_from_step);
            }
            break;
        case EventKind::Step:
            last_step = event.step;
            tokens = event.tokens;
            elapsed_s = event.elapsed_s;
            appendPoint(loss, event.step, event.loss);
            appendPoint(learning_rate, event.step, event.learning_rate);
            appendPoint(grad_norm, event.step, event.grad_norm);
            appendPoint(tokens_per_s, event.step, event.tokens_per_s);
            for (const auto& [name, value] : event.extra) appendPoint(extra[name], event.step, value);
            break;
        case EventKind::Eval:
            appendPoint(eval_loss, event.step, event.eval_loss);
            for (const auto& [name, value] : event.extra) appendPoint(extra[name], event.step, value);
            break;
        case EventKind::Checkpoint:
            checkpoints.push_back(event.path);
            break;
        case EventKind::Done:
            final_output = event.path;
            status = event.status == "cancelled" ? RunStatus::Cancelled : RunStatus::Finished;
            break;
        case EventKind::Error:
            error = event.message;
            status = RunStatus::Failed;
            break;
        case EventKind::Invalid:
            break;
    }
}

RunMetrics readMetricsFile(const std::string& path) {
    std::ifstream input(path, std::ios::binary);
    if (!input) {
        throw UserError(path + ": cannot read the metrics file");
    }
    RunMetrics metrics;
    std::string line;
    while (std::getline(input, line)) {
        if (const auto event = parseMetricLine(line)) {
            metrics.add(*event);
        }
    }
    return metrics;
}

std::vector<SeriesPoint> smoothSeries(const std::vector<SeriesPoint>& points, double smoothing) {
    const double weight = std::clamp(smoothing, 0.0, 0.999);
    std::vector<SeriesPoint> smoothed;
    smoothed.reserve(points.size());
    double average = 0;
    double debias = 1;
    for (const SeriesPoint& point : points) {
        average = average * weight + (1 - weight) * point.value;
        debias *= weight;
        smoothed.push_back({point.step, weight == 0 ? point.value : average / (1 - debias)});
    }
    return smoothed;
}

}  // namespace vietllm::runs
