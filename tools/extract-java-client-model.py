#!/usr/bin/env python3
"""Write the model files from which the test build generates the AWS SDK for Java v2 client.

      python3 tools/extract-java-client-model.py

The Java SDK's own code generator (software.amazon.awssdk:codegen-maven-plugin, run in the test
build; see pom.xml) reads a service in the C2J form: service-2.json, paginators-1.json,
endpoint-rule-set.json and customization.config in one folder. botocore ships the same three model
files for Wickr, so this script copies them from the installed botocore into
src/test/codegen/wickr/ and adds a customization.config. That file only answers the generator's one
question about this model: ListNetworks, whose input has no required member, gets a no-argument form as well
(`listNetworks()`, besides `listNetworks(request)`). The project's examples do not use it.

Every "documentation" string is dropped on the way (the project carries the model's structure,
never its prose), as is the model's top-level "documentation". The output is written with sorted
keys and two-space indents, so that running the script again on the same botocore changes nothing
and a newer botocore shows as a plain diff. The botocore version is recorded in
src/test/codegen/wickr/SOURCE.
"""
import gzip
import json
import os

SERVICE = "wickr"
VERSION = "2024-02-01"
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "src", "test", "codegen", SERVICE)


def without_docs(node):
    if isinstance(node, dict):
        return {k: without_docs(v) for k, v in node.items() if k != "documentation"}
    if isinstance(node, list):
        return [without_docs(v) for v in node]
    return node


def read(folder, name):
    path = os.path.join(folder, name)
    if os.path.exists(path + ".gz"):
        with gzip.open(path + ".gz", "rt", encoding="utf-8") as f:
            return json.load(f)
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def write(name, data):
    with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
        json.dump(data, f, indent=2, sort_keys=True)
        f.write("\n")


def main():
    import botocore
    folder = os.path.join(os.path.dirname(botocore.__file__), "data", SERVICE, VERSION)
    os.makedirs(OUT, exist_ok=True)
    write("service-2.json", without_docs(read(folder, "service-2.json")))
    write("paginators-1.json", without_docs(read(folder, "paginators-1.json")))
    write("endpoint-rule-set.json", without_docs(read(folder, "endpoint-rule-set-1.json")))
    write("customization.config", {"verifiedSimpleMethods": ["listNetworks"]})
    with open(os.path.join(OUT, "SOURCE"), "w", encoding="utf-8") as f:
        f.write(f"botocore {botocore.__version__}, data/{SERVICE}/{VERSION}, documentation removed"
                f" (tools/extract-java-client-model.py)\n")
    print(f"wrote {os.path.normpath(OUT)} from botocore {botocore.__version__}")


if __name__ == "__main__":
    main()
