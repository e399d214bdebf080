/** Instance-data cases converted by us and by yanglint (yang-yanglint.test.ts). */
export interface YanglintCase {
  name: string;
  /** yanglint `-t` data type. */
  type: 'config' | 'get' | 'edit' | 'notif';
  /** Corpus module files yanglint loads (their imports are found in the corpus). */
  modules: string[];
  xml: string;
}

const IF = 'urn:ietf:params:xml:ns:yang:ietf-interfaces';
const IANA = 'urn:ietf:params:xml:ns:yang:iana-if-type';
const IP = 'urn:ietf:params:xml:ns:yang:ietf-ip';
const RT = 'urn:ietf:params:xml:ns:yang:ietf-routing';
const V4 = 'urn:ietf:params:xml:ns:yang:ietf-ipv4-unicast-routing';
const OR = 'urn:ietf:params:xml:ns:yang:ietf-origin';
const NC = 'urn:ietf:params:xml:ns:netconf:base:1.0';
const YP = 'urn:ietf:params:xml:ns:yang:ietf-yang-push';
const OC = 'http://openconfig.net/yang/interfaces';
const FID = 'urn:example:fidelity';

const IFM = ['ietf-interfaces@2018-02-20.yang', 'iana-if-type@2014-05-08.yang'];
const IPM = [...IFM, 'ietf-ip@2018-02-22.yang'];
const RTM = [...IPM, 'ietf-routing@2018-03-13.yang', 'ietf-ipv4-unicast-routing@2018-03-13.yang'];
const ORM = [...IPM, 'ietf-origin@2018-02-14.yang'];
const YPM = [...IFM, 'ietf-yang-push@2019-09-09.yang'];
const FIDM = ['example-fidelity@2026-12-01.yang', 'ietf-routing@2018-03-13.yang'];

const iface = (name: string, extra = ''): string =>
  `<interface><name>${name}</name><type xmlns:ianaift="${IANA}">ianaift:ethernetCsmacd</type>${extra}</interface>`;
const ifs = (body: string): string => `<interfaces xmlns="${IF}">${body}</interfaces>`;
const state = (extra: string): string =>
  `<interface><name>eth0</name><type xmlns:ianaift="${IANA}">ianaift:ethernetCsmacd</type><oper-status>up</oper-status><statistics><discontinuity-time>2024-01-01T00:00:00+00:00</discontinuity-time>${extra}</statistics></interface>`;

