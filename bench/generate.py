#!/usr/bin/env python3
"""Generates a synthetic cluster dump shaped like `kubectl get nodes,pods,daemonsets,events,controllerrevisions
-A -o json|yaml` prints, for benchmarking kubectl-ds on clusters of any size. Owns only the benchmark input:
it is never read by `cargo test`.

Object shapes are copied from tests/fixtures/real-cluster/*.json (a real v1.36 control plane), with what a real
production cluster adds around them (node images, app pods with probes, env and sidecars, kubelet events).
kubectl prints unstructured objects, so keys come out sorted and JSON is indented by 4 spaces; managedFields
are left out, as kubectl does by default.

The output is deterministic for a given --nodes/--seed, so figures stay comparable across commits.

`--format api -o DIR` writes what bench/apiserver.py serves instead: one file per resource (DIR/pods.jsonl, ...),
one compact object per line, each with the managedFields a real API server stores and returns (a pod then
weighs ~6-9 KB, as in production; `kubectl get` leaves them out of dumps, the API does not).

Usage: bench/generate.py --nodes 1000 [--format json|yaml] [--app-pods-per-node 21] [--seed 1] -o FILE
       bench/generate.py --nodes 2000 --format api [--app-pods-per-node 19] -o DIR
"""

import argparse
import json
import re
import os
import random
import sys
import uuid

try:
    import yaml
except ImportError:  # only the YAML variant needs it
    yaml = None

BASE_TIME = "2026-11-23T{:02d}:{:02d}:{:02d}Z"
REGION = "eu-west-1"
ZONES = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
INSTANCE_TYPES = [("m6i.4xlarge", 16, 64), ("m6i.8xlarge", 32, 128), ("r6i.4xlarge", 16, 128)]

