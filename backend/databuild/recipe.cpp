#include "backend/databuild/recipe.h"

#include "backend/common/errors.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

namespace vietllm::databuild {

namespace {

using nlohmann::ordered_json;

const std::set<std::string> kTopKeys = {"name",  "description", "vars",        "endpoint",
                                        "model", "api_key_env", "concurrency", "steps"};
const std::set<std::string> kModelDefaultKeys = {"endpoint", "model", "api_key_env", "concurrency"};

class RecipeReader {
public:
    RecipeReader(std::string file, const EnvironmentLookup& environment)
        : m_file(std::move(file)), m_environment(environment) {}

    Recipe read(const ordered_json& root) {
        if (!root.is_object()) {
            fail("", "the recipe must be a JSON object");
        }
        for (const auto& [key, value] : root.items()) {
            if (kTopKeys.count(key) == 0) {
                fail(key,
                     "unknown key (known: name, description, vars, endpoint, model, api_key_env, "
                     "concurrency, steps)");
            }
        }
        readVariables(root);
        Recipe recipe;
        recipe.path = m_file;
        recipe.name = requiredString(root, "name", "");
        recipe.description = optionalString(root, "description", "");
        for (const std::string& key : kModelDefaultKeys) {
            if (!root.contains(key)) {
                continue;
            }
            if (key == "concurrency") {
                if (!root[key].is_number_integer() || root[key].get<long long>() < 1) {
                    fail(key, "must be a whole number of at least 1");
                }
                recipe.model_defaults[key] = root[key];
            } else {
                recipe.model_defaults[key] = requiredString(root, key, "");
            }
        }
        if (!root.contains("steps") || !root["steps"].is_array() || root["steps"].empty()) {
            fail("steps", "must be a non-empty list of steps");
        }
        for (std::size_t i = 0; i < root["steps"].size(); ++i) {
            recipe.steps.push_back(
                readStep(root["steps"][i], "steps[" + std::to_string(i) + "]", recipe.steps));
        }
        return recipe;
    }

private:
    [[noreturn]] void fail(const std::string& json_path, const std::string& what) const {
        throw UserError(recipeMessage(m_file, json_path, what));
    }

    static std::string join(const std::string& parent, const std::string& key) {
        return parent.empty() ? key : parent + "." + key;
    }

    std::string expand(const std::string& text, const std::string& json_path) const {
        return expandVariables(text, m_variables, m_environment, m_file, json_path);
    }

    std::string requiredString(const ordered_json& object, const std::string& key,
                               const std::string& parent) const {
        if (!object.contains(key)) {
            fail(join(parent, key), "missing");
        }
        if (!object[key].is_string() || object[key].get<std::string>().empty()) {
            fail(join(parent, key), "must be a non-empty string");
        }
        return expand(object[key].get<std::string>(), join(parent, key));
    }

    std::string optionalString(const ordered_json& object, const std::string& key,
                               const std::string& parent) const {
        if (!object.contains(key)) {
            return {};
        }
        if (!object[key].is_string()) {
            fail(join(parent, key), "must be a string");
        }
        return expand(object[key].get<std::string>(), join(parent, key));
    }

    void readVariables(const ordered_json& root) {
        m_variables["recipe_dir"] = std::filesystem::path(m_file).parent_path().string();
        if (m_variables["recipe_dir"].get<std::string>().empty()) {
            m_variables["recipe_dir"] = ".";
        }
        if (!root.contains("vars")) {
            return;
        }
        if (!root["vars"].is_object()) {
            fail("vars", "must be an object of strings");
        }
        for (const auto& [name, value] : root["vars"].items()) {
            if (!value.is_string()) {
                fail("vars." + name, "must be a string");
            }
            m_variables[name] = expand(value.get<std::string>(), "vars." + name);
        }
    }

    ordered_json expandValue(const ordered_json& value, const std::string& json_path) const {
        if (value.is_string()) {
            return expand(value.get<std::string>(), json_path);
        }
        if (value.is_array()) {
            ordered_json items = ordered_json::array();
            for (std::size_t i = 0; i < value.size(); ++i) {
                items.push_back(expandValue(value[i], json_path + "[" + std::to_string(i) + "]"));
            }
            return items;
        }
        if (value.is_object() || value.is_null()) {
            fail(json_path, "must be a string, number, true/false or a list");
        }
        return value;
    }

