export interface DiffPart {
  text: string;
  /** 'same' in both, 'removed' only in the first text, 'added' only in the second. */
  kind: 'same' | 'removed' | 'added';
}

/**
 * Word-level difference of two texts (longest common subsequence over words and the spaces
 * between them), for near duplicates side by side. Texts over `maxTokens` words each are compared
 * as whole blocks, so a huge record cannot stall the page (the table is O(n·m)).
 */
export function wordDiff(a: string, b: string, maxTokens = 2000): DiffPart[] {
  const ta = a.split(/(\s+)/).filter((t) => t !== '');
  const tb = b.split(/(\s+)/).filter((t) => t !== '');
  if (a === b) return a ? [{ text: a, kind: 'same' }] : [];
  if (ta.length > maxTokens || tb.length > maxTokens) {
    return [
      { text: a, kind: 'removed' },
      { text: b, kind: 'added' },
    ];
  }
  // lcs[i][j]: the common length of ta[i..] and tb[j..].
  const lcs = Array.from({ length: ta.length + 1 }, () => new Uint32Array(tb.length + 1));
  for (let i = ta.length - 1; i >= 0; i--) {
    for (let j = tb.length - 1; j >= 0; j--) {
      lcs[i]![j] = ta[i] === tb[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const out: DiffPart[] = [];
  const push = (text: string, kind: DiffPart['kind']) => {
    const last = out[out.length - 1];
    if (last && last.kind === kind) last.text += text;
    else out.push({ text, kind });
  };
  let i = 0;
  let j = 0;
  while (i < ta.length && j < tb.length) {
    if (ta[i] === tb[j]) {
      push(ta[i]!, 'same');
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) push(ta[i++]!, 'removed');
    else push(tb[j++]!, 'added');
  }
  while (i < ta.length) push(ta[i++]!, 'removed');
  while (j < tb.length) push(tb[j++]!, 'added');
  return out;
}
