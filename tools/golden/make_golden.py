#!/usr/bin/env python3
"""Golden logits from Hugging Face transformers for tiny random models of every architecture the
engine supports, so that tests/unit compare our libtorch forward against the reference
implementation without downloading anything.

Run wherever torch + transformers + safetensors are installed (CPU is enough):
    python3 tools/golden/make_golden.py --out tests/fixtures/golden
For each architecture it writes OUT/<name>/{config.json, model.safetensors, golden.safetensors,
golden.json}. golden.safetensors holds:
    input_ids         int64 [1, T]      a fixed prompt
    logits            float32 [1, T, V] logits of every position
    batch_input_ids   int64 [2, T]      two prompts, the second left-padded with pad id 0
    batch_attention_mask int64 [2, T]
    batch_logits      float32 [2, T, V] (positions of padded rows count from the first real token)
    greedy_ids        int64 [1, T + G]  greedy continuation by repeated full forwards
Weights are re-drawn with a larger spread than HF's initialiser (std 0.02 makes every logit nearly
0, which would let a wrong forward pass); all in float32, eager attention.
"""
import argparse
import inspect
import json
import os
import sys

import torch

VOCAB = 128
HIDDEN = 64
GREEDY_TOKENS = 8


def tiny_configs():
    import transformers as tf

    common_rope = dict(vocab_size=VOCAB, hidden_size=HIDDEN, intermediate_size=128, num_hidden_layers=2,
                       num_attention_heads=4, max_position_embeddings=128, rms_norm_eps=1e-6)
    return {
        "llama": lambda: tf.LlamaConfig(**common_rope, num_key_value_heads=2, tie_word_embeddings=False),
        "llama_tied": lambda: tf.LlamaConfig(**common_rope, num_key_value_heads=4, tie_word_embeddings=True),
        "llama3_rope": lambda: tf.LlamaConfig(**common_rope, num_key_value_heads=2, rope_theta=500000.0,
                                              rope_scaling={"rope_type": "llama3", "factor": 8.0,
                                                            "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                                                            "original_max_position_embeddings": 16}),
        "mistral": lambda: tf.MistralConfig(**common_rope, num_key_value_heads=2, sliding_window=None),
        "qwen2": lambda: tf.Qwen2Config(**common_rope, num_key_value_heads=2, tie_word_embeddings=True),
        "gpt_neox": lambda: tf.GPTNeoXConfig(vocab_size=VOCAB, hidden_size=HIDDEN, num_hidden_layers=2,
                                             num_attention_heads=4, intermediate_size=256, rotary_pct=0.25,
                                             use_parallel_residual=True, max_position_embeddings=128),
        "bloom": lambda: tf.BloomConfig(vocab_size=VOCAB, hidden_size=HIDDEN, n_layer=2, n_head=4),
        "gptj": lambda: tf.GPTJConfig(vocab_size=VOCAB, n_embd=HIDDEN, n_layer=2, n_head=4, rotary_dim=8,
                                      n_positions=128),
        "mpt": lambda: tf.MptConfig(vocab_size=VOCAB, d_model=HIDDEN, n_layers=2, n_heads=4, max_seq_len=128,
                                    expansion_ratio=2),
    }


def redraw_weights(model, generator):
    with torch.no_grad():
        for name, param in model.named_parameters():
            if param.dim() == 1 and ("norm" in name or "ln" in name or name.endswith(".weight")):
                param.copy_(1.0 + 0.1 * torch.randn(param.shape, generator=generator))
            elif param.dim() == 1:
                param.copy_(0.1 * torch.randn(param.shape, generator=generator))
            else:
                param.copy_(0.15 * torch.randn(param.shape, generator=generator))


def forward_logits(model, input_ids, attention_mask=None):
    kwargs = {"input_ids": input_ids}
    if attention_mask is not None:
        kwargs["attention_mask"] = attention_mask
        if "position_ids" in inspect.signature(model.forward).parameters:
            kwargs["position_ids"] = (attention_mask.cumsum(-1) - 1).clamp(min=0)
    with torch.no_grad():
        return model(**kwargs).logits.float()


def make_one(name, make_config, out_dir):
    import transformers as tf
    from safetensors.torch import save_file

    torch.manual_seed(1234)
    generator = torch.Generator().manual_seed(1234)
    config = make_config()
    model = tf.AutoModelForCausalLM.from_config(config, attn_implementation="eager").float()
    model.eval()
    redraw_weights(model, generator)
    if getattr(config, "tie_word_embeddings", False):
        model.tie_weights()

    target = os.path.join(out_dir, name)
    os.makedirs(target, exist_ok=True)
    model.save_pretrained(target)

    input_ids = torch.tensor([[1, 17, 42, 5, 99, 23, 64, 7, 120, 3]], dtype=torch.long)
    logits = forward_logits(model, input_ids)
    second = torch.tensor([[0, 0, 0, 9, 81, 33, 12, 54, 2, 77]], dtype=torch.long)
    batch_ids = torch.cat([input_ids, second])
    batch_mask = torch.ones_like(batch_ids)
    batch_mask[1, :3] = 0
    batch_logits = forward_logits(model, batch_ids, batch_mask)

    greedy = input_ids.clone()
    for _ in range(GREEDY_TOKENS):
        next_id = forward_logits(model, greedy)[:, -1, :].argmax(-1, keepdim=True)
        greedy = torch.cat([greedy, next_id], dim=1)

    save_file({"input_ids": input_ids, "logits": logits.contiguous(), "batch_input_ids": batch_ids,
               "batch_attention_mask": batch_mask, "batch_logits": batch_logits.contiguous(),
               "greedy_ids": greedy}, os.path.join(target, "golden.safetensors"))
    meta = {"name": name, "model_type": config.model_type, "transformers": tf.__version__,
            "torch": torch.__version__, "dtype": "float32", "attention": "eager",
            "logits_abs_max": float(logits.abs().max()), "logits_std": float(logits.std()),
            "greedy_ids": greedy[0].tolist(),
            "rope": {k: v for k, v in config.to_dict().items() if "rope" in k}}
    with open(os.path.join(target, "golden.json"), "w") as f:
        json.dump(meta, f, indent=1)
    return meta


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--only", nargs="*", help="architecture names to (re)make")
    args = parser.parse_args()
    failures = 0
    for name, make_config in tiny_configs().items():
        if args.only and name not in args.only:
            continue
        try:
            meta = make_one(name, make_config, args.out)
            print(f"{name}: ok, logits std {meta['logits_std']:.3f}, greedy {meta['greedy_ids'][-8:]}")
        except Exception as error:  # report and go on: one architecture must not hide the others
            failures += 1
            print(f"{name}: FAILED: {type(error).__name__}: {error}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
