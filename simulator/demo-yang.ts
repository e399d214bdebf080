/**
 * YANG text of the demo modules, served by <get-schema> (RFC 6022). They are kept as strings
 * because dist/ only receives compiled .ts output. ietf-interfaces, iana-if-type and
 * ietf-netconf-monitoring are deliberately small subsets of the real modules (same names,
 * namespaces and revisions, only the nodes the simulator implements), so that clients which
 * download schemas get text that matches the data they see.
 */

export interface YangModule {
  name: string;
  revision: string;
  namespace: string;
  prefix: string;
  text: string;
}

const IETF_INTERFACES = `module ietf-interfaces {
  yang-version 1.1;
  namespace "urn:ietf:params:xml:ns:yang:ietf-interfaces";
  prefix if;

  organization "IETF NETMOD Working Group (subset served by the node-red-contrib-netconf simulator)";
  contact "https://github.com/node-red-contrib-netconf/node-red-contrib-netconf";
  description
    "A subset of RFC 8343 (ietf-interfaces): the interface list with
     name, description, type and enabled, and the deprecated
     interfaces-state tree with a few statistics counters.";

  revision 2018-02-20 {
    description "Subset of the RFC 8343 revision.";
    reference "RFC 8343: A YANG Data Model for Interface Management";
  }

  identity interface-type {
    description "Base identity from which specific interface types are derived.";
  }

  container interfaces {
    description "Interface parameters.";
    list interface {
      key "name";
      description "The list of configured interfaces on the device.";
      leaf name {
        type string;
        description "The name of the interface.";
      }
      leaf description {
        type string;
        description "A textual description of the interface.";
      }
      leaf type {
        type identityref {
          base interface-type;
        }
        mandatory true;
        description "The type of the interface.";
      }
      leaf enabled {
        type boolean;
        default "true";
        description "The configured, desired state of the interface.";
      }
    }
  }

  container interfaces-state {
    config false;
    status deprecated;
    description "Data nodes for the operational state of interfaces.";
    list interface {
      key "name";
      status deprecated;
      description "The list of interfaces on the device.";
      leaf name {
        type string;
        status deprecated;
      }
      leaf type {
        type identityref {
          base interface-type;
        }
        status deprecated;
      }
      leaf admin-status {
        type enumeration {
          enum up;
          enum down;
          enum testing;
        }
        status deprecated;
      }
      leaf oper-status {
        type enumeration {
          enum up;
          enum down;
          enum testing;
          enum unknown;
          enum dormant;
          enum not-present;
          enum lower-layer-down;
        }
        status deprecated;
      }
      leaf speed {
        type uint64;
        units "bits/second";
        status deprecated;
      }
      container statistics {
        status deprecated;
        leaf discontinuity-time {
          type string;
          status deprecated;
        }
        leaf in-octets {
          type uint64;
          status deprecated;
        }
        leaf in-unicast-pkts {
          type uint64;
          status deprecated;
        }
        leaf in-errors {
          type uint32;
          status deprecated;
        }
        leaf out-octets {
          type uint64;
          status deprecated;
        }
        leaf out-unicast-pkts {
          type uint64;
          status deprecated;
        }
      }
    }
  }
}
`;

const IANA_IF_TYPE = `module iana-if-type {
  namespace "urn:ietf:params:xml:ns:yang:iana-if-type";
  prefix ianaift;

  import ietf-interfaces {
    prefix if;
  }

  organization "IANA (subset served by the node-red-contrib-netconf simulator)";
  description "A subset of the IANA interface type identities.";

  revision 2014-05-08 {
    description "Subset of the 2014-05-08 revision.";
  }

  identity iana-interface-type {
    base if:interface-type;
    description "Base identity for IANA-registered interface types.";
  }

  identity ethernetCsmacd {
    base iana-interface-type;
    description "For all Ethernet-like interfaces.";
  }

  identity softwareLoopback {
    base iana-interface-type;
  }
}
`;

