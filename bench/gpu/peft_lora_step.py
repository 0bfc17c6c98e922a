"""Reference for the GPU training benchmark: one LoRA step of PyTorch + Hugging Face PEFT at the
shape bench/engineTrainGpu.ts measures for the native engine (GPT-2-124M shape with random
weights, batch 4 x 256 tokens, rank 16 on c_attn, c_proj and c_fc, AdamW), so both run on the
same GPU in one session. Needs torch, transformers and peft (the GPU machines' image has them);
nothing is downloaded: the model is built from a config.

    python3 bench/gpu/peft_lora_step.py [--precision fp32|tf32|bf16] [--steps 20] [--layers 12]

Prints one JSON object: step and forward times, tokens/s, the model FLOPs of a step (counted as
in bench/engineTrain.ts: no base-weight gradients), and model FLOPs utilisation against the peak
this GPU reaches on a large matrix product of the same precision, measured here.
"""
import argparse
import json
import time

import torch
from peft import LoraConfig, get_peft_model
from transformers import GPT2Config, GPT2LMHeadModel

B, T, RANK = 4, 256, 16
C, H, I, V, P = 768, 12, 3072, 50257, 1024


def step_flops(layers: int) -> float:
    n = B * T
    linear = layers * (C * 3 * C + C * C + C * I + I * C)
    lora = layers * RANK * ((C + 3 * C) + (C + C) + (C + I) + (I + C))
    attn = layers * 4 * B * H * T * T * (C // H)
    fwd = 2 * n * linear + 2 * n * V * C + attn + 2 * n * lora
    bwd = 2 * n * linear + 2 * n * V * C + 2 * attn + 8 * n * lora
    return float(fwd + bwd), float(fwd)


def measured_peak(dtype: torch.dtype) -> float:
    """FLOP/s of an 8192^3 product in this precision (mean of 10 after warm-up)."""
    a = torch.randn(8192, 8192, device="cuda", dtype=dtype)
    b = torch.randn(8192, 8192, device="cuda", dtype=dtype)
    for _ in range(3):
        a @ b
    torch.cuda.synchronize()
    t0 = time.perf_counter()
    for _ in range(10):
        a @ b
    torch.cuda.synchronize()
    return 10 * 2 * 8192**3 / (time.perf_counter() - t0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--precision", choices=["fp32", "tf32", "bf16"], default="fp32")
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--layers", type=int, default=12)
    args = ap.parse_args()
    torch.backends.cuda.matmul.allow_tf32 = args.precision == "tf32"
    torch.backends.cudnn.allow_tf32 = args.precision == "tf32"
    torch.manual_seed(0)
    cfg = GPT2Config(n_embd=C, n_layer=args.layers, n_head=H, n_inner=I, vocab_size=V, n_positions=P,
                     resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0)
    model = GPT2LMHeadModel(cfg).cuda()
    lora = LoraConfig(r=RANK, lora_alpha=32, lora_dropout=0.0, target_modules=["c_attn", "c_proj", "c_fc"],
                      fan_in_fan_out=True, bias="none")
    model = get_peft_model(model, lora)
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-4)
    g = torch.Generator(device="cpu").manual_seed(7)
    tokens = torch.randint(0, V, (B, T), generator=g).cuda()
    autocast = torch.autocast("cuda", dtype=torch.bfloat16, enabled=args.precision == "bf16")

    def train_step():
        with autocast:
            loss = model(input_ids=tokens, labels=tokens).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_([p for p in model.parameters() if p.requires_grad], 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        return loss

    def forward():
        with torch.no_grad(), autocast:
            return model(input_ids=tokens, labels=tokens).loss

    def timed(fn, n):
        for _ in range(3):
            fn()
        torch.cuda.synchronize()
        t0 = time.perf_counter()
        for _ in range(n):
            out = fn()
        torch.cuda.synchronize()
        return (time.perf_counter() - t0) / n, float(out)

    torch.cuda.reset_peak_memory_stats()
    step_s, loss = timed(train_step, args.steps)
    fwd_s, _ = timed(forward, args.steps)
    flops, fwd_flops = step_flops(args.layers)
    peak = measured_peak(torch.bfloat16 if args.precision == "bf16" else torch.float32)
    print(json.dumps({
        "bench": "peftLoraStep",
        "gpu": torch.cuda.get_device_name(0),
        "torch": torch.__version__,
        "precision": args.precision,
        "shape": {"layers": args.layers, "batch": B, "seq": T, "rank": RANK},
        "trainStep": {"seconds": round(step_s, 5), "tokensPerSecond": round(B * T / step_s),
                      "tflops": round(flops / step_s / 1e12, 2), "mfu": round(flops / step_s / peak, 4), "loss": loss},
        "forward": {"seconds": round(fwd_s, 5), "tokensPerSecond": round(B * T / fwd_s),
                    "tflops": round(fwd_flops / fwd_s / 1e12, 2)},
        "stepOverForward": round(step_s / fwd_s, 3),
        "measuredPeakTflops": round(peak / 1e12, 1),
        "peakMemoryBytes": torch.cuda.max_memory_allocated(),
    }))


if __name__ == "__main__":
    main()
