/**
 * RFC 7951 fidelity against libyang's yanglint on a corpus of real modules (IETF and OpenConfig,
 * test/fixtures/yang/corpus): every module parses and builds here and in yanglint, schema trees
 * agree, and instance data converts XML <-> JSON exactly as yanglint converts it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseTree } from '../../src/xml/element';
import type { JsonObject } from '../../src/yang/json';
import { jsonToXml } from '../../src/yang/json-to-xml';
import type { SchemaNode, YangModule } from '../../src/yang/model';
import { parseYang } from '../../src/yang/parser';
import { YangSchemaSet } from '../../src/yang/schema';
import { elementsToJson, xmlToJson } from '../../src/yang/xml-to-json';
import { CASES, type YanglintCase } from './yang-yanglint-cases';
import {
  compiledAugments,
  hasUnexpandedUses,
  infoModules,
  infoTree,
  ourTree,
  WITHOUT_AUGMENTS,
  YANG_DATA,
  yanglintTree,
} from '../helpers/yang-tree';
import { yanglint, yanglintSkip } from '../helpers/yanglint';

export const CORPUS = path.resolve(__dirname, '../../../test/fixtures/yang/corpus');
export const corpusFiles = readdirSync(CORPUS).filter((f) => f.endsWith('.yang'));
export const corpusSchema = YangSchemaSet.fromTexts(corpusFiles.map((f) => readFileSync(path.join(CORPUS, f), 'utf8')));

test(
  'corpus: every module parses and builds here (no missing imports) and yanglint accepts it',
  { skip: yanglintSkip() },
  () => {
    assert.ok(corpusFiles.length >= 25, `${corpusFiles.length} modules`);
    assert.deepEqual(corpusSchema.missingModules, []);
    assert.equal(corpusSchema.modules.size, corpusFiles.length);
    yanglint(['-D', '-p', CORPUS, ...corpusFiles.map((f) => path.join(CORPUS, f))]);
  },
);

const lint = (format: string, files: string[], extra: string[] = []): string =>
  yanglint(['-f', format, '-L', '1000', '-D', '-p', CORPUS, ...extra, ...files.map((f) => path.join(CORPUS, f))]);

function fileOf(module: string): string {
  const file = corpusFiles.find((f) => f === `${module}.yang` || f.startsWith(`${module}@`));
  assert.ok(file, module);
  return file;
}

/** The tree printer, or undefined where yanglint 2.1 crashes in it (SIGSEGV; see yang-tree.ts). */
function printedTree(files: string[], extra: string[] = []): string | undefined {
  try {
    return lint('tree', files, extra);
  } catch (err) {
    if ((err as { signal?: string }).signal === 'SIGSEGV') return undefined;
    throw err;
  }
}

/** The modules yanglint loads with `module` and the modules it augments: their imports, transitively. */
function loadedWith(module: YangModule): YangModule[] {
  const seen = new Map<string, YangModule>();
  const walk = (name: string): void => {
    const m = corpusSchema.module(name);
    if (!m || seen.has(name)) return;
    seen.set(name, m);
    for (const i of m.imports) walk(i.module);
  };
  for (const name of [module.name, ...augmentedModules(module)]) walk(name);
  return [...seen.values()];
}

/** Modules whose nodes `module` augments (the first step of each augment path). */
function augmentedModules(module: YangModule): string[] {
  const stmt = parseYang(readFileSync(path.join(CORPUS, fileOf(module.name)), 'utf8'));
  const prefixes = stmt.children
    .filter((c) => c.keyword === 'augment')
    .map((c) => /^\/([^:]+):/.exec(c.arg ?? '')?.[1]);
  const names = prefixes.map((p) => module.imports.find((i) => i.prefix === p)?.module).filter((n) => n !== undefined);
  return [...new Set(names)];
}