DAEMON_TOLERATIONS = [
    {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists"},
    {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists"},
    {"effect": "NoSchedule", "key": "node.kubernetes.io/disk-pressure", "operator": "Exists"},
    {"effect": "NoSchedule", "key": "node.kubernetes.io/memory-pressure", "operator": "Exists"},
    {"effect": "NoSchedule", "key": "node.kubernetes.io/pid-pressure", "operator": "Exists"},
    {"effect": "NoSchedule", "key": "node.kubernetes.io/unschedulable", "operator": "Exists"},
]
HOST_NETWORK_TOLERATION = {"effect": "NoSchedule", "key": "node.kubernetes.io/network-unavailable", "operator": "Exists"}


class Gen:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.rv = 1000

    def uid(self):
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def suffix(self, n=5):
        return "".join(self.rng.choice("bcdfghjklmnpqrstvwxz2456789") for _ in range(n))

    def hexid(self, n):
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(n))

    def resource_version(self):
        self.rv += self.rng.randint(1, 40)
        return str(self.rv)

    def time(self, lo=0, hi=11 * 3600):
        s = self.rng.randint(lo, hi)
        return BASE_TIME.format(s // 3600, s // 60 % 60, s % 60)


# ---------------------------------------------------------------------------------------------------------
# Nodes

NODE_KINDS = ["control-plane", "cordoned", "notready", "db", "gpu", "windows", "packed"]


def node_kinds(n, rng):
    """Each node's role: 3 control-plane nodes, then a mix with at least one of each kind."""
    kinds = []
    for i in range(n):
        if i < 3:
            kinds.append("control-plane")
        elif i < 3 + len(NODE_KINDS) - 1:
            kinds.append(NODE_KINDS[i - 2])
        else:
            r = rng.random()
            kinds.append(
                "cordoned" if r < 0.01 else
                "notready" if r < 0.02 else
                "db" if r < 0.05 else
                "gpu" if r < 0.10 else
                "windows" if r < 0.12 else
                "packed" if r < 0.15 else
                "worker"
            )
    return kinds


def condition(type_, status, reason, message, t):
    return {
        "lastHeartbeatTime": t, "lastTransitionTime": t, "message": message,
        "reason": reason, "status": status, "type": type_,
    }


NODE_IMAGES = [
    "602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon-k8s-cni", "602401143452.dkr.ecr.eu-west-1.amazonaws.com/eks/kube-proxy",
    "quay.io/prometheus/node-exporter", "cr.fluentbit.io/fluent/fluent-bit", "docker.io/falcosecurity/falco",
    "registry.k8s.io/sig-storage/csi-node-driver-registrar", "public.ecr.aws/ebs-csi-driver/aws-ebs-csi-driver",
    "registry.k8s.io/node-problem-detector/node-problem-detector", "gcr.io/datadoghq/agent", "quay.io/ceph/ceph",
    "docker.io/istio/proxyv2", "ghcr.io/acme/payments-api", "ghcr.io/acme/checkout-web", "ghcr.io/acme/search-indexer",
    "ghcr.io/acme/notifications", "ghcr.io/acme/orders-worker", "ghcr.io/acme/inventory", "docker.io/library/redis",
    "docker.io/bitnami/postgresql", "registry.k8s.io/pause", "docker.io/grafana/promtail", "quay.io/jetstack/cert-manager-webhook",
]


def make_node(g, i, kind):
    a, b, c = 16 + i // 65536, i // 256 % 256, i % 256
    name = f"ip-10-{a}-{b}-{c}.{REGION}.compute.internal"
    itype, cpu, mem_gi = INSTANCE_TYPES[i % len(INSTANCE_TYPES)]
    zone = ZONES[i % len(ZONES)]
    windows = kind == "windows"
    os_ = "windows" if windows else "linux"
    created = g.time(0, 3600)
    labels = {
        "beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/instance-type": itype, "beta.kubernetes.io/os": os_,
        "failure-domain.beta.kubernetes.io/region": REGION, "failure-domain.beta.kubernetes.io/zone": zone,
        "kubernetes.io/arch": "amd64", "kubernetes.io/hostname": name, "kubernetes.io/os": os_,
        "node.kubernetes.io/instance-type": itype, "topology.kubernetes.io/region": REGION,
        "topology.kubernetes.io/zone": zone, "topology.ebs.csi.aws.com/zone": zone,
        "karpenter.sh/capacity-type": "on-demand" if i % 4 else "spot", "karpenter.sh/nodepool": kind,
    }
    taints = []
    spec = {"podCIDR": f"100.{64 + i // 256 % 64}.{i % 256}.0/24", "providerID": f"aws:///{zone}/i-0{g.hexid(16)}"}
    spec["podCIDRs"] = [spec["podCIDR"]]
    ready = condition("Ready", "True", "KubeletReady", "kubelet is posting ready status", created)
    if kind == "control-plane":
        labels["node-role.kubernetes.io/control-plane"] = ""
        taints.append({"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"})
    elif kind == "cordoned":
        spec["unschedulable"] = True
        taints.append({"effect": "NoSchedule", "key": "node.kubernetes.io/unschedulable", "timeAdded": g.time()})
    elif kind == "notready":
        t = g.time(36000, 39000)
        ready = condition("Ready", "Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status.", t)
        taints.append({"effect": "NoSchedule", "key": "node.kubernetes.io/unreachable", "timeAdded": t})
        taints.append({"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "timeAdded": t})
    elif kind == "db":
        labels["dedicated"] = "db"
        taints.append({"effect": "NoExecute", "key": "dedicated", "value": "db"})
    elif kind == "gpu":
        labels["nvidia.com/gpu.present"] = "true"
        labels["nvidia.com/gpu.product"] = "NVIDIA-A10G"
        taints.append({"effect": "NoSchedule", "key": "nvidia.com/gpu", "value": "present"})
    if taints:
        spec["taints"] = taints
    capacity = {
        "cpu": str(cpu), "ephemeral-storage": "104845292Ki", "hugepages-1Gi": "0", "hugepages-2Mi": "0",
        "memory": f"{mem_gi * 1024 * 1024 - 700000}Ki", "pods": "110",
    }
    allocatable = {
        "cpu": f"{cpu * 1000 - 110}m", "ephemeral-storage": "95551679124", "hugepages-1Gi": "0", "hugepages-2Mi": "0",
        "memory": f"{mem_gi * 1024 * 1024 - 1500000}Ki", "pods": "110",
    }
    if kind == "gpu":
        capacity["nvidia.com/gpu"] = "1"
        allocatable["nvidia.com/gpu"] = "1"
    conditions = [
        condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", created),
        condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", created),
        condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", created),
        ready,
    ]
    if kind == "notready":
        for cnd in conditions[:3]:
            cnd.update(status="Unknown", reason="NodeStatusUnknown", message="Kubelet stopped posting node status.")
    images = []
    for repo in g.rng.sample(NODE_IMAGES, 16):
        tag = f"v{g.rng.randint(0, 3)}.{g.rng.randint(0, 40)}.{g.rng.randint(0, 9)}"
        images.append({"names": [f"{repo}@sha256:{g.hexid(64)}", f"{repo}:{tag}"], "sizeBytes": g.rng.randint(300000, 900000000)})
    ip = f"10.{a}.{b}.{c}"
    node = {
        "apiVersion": "v1", "kind": "Node",
        "metadata": {
            "annotations": {
                "alpha.kubernetes.io/provided-node-ip": ip,
                "csi.volume.kubernetes.io/nodeid": json.dumps({"ebs.csi.aws.com": spec["providerID"].rsplit("/", 1)[1]}),
                "node.alpha.kubernetes.io/ttl": "0",
                "volumes.kubernetes.io/controller-managed-attach-detach": "true",
            },
            "creationTimestamp": created, "labels": labels, "name": name,
            "resourceVersion": g.resource_version(), "uid": g.uid(),
        },
        "spec": spec,
        "status": {
            "addresses": [
                {"address": ip, "type": "InternalIP"},
                {"address": name, "type": "InternalDNS"},
                {"address": name, "type": "Hostname"},
            ],
            "allocatable": allocatable, "capacity": capacity, "conditions": conditions,
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "images": images,
            "nodeInfo": {
                "architecture": "amd64", "bootID": g.uid(),
                "containerRuntimeVersion": "containerd://2.1.4" if not windows else "containerd://1.7.24",
                "kernelVersion": "6.12.40-64.114.amzn2023.x86_64" if not windows else "10.0.20348.3932",
                "kubeProxyVersion": "", "kubeletVersion": "v1.36.2", "machineID": g.hexid(32),
                "operatingSystem": os_,
                "osImage": "Amazon Linux 2023.8.20250818" if not windows else "Windows Server 2022 Datacenter",
                "systemUUID": g.uid(),
            },
        },
    }
    return node


# ---------------------------------------------------------------------------------------------------------
# DaemonSets

def ds_def(namespace, name, image, requests, *, tolerations=(), node_selector=None, affinity=None,
           host_network=False, host_port=None, containers_extra=(), revisions=1, new_image=None):
    return dict(namespace=namespace, name=name, image=image, requests=requests, tolerations=list(tolerations),
                node_selector=node_selector, affinity=affinity, host_network=host_network, host_port=host_port,
                containers_extra=list(containers_extra), revisions=revisions, new_image=new_image)


EXISTS_ALL = [{"operator": "Exists"}]
DAEMONSETS = [
    ds_def("kube-system", "kube-proxy", "602401143452.dkr.ecr.eu-west-1.amazonaws.com/eks/kube-proxy:v1.36.2-eksbuild.1",
           {"cpu": "100m"}, tolerations=EXISTS_ALL, node_selector={"kubernetes.io/os": "linux"}, host_network=True),
    ds_def("kube-system", "aws-node", "602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon-k8s-cni:v1.20.1",
           {"cpu": "25m"}, tolerations=EXISTS_ALL, host_network=True, host_port=61678,
           affinity={"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
               {"matchExpressions": [{"key": "kubernetes.io/os", "operator": "In", "values": ["linux"]},
                                     {"key": "kubernetes.io/arch", "operator": "In", "values": ["amd64", "arm64"]}]}]}}}),
    ds_def("kube-system", "ebs-csi-node", "public.ecr.aws/ebs-csi-driver/aws-ebs-csi-driver:v1.48.0",
           {"cpu": "10m", "memory": "40Mi"}, tolerations=EXISTS_ALL, node_selector={"kubernetes.io/os": "linux"},
           containers_extra=[("node-driver-registrar", "registry.k8s.io/sig-storage/csi-node-driver-registrar:v2.14.0"),
                             ("liveness-probe", "registry.k8s.io/sig-storage/livenessprobe:v2.16.0")]),
    ds_def("monitoring", "node-exporter", "quay.io/prometheus/node-exporter:v1.9.1",
           {"cpu": "50m", "memory": "64Mi"}, tolerations=EXISTS_ALL, node_selector={"kubernetes.io/os": "linux"},
           host_network=True, host_port=9100),
    ds_def("logging", "fluent-bit", "cr.fluentbit.io/fluent/fluent-bit:4.0.7", {"cpu": "100m", "memory": "128Mi"},
           tolerations=[{"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane", "operator": "Exists"}],
           node_selector={"kubernetes.io/os": "linux"}),
    ds_def("gpu-operator", "nvidia-device-plugin", "nvcr.io/nvidia/k8s-device-plugin:v0.17.3", {},
           tolerations=[{"effect": "NoSchedule", "key": "nvidia.com/gpu", "operator": "Exists"}],
           node_selector={"nvidia.com/gpu.present": "true"}),
    ds_def("security", "falco", "docker.io/falcosecurity/falco:0.41.3", {"cpu": "100m", "memory": "512Mi"},
           tolerations=[{"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane", "operator": "Exists"},
                        {"effect": "NoSchedule", "key": "nvidia.com/gpu", "operator": "Exists"}],
           node_selector={"kubernetes.io/os": "linux"}, revisions=2,
           new_image="docker.io/falcosecurity/falco:0.41.4-rc0"),
    ds_def("storage", "ceph-agent", "quay.io/ceph/ceph:v19.2.3", {"cpu": "2", "memory": "4Gi"},
           node_selector={"kubernetes.io/os": "linux"}),
    ds_def("ops", "node-problem-detector", "registry.k8s.io/node-problem-detector/node-problem-detector:v0.8.21",
           {"cpu": "20m", "memory": "64Mi"},
           affinity={"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
               {"matchExpressions": [{"key": "node-role.kubernetes.io/control-plane", "operator": "DoesNotExist"},
                                     {"key": "kubernetes.io/os", "operator": "In", "values": ["linux"]}]}]}}}),
    ds_def("monitoring", "datadog-agent", "gcr.io/datadoghq/agent:7.69.2", {"cpu": "200m", "memory": "256Mi"},
           node_selector={"kubernetes.io/os": "linux"}),
]


