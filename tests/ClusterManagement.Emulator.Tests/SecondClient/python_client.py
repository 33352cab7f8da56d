"""The official Python client (Debian's python3-kubernetes) against the emulator.

A second client that no one here wrote: its generated models deserialise every answer (dates,
int-or-string, quantities), its watch helper and its dynamic client have their own habits, so
the emulator cannot be shaped by kubectl's alone. Each case is one function; PythonClientTests
runs `python3 python_client.py <case>` and expects exit code 0 and the line `ok <case>`.
Environment: KUBECONFIG, EMULATOR_URL, EMULATOR_CONTROL_TOKEN.
"""
import datetime
import json
import os
import ssl
import sys
import threading
import urllib.request

from kubernetes import client, config, dynamic, watch
from kubernetes.client.rest import ApiException
from kubernetes.utils import parse_quantity

config.load_kube_config(config_file=os.environ["KUBECONFIG"])
API = client.ApiClient()
CORE = client.CoreV1Api(API)
APPS = client.AppsV1Api(API)


def control(path):
    """POSTs to the emulator's control API (not a Kubernetes API: plain HTTPS with its own token)."""
    context = ssl.create_default_context(cafile=API.configuration.ssl_ca_cert)
    request = urllib.request.Request(
        os.environ["EMULATOR_URL"] + path, method="POST", data=b"",
        headers={"Authorization": "Bearer " + os.environ["EMULATOR_CONTROL_TOKEN"]})
    with urllib.request.urlopen(request, context=context, timeout=10) as response:
        return json.load(response)


def namespace(name):
    CORE.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=name)))
    return name


def deployment(ns, name, containers):
    body = client.V1Deployment(
        metadata=client.V1ObjectMeta(name=name, labels={"app": name}),
        spec=client.V1DeploymentSpec(
            replicas=1,
            selector=client.V1LabelSelector(match_labels={"app": name}),
            template=client.V1PodTemplateSpec(
                metadata=client.V1ObjectMeta(labels={"app": name}),
                spec=client.V1PodSpec(containers=[client.V1Container(name=c, image=i) for c, i in containers]))))
    return APPS.create_namespaced_deployment(ns, body)


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


def poll(probe, what, seconds=15):
    deadline = datetime.datetime.now() + datetime.timedelta(seconds=seconds)
    while datetime.datetime.now() < deadline:
        value = probe()
        if value:
            return value
        threading.Event().wait(0.1)
    raise AssertionError("timed out waiting for " + what)


def list_with_selectors_and_paging():
    ns = namespace("py-list")
    for i in range(7):
        CORE.create_namespaced_config_map(ns, client.V1ConfigMap(
            metadata=client.V1ObjectMeta(name="cm-%d" % i, labels={"tier": "even" if i % 2 == 0 else "odd"}),
            data={"index": str(i)}))

    even = CORE.list_namespaced_config_map(ns, label_selector="tier=even")
    expect(sorted(c.metadata.name for c in even.items) == ["cm-0", "cm-2", "cm-4", "cm-6"], "label selector: %s" % even.items)
    notin = CORE.list_namespaced_config_map(ns, label_selector="tier notin (even),tier")
    expect(sorted(c.metadata.name for c in notin.items) == ["cm-1", "cm-3", "cm-5"], "set-based selector")
    by_name = CORE.list_namespaced_config_map(ns, field_selector="metadata.name=cm-3")
    expect([c.data["index"] for c in by_name.items] == ["3"], "field selector")
    # A field the server does not index for the kind is refused with 400, as the real API server does.
    try:
        CORE.list_namespaced_config_map(ns, field_selector="data.index=3")
        raise AssertionError("an unsupported field selector was accepted")
    except ApiException as e:
        expect(e.status == 400, "unsupported field selector gave %s" % e.status)

    names, token, pages = [], None, 0
    while True:
        page = CORE.list_namespaced_config_map(ns, limit=3, _continue=token)
        pages += 1
        expect(len(page.items) <= 3, "page larger than the limit")
        names += [c.metadata.name for c in page.items]
        token = page.metadata._continue
        if page.metadata.remaining_item_count is not None:
            expect(page.metadata.remaining_item_count == 7 - len(names), "remainingItemCount %s" % page.metadata.remaining_item_count)
        if not token:
            break
    expect(pages == 3 and sorted(names) == ["cm-%d" % i for i in range(7)], "paging gave %d pages: %s" % (pages, names))

    cordoned = CORE.list_node(field_selector="spec.unschedulable=false", label_selector="!node-role.kubernetes.io/control-plane")
    expect(sorted(n.metadata.name for n in cordoned.items) == ["worker-1", "worker-2", "worker-3"], "nodes by field and label")


