#!/bin/sh
# Creates the demo project that `make run` opens.
#   sh tools/make_demo_project.sh CLI PROJECT SAMPLE_DATA_DIR
# With SAMPLE_DATA_DIR present, the project holds a few real shared samples (Vietnamese
# instructions, Open-Assistant trees, hh-rlhf preference pairs); without them, a small built-in
# Vietnamese sample written below. The project is built in a temporary file beside PROJECT and
# moved into place only when complete, so an interrupted run never leaves a broken demo.
set -eu

if [ "$#" -ne 3 ]; then
    echo "usage: sh tools/make_demo_project.sh CLI PROJECT SAMPLE_DATA_DIR" >&2
    exit 2
fi
cli=$1
project=$2
data_dir=$3

mkdir -p "$(dirname "$project")"
partial="$project.part.$$"
work_dir=$(mktemp -d "${TMPDIR:-/tmp}/vietllm-demo.XXXXXX")
cleanup() {
    rm -f "$partial" "$partial-wal" "$partial-shm" "$partial-journal"
    rm -rf "$work_dir"
}
trap cleanup EXIT
trap 'exit 130' HUP INT TERM

# import_sample RELATIVE_PATH FORMAT DATASET: imports one shared sample when it exists.
imported=0
import_sample() {
    if [ -f "$data_dir/$1" ]; then
        "$cli" project import "$partial" --format "$2" --dataset "$3" --skip-bad "$data_dir/$1"
        imported=$((imported + 1))
    else
        echo "make_demo_project: $data_dir/$1 is absent; dataset $3 left out" >&2
    fi
}

# A few records of each kind, written for the demo (CC0): conversations, one Open-Assistant
# tree with ranked replies, and a preference pair.
write_builtin_sample() {
    cat >"$work_dir/hoi_dap.jsonl" <<'EOF'
{"messages": [{"role": "user", "content": "Thủ đô của Việt Nam là thành phố nào?"}, {"role": "assistant", "content": "Thủ đô của Việt Nam là Hà Nội."}], "provenance": {"source": "vietllm-demo", "licence": "CC0-1.0"}}
{"messages": [{"role": "user", "content": "Hãy giải thích ngắn gọn hiện tượng quang hợp."}, {"role": "assistant", "content": "Quang hợp là quá trình cây xanh dùng ánh sáng mặt trời để biến nước và khí CO2 thành đường và khí oxy."}], "provenance": {"source": "vietllm-demo", "licence": "CC0-1.0"}}
{"messages": [{"role": "system", "content": "Bạn là trợ lý nói tiếng Việt, trả lời lịch sự."}, {"role": "user", "content": "Tỉnh Hòa Bình nổi tiếng với gì?"}, {"role": "assistant", "content": "Hòa Bình nổi tiếng với hồ thủy điện Hòa Bình và văn hóa của người Mường."}], "provenance": {"source": "vietllm-demo", "licence": "CC0-1.0"}}
{"messages": [{"role": "user", "content": "Đồng hồ chạy chậm 5 phút mỗi ngày thì sau một tuần chậm bao nhiêu?"}, {"role": "assistant", "content": "Sau một tuần đồng hồ chậm 35 phút."}], "provenance": {"source": "vietllm-demo", "licence": "CC0-1.0"}}
EOF
    cat >"$work_dir/cay_hoi_thoai.jsonl" <<'EOF'
{"message_tree_id": "demo-tree-1", "tree_state": "ready_for_export", "prompt": {"message_id": "demo-1", "role": "prompter", "lang": "vi", "text": "Làm thế nào để học tiếng Anh hiệu quả?", "replies": [{"message_id": "demo-2", "parent_id": "demo-1", "role": "assistant", "lang": "vi", "rank": 0, "text": "Hãy luyện nghe mỗi ngày, học từ vựng theo chủ đề và tập nói với người khác.", "replies": []}, {"message_id": "demo-3", "parent_id": "demo-1", "role": "assistant", "lang": "vi", "rank": 1, "text": "Học thật nhiều ngữ pháp.", "replies": []}]}}
EOF
    cat >"$work_dir/so_sanh.jsonl" <<'EOF'
{"prompt": [{"role": "user", "content": "Viết một câu chào buổi sáng."}], "chosen": "Chào buổi sáng! Chúc bạn một ngày tốt lành.", "rejected": "sáng", "provenance": {"source": "vietllm-demo", "licence": "CC0-1.0"}}
EOF
    "$cli" project import "$partial" --format messages --dataset "hỏi đáp mẫu" "$work_dir/hoi_dap.jsonl"
    "$cli" project import "$partial" --format oasst --dataset "cây hội thoại mẫu" "$work_dir/cay_hoi_thoai.jsonl"
    "$cli" project import "$partial" --format preference --dataset "so sánh mẫu" "$work_dir/so_sanh.jsonl"
}

"$cli" project init "$partial" --force
if [ -d "$data_dir" ]; then
    import_sample instruct/vi_alpaca_gpt4vn_sample1000.jsonl prompt-response vi_alpaca_gpt4vn
    import_sample instruct/vi_lima_gpt4_translated.jsonl prompt-response vi_lima
    import_sample instruct/en_oasst_100_trees.jsonl oasst en_oasst_trees
    import_sample instruct/en_hh_rlhf_harmless_base_test.jsonl.gz hh-rlhf en_hh_rlhf_harmless
fi
if [ "$imported" -eq 0 ]; then
    echo "make_demo_project: no shared samples in '$data_dir'; using the built-in sample" >&2
    write_builtin_sample
fi

# The CLI has closed the project, so its write-ahead log is merged and gone: one file to move.
# Stale companions of an earlier project at the target would be replayed into the new one.
rm -f "$project-wal" "$project-shm" "$project-journal"
mv -f "$partial" "$project"
echo "make_demo_project: wrote $project" >&2