def probe(path, port, period=10):
    return {"failureThreshold": 3, "httpGet": {"path": path, "port": port, "scheme": "HTTP"},
            "initialDelaySeconds": 5, "periodSeconds": period, "successThreshold": 1, "timeoutSeconds": 1}


def container(name, image, requests, *, ports=(), env=(), probes=True, mounts=()):
    c = {
        "image": image, "imagePullPolicy": "IfNotPresent", "name": name,
        "resources": {"requests": dict(requests)} if requests else {},
        "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
    }
    if requests.get("memory"):
        c["resources"]["limits"] = {"memory": requests["memory"]}
    if ports:
        c["ports"] = list(ports)
    if env:
        c["env"] = list(env)
    if probes and ports:
        c["livenessProbe"] = probe("/healthz", ports[0]["containerPort"])
        c["readinessProbe"] = probe("/ready", ports[0]["containerPort"], 5)
    if mounts:
        c["volumeMounts"] = list(mounts)
    return c


def ds_template_spec(d, image):
    ports = []
    if d["host_port"]:
        ports = [{"containerPort": d["host_port"], "hostPort": d["host_port"], "name": "metrics", "protocol": "TCP"}]
    env = [
        {"name": "NODE_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "spec.nodeName"}}},
        {"name": "POD_NAMESPACE", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}},
        {"name": "LOG_LEVEL", "value": "info"},
    ]
    mounts = [{"mountPath": "/host/proc", "name": "proc", "readOnly": True},
              {"mountPath": "/host/sys", "name": "sys", "readOnly": True}]
    containers = [container(d["name"], image, d["requests"], ports=ports, env=env, mounts=mounts)]
    for name, img in d["containers_extra"]:
        containers.append(container(name, img, {"cpu": "5m", "memory": "20Mi"}, mounts=mounts[:1]))
    spec = {
        "containers": containers, "dnsPolicy": "ClusterFirst", "restartPolicy": "Always",
        "schedulerName": "default-scheduler", "securityContext": {}, "serviceAccount": d["name"],
        "serviceAccountName": d["name"], "terminationGracePeriodSeconds": 30,
        "volumes": [{"hostPath": {"path": "/proc", "type": ""}, "name": "proc"},
                    {"hostPath": {"path": "/sys", "type": ""}, "name": "sys"}],
    }
    if d["namespace"] == "kube-system":
        spec["priorityClassName"] = "system-node-critical"
    if d["host_network"]:
        spec["hostNetwork"] = True
        spec["dnsPolicy"] = "ClusterFirstWithHostNet"
    if d["tolerations"]:
        spec["tolerations"] = [dict(t) for t in d["tolerations"]]
    if d["node_selector"]:
        spec["nodeSelector"] = dict(d["node_selector"])
    if d["affinity"]:
        spec["affinity"] = json.loads(json.dumps(d["affinity"]))
    return spec