def watch_resumes_from_a_resource_version():
    ns = namespace("py-watch")
    listed = CORE.list_namespaced_config_map(ns)
    start = listed.metadata.resource_version

    def write():
        CORE.create_namespaced_config_map(ns, client.V1ConfigMap(metadata=client.V1ObjectMeta(name="watched"), data={"v": "1"}))
        CORE.patch_namespaced_config_map("watched", ns, {"data": {"v": "2"}})

    writer = threading.Timer(0.5, write)
    writer.start()
    seen = []
    w = watch.Watch()
    for event in w.stream(CORE.list_namespaced_config_map, ns, resource_version=start, timeout_seconds=10):
        seen.append((event["type"], event["object"].data["v"], event["object"].metadata.resource_version))
        if len(seen) == 2:
            w.stop()
    writer.join()
    expect([(t, v) for t, v, _ in seen] == [("ADDED", "1"), ("MODIFIED", "2")], "events: %s" % seen)

    # Resuming from the first event's version replays only what came after it.
    resumed = []
    w = watch.Watch()
    for event in w.stream(CORE.list_namespaced_config_map, ns, resource_version=seen[0][2], timeout_seconds=3):
        resumed.append((event["type"], event["object"].data["v"]))
        w.stop()
    expect(resumed == [("MODIFIED", "2")], "resumed: %s" % resumed)


def watch_from_a_compacted_version_is_gone():
    ns = namespace("py-gone")
    old = CORE.list_namespaced_config_map(ns).metadata.resource_version
    CORE.create_namespaced_config_map(ns, client.V1ConfigMap(metadata=client.V1ObjectMeta(name="after")))
    control("/_emulator/watch/compact")
    try:
        for _ in watch.Watch().stream(CORE.list_namespaced_config_map, ns, resource_version=old, timeout_seconds=5):
            raise AssertionError("an event arrived from a compacted resourceVersion")
        raise AssertionError("the watch ended without the 410")
    except ApiException as e:
        expect(e.status == 410, "status %s" % e.status)
        expect(e.reason.startswith("Expired: too old resource version: %s" % old), "reason %s" % e.reason)


def strategic_and_json_merge_patch():
    ns = namespace("py-patch")
    deployment(ns, "two", [("web", "nginx:1.27"), ("log", "busybox:1.36")])

    # Strategic merge: containers merge by name, so the other container stays.
    patched = APPS.patch_namespaced_deployment("two", ns, {"spec": {"template": {"spec": {"containers": [{"name": "web", "image": "nginx:1.28"}]}}}})
    images = {c.name: c.image for c in patched.spec.template.spec.containers}
    expect(images == {"web": "nginx:1.28", "log": "busybox:1.36"}, "strategic merge: %s" % images)
    expect(patched.metadata.generation == 2, "generation %s" % patched.metadata.generation)

    # JSON merge patch (RFC 7386): a list is replaced whole.
    resource = dynamic.DynamicClient(API).resources.get(api_version="apps/v1", kind="Deployment")
    merged = resource.patch(name="two", namespace=ns, content_type="application/merge-patch+json",
                            body={"spec": {"template": {"spec": {"containers": [{"name": "log", "image": "busybox:1.37"}]}}}})
    expect([(c.name, c.image) for c in merged.spec.template.spec.containers] == [("log", "busybox:1.37")], "merge patch: %s" % merged.spec.template.spec.containers)

    # A JSON patch whose test fails changes nothing and is refused (422 in the API server).
    try:
        APPS.patch_namespaced_deployment("two", ns, [{"op": "test", "path": "/spec/replicas", "value": 5}, {"op": "replace", "path": "/spec/replicas", "value": 9}])
        raise AssertionError("a failed JSON patch test was applied")
    except ApiException as e:
        expect(e.status == 422, "json patch test failure gave %s" % e.status)
    expect(APPS.read_namespaced_deployment("two", ns).spec.replicas == 1, "replicas changed")


