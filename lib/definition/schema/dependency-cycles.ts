/**
 * Cycles through `depends_on`. ECS refuses such a task definition only when it is registered; we say so up front,
 * naming the whole cycle. links and volumes_from may form cycles: in hako they only resolve names.
 */
import type { DefinitionIssue } from '../../errors.js';
import { error } from './issues.js';

/** A container as the cross-checks see it: its name, its path in the definition and its raw value. */
export interface DependencyNode {
  readonly name: string;
  readonly path: string;
  readonly value: Readonly<Record<string, unknown>>;
}

interface Edge {
  readonly target: string;
  readonly path: string;
}

function edgesOf(node: DependencyNode, names: ReadonlySet<string>): Edge[] {
  const dependsOn = node.value['depends_on'];
  if (!Array.isArray(dependsOn)) return [];
  return dependsOn.flatMap((d: unknown, i): Edge[] => {
    const target = typeof d === 'object' && d !== null ? (d as Record<string, unknown>)['container_name'] : undefined;
    // A self reference and an undefined target are reported by the reference checks; neither is a cycle here.
    if (typeof target !== 'string' || target === node.name || !names.has(target)) return [];
    return [{ target, path: `${node.path}.depends_on[${i}].container_name` }];
  });
}

/**
 * One error per `depends_on` entry that closes a cycle, at that entry's path:
 * `sidecars.init.depends_on[0].container_name: dependency cycle app → init2 → init → app`. The search follows
 * the containers in the given order and each one's entries in order, so the report is stable.
 */
export function findDependencyCycles(nodes: readonly DependencyNode[]): DefinitionIssue[] {
  const names = new Set(nodes.map((n) => n.name));
  const edges = new Map(nodes.map((n) => [n.name, edgesOf(n, names)]));
  const done = new Set<string>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: DefinitionIssue[] = [];

  // Recursion depth is bounded by the number of containers, which is small.
  const visit = (name: string): void => {
    stack.push(name);
    onStack.add(name);
    for (const edge of edges.get(name) ?? []) {
      if (onStack.has(edge.target)) {
        const cycle = [...stack.slice(stack.indexOf(edge.target)), edge.target];
        out.push(error(edge.path, `dependency cycle ${cycle.join(' → ')}`));
      } else if (!done.has(edge.target)) {
        visit(edge.target);
      }
    }
    stack.pop();
    onStack.delete(name);
    done.add(name);
  };
  for (const node of nodes) if (!done.has(node.name)) visit(node.name);
  return out;
}