def make_daemonset(g, d, status):
    labels = {"app.kubernetes.io/name": d["name"]}
    hashes = [g.hexid(10) for _ in range(d["revisions"])]
    image = d["new_image"] or d["image"]
    template_spec = ds_template_spec(d, image)
    uid = g.uid()
    generation = d["revisions"]
    ds = {
        "apiVersion": "apps/v1", "kind": "DaemonSet",
        "metadata": {
            "annotations": {"deprecated.daemonset.template.generation": str(generation),
                            "meta.helm.sh/release-name": d["name"], "meta.helm.sh/release-namespace": d["namespace"]},
            "creationTimestamp": g.time(0, 600), "generation": generation,
            "labels": dict(labels, **{"app.kubernetes.io/managed-by": "Helm"}),
            "name": d["name"], "namespace": d["namespace"], "resourceVersion": g.resource_version(), "uid": uid,
        },
        "spec": {
            "revisionHistoryLimit": 10, "selector": {"matchLabels": dict(labels)},
            "template": {"metadata": {"labels": dict(labels)}, "spec": template_spec},
            "updateStrategy": {"rollingUpdate": {"maxSurge": 0, "maxUnavailable": "10%" if d["revisions"] > 1 else 1},
                               "type": "RollingUpdate"},
        },
        "status": dict(status, observedGeneration=generation),
    }
    revisions = []
    for r, h in enumerate(hashes, start=1):
        img = image if r == len(hashes) else d["image"]
        revisions.append({
            "apiVersion": "apps/v1", "kind": "ControllerRevision",
            "data": {"spec": {"template": {"$patch": "replace", "metadata": {"labels": dict(labels)},
                                           "spec": ds_template_spec(d, img)}}},
            "metadata": {
                "annotations": {"deprecated.daemonset.template.generation": str(r)},
                "creationTimestamp": g.time(0, 600),
                "labels": dict(labels, **{"controller-revision-hash": h}),
                "name": f"{d['name']}-{h}", "namespace": d["namespace"],
                "ownerReferences": [{"apiVersion": "apps/v1", "blockOwnerDeletion": True, "controller": True,
                                     "kind": "DaemonSet", "name": d["name"], "uid": uid}],
                "resourceVersion": g.resource_version(), "uid": g.uid(),
            },
            "revision": r,
        })
    return ds, uid, hashes, revisions


def pod_conditions(t, ready, scheduled=True, unschedulable_msg=None, unready=""):
    if not scheduled:
        return [{"lastProbeTime": None, "lastTransitionTime": t, "message": unschedulable_msg,
                 "observedGeneration": 1, "reason": "Unschedulable", "status": "False", "type": "PodScheduled"}]
    rd = {"lastProbeTime": None, "lastTransitionTime": t, "status": "True" if ready else "False"}
    conds = [
        {"lastProbeTime": None, "lastTransitionTime": t, "status": "True", "type": "PodReadyToStartContainers"},
        {"lastProbeTime": None, "lastTransitionTime": t, "status": "True", "type": "Initialized"},
        dict(rd, type="Ready"), dict(rd, type="ContainersReady"),
        {"lastProbeTime": None, "lastTransitionTime": t, "status": "True", "type": "PodScheduled"},
    ]
    if not ready:
        for c in conds[2:4]:
            c["reason"] = "ContainersNotReady"
            c["message"] = f"containers with unready status: [{unready}]"
    return conds


def container_status(g, c, state, t):
    """`state`: running, crashloop, errimagepull, imagepullbackoff."""
    img = c["image"]
    st = {
        "image": img, "imageID": f"{img.split(':')[0]}@sha256:{g.hexid(64)}", "lastState": {}, "name": c["name"],
        "ready": state == "running", "restartCount": 0, "started": state == "running",
        "volumeMounts": [{"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": "kube-api-access",
                          "readOnly": True, "recursiveReadOnly": "Disabled"}],
    }
    if state == "running":
        st["containerID"] = f"containerd://{g.hexid(64)}"
        st["state"] = {"running": {"startedAt": t}}
    elif state == "crashloop":
        st["containerID"] = f"containerd://{g.hexid(64)}"
        st["restartCount"] = g.rng.randint(5, 300)
        st["lastState"] = {"terminated": {"containerID": st["containerID"], "exitCode": 1, "finishedAt": t,
                                          "reason": "Error", "startedAt": t}}
        st["state"] = {"waiting": {"message": f"back-off 5m0s restarting failed container={c['name']} pod=x",
                                   "reason": "CrashLoopBackOff"}}
    else:
        st["imageID"] = ""
        err = (f"failed to pull and unpack image \"{img}\": failed to resolve reference \"{img}\": "
               f"{img}: not found")
        msg = err if state == "errimagepull" else f"Back-off pulling image \"{img}\": ErrImagePull: {err}"
        st["state"] = {"waiting": {"message": msg, "reason": "ErrImagePull" if state == "errimagepull" else "ImagePullBackOff"}}
    return st


def api_volume(suffix):
    return {"name": f"kube-api-access-{suffix}", "projected": {"defaultMode": 420, "sources": [
        {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
        {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
        {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"},
                                    "path": "namespace"}]}},
    ]}}


