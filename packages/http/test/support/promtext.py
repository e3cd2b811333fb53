"""Parses Prometheus text exposition from stdin with prometheus_client's parser and prints a JSON report.

The parser is lenient (a family split in two comes back as extra families of type "unknown"), so the stricter
rules of the format are checked here: one block per family, a HELP and TYPE for each, histograms ending in +Inf,
and values without binary float artefacts.
"""
import json
import re
import sys

try:
    from prometheus_client.parser import text_string_to_metric_families
except ImportError:
    sys.exit("python3-prometheus-client is missing for " + sys.executable + ": apt-get install -y python3-prometheus-client")

text = sys.stdin.read()
problems = []
families = []
seen = set()
for family in text_string_to_metric_families(text):
    if family.name in seen:
        problems.append(f"family {family.name} is split into more than one block")
    seen.add(family.name)
    if family.type == "unknown":
        problems.append(f"family {family.name} has no TYPE line (or its samples are outside its block)")
    if not family.documentation:
        problems.append(f"family {family.name} has no HELP line")
    if family.type == "histogram":
        series = {}
        for s in family.samples:
            if s.name.endswith("_bucket"):
                key = tuple(sorted((k, v) for k, v in s.labels.items() if k != "le"))
                series[key] = s.labels["le"]
        for key, last in series.items():
            if last != "+Inf":
                problems.append(f"histogram {family.name}{dict(key)} does not end with le=\"+Inf\"")
    families.append({"name": family.name, "type": family.type, "help": family.documentation,
                     "samples": len(family.samples)})
for line in text.splitlines():
    if line.startswith("#") or not line:
        continue
    value = line.rsplit(" ", 1)[-1]
    digits = re.sub(r"[eE].*$", "", value).replace(".", "").replace("-", "").lstrip("0")
    if len(digits) > 15:
        problems.append(f"float artefact in: {line}")
print(json.dumps({"families": families, "problems": problems}))
