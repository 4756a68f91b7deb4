#!/usr/bin/env python3
"""The scenarios SmdOracleIT replays: the SMD oracle's five examples plus ours, one JSON file each.

Regenerate the golden output (needs Go and SMD, see ../shared/tools/smd-oracle/README.md):
  python3 scenarios.py scenarios/
  ORACLE=../shared/tools/smd-oracle; $ORACLE/build.sh /tmp/smd-build ../shared/fixtures/k8s-openapi
  /tmp/smd-build/smd-oracle -schema /tmp/smd-build/schema.json -gvk /tmp/smd-build/gvk.json \
      -gotypes ../shared/fixtures/k8s-openapi/k8s-go-types.json scenarios/*.json > oracle-out.json
Usage: scenarios.py OUT_DIR   (SMD_ORACLE: the oracle's directory, default ../shared/tools/smd-oracle)
"""
import copy
import importlib.util
import json
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
oracle_dir = os.environ.get("SMD_ORACLE", "/work/shared/tools/smd-oracle")
spec = importlib.util.spec_from_file_location("examples", os.path.join(oracle_dir, "scenarios-example.py"))
ex = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ex)
deploy, app, env, apply, create, put, merge, scale, with_, cm, secret, netpol, svc = (
    ex.deploy, ex.app, ex.env, ex.apply, ex.create, ex.put, ex.merge, ex.scale, ex.with_, ex.cm, ex.secret,
    ex.netpol, ex.svc)
C, ING1, ING2, DW = ex.C, ex.ING1, ex.ING2, ex.DW


def rolebinding(subjects, role="reader", name="readers"):
    return {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": {"name": name},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role},
            "subjects": subjects}


SA1 = {"kind": "ServiceAccount", "name": "app"}
SA2 = {"kind": "ServiceAccount", "name": "ops"}


def statefulset(templates, name="db"):
    return {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": name},
            "spec": {"serviceName": name, "replicas": 1, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}},
                                  "spec": {"containers": [app(image="postgres:16", name="db")]}},
                     "volumeClaimTemplates": templates}}


PVC = {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "data"},
       "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}


