#!/usr/bin/env python3
# tests/t/vuldef-diff.py ORIGINAL ANSWER [ID] — the VULDEF round trip of t1201: every value of the
# original document's Vulinfo (ID, or each Vulinfo when not given) must come back in keikai's
# getVulnDetailInfo answer for the same id. Values are element paths (local names, with the attributes
# that qualify an element: RelatedItem/@type, Cvss/@version, Severity/@type, VersionNumber/@operator)
# and their text; whitespace runs are one space (XML text layout), numbers compare as numbers
# ("10" = "10.0"), dates as instants ("...+09:00" = the same time). Documented differences that are
# not compared: the MyJVN envelope (status:Status, sec:handling, the document's own timestamps).
# Prints each value lost as "lost: PATH = VALUE" and the count "lost N of M"; exits 1 when any is lost.
import sys, re, datetime
import xml.etree.ElementTree as ET
from collections import Counter

QUALIFY = {'RelatedItem': 'type', 'Cvss': 'version', 'Severity': 'type', 'VersionNumber': 'operator', 'Cpe': 'version'}

def local(tag):
    return tag.rsplit('}', 1)[-1]

def canon(text):
    t = re.sub(r'\s+', ' ', (text or '').replace('\\n', '\n')).strip()
    if re.fullmatch(r'-?\d+(\.\d+)?', t):
        return repr(float(t))
    m = re.fullmatch(r'(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)([+-]\d\d:\d\d|Z)', t)
    if m:
        return datetime.datetime.fromisoformat(t.replace('Z', '+00:00')).timestamp().__repr__()
    return t

def values(el, path, out):
    name = local(el.tag)
    q = QUALIFY.get(name)
    if q and el.get(q) is not None:
        name += '[@%s=%s]' % (q, el.get(q))
    p = path + '/' + name
    kids = list(el)
    if not kids:
        t = canon(el.text)
        if t:
            out[(p, t)] += 1
    for k in kids:
        values(k, p, out)

def vulinfos(doc):
    return {canon(v.find('{*}VulinfoID').text): v for v in doc.getroot() if local(v.tag) == 'Vulinfo'}

orig, mine = vulinfos(ET.parse(sys.argv[1])), vulinfos(ET.parse(sys.argv[2]))
ids = [sys.argv[3]] if len(sys.argv) > 3 else list(orig)
lost = total = 0
for i in ids:
    a, b = Counter(), Counter()
    values(orig[i], '', a)
    if i in mine:
        values(mine[i], '', b)
    for k, n in a.items():
        total += n
        if b[k] < n:
            lost += n - b[k]
            print('lost: %s %s = %s' % (i, k[0], k[1][:120]))
print('lost %d of %d' % (lost, total))
sys.exit(1 if lost else 0)