/** Our node at a prefixed schema node path (an augment's target) written in `module`. */
function schemaAt(module: YangModule, segments: string[]): SchemaNode | undefined {
  const [prefix] = segments[0].split(':');
  const top = prefix === module.prefix ? module.name : module.imports.find((i) => i.prefix === prefix)?.module;
  let nodes = corpusSchema.module(top ?? '')?.nodes ?? [];
  let node: SchemaNode | undefined;
  for (const name of segments.map((q) => q.replace(/^[^:]*:/, ''))) {
    node = nodes.find((n) => n.name === name);
    if (!node) return undefined;
    nodes = node.children;
  }
  return node;
}

/** libyang's compiled schema of one module as entries, read as test/helpers/yang-tree.ts explains. */
function reference(module: YangModule, how: Record<string, string[]>): string[] {
  const file = fileOf(module.name);
  const isChoice = (p: string[]): boolean => schemaAt(module, p)?.kind === 'choice';
  const printed = printedTree([file]);
  if (printed !== undefined && !hasUnexpandedUses(printed)) {
    (how.tree ??= []).push(module.name);
    return yanglintTree(printed, module.prefix, isChoice);
  }
  const targets = augmentedModules(module);
  if (printed !== undefined) {
    (how['tree, augments from the targets'] ??= []).push(module.name);
    const own = yanglintTree(printed, module.prefix, isChoice, WITHOUT_AUGMENTS);
    const augments = targets.flatMap((t) => compiledAugments(lint('tree', [fileOf(t), file]), t, module.prefix));
    return [...own, ...augments].sort();
  }
  (how.info ??= []).push(module.name);
  const own = infoTree(infoModules(lint('info', [file])).get(module.name)!);
  const augments = targets.flatMap((t) => {
    const alone = infoTree(infoModules(lint('info', [fileOf(t)])).get(t)!);
    return infoTree(infoModules(lint('info', [fileOf(t), file])).get(t)!).filter((e) => !alone.includes(e));
  });
  return [...own, ...augments].sort();
}

test(
  "corpus: the schema tree of each module matches libyang's compiled schema (yanglint)",
  { skip: yanglintSkip() },
  () => {
    const mismatches: string[] = [];
    const how: Record<string, string[]> = {};
    for (const module of corpusSchema.modules.values()) {
      const theirs = reference(module, how);
      const ours = ourTree(corpusSchema, module.name);
      const missing = theirs.filter((e) => !ours.includes(e));
      const extra = ours.filter((e) => !theirs.includes(e));
      if (missing.length || extra.length)
        mismatches.push(`${module.name}: only yanglint ${missing.join(', ')}; only ours ${extra.join(', ')}`);
    }
    // Every module of the corpus compared, none left out.
    assert.deepEqual(mismatches, []);
    const compared = Object.values(how).flat();
    assert.equal(compared.length, corpusFiles.length, JSON.stringify(how));
    assert.ok((how.tree ?? []).length >= 20, JSON.stringify(how));
  },
);

test(
  'corpus: if-feature as libyang evaluates it (yanglint -F), no feature and one feature enabled',
  { skip: yanglintSkip() },
  () => {
    const texts = corpusFiles.map((f) => readFileSync(path.join(CORPUS, f), 'utf8'));
    const compared: string[] = [];
    for (const module of corpusSchema.modules.values()) {
      if (module.features.length === 0) continue;
      for (const enabled of [[], module.features.slice(0, 1)]) {
        // Augment sections are printed from the parsed module, features unapplied: the augments
        // are read from the compiled trees of their targets (see yang-tree.ts).
        // yanglint disables the features of modules -F does not name once it is given: name them all.
        const others = loadedWith(module).filter((m) => m.name !== module.name && m.features.length);
        const f = ['-F', `${module.name}:${enabled.join(',')}`, ...others.flatMap((m) => ['-F', `${m.name}:*`])];
        const own = printedTree([fileOf(module.name)], f);
        const targets = augmentedModules(module).map((t) => ({
          t,
          text: printedTree([fileOf(t), fileOf(module.name)], f),
        }));
        if (own === undefined || targets.some((x) => x.text === undefined)) break; // the printer crashes
        const theirs = [
          ...yanglintTree(own, module.prefix, () => false, WITHOUT_AUGMENTS),
          ...targets.flatMap((x) => compiledAugments(x.text!, x.t, module.prefix)),
        ];
        // Every other module keeps all its features.
        const features = new Map([...corpusSchema.modules.values()].map((m) => [m.name, m.features]));
        features.set(module.name, enabled);
        const ours = ourTree(YangSchemaSet.fromTexts(texts, { features }), module.name);
        assert.deepEqual(
          { only: ours.filter((e) => !theirs.includes(e)), missing: theirs.filter((e) => !ours.includes(e)) },
          { only: [], missing: [] },
          `${module.name} with features [${enabled.join(',')}]`,
        );
        compared.push(`${module.name}:${enabled.join(',')}`);
      }
    }
    assert.ok(compared.length >= 8, compared.join(' '));
  },
);

