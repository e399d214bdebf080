import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { NS_IF, NS_SIM } from '../../simulator';
import { errorsOf, findAll, isOk, RawClient, texts } from '../helpers/simulator-client';
import { memorySessionPerTest } from '../helpers/simulator-per-test';

const NC = 'urn:ietf:params:xml:ns:netconf:base:1.0';
const IF = `xmlns="${NS_IF}"`;
const getRunning = '<get-config><source><running/></source></get-config>';
const getCandidate = '<get-config><source><candidate/></source></get-config>';

function edit(target: string, config: string, extra = ''): string {
  return `<edit-config><target><${target}/></target>${extra}<config>${config}</config></edit-config>`;
}

describe('simulator datastores', { timeout: 20000 }, () => {
  const t = memorySessionPerTest();

  test('get-config returns the demo configuration', async () => {
    const r = await t.c.rpc(getRunning);
    assert.deepEqual(texts(r, 'name'), ['eth0', 'eth1', 'eth2', 'lo0']);
    assert.equal(texts(r, 'hostname')[0], 'sim-device');
    const iface = findAll(r, 'interfaces')[0];
    assert.equal(iface.ns, NS_IF);
    // identityref values keep their prefix binding
    const type = findAll(r, 'type')[0];
    assert.equal(type.text, 'ianaift:ethernetCsmacd');
    assert.equal(type.scope.ianaift, 'urn:ietf:params:xml:ns:yang:iana-if-type');
  });

  test('get adds operational state with counters that grow', async () => {
    const r1 = await t.c.rpc('<get/>');
    assert.ok(findAll(r1, 'interfaces').length === 1 && findAll(r1, 'interfaces-state').length === 1);
    assert.deepEqual(texts(findAll(r1, 'interfaces-state')[0], 'oper-status'), ['up', 'up', 'down', 'up']);
    await new Promise((r) => setTimeout(r, 30));
    const r2 = await t.c.rpc('<get/>');
    const a = Number(texts(r1, 'in-octets')[0]);
    const b = Number(texts(r2, 'in-octets')[0]);
    assert.ok(b > a, `${b} > ${a}`);
    assert.ok(texts(r2, 'identifier').includes('ietf-interfaces'));
    assert.deepEqual(texts(r2, 'replaySupport'), ['true']);
  });

  test('merge changes a leaf and adds a list entry', async () => {
    const r = await t.c.rpc(
      edit(
        'running',
        `<interfaces ${IF}><interface><name>eth0</name><description>core</description></interface><interface><name>eth9</name><type xmlns:ianaift="urn:ietf:params:xml:ns:yang:iana-if-type">ianaift:ethernetCsmacd</type></interface></interfaces>`,
      ),
    );
    assert.ok(isOk(r));
    const cfg = await t.c.rpc(getRunning);
    assert.deepEqual(texts(cfg, 'name'), ['eth0', 'eth1', 'eth2', 'lo0', 'eth9']);
    assert.equal(texts(cfg, 'description')[0], 'core');
  });

  test('create on existing data is data-exists, delete of missing data is data-missing', async () => {
    const exists = await t.c.rpc(
      edit(
        'running',
        `<interfaces ${IF}><interface xmlns:nc="${NC}" nc:operation="create"><name>eth0</name></interface></interfaces>`,
      ),
    );
    const e = errorsOf(exists)[0];
    assert.equal(e.tag, 'data-exists');
    assert.equal(e.type, 'application');
    assert.equal(e.path, "/if:interfaces/if:interface[if:name='eth0']");
    const missing = await t.c.rpc(
      edit(
        'running',
        `<interfaces ${IF}><interface xmlns:nc="${NC}" nc:operation="delete"><name>nope</name></interface></interfaces>`,
      ),
    );
    assert.equal(errorsOf(missing)[0].tag, 'data-missing');
    // remove of missing data is fine
    assert.ok(
      isOk(
        await t.c.rpc(
          edit(
            'running',
            `<interfaces ${IF}><interface xmlns:nc="${NC}" nc:operation="remove"><name>nope</name></interface></interfaces>`,
          ),
        ),
      ),
    );
  });

  test('create, delete, replace, remove', async () => {
    assert.ok(
      isOk(
        await t.c.rpc(
          edit('running', `<system xmlns="${NS_SIM}"><location xmlns:nc="${NC}" nc:operation="delete"/></system>`),
        ),
      ),
    );
    let cfg = await t.c.rpc(getRunning);
    assert.equal(findAll(cfg, 'location').length, 0);
    assert.ok(
      isOk(
        await t.c.rpc(
          edit(
            'running',
            `<system xmlns="${NS_SIM}"><location xmlns:nc="${NC}" nc:operation="create">dc2</location></system>`,
          ),
        ),
      ),
    );
    assert.ok(
      isOk(
        await t.c.rpc(
          edit(
            'running',
            `<interfaces ${IF}><interface xmlns:nc="${NC}" nc:operation="replace"><name>eth1</name><type xmlns:t="urn:ietf:params:xml:ns:yang:iana-if-type">t:ethernetCsmacd</type></interface></interfaces>`,
          ),
        ),
      ),
    );
    assert.ok(
      isOk(
        await t.c.rpc(
          edit(
            'running',
            `<interfaces ${IF}><interface xmlns:nc="${NC}" nc:operation="remove"><name>eth2</name></interface></interfaces>`,
          ),
        ),
      ),
    );
    cfg = await t.c.rpc(getRunning);
    assert.equal(texts(cfg, 'location')[0], 'dc2');
    assert.deepEqual(texts(cfg, 'name'), ['eth0', 'eth1', 'lo0']);
    // replace dropped eth1's description and enabled
    assert.deepEqual(texts(cfg, 'description'), ['uplink']);
  });

  test('leaf-list entries are matched by value', async () => {
    assert.ok(
      isOk(
        await t.c.rpc(
          edit(
            'running',
            `<system xmlns="${NS_SIM}"><ntp-server xmlns:nc="${NC}" nc:operation="delete">192.0.2.1</ntp-server><ntp-server>192.0.2.9</ntp-server></system>`,
          ),
        ),
      ),
    );
    assert.deepEqual(texts(await t.c.rpc(getRunning), 'ntp-server'), ['192.0.2.2', '192.0.2.9']);
  });

  test('default-operation replace and none', async () => {
    assert.ok(
      isOk(
        await t.c.rpc(
          edit(
            'candidate',
            `<system xmlns="${NS_SIM}"><hostname>only</hostname></system>`,
            '<default-operation>replace</default-operation>',
          ),
        ),
      ),
    );
    let cfg = await t.c.rpc(getCandidate);
    assert.equal(findAll(cfg, 'interfaces').length, 0);
    assert.deepEqual(texts(cfg, 'hostname'), ['only']);
    // none: plain elements are only a path; a nested merge applies; nothing else is created
    assert.ok(
      isOk(
        await t.c.rpc(
          edit(
            'candidate',
            `<system xmlns="${NS_SIM}"><location>x</location><hostname xmlns:nc="${NC}" nc:operation="merge">h2</hostname></system>`,
            '<default-operation>none</default-operation>',
          ),
        ),
      ),
    );
    cfg = await t.c.rpc(getCandidate);
    assert.deepEqual(texts(cfg, 'hostname'), ['h2']);
    assert.equal(findAll(cfg, 'location').length, 0);
    const missing = await t.c.rpc(
      edit(
        'candidate',
        `<interfaces ${IF}><interface><name>eth0</name><description xmlns:nc="${NC}" nc:operation="delete"/></interface></interfaces>`,
        '<default-operation>none</default-operation>',
      ),
    );
    assert.equal(errorsOf(missing)[0].tag, 'data-missing');
    assert.equal(findAll(await t.c.rpc(getCandidate), 'interfaces').length, 0, 'none created no ancestors');
  });

  test('error-option: rollback-on-error, stop-on-error, continue-on-error', async () => {
    const cfg = (op: string): string =>
      `<system xmlns="${NS_SIM}"><location>L-${op}</location></system><interfaces ${IF}><interface xmlns:nc="${NC}" nc:operation="create"><name>eth0</name></interface></interfaces><system xmlns="${NS_SIM}"><hostname>H-${op}</hostname></system>`;
    const rb = await t.c.rpc(edit('running', cfg('rb'), '<error-option>rollback-on-error</error-option>'));
    assert.equal(errorsOf(rb)[0].tag, 'data-exists');
    assert.equal(texts(await t.c.rpc(getRunning), 'location')[0], 'lab rack 1');
    const stop = await t.c.rpc(edit('running', cfg('stop'), '<error-option>stop-on-error</error-option>'));
    assert.equal(errorsOf(stop).length, 1);
    let now = await t.c.rpc(getRunning);
    assert.equal(texts(now, 'location')[0], 'L-stop');
    assert.equal(texts(now, 'hostname')[0], 'sim-device');
    const cont = await t.c.rpc(edit('running', cfg('cont'), '<error-option>continue-on-error</error-option>'));
    assert.equal(errorsOf(cont).length, 1);
    now = await t.c.rpc(getRunning);
    assert.equal(texts(now, 'hostname')[0], 'H-cont');
  });

  test('test-option test-only and validation errors', async () => {
    assert.ok(
      isOk(
        await t.c.rpc(
          edit(
            'running',
            `<system xmlns="${NS_SIM}"><hostname>t</hostname></system>`,
            '<test-option>test-only</test-option>',
          ),
        ),
      ),
    );
    assert.equal(texts(await t.c.rpc(getRunning), 'hostname')[0], 'sim-device');
    const bad = await t.c.rpc(
      edit(
        'running',
        `<interfaces ${IF}><interface><name>eth0</name><enabled>maybe</enabled></interface></interfaces>`,
      ),
    );
    const e = errorsOf(bad)[0];
    assert.equal(e.tag, 'invalid-value');
    assert.equal(e.path, "/if:interfaces/if:interface[if:name='eth0']/if:enabled");
    assert.equal(texts(await t.c.rpc(getRunning), 'enabled')[0], 'true');
    const keyless = await t.c.rpc(
      edit('running', `<interfaces ${IF}><interface><description>x</description></interface></interfaces>`),
    );
    assert.equal(errorsOf(keyless)[0].tag, 'missing-element');
    assert.equal(errorsOf(keyless)[0]['info:bad-element'], 'name');
    const badOp = await t.c.rpc(edit('running', `<system xmlns="${NS_SIM}" xmlns:nc="${NC}" nc:operation="frob"/>`));
    assert.equal(errorsOf(badOp)[0].tag, 'bad-attribute');
    const noNs = await t.c.rpc(edit('running', '<system><hostname>x</hostname></system>'));
    assert.equal(errorsOf(noNs)[0].tag, 'unknown-namespace');
  });

  test('validate, discard-changes, copy-config, delete-config', async () => {
    assert.ok(isOk(await t.c.rpc('<validate><source><candidate/></source></validate>')));
    const inline = await t.c.rpc(
      `<validate><source><config><system xmlns="${NS_SIM}"><hostname></hostname></system></config></source></validate>`,
    );
    assert.equal(errorsOf(inline)[0].tag, 'invalid-value');
    assert.ok(isOk(await t.c.rpc(edit('candidate', `<system xmlns="${NS_SIM}"><hostname>cand</hostname></system>`))));
    assert.equal(texts(await t.c.rpc(getCandidate), 'hostname')[0], 'cand');
    assert.ok(isOk(await t.c.rpc('<discard-changes/>')));
    assert.equal(texts(await t.c.rpc(getCandidate), 'hostname')[0], 'sim-device');
    assert.ok(
      isOk(
        await t.c.rpc(
          `<copy-config><target><startup/></target><source><config><system xmlns="${NS_SIM}"><hostname>boot</hostname></system></config></source></copy-config>`,
        ),
      ),
    );
    assert.equal(texts(await t.c.rpc('<get-config><source><startup/></source></get-config>'), 'hostname')[0], 'boot');
    assert.ok(isOk(await t.c.rpc('<copy-config><target><startup/></target><source><running/></source></copy-config>')));
    assert.equal(
      texts(await t.c.rpc('<get-config><source><startup/></source></get-config>'), 'hostname')[0],
      'sim-device',
    );
    assert.ok(isOk(await t.c.rpc('<delete-config><target><startup/></target></delete-config>')));
    const empty = await t.c.rpc('<get-config><source><startup/></source></get-config>');
    assert.equal(empty.children[0].local, 'data');
    assert.equal(empty.children[0].children.length, 0);
    assert.equal(
      errorsOf(await t.c.rpc('<delete-config><target><running/></target></delete-config>'))[0].tag,
      'invalid-value',
    );
    assert.equal(
      errorsOf(await t.c.rpc('<get-config><source><nowhere/></source></get-config>'))[0].tag,
      'invalid-value',
    );
    assert.equal(errorsOf(await t.c.rpc('<get-config/>'))[0].tag, 'missing-element');
    assert.equal(
      errorsOf(
        await t.c.rpc('<copy-config><target><running/></target><source><url>file:///x</url></source></copy-config>'),
      )[0].tag,
      'operation-not-supported',
    );
  });

  test('locks: lock-denied names the holder, in-use for others, released at session end', async () => {
    const other = await RawClient.memory(t.sim).handshake();
    try {
      assert.ok(isOk(await t.c.rpc('<lock><target><running/></target></lock>')));
      const denied = errorsOf(await other.rpc('<lock><target><running/></target></lock>'))[0];
      assert.equal(denied.tag, 'lock-denied');
      assert.equal(denied.type, 'protocol');
      assert.equal(denied['info:session-id'], String(t.c.sessionId));
      const inUse = errorsOf(
        await other.rpc(edit('running', `<system xmlns="${NS_SIM}"><hostname>x</hostname></system>`)),
      )[0];
      assert.equal(inUse.tag, 'in-use');
      assert.equal(
        errorsOf(await other.rpc('<unlock><target><running/></target></unlock>'))[0].tag,
        'operation-failed',
      );
      // the holder can still write
      assert.ok(isOk(await t.c.rpc(edit('running', `<system xmlns="${NS_SIM}"><hostname>mine</hostname></system>`))));
      // candidate with uncommitted changes of another session cannot be locked
      assert.ok(
        isOk(await t.c.rpc(edit('candidate', `<system xmlns="${NS_SIM}"><hostname>dirty</hostname></system>`))),
      );
      assert.equal(errorsOf(await other.rpc('<lock><target><candidate/></target></lock>'))[0].tag, 'lock-denied');
      assert.ok(isOk(await t.c.rpc('<discard-changes/>')));
      assert.ok(isOk(await other.rpc('<lock><target><candidate/></target></lock>')));
      // the session holding the running lock ends: the lock is released
      const ended = new Promise((r) => t.sim.once('session-end', r));
      t.c.close();
      await ended;
      assert.ok(isOk(await other.rpc('<lock><target><running/></target></lock>')));
      assert.ok(isOk(await other.rpc('<unlock><target><running/></target></unlock>')));
      assert.equal(
        errorsOf(await other.rpc('<unlock><target><running/></target></unlock>'))[0].tag,
        'operation-failed',
      );
    } finally {
      other.close();
    }
  });

  test('with-defaults modes', async () => {
    const wd = (mode: string): string =>
      `<get-config><source><running/></source><filter type="subtree"><interfaces ${IF}/></filter><with-defaults xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-with-defaults">${mode}</with-defaults></get-config>`;
    // lo0 has no <enabled> stored; eth0/eth1 store the default value explicitly
    assert.deepEqual(texts(await t.c.rpc(wd('explicit')), 'enabled'), ['true', 'true', 'false']);
    assert.deepEqual(texts(await t.c.rpc(wd('report-all')), 'enabled'), ['true', 'true', 'false', 'true']);
    const tagged = await t.c.rpc(wd('report-all-tagged'));
    const en = findAll(tagged, 'enabled');
    assert.equal(en.length, 4);
    assert.equal(en[3].attributeList.find((a) => a.local === 'default')?.value, 'true');
    assert.equal(en[0].attributeList.length, 0);
    assert.deepEqual(texts(await t.c.rpc(wd('trim')), 'enabled'), ['false']);
    assert.equal(errorsOf(await t.c.rpc(wd('sometimes')))[0].tag, 'invalid-value');
  });

  test('get-schema returns YANG text for advertised modules', async () => {
    const M = 'xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring"';
    const r = await t.c.rpc(
      `<get-schema ${M}><identifier>ietf-interfaces</identifier><format>yang</format></get-schema>`,
    );
    const data = r.children[0];
    assert.equal(data.local, 'data');
    assert.match(data.text, /^module ietf-interfaces \{/);
    for (const cap of t.c.capabilities.filter((x) => x.includes('?module='))) {
      const name = /module=([^&]+)/.exec(cap)![1];
      const rev = /revision=([^&]+)/.exec(cap)![1];
      const s = await t.c.rpc(
        `<get-schema ${M}><identifier>${name}</identifier><version>${rev}</version></get-schema>`,
      );
      assert.match(s.children[0].text, new RegExp(`module ${name} \\{`), name);
    }
    assert.equal(
      errorsOf(await t.c.rpc(`<get-schema ${M}><identifier>nope</identifier></get-schema>`))[0].tag,
      'invalid-value',
    );
    assert.equal(
      errorsOf(
        await t.c.rpc(`<get-schema ${M}><identifier>ietf-interfaces</identifier><format>xsd</format></get-schema>`),
      )[0].tag,
      'invalid-value',
    );
  });
});
