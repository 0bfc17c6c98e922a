import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generate, type GenerateResult } from '../../engine/generate';
import { modelSpecWithFiles } from '../../engine/modelSpecWithFiles';
import { loadNativeEngine } from '../../engine/native/index';
import { nativeLogitsSource } from '../../engine/nativeLogitsSource';
import { applyPeftAdapter } from '../../engine/peft/applyPeftAdapter';
import { createLoraAdapter } from '../../engine/peft/createLoraAdapter';
import type { LoraAdapter } from '../../engine/peft/LoraAdapter';
import { buildTestModel } from '../../engine/testModels/buildTestModel';
import { Tokenizer } from '../../engine/tokenizer/Tokenizer';
import { adapterBytes } from '../AdapterCache';
import { ServingCore, type ServeRequest, type ServeResult } from '../ServingCore';

/**
 * The serving core against the plain reference: each request alone on a fresh model with its one
 * adapter applied (batch 1, `generate`). Rows for different adapters and the base, joining while
 * others run, sampled and greedy, must give the same tokens and the same logprobs, bit for bit
 * (segmented LoRA and left padding both keep each row's arithmetic as it is alone).
 */
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-serving-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const engine = loadNativeEngine();

const PROMPTS = ['Who keeps the data?', 'Training runs on the local machine and', 'The heatmap shows', 'Adapters travel'];

