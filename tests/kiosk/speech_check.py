#!/usr/bin/env python3
"""Checks the Voorlezen output of a replay: every NAME.wav is speech (not silence), longer texts
give longer speech, and no personal data typed in the journey is in any spoken text.

usage: speech_check.py DIR PERSONAL...   (DIR holds NAME.txt and NAME.wav from `speak NAME`)
"""
import glob
import os
import struct
import sys
import wave


def rms(path):
    with wave.open(path) as w:
        frames = w.readframes(w.getnframes())
        rate = w.getframerate()
    samples = struct.unpack("<%dh" % (len(frames) // 2), frames)
    if not samples:
        return 0.0, 0.0
    return (sum(x * x for x in samples) / len(samples)) ** 0.5, len(samples) / rate


def main():
    d, personal = sys.argv[1], sys.argv[2:]
    fails, pairs = 0, []
    for txt in sorted(glob.glob(os.path.join(d, "*.txt"))):
        text = open(txt, encoding="utf-8").read()
        for p in personal:
            if p.lower() in text.lower():
                print(f"FAIL {txt}: personal data \"{p}\" would be spoken")
                fails += 1
        wav = txt[:-4] + ".wav"
        if not os.path.exists(wav):
            print(f"FAIL {wav}: missing")
            fails += 1
            continue
        level, secs = rms(wav)
        if level < 300 or secs < 0.3:
            print(f"FAIL {wav}: silent (rms {level:.0f}, {secs:.2f} s)")
            fails += 1
        pairs.append((len(text), secs, os.path.basename(txt)))
    if len(pairs) < 3:
        print(f"FAIL {d}: only {len(pairs)} screens spoken")
        return 1
    # Length grows with the text: rank correlation between characters and seconds.
    n = len(pairs)
    rank = lambda xs: {v: i for i, v in enumerate(sorted(set(xs)))}
    rc, rs = rank([p[0] for p in pairs]), rank([p[1] for p in pairs])
    a = [rc[p[0]] for p in pairs]
    b = [rs[p[1]] for p in pairs]
    ma, mb = sum(a) / n, sum(b) / n
    cov = sum((x - ma) * (y - mb) for x, y in zip(a, b))
    var = (sum((x - ma) ** 2 for x in a) * sum((y - mb) ** 2 for y in b)) ** 0.5
    corr = cov / var if var else 0
    shortest, longest = min(pairs), max(pairs)
    print(f"{d}: {n} screens, {sum(p[1] for p in pairs):.0f} s of speech, rank correlation text/length {corr:.2f}; "
          f"shortest {shortest[0]} chars {shortest[1]:.1f} s, longest {longest[0]} chars {longest[1]:.1f} s")
    if corr < 0.6 or longest[1] <= shortest[1]:
        print("FAIL: speech length does not grow with the text")
        fails += 1
    return 1 if fails else 0


sys.exit(main())
