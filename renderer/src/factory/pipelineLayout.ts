import type { PipelineNode } from './factoryTypes';
import { NODE_SPECS } from './pipelineNodes';

export interface XY {
  x: number;
  y: number;
}

export const NODE_WIDTH = 200;
const COL = 250;
const ROW = 120;

/**
 * Where each node sits: the file's `layout` section when it places the node (dragging writes it
 * there), else a three-row snake (left to right, then back) that keeps the chain readable in a
 * half-width panel without crossing edges.
 */
export function nodePositions(layout: unknown): Record<PipelineNode, XY> {
  const saved = layout !== null && typeof layout === 'object' ? (layout as Partial<Record<PipelineNode, XY>>) : {};
  const out = {} as Record<PipelineNode, XY>;
  NODE_SPECS.forEach((spec, i) => {
    const row = Math.floor(i / 3);
    const col = row % 2 === 0 ? i % 3 : 2 - (i % 3);
    const p = saved[spec.id];
    out[spec.id] = p && Number.isFinite(p.x) && Number.isFinite(p.y) ? { x: p.x, y: p.y } : { x: col * COL, y: row * ROW };
  });
  return out;
}

/** The handles an edge leaves and enters by, from where the two nodes sit. */
export function edgeHandles(from: XY, to: XY): { sourceHandle: 'r' | 'l' | 'b'; targetHandle: 'l' | 'r' | 't' } {
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  if (Math.abs(dy) > Math.abs(dx)) return { sourceHandle: 'b', targetHandle: 't' };
  return dx >= 0 ? { sourceHandle: 'r', targetHandle: 'l' } : { sourceHandle: 'l', targetHandle: 'r' };
}
