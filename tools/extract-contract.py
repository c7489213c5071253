#!/usr/bin/env python3
"""Copy the Wickr Admin API contract into the project, as data only.

Two sources give the same contract:

* botocore (the default): the service model that ships with the installed botocore.
      python3 tools/extract-contract.py
* the Smithy model (JSON AST) that AWS publishes for its SDKs, which can be newer than the
  installed botocore (aws/aws-sdk-js-v3, codegen/sdk-codegen/aws-models/wickr.json):
      python3 tools/extract-contract.py --smithy /path/to/wickr.json [--source-commit SHA]
  This converts the Smithy shapes into the botocore-like form the project reads, and also
  writes conformance/aws-examples.json from the model's smithy.api#examples traits.

      python3 tools/extract-contract.py --smithy /path/to/wickr.json --check-against-botocore
  converts without writing anything and compares the result with what botocore gives, for
  every operation, shape and paginator both models have; it prints each difference and
  exits 1 if a shared item differs (items only one model has are listed, not failures).

We keep a copy in the jar so the server does not depend on Python at run time, but we strip
every documentation string (and example titles): the project carries the contract's
structure, never its prose. Neither input file is committed.
"""
import argparse
import gzip
import json
import os
import sys

SERVICE = "wickr"
VERSION = "2024-02-01"
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..")
OUT = os.path.join(ROOT, "src", "main", "resources", "io", "wickrlocal", "contract",
                   f"{SERVICE}-{VERSION}.json")
EXAMPLES_OUT = os.path.join(ROOT, "conformance", "aws-examples.json")
SMITHY_REPO = "aws/aws-sdk-js-v3"
SMITHY_PATH = "codegen/sdk-codegen/aws-models/wickr.json"
# The commit of SMITHY_PATH the contract was last taken from (the first one with the
# 2026-06-04 update: SecurityGroupSettings.maxNonSsoSessionMinutes, NetworkSettings.consentPopup,
# the RateLimitError default message).
SMITHY_COMMIT = "ceb38f6b46181ccb1a05990f287e82ac3e98e584"

API = "smithy.api#"


def without_docs(node):
    if isinstance(node, dict):
        return {k: without_docs(v) for k, v in node.items() if k != "documentation"}
    if isinstance(node, list):
        return [without_docs(v) for v in node]
    return node


# ---------------------------------------------------------------- botocore

def from_botocore():
    import botocore
    folder = os.path.join(os.path.dirname(botocore.__file__), "data", SERVICE, VERSION)
    with gzip.open(os.path.join(folder, "service-2.json.gz"), "rt", encoding="utf-8") as f:
        model = without_docs(json.load(f))
    paginators_path = os.path.join(folder, "paginators-1.json")
    paginators = {}
    if os.path.exists(paginators_path):
        with open(paginators_path, encoding="utf-8") as f:
            paginators = json.load(f).get("pagination", {})
    return {
        "source": f"botocore {botocore.__version__}",
        "metadata": model["metadata"],
        "operations": model["operations"],
        "shapes": model["shapes"],
        "paginators": paginators,
    }


# ---------------------------------------------------------------- Smithy -> botocore-like

PRELUDE = {  # Smithy prelude simple shapes as botocore names and defines them
    "Boolean": {"type": "boolean", "box": True},
    "PrimitiveBoolean": {"type": "boolean"},
    "Integer": {"type": "integer", "box": True},
    "PrimitiveInteger": {"type": "integer"},
    "Long": {"type": "long", "box": True},
    "PrimitiveLong": {"type": "long"},
    "Short": {"type": "integer", "box": True},
    "Byte": {"type": "integer", "box": True},
    "Float": {"type": "float", "box": True},
    "Double": {"type": "double", "box": True},
    "String": {"type": "string"},
    "Blob": {"type": "blob"},
    "Timestamp": {"type": "timestamp"},
    "Document": {"type": "structure", "members": {}, "document": True},
}
SIMPLE = {"boolean": "boolean", "integer": "integer", "long": "long", "short": "integer",
          "byte": "integer", "float": "float", "double": "double", "string": "string",
          "blob": "blob", "timestamp": "timestamp", "bigInteger": "long", "bigDecimal": "double"}
BOXED = {"boolean", "integer", "long", "float", "double"}
TIMESTAMP_FORMATS = {"epoch-seconds": "unixTimestamp", "date-time": "iso8601",
                     "http-date": "rfc822"}


def local(shape_id):
    return shape_id.split("#", 1)[1]


