#!/usr/bin/env python3
"""Writes a tiny random-weight llama GGUF for llmcls's real-server test (LlamaServerTest).

Uses llama.cpp's own gguf-py (pass its directory in GGUF_PY or as --gguf-py) and numpy. The model: llama
architecture, 2 layers, 64-wide, random weights (seeded, so the file is the same each time); a byte-level BPE
vocabulary in the GPT-2/Qwen2 style (the printable ASCII bytes, tab and newline are tokens, so any ASCII text
tokenizes, plus merges for the AG News label names) with ChatML's special tokens, pre-tokenizer "qwen2", and a ChatML chat template. --reasoning writes a
template whose generation prompt opens a <think> block, as reasoning models' templates do, so that llama-server
returns what the model writes as reasoning_content.

usage: tiny_gguf.py OUT.gguf [--reasoning] [--gguf-py DIR] [--context 2048]
"""
import argparse
import os
import sys

CHATML = (
    "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)
# Qwen3's shape, reduced: an assistant turn may carry reasoning in <think>...</think>, and the generation prompt
# opens a <think> block (a "thinking" model), so everything the model writes until </think> is reasoning.
CHATML_REASONING = (
    "{% for message in messages %}{% if message['role'] == 'assistant' %}"
    "{{'<|im_start|>assistant\\n<think>\\n' + (message.get('reasoning_content') or '') + '\\n</think>\\n\\n'"
    " + message['content'] + '<|im_end|>\\n'}}"
    "{% else %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endif %}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n<think>\\n' }}{% endif %}"
)
WORDS = ["World", "Sports", "Business", "Science", "Technology", "label", "Ġlabel", "Ġthe", "Ġand", "news"]


def bytes_to_unicode():
    """GPT-2's reversible byte -> printable character map (what byte-level BPE vocabularies are written in)."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


def vocabulary(reasoning):
    # Only the bytes of printable ASCII, tab and newline: random weights then cannot write invalid UTF-8 (a byte of a
    # multi-byte character alone), which llama-server's output parser refuses with HTTP 500 ("The model produced
    # output that does not match the expected ... format"). The tests' texts are ASCII.
    table = bytes_to_unicode()
    byte_chars = [table[b] for b in [9, 10] + list(range(32, 127))]
    tokens = list(byte_chars)
    merges = []
    for word in WORDS:
        pieces = list(word)
        current = pieces[0]
        for piece in pieces[1:]:
            merged = current + piece
            merge = current + " " + piece
            if merge not in merges:
                merges.append(merge)
            if merged not in tokens:
                tokens.append(merged)
            current = merged
    normal = len(tokens)
    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    # <think> tokens only where the template uses them; elsewhere a random "</think>" would be parsed as reasoning
    user_defined = ["<think>", "</think>"] if reasoning else []
    tokens += specials + user_defined
    # 1 NORMAL, 3 CONTROL, 4 USER_DEFINED (gguf.TokenType)
    types = [1] * normal + [3] * len(specials) + [4] * len(user_defined)
    return tokens, types, merges


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--reasoning", action="store_true")
    parser.add_argument("--gguf-py", default=os.environ.get("GGUF_PY"))
    parser.add_argument("--context", type=int, default=2048)
    args = parser.parse_args()
    if args.gguf_py:
        sys.path.insert(0, args.gguf_py)
    import numpy as np
    import gguf

    tokens, types, merges = vocabulary(args.reasoning)
    n_vocab, n_embd, n_head, n_layer, n_ff = len(tokens), 64, 4, 2, 128
    writer = gguf.GGUFWriter(args.out, "llama")
    writer.add_name("llmcls-tiny-llama" + ("-reasoning" if args.reasoning else ""))
    writer.add_context_length(args.context)
    writer.add_embedding_length(n_embd)
    writer.add_block_count(n_layer)
    writer.add_feed_forward_length(n_ff)
    writer.add_head_count(n_head)
    writer.add_head_count_kv(n_head)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_rope_dimension_count(n_embd // n_head)
    writer.add_vocab_size(n_vocab)
    writer.add_file_type(gguf.LlamaFileType.ALL_F32)
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("qwen2")
    writer.add_token_list(tokens)
    writer.add_token_types(types)
    writer.add_token_merges(merges)
    writer.add_bos_token_id(tokens.index("<|endoftext|>"))
    writer.add_eos_token_id(tokens.index("<|im_end|>"))
    writer.add_eot_token_id(tokens.index("<|im_end|>"))
    writer.add_add_bos_token(False)
    writer.add_chat_template(CHATML_REASONING if args.reasoning else CHATML)

    rng = np.random.default_rng(20261128)

    def weight(*shape):
        return (rng.standard_normal(shape) * 0.5).astype(np.float32)

    writer.add_tensor("token_embd.weight", weight(n_vocab, n_embd))
    writer.add_tensor("output_norm.weight", np.ones(n_embd, dtype=np.float32))
    writer.add_tensor("output.weight", weight(n_vocab, n_embd))
    for layer in range(n_layer):
        prefix = f"blk.{layer}."
        writer.add_tensor(prefix + "attn_norm.weight", np.ones(n_embd, dtype=np.float32))
        for name in ("attn_q", "attn_k", "attn_v", "attn_output"):
            writer.add_tensor(prefix + name + ".weight", weight(n_embd, n_embd))
        writer.add_tensor(prefix + "ffn_norm.weight", np.ones(n_embd, dtype=np.float32))
        writer.add_tensor(prefix + "ffn_gate.weight", weight(n_ff, n_embd))
        writer.add_tensor(prefix + "ffn_up.weight", weight(n_ff, n_embd))
        writer.add_tensor(prefix + "ffn_down.weight", weight(n_embd, n_ff))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


if __name__ == "__main__":
    main()