export const CASES: YanglintCase[] = [
  { name: 'one-entry list', type: 'config', modules: IFM, xml: ifs(iface('eth0')) },
  { name: 'two-entry list', type: 'config', modules: IFM, xml: ifs(iface('eth0') + iface('eth1')) },
  {
    name: 'boolean and string leaves',
    type: 'config',
    modules: IFM,
    xml: ifs(iface('eth0', '<description>up &amp; "link"</description><enabled>false</enabled>')),
  },
  {
    name: 'identityref with a foreign prefix',
    type: 'config',
    modules: IFM,
    xml: ifs(`<interface xmlns:x="${IANA}"><name>lo</name><type>x:softwareLoopback</type></interface>`),
  },
  {
    name: 'uint64 counters and a 32-bit if-index (state)',
    type: 'get',
    modules: IFM,
    xml: ifs(state('<in-octets>18446744073709551615</in-octets><in-unicast-pkts>42</in-unicast-pkts>'))
      .replace('<oper-status>', '<if-index>7</if-index><admin-status>up</admin-status><oper-status>')
      .replace('<statistics>', '<phys-address>00:11:22:33:44:55</phys-address><speed>10000000000</speed><statistics>'),
  },
  {
    name: 'leaf-list (higher-layer-if)',
    type: 'get',
    modules: IFM,
    xml: ifs(
      state('').replace(
        '<statistics>',
        '<higher-layer-if>eth0.1</higher-layer-if><higher-layer-if>eth0.2</higher-layer-if><statistics>',
      ),
    ),
  },
  {
    name: 'augment (ietf-ip) with a choice/case (prefix-length)',
    type: 'config',
    modules: IPM,
    xml: ifs(
      iface(
        'eth0',
        `<ipv4 xmlns="${IP}"><mtu>1500</mtu><address><ip>192.0.2.1</ip><prefix-length>24</prefix-length></address></ipv4>`,
      ),
    ),
  },
  {
    name: 'choice/case: the other case (netmask)',
    type: 'config',
    modules: IPM,
    xml: ifs(
      iface('eth0', `<ipv4 xmlns="${IP}"><address><ip>192.0.2.1</ip><netmask>255.255.255.0</netmask></address></ipv4>`),
    ),
  },
  {
    name: 'presence container with empty-ish content and uint32 mtu (ipv6)',
    type: 'config',
    modules: IPM,
    xml: ifs(iface('eth0', `<ipv6 xmlns="${IP}"><mtu>1280</mtu><forwarding>true</forwarding></ipv6>`)),
  },
  {
    name: 'enumeration and union (ipv6 address status, dup-addr-detect-transmits)',
    type: 'get',
    modules: IPM,
    xml: ifs(
      state('').replace(
        '<statistics>',
        `<ipv6 xmlns="${IP}"><address><ip>2001:db8::1</ip><prefix-length>64</prefix-length><origin>static</origin><status>preferred</status></address></ipv6><statistics>`,
      ),
    ),
  },
  {
    name: 'routing: identityref list keys, control-plane protocol static',
    type: 'config',
    modules: RTM,
    xml: `<routing xmlns="${RT}"><control-plane-protocols><control-plane-protocol><type xmlns:rt="${RT}">rt:static</type><name>st0</name></control-plane-protocol></control-plane-protocols></routing>`,
  },
  {
    name: 'routing: augment (ipv4 static route) with decimal/string leaves',
    type: 'config',
    modules: RTM,
    xml: `<routing xmlns="${RT}"><control-plane-protocols><control-plane-protocol><type xmlns:rt="${RT}">rt:static</type><name>st0</name><static-routes><ipv4 xmlns="${V4}"><route><destination-prefix>0.0.0.0/0</destination-prefix><next-hop><next-hop-address>192.0.2.254</next-hop-address></next-hop></route></ipv4></static-routes></control-plane-protocol></control-plane-protocols></routing>`,
  },
  {
    name: 'NMDA origin metadata (identityref annotation)',
    type: 'get',
    modules: ORM,
    xml: `<interfaces xmlns="${IF}" xmlns:or="${OR}" or:origin="or:intended"><interface or:origin="or:system"><name>lo</name><type xmlns:ianaift="${IANA}">ianaift:softwareLoopback</type><oper-status>up</oper-status><statistics><discontinuity-time>2024-01-01T00:00:00+00:00</discontinuity-time></statistics></interface></interfaces>`,
  },
  {
    name: 'origin metadata on a leaf',
    type: 'get',
    modules: ORM,
    xml: `<interfaces xmlns="${IF}" xmlns:or="${OR}" or:origin="or:intended"><interface><name>lo</name><type xmlns:ianaift="${IANA}">ianaift:softwareLoopback</type><enabled or:origin="or:default">true</enabled><oper-status>up</oper-status><statistics><discontinuity-time>2024-01-01T00:00:00+00:00</discontinuity-time></statistics></interface></interfaces>`,
  },
  {
    name: 'edit-config: nc:operation merge/delete',
    type: 'edit',
    modules: [...IPM, 'ietf-netconf@2013-09-29.yang'],
    xml: `<interfaces xmlns="${IF}" xmlns:nc="${NC}"><interface nc:operation="merge"><name>eth0</name><description>uplink</description></interface><interface nc:operation="delete"><name>eth9</name></interface></interfaces>`,
  },
  {
    name: 'edit-config: operation on a leaf and an augment',
    type: 'edit',
    modules: [...IPM, 'ietf-netconf@2013-09-29.yang'],
    xml: `<interfaces xmlns="${IF}" xmlns:nc="${NC}"><interface><name>eth0</name><description nc:operation="remove"/><ipv4 xmlns="${IP}" nc:operation="replace"><enabled>true</enabled></ipv4></interface></interfaces>`,
  },
  {
    name: 'YANG-Push update: anydata datastore contents with a one-entry list',
    type: 'notif',
    modules: YPM,
    xml: `<push-update xmlns="${YP}"><id>1</id><datastore-contents>${ifs(state('').replace('<oper-status>', '<if-index>3</if-index><oper-status>'))}</datastore-contents></push-update>`,
  },
  {
    name: 'YANG-Push update: incomplete-update (empty leaf)',
    type: 'notif',
    modules: YPM,
    xml: `<push-update xmlns="${YP}"><id>2</id><datastore-contents>${ifs(state(''))}</datastore-contents><incomplete-update/></push-update>`,
  },
  {
    name: 'OpenConfig interfaces: config and state, uint64 and enumerations',
    type: 'get',
    modules: ['openconfig-interfaces.yang'],
    xml: `<interfaces xmlns="${OC}"><interface><name>Ethernet1</name><config><name>Ethernet1</name><mtu>9000</mtu><enabled>true</enabled></config><state><name>Ethernet1</name><oper-status>UP</oper-status><admin-status>UP</admin-status><counters><in-octets>123456789012345</in-octets></counters></state></interface></interfaces>`,
  },
  {
    name: 'OpenConfig: leafref list key (name -> config/name)',
    type: 'config',
    modules: ['openconfig-interfaces.yang', 'iana-if-type@2014-05-08.yang'],
    xml: `<interfaces xmlns="${OC}" xmlns:ianaift="${IANA}"><interface><name>Ethernet2</name><config><name>Ethernet2</name><type>ianaift:ethernetCsmacd</type><description>x</description></config></interface><interface><name>Ethernet3</name><config><name>Ethernet3</name><type>ianaift:ieee8023adLag</type></config></interface></interfaces>`,
  },
  {
    name: 'NACM: bits (access-operations), leaf-list, enumeration, union (module-name)',
    type: 'config',
    modules: ['ietf-netconf-acm@2018-02-14.yang'],
    xml: `<nacm xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-acm"><rule-list><name>ops</name><group>admin</group><group>oper</group><rule><name>r1</name><module-name>ietf-interfaces</module-name><access-operations>create update</access-operations><action>permit</action></rule><rule><name>r2</name><module-name>*</module-name><access-operations>*</access-operations><action>deny</action></rule></rule-list></nacm>`,
  },
  {
    name: 'decimal64 (non-canonical trailing zeros, negative) and int64 minimum',
    type: 'config',
    modules: FIDM,
    xml: `<fidelity xmlns="${FID}"><ratio>1.500</ratio><negative>-0.5</negative><big>-9223372036854775808</big></fidelity>`,
  },
  {
    name: 'instance-identifier with identityref list keys (leaf and leaf-list, other prefixes)',
    type: 'config',
    modules: FIDM,
    xml:
      `<fidelity xmlns="${FID}"><target xmlns:rt="${RT}">/rt:routing/rt:control-plane-protocols/rt:control-plane-protocol[rt:type='rt:static'][rt:name='st0']</target>` +
      `<targets xmlns:r="${RT}">/r:routing/r:control-plane-protocols/r:control-plane-protocol[r:type='r:direct'][r:name='d']/r:description</targets></fidelity>`,
  },
];
