/**
 * Schema building, phase 5: `deviation`s of a module or submodule file (RFC 7950 7.20.3):
 * not-supported removes the node; replace/add may change its type and config.
 */
import type { SchemaNode, YangModule } from './model';
import { child, childArg, children } from './parser';
import { childScope, fileScope, type FileContext } from './scope';
import { setConfig } from './schema-tree';
import type { TypeResolver } from './types';

export function applyDeviations(
  file: FileContext,
  absolute: (path: string, file: FileContext) => SchemaNode | undefined,
  modules: ReadonlyMap<string, YangModule>,
  types: TypeResolver,
  warn: (message: string) => void,
): void {
  for (const deviation of children(file.root, 'deviation')) {
    const node = absolute(deviation.arg ?? '', file);
    if (!node) {
      warn(`${file.fileName}:${deviation.line}: deviation target '${deviation.arg}' not found`);
      continue;
    }
    for (const deviate of children(deviation, 'deviate')) {
      if (deviate.arg === 'not-supported') {
        const siblings = node.parent ? node.parent.children : modules.get(node.module)?.nodes;
        const at = siblings?.indexOf(node) ?? -1;
        if (siblings && at >= 0) siblings.splice(at, 1);
        continue;
      }
      const typeStmt = child(deviate, 'type');
      if (typeStmt && (deviate.arg === 'replace' || deviate.arg === 'add')) {
        node.type = types.resolve(typeStmt, childScope(deviate, childScope(deviation, fileScope(file))));
      }
      const config = childArg(deviate, 'config');
      if (config !== undefined && deviate.arg !== 'delete') setConfig(node, config !== 'false');
    }
  }
}
