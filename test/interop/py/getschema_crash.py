"""Shows, with ncclient alone (no code of ours), the netconfd 2.13 heap bug the interop suite works
around: the <get-schema> of ietf-netconf asked for a second time in netconfd's life gets an empty
answer or a closed session, and netconfd aborts ("double free or corruption", "munmap_chunk():
invalid pointer"; the core's backtrace ends in free() in agt_output_schema). Other modules can be
fetched any number of times.

NOT part of the suite: it kills the lab's netconfd (start.sh starts it again).
Usage: /usr/bin/python3 test/interop/py/getschema_crash.py [lab.json] [tries]
Exit 0 when netconfd died as described (the bug shows), 1 when it answered every try."""
import json
import sys

from lxml import etree
from ncclient import manager
from ncclient.xml_ import to_ele

MON = 'urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring'
RPC = f'<get-schema xmlns="{MON}"><identifier>ietf-netconf</identifier><version>2011-06-01</version><format>yang</format></get-schema>'

lab = json.load(open(sys.argv[1] if len(sys.argv) > 1 else '/tmp/ncred-lab/lab.json'))
tries = int(sys.argv[2]) if len(sys.argv) > 2 else 5
user = lab['users']['admin']
for i in range(1, tries + 1):
    try:
        with manager.connect(host=lab['host'], port=lab['sshPort'], username=user['username'], password=user['password'],
                             hostkey_verify=False, allow_agent=False, look_for_keys=False, timeout=20) as m:
            reply = etree.fromstring(m.dispatch(to_ele(RPC)).xml.encode())
            text = ''.join(reply.itertext())
            print(f'try {i}: {len(text)} characters of YANG')
            if not text.strip():
                print(f'try {i}: empty schema: netconfd is corrupt')
    except Exception as err:  # the session dies with netconfd
        print(f'try {i}: {type(err).__name__}: {err}')
        sys.exit(0)
print(f'netconfd answered all {tries} tries')
sys.exit(1)
