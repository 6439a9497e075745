#!/usr/bin/env python3
"""Word-level diff baselines for the comparison-engine benchmark (`redline bench --peers`).

Usage: peer_diff.py {dmp,difflib} LEFT.txt RIGHT.txt

Splits both texts on whitespace and diffs the word sequences with
- dmp: diff-match-patch (PyPI `diff-match-patch`) with Diff_Timeout = 0 (no time limit), on words via
  its linesToChars trick: every distinct word becomes one character, the encoded strings are diffed
  character-wise, and the result is mapped back to word ranges;
- difflib: Python's difflib.SequenceMatcher with its default settings (autojunk on).

Prints one JSON object: algorithm, seconds (encoding + diff, excluding reading the files and interpreter
start-up), leftWords, rightWords and ops, a list of [tag, i1, i2, j1, j2] word ranges for every
non-equal stretch (tag: insert, delete or replace; a delete directly followed by an insert, or the
reverse, is reported as one replace, as a viewer would show it).
"""

import json
import sys
import time


def dmp_ops(left, right):
    from diff_match_patch import diff_match_patch

    start = time.perf_counter()
    codes = {}

    def encode(words):
        out = []
        for word in words:
            code = codes.get(word)
            if code is None:
                value = len(codes) + 0x100
                if value >= 0xD800:
                    value += 0x800  # skip the surrogate range
                code = chr(value)
                codes[word] = code
            out.append(code)
        return "".join(out)

    a = encode(left)
    b = encode(right)
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0
    diffs = dmp.diff_main(a, b, False)
    seconds = time.perf_counter() - start
    ops = []
    i = j = 0
    pending = None  # [i1, i2, j1, j2]
    for op, text in diffs:
        n = len(text)
        if op == 0:
            if pending:
                ops.append(pending)
                pending = None
            i += n
            j += n
            continue
        if pending is None:
            pending = [i, i, j, j]
        if op == -1:
            i += n
            pending[1] = i
        else:
            j += n
            pending[3] = j
    if pending:
        ops.append(pending)
    return seconds, [[tag(o), *o] for o in ops]


def difflib_ops(left, right):
    import difflib

    start = time.perf_counter()
    matcher = difflib.SequenceMatcher(None, left, right)
    opcodes = matcher.get_opcodes()
    seconds = time.perf_counter() - start
    return seconds, [[t, i1, i2, j1, j2] for t, i1, i2, j1, j2 in opcodes if t != "equal"]


def tag(op):
    i1, i2, j1, j2 = op
    if i1 == i2:
        return "insert"
    if j1 == j2:
        return "delete"
    return "replace"


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("dmp", "difflib"):
        sys.stderr.write(__doc__)
        return 2
    with open(sys.argv[2], encoding="utf-8") as f:
        left = f.read().split()
    with open(sys.argv[3], encoding="utf-8") as f:
        right = f.read().split()
    run = dmp_ops if sys.argv[1] == "dmp" else difflib_ops
    seconds, ops = run(left, right)
    json.dump(
        {"algorithm": sys.argv[1], "seconds": seconds, "leftWords": len(left), "rightWords": len(right), "ops": ops},
        sys.stdout,
    )
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