def server_side_apply():
    ns = namespace("py-apply")
    resource = dynamic.DynamicClient(API).resources.get(api_version="v1", kind="ConfigMap")
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "applied", "namespace": ns}, "data": {"a": "1", "b": "2"}}
    # This client sends an apply body only as text (its REST layer serialises JSON content types alone); JSON is YAML.
    created = resource.server_side_apply(body=json.dumps(body), name="applied", namespace=ns, field_manager="py-tool")
    expect(created.data.a == "1", "created %s" % created)
    managers = [(m.manager, m.operation) for m in created.metadata.managedFields]
    expect(("py-tool", "Apply") in managers, "managedFields %s" % managers)

    # Applying without a field drops it: the manager no longer wants it.
    body["data"] = {"a": "3"}
    applied = resource.server_side_apply(body=json.dumps(body), name="applied", namespace=ns, field_manager="py-tool")
    expect(dict(applied.data) == {"a": "3"}, "re-applied data %s" % dict(applied.data))

    try:
        resource.server_side_apply(body=json.dumps(body), name="applied", namespace=ns)
        raise AssertionError("an apply without a field manager was accepted")
    except ApiException as e:
        # apiserver's ValidatePatchOptions: a missing manager is a field error of PatchOptions (422).
        expect(e.status == 422, "apply without fieldManager gave %s" % e.status)
        expect("fieldManager: Required value: is required for apply patch" in json.loads(e.body)["message"], "body %s" % e.body)


def server_side_apply_conflict():
    ns = namespace("py-conflict")
    resource = dynamic.DynamicClient(API).resources.get(api_version="v1", kind="ConfigMap")
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "shared", "namespace": ns}, "data": {"owner": "first"}}
    resource.server_side_apply(body=json.dumps(body), name="shared", namespace=ns, field_manager="first")
    body["data"] = {"owner": "second"}
    try:
        resource.server_side_apply(body=json.dumps(body), name="shared", namespace=ns, field_manager="second")
        raise AssertionError("a second manager took a field without force")
    except ApiException as e:
        expect(e.status == 409, "conflict gave %s" % e.status)
        expect('conflict with "first"' in json.loads(e.body)["message"], "conflict body %s" % e.body)
    forced = resource.server_side_apply(body=json.dumps(body), name="shared", namespace=ns, field_manager="second", force_conflicts=True)
    expect(forced.data.owner == "second", "forced apply %s" % forced.data)


def delete_with_propagation():
    ns = namespace("py-delete")
    for name in ("orphaned", "cascaded"):
        deployment(ns, name, [("c", "nginx:1.27")])
        poll(lambda: APPS.list_namespaced_replica_set(ns, label_selector="app=" + name).items, "the %s ReplicaSet" % name)

    APPS.delete_namespaced_deployment("orphaned", ns, propagation_policy="Orphan")
    poll(lambda: not APPS.list_namespaced_deployment(ns, field_selector="metadata.name=orphaned").items, "orphaned deleted")
    threading.Event().wait(1)
    kept = APPS.list_namespaced_replica_set(ns, label_selector="app=orphaned").items
    expect(len(kept) == 1, "orphaned ReplicaSet: %s" % kept)

    status = APPS.delete_namespaced_deployment("cascaded", ns, propagation_policy="Background")
    expect(status.status == "Success" or status.kind == "Deployment", "delete answer %s" % status)
    poll(lambda: not APPS.list_namespaced_replica_set(ns, label_selector="app=cascaded").items, "the cascaded ReplicaSet collected")
    # Pods end gracefully: the kubelet removes them after their containers stop, so Terminating is enough here.
    poll(lambda: all(p.metadata.deletion_timestamp for p in CORE.list_namespaced_pod(ns, label_selector="app=cascaded").items), "the cascaded pods deleted")

    try:
        APPS.delete_namespaced_deployment("cascaded", ns)
        raise AssertionError("a second delete succeeded")
    except ApiException as e:
        expect(e.status == 404 and json.loads(e.body)["details"]["name"] == "cascaded", "second delete %s %s" % (e.status, e.body))