const NETCONF_MONITORING = `module ietf-netconf-monitoring {
  namespace "urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring";
  prefix ncm;

  organization "IETF NETCONF Working Group (subset served by the node-red-contrib-netconf simulator)";
  description "A subset of RFC 6022: the capability list, the schema list and the get-schema operation.";

  revision 2010-10-04 {
    description "Subset of the RFC 6022 revision.";
    reference "RFC 6022: YANG Module for NETCONF Monitoring";
  }

  identity schema-format {
    description "Base identity for data model schema languages.";
  }

  identity yang {
    base schema-format;
  }

  container netconf-state {
    config false;
    container capabilities {
      leaf-list capability {
        type string;
      }
    }
    container schemas {
      list schema {
        key "identifier version format";
        leaf identifier {
          type string;
        }
        leaf version {
          type string;
        }
        leaf format {
          type identityref {
            base schema-format;
          }
        }
        leaf namespace {
          type string;
        }
        leaf-list location {
          type string;
        }
      }
    }
  }

  rpc get-schema {
    input {
      leaf identifier {
        type string;
        mandatory true;
      }
      leaf version {
        type string;
      }
      leaf format {
        type identityref {
          base schema-format;
        }
      }
    }
    output {
      anyxml data;
    }
  }
}
`;

const NETCONF_SIMULATOR = `module netconf-simulator {
  yang-version 1.1;
  namespace "urn:example:simulator";
  prefix sim;

  organization "node-red-contrib-netconf";
  description
    "Demo data of the node-red-contrib-netconf device simulator: system
     settings, system state, a periodic heartbeat notification and the
     reply-size test data used to produce replies of a chosen size.";

  revision 2024-06-01 {
    description "Initial revision.";
  }

  container system {
    description "System settings.";
    leaf hostname {
      type string {
        length "1..63";
      }
    }
    leaf location {
      type string;
    }
    leaf-list ntp-server {
      type string;
      ordered-by user;
    }
  }

  container system-state {
    config false;
    leaf boot-datetime {
      type string;
    }
    leaf current-datetime {
      type string;
    }
    leaf uptime {
      type uint64;
      units "seconds";
    }
  }

  container reply-size {
    config false;
    description
      "Filled on request only: a get or get-config whose subtree filter
       is <reply-size xmlns=\\"urn:example:simulator\\" bytes=\\"N\\"/>
       gets a reply of exactly N bytes made of entries.";
    list entry {
      key "id";
      leaf id {
        type uint32;
      }
      leaf name {
        type string;
      }
      leaf payload {
        type string;
      }
    }
  }

  notification link-state-change {
    description "Sent when an interface's operational state changes (a link flap).";
    leaf interface {
      type string;
    }
    leaf oper-status {
      type enumeration {
        enum up;
        enum down;
      }
    }
  }

  notification heartbeat {
    description "Sent periodically when the simulator's notification interval is set.";
    leaf sequence {
      type uint64;
    }
    leaf uptime {
      type uint64;
      units "seconds";
    }
  }
}
`;

export const DEMO_MODULES: readonly YangModule[] = [
  {
    name: 'ietf-interfaces',
    revision: '2018-02-20',
    namespace: 'urn:ietf:params:xml:ns:yang:ietf-interfaces',
    prefix: 'if',
    text: IETF_INTERFACES,
  },
  {
    name: 'iana-if-type',
    revision: '2014-05-08',
    namespace: 'urn:ietf:params:xml:ns:yang:iana-if-type',
    prefix: 'ianaift',
    text: IANA_IF_TYPE,
  },
  {
    name: 'ietf-netconf-monitoring',
    revision: '2010-10-04',
    namespace: 'urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring',
    prefix: 'ncm',
    text: NETCONF_MONITORING,
  },
  {
    name: 'netconf-simulator',
    revision: '2024-06-01',
    namespace: 'urn:example:simulator',
    prefix: 'sim',
    text: NETCONF_SIMULATOR,
  },
];
