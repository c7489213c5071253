#!/usr/bin/env python3
"""Write the model files from which the test build generates the AWS SDK for Java v2 client.

      python3 tools/extract-java-client-model.py

The Java SDK's own code generator (software.amazon.awssdk:codegen-maven-plugin, run in the test
build; see pom.xml) reads a service in the C2J form: service-2.json, paginators-1.json,
endpoint-rule-set.json and customization.config in one folder. This script writes them into
src/test/codegen/wickr/:

* service-2.json and paginators-1.json from the contract the server itself bundles
  (src/main/resources/io/wickrlocal/contract/wickr-2024-02-01.json, written by
  tools/extract-contract.py, already without documentation): the client knows exactly the
  operations, shapes and members the server validates. Run this script again after the contract
  changes; WickrClientModelTest fails until then.
* endpoint-rule-set.json from the installed botocore (the contract does not carry endpoint rules),
  with every "documentation" string removed. With endpointOverride the rules only pass the given
  endpoint through.
* customization.config, which only answers the generator's one question about this model:
  ListNetworks, whose input has no required member, gets a no-argument form as well
  (`listNetworks()`, besides `listNetworks(request)`). The project's examples do not use it.

The output is written with sorted keys and two-space indents, so that running the script again on
the same inputs changes nothing. Where each file came from is recorded in
src/test/codegen/wickr/SOURCE.
"""
import gzip
import json
import os

SERVICE = "wickr"
VERSION = "2024-02-01"
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "src", "test", "codegen", SERVICE)
CONTRACT = os.path.join(HERE, "..", "src", "main", "resources", "io", "wickrlocal", "contract",
                        f"{SERVICE}-{VERSION}.json")


def _contract_tool():
    """tools/extract-contract.py as a module (its name has a hyphen), for its without_docs."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("extract_contract", os.path.join(HERE, "extract-contract.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


without_docs = _contract_tool().without_docs


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
    with open(CONTRACT, encoding="utf-8") as f:
        contract = json.load(f)
    os.makedirs(OUT, exist_ok=True)
    write("service-2.json", without_docs({"version": "2.0", "metadata": contract["metadata"],
                                          "operations": contract["operations"],
                                          "shapes": contract["shapes"]}))
    write("paginators-1.json", without_docs({"pagination": contract["paginators"]}))
    folder = os.path.join(os.path.dirname(botocore.__file__), "data", SERVICE, VERSION)
    write("endpoint-rule-set.json", without_docs(read(folder, "endpoint-rule-set-1.json")))
    write("customization.config", {"verifiedSimpleMethods": ["listNetworks"]})
    with open(os.path.join(OUT, "SOURCE"), "w", encoding="utf-8") as f:
        f.write(f"service-2.json, paginators-1.json: {contract['source']}"
                f" (the bundled contract)\n"
                f"endpoint-rule-set.json: botocore {botocore.__version__}, data/{SERVICE}/{VERSION},"
                f" documentation removed\n"
                f"written by tools/extract-java-client-model.py\n")
    print(f"wrote {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
