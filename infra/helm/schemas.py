#!/usr/bin/env python3
"""Writes the JSON schemas kubeconform needs for the given manifests, without any network access.

    python3 schemas.py SWAGGER_JSON CRD_YAML OUT_DIR < manifests.yaml

For every apiVersion/kind in the manifest stream (stdin, `helm template` output) it writes
OUT_DIR/<kind>-<group prefix>-<version>.json, the names kubeconform's `{{ .ResourceKind }}{{ .KindSuffix }}`
template gives (e.g. deployment-apps-v1.json, service-v1.json, middleware-traefik-v1alpha1.json):

- Kubernetes kinds from the Kubernetes OpenAPI v2 document (api/openapi-spec/swagger.json of the
  k8s.io/kubernetes Go module), as kubeconform's openapi2jsonschema.py and the kubernetes-json-schema
  repository make them in their "standalone-strict" variant: every $ref inlined, objects with
  properties closed (additionalProperties: false), optional fields nullable, IntOrString as string or
  integer, Quantity as string or number, apiVersion and kind pinned;
- custom resources from CustomResourceDefinition YAML (Traefik's, from its Go module): the served
  version's openAPIV3Schema, closed the same way except where x-kubernetes-preserve-unknown-fields says
  otherwise, x-kubernetes-int-or-string as string or integer.

A kind found in neither source is an error (exit 1): nothing is skipped silently.
"""
import json
import os
import sys

import yaml

INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"
QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity"


def file_name(group, version, kind):
    suffix = f"-{group.split('.')[0]}-{version}" if group else f"-{version}"
    return f"{kind.lower()}{suffix}.json"


def nullable(schema):
    t = schema.get("type")
    if isinstance(t, str):
        schema["type"] = [t, "null"]
    return schema


def close(schema):
    if schema.get("type") in ("object", ["object", "null"]) and "properties" in schema \
            and "additionalProperties" not in schema:
        schema["additionalProperties"] = False
    return schema


class Kubernetes:
    def __init__(self, swagger):
        self.definitions = swagger["definitions"]
        self.kinds = {}
        for name, definition in self.definitions.items():
            for gvk in definition.get("x-kubernetes-group-version-kind", []):
                self.kinds[(gvk["group"], gvk["version"], gvk["kind"])] = name

    def inline(self, schema, stack):
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            if name == INT_OR_STRING:
                return {"oneOf": [{"type": ["string", "null"]}, {"type": "integer"}]}
            if name == QUANTITY:
                return {"oneOf": [{"type": ["string", "null"]}, {"type": "number"}]}
            if name in stack:  # recursive (JSONSchemaProps): open at the second level
                return {}
            return self.inline(dict(self.definitions[name]), stack + (name,))
        out = {}
        for key, value in schema.items():
            if key.startswith("x-kubernetes-") or key == "format":
                continue
            if key == "properties":
                out[key] = {k: nullable(self.inline(v, stack)) for k, v in value.items()}
            elif key in ("items", "additionalProperties") and isinstance(value, dict):
                out[key] = self.inline(value, stack)
            else:
                out[key] = value
        return close(out)

    def schema(self, group, version, kind):
        name = self.kinds.get((group, version, kind))
        if name is None:
            return None
        out = self.inline({"$ref": "#/definitions/" + name}, ())
        api_version = f"{group}/{version}" if group else version
        out["properties"]["apiVersion"] = {"type": "string", "enum": [api_version]}
        out["properties"]["kind"] = {"type": "string", "enum": [kind]}
        out["$schema"] = "http://json-schema.org/schema#"
        return out


class CustomResources:
    def __init__(self, documents):
        self.kinds = {}
        for doc in documents:
            if not doc or doc.get("kind") != "CustomResourceDefinition":
                continue
            spec = doc["spec"]
            for version in spec["versions"]:
                if version.get("served", True) and "schema" in version:
                    key = (spec["group"], version["name"], spec["names"]["kind"])
                    self.kinds[key] = version["schema"]["openAPIV3Schema"]

    def convert(self, schema):
        out = {}
        for key, value in schema.items():
            if key == "properties":
                out[key] = {k: self.convert(v) for k, v in value.items()}
            elif key in ("items", "additionalProperties") and isinstance(value, dict):
                out[key] = self.convert(value)
            elif key in ("x-kubernetes-int-or-string", "x-kubernetes-preserve-unknown-fields", "format"):
                continue
            else:
                out[key] = value
        if schema.get("x-kubernetes-int-or-string"):
            out.pop("type", None)
            out["oneOf"] = [{"type": "string"}, {"type": "integer"}]
        if not schema.get("x-kubernetes-preserve-unknown-fields"):
            close(out)
        return out

    def schema(self, group, version, kind):
        source = self.kinds.get((group, version, kind))
        if source is None:
            return None
        out = self.convert(source)
        out.setdefault("properties", {})
        out["properties"]["apiVersion"] = {"type": "string", "enum": [f"{group}/{version}"]}
        out["properties"]["kind"] = {"type": "string", "enum": [kind]}
        out["properties"].setdefault("metadata", {"type": "object"})
        out["$schema"] = "http://json-schema.org/schema#"
        return out


def main():
    swagger_path, crd_path, out_dir = sys.argv[1:4]
    with open(swagger_path) as f:
        kubernetes = Kubernetes(json.load(f))
    with open(crd_path) as f:
        crds = CustomResources(yaml.safe_load_all(f))
    os.makedirs(out_dir, exist_ok=True)
    wanted = set()
    for doc in yaml.safe_load_all(sys.stdin):
        if doc:
            group, _, version = doc["apiVersion"].rpartition("/")
            wanted.add((group, version, doc["kind"]))
    missing = []
    for group, version, kind in sorted(wanted):
        schema = kubernetes.schema(group, version, kind) or crds.schema(group, version, kind)
        if schema is None:
            missing.append(f"{group}/{version} {kind}".lstrip("/"))
            continue
        with open(os.path.join(out_dir, file_name(group, version, kind)), "w") as f:
            json.dump(schema, f)
        print(f"schema: {file_name(group, version, kind)}", file=sys.stderr)
    if missing:
        print("no schema for: " + ", ".join(missing), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
