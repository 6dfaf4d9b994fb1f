"""Checks hinm-prune JSON invariants: efficacy recomputes from the kept
figures, stays <= 100, and the ideal bounds every method."""
import json
import sys

d = json.load(open(sys.argv[1]))
assert len(d["layers"]) == 2, d["layers"]
for layer in d["layers"]:
    kept = layer["kept"]
    for m in ("ocp", "ivp", "2cp"):
        assert kept[m] <= kept["ideal"] + 1e-6, (layer["file"], m)
        eff = 100 * (kept[m] - kept["none"]) / (kept["ideal"] - kept["none"])
        assert abs(eff - layer["efficacy"][m]) < 1e-6, (layer["file"], m, eff)
        assert layer["efficacy"][m] <= 100, (layer["file"], m)
        assert layer["seconds"][m] >= 0
for m in ("ocp", "ivp", "2cp"):
    avg = sum(l["efficacy"][m] for l in d["layers"]) / len(d["layers"])
    assert abs(avg - d["average_efficacy"][m]) < 1e-6, m
assert len(d["skipped"]) == 6, d["skipped"]
print("ok")