def finish_pod(g, pod, node, node_ip, state, t):
    """Fills the kubelet's status for a pod bound to `node` (or the scheduler's, when `node` is None)."""
    spec = pod["spec"]
    sfx = g.suffix()
    spec["volumes"] = spec.get("volumes", []) + [api_volume(sfx)]
    for c in spec["containers"]:
        c["volumeMounts"] = c.get("volumeMounts", []) + [
            {"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": f"kube-api-access-{sfx}", "readOnly": True}]
    if node is None:
        pod["status"] = {"conditions": pod_conditions(t, False, scheduled=False, unschedulable_msg=state),
                         "phase": "Pending", "qosClass": "Burstable"}
        return
    spec["nodeName"] = node
    first = spec["containers"][0]["name"]
    statuses = [container_status(g, c, state if i == 0 else "running", t) for i, c in enumerate(spec["containers"])]
    ready = state == "running"
    pod_ip = node_ip if spec.get("hostNetwork") else f"100.{g.rng.randint(64, 127)}.{g.rng.randint(0, 255)}.{g.rng.randint(1, 254)}"
    pod["status"] = {
        "conditions": pod_conditions(t, ready, unready=first), "containerStatuses": statuses,
        "hostIP": node_ip, "hostIPs": [{"ip": node_ip}],
        "phase": "Pending" if state in ("errimagepull", "imagepullbackoff") else "Running",
        "podIP": pod_ip, "podIPs": [{"ip": pod_ip}], "qosClass": "Burstable", "startTime": t,
    }


def make_daemon_pod(g, d, ds_uid, rev_hash, generation, node, node_ip, state, t, image):
    name = f"{d['name']}-{g.suffix()}"
    spec = ds_template_spec(d, image)
    spec["enableServiceLinks"] = True
    spec["preemptionPolicy"] = "PreemptLowerPriority"
    spec["priority"] = 2000001000 if d["namespace"] == "kube-system" else 0
    tolerations = spec.get("tolerations", []) + [dict(t_) for t_ in DAEMON_TOLERATIONS]
    if d["host_network"]:
        tolerations.append(dict(HOST_NETWORK_TOLERATION))
    spec["tolerations"] = tolerations
    # The controller pins each pod to its node with a matchFields term (NewPod / ReplaceDaemonSetPodNodeNameNodeAffinity).
    affinity = spec.get("affinity") or {}
    terms = affinity.get("nodeAffinity", {}).get("requiredDuringSchedulingIgnoredDuringExecution", {}).get("nodeSelectorTerms") or [{}]
    for term in terms:
        term["matchFields"] = [{"key": "metadata.name", "operator": "In", "values": [node]}]
    spec["affinity"] = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": terms}}}
    pod = {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {
            "creationTimestamp": t, "generateName": f"{d['name']}-", "generation": 1,
            "labels": {"app.kubernetes.io/name": d["name"], "controller-revision-hash": rev_hash,
                       "pod-template-generation": str(generation)},
            "name": name, "namespace": d["namespace"],
            "ownerReferences": [{"apiVersion": "apps/v1", "blockOwnerDeletion": True, "controller": True,
                                 "kind": "DaemonSet", "name": d["name"], "uid": ds_uid}],
            "resourceVersion": g.resource_version(), "uid": g.uid(),
        },
        "spec": spec,
    }
    return pod


# ---------------------------------------------------------------------------------------------------------
# App pods

APPS = ["payments-api", "checkout-web", "search-indexer", "notifications", "orders-worker", "inventory",
        "recommendations", "auth-gateway", "pricing", "shipping", "catalog", "reviews", "ledger", "fraud-scoring",
        "mailer", "image-resizer", "session-store", "feature-flags", "audit-log", "graphql-edge"]


