/** Namespace URIs and capability URIs the library itself speaks. */
export const NS_BASE = 'urn:ietf:params:xml:ns:netconf:base:1.0';
export const NS_NOTIFICATION = 'urn:ietf:params:xml:ns:netconf:notification:1.0';
export const NS_NMDA = 'urn:ietf:params:xml:ns:yang:ietf-netconf-nmda';
/** RFC 8342 ietf-origin: the identities of get-data's origin filters (`or:intended`, ...). */
export const NS_ORIGIN = 'urn:ietf:params:xml:ns:yang:ietf-origin';
export const NS_DATASTORES = 'urn:ietf:params:xml:ns:yang:ietf-datastores';
export const NS_MONITORING = 'urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring';
export const NS_WITH_DEFAULTS = 'urn:ietf:params:xml:ns:yang:ietf-netconf-with-defaults';

export const CAP_BASE_10 = 'urn:ietf:params:netconf:base:1.0';
export const CAP_BASE_11 = 'urn:ietf:params:netconf:base:1.1';
