"""Prints a hinm-prune JSON report without the fields that legitimately vary
between runs (per-layer `seconds`, the `threads` option), keys sorted."""
import json
import sys

report = json.load(open(sys.argv[1]))
report["options"].pop("threads", None)
for layer in report["layers"]:
    layer.pop("seconds", None)
print(json.dumps(report, sort_keys=True, indent=1))
