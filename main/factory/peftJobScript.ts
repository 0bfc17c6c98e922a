// The Python side of `runs export --format peft-job`: train.py, reading job.json beside it. The
// data files are the run's own (already formatted by the pipeline's format node: {"text"} or
// {"prompt", "response"}), so formatting matches by construction; masking is done here as the
// engine does it (main/engine/training/tokenizeRecord.ts): the prompt encoded with the
// tokenizer's special tokens and labelled -100, the response encoded without them, EOS appended
// and trained. What differs: the order batches are drawn in (the engine's seeded DataOrder vs
// the Trainer's sampler), so curves match in shape, not bit for bit.
export const PEFT_JOB_SCRIPT = `#!/usr/bin/env python3
"""A Studio Factory run as a transformers + PEFT job.

Run on one GPU:      python train.py
Run on several GPUs: accelerate launch train.py
Settings are in job.json (written by \`studio runs export RUN --format peft-job\`).
The adapter is written to ./adapter in PEFT layout; import it back with
\`studio adapters import adapter --base BASE_MODEL_FOLDER\`.
"""
import json
import os

import torch
from datasets import load_dataset
from peft import LoraConfig, get_peft_model
from transformers import AutoModelForCausalLM, AutoTokenizer, Trainer, TrainingArguments

HERE = os.path.dirname(os.path.abspath(__file__))
job = json.load(open(os.path.join(HERE, "job.json")))
t = job["training"]

tokenizer = AutoTokenizer.from_pretrained(job["base_model"])
pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else (tokenizer.eos_token_id or 0)
eos_id = tokenizer.eos_token_id


def encode(record):
    # As the engine's tokenizeRecord: text trains every token; prompt/response trains the response.
    if "text" in record and record["text"] is not None:
        ids = tokenizer(record["text"])["input_ids"]
        if eos_id is not None:
            ids = ids + [eos_id]
        labels = list(ids)
    else:
        prompt = tokenizer(record["prompt"])["input_ids"]
        response = tokenizer(record["response"], add_special_tokens=False)["input_ids"]
        if eos_id is not None:
            response = response + [eos_id]
        ids = prompt + response
        labels = ([-100] * len(prompt) if job["data"]["response_only_loss"] else list(prompt)) + list(response)
    n = t["max_seq_length"]
    return {"input_ids": ids[:n], "labels": labels[:n]}


def collate(rows):
    n = max(len(r["input_ids"]) for r in rows)
    pad = lambda xs, v: xs + [v] * (n - len(xs))
    return {
        "input_ids": torch.tensor([pad(r["input_ids"], pad_id) for r in rows]),
        "labels": torch.tensor([pad(r["labels"], -100) for r in rows]),
        "attention_mask": torch.tensor([pad([1] * len(r["input_ids"]), 0) for r in rows]),
    }


files = {"train": os.path.join(HERE, job["data"]["train"])}
if job["data"]["eval"]:
    files["eval"] = os.path.join(HERE, job["data"]["eval"])
data = load_dataset("json", data_files=files)
columns = data["train"].column_names
data = data.map(encode, remove_columns=columns)

model = AutoModelForCausalLM.from_pretrained(job["base_model"], torch_dtype=torch.float32)
model = get_peft_model(model, LoraConfig(**job["lora"]))
model.print_trainable_parameters()

args = TrainingArguments(
    output_dir=os.path.join(HERE, "checkpoints"),
    learning_rate=t["learning_rate"],
    max_steps=t["max_steps"],
    per_device_train_batch_size=t["per_device_train_batch_size"],
    per_device_eval_batch_size=t["per_device_train_batch_size"],
    gradient_accumulation_steps=t["gradient_accumulation_steps"],
    warmup_steps=t["warmup_steps"],
    lr_scheduler_type=t["lr_scheduler_type"],
    weight_decay=t["weight_decay"],
    max_grad_norm=t["max_grad_norm"],
    adam_beta1=t["adam_beta1"],
    adam_beta2=t["adam_beta2"],
    adam_epsilon=t["adam_epsilon"],
    seed=t["seed"],
    logging_steps=1,
    eval_strategy="steps" if (t["eval_steps"] and "eval" in data) else "no",
    eval_steps=t["eval_steps"],
    save_steps=t["save_steps"],
    report_to=[],
    remove_unused_columns=False,
)
trainer = Trainer(model=model, args=args, train_dataset=data["train"], eval_dataset=data.get("eval"), data_collator=collate)
trainer.train()
with open(os.path.join(HERE, "losses.jsonl"), "w") as f:
    for entry in trainer.state.log_history:
        f.write(json.dumps(entry) + "\\n")
model.save_pretrained(os.path.join(HERE, "adapter"))
model.eval()
for prompt in job["evaluate"]["prompts"]:
    ids = tokenizer(prompt, return_tensors="pt").to(model.device)
    out = model.generate(**ids, max_new_tokens=job["evaluate"]["max_new_tokens"], do_sample=False)
    print(json.dumps({"prompt": prompt, "text": tokenizer.decode(out[0][ids["input_ids"].shape[1]:], skip_special_tokens=True)}))
`;