def orphan_strips_the_owner_reference():
    """The garbage collector's orphan finalizer removes the deleted owner from its dependents' ownerReferences."""
    ns = namespace("py-orphan")
    deployment(ns, "orphaned", [("c", "nginx:1.27")])
    poll(lambda: APPS.list_namespaced_replica_set(ns, label_selector="app=orphaned").items, "the ReplicaSet")
    APPS.delete_namespaced_deployment("orphaned", ns, propagation_policy="Orphan")
    poll(lambda: not APPS.list_namespaced_deployment(ns).items, "the deployment deleted")
    poll(lambda: all(not rs.metadata.owner_references for rs in APPS.list_namespaced_replica_set(ns).items), "ownerReferences removed")


def typed_reads_deserialise():
    node = CORE.read_node_status("worker-1")
    expect(parse_quantity(node.status.capacity["memory"]) > 0 and parse_quantity(node.status.allocatable["cpu"]) >= 1, "quantities %s" % node.status.capacity)
    ready = [c for c in node.status.conditions if c.type == "Ready"][0]
    expect(isinstance(ready.last_heartbeat_time, datetime.datetime) and ready.last_heartbeat_time.tzinfo is not None, "heartbeat %r" % ready.last_heartbeat_time)
    expect(ready.status == "True" and node.status.node_info.kubelet_version.startswith("v1."), "node %s" % node.status.node_info)
    expect(isinstance(node.metadata.creation_timestamp, datetime.datetime), "creationTimestamp %r" % node.metadata.creation_timestamp)

    ns = namespace("py-read")
    CORE.create_namespaced_config_map(ns, client.V1ConfigMap(metadata=client.V1ObjectMeta(name="settings"), data={"mode": "fast", "level": "3"}))
    cm = CORE.read_namespaced_config_map("settings", ns)
    expect(cm.data == {"mode": "fast", "level": "3"}, "configmap %s" % cm.data)

    # Defaulting fills int-or-string fields with strings (25%) and the client keeps them as given.
    created = deployment(ns, "defaults", [("c", "nginx:1.27")])
    rolling = created.spec.strategy.rolling_update
    expect(created.spec.strategy.type == "RollingUpdate" and rolling.max_surge == "25%" and rolling.max_unavailable == "25%", "strategy %s" % created.spec.strategy)
    expect(created.spec.revision_history_limit == 10 and created.spec.progress_deadline_seconds == 600, "deployment defaults %s" % created.spec)
    budget = client.PolicyV1Api(API).create_namespaced_pod_disruption_budget(ns, client.V1PodDisruptionBudget(
        metadata=client.V1ObjectMeta(name="defaults"),
        spec=client.V1PodDisruptionBudgetSpec(min_available=1, selector=client.V1LabelSelector(match_labels={"app": "defaults"}))))
    expect(budget.spec.min_available == 1 and budget.spec.max_unavailable is None, "pdb %s" % budget.spec)


CASES = {f.__name__: f for f in [
    list_with_selectors_and_paging,
    watch_resumes_from_a_resource_version,
    watch_from_a_compacted_version_is_gone,
    strategic_and_json_merge_patch,
    server_side_apply,
    server_side_apply_conflict,
    delete_with_propagation,
    orphan_strips_the_owner_reference,
    typed_reads_deserialise,
]}

if __name__ == "__main__":
    CASES[sys.argv[1]]()
    print("ok " + sys.argv[1])