def strip_anchors(pattern):
    # botocore's models drop the ^...$ anchors the Smithy models carry
    if pattern.startswith("^"):
        pattern = pattern[1:]
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1]
    return pattern


def constraints(traits):
    """The shape-level constraint fields (min/max/pattern/sensitive) that traits give."""
    out = {}
    length = traits.get(API + "length")
    if length is not None:
        if "min" in length:
            out["min"] = length["min"]
        if "max" in length:
            out["max"] = length["max"]
    rng = traits.get(API + "range")
    if rng is not None:
        if "min" in rng:
            out["min"] = rng["min"]
        if "max" in rng:
            out["max"] = rng["max"]
    if API + "pattern" in traits:
        out["pattern"] = strip_anchors(traits[API + "pattern"])
    if API + "sensitive" in traits:
        out["sensitive"] = True
    return out


class SmithyConverter:
    def __init__(self, model):
        self.model = model
        self.shapes_in = model["shapes"]
        self.shapes = {}   # botocore-like shapes, by local name
        self.operations = {}
        self.paginators = {}
        self.service_id, self.service = next(
            (k, v) for k, v in self.shapes_in.items() if v["type"] == "service")

    # A member's target, as a botocore shape name (adding the prelude / synthetic shapes).
    def target(self, container, member_name, member):
        target = member["target"]
        traits = member.get("traits", {})
        if target == API + "Timestamp" or self.type_of(target) == "timestamp":
            fmt = traits.get(API + "timestampFormat") or \
                self.shapes_in.get(target, {}).get("traits", {}).get(API + "timestampFormat")
            if fmt:
                name = "SyntheticTimestamp_" + fmt.replace("-", "_")
                self.shapes[name] = {"type": "timestamp",
                                     "timestampFormat": TIMESTAMP_FORMATS[fmt]}
                return name
        base = self.define(target)
        member_constraints = constraints(traits)
        member_constraints.pop("sensitive", None)
        if not member_constraints:
            return base
        # botocore has no member-level constraints: a constrained member gets its own shape,
        # named container + member + target, with the target's fields and the member's.
        name = container + member_name[0].upper() + member_name[1:] + base
        shape = dict(self.shapes[base])
        shape.update(member_constraints)
        self.shapes[name] = shape
        return name

    def type_of(self, shape_id):
        if shape_id.startswith(API):
            return PRELUDE.get(local(shape_id), {}).get("type")
        return self.shapes_in[shape_id]["type"]

    def define(self, shape_id):
        name = local(shape_id)
        if name in self.shapes:
            return name
        if shape_id.startswith(API):
            self.shapes[name] = dict(PRELUDE[name])
            return name
        s = self.shapes_in[shape_id]
        traits = s.get("traits", {})
        kind = s["type"]
        if kind in SIMPLE:
            out = {"type": SIMPLE[kind]}
            if kind in BOXED:
                out["box"] = True
            out.update(constraints(traits))
            self.shapes[name] = out
        elif kind == "enum":
            out = {"type": "string",
                   "enum": [m.get("traits", {}).get(API + "enumValue", k)
                            for k, m in s["members"].items()]}
            out.update(constraints(traits))
            self.shapes[name] = out
        elif kind == "intEnum":
            out = {"type": "integer", "box": True}
            self.shapes[name] = out
        elif kind in ("list", "set"):
            out = {"type": "list"}
            self.shapes[name] = out   # placed first: lists may refer to themselves
            out["member"] = {"shape": self.target(name, "member", s["member"])}
            out.update(constraints(traits))
        elif kind == "map":
            out = {"type": "map"}
            self.shapes[name] = out
            out["key"] = {"shape": self.target(name, "key", s["key"])}
            out["value"] = {"shape": self.target(name, "value", s["value"])}
            out.update(constraints(traits))
        elif kind in ("structure", "union"):
            out = {"type": "structure"}
            self.shapes[name] = out
            members, required = {}, []
            for m_name, m in s.get("members", {}).items():
                members[m_name] = self.member(name, m_name, m)
                if API + "required" in m.get("traits", {}):
                    required.append(m_name)
            out["members"] = members
            if required:
                out["required"] = required
            if kind == "union":
                out["union"] = True
            for m_name, m in s.get("members", {}).items():
                if API + "httpPayload" in m.get("traits", {}):
                    out["payload"] = m_name
            if API + "error" in traits:
                out["exception"] = True
                error = {}
                if API + "httpError" in traits:
                    error["httpStatusCode"] = traits[API + "httpError"]
                if traits[API + "error"] == "client":
                    error["senderFault"] = True
                else:
                    out["fault"] = True
                out["error"] = error
        else:
            raise SystemExit(f"unsupported Smithy shape type {kind} ({shape_id})")
        return name

    def member(self, container, m_name, m):
        traits = m.get("traits", {})
        out = {"shape": self.target(container, m_name, m)}
        for trait, location in (("httpLabel", "uri"), ("httpQuery", "querystring"),
                                ("httpHeader", "header"), ("httpPrefixHeaders", "headers")):
            if API + trait in traits:
                out["location"] = location
                value = traits[API + trait]
                out["locationName"] = m_name if value == {} else value
        if API + "httpResponseCode" in traits:
            out["location"] = "statusCode"
        if API + "idempotencyToken" in traits:
            out["idempotencyToken"] = True
        if API + "jsonName" in traits:
            out["locationName"] = traits[API + "jsonName"]
        if API + "default" in traits and traits[API + "default"] is not None:
            # Not in botocore's form: the Smithy default of a member (e.g. the RateLimitError
            # message), kept so the server can answer with it.
            out["default"] = traits[API + "default"]
        return out

    def convert(self):
        traits = self.service.get("traits", {})
        svc = traits.get("aws.api#service", {})
        signing = traits.get("aws.auth#sigv4", {}).get("name")
        protocol = "rest-json" if "aws.protocols#restJson1" in traits else None
        metadata = {
            "apiVersion": self.service["version"],
            "auth": ["aws.auth#sigv4"] if "aws.auth#sigv4" in traits else [],
            "endpointPrefix": svc.get("endpointPrefix"),
            "protocol": protocol,
            "protocols": [protocol],
            "serviceFullName": traits.get(API + "title"),
            "serviceId": svc.get("sdkId"),
            "signatureVersion": "v4",
            "signingName": signing,
            "uid": f"{svc.get('arnNamespace', signing)}-{self.service['version']}",
        }
        op_ids = [t["target"] for t in self.service.get("operations", [])]
        for op_id in sorted(op_ids, key=local):
            self.operation(op_id)
        # shapes in name order, as botocore's models have them
        self.shapes = dict(sorted(self.shapes.items()))
        return {
            "metadata": metadata,
            "operations": self.operations,
            "shapes": self.shapes,
            "paginators": self.paginators,
        }

    def operation(self, op_id):
        op = self.shapes_in[op_id]
        traits = op.get("traits", {})
        name = local(op_id)
        http = traits[API + "http"]
        out = {"name": name,
               "http": {"method": http["method"], "requestUri": http["uri"],
                        "responseCode": http.get("code", 200)}}
        if "input" in op:
            out["input"] = {"shape": self.define(op["input"]["target"])}
        if "output" in op:
            out["output"] = {"shape": self.define(op["output"]["target"])}
        out["errors"] = [{"shape": self.define(e["target"])} for e in op.get("errors", [])]
        if API + "idempotent" in traits:
            out["idempotent"] = True
        if API + "readonly" in traits:
            out["readonly"] = True
        self.operations[name] = out
        page = traits.get(API + "paginated")
        if page:
            p = {}
            if "inputToken" in page:
                p["input_token"] = page["inputToken"]
            if "outputToken" in page:
                p["output_token"] = page["outputToken"]
            if "pageSize" in page:
                p["limit_key"] = page["pageSize"]
            if "items" in page:
                p["result_key"] = page["items"]
            self.paginators[name] = p

    def examples(self):
        """smithy.api#examples per operation in model order, ids Operation#n from 1."""
        out = []
        for shape_id, shape in self.shapes_in.items():
            if shape["type"] != "operation":
                continue
            name = local(shape_id)
            for n, ex in enumerate(shape.get("traits", {}).get(API + "examples", []), 1):
                error = ex.get("error")
                out.append({
                    "id": f"{name}#{n}",
                    "operation": name,
                    "input": ex.get("input", {}),
                    "output": ex.get("output") if error is None else None,
                    "error": None if error is None else
                    {"shapeId": error["shapeId"], "content": error.get("content", {})},
                })
        return out