for (const family of ['gpt2', 'llama'] as const) {
  describe(`ServingCore (${family})`, () => {
    const dir = path.join(root, family);
    buildTestModel(dir, { family, seed: 5 });
    const spec = modelSpecWithFiles(dir);
    const tok = Tokenizer.fromModelDir(dir);
    const targets = family === 'gpt2' ? [['c_attn'], ['c_attn', 'c_fc'], ['c_proj']] : [['q_proj', 'v_proj'], ['o_proj', 'up_proj'], ['k_proj', 'down_proj', 'gate_proj']];
    const adapters: Record<string, LoraAdapter> = {
      a: createLoraAdapter(spec, { r: 4, alpha: 8, targets: targets[0]!, seed: 1, randomB: true }),
      b: createLoraAdapter(spec, { r: 2, alpha: 4, targets: targets[1]!, seed: 2, randomB: true, useRslora: true }),
      c: createLoraAdapter(spec, { r: 8, alpha: 8, targets: targets[2]!, seed: 3, randomB: true }),
    };
    const loads: string[] = [];
    const makeCore = (budget: number, prefillSlice?: number) =>
      new ServingCore(engine, new engine.Model(spec), spec, tok, {
        ...(prefillSlice ? { prefillSlice } : {}),
        adapterBudgetBytes: budget,
        maxRank: 8,
        loadAdapter: (name) => {
          loads.push(name);
          const a = adapters[name];
          if (!a) throw new Error(`no adapter named "${name}"`);
          return { adapter: a, warning: null };
        },
      });

    function reference(adapter: string | null, prompt: string, opts: ServeRequest['opts']): GenerateResult {
      const model = new engine.Model(spec);
      if (adapter) applyPeftAdapter(model, adapters[adapter]!);
      return generate(nativeLogitsSource(engine, model, spec.maxPositions), tok, prompt, opts);
    }

    const expectSame = (got: ServeResult, want: GenerateResult) => {
      expect(got.tokens.map((t) => t.id)).toEqual(want.tokens.map((t) => t.id));
      got.tokens.forEach((t, i) => {
        expect(t.logprob).toBe(want.tokens[i]!.logprob);
        expect(t.top.map((x) => x.id)).toEqual(want.tokens[i]!.top.map((x) => x.id));
      });
      expect(got.text).toBe(want.text);
    };

    it('a long prompt is prefilled in slices with event-loop turns between them; every row still equals its reference', async () => {
      const core = makeCore(1 << 30, 4);
      const long = PROMPTS.join(' ');
      expect(tok.encode(long).length).toBeGreaterThan(16);
      // Turns of the event loop (where HTTP is answered) counted until the first token streams.
      let turns = 0;
      let firstTokenAt = -1;
      let ticking = true;
      const tick = () => {
        turns++;
        if (ticking) setImmediate(tick);
      };
      setImmediate(tick);
      const plan = [{ adapter: 'a', prompt: long, opts: { maxTokens: 6, temperature: 0.8, seed: 3 } }];
      const results = plan.map((p, i) =>
        core.submit({ adapter: p.adapter, promptIds: tok.encode(p.prompt), opts: p.opts, ...(i === 0 ? { onToken: () => void (firstTokenAt < 0 && (firstTokenAt = turns)) } : {}) }).done,
      );
      const got = await Promise.all(results);
      ticking = false;
      plan.forEach((p, i) => expectSame(got[i]!, reference(p.adapter, p.prompt, p.opts)));
      expect(core.prefillCalls).toBe(Math.ceil(tok.encode(long).length / 4));
      // One prefill call per turn: the loop gave way at least once per slice before the first token.
      expect(firstTokenAt).toBeGreaterThanOrEqual(core.prefillCalls - 1);
    });

    it('mixed adapters and the base, rows joining mid-flight, equal the one-adapter reference per row', async () => {
      const core = makeCore(1 << 30);
      const plan: { adapter: string | null; prompt: string; opts: ServeRequest['opts'] }[] = [
        { adapter: 'a', prompt: PROMPTS[0]!, opts: { maxTokens: 12 } },
        { adapter: null, prompt: PROMPTS[1]!, opts: { maxTokens: 7 } },
        { adapter: 'b', prompt: PROMPTS[2]!, opts: { maxTokens: 9, temperature: 0.9, topP: 0.9, seed: 11 } },
        { adapter: 'c', prompt: PROMPTS[3]!, opts: { maxTokens: 5, temperature: 1.2, seed: 4 } },
        { adapter: 'a', prompt: PROMPTS[2]!, opts: { maxTokens: 10, temperature: 0.7, seed: 9 } },
      ];
      // The first two start; the rest join once the first has produced 3 tokens (between steps).
      const results: Promise<ServeResult>[] = [];
      let joined = false;
      const joinRest = () => {
        joined = true;
        for (const p of plan.slice(2)) results.push(core.submit({ adapter: p.adapter, promptIds: tok.encode(p.prompt), opts: p.opts }).done);
      };
      results.push(
        core.submit({
          adapter: plan[0]!.adapter,
          promptIds: tok.encode(plan[0]!.prompt),
          opts: plan[0]!.opts,
          onToken: () => {
            if (!joined && core.stats().active > 0) joinRest();
          },
        }).done,
      );
      results.push(core.submit({ adapter: plan[1]!.adapter, promptIds: tok.encode(plan[1]!.prompt), opts: plan[1]!.opts }).done);
      await new Promise((r) => setTimeout(r, 0));
      const first = await results[0]!;
      const all = await Promise.all(results);
      expect(all[0]).toBe(first);
      plan.forEach((p, i) => expectSame(all[i]!, reference(p.adapter, p.prompt, p.opts)));
      // Rows of different adapters shared native step calls.
      expect(core.stats().stepRows / core.stats().stepCalls).toBeGreaterThan(1);
      expect(core.stats().active).toBe(0);
      core.close();
    });

    it('keeps only the budget resident (LRU), waits for room instead of failing, and names bad adapters', async () => {
      loads.length = 0;
      // Room for the largest padded adapter only.
      const budget = Math.max(...Object.values(adapters).map(adapterBytes));
      const core = makeCore(budget);
      const run = (adapter: string | null, prompt: string) => core.submit({ adapter, promptIds: tok.encode(prompt), opts: { maxTokens: 4 } }).done;
      const rs = await Promise.all([run('a', PROMPTS[0]!), run('b', PROMPTS[1]!), run('c', PROMPTS[2]!), run('a', PROMPTS[3]!)]);
      rs.forEach((r, i) => expectSame(r, reference(['a', 'b', 'c', 'a'][i]!, PROMPTS[i]!, { maxTokens: 4 })));
      expect(core.stats().residentBytes).toBeLessThanOrEqual(budget);
      expect(core.stats().evictions).toBeGreaterThan(0);
      expect(loads.length).toBeGreaterThanOrEqual(4);

      await expect(run('zzz', PROMPTS[0]!)).rejects.toThrow(/no adapter named "zzz"/);
      const tooLong = core.submit({ adapter: null, promptIds: new Array(spec.maxPositions).fill(1), opts: { maxTokens: 2 } }).done;
      await expect(tooLong).rejects.toThrow(new RegExp(`the model's context holds ${spec.maxPositions}`));
      // Still serving after the failures.
      expectSame(await run('b', PROMPTS[0]!), reference('b', PROMPTS[0]!, { maxTokens: 4 }));
      core.close();
    });

    it('a thousand adapters known, only the budget resident, every request served', async () => {
      const many = new Map<string, LoraAdapter>();
      for (let i = 0; i < 1000; i++) many.set(`a${i}`, createLoraAdapter(spec, { r: 2, alpha: 4, targets: targets[i % 3]!, seed: 1000 + i, randomB: true }));
      const budget = 5 * Math.max(...[...many.values()].map(adapterBytes));
      const core = new ServingCore(engine, new engine.Model(spec), spec, tok, {
        adapterBudgetBytes: budget,
        maxRank: 8,
        loadAdapter: (name) => ({ adapter: many.get(name)!, warning: null }),
      });
      let peak = 0;
      const names = Array.from({ length: 40 }, (_, i) => `a${(i * 97) % 1000}`);
      const results = await Promise.all(
        names.map((n, i) =>
          core.submit({ adapter: n, promptIds: tok.encode(PROMPTS[i % 4]!), opts: { maxTokens: 3 }, onToken: () => (peak = Math.max(peak, core.stats().residentBytes)) }).done,
        ),
      );
      expect(peak).toBeLessThanOrEqual(budget);
      expect(core.stats().loads).toBeGreaterThanOrEqual(40);
      for (const i of [0, 17, 39]) {
        const model = new engine.Model(spec);
        applyPeftAdapter(model, many.get(names[i]!)!);
        expectSame(results[i]!, generate(nativeLogitsSource(engine, model, spec.maxPositions), tok, PROMPTS[i % 4]!, { maxTokens: 3 }));
      }
      core.close();
    });

    it('a cancelled row leaves at the next step; the others finish', async () => {
      const core = makeCore(1 << 30);
      let handle: ReturnType<ServingCore['submit']> | null = null;
      let seen = 0;
      handle = core.submit({ adapter: 'a', promptIds: tok.encode(PROMPTS[0]!), opts: { maxTokens: 50 }, onToken: () => ++seen === 2 && handle!.cancel() });
      const other = core.submit({ adapter: 'b', promptIds: tok.encode(PROMPTS[1]!), opts: { maxTokens: 6 } }).done;
      const cancelled = await handle.done;
      expect(cancelled.finishReason).toBe('cancelled');
      expect(cancelled.tokens.length).toBeLessThanOrEqual(3);
      expectSame(await other, reference('b', PROMPTS[1]!, { maxTokens: 6 }));
      expect(core.stats().active).toBe(0);
      core.close();
    });
  });
}
