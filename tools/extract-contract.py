#!/usr/bin/env python3
"""Copy the Wickr Admin API contract from botocore into the project, as data only.

The service model that ships with botocore is the authority for routes, shapes and
constraints. We keep a copy in the jar so the server does not depend on Python at run
time, but we strip every `documentation` string: the project carries the contract's
structure, never its prose.

Run it again after upgrading botocore:  python3 tools/extract-contract.py
"""
import gzip
import json
import os

import botocore

SERVICE = "wickr"
VERSION = "2024-02-01"
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "src", "main", "resources", "io", "wickrlocal", "contract",
                   f"{SERVICE}-{VERSION}.json")


def without_docs(node):
    if isinstance(node, dict):
        return {k: without_docs(v) for k, v in node.items() if k != "documentation"}
    if isinstance(node, list):
        return [without_docs(v) for v in node]
    return node


def main():
    folder = os.path.join(os.path.dirname(botocore.__file__), "data", SERVICE, VERSION)
    with gzip.open(os.path.join(folder, "service-2.json.gz"), "rt", encoding="utf-8") as f:
        model = without_docs(json.load(f))
    paginators_path = os.path.join(folder, "paginators-1.json")
    paginators = {}
    if os.path.exists(paginators_path):
        with open(paginators_path, encoding="utf-8") as f:
            paginators = json.load(f).get("pagination", {})
    contract = {
        "source": f"botocore {botocore.__version__}",
        "metadata": model["metadata"],
        "operations": model["operations"],
        "shapes": model["shapes"],
        "paginators": paginators,
    }
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(contract, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"wrote {len(contract['operations'])} operations, {len(contract['shapes'])} shapes to {OUT}")


if __name__ == "__main__":
    main()