def load_smithy(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def from_smithy(path, commit):
    conv = SmithyConverter(load_smithy(path))
    contract = conv.convert()
    contract["source"] = f"{SMITHY_REPO} {SMITHY_PATH} @ {commit} (Smithy model, converted)"
    return contract, conv.examples()


# ---------------------------------------------------------------- check

def normalized_op(op):
    op = dict(op)
    if "errors" in op:
        op["errors"] = sorted(e["shape"] for e in op["errors"])
    return op


def strip_defaults(shape):
    if "members" not in shape:
        return shape
    shape = dict(shape)
    shape["members"] = {k: {mk: mv for mk, mv in m.items() if mk != "default"}
                        for k, m in shape["members"].items()}
    return shape


def diff(path, a, b, out):
    """Append (path, smithy value, botocore value) for each leaf where a and b differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k not in b:
                out.append((f"{path}.{k}", a[k], "<absent>"))
            elif k not in a:
                out.append((f"{path}.{k}", "<absent>", b[k]))
            else:
                diff(f"{path}.{k}", a[k], b[k], out)
    elif a != b:
        out.append((path, a, b))


def check(smithy, boto):
    failures, notes, reordered = [], [], []
    diff("metadata", smithy["metadata"], boto["metadata"], failures)
    for kind in ("operations", "shapes", "paginators"):
        a, b = smithy[kind], boto[kind]
        for name in sorted(set(a) - set(b)):
            notes.append(f"only in the Smithy model: {kind[:-1]} {name}")
        for name in sorted(set(b) - set(a)):
            notes.append(f"only in botocore: {kind[:-1]} {name}")
        for name in sorted(set(a) & set(b)):
            x, y = a[name], b[name]
            if kind == "operations":
                if [e["shape"] for e in x.get("errors", [])] != \
                        [e["shape"] for e in y.get("errors", [])]:
                    reordered.append(name)
                x, y = normalized_op(x), normalized_op(y)
            if kind == "shapes":
                for m, mv in x.get("members", {}).items():
                    if "default" in mv:
                        notes.append(f"shape {name}.{m}: Smithy default {mv['default']!r} "
                                     "(botocore's form has no defaults)")
                x = strip_defaults(x)
                # members only the Smithy model has are new members, not a converter fault
                new = sorted(set(x.get("members", {})) - set(y.get("members", {})))
                for m in new:
                    notes.append(f"only in the Smithy model: member {name}.{m}")
                if new:
                    x = dict(x)
                    x["members"] = {k: v for k, v in x["members"].items() if k not in new}
                    if "required" in x:
                        x["required"] = [r for r in x["required"] if r not in new]
                        if not x["required"]:
                            del x["required"]
            found = []
            diff(f"{kind[:-1]} {name}", x, y, found)
            failures.extend(found)
    if reordered:
        notes.insert(0, f"{len(reordered)} operations list the same errors in another order: "
                        + ", ".join(reordered))
    return failures, notes


# ---------------------------------------------------------------- main

def write_json(path, obj, **kw):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=1, **kw)
        f.write("\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smithy", metavar="WICKR_JSON",
                        help="convert this Smithy JSON AST instead of reading botocore")
    parser.add_argument("--source-commit", default=SMITHY_COMMIT,
                        help=f"the {SMITHY_REPO} commit the Smithy file is from "
                             "(recorded in the contract's source)")
    parser.add_argument("--check-against-botocore", action="store_true",
                        help="with --smithy: compare the converted contract with botocore's "
                             "and write nothing")
    args = parser.parse_args()

    if not args.smithy:
        if args.check_against_botocore:
            parser.error("--check-against-botocore needs --smithy")
        contract = from_botocore()
        write_json(OUT, contract, sort_keys=True)
        print(f"wrote {len(contract['operations'])} operations, "
              f"{len(contract['shapes'])} shapes to {OUT}")
        return 0

    contract, examples = from_smithy(args.smithy, args.source_commit)
    if args.check_against_botocore:
        boto = from_botocore()
        failures, notes = check(contract, boto)
        print(f"Smithy ({len(contract['operations'])} operations, {len(contract['shapes'])} "
              f"shapes) against {boto['source']} ({len(boto['operations'])} operations, "
              f"{len(boto['shapes'])} shapes)")
        for note in notes:
            print("  note:", note)
        for path, a, b in failures:
            print(f"  DIFFERS {path}: smithy={json.dumps(a)} botocore={json.dumps(b)}")
        print(f"{len(failures)} differences in what both models have; {len(notes)} notes")
        return 1 if failures else 0

    write_json(OUT, contract, sort_keys=True)
    write_json(EXAMPLES_OUT, {
        "source": f"smithy.api#examples of the AWS Wickr model ({SMITHY_REPO} {SMITHY_PATH}, "
                  f"commit {args.source_commit}); titles left out",
        "examples": examples,
    }, ensure_ascii=False)
    print(f"wrote {len(contract['operations'])} operations, {len(contract['shapes'])} shapes "
          f"to {OUT}")
    print(f"wrote {len(examples)} examples to {EXAMPLES_OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
