#pragma once
// Data recipes: a JSON file naming a sequence of data-building steps, run by `vietllm-cli data
// run RECIPE.json`. Shape:
//   {"name": "...", "description": "...", "vars": {"data": "${VIETLLM_SAMPLE_DATA:-../shared/data}"},
//    "endpoint": "${VIETLLM_ENDPOINT:-http://127.0.0.1:8080/v1}", "model": "...", "api_key_env": "...",
//    "concurrency": 4,
//    "steps": [{"id": "news", "step": "harvest", "in": "${data}/text/x.txt", "out": "work/news.jsonl",
//               "licence": "...", ...}, {"id": "clean", "step": "clean", "in": "news", ...}]}
// "in" is a path, the id of an earlier step (its "out"), or a list of them. Strings may use
// ${NAME} and ${NAME:-default}: NAME is looked up in "vars", then ${recipe_dir} (the recipe's
// folder), then the environment. Any other key of a step is one of the step's command-line
// options (without "--"), checked by the runner. Every mistake is one UserError naming the recipe
// file and the JSON path, e.g. "r.json: steps[2].threshold: ...".

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace vietllm::databuild {

/// One input of a step: a path, or the output of an earlier step.
struct RecipeInput {
    std::string path;     ///< the file (an earlier step's "out" when step_id is set)
    std::string step_id;  ///< the earlier step read; empty for a file
};

struct RecipeStep {
    std::string id;
    std::string step;       ///< translate, harvest, self-instruct, evol-instruct, clean, dedup, ...
    std::string json_path;  ///< "steps[2]", for messages
    std::vector<RecipeInput> inputs;
    std::string output;
    nlohmann::ordered_json options = nlohmann::ordered_json::object();  ///< other keys, expanded
};

struct Recipe {
    std::string path;
    std::string name;
    std::string description;
    /// Model-step defaults given at the top ("endpoint", "model", "api_key_env", "concurrency").
    nlohmann::ordered_json model_defaults = nlohmann::ordered_json::object();
    std::vector<RecipeStep> steps;
};

/// Looks up an environment variable (std::getenv in the CLI, a map in tests).
using EnvironmentLookup = std::function<std::optional<std::string>(const std::string& name)>;

/// The step kinds a recipe may name.
const std::vector<std::string>& recipeStepKinds();

/// "FILE: PATH: what", the form of every recipe error.
std::string recipeMessage(const std::string& file, const std::string& json_path, const std::string& what);

/// Reads and checks a recipe and expands its variables. Throws UserError naming the file and
/// JSON path of the first mistake.
Recipe loadRecipe(const std::string& path, const EnvironmentLookup& environment);

/// Expands ${NAME} and ${NAME:-default} in `text` with `variables`, then `environment`;
/// an unset NAME without default throws UserError naming `file` and `json_path`.
std::string expandVariables(const std::string& text, const nlohmann::ordered_json& variables,
                            const EnvironmentLookup& environment, const std::string& file,
                            const std::string& json_path);

}  // namespace vietllm::databuild