def make_app_pod(g, app_idx, node, node_ip, packed, t, state):
    app = APPS[app_idx % len(APPS)]
    team = f"team-{app_idx % 37:02d}"
    rs = f"{app}-{g.hexid(10)[:9]}"
    cpu = "700m" if packed else g.rng.choice(["50m", "100m", "250m", "500m"])
    mem = f"{g.rng.choice([128, 256, 512, 1024])}Mi"
    env = [{"name": "SERVICE_NAME", "value": app}, {"name": "ENVIRONMENT", "value": "production"},
           {"name": "OTEL_EXPORTER_OTLP_ENDPOINT", "value": "http://otel-collector.observability:4317"},
           {"name": "DATABASE_URL", "valueFrom": {"secretKeyRef": {"key": "url", "name": f"{app}-db"}}},
           {"name": "POD_IP", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "status.podIP"}}},
           {"name": "GOMAXPROCS", "valueFrom": {"resourceFieldRef": {"divisor": "0", "resource": "limits.cpu"}}}]
    containers = [container(app, f"ghcr.io/acme/{app}:{g.rng.randint(1, 9)}.{g.rng.randint(0, 60)}.{g.rng.randint(0, 9)}",
                            {"cpu": cpu, "memory": mem},
                            ports=[{"containerPort": 8080, "name": "http", "protocol": "TCP"},
                                   {"containerPort": 9090, "name": "metrics", "protocol": "TCP"}],
                            env=env, mounts=[{"mountPath": "/etc/app", "name": "config", "readOnly": True}])]
    if app_idx % 5 < 2:
        containers.append(container("istio-proxy", "docker.io/istio/proxyv2:1.27.1", {"cpu": "10m", "memory": "40Mi"},
                                    ports=[{"containerPort": 15090, "name": "http-envoy-prom", "protocol": "TCP"}],
                                    env=[{"name": "ISTIO_META_WORKLOAD_NAME", "value": app}], probes=False))
    pod = {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {
            "annotations": {"kubectl.kubernetes.io/default-container": app, "prometheus.io/port": "9090",
                            "prometheus.io/scrape": "true"},
            "creationTimestamp": t, "generateName": f"{rs}-",
            "labels": {"app.kubernetes.io/name": app, "app.kubernetes.io/part-of": team, "pod-template-hash": rs[-9:]},
            "name": f"{rs}-{g.suffix()}", "namespace": team,
            "ownerReferences": [{"apiVersion": "apps/v1", "blockOwnerDeletion": True, "controller": True,
                                 "kind": "ReplicaSet", "name": rs, "uid": g.uid()}],
            "resourceVersion": g.resource_version(), "uid": g.uid(),
        },
        "spec": {
            "containers": containers, "dnsPolicy": "ClusterFirst", "enableServiceLinks": True,
            "preemptionPolicy": "PreemptLowerPriority", "priority": 0, "restartPolicy": "Always",
            "schedulerName": "default-scheduler", "securityContext": {"fsGroup": 1000, "runAsNonRoot": True},
            "serviceAccount": app, "serviceAccountName": app, "terminationGracePeriodSeconds": 30,
            "tolerations": [
                {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300},
                {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists", "tolerationSeconds": 300}],
            "topologySpreadConstraints": [{"labelSelector": {"matchLabels": {"app.kubernetes.io/name": app}},
                                           "maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone",
                                           "whenUnsatisfiable": "ScheduleAnyway"}],
            "volumes": [{"configMap": {"defaultMode": 420, "name": f"{app}-config"}, "name": "config"}],
        },
    }
    finish_pod(g, pod, node, node_ip, state, t)
    return pod


# ---------------------------------------------------------------------------------------------------------
# Events

def core_event(g, ns, kind, name, uid, reason, message, type_, component, host, t, count=1, field_path=None):
    obj = {"apiVersion": "v1" if kind != "DaemonSet" else "apps/v1", "kind": kind, "name": name, "namespace": ns,
           "resourceVersion": g.resource_version(), "uid": uid}
    if field_path:
        obj["fieldPath"] = field_path
    ev = {
        "apiVersion": "v1", "kind": "Event", "count": count, "eventTime": None, "firstTimestamp": t,
        "involvedObject": obj, "lastTimestamp": t, "message": message,
        "metadata": {"creationTimestamp": t, "name": f"{name}.{g.hexid(16)}", "namespace": ns,
                     "resourceVersion": g.resource_version(), "uid": g.uid()},
        "reason": reason, "reportingComponent": component, "reportingInstance": host or "",
        "source": {"component": component, **({"host": host} if host else {})}, "type": type_,
    }
    return ev


def scheduler_event(g, ns, name, uid, message, t):
    return {
        "action": "Scheduling", "apiVersion": "v1", "kind": "Event", "eventTime": t.replace("Z", ".168301Z"),
        "firstTimestamp": None, "involvedObject": {"apiVersion": "v1", "kind": "Pod", "name": name, "namespace": ns,
                                                   "resourceVersion": g.resource_version(), "uid": uid},
        "lastTimestamp": None, "message": message,
        "metadata": {"creationTimestamp": t, "name": f"{name}.{g.hexid(16)}", "namespace": ns,
                     "resourceVersion": g.resource_version(), "uid": g.uid()},
        "reason": "FailedScheduling", "reportingComponent": "default-scheduler",
        "reportingInstance": "default-scheduler-ip-10-16-0-1", "series": {"count": g.rng.randint(2, 40), "lastObservedTime": t.replace("Z", ".368933Z")},
        "source": {}, "type": "Warning",
    }


# ---------------------------------------------------------------------------------------------------------
# The cluster

def eligible(d, node, kind):
    """Rough stand-in for the controller's decision, only to place plausible pods (the tool decides for real)."""
    labels = node["metadata"]["labels"]
    for k, v in (d["node_selector"] or {}).items():
        if labels.get(k) != v:
            return False
    if d["name"] in ("aws-node", "node-problem-detector") and labels["kubernetes.io/os"] != "linux":
        return False
    if d["name"] == "node-problem-detector" and kind == "control-plane":
        return False
    taints = node["spec"].get("taints", [])
    for t in taints:
        tolerated = any(tol.get("operator") == "Exists" and ("key" not in tol or tol["key"] == t["key"])
                        and ("effect" not in tol or tol["effect"] == t["effect"]) for tol in d["tolerations"])
        if t["key"] == "node.kubernetes.io/unschedulable":
            tolerated = True
        if t["key"] == "node.kubernetes.io/unreachable" and t["effect"] == "NoExecute":
            tolerated = True
        if not tolerated:
            # A pod created before the node went away stays (NoSchedule only): the tool reports it misscheduled.
            return kind == "notready" and t["effect"] == "NoSchedule" and all(
                x["effect"] != "NoExecute" or x["key"] == "node.kubernetes.io/unreachable" for x in taints)
    return True


class Group(list):
    """One resource type's items, kept only as text (keyed for kubectl's order) so 150k pods fit in memory."""

    def __init__(self, serialize):
        super().__init__()
        self.serialize = serialize

    def append(self, obj):
        m = obj["metadata"]
        super().append(((m.get("namespace", ""), m["name"]), self.serialize(obj)))

    def extend(self, objs):
        for o in objs:
            self.append(o)


def generate(n_nodes, app_pods_per_node, seed, serialize):
    g = Gen(seed)
    kinds = node_kinds(n_nodes, g.rng)
    nodes = [make_node(g, i, k) for i, k in enumerate(kinds)]
    pods, events, daemonsets, revisions = (Group(serialize) for _ in range(4))

    # App pods first, so each node's load is known.
    app_idx = 0
    for node, kind in zip(nodes, kinds):
        if kind in ("control-plane", "notready"):
            continue
        name = node["metadata"]["name"]
        ip = node["status"]["addresses"][0]["address"]
        for _ in range(app_pods_per_node):
            state = "crashloop" if g.rng.random() < 0.005 else "running"
            t = g.time()
            pod = make_app_pod(g, app_idx, name, ip, kind == "packed", t, state)
            pods.append(pod)
            app_idx += 1
            # Recent churn: the kubelet's and scheduler's normal events for a few pods.
            if g.rng.random() < 0.03:
                m = pod["metadata"]
                img = pod["spec"]["containers"][0]["image"]
                for reason, msg in [("Pulling", f"Pulling image \"{img}\""),
                                    ("Pulled", f"Successfully pulled image \"{img}\" in 1.2s (1.2s including waiting). Image size: 52428800 bytes."),
                                    ("Created", f"Created container: {pod['spec']['containers'][0]['name']}"),
                                    ("Started", f"Started container {pod['spec']['containers'][0]['name']}")]:
                    events.append(core_event(g, m["namespace"], "Pod", m["name"], m["uid"], reason, msg, "Normal",
                                             "kubelet", name, t, field_path=f"spec.containers{{{pod['spec']['containers'][0]['name']}}}"))
            if state == "crashloop":
                m = pod["metadata"]
                events.append(core_event(g, m["namespace"], "Pod", m["name"], m["uid"], "BackOff",
                                         "Back-off restarting failed container", "Warning", "kubelet", name, t,
                                         count=g.rng.randint(10, 900)))
    # Unschedulable app pods (no node fits): pods that name no node, not counted anywhere.
    for _ in range(max(1, n_nodes // 50)):
        t = g.time()
        pod = make_app_pod(g, app_idx, None, None, False, t,
                           f"0/{n_nodes} nodes are available: {n_nodes} Insufficient memory. preemption: 0/{n_nodes} nodes are available: {n_nodes} No preemption victims found for incoming pod.")
        app_idx += 1
        pods.append(pod)
        m = pod["metadata"]
        events.append(scheduler_event(g, m["namespace"], m["name"], m["uid"], pod["status"]["conditions"][0]["message"], t))

    for d in DAEMONSETS:
        counts = dict(desired=0, current=0, ready=0, misscheduled=0, updated=0)
        ds_pods = []
        # Status is filled once the pods are known; make the object now for its uid and hashes.
        ds, uid, hashes, revs = make_daemonset(g, d, {})
        revisions.extend(revs)
        current_hash = hashes[-1]
        ds_failed_create = False
        for node, kind in zip(nodes, kinds):
            if not eligible(d, node, kind):
                continue
            name = node["metadata"]["name"]
            ip = node["status"]["addresses"][0]["address"]
            t = g.time(600, 3600)
            counts["desired"] += 1
            image, rev_hash, gen = d["new_image"] or d["image"], current_hash, len(hashes)
            state = "running"
            bound = True
            if d["name"] == "falco":
                r = g.rng.random()
                if r < 0.6:  # rollout not there yet: old revision, running
                    image, rev_hash, gen = d["image"], hashes[0], 1
                elif r < 0.66:
                    state = "imagepullbackoff" if r < 0.64 else "errimagepull"
            elif d["name"] == "node-exporter" and g.rng.random() < 0.005:
                state = "crashloop"
            elif d["name"] == "ceph-agent" and kind == "packed":
                bound = False
            elif d["name"] == "datadog-agent" and kind == "worker" and g.rng.random() < 0.005:
                ds_failed_create = True
                continue  # the controller could not create it (quota): a Missing node
            pod = make_daemon_pod(g, d, uid, rev_hash, gen, name, ip, state, t, image)
            m = pod["metadata"]
            if bound:
                finish_pod(g, pod, name, ip, state, t)
                counts["current"] += 1
                counts["ready"] += state == "running"
                counts["updated"] += rev_hash == current_hash
            else:
                msg = (f"0/{n_nodes} nodes are available: 1 Insufficient cpu, {n_nodes - 1} node(s) didn't satisfy "
                       f"plugin(s) [NodeAffinity]. no new claims to deallocate, preemption: 0/{n_nodes} nodes are "
                       f"available: {n_nodes} Preemption is not helpful for scheduling.")
                finish_pod(g, pod, None, None, msg, t)
                events.append(scheduler_event(g, m["namespace"], m["name"], m["uid"], msg, t))
            if state in ("imagepullbackoff", "errimagepull"):
                for reason, type_, msg, cnt in [
                    ("Pulling", "Normal", f"Pulling image \"{image}\"", 12),
                    ("Failed", "Warning", f"Failed to pull image \"{image}\": rpc error: code = NotFound desc = failed to pull and unpack image \"{image}\": not found", 12),
                    ("Failed", "Warning", "Error: ErrImagePull", 12),
                    ("BackOff", "Normal", f"Back-off pulling image \"{image}\"", 250),
                    ("Failed", "Warning", "Error: ImagePullBackOff", 250),
                ]:
                    events.append(core_event(g, m["namespace"], "Pod", m["name"], m["uid"], reason, msg, type_,
                                             "kubelet", name, t, count=cnt, field_path=f"spec.containers{{{d['name']}}}"))
            if state == "crashloop":
                events.append(core_event(g, m["namespace"], "Pod", m["name"], m["uid"], "BackOff",
                                         "Back-off restarting failed container node-exporter in pod", "Warning",
                                         "kubelet", name, t, count=g.rng.randint(10, 900), field_path="spec.containers{node-exporter}"))
            ds_pods.append(pod)
        if ds_failed_create:
            t = g.time(36000, 39000)
            events.append(core_event(g, d["namespace"], "DaemonSet", d["name"], uid, "FailedCreate",
                                     f"Error creating: pods \"{d['name']}-{g.suffix()}\" is forbidden: exceeded quota: "
                                     f"compute-resources, requested: requests.cpu=200m, used: requests.cpu=1990m, limited: requests.cpu=2",
                                     "Warning", "daemonset-controller", None, t, count=g.rng.randint(50, 500)))
        ds["status"] = {
            "currentNumberScheduled": counts["current"], "desiredNumberScheduled": counts["desired"],
            "numberAvailable": counts["ready"], "numberMisscheduled": 0, "numberReady": counts["ready"],
            "numberUnavailable": counts["desired"] - counts["ready"], "observedGeneration": len(hashes),
            "updatedNumberScheduled": counts["updated"],
        }
        daemonsets.append(ds)
        pods.extend(ds_pods)
    for node, kind in zip(nodes, kinds):
        if kind == "notready":
            m = node["metadata"]
            events.append(core_event(g, "default", "Node", m["name"], m["uid"], "NodeNotReady",
                                     f"Node {m['name']} status is now: NodeNotReady", "Normal", "node-controller",
                                     None, g.time(36000, 39000)))
    node_group = Group(serialize)
    node_group.extend(nodes)
    # kubectl prints each resource type's items in the order asked for, each sorted by namespace and name
    # (the API server lists in etcd key order).
    return [sorted(grp, key=lambda kv: kv[0]) for grp in (node_group, pods, daemonsets, events, revisions)]


def json_item(obj):
    text = json.dumps(obj, indent=4, sort_keys=True)
    return "\n".join("        " + line for line in text.split("\n"))


NUMBER = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")


def yaml_item(obj):
    base = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

    # kubectl never writes anchors and aliases; PyYAML would for objects the generator shares.
    class Dumper(base):
        def ignore_aliases(self, data):
            return True

    # kubectl (go-yaml) quotes text that YAML 1.2 reads as a number, such as the hash `998002e17`; PyYAML,
    # following YAML 1.1, quotes only numbers with a dot.
    def text(dumper, s):
        style = "'" if NUMBER.fullmatch(s) else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", s, style=style)

    Dumper.add_representer(str, text)

    return yaml.dump([obj], Dumper=Dumper, default_flow_style=False, sort_keys=True, width=1 << 20)


def fields_v1(value):
    """The field set server-side apply records for a value: every key as `f:key`, list items by name."""
    if isinstance(value, dict):
        return {f"f:{k}": fields_v1(v) for k, v in value.items()}
    if isinstance(value, list) and value and all(isinstance(v, dict) and "name" in v for v in value):
        return {f'k:{{"name":"{v["name"]}"}}': {".": {}, **fields_v1(v)} for v in value}
    return {}


# Which manager writes what, per kind, as a v1.36 control plane records it.
MANAGERS = {
    "Pod": [("kube-controller-manager", None, ("metadata", "spec")), ("kubelet", "status", ("status",))],
    "Node": [("kubelet", None, ("metadata", "spec")), ("kubelet", "status", ("status",))],
    "DaemonSet": [("kubectl-client-side-apply", None, ("metadata", "spec")),
                  ("kube-controller-manager", "status", ("status",))],
}


def with_managed_fields(obj):
    """The object as the API returns it: with managedFields (never in `kubectl get` dumps)."""
    meta = obj["metadata"]
    entries = []
    for manager, sub, parts in MANAGERS.get(obj["kind"], [("kube-controller-manager", None, ("metadata",))]):
        fields = {f"f:{p}": fields_v1(obj[p]) for p in parts if p in obj}
        if "metadata" in fields:
            fields["f:metadata"].pop("f:managedFields", None)
            fields["f:metadata"].pop("f:resourceVersion", None)
            fields["f:metadata"].pop("f:uid", None)
        entry = {"apiVersion": obj["apiVersion"], "fieldsType": "FieldsV1", "fieldsV1": fields,
                 "manager": manager, "operation": "Update", "time": meta.get("creationTimestamp", BASE_TIME.format(0, 0, 0))}
        if sub:
            entry["subresource"] = sub
        entries.append(entry)
    meta["managedFields"] = entries
    return obj


def api_item(obj):
    return json.dumps(with_managed_fields(obj), separators=(",", ":"), sort_keys=True)


def write_api(groups, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    for name, group in zip(["nodes", "pods", "daemonsets", "events", "controllerrevisions"], groups):
        with open(os.path.join(out_dir, f"{name}.jsonl"), "w", buffering=1 << 20) as out:
            for _, text in group:
                out.write(text)
                out.write("\n")


def write_json(groups, out):
    out.write('{\n    "apiVersion": "v1",\n    "items": [\n')
    sep = ""
    for group in groups:
        for _, text in group:
            out.write(sep)
            out.write(text)
            sep = ",\n"
    out.write('\n    ],\n    "kind": "List",\n    "metadata": {\n        "resourceVersion": ""\n    }\n}\n')


def write_yaml(groups, out):
    out.write("apiVersion: v1\nitems:\n")
    for group in groups:
        for _, text in group:
            out.write(text)
    out.write('kind: List\nmetadata:\n  resourceVersion: ""\n')


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--nodes", type=int, required=True)
    ap.add_argument("--app-pods-per-node", type=int, default=21,
                    help="non-DaemonSet pods per worker node (default 21: ~30 pods per node with the DaemonSets)")
    ap.add_argument("--format", choices=["json", "yaml", "api"], default="json")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-o", "--output", required=True)
    args = ap.parse_args()
    if args.format == "yaml" and yaml is None:
        sys.exit("the YAML variant needs PyYAML: apt-get install python3-yaml (or pip install pyyaml)")
    serialize = {"json": json_item, "yaml": yaml_item, "api": api_item}[args.format]
    groups = generate(args.nodes, args.app_pods_per_node, args.seed, serialize)
    if args.format == "api":
        write_api(groups, args.output)
    else:
        with open(args.output, "w", buffering=1 << 20) as out:
            (write_json if args.format == "json" else write_yaml)(groups, out)
    names = ["nodes", "pods", "daemonsets", "events", "controllerrevisions"]
    print(f"{args.output}: " + ", ".join(f"{len(g)} {n}" for g, n in zip(groups, names)), file=sys.stderr)


if __name__ == "__main__":
    main()