test(
  'corpus: rc:yang-data structures (RFC 8040) are not data nodes: not in our schema, converted with a warning',
  { skip: yanglintSkip() },
  () => {
    const RC = 'urn:ietf:params:xml:ns:yang:ietf-restconf';
    for (const name of ['ietf-restconf', 'ietf-yang-patch']) {
      const module = corpusSchema.module(name)!;
      const structures = yanglintTree(lint('tree', [fileOf(name)]), module.prefix, () => false, YANG_DATA);
      assert.ok(structures.length >= 8, `${name}: ${structures.join(', ')}`);
      const ours = ourTree(corpusSchema, name);
      assert.deepEqual(
        ours.filter((e) => structures.includes(e)),
        [],
        name,
      );
    }
    assert.equal(corpusSchema.findTopLevel(RC, 'errors'), undefined);
    const xml = `<errors xmlns="${RC}"><error><error-type>protocol</error-type><error-tag>x</error-tag></error></errors>`;
    const converted = xmlToJson(corpusSchema, parseTree(`<w>${xml}</w>`));
    assert.deepEqual(converted.value, {
      'ietf-restconf:errors': { error: { 'error-type': 'protocol', 'error-tag': 'x' } },
    });
    assert.match(converted.warnings.join('\n'), /ietf-restconf:errors: is not in the schema/);
    // libyang refuses the same element as data.
    const dir = mkdtempSync(path.join(tmpdir(), 'yang-data-'));
    try {
      writeFileSync(path.join(dir, 'errors.xml'), xml);
      assert.throws(
        () => yanglint(['-D', '-p', CORPUS, path.join(CORPUS, fileOf('ietf-restconf')), path.join(dir, 'errors.xml')]),
        /Node "errors" not found/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

function convertOurs(c: YanglintCase): JsonObject {
  const root = parseTree(`<w>${c.xml}</w>`);
  const result = c.type === 'notif' ? elementsToJson(corpusSchema, root.children) : xmlToJson(corpusSchema, root);
  return result.value;
}

function viaYanglint(c: YanglintCase, xml: string, dir: string, file: string): JsonObject {
  const input = path.join(dir, file);
  writeFileSync(input, xml);
  const out = yanglint([
    '-f',
    'json',
    '-t',
    c.type,
    '-D',
    '-p',
    CORPUS,
    ...c.modules.map((m) => path.join(CORPUS, m)),
    input,
  ]);
  return JSON.parse(out) as JsonObject;
}

test(
  'instance data: XML -> JSON as yanglint, and our JSON -> XML accepted by yanglint with the same JSON',
  { skip: yanglintSkip() },
  () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'yanglint-'));
    const failures: string[] = [];
    try {
      for (const [i, c] of CASES.entries()) {
        try {
          const theirs = viaYanglint(c, c.xml, dir, `case${i}.xml`);
          assert.deepEqual(convertOurs(c), theirs, 'XML -> JSON');
          const xml = jsonToXml(corpusSchema, theirs).value;
          assert.deepEqual(viaYanglint(c, xml, dir, `back${i}.xml`), theirs, `JSON -> XML ${xml}`);
        } catch (err) {
          failures.push(`${c.name}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    assert.ok(CASES.length >= 20);
    assert.deepEqual(failures, []);
  },
);
