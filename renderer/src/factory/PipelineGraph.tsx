import { Background, Controls, Handle, MarkerType, type Edge, type Node, type NodeProps, type NodeTypes, Position, ReactFlow, ReactFlowProvider, useNodesState, useReactFlow } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { memo, useEffect, useMemo, useRef } from 'react';
import { useStore } from 'zustand';
import { themeStore } from '../workbench/theming/themeStore';
import { Codicon } from '../components/Codicon';
import type { PipelineError, PipelineNode } from './factoryTypes';
import { NODE_SPECS, nodeSpec } from './pipelineNodes';
import { NODE_WIDTH, edgeHandles, nodePositions } from './pipelineLayout';

interface StepData extends Record<string, unknown> {
  id: PipelineNode;
  summary: string;
  /** The section is absent from the file: the node runs on its defaults. */
  implicit: boolean;
  errors: PipelineError[];
  selected: boolean;
}

/** One node: title, a one-line summary of its section, and its errors in red under it. */
const StepNode = memo(function StepNode({ data }: NodeProps<Node<StepData>>) {
  const spec = nodeSpec(data.id);
  const invalid = data.errors.length > 0;
  return (
    <div
      className={`pl-node${invalid ? ' pl-node--error' : ''}${data.selected ? ' pl-node--selected' : ''}${data.implicit ? ' pl-node--implicit' : ''}`}
      style={{ width: NODE_WIDTH }}
      data-testid={`pipeline-node-${data.id}`}
      data-invalid={invalid ? 'true' : 'false'}
    >
      {(['l', 'r', 't'] as const).map((h) => (
        <Handle key={h} id={h} type="target" position={h === 'l' ? Position.Left : h === 'r' ? Position.Right : Position.Top} isConnectable={false} />
      ))}
      <div className="pl-node__title">
        <Codicon name={spec.icon} />
        <span>{spec.title}</span>
        {invalid ? <Codicon name="error" /> : null}
      </div>
      <div className="pl-node__summary" title={data.summary}>
        {data.implicit ? 'defaults' : data.summary}
      </div>
      {data.errors.map((e, i) => (
        <div key={i} className="pl-node__error" data-testid={`pipeline-node-error-${data.id}`}>
          {e.field ? <code>{e.field}</code> : null} {e.message}
        </div>
      ))}
      {(['l', 'r', 'b'] as const).map((h) => (
        <Handle key={h} id={h} type="source" position={h === 'l' ? Position.Left : h === 'r' ? Position.Right : Position.Bottom} isConnectable={false} />
      ))}
    </div>
  );
});

const nodeTypes: NodeTypes = { step: StepNode };

export interface PipelineGraphProps {
  value: Record<string, unknown> | null;
  errors: readonly PipelineError[];
  selected: PipelineNode;
  onSelect(node: PipelineNode): void;
  /** A node was dragged: its new place goes into the file's `layout`. */
  onMove(node: PipelineNode, x: number, y: number): void;
}

/**
 * The pipeline as a graph (@xyflow/react): the nine nodes in their fixed order, each with the
 * summary of its section and the core's errors for it. Nodes cannot be connected by hand: the
 * chain is the schema's, and what the user edits is each node's settings (the inspector).
 */
export function PipelineGraph(props: PipelineGraphProps) {
  return (
    <ReactFlowProvider>
      <Graph {...props} />
    </ReactFlowProvider>
  );
}

function Graph({ value, errors, selected, onSelect, onMove }: PipelineGraphProps) {
  const layout = value?.layout;
  const theme = useStore(themeStore, (t) => t.theme);
  const computed = useMemo(() => {
    const at = nodePositions(layout);
    const nodes: Node<StepData>[] = NODE_SPECS.map((spec) => {
      const section = value?.[spec.id];
      const obj = section !== null && typeof section === 'object' ? (section as Record<string, unknown>) : {};
      return {
        id: spec.id,
        type: 'step',
        position: at[spec.id],
        data: { id: spec.id, summary: spec.summary(obj), implicit: value !== null && section === undefined, errors: errors.filter((e) => e.node === spec.id), selected: selected === spec.id },
      };
    });
    const edges: Edge[] = NODE_SPECS.slice(1).map((spec, i) => {
      const from = NODE_SPECS[i]!.id;
      return { id: `${from}-${spec.id}`, source: from, target: spec.id, ...edgeHandles(at[from], at[spec.id]), type: 'smoothstep', markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 } };
    });
    return { nodes, edges };
  }, [value, layout, errors, selected]);
  // The panel is resized with the editor (sash, side bar, bottom panel): keep all nine in view.
  const flow = useReactFlow();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    let frame = 0;
    const ro = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => void flow.fitView({ padding: 0.12 }));
    });
    ro.observe(el);
    return () => {
      cancelAnimationFrame(frame);
      ro.disconnect();
    };
  }, [flow]);
  // Nodes move under the pointer while dragged (local state); the file is written on drop.
  const [nodes, setNodes, onNodesChange] = useNodesState(computed.nodes);
  useEffect(() => setNodes(computed.nodes), [computed.nodes, setNodes]);

  return (
    <div ref={box} className="pl-graph__box">
      <ReactFlow
        nodes={nodes}
        edges={computed.edges}
        onNodesChange={onNodesChange}
        nodeTypes={nodeTypes}
        fitView
        fitViewOptions={{ padding: 0.12 }}
        minZoom={0.3}
        maxZoom={1.5}
        nodesConnectable={false}
        elementsSelectable
        proOptions={{ hideAttribution: true }}
        onNodeClick={(_e, n) => onSelect(n.id as PipelineNode)}
        onNodeDragStop={(_e, n) => onMove(n.id as PipelineNode, Math.round(n.position.x), Math.round(n.position.y))}
        colorMode={theme}
      >
        <Background gap={16} size={1} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
