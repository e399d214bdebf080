/**
 * XML indented for people (backups read in a diff tool, the Debug sidebar): one element per line,
 * children indented, an element holding only text on one line. Prefixes, namespace declarations
 * and attribute order stay as written; whitespace between elements is replaced. For machines,
 * keep the XML as the device sent it: this is not byte-exact.
 */
import { SaxesParser } from 'saxes';
import { escapeAttribute, escapeText } from './element';

interface Node {
  open: string;
  name: string;
  children: (Node | string)[];
}

function openTag(name: string, attributes: Record<string, string>): string {
  const attrs = Object.entries(attributes).map(([k, v]) => ` ${k}="${escapeAttribute(v)}"`);
  return `<${name}${attrs.join('')}`;
}

function parse(xml: string): Node {
  const root: Node = { open: '', name: '', children: [] };
  const stack: Node[] = [root];
  const parser = new SaxesParser({ xmlns: false });
  const top = (): Node => stack[stack.length - 1];
  parser.on('opentag', (tag) => {
    const node: Node = {
      open: openTag(tag.name, tag.attributes),
      name: tag.name,
      children: [],
    };
    top().children.push(node);
    stack.push(node);
  });
  parser.on('closetag', () => void stack.pop());
  parser.on('text', (text) => void top().children.push(escapeText(text)));
  parser.on('cdata', (text) => void top().children.push(`<![CDATA[${text}]]>`));
  parser.on('comment', (text) => void top().children.push(`<!--${text}-->`));
  // One synthetic root, so several top-level elements (a config's content) parse too.
  parser.write(`<pretty-root>${xml.replace(/^\s*<\?xml[^>]*\?>/, '')}</pretty-root>`).close();
  return (root.children[0] as Node) ?? root;
}

function render(node: Node, indent: string, step: string, out: string[]): void {
  const texts = node.children.filter((c): c is string => typeof c === 'string');
  if (texts.length === node.children.length) {
    const text = texts.join('');
    out.push(text === '' ? `${indent}${node.open}/>` : `${indent}${node.open}>${text}</${node.name}>`);
    return;
  }
  out.push(`${indent}${node.open}>`);
  for (const c of node.children) {
    if (typeof c !== 'string') render(c, indent + step, step, out);
    else if (c.trim() !== '') out.push(indent + step + c.trim());
  }
  out.push(`${indent}</${node.name}>`);
}

/** `xml` indented by `step` (two spaces); throws the parser's error on XML that is not well-formed. */
export function prettyXml(xml: string, step = '  '): string {
  const out: string[] = [];
  for (const c of parse(xml).children) {
    if (typeof c !== 'string') render(c, '', step, out);
    else if (c.trim() !== '') out.push(c.trim());
  }
  return `${out.join('\n')}\n`;
}
