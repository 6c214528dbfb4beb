#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write the seed corpora of tests/fuzz/ (run once; the seeds are kept in
the repository).  Each seed is a well-formed input of its target, so that
the fuzzer starts from the inputs the parsers accept:

  dsm     _DSM request pages: function 0 of each handle, Read FIT, Get
          Label Size, Get/Set Label Data
  keyval  -object/-device/-machine texts, key=value and JSON (first byte:
          the implied key, see fuzz-keyval.c)
  qmp     QMP sessions as libvirt and scripts send them, and the strict
          JSON cases of docs/specs/json.md
  json    JSON texts: the cases of docs/specs/json.md
  qtest   qtest sessions as tests/qtest send them
  kernel  a minimal bzImage whose gzip payload is a tiny ELF vmlinux, and
          an ELF vmlinux with a PVH entry note
  virtqueue  a split queue with a direct and an indirect chain
"""
import gzip
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def write(target, name, data):
    d = os.path.join(HERE, 'corpus', target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def dsm(handle, function, arg3=b'', revision=1):
    return struct.pack('<III', handle, revision, function) + arg3


def dsm_seeds():
    write('dsm', 'root-0', dsm(0, 0))
    write('dsm', 'private-0', dsm(0x10000, 0))
    write('dsm', 'read-fit-0', dsm(0x10000, 1, struct.pack('<I', 0)))
    write('dsm', 'read-fit-8', dsm(0x10000, 1, struct.pack('<I', 8)))
    write('dsm', 'dimm-0', dsm(1, 0))
    write('dsm', 'label-size', dsm(1, 4))
    write('dsm', 'get-label', dsm(1, 5, struct.pack('<II', 0, 4076)))
    write('dsm', 'set-label', dsm(1, 6, struct.pack('<II', 256, 16) +
                                  b'NAMESPACE_INDEX\0'))
    write('dsm', 'no-labels', dsm(4, 5, struct.pack('<II', 0, 16)))
    write('dsm', 'bad-revision', dsm(1, 4, revision=2))


def keyval_seeds():
    texts = [
        (1, 'memory-backend-file,id=mem1,share=on,mem-path=/nonexistent/x,'
            'size=4G,align=2M,pmem=off,readonly=off,discard-data=on'),
        (1, 'memory-backend-ram,id=r1,size=512M,prealloc=on,'
            'host-nodes=0-1,policy=bind'),
        (1, '{"qom-type":"memory-backend-file","id":"m","mem-path":'
            '"/nonexistent/y","size":536870912,"share":true}'),
        (2, 'nvdimm,id=nv1,memdev=mem1,label-size=2M,slot=0,'
            'addr=0x140000000,unarmed=on,uuid=6ba7b810-9dad-11d1-80b4-'
            '00c04fd430c8'),
        (2, '{"driver":"nvdimm","id":"nvdimm0","memdev":"memnvdimm0",'
            '"label-size":131072,"slot":0}'),
        (3, 'pc,nvdimm=on,nvdimm-persistence=cpu,accel=kvm'),
        (4, '4G,slots=4,maxmem=32G'),
        (5, '4,sockets=1,cores=2,threads=2'),
        (6, 'socket,id=charmonitor,path=/nonexistent/s,server=on,wait=off'),
        (0, 'a,,b=c,d.e=f'),
    ]
    for i, (pick, text) in enumerate(texts):
        write('keyval', 'seed-%d' % i, bytes([pick]) + text.encode())


def qmp_seeds():
    sessions = [
        '{"execute": "qmp_capabilities"}\n{"execute": "query-status"}\n',
        '\x01{"execute": "query-memory-devices", "id": 7}\n'
        '{"execute": "query-memdev"}\n{"execute": "query-version"}\n',
        '\x01{\'execute\': \'device_add\', \'arguments\': {\'driver\': '
        '\'nvdimm\', \'id\': \'nv1\', \'memdev\': \'m\'}}',
        '{"execute": "qmp_capabilities", "arguments": {"enable": ["oob"]}}'
        '{"exec-oob": "query-status", "id": "x"}[1, 2] "s" 12 }',
        '\x01{"execute": "query-commands"}{"execute": "nope", '
        '"arguments": [], "extra": null}',
    ]
    for i, s in enumerate(sessions):
        write('qmp', 'seed-%d' % i, s)


# The cases of docs/specs/json.md, good and bad.
JSON_CASES = [
    b'{"execute": "quit\\u0000-not-really"}',
    b'{"a": 1, "a": 2}',
    b'{"a": {"b": 1, "b": 1}}',
    b'[9223372036854775807, 9223372036854775808, 18446744073709551615, '
    b'18446744073709551616, -9223372036854775808, -9223372036854775809]',
    b'[1e400, -1e400, 1.5e-400, -0, -0.0, 1.5E3, 0.1, 1e17]',
    b'[01, -01, NaN, Infinity, +1, .5, 1., 1e+, 0x10]',
    b'"\\"\\\\\\/\\b\\f\\n\\r\\t\\\'\\u0041\\u00e9"',
    b'"\\uD83D\\uDE00\\ud83d \\uDE00 \\uD83D\\u0041 \\uFFFF \\u12"',
    b'"quer\\y"',
    b'"\xc3\x28 \x80 \xc1\xbf \xed\xa0\x80 \xef\xbf\xbf \xc0\x80"',
    b'"a\x01b" "a\tb" "a\xfeb"',
    b"{'a': 'it\\'s \"q\"'}",
    b'{"a": %d, "b": "%s"} /* c */',
    b'{"a": 1} garbage 1 [2] "s" null } ] : , [} {]',
    b'\xff{"a": 5}\x00{"b": 7}"abc\n{"c": 6}',
    b'[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]',
]


def json_seeds():
    for i, case in enumerate(JSON_CASES):
        write('json', 'case-%d' % i, case)
    for i, case in enumerate(JSON_CASES):
        write('qmp', 'strict-%d' % i, b'\x01' + case + b'\n')
    objs = [
        b'{"qom-type":"memory-backend-file","id":"m","size":4194304,'
        b'"mem-path":"/nonexistent/victim\\u0000.img"}',
        b'{"qom-type":"memory-backend-ram","id":"m","size":1,"size":2}',
        b'{"qom-type":"memory-backend-ram","id":"m",'
        b'"size":18446744073709551615,"prealloc-threads":9223372036854775808}',
        b"{'qom-type':'memory\\u002dbackend-ram','id':'m','size':4096} x",
    ]
    for i, obj in enumerate(objs):
        write('keyval', 'strict-%d' % i, b'\x01' + obj)
    write('keyval', 'strict-device', b'\x02{"driver":"nvdimm","id":"nv",'
          b'"memdev":"m","slot":9223372036854775808,'
          b'"label-size":18446744073709551615,"node":-1}')


def qtest_seeds():
    sessions = [
        'outl 0xa18 0xdf000\ninb 0x3f8\noutb 0x3fc 0x8\n',
        'writeq 0x1000 0x1122334455667788\nreadq 0x1000\nreadb 0x1007\n',
        'write 0x2000 4 0xdeadbeef\nread 0x2000 4\nb64read 0x2000 4\n',
        'b64write 0x3000 8 AAECAwQFBgc=\nmemset 0x3000 16 0xab\n',
        'clock_step 100\nclock_set 5000\nendianness\n'
        'irq_intercept_in ioapic\nset_irq_in x 0 1\nmodule_load a b\n',
    ]
    for i, s in enumerate(sessions):
        write('qtest', 'seed-%d' % i, s)


def elf64(entry, segments, notes=b''):
    """A little-endian x86-64 ELF executable: PT_LOAD segments (paddr,
    vaddr, data) and an optional PT_NOTE."""
    phnum = len(segments) + (1 if notes else 0)
    off = 64 + 56 * phnum
    body = b''
    phdrs = b''
    for paddr, vaddr, data in segments:
        phdrs += struct.pack('<IIQQQQQQ', 1, 7, off + len(body), vaddr,
                             paddr, len(data), len(data) + 64, 0x1000)
        body += data
    if notes:
        phdrs += struct.pack('<IIQQQQQQ', 4, 4, off + len(body), 0, 0,
                             len(notes), len(notes), 4)
        body += notes
    ehdr = (b'\x7fELF' + bytes([2, 1, 1, 0]) + bytes(8) +
            struct.pack('<HHIQQQIHHHHHH', 2, 62, 1, entry, 64, 0, 0, 64,
                        56, phnum, 64, 0, 0))
    return ehdr + phdrs + body


def kernel_seeds():
    # PVH: XEN_ELFNOTE_PHYS32_ENTRY (18), name "Xen".
    note = struct.pack('<III', 4, 4, 18) + b'Xen\0' + struct.pack('<I',
                                                                 0x1000000)
    pvh = elf64(0x1000000, [(0x1000000, 0x1000000, b'\xf4' * 256)], note)
    write('kernel', 'pvh.elf', pvh)
    vmlinux = elf64(0xffffffff81000000,
                    [(0x1000000, 0xffffffff81000000, b'\x90' * 512)])
    payload = gzip.compress(vmlinux, mtime=0)
    setup = bytearray(1024)                 # boot sector + 1 setup sector
    struct.pack_into('<B', setup, 0x1F1, 1)
    struct.pack_into('<H', setup, 0x1FE, 0xAA55)
    setup[0x200] = 0xEB
    setup[0x201] = 0x26C - 0x202
    setup[0x202:0x206] = b'HdrS'
    struct.pack_into('<H', setup, 0x206, 0x020F)
    struct.pack_into('<B', setup, 0x211, 0x01)          # LOADED_HIGH
    struct.pack_into('<I', setup, 0x230, 0x200000)      # kernel_alignment
    struct.pack_into('<B', setup, 0x234, 1)             # relocatable
    struct.pack_into('<H', setup, 0x236, 0x0001)        # XLF_KERNEL_64
    struct.pack_into('<I', setup, 0x238, 2047)          # cmdline_size
    struct.pack_into('<I', setup, 0x248, 0x100)         # payload_offset
    struct.pack_into('<I', setup, 0x24C, len(payload))
    struct.pack_into('<Q', setup, 0x258, 0x1000000)     # pref_address
    struct.pack_into('<I', setup, 0x260, 0x400000)      # init_size
    image = bytes(setup) + bytes(0x100) + payload
    write('kernel', 'bzimage-gzip', image)
    write('kernel', 'vmlinux.elf', vmlinux)


def virtqueue_seeds():
    # size 16 (2^4), desc at +0x100, avail at +0x200, used at +0x300,
    # EVENT_IDX and INDIRECT, last_avail 0: one request/status chain and
    # one indirect chain available.
    ram = bytearray(0x1000)
    ram[0:7] = bytes([4, 0x01, 0x02, 0x03, 3, 0, 0])

    def desc(table, i, addr, length, flags, nxt):
        struct.pack_into('<QIHH', ram, table + 16 * i, addr, length, flags,
                         nxt)
    base = 0x10000
    desc(0x100, 0, base + 0x800, 4, 1, 1)
    desc(0x100, 1, base + 0x804, 4, 2, 0)
    desc(0x100, 2, base + 0x900, 32, 4, 0)
    desc(0x900, 0, base + 0x808, 4, 1, 1)
    desc(0x900, 1, base + 0x80c, 4, 2, 0)
    struct.pack_into('<HHHH', ram, 0x200, 0, 2, 0, 2)
    write('virtqueue', 'two-requests', bytes(ram))


SEEDS = {
    'dsm': dsm_seeds,
    'keyval': keyval_seeds,
    'qmp': qmp_seeds,
    'qtest': qtest_seeds,
    'kernel': kernel_seeds,
    'virtqueue': virtqueue_seeds,
    'json': json_seeds,
}

if __name__ == '__main__':
    # make-seeds.py [NAME...]: only those (default: all)
    for name in sys.argv[1:] or SEEDS:
        SEEDS[name]()
    sys.exit(0)
