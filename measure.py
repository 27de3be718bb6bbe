"""Figures only for a set dir: python measure.py DIR name1 name2 ... (run from a src root with PYTHONPATH=src:.)"""
import json, sys
from pathlib import Path
import tests.test_clue_repeat_set as t

d = Path(sys.argv[1])
t.DATA_DIR = d
t.load.cache_clear(); t.run_matcher.cache_clear()
tot = dict(rep=0, found=0, neg=0, nh=0, groups=0, held=0, wrong=0)
for n in sys.argv[2:]:
    name = f"clue_repeat_{n}.json" if (d / f"clue_repeat_{n}.json").exists() else f"{n}.json"
    data = t.load(name)
    r = t.run_matcher(name)
    m = t.measure(r, n, name)
    groups = len(data["groups"])
    print(f"{n}: recall {m['recall']*100:.1f} prec {m['precision']*100:.1f} hardneg {m['negatives_hit']*100:.1f} held {m['held']*100:.1f} wrong_exact {m['wrong_exact']}")
    tot["rep"] += m["repeats"]; tot["found"] += round(m["recall"] * m["repeats"])
    tot["neg"] += m["negatives"]; tot["nh"] += round(m["negatives_hit"] * m["negatives"])
    tot["groups"] += groups; tot["held"] += round(m["held"] * groups); tot["wrong"] += m["wrong_exact"]
print(f"SUM recall {tot['found']}/{tot['rep']} ({tot['found']/tot['rep']*100:.1f}) hardneg {tot['nh']}/{tot['neg']} ({tot['nh']/tot['neg']*100:.1f}) held {tot['held']}/{tot['groups']} ({tot['held']/tot['groups']*100:.1f}) wrong {tot['wrong']}")