def ours():
    s = []

    def add(name, about, steps, kind="Deployment", api="apps/v1"):
        s.append({"name": name, "apiVersion": api, "kind": kind, "about": about, "steps": steps})

    np = lambda: netpol([ING1])
    add("netpol-selector-atomic", "podSelector is an atomic LabelSelector: another applier's selector conflicts, force takes it whole",
        [apply(np()), apply(with_(np(), ["spec", "podSelector"], {"matchLabels": {"app": "api"}}), manager="other"),
         apply(with_(np(), ["spec", "podSelector"], {"matchLabels": {"app": "api"}}), manager="other", force=True)],
        kind="NetworkPolicy", api="networking.k8s.io/v1")
    add("netpol-ingress-edit", "ingress is an atomic list; an edit replacing it takes it from the applier",
        [apply(np()), put(netpol([ING1, ING2])), apply(np())], kind="NetworkPolicy", api="networking.k8s.io/v1")
    add("deployment-selector-conflict", "a second applier's different spec.selector conflicts on the selector as one field",
        [apply(deploy()), apply(with_(deploy(), ["spec", "selector"], {"matchLabels": {"app": "web", "tier": "x"}}), manager="other")])
    add("rolebinding-atomic", "roleRef and subjects are atomic: a second applier with other subjects conflicts; same values share",
        [apply(rolebinding([SA1])), apply(rolebinding([SA1]), manager="other"),
         apply(rolebinding([SA1, SA2]), manager="third")],
        kind="RoleBinding", api="rbac.authorization.k8s.io/v1")
    add("labels-annotations-maps", "labels and annotations: an applier owns only the keys; a merge patch adds a key; re-apply drops one",
        [apply(deploy(labels={"app": "web", "team": "a"}, annotations={"note": "x"})),
         merge({"metadata": {"annotations": {"extra": "y"}}}),
         apply(deploy(labels={"app": "web"}, annotations={"note": "x"}))])
    add("secret-data-map", "Secret data is a map: the applier owns its keys; another applier adds one",
        [apply(secret({"user": "YQ=="})), apply(secret({"pass": "Yg=="}), manager="other")], kind="Secret", api="v1")
    add("limits-map", "resources.limits is a map: the applier owns the keys only",
        [apply(deploy(containers=[app(resources={"limits": {"cpu": "500m", "memory": "128Mi"}})])),
         apply(deploy(containers=[app(resources={"limits": {"cpu": "500m"}})]))])
    add("update-adds-args", "an edit adding a list (args) owns the list itself, and the applier leaves it",
        [apply(deploy()), put(with_(deploy(), C, [app(args=["--debug"])])), apply(deploy())])
    add("create-then-apply", "a create owns what it sent and the empty structs of the Go zero value; the applier then takes over",
        [create(deploy()), apply(deploy(replicas=3))])
    add("create-configmap", "a create of a ConfigMap", [create(cm({"a": "1"})), apply(cm({"a": "1", "b": "2"}))],
        kind="ConfigMap", api="v1")
    add("applier-drops-extended-container", "an applier removes a container another manager extended: it goes whole",
        [apply(deploy(containers=[app(), app(name="sidecar", image="busybox")])),
         put(deploy(containers=[app(), app(name="sidecar", image="busybox", env=env(("X", "1")))])),
         apply(deploy(containers=[app()]))])
    add("put-with-managed-fields-reset", "a PUT with managedFields [{}] clears them and then records its own change",
        [apply(deploy()), put(with_(with_(deploy(replicas=4), ["metadata", "managedFields"], [{}]), ["metadata", "name"], "web"))])
    add("put-with-managed-fields-given", "a PUT carrying managedFields takes them as the starting point",
        [apply(deploy()),
         put(with_(deploy(replicas=4), ["metadata", "managedFields"],
                   [{"manager": "someone", "operation": "Update", "apiVersion": "apps/v1", "fieldsType": "FieldsV1",
                     "fieldsV1": {"f:spec": {"f:template": {"f:spec": {"f:containers": {"k:{\"name\":\"app\"}": {"f:image": {}}}}}}}}]))])
    add("null-in-apply", "a null in the applied configuration (Helm output) is owned by the applier and clears the field",
        [apply(deploy(containers=[app(imagePullPolicy="Always")])), scale(5),
         apply(deploy(replicas=None, containers=[app(imagePullPolicy=None)]))])
    add("null-replicas-conflict", "replicas: null owned by the applier conflicts with hpa's scale",
        [apply(deploy()), scale(5), apply(with_(deploy(), ["spec", "replicas"], None))])
    add("empty-lists", "env: [] and args: [] in an apply are dropped from the stored object",
        [apply(deploy(containers=[app(env=[], args=[])]))])
    add("scale-conflict-message", "an apply changing replicas after hpa scaled conflicts with hpa via the scale subresource; force takes it",
        [apply(deploy()), scale(5), apply(deploy(replicas=3)), apply(deploy(replicas=3), force=True)])
    add("statefulset-claim-templates", "apiVersion/kind inside volumeClaimTemplates are kept",
        [apply(statefulset([PVC]))], kind="StatefulSet")
    add("configmap-two-appliers", "two appliers own their keys; the first dropping its key removes it",
        [apply(cm({"a": "1"})), apply(cm({"b": "2"}), manager="other"), apply(cm({}))], kind="ConfigMap", api="v1")
    add("service-ports", "Service ports keyed by port and protocol; an edit adds one",
        [apply(svc()), put(svc(ports=[{"name": "http", "port": 80, "targetPort": 8080}, {"name": "m", "port": 9090}])), apply(svc())],
        kind="Service", api="v1")
    add("env-from-secret-atomic", "valueFrom.secretKeyRef is an atomic SecretKeySelector",
        [apply(deploy(containers=[app(env=[{"name": "P", "valueFrom": {"secretKeyRef": {"name": "creds", "key": "p"}}}])]))])
    add("empty-map-and-struct-in-apply", "an empty map or struct in an applied configuration is owned as one field",
        [apply(deploy(annotations={}, containers=[app(resources={}, securityContext={})]))])
    return s


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    all_ = ex.scenarios() + ours()
    for i, sc in enumerate(all_, 1):
        with open(os.path.join(out, "%02d-%s.json" % (i, sc["name"])), "w") as f:
            json.dump(sc, f, indent=1, sort_keys=True)
    print(len(all_), "scenarios written to", out)


if __name__ == "__main__":
    main()