    RecipeStep readStep(const ordered_json& object, const std::string& json_path,
                        const std::vector<RecipeStep>& earlier) const {
        if (!object.is_object()) {
            fail(json_path, "a step must be an object with \"id\", \"step\", \"in\" and \"out\"");
        }
        RecipeStep step;
        step.json_path = json_path;
        step.id = requiredString(object, "id", json_path);
        for (const RecipeStep& other : earlier) {
            if (other.id == step.id) {
                fail(json_path + ".id", "'" + step.id + "' is already the id of " + other.json_path);
            }
        }
        step.step = requiredString(object, "step", json_path);
        const std::vector<std::string>& kinds = recipeStepKinds();
        if (std::find(kinds.begin(), kinds.end(), step.step) == kinds.end()) {
            std::string known;
            for (const std::string& kind : kinds) known += (known.empty() ? "" : ", ") + kind;
            fail(json_path + ".step", "unknown step '" + step.step + "' (known: " + known + ")");
        }
        readInputs(object, json_path, earlier, step);
        step.output = requiredString(object, "out", json_path);
        for (const auto& [key, value] : object.items()) {
            if (key != "id" && key != "step" && key != "in" && key != "out") {
                step.options[key] = expandValue(value, json_path + "." + key);
            }
        }
        return step;
    }

    void readInputs(const ordered_json& object, const std::string& json_path,
                    const std::vector<RecipeStep>& earlier, RecipeStep& step) const {
        if (!object.contains("in")) {
            fail(json_path + ".in", "missing (a path, the id of an earlier step, or a list of them)");
        }
        const ordered_json& in = object["in"];
        std::vector<std::pair<std::string, std::string>> items;  // (value, json path)
        if (in.is_string()) {
            items.emplace_back(in.get<std::string>(), json_path + ".in");
        } else if (in.is_array() && !in.empty()) {
            for (std::size_t i = 0; i < in.size(); ++i) {
                const std::string item_path = json_path + ".in[" + std::to_string(i) + "]";
                if (!in[i].is_string()) {
                    fail(item_path, "must be a string");
                }
                items.emplace_back(in[i].get<std::string>(), item_path);
            }
        } else {
            fail(json_path + ".in", "must be a path, the id of an earlier step, or a non-empty list of them");
        }
        for (const auto& [value, item_path] : items) {
            const std::string expanded = expand(value, item_path);
            const auto producer = std::find_if(earlier.begin(), earlier.end(),
                                               [&](const RecipeStep& other) { return other.id == expanded; });
            if (producer != earlier.end()) {
                step.inputs.push_back({producer->output, producer->id});
            } else if (expanded.empty()) {
                fail(item_path, "is empty");
            } else {
                step.inputs.push_back({expanded, ""});
            }
        }
    }

    std::string m_file;
    const EnvironmentLookup& m_environment;
    ordered_json m_variables = ordered_json::object();
};

}  // namespace

const std::vector<std::string>& recipeStepKinds() {
    static const std::vector<std::string> kinds = {"translate", "harvest", "self-instruct", "evol-instruct",
                                                   "clean",     "dedup",   "decontaminate", "export"};
    return kinds;
}

std::string recipeMessage(const std::string& file, const std::string& json_path, const std::string& what) {
    return json_path.empty() ? file + ": " + what : file + ": " + json_path + ": " + what;
}

std::string expandVariables(const std::string& text, const nlohmann::ordered_json& variables,
                            const EnvironmentLookup& environment, const std::string& file,
                            const std::string& json_path) {
    std::string out;
    std::size_t position = 0;
    while (position < text.size()) {
        const std::size_t start = text.find("${", position);
        if (start == std::string::npos) {
            out += text.substr(position);
            break;
        }
        out += text.substr(position, start - position);
        const std::size_t end = text.find('}', start);
        if (end == std::string::npos) {
            throw UserError(recipeMessage(file, json_path, "'${' without a closing '}'"));
        }
        const std::string body = text.substr(start + 2, end - start - 2);
        const std::size_t dash = body.find(":-");
        const std::string name = body.substr(0, dash);
        std::optional<std::string> value;
        if (variables.contains(name) && variables[name].is_string()) {
            value = variables[name].get<std::string>();
        } else if (environment) {
            value = environment(name);
        }
        if (!value || value->empty()) {
            if (dash == std::string::npos) {
                throw UserError(recipeMessage(file, json_path,
                                              "variable ${" + name +
                                                  "} is not set (define it in \"vars\" or the "
                                                  "environment, or write ${" +
                                                  name + ":-default})"));
            }
            value = body.substr(dash + 2);
        }
        out += *value;
        position = end + 1;
    }
    return out;
}

Recipe loadRecipe(const std::string& path, const EnvironmentLookup& environment) {
    std::ifstream file(path);
    if (!file) {
        throw UserError(path + ": cannot open the recipe");
    }
    ordered_json root;
    try {
        root = ordered_json::parse(file);
    } catch (const nlohmann::json::parse_error& error) {
        throw UserError(path + ": not valid JSON (" + std::string(error.what()) + ")");
    }
    return RecipeReader(path, environment).read(root);
}

}  // namespace vietllm::databuild
