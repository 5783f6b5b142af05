#!/usr/bin/env python3
"""Generates examples/cluster.yaml: the bundled example cluster for `kubectl ds`.

    python3 examples/generate.py            # rewrites examples/cluster.yaml
    python3 examples/generate.py --check    # exits 1 if cluster.yaml is not what this script writes

Needs Python 3.9+ and PyYAML (`pip install pyyaml`); the output is deterministic (fixed seed, fixed clock).

The output is what `kubectl get nodes,pods,daemonsets,events,controllerrevisions -A -o yaml` prints for a
12-node kubeadm cluster (Kubernetes v1.36.2, containerd 2.1) at DUMP_TIME: a `kind: List` whose items carry
kind/apiVersion, keys sorted, no managedFields, every object shaped as the API server returns it (defaults
filled in, admission-added fields, kubelet-written status). Shapes follow the recordings of a real control
plane in tests/fixtures/real-cluster.

The story, seen from DaemonSet demo/node-agent (see examples/README.md for the whole tour):

  cp-1      control-plane taint                               -> Ineligible
  worker-1  healthy                                           -> Running
  worker-2  healthy                                           -> Running
  worker-3  cordoned and drained for maintenance 2h ago       -> Running (daemon pods tolerate cordons)
  worker-4  tainted dedicated=database:NoSchedule yesterday,
            after its node-agent pod existed                  -> Misscheduled (kept: NoSchedule, not NoExecute)
  worker-5  kubelet stopped posting status 25 min ago;
            node-lifecycle added unreachable taints           -> Misscheduled (unreachable:NoSchedule is not
                                                                 tolerated; the NoExecute one is, so it stays)
  worker-6  joined 2 min ago, pod pulling its image           -> Starting (ContainerCreating)
  worker-7  joined 2 min ago, ResourceQuota demo-quota
            (pods: 8) is used up                              -> Missing (FailedCreate: exceeded quota)
  small-1   2 CPUs, 1900m already requested by other pods    -> Pending (Insufficient cpu; the scheduler
                                                                 finds no lower-priority victim to preempt)
  arm-1     arm64 node added 3h ago; the image is amd64-only  -> Failing (ImagePullBackOff: no match for
                                                                 platform in manifest)
  gpu-1     nvidia.com/gpu=present:NoSchedule                 -> Ineligible
  win-1     Windows; the DaemonSet selects kubernetes.io/os=linux -> Ineligible

Every count and message is what the real components would produce from this state: the DaemonSet .status
is computed the way pkg/controller/daemon (updateDaemonSetStatus) computes it, pods carry the tolerations
the controller adds (util.AddOrUpdateDaemonPodTolerations) and the matchFields node affinity it writes
(util.ReplaceDaemonSetPodNodeNameNodeAffinity), the scheduler message follows FitError.Error() and the
preemption diagnosis, quota and image-pull messages are verbatim, and events obey their APIs (events.k8s.io
series for the scheduler, count/first/lastTimestamp for the others, one-hour event TTL, aggregation into
"(combined from similar events)"). Resource figures on small-1 add up: see SMALL_NODE_PODS.

Other workloads make `kubectl ds coverage -A` interesting: kube-system/kube-proxy (tolerates everything,
not Ready on the unreachable node), logging/fluent-bit (nodeSelector linux, tolerates the control plane,
so it misses the GPU node), kube-system/nvidia-device-plugin-daemonset (required nodeAffinity, one node).
"""

import copy
import datetime as dt
import json
import random
import sys
import uuid
from pathlib import Path

import yaml

OUT = Path(__file__).resolve().parent / "cluster.yaml"
DUMP_TIME = dt.datetime(2026, 11, 23, 12, 58, 14, tzinfo=dt.timezone.utc)
rng = random.Random(20261123)

K8S_VERSION = "v1.36.2"
CONTAINERD = "containerd://2.1.3"
# Alphabet of k8s.io/apimachinery/pkg/util/rand (String and SafeEncodeString).
ALNUM = "bcdfghjklmnpqrstvwxz2456789"


# ---------------------------------------------------------------------------------------------- helpers


def ago(seconds=0, minutes=0, hours=0, days=0):
    return DUMP_TIME - dt.timedelta(seconds=seconds, minutes=minutes, hours=hours, days=days)


def at(y, mo, d, h=0, mi=0, s=0):
    return dt.datetime(y, mo, d, h, mi, s, tzinfo=dt.timezone.utc)


def ts(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def micro(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def uid():
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def suffix(n=5):
    return "".join(rng.choice(ALNUM) for _ in range(n))


def safe_hash():
    # controller-revision-hash / pod-template-hash: SafeEncodeString(fmt.Sprint(fnv32a)).
    return "".join(ALNUM[ord(c) % len(ALNUM)] for c in str(rng.getrandbits(32)))


def hexid(n=64):
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


class ResourceVersions:
    """etcd revisions grow with time: objects get the revision of their last write, assigned at the end."""

    BASE = 48_213_377
    T0 = at(2026, 5, 12, 9, 0, 0)

    def __init__(self):
        self.pending = {}

    def of(self, t):
        return self.BASE + int((t - self.T0).total_seconds() * 0.41)

    def later(self, meta, t):
        self.pending[id(meta)] = (t, meta)

    def assign(self):
        used = set()
        for t, meta in sorted(self.pending.values(), key=lambda p: p[0]):
            rv = self.of(t)
            while rv in used:
                rv += 1
            used.add(rv)
            meta["resourceVersion"] = str(rv)


RV = ResourceVersions()


# ------------------------------------------------------------------------------------------------ nodes

NODES = {}  # name -> node object
NODE_META = {}  # name -> facts used by pods (ip, cidr, created)


def node(
    name,
    ip,
    cidr,
    created,
    cpu,
    mem_ki,
    booted,
    arch="amd64",
    os_="linux",
    labels=None,
    taints=None,
    unschedulable=False,
    extra_capacity=None,
    conditions=None,
    heartbeat=None,
    images=(),
):
    lbl = {
        "beta.kubernetes.io/arch": arch,
        "beta.kubernetes.io/os": os_,
        "kubernetes.io/arch": arch,
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": os_,
    }
    lbl.update(labels or {})
    capacity = {
        "cpu": str(cpu),
        "ephemeral-storage": "101430960Ki",
        "hugepages-1Gi": "0",
        "hugepages-2Mi": "0",
        "memory": f"{mem_ki}Ki",
        "pods": "110",
    }
    # kubeadm defaults: no reservations, eviction-hard memory.available<100Mi and nodefs.available<10%.
    allocatable = dict(capacity)
    allocatable["memory"] = f"{mem_ki - 102400}Ki"
    # The kubelet subtracts float32(0.1) of the bytes, truncated (eviction threshold nodefs.available<10%).
    storage = 101430960 * 1024
    allocatable["ephemeral-storage"] = str(storage - int(storage * 0.100000001490116119384765625))
    if extra_capacity:
        capacity.update(extra_capacity)
        allocatable.update(extra_capacity)
    heartbeat = heartbeat or ago(seconds=rng.randint(20, 280))
    if conditions is None:
        conditions = healthy_conditions(heartbeat, booted)
    spec = {"podCIDR": cidr, "podCIDRs": [cidr]}
    if taints:
        spec["taints"] = taints
    if unschedulable:
        spec["unschedulable"] = True
    windows = os_ == "windows"
    status = {
        "addresses": [{"address": ip, "type": "InternalIP"}, {"address": name, "type": "Hostname"}],
        "allocatable": allocatable,
        "capacity": capacity,
        "conditions": conditions,
        "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
        "images": [{"names": list(names), "sizeBytes": size} for names, size in images],
        "nodeInfo": {
            "architecture": arch,
            "bootID": "" if windows else uid(),
            "containerRuntimeVersion": CONTAINERD,
            "kernelVersion": "10.0.20348.3692" if windows else "6.8.0-60-generic",
            "kubeProxyVersion": "",
            "kubeletVersion": K8S_VERSION,
            "machineID": name.upper() if windows else hexid(32),
            "operatingSystem": os_,
            "osImage": "Windows Server 2022 Datacenter" if windows else "Ubuntu 24.04.2 LTS",
            "systemUUID": uid().upper() if windows else uid(),
        },
    }
    if not windows:
        status["features"] = {"supplementalGroupsPolicy": True}
        status["runtimeHandlers"] = [
            {"features": {"recursiveReadOnlyMounts": True, "userNamespaces": True}, "name": "runc"},
            {"features": {"recursiveReadOnlyMounts": True, "userNamespaces": True}, "name": ""},
        ]
    meta = {
        "annotations": {
            "kubeadm.alpha.kubernetes.io/cri-socket": "npipe:////./pipe/containerd-containerd"
            if windows
            else "unix:///var/run/containerd/containerd.sock",
            "node.alpha.kubernetes.io/ttl": "0",
            "volumes.kubernetes.io/controller-managed-attach-detach": "true",
        },
        "creationTimestamp": ts(created),
        "labels": lbl,
        "name": name,
        "uid": uid(),
    }
    # Node status is written at least every 5 minutes (nodeStatusReportFrequency) or on change.
    RV.later(meta, max(heartbeat, created))
    obj = {"apiVersion": "v1", "kind": "Node", "metadata": meta, "spec": spec, "status": status}
    NODES[name] = obj
    NODE_META[name] = {"ip": ip, "cidr": cidr, "created": created, "uid": meta["uid"], "next_ip": 10}
    return obj


def healthy_conditions(heartbeat, booted, ready_since=None):
    ready_since = ready_since or booted
    hb = ts(heartbeat)

    def cond(type_, status, reason, message, since):
        return {
            "lastHeartbeatTime": hb,
            "lastTransitionTime": ts(since),
            "message": message,
            "reason": reason,
            "status": status,
            "type": type_,
        }

    return [
        cond("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", booted),
        cond("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", booted),
        cond("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", booted),
        cond("Ready", "True", "KubeletReady", "kubelet is posting ready status", ready_since),
    ]


def unknown_conditions(last_heartbeat, since):
    # Mirrors pkg/controller/nodelifecycle (tryUpdateNodeHealth): every condition goes Unknown together.
    return [
        {
            "lastHeartbeatTime": ts(last_heartbeat),
            "lastTransitionTime": ts(since),
            "message": "Kubelet stopped posting node status.",
            "reason": "NodeStatusUnknown",
            "status": "Unknown",
            "type": t,
        }
        for t in ("MemoryPressure", "DiskPressure", "PIDPressure", "Ready")
    ]


IMG_PROXY = "registry.k8s.io/kube-proxy:" + K8S_VERSION
IMG_PAUSE = "registry.k8s.io/pause:3.10.1"
IMG_FLUENT = "cr.fluentbit.io/fluent/fluent-bit:4.0.3"
IMG_AGENT = "registry.example.com/platform/node-agent:1.4.2"
IMG_COREDNS = "registry.k8s.io/coredns/coredns:v1.12.1"
IMG_NVIDIA = "nvcr.io/nvidia/k8s-device-plugin:v0.17.2"


def img(name, size):
    repo, _, tag = name.rpartition(":")
    return ([f"{repo}@sha256:{hexid()}", name], size)


BASE_IMAGES = [img(IMG_PROXY, 31_402_117), img(IMG_PAUSE, 320_368)]
AGENT_IMAGES = [img(IMG_AGENT, 187_220_514), img(IMG_FLUENT, 38_712_690)]

# Upgrade to v1.36.2 (kubeadm upgrade): kubelets restarted, kube-proxy and coredns rolled.
UPGRADE = at(2026, 10, 20, 8, 12, 40)

node(
    "cp-1", "10.0.1.10", "10.244.0.0/24", at(2026, 5, 12, 9, 14, 3), 4, 8148036, UPGRADE,
    labels={"node-role.kubernetes.io/control-plane": "", "node.kubernetes.io/exclude-from-external-load-balancers": ""},
    taints=[{"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"}],
    images=BASE_IMAGES + [img("registry.k8s.io/etcd:3.6.4-0", 23_653_420), img(IMG_COREDNS, 22_382_441), img(IMG_FLUENT, 38_712_690)],
)
for i, (ip, created) in enumerate(
    [("10.0.1.21", at(2026, 5, 12, 9, 31, 44)), ("10.0.1.22", at(2026, 5, 12, 9, 32, 10)), ("10.0.1.23", at(2026, 5, 12, 9, 32, 51))],
    start=1,
):
    name = f"worker-{i}"
    if i == 3:
        # Cordoned and drained (kubectl drain --ignore-daemonsets) for a kernel update two hours ago; the
        # node-lifecycle controller adds the unschedulable taint (SwapNodeControllerTaint sets timeAdded).
        node(
            name, ip, f"10.244.{i}.0/24", created, 8, 32862448, UPGRADE,
            taints=[{"effect": "NoSchedule", "key": "node.kubernetes.io/unschedulable", "timeAdded": ts(ago(hours=2, minutes=3, seconds=11))}],
            unschedulable=True,
            images=BASE_IMAGES + AGENT_IMAGES,
        )
    else:
        node(name, ip, f"10.244.{i}.0/24", created, 8, 32862448, UPGRADE, images=BASE_IMAGES + AGENT_IMAGES + [img("registry.example.com/shop/frontend:3.8.0", 61_204_113)])

# worker-4 was given to the database team yesterday: `kubectl taint nodes worker-4 dedicated=database:NoSchedule`.
node(
    "worker-4", "10.0.1.24", "10.244.4.0/24", at(2026, 6, 3, 15, 2, 19), 8, 32862448, UPGRADE,
    labels={"dedicated": "database"},
    taints=[{"effect": "NoSchedule", "key": "dedicated", "value": "database"}],
    images=BASE_IMAGES + AGENT_IMAGES + [img("docker.io/library/postgres:17.5", 158_004_221)],
)
# worker-5 stopped posting status 25 minutes ago (node-monitor-grace-period 50s later it went Unknown).
W5_LAST_HEARTBEAT = ago(minutes=26, seconds=2)
W5_UNKNOWN = ago(minutes=25, seconds=9)
node(
    "worker-5", "10.0.1.25", "10.244.5.0/24", at(2026, 6, 3, 15, 3, 2), 8, 32862448, UPGRADE,
    taints=[
        {"effect": "NoSchedule", "key": "node.kubernetes.io/unreachable", "timeAdded": ts(W5_UNKNOWN)},
        {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "timeAdded": ts(W5_UNKNOWN + dt.timedelta(seconds=5))},
    ],
    conditions=unknown_conditions(W5_LAST_HEARTBEAT, W5_UNKNOWN),
    heartbeat=W5_UNKNOWN + dt.timedelta(seconds=5),
    images=BASE_IMAGES + AGENT_IMAGES + [img("registry.example.com/shop/frontend:3.8.0", 61_204_113)],
)
# Two nodes joined two minutes ago (kubeadm join). TaintNodesByCondition put node.kubernetes.io/not-ready:NoSchedule
# on them at registration; the node-lifecycle controller removed it once they were Ready.
W6_JOIN, W7_JOIN = ago(seconds=120), ago(seconds=117)
W6_READY, W7_READY = ago(seconds=105), ago(seconds=101)
node(
    "worker-6", "10.0.1.26", "10.244.12.0/24", W6_JOIN, 8, 32862448, W6_JOIN + dt.timedelta(seconds=2),
    conditions=healthy_conditions(ago(seconds=44), W6_JOIN + dt.timedelta(seconds=2), W6_READY), heartbeat=ago(seconds=44),
    images=BASE_IMAGES + [img(IMG_FLUENT, 38_712_690)],
)
node(
    "worker-7", "10.0.1.27", "10.244.13.0/24", W7_JOIN, 8, 32862448, W7_JOIN + dt.timedelta(seconds=2),
    conditions=healthy_conditions(ago(seconds=41), W7_JOIN + dt.timedelta(seconds=2), W7_READY), heartbeat=ago(seconds=41),
    images=BASE_IMAGES + [img(IMG_FLUENT, 38_712_690)],
)
node(
    "small-1", "10.0.1.31", "10.244.8.0/24", at(2026, 9, 22, 13, 40, 55), 2, 4005540, UPGRADE,
    labels={"node.kubernetes.io/instance-type": "small"},
    images=BASE_IMAGES + [img(IMG_FLUENT, 38_712_690), img(IMG_COREDNS, 22_382_441), img("registry.k8s.io/ingress-nginx/controller:v1.12.3", 104_300_216)],
)
# arm64 node added three hours ago to try Graviton-class hardware; node-agent's image is amd64-only.
ARM_JOIN = ago(hours=3, minutes=5, seconds=12)
node(
    "arm-1", "10.0.1.41", "10.244.11.0/24", ARM_JOIN, 8, 32658300, ARM_JOIN + dt.timedelta(seconds=2), arch="arm64",
    conditions=healthy_conditions(ago(seconds=130), ARM_JOIN + dt.timedelta(seconds=2), ARM_JOIN + dt.timedelta(seconds=17)),
    heartbeat=ago(seconds=130),
    images=BASE_IMAGES + [img(IMG_FLUENT, 38_712_690)],
)
node(
    "gpu-1", "10.0.1.51", "10.244.9.0/24", at(2026, 8, 18, 10, 7, 31), 32, 263856848, UPGRADE,
    labels={
        "feature.node.kubernetes.io/pci-10de.present": "true",
        "nvidia.com/gpu.present": "true",
        "nvidia.com/gpu.product": "NVIDIA-A100-SXM4-80GB",
    },
    taints=[{"effect": "NoSchedule", "key": "nvidia.com/gpu", "value": "present"}],
    extra_capacity={"nvidia.com/gpu": "4"},
    images=BASE_IMAGES + [img(IMG_NVIDIA, 120_433_901), img("registry.example.com/ml/trainer:2.7.1-cuda12.8", 9_871_226_410)],
)
node(
    "win-1", "10.0.1.61", "10.244.10.0/24", at(2026, 9, 7, 11, 20, 5), 4, 16776740, UPGRADE, os_="windows",
    labels={"node.kubernetes.io/windows-build": "10.0.20348"},
    images=[img("mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022", 2_160_480_230)],
)

NODE_ORDER = sorted(NODES)


# ---------------------------------------------------------------------------------------------- workloads

# Tolerations the DaemonSet controller adds to every daemon pod, in its order.
# Mirrors pkg/controller/daemon/util/daemonset_util.go (AddOrUpdateDaemonPodTolerations).
def daemon_tolerations(host_network):
    t = [
        {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists"},
        {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists"},
        {"effect": "NoSchedule", "key": "node.kubernetes.io/disk-pressure", "operator": "Exists"},
        {"effect": "NoSchedule", "key": "node.kubernetes.io/memory-pressure", "operator": "Exists"},
        {"effect": "NoSchedule", "key": "node.kubernetes.io/pid-pressure", "operator": "Exists"},
        {"effect": "NoSchedule", "key": "node.kubernetes.io/unschedulable", "operator": "Exists"},
    ]
    if host_network:
        t.append({"effect": "NoSchedule", "key": "node.kubernetes.io/network-unavailable", "operator": "Exists"})
    return t


# DefaultTolerationSeconds admission, for pods that do not tolerate these taints already.
DEFAULT_TOLERATIONS = [
    {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300},
    {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists", "tolerationSeconds": 300},
]

PRIORITY = {"system-node-critical": 2000001000, "system-cluster-critical": 2000000000}


def container(name, image, resources=None, **extra):
    c = {
        "image": image,
        "imagePullPolicy": "IfNotPresent",
        "name": name,
        "resources": resources or {},
        "terminationMessagePath": "/dev/termination-log",
        "terminationMessagePolicy": "File",
    }
    c.update(extra)
    return c


def pod_spec(containers, **extra):
    s = {
        "containers": containers,
        "dnsPolicy": "ClusterFirst",
        "restartPolicy": "Always",
        "schedulerName": "default-scheduler",
        "securityContext": {},
        "terminationGracePeriodSeconds": 30,
    }
    s.update(extra)
    if "serviceAccountName" in s:
        s["serviceAccount"] = s["serviceAccountName"]
    return s


PODS = []
DAEMONSETS = []
REVISIONS = []
EVENTS = []
EVENT_LAST = {}  # id(event) -> time of its last write


def qos(spec):
    reqs = [c.get("resources", {}) for c in spec["containers"]]
    if not any(r.get("requests") or r.get("limits") for r in reqs):
        return "BestEffort"
    guaranteed = all(
        r.get("limits") and set(r["limits"]) >= {"cpu", "memory"} and r.get("requests", r["limits"]) == r["limits"]
        for r in reqs
    )
    return "Guaranteed" if guaranteed else "Burstable"


def make_pod(
    namespace,
    name,
    spec_template,
    labels,
    owner,
    created,
    node_name=None,
    annotations=None,
    host_network=False,
    state="running",
    started=None,
    ready_since=None,
    scheduled=None,
    sa_token=True,
    extra_tolerations=(),
    affinity_node=None,
    status_extra=None,
    generation=1,
    deletion=None,
):
    """Builds a pod as the API server stores it after admission, with a kubelet-like status.

    state: running | not-ready-node (Ready set False by the node-lifecycle controller) | creating |
    image-backoff | unscheduled
    """
    spec = copy.deepcopy(spec_template)
    spec["enableServiceLinks"] = True
    spec["preemptionPolicy"] = "PreemptLowerPriority"
    spec["priority"] = PRIORITY.get(spec.get("priorityClassName"), 0)
    if sa_token:  # the ServiceAccount admission plugin leaves mirror (static) pods alone
        spec.setdefault("serviceAccountName", "default")
        spec["serviceAccount"] = spec["serviceAccountName"]
    if affinity_node:
        # Mirrors pkg/controller/daemon/util/daemonset_util.go (ReplaceDaemonSetPodNodeNameNodeAffinity):
        # the required terms are replaced by one matchFields term naming the node.
        aff = spec.setdefault("affinity", {}).setdefault("nodeAffinity", {})
        aff["requiredDuringSchedulingIgnoredDuringExecution"] = {
            "nodeSelectorTerms": [{"matchFields": [{"key": "metadata.name", "operator": "In", "values": [affinity_node]}]}]
        }
    tolerations = list(spec.get("tolerations", [])) + list(extra_tolerations)
    spec["tolerations"] = tolerations
    if not tolerations:
        del spec["tolerations"]
    if node_name:
        spec["nodeName"] = node_name
    token_volume = None
    if sa_token:
        token_volume = f"kube-api-access-{suffix()}"
        spec.setdefault("volumes", []).append(
            {
                "name": token_volume,
                "projected": {
                    "defaultMode": 420,
                    "sources": [
                        {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                        {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
                        {
                            "downwardAPI": {
                                "items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}, "path": "namespace"}]
                            }
                        },
                    ],
                },
            }
        )
        for c in spec["containers"]:
            c.setdefault("volumeMounts", []).append(
                {"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": token_volume, "readOnly": True}
            )
    meta = {"creationTimestamp": ts(created), "generation": generation, "labels": labels, "name": name, "namespace": namespace, "uid": uid()}
    if annotations:
        meta["annotations"] = annotations
    if owner:
        meta["ownerReferences"] = [
            {
                "apiVersion": owner["apiVersion"],
                "blockOwnerDeletion": True,
                "controller": True,
                "kind": owner["kind"],
                "name": owner["name"],
                "uid": owner["uid"],
            }
        ]
        if owner["kind"] in ("DaemonSet", "ReplicaSet", "Job"):
            meta["generateName"] = owner["name"] + "-"
    if deletion:
        meta["deletionGracePeriodSeconds"] = 30
        meta["deletionTimestamp"] = ts(deletion)
    status, last_write = pod_status(spec, created, node_name, host_network, state, started, ready_since, scheduled)
    if status_extra:
        status_extra(status)
    RV.later(meta, max(last_write, deletion - dt.timedelta(seconds=30)) if deletion else last_write)
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec, "status": status}
    PODS.append(pod)
    return pod


def pod_ip(node_name, host_network):
    nm = NODE_META[node_name]
    if host_network:
        return nm["ip"]
    nm["next_ip"] += rng.randint(1, 9)
    return nm["cidr"].rsplit(".", 1)[0] + "." + str(nm["next_ip"])


def volume_mount_statuses(c):
    out = []
    for m in c.get("volumeMounts", []):
        s = {"mountPath": m["mountPath"], "name": m["name"]}
        if m.get("readOnly"):
            s["readOnly"] = True
            s["recursiveReadOnly"] = "Disabled"
        out.append(s)
    return out


def image_id(image):
    repo = image.rpartition(":")[0]
    return f"{repo}@sha256:{hexid()}"


def pod_status(spec, created, node_name, host_network, state, started, ready_since, scheduled):
    scheduled = scheduled or created + dt.timedelta(seconds=0)
    if state == "unscheduled":
        return None, created  # filled in by the caller (scheduler-written condition)
    started = started or scheduled + dt.timedelta(seconds=1)
    sandbox = started + dt.timedelta(seconds=2)
    ready_since = ready_since or sandbox + dt.timedelta(seconds=rng.randint(2, 9))

    def cond(type_, status, since, reason=None, message=None, kubelet=True):
        c = {"lastProbeTime": None, "lastTransitionTime": ts(since)}
        if message:
            c["message"] = message
        if kubelet:
            c["observedGeneration"] = 1
        if reason:
            c["reason"] = reason
        c["status"] = status
        c["type"] = type_
        return c

    names = [c["name"] for c in spec["containers"]]
    unready_msg = "containers with unready status: [" + " ".join(names) + "]"
    ip = pod_ip(node_name, host_network)
    statuses = []
    last_write = ready_since
    if state in ("running", "not-ready-node"):
        conditions = [
            cond("PodReadyToStartContainers", "True", sandbox),
            cond("Initialized", "True", started),
            cond("Ready", "True", ready_since),
            cond("ContainersReady", "True", ready_since),
            cond("PodScheduled", "True", scheduled, kubelet=False),
        ]
        if state == "not-ready-node":
            # Mirrors pkg/controller/util/node/controller_utils.go (MarkPodsNotReady): only Ready flips,
            # keeping its (empty) reason; the kubelet can no longer report anything.
            conditions[2]["status"] = "False"
            conditions[2]["lastTransitionTime"] = ts(W5_UNKNOWN + dt.timedelta(seconds=1))
            last_write = W5_UNKNOWN + dt.timedelta(seconds=1)
        for c in spec["containers"]:
            statuses.append(
                {
                    "containerID": f"containerd://{hexid()}",
                    "image": c["image"],
                    "imageID": image_id(c["image"]),
                    "lastState": {},
                    "name": c["name"],
                    "ready": True,
                    "restartCount": 0,
                    "started": True,
                    "state": {"running": {"startedAt": ts(sandbox + dt.timedelta(seconds=1))}},
                    "volumeMounts": volume_mount_statuses(c),
                }
            )
        phase = "Running"
    else:
        conditions = [
            cond("PodReadyToStartContainers", "True", sandbox),
            cond("Initialized", "True", started),
            cond("Ready", "False", started, "ContainersNotReady", unready_msg),
            cond("ContainersReady", "False", started, "ContainersNotReady", unready_msg),
            cond("PodScheduled", "True", scheduled, kubelet=False),
        ]
        for c in spec["containers"]:
            if state == "creating":
                waiting = {"reason": "ContainerCreating"}
            else:  # image-backoff: message as pkg/kubelet/images/image_manager.go writes it during back-off
                waiting = {
                    "message": f'Back-off pulling image "{c["image"]}": ErrImagePull: {pull_error(c["image"])}',
                    "reason": "ImagePullBackOff",
                }
            statuses.append(
                {
                    "image": c["image"],
                    "imageID": "",
                    "lastState": {},
                    "name": c["name"],
                    "ready": False,
                    "restartCount": 0,
                    "started": False,
                    "state": {"waiting": waiting},
                    "volumeMounts": volume_mount_statuses(c),
                }
            )
        phase = "Pending"
        last_write = ago(seconds=rng.randint(5, 50)) if state == "image-backoff" else sandbox
    status = {
        "conditions": conditions,
        "containerStatuses": statuses,
        "hostIP": NODE_META[node_name]["ip"],
        "hostIPs": [{"ip": NODE_META[node_name]["ip"]}],
        "observedGeneration": 1,
        "phase": phase,
        "podIP": ip,
        "podIPs": [{"ip": ip}],
        "qosClass": qos(spec),
        "startTime": ts(started),
    }
    return status, last_write


def pull_error(image):
    return (
        f'rpc error: code = NotFound desc = failed to pull and unpack image "{image}": '
        "no match for platform in manifest: not found"
    )


# ---------------------------------------------------------------------------------------------- events


_LAST_NS = {}


def event_name(obj_name, t):
    # record.EventRecorder and events.EventRecorder name events "<object>.<hex UnixNano of creation>".
    ns = int(t.timestamp()) * 1_000_000_000 + t.microsecond * 1000 + rng.randint(1_000_000, 90_000_000)
    ns = max(ns, _LAST_NS.get(obj_name, 0) + rng.randint(1_000_000, 9_000_000))
    _LAST_NS[obj_name] = ns
    return f"{obj_name}.{ns:x}"


def involved(kind, name, namespace=None, uid_=None, api_version="v1", rv_time=None, field_path=None):
    ref = {"kind": kind, "name": name}
    if api_version:
        ref["apiVersion"] = api_version
    if namespace:
        ref["namespace"] = namespace
    if uid_:
        ref["uid"] = uid_
    if rv_time is not None:
        ref["resourceVersion"] = str(RV.of(rv_time))
    if field_path:
        ref["fieldPath"] = field_path
    return ref


def core_event(namespace, ref, reason, message, type_, component, first, last=None, count=1, host=None, reporting=None):
    """A core/v1 Event as client-go's record.EventRecorder writes it (kubelet, controllers)."""
    last = last or first
    meta = {"creationTimestamp": ts(first), "name": event_name(ref["name"], first), "namespace": namespace, "uid": uid()}
    source = {"component": component}
    if host:
        source["host"] = host
    ev = {
        "apiVersion": "v1",
        "count": count,
        "eventTime": None,
        "firstTimestamp": ts(first),
        "involvedObject": ref,
        "kind": "Event",
        "lastTimestamp": ts(last),
        "message": message,
        "metadata": meta,
        "reason": reason,
        "reportingComponent": component if reporting is None else reporting,
        "reportingInstance": host or "",
        "source": source,
        "type": type_,
    }
    RV.later(meta, last)
    EVENT_LAST[id(ev)] = last
    EVENTS.append(ev)
    return ev


def scheduler_event(namespace, ref, reason, action, message, type_, first, series=None):
    """An events.k8s.io/v1 Event from the scheduler, read through the core/v1 API (what kubectl get events shows)."""
    meta = {"creationTimestamp": ts(first), "name": event_name(ref["name"], first), "namespace": namespace, "uid": uid()}
    ev = {
        "action": action,
        "apiVersion": "v1",
        "eventTime": micro(first),
        "firstTimestamp": None,
        "involvedObject": ref,
        "kind": "Event",
        "lastTimestamp": None,
        "message": message,
        "metadata": meta,
        "reason": reason,
        "reportingComponent": "default-scheduler",
        "reportingInstance": "default-scheduler-cp-1",
        "source": {},
        "type": type_,
    }
    last = first
    if series:
        count, last = series
        ev["series"] = {"count": count, "lastObservedTime": micro(last)}
    RV.later(meta, last)
    EVENT_LAST[id(ev)] = last
    EVENTS.append(ev)
    return ev


def pod_ref(pod, rv_time=None, container=None):
    m = pod["metadata"]
    return involved(
        "Pod", m["name"], m["namespace"], m["uid"], rv_time=rv_time or parse(m["creationTimestamp"]),
        field_path=f"spec.containers{{{container}}}" if container else None,
    )


def parse(s):
    return dt.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)


def scheduled_event(pod, t):
    m = pod["metadata"]
    scheduler_event(
        m["namespace"], pod_ref(pod, t), "Scheduled", "Binding",
        f"Successfully assigned {m['namespace']}/{m['name']} to {pod['spec']['nodeName']}", "Normal", t + dt.timedelta(microseconds=rng.randint(1000, 900000)),
    )


def kubelet_start_events(pod, t, pulled_in=None):
    """Scheduled, image pull (or already present), Created, Started: a container starting normally."""
    m = pod["metadata"]
    node_name = pod["spec"]["nodeName"]
    scheduled_event(pod, t)
    for c in pod["spec"]["containers"]:
        ref = lambda: pod_ref(pod, t, c["name"])  # noqa: E731
        if pulled_in is None:
            core_event(m["namespace"], ref(), "Pulled", f'Container image "{c["image"]}" already present on machine and can be pulled', "Normal", "kubelet", t + dt.timedelta(seconds=2), host=node_name)
            started = t + dt.timedelta(seconds=2)
        else:
            core_event(m["namespace"], ref(), "Pulling", f'Pulling image "{c["image"]}"', "Normal", "kubelet", t + dt.timedelta(seconds=2), host=node_name)
            secs, size = pulled_in
            started = t + dt.timedelta(seconds=2 + int(secs) + 1)
            core_event(
                m["namespace"], ref(), "Pulled",
                f'Successfully pulled image "{c["image"]}" in {secs:.3f}s ({secs:.3f}s including waiting). Image size: {size} bytes.',
                "Normal", "kubelet", started, host=node_name,
            )
        core_event(m["namespace"], ref(), "Created", f"Created container: {c['name']}", "Normal", "kubelet", started, host=node_name)
        core_event(m["namespace"], ref(), "Started", f"Started container {c['name']}", "Normal", "kubelet", started, host=node_name)


def node_not_ready_events(pods_on_w5):
    # Mirrors pkg/controller/util/node/controller_utils.go (MarkPodsNotReady, RecordNodeStatusChange).
    n = NODES["worker-5"]
    core_event(
        "default", involved("Node", "worker-5", uid_=n["metadata"]["uid"]), "NodeNotReady",
        "Node worker-5 status is now: NodeNotReady", "Normal", "node-controller", W5_UNKNOWN,
    )
    for p in pods_on_w5:
        core_event(
            p["metadata"]["namespace"], pod_ref(p, W5_UNKNOWN), "NodeNotReady", "Node is not ready", "Warning",
            "node-controller", W5_UNKNOWN + dt.timedelta(seconds=1),
        )


def node_join_events(name, joined, ready):
    # kubelet node events name the node by name as its uid (kubelet nodeRef); the node-controller uses the real uid.
    ref = lambda: involved("Node", name, uid_=name, api_version=None)  # noqa: E731
    core_event("default", ref(), "Starting", "Starting kubelet.", "Normal", "kubelet", joined - dt.timedelta(seconds=3), host=name)
    for cond in ("NodeHasSufficientMemory", "NodeHasNoDiskPressure", "NodeHasSufficientPID"):
        core_event("default", ref(), cond, f"Node {name} status is now: {cond}", "Normal", "kubelet", joined - dt.timedelta(seconds=3), host=name, count=2, last=joined)
    core_event("default", ref(), "NodeAllocatableEnforced", "Updated Node Allocatable limit across pods", "Normal", "kubelet", joined, host=name)
    core_event(
        "default", involved("Node", name, uid_=NODES[name]["metadata"]["uid"]), "RegisteredNode",
        f"Node {name} event: Registered Node {name} in Controller", "Normal", "node-controller", joined + dt.timedelta(seconds=4),
    )
    core_event("default", ref(), "NodeReady", f"Node {name} status is now: NodeReady", "Normal", "kubelet", ready, host=name)


# ---------------------------------------------------------------------------------------------- DaemonSets


def daemonset(namespace, name, labels, selector, template, created, annotations=None, older=()):
    """A DaemonSet with its ControllerRevisions: `older` lists (template, time) of earlier template
    generations; the current template is the last revision."""
    generation = len(older) + 1
    ds_uid = uid()
    meta = {
        "annotations": {"deprecated.daemonset.template.generation": str(generation), **(annotations or {})},
        "creationTimestamp": ts(created),
        "generation": generation,
        "labels": labels,
        "name": name,
        "namespace": namespace,
        "uid": ds_uid,
    }
    ds = {
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": meta,
        "spec": {
            "revisionHistoryLimit": 10,
            "selector": {"matchLabels": selector},
            "template": template,
            "updateStrategy": {"rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1}, "type": "RollingUpdate"},
        },
    }
    owner = {"apiVersion": "apps/v1", "kind": "DaemonSet", "name": name, "uid": ds_uid}
    # Mirrors pkg/controller/daemon/update.go (Snapshot, getPatch): name <ds>-<hash>, template labels plus
    # the hash, the DaemonSet's annotations, data = {"spec":{"template":{... "$patch":"replace"}}}.
    revisions = [(tmpl, made) for tmpl, made, _ in older] + [(template, older[-1][2] if older else created)]
    current_hash = None
    for number, (tmpl, when) in enumerate(revisions, start=1):
        h = safe_hash()
        data_tmpl = copy.deepcopy(tmpl)
        data_tmpl["$patch"] = "replace"
        cr_meta = {
            "annotations": dict(meta["annotations"]),
            "creationTimestamp": ts(when),
            "labels": {**tmpl["metadata"]["labels"], "controller-revision-hash": h},
            "name": f"{name}-{h}",
            "namespace": namespace,
            "ownerReferences": [{**owner, "blockOwnerDeletion": True, "controller": True}],
            "uid": uid(),
        }
        # Annotations on a revision are the DaemonSet's at the time it was made.
        cr_meta["annotations"]["deprecated.daemonset.template.generation"] = str(number)
        RV.later(cr_meta, when)
        REVISIONS.append({"apiVersion": "apps/v1", "data": {"spec": {"template": data_tmpl}}, "kind": "ControllerRevision", "metadata": cr_meta, "revision": number})
        current_hash = h
    DAEMONSETS.append(ds)
    return ds, owner, current_hash


def daemon_pod(ds, owner, rev_hash, node_name, created, state="running", **kw):
    tmpl = ds["spec"]["template"]
    gen = ds["metadata"]["generation"]
    labels = {**tmpl["metadata"]["labels"], "controller-revision-hash": rev_hash, "pod-template-generation": str(gen)}
    host_network = tmpl["spec"].get("hostNetwork", False)
    bound = state != "unscheduled"
    return make_pod(
        ds["metadata"]["namespace"],
        f"{ds['metadata']['name']}-{suffix()}",
        tmpl["spec"],
        labels,
        owner,
        created,
        node_name=node_name if bound else None,
        host_network=host_network,
        state=state,
        extra_tolerations=daemon_tolerations(host_network),
        affinity_node=node_name,
        annotations=tmpl["metadata"].get("annotations"),
        **kw,
    )


def set_ds_status(ds, ok_nodes, pods_by_node, misscheduled):
    """DaemonSet .status as pkg/controller/daemon updateDaemonSetStatus computes it; the API omits zeros of
    the omitempty fields (numberAvailable, numberUnavailable, updatedNumberScheduled)."""
    desired = len(ok_nodes)
    current = sum(1 for n in ok_nodes if n in pods_by_node)
    ready = sum(1 for n in ok_nodes if n in pods_by_node and is_ready(pods_by_node[n]))
    available = ready  # minReadySeconds 0
    updated = current  # every pod runs the current template
    status = {
        "currentNumberScheduled": current,
        "desiredNumberScheduled": desired,
        "numberMisscheduled": sum(1 for n in misscheduled if n in pods_by_node),
        "numberReady": ready,
        "observedGeneration": ds["metadata"]["generation"],
    }
    if available:
        status["numberAvailable"] = available
    if desired - available:
        status["numberUnavailable"] = desired - available
    if updated:
        status["updatedNumberScheduled"] = updated
    ds["status"] = dict(sorted(status.items()))
    RV.later(ds["metadata"], ago(seconds=19))


def is_ready(pod):
    return any(c["type"] == "Ready" and c["status"] == "True" for c in (pod.get("status") or {}).get("conditions", []))


# kube-proxy, as kubeadm deploys it (upgraded from v1.35.4 to v1.36.2 on UPGRADE).
def kube_proxy_template(version):
    return {
        "metadata": {"labels": {"k8s-app": "kube-proxy"}},
        "spec": pod_spec(
            [
                container(
                    "kube-proxy",
                    f"registry.k8s.io/kube-proxy:{version}",
                    command=["/usr/local/bin/kube-proxy", "--config=/var/lib/kube-proxy/config.conf", "--hostname-override=$(NODE_NAME)"],
                    env=[{"name": "NODE_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "spec.nodeName"}}}],
                    securityContext={"privileged": True},
                    volumeMounts=[
                        {"mountPath": "/var/lib/kube-proxy", "name": "kube-proxy"},
                        {"mountPath": "/run/xtables.lock", "name": "xtables-lock"},
                        {"mountPath": "/lib/modules", "name": "lib-modules", "readOnly": True},
                    ],
                )
            ],
            hostNetwork=True,
            nodeSelector={"kubernetes.io/os": "linux"},
            priorityClassName="system-node-critical",
            serviceAccountName="kube-proxy",
            tolerations=[{"operator": "Exists"}],
            volumes=[
                {"configMap": {"defaultMode": 420, "name": "kube-proxy"}, "name": "kube-proxy"},
                {"hostPath": {"path": "/run/xtables.lock", "type": "FileOrCreate"}, "name": "xtables-lock"},
                {"hostPath": {"path": "/lib/modules", "type": ""}, "name": "lib-modules"},
            ],
        ),
    }


KP_CREATED = at(2026, 5, 12, 9, 14, 21)
# older: (template, when it was made, when it was replaced).
kp, kp_owner, kp_hash = daemonset(
    "kube-system", "kube-proxy", {"k8s-app": "kube-proxy"}, {"k8s-app": "kube-proxy"},
    kube_proxy_template(K8S_VERSION), KP_CREATED,
    older=[(kube_proxy_template("v1.35.4"), KP_CREATED, UPGRADE + dt.timedelta(seconds=31))],
)

# fluent-bit, installed with the fluent/fluent-bit Helm chart.
FB_LABELS = {"app.kubernetes.io/instance": "fluent-bit", "app.kubernetes.io/name": "fluent-bit"}
fb_template = {
    "metadata": {"annotations": {"checksum/config": hexid()}, "labels": dict(FB_LABELS)},
    "spec": pod_spec(
        [
            container(
                "fluent-bit",
                IMG_FLUENT,
                {"limits": {"memory": "256Mi"}, "requests": {"cpu": "100m", "memory": "128Mi"}},
                command=["/fluent-bit/bin/fluent-bit"],
                args=["--workdir=/fluent-bit/etc", "--config=/fluent-bit/etc/conf/fluent-bit.conf"],
                livenessProbe={"failureThreshold": 3, "httpGet": {"path": "/", "port": "http", "scheme": "HTTP"}, "periodSeconds": 10, "successThreshold": 1, "timeoutSeconds": 1},
                ports=[{"containerPort": 2020, "name": "http", "protocol": "TCP"}],
                readinessProbe={"failureThreshold": 3, "httpGet": {"path": "/api/v1/health", "port": "http", "scheme": "HTTP"}, "periodSeconds": 10, "successThreshold": 1, "timeoutSeconds": 1},
                volumeMounts=[
                    {"mountPath": "/fluent-bit/etc/conf", "name": "config"},
                    {"mountPath": "/var/log", "name": "varlog"},
                    {"mountPath": "/etc/machine-id", "name": "etcmachineid", "readOnly": True},
                ],
            )
        ],
        nodeSelector={"kubernetes.io/os": "linux"},
        serviceAccountName="fluent-bit",
        tolerations=[{"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane", "operator": "Exists"}],
        volumes=[
            {"configMap": {"defaultMode": 420, "name": "fluent-bit"}, "name": "config"},
            {"hostPath": {"path": "/var/log", "type": ""}, "name": "varlog"},
            {"hostPath": {"path": "/etc/machine-id", "type": "File"}, "name": "etcmachineid"},
        ],
    ),
}
FB_CREATED = at(2026, 7, 2, 16, 45, 8)
fb, fb_owner, fb_hash = daemonset(
    "logging", "fluent-bit",
    {**FB_LABELS, "app.kubernetes.io/managed-by": "Helm", "app.kubernetes.io/version": "4.0.3", "helm.sh/chart": "fluent-bit-0.49.1"},
    FB_LABELS, fb_template, FB_CREATED,
    annotations={"meta.helm.sh/release-name": "fluent-bit", "meta.helm.sh/release-namespace": "logging"},
)

# NVIDIA device plugin, Helm chart nvidia-device-plugin: required node affinity, GPU toleration.
NV_LABELS = {"app.kubernetes.io/instance": "nvdp", "app.kubernetes.io/name": "nvidia-device-plugin"}
nv_template = {
    "metadata": {"labels": dict(NV_LABELS)},
    "spec": pod_spec(
        [
            container(
                "nvidia-device-plugin-ctr",
                IMG_NVIDIA,
                command=["nvidia-device-plugin"],
                env=[{"name": "MPS_ROOT", "value": "/run/nvidia/mps"}, {"name": "NVIDIA_MIG_MONITOR_DEVICES", "value": "all"}],
                securityContext={"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}},
                volumeMounts=[{"mountPath": "/var/lib/kubelet/device-plugins", "name": "device-plugin"}],
            )
        ],
        affinity={
            "nodeAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": {
                    "nodeSelectorTerms": [
                        {"matchExpressions": [{"key": "feature.node.kubernetes.io/pci-10de.present", "operator": "In", "values": ["true"]}]},
                        {"matchExpressions": [{"key": "feature.node.kubernetes.io/cpu-model.vendor_id", "operator": "In", "values": ["NVIDIA"]}]},
                        {"matchExpressions": [{"key": "nvidia.com/gpu.present", "operator": "In", "values": ["true"]}]},
                    ]
                }
            }
        },
        priorityClassName="system-node-critical",
        tolerations=[
            {"key": "CriticalAddonsOnly", "operator": "Exists"},
            {"effect": "NoSchedule", "key": "nvidia.com/gpu", "operator": "Exists"},
        ],
        volumes=[{"hostPath": {"path": "/var/lib/kubelet/device-plugins", "type": ""}, "name": "device-plugin"}],
    ),
}
NV_CREATED = at(2026, 8, 18, 10, 22, 47)
nv, nv_owner, nv_hash = daemonset(
    "kube-system", "nvidia-device-plugin-daemonset",
    {**NV_LABELS, "app.kubernetes.io/managed-by": "Helm", "app.kubernetes.io/version": "0.17.2", "helm.sh/chart": "nvidia-device-plugin-0.17.2"},
    NV_LABELS, nv_template, NV_CREATED,
    annotations={"meta.helm.sh/release-name": "nvdp", "meta.helm.sh/release-namespace": "kube-system"},
)

# The star: demo/node-agent, applied with kubectl apply.
NA_LABELS = {"app.kubernetes.io/name": "node-agent"}
NA_APPLIED = {
    "apiVersion": "apps/v1",
    "kind": "DaemonSet",
    "metadata": {"annotations": {}, "labels": NA_LABELS, "name": "node-agent", "namespace": "demo"},
    "spec": {
        "selector": {"matchLabels": NA_LABELS},
        "template": {
            "metadata": {"labels": NA_LABELS},
            "spec": {
                "containers": [
                    {
                        "args": ["--metrics-addr=:9102", "--host-proc=/host/proc", "--host-sys=/host/sys"],
                        "env": [{"name": "NODE_NAME", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}}],
                        "image": IMG_AGENT,
                        "name": "node-agent",
                        "ports": [{"containerPort": 9102, "name": "metrics"}],
                        "readinessProbe": {"httpGet": {"path": "/healthz", "port": "metrics"}},
                        "resources": {"limits": {"memory": "256Mi"}, "requests": {"cpu": "200m", "memory": "128Mi"}},
                        "volumeMounts": [
                            {"mountPath": "/host/proc", "name": "proc", "readOnly": True},
                            {"mountPath": "/host/sys", "name": "sys", "readOnly": True},
                        ],
                    }
                ],
                "nodeSelector": {"kubernetes.io/os": "linux"},
                "serviceAccountName": "node-agent",
                "volumes": [{"hostPath": {"path": "/proc"}, "name": "proc"}, {"hostPath": {"path": "/sys"}, "name": "sys"}],
            },
        },
    },
}
na_template = {
    "metadata": {"labels": dict(NA_LABELS)},
    "spec": pod_spec(
        [
            container(
                "node-agent",
                IMG_AGENT,
                {"limits": {"memory": "256Mi"}, "requests": {"cpu": "200m", "memory": "128Mi"}},
                args=["--metrics-addr=:9102", "--host-proc=/host/proc", "--host-sys=/host/sys"],
                env=[{"name": "NODE_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "spec.nodeName"}}}],
                ports=[{"containerPort": 9102, "name": "metrics", "protocol": "TCP"}],
                readinessProbe={"failureThreshold": 3, "httpGet": {"path": "/healthz", "port": "metrics", "scheme": "HTTP"}, "periodSeconds": 10, "successThreshold": 1, "timeoutSeconds": 1},
                volumeMounts=[
                    {"mountPath": "/host/proc", "name": "proc", "readOnly": True},
                    {"mountPath": "/host/sys", "name": "sys", "readOnly": True},
                ],
            )
        ],
        nodeSelector={"kubernetes.io/os": "linux"},
        serviceAccountName="node-agent",
        volumes=[{"hostPath": {"path": "/proc", "type": ""}, "name": "proc"}, {"hostPath": {"path": "/sys", "type": ""}, "name": "sys"}],
    ),
}
NA_CREATED = at(2026, 11, 17, 14, 20, 11)
na, na_owner, na_hash = daemonset(
    "demo", "node-agent", dict(NA_LABELS), NA_LABELS, na_template, NA_CREATED,
    annotations={"kubectl.kubernetes.io/last-applied-configuration": json.dumps(NA_APPLIED, separators=(",", ":"), sort_keys=True) + "\n"},
)


# ---------------------------------------------------------------------------------------------- the pods

def rolled(i, base, step=11):
    return base + dt.timedelta(seconds=i * step + rng.randint(0, 3))


# kube-proxy: eligible on every Linux node (tolerates everything). Rolled to v1.36.2 during the upgrade.
kp_pods = {}
for i, n in enumerate(x for x in NODE_ORDER if x != "win-1"):
    if n == "arm-1":
        created = ARM_JOIN + dt.timedelta(seconds=1)
    elif n == "worker-6":
        created = W6_JOIN + dt.timedelta(seconds=1)
    elif n == "worker-7":
        created = W7_JOIN + dt.timedelta(seconds=1)
    else:
        created = rolled(i, UPGRADE + dt.timedelta(seconds=32))
    state = "not-ready-node" if n == "worker-5" else "running"
    kp_pods[n] = daemon_pod(kp, kp_owner, kp_hash, n, created, state=state)

# fluent-bit: Linux nodes that tolerate nothing but the control-plane taint.
fb_pods = {}
for n, created in [
    ("cp-1", FB_CREATED), ("worker-1", FB_CREATED), ("worker-2", FB_CREATED), ("worker-3", FB_CREATED),
    ("worker-4", FB_CREATED), ("worker-5", FB_CREATED), ("small-1", at(2026, 9, 22, 13, 41, 19)),
    ("arm-1", ARM_JOIN + dt.timedelta(seconds=18)), ("worker-6", W6_READY + dt.timedelta(seconds=2)),
    ("worker-7", W7_READY + dt.timedelta(seconds=3)),
]:
    created = created + dt.timedelta(seconds=rng.randint(0, 2)) if created == FB_CREATED else created
    state = "not-ready-node" if n == "worker-5" else "running"
    fb_pods[n] = daemon_pod(fb, fb_owner, fb_hash, n, created, state=state)

nv_pods = {"gpu-1": daemon_pod(nv, nv_owner, nv_hash, "gpu-1", NV_CREATED + dt.timedelta(seconds=1))}

# node-agent.
na_pods = {}
for n in ("worker-1", "worker-2", "worker-3", "worker-4"):
    na_pods[n] = daemon_pod(na, na_owner, na_hash, n, NA_CREATED + dt.timedelta(seconds=rng.randint(0, 1)))
na_pods["worker-5"] = daemon_pod(na, na_owner, na_hash, "worker-5", NA_CREATED + dt.timedelta(seconds=1), state="not-ready-node")
ARM_POD_CREATED = ARM_JOIN + dt.timedelta(seconds=18)
na_pods["arm-1"] = daemon_pod(na, na_owner, na_hash, "arm-1", ARM_POD_CREATED, state="image-backoff")
W6_POD_CREATED = W6_READY + dt.timedelta(seconds=2)
na_pods["worker-6"] = daemon_pod(na, na_owner, na_hash, "worker-6", W6_POD_CREATED, state="creating", started=W6_POD_CREATED + dt.timedelta(seconds=1))

# small-1: created with the DaemonSet six days ago and never scheduled.
SMALL_POD_CREATED = NA_CREATED + dt.timedelta(seconds=1)
small_pod = daemon_pod(na, na_owner, na_hash, "small-1", SMALL_POD_CREATED, state="unscheduled")
na_pods["small-1"] = small_pod


# FailedScheduling, worded as the scheduler words it: FitError.Error() lists node counts per reason, sorted;
# nodes other than small-1 are cut by NodeAffinity's PreFilter result (matchFields metadata.name); small-1 fails
# NodeResourcesFit with a resolvable Insufficient cpu (200m <= 2 allocatable), so preemption looks for
# lower-priority victims there and finds none (every pod on small-1 has priority >= 0).
# Mirrors pkg/scheduler/framework/types.go (FitError.Error) and
# pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go (SelectVictimsOnNode).
def failed_scheduling_message(n_nodes):
    return (
        f"0/{n_nodes} nodes are available: 1 Insufficient cpu, {n_nodes - 1} node(s) didn't satisfy plugin(s) "
        f"[NodeAffinity]. no new claims to deallocate, preemption: 0/{n_nodes} nodes are available: "
        f"1 No preemption victims found for incoming pod, {n_nodes - 1} Preemption is not helpful for scheduling."
    )


MSG_12 = failed_scheduling_message(12)
small_pod["status"] = {
    "conditions": [
        {
            "lastProbeTime": None,
            "lastTransitionTime": ts(SMALL_POD_CREATED),
            "message": MSG_12,
            "observedGeneration": 1,
            "reason": "Unschedulable",
            "status": "False",
            "type": "PodScheduled",
        }
    ],
    "phase": "Pending",
    "qosClass": "Burstable",
}
RV.later(small_pod["metadata"], ago(seconds=117))  # the scheduler rewrote the condition message


# Other workloads, so that requested resources add up on every node (small-1 in particular).
def replicaset_pod(namespace, deploy, rs_hash, rs_uid, node_name, created, tmpl_spec, labels, **kw):
    return make_pod(
        namespace, f"{deploy}-{rs_hash}-{suffix()}", tmpl_spec, {**labels, "pod-template-hash": rs_hash},
        {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": f"{deploy}-{rs_hash}", "uid": rs_uid},
        created, node_name=node_name, extra_tolerations=DEFAULT_TOLERATIONS, **kw,
    )


def deployment_pods(namespace, deploy, labels, spec, placements, **kw):
    rs_hash, rs_uid = safe_hash(), uid()
    return [replicaset_pod(namespace, deploy, rs_hash, rs_uid, n, c, spec, labels, **kw) for n, c in placements]


coredns_spec = pod_spec(
    [
        container(
            "coredns", IMG_COREDNS,
            {"limits": {"memory": "170Mi"}, "requests": {"cpu": "100m", "memory": "70Mi"}},
            args=["-conf", "/etc/coredns/Corefile"],
            livenessProbe={"failureThreshold": 5, "httpGet": {"path": "/health", "port": 8080, "scheme": "HTTP"}, "initialDelaySeconds": 60, "periodSeconds": 10, "successThreshold": 1, "timeoutSeconds": 5},
            ports=[
                {"containerPort": 53, "name": "dns", "protocol": "UDP"},
                {"containerPort": 53, "name": "dns-tcp", "protocol": "TCP"},
                {"containerPort": 9153, "name": "metrics", "protocol": "TCP"},
            ],
            readinessProbe={"failureThreshold": 3, "httpGet": {"path": "/ready", "port": 8181, "scheme": "HTTP"}, "periodSeconds": 10, "successThreshold": 1, "timeoutSeconds": 1},
            securityContext={"allowPrivilegeEscalation": False, "capabilities": {"add": ["NET_BIND_SERVICE"], "drop": ["ALL"]}, "readOnlyRootFilesystem": True},
            volumeMounts=[{"mountPath": "/etc/coredns", "name": "config-volume", "readOnly": True}],
        )
    ],
    dnsPolicy="Default",
    nodeSelector={"kubernetes.io/os": "linux"},
    priorityClassName="system-cluster-critical",
    serviceAccountName="coredns",
    tolerations=[
        {"key": "CriticalAddonsOnly", "operator": "Exists"},
        {"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"},
    ],
    volumes=[{"configMap": {"defaultMode": 420, "items": [{"key": "Corefile", "path": "Corefile"}], "name": "coredns"}, "name": "config-volume"}],
)
deployment_pods("kube-system", "coredns", {"k8s-app": "kube-dns"}, coredns_spec,
                [("cp-1", UPGRADE + dt.timedelta(seconds=95)), ("small-1", UPGRADE + dt.timedelta(seconds=97))])

metrics_spec = pod_spec(
    [
        container(
            "metrics-server", "registry.k8s.io/metrics-server/metrics-server:v0.8.0",
            {"requests": {"cpu": "100m", "memory": "200Mi"}},
            args=["--cert-dir=/tmp", "--secure-port=10250", "--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname", "--kubelet-use-node-status-port", "--metric-resolution=15s"],
            ports=[{"containerPort": 10250, "name": "https", "protocol": "TCP"}],
            volumeMounts=[{"mountPath": "/tmp", "name": "tmp-dir"}],
        )
    ],
    nodeSelector={"kubernetes.io/os": "linux"},
    priorityClassName="system-cluster-critical",
    serviceAccountName="metrics-server",
    volumes=[{"emptyDir": {}, "name": "tmp-dir"}],
)
deployment_pods("kube-system", "metrics-server", {"k8s-app": "metrics-server"}, metrics_spec, [("small-1", at(2026, 10, 20, 8, 31, 2))])

ingress_spec = pod_spec(
    [
        container(
            "controller", "registry.k8s.io/ingress-nginx/controller:v1.12.3",
            {"requests": {"cpu": "100m", "memory": "90Mi"}},
            args=["/nginx-ingress-controller", "--election-id=ingress-nginx-leader", "--controller-class=k8s.io/ingress-nginx", "--ingress-class=nginx"],
            ports=[{"containerPort": 80, "name": "http", "protocol": "TCP"}, {"containerPort": 443, "name": "https", "protocol": "TCP"}],
        )
    ],
    nodeSelector={"kubernetes.io/os": "linux"},
    serviceAccountName="ingress-nginx",
    terminationGracePeriodSeconds=300,
)
deployment_pods("ingress-nginx", "ingress-nginx-controller",
                {"app.kubernetes.io/component": "controller", "app.kubernetes.io/instance": "ingress-nginx", "app.kubernetes.io/name": "ingress-nginx"},
                ingress_spec, [("small-1", at(2026, 10, 20, 8, 31, 40))])


def shop_spec(name, cpu, mem, version):
    return pod_spec(
        [
            container(
                name, f"registry.example.com/shop/{name}:{version}",
                {"limits": {"memory": mem}, "requests": {"cpu": cpu, "memory": mem}},
                ports=[{"containerPort": 8080, "name": "http", "protocol": "TCP"}],
            )
        ]
    )


for name, cpu, mem, ver, when in [
    ("checkout", "500m", "512Mi", "2.14.0", at(2026, 11, 2, 11, 5, 43)),
    ("cart", "500m", "256Mi", "1.9.3", at(2026, 11, 4, 16, 51, 2)),
    ("catalog", "500m", "256Mi", "4.2.1", at(2026, 11, 8, 10, 12, 29)),
]:
    deployment_pods("shop", name, {"app.kubernetes.io/name": name}, shop_spec(name, cpu, mem, ver), [("small-1", when)])

# frontend: one replica was on worker-5; the taint-eviction controller deleted it 300s after the NoExecute
# taint (DefaultTolerationSeconds) and it stays Terminating, since no kubelet can confirm. Its replacement
# runs on worker-2.
FRONTEND_EVICTED = W5_UNKNOWN + dt.timedelta(seconds=5 + 300)


def evicted(status):
    status["conditions"].insert(
        0,
        {
            "lastProbeTime": None,
            "lastTransitionTime": ts(FRONTEND_EVICTED),
            "message": "Taint manager: deleting due to NoExecute taint",
            "reason": "DeletionByTaintManager",
            "status": "True",
            "type": "DisruptionTarget",
        },
    )


fe_spec = shop_spec("frontend", "250m", "256Mi", "3.8.0")
fe_hash, fe_uid = safe_hash(), uid()
fe_labels = {"app.kubernetes.io/name": "frontend"}
replicaset_pod("shop", "frontend", fe_hash, fe_uid, "worker-1", at(2026, 11, 19, 9, 2, 7), fe_spec, fe_labels)
fe_gone = replicaset_pod("shop", "frontend", fe_hash, fe_uid, "worker-5", at(2026, 11, 19, 9, 2, 7), fe_spec, fe_labels,
                         state="not-ready-node", status_extra=evicted, deletion=FRONTEND_EVICTED + dt.timedelta(seconds=30), generation=2)
fe_new = replicaset_pod("shop", "frontend", fe_hash, fe_uid, "worker-2", FRONTEND_EVICTED + dt.timedelta(seconds=1), fe_spec, fe_labels)

# postgres on the database node (StatefulSet pod, tolerates the dedication taint).
pg_spec = pod_spec(
    [
        container(
            "postgres", "docker.io/library/postgres:17.5",
            {"limits": {"cpu": "2", "memory": "8Gi"}, "requests": {"cpu": "2", "memory": "8Gi"}},
            ports=[{"containerPort": 5432, "name": "postgres", "protocol": "TCP"}],
            volumeMounts=[{"mountPath": "/var/lib/postgresql/data", "name": "data"}],
        )
    ],
    hostname="postgres-0",
    nodeSelector={"dedicated": "database"},
    subdomain="postgres",
    tolerations=[{"effect": "NoSchedule", "key": "dedicated", "operator": "Equal", "value": "database"}],
    volumes=[{"name": "data", "persistentVolumeClaim": {"claimName": "data-postgres-0"}}],
)
make_pod("shop", "postgres-0", pg_spec, {"app.kubernetes.io/name": "postgres", "apps.kubernetes.io/pod-index": "0", "controller-revision-hash": "postgres-" + safe_hash(), "statefulset.kubernetes.io/pod-name": "postgres-0"},
         {"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "postgres", "uid": uid()}, ago(hours=22, minutes=48, seconds=3), node_name="worker-4",
         extra_tolerations=DEFAULT_TOLERATIONS)

# A training job on the GPU node.
trainer_spec = pod_spec(
    [
        container(
            "trainer", "registry.example.com/ml/trainer:2.7.1-cuda12.8",
            {"limits": {"nvidia.com/gpu": "2"}, "requests": {"cpu": "8", "memory": "64Gi", "nvidia.com/gpu": "2"}},
            args=["--config=/etc/trainer/resnet-finetune.yaml"],
        )
    ],
    restartPolicy="Never",
    tolerations=[{"effect": "NoSchedule", "key": "nvidia.com/gpu", "operator": "Exists"}],
)
job_uid = uid()
make_pod("ml", f"resnet-finetune-{suffix()}", trainer_spec,
         {"batch.kubernetes.io/controller-uid": job_uid, "batch.kubernetes.io/job-name": "resnet-finetune", "controller-uid": job_uid, "job-name": "resnet-finetune"},
         {"apiVersion": "batch/v1", "kind": "Job", "name": "resnet-finetune", "uid": job_uid}, ago(hours=7, minutes=31, seconds=40), node_name="gpu-1",
         extra_tolerations=DEFAULT_TOLERATIONS, annotations={"batch.kubernetes.io/job-tracking": ""})

# A Windows workload.
iis_spec = pod_spec(
    [
        container(
            "iis", "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022",
            {"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "500m", "memory": "512Mi"}},
            ports=[{"containerPort": 80, "name": "http", "protocol": "TCP"}],
        )
    ],
    nodeSelector={"kubernetes.io/os": "windows"},
)
deployment_pods("legacy", "intranet", {"app.kubernetes.io/name": "intranet"}, iis_spec, [("win-1", at(2026, 10, 20, 9, 2, 55))])


# Static control-plane pods: mirror pods owned by the Node.
STATIC_PROBES = {  # as kubeadm writes them
    "etcd": {"host": "127.0.0.1", "path": "/livez", "port": 2381, "scheme": "HTTP"},
    "kube-apiserver": {"host": "10.0.1.10", "path": "/livez", "port": 6443, "scheme": "HTTPS"},
    "kube-controller-manager": {"host": "127.0.0.1", "path": "/healthz", "port": 10257, "scheme": "HTTPS"},
    "kube-scheduler": {"host": "127.0.0.1", "path": "/healthz", "port": 10259, "scheme": "HTTPS"},
}
def static_pod(component, image, cpu, command, extra_mounts=(), mem=None):
    res = {"requests": {"cpu": cpu}}
    if mem:
        res["requests"]["memory"] = mem
    spec = pod_spec(
        [
            container(
                component, image, res, command=command,
                livenessProbe={"failureThreshold": 8, "httpGet": STATIC_PROBES[component], "initialDelaySeconds": 10, "periodSeconds": 10, "successThreshold": 1, "timeoutSeconds": 15},
                volumeMounts=list(extra_mounts),
            )
        ],
        hostNetwork=True,
        priorityClassName="system-node-critical",
        securityContext={"seccompProfile": {"type": "RuntimeDefault"}},
        tolerations=[{"effect": "NoExecute", "operator": "Exists"}],
        volumes=[{"hostPath": {"path": m["mountPath"], "type": "DirectoryOrCreate"}, "name": m["name"]} for m in extra_mounts],
    )
    config_hash = hexid(32)
    return make_pod(
        "kube-system", f"{component}-cp-1", spec, {"component": component, "tier": "control-plane"},
        {"apiVersion": "v1", "kind": "Node", "name": "cp-1", "uid": NODE_META["cp-1"]["uid"]},
        UPGRADE + dt.timedelta(seconds=rng.randint(3, 25)), node_name="cp-1", host_network=True, sa_token=False,
        annotations={
            "kubernetes.io/config.hash": config_hash,
            "kubernetes.io/config.mirror": config_hash,
            "kubernetes.io/config.seen": micro(UPGRADE - dt.timedelta(seconds=40, microseconds=rng.randint(1, 999_999))).replace("Z", f"{rng.randint(0, 999):03d}Z"),
            "kubernetes.io/config.source": "file",
        },
    )


static_pod("etcd", "registry.k8s.io/etcd:3.6.4-0", "100m", ["etcd", "--data-dir=/var/lib/etcd", "--listen-client-urls=https://127.0.0.1:2379,https://10.0.1.10:2379"],
           [{"mountPath": "/var/lib/etcd", "name": "etcd-data"}, {"mountPath": "/etc/kubernetes/pki/etcd", "name": "etcd-certs"}], mem="100Mi")
static_pod("kube-apiserver", f"registry.k8s.io/kube-apiserver:{K8S_VERSION}", "250m", ["kube-apiserver", "--advertise-address=10.0.1.10", "--enable-admission-plugins=NodeRestriction,ResourceQuota", "--event-ttl=1h0m0s"],
           [{"mountPath": "/etc/kubernetes/pki", "name": "k8s-certs", "readOnly": True}])
static_pod("kube-controller-manager", f"registry.k8s.io/kube-controller-manager:{K8S_VERSION}", "200m", ["kube-controller-manager", "--allocate-node-cidrs=true", "--cluster-cidr=10.244.0.0/16", "--use-service-account-credentials=true"],
           [{"mountPath": "/etc/kubernetes/pki", "name": "k8s-certs", "readOnly": True}])
static_pod("kube-scheduler", f"registry.k8s.io/kube-scheduler:{K8S_VERSION}", "100m", ["kube-scheduler", "--kubeconfig=/etc/kubernetes/scheduler.conf", "--leader-elect=true"],
           [{"mountPath": "/etc/kubernetes/scheduler.conf", "name": "kubeconfig", "readOnly": True}])


# What the scheduler counts as already requested on small-1 (non-terminated pods bound there).
def millicpu(q):
    return int(q[:-1]) if q.endswith("m") else int(float(q) * 1000)


SMALL_NODE_PODS = [p for p in PODS if p["spec"].get("nodeName") == "small-1"]
small_requested = sum(millicpu(c["resources"].get("requests", {}).get("cpu", "0")) for p in SMALL_NODE_PODS for c in p["spec"]["containers"])
assert small_requested == 1900, small_requested  # 2000m allocatable - 1900m < 200m requested: Insufficient cpu


# ---------------------------------------------------------------------------------------------- statuses

LINUX = [n for n in NODE_ORDER if n != "win-1"]
set_ds_status(kp, LINUX, kp_pods, [])
set_ds_status(fb, ["cp-1", "worker-1", "worker-2", "worker-3", "worker-6", "worker-7", "small-1", "arm-1"], fb_pods, ["worker-4", "worker-5"])
set_ds_status(nv, ["gpu-1"], nv_pods, [])
NA_ELIGIBLE = ["worker-1", "worker-2", "worker-3", "worker-6", "worker-7", "small-1", "arm-1"]
set_ds_status(na, NA_ELIGIBLE, na_pods, ["worker-4", "worker-5"])
assert na["status"] == {
    "currentNumberScheduled": 6, "desiredNumberScheduled": 7, "numberAvailable": 3, "numberMisscheduled": 2,
    "numberReady": 3, "numberUnavailable": 4, "observedGeneration": 1, "updatedNumberScheduled": 6,
}, na["status"]


# ---------------------------------------------------------------------------------------------- events
# Only the last hour survives (kube-apiserver --event-ttl=1h; an event's TTL restarts on each update).

# New nodes.
node_join_events("worker-6", W6_JOIN, W6_READY)
node_join_events("worker-7", W7_JOIN, W7_READY)
node_not_ready_events([kp_pods["worker-5"], fb_pods["worker-5"], na_pods["worker-5"], fe_gone])
# Five minutes later the taint-eviction controller deletes the pods that tolerate unreachable:NoExecute only
# for 300s; daemon pods tolerate it forever. Mirrors pkg/controller/tainteviction (emitPodDeletionEvent).
core_event("shop", pod_ref(fe_gone, FRONTEND_EVICTED), "TaintManagerEviction", f"Marking for deletion Pod shop/{fe_gone['metadata']['name']}",
           "Normal", "taint-eviction-controller", FRONTEND_EVICTED)
core_event("shop", involved("ReplicaSet", f"frontend-{fe_hash}", "shop", fe_uid, api_version="apps/v1", rv_time=FRONTEND_EVICTED),
           "SuccessfulCreate", f"Created pod: {fe_new['metadata']['name']}", "Normal", "replicaset-controller", FRONTEND_EVICTED + dt.timedelta(seconds=1))
kubelet_start_events(fe_new, FRONTEND_EVICTED + dt.timedelta(seconds=1))


def ds_event(ds, reason, message, type_, first, last=None, count=1, reporting=None):
    m = ds["metadata"]
    ref = involved("DaemonSet", m["name"], m["namespace"], m["uid"], api_version="apps/v1", rv_time=first - dt.timedelta(seconds=1))
    return core_event(m["namespace"], ref, reason, message, type_, "daemonset-controller", first, last, count, reporting=reporting)


for ds, pods in ((kp, kp_pods), (fb, fb_pods)):
    for n in ("worker-6", "worker-7"):
        p = pods[n]
        created = parse(p["metadata"]["creationTimestamp"])
        ds_event(ds, "SuccessfulCreate", f"Created pod: {p['metadata']['name']}", "Normal", created)
        if ds is kp:
            kubelet_start_events(p, created)
        else:
            kubelet_start_events(p, created, pulled_in=(6.412 if n == "worker-6" else 5.873, 38712690))

# node-agent on worker-6: created, scheduled, pulling its 187 MB image (serialized behind fluent-bit's pull).
w6 = na_pods["worker-6"]
ds_event(na, "SuccessfulCreate", f"Created pod: {w6['metadata']['name']}", "Normal", W6_POD_CREATED)
scheduled_event(w6, W6_POD_CREATED)
core_event("demo", pod_ref(w6, W6_POD_CREATED, "node-agent"), "Pulling", f'Pulling image "{IMG_AGENT}"', "Normal", "kubelet",
           W6_POD_CREATED + dt.timedelta(seconds=3), host="worker-6")

# node-agent on worker-7: the quota is used up (8 pods: w1-w5, small-1's Pending pod, arm-1, worker-6).
# The controller retries with a per-key exponential back-off; the event recorder's aggregator turns the 10th
# similar event (same source, object, type, reason) within 10 minutes into "(combined from similar events)".
# Mirrors staging/src/k8s.io/client-go/tools/record/events_cache.go (EventAggregator) and
# plugin/pkg/admission/resourcequota (exceeded quota message).
QUOTA_USED = sum(1 for n, p in na_pods.items())
assert QUOTA_USED == 8


def quota_message():
    return f'Error creating: pods "node-agent-{suffix()}" is forbidden: exceeded quota: demo-quota, requested: pods=1, used: pods={QUOTA_USED}, limited: pods=8'


t = W7_READY + dt.timedelta(seconds=1)
for i in range(9):
    ds_event(na, "FailedCreate", quota_message(), "Warning", t)
    t += dt.timedelta(milliseconds=5 * 2**i + rng.randint(1, 120))
ds_event(na, "FailedCreate", "(combined from similar events): " + quota_message(), "Warning", t + dt.timedelta(seconds=1),
         last=ago(seconds=19), count=9, reporting="")

# node-agent on small-1: one FailedScheduling per distinct message. The scheduler's events broadcaster keeps a
# series per message and writes it back every 30 minutes (client-go tools/events: refreshTime), so the message
# from before the new nodes joined is still there, and its count lags.
small_ref = lambda t0: pod_ref(small_pod, t0)  # noqa: E731
scheduler_event("demo", small_ref(ARM_JOIN), "FailedScheduling", "Scheduling", failed_scheduling_message(10), "Warning",
                ARM_JOIN + dt.timedelta(seconds=1, microseconds=204_311), series=(33, ago(minutes=14, seconds=51) + dt.timedelta(microseconds=388_004)))
scheduler_event("demo", small_ref(W6_JOIN), "FailedScheduling", "Scheduling", failed_scheduling_message(11), "Warning",
                W6_JOIN + dt.timedelta(microseconds=412_907))
scheduler_event("demo", small_ref(W7_JOIN), "FailedScheduling", "Scheduling", MSG_12, "Warning",
                W7_JOIN + dt.timedelta(microseconds=377_120))

# node-agent on arm-1: the kubelet has been failing to pull for three hours (back-off capped at 5 minutes).
arm = na_pods["arm-1"]
arm_ref = lambda: pod_ref(arm, ARM_POD_CREATED, "node-agent")  # noqa: E731
first_pull = ARM_POD_CREATED + dt.timedelta(seconds=3)
last_pull = ago(minutes=3, seconds=38)
core_event("demo", arm_ref(), "Pulling", f'Pulling image "{IMG_AGENT}"', "Normal", "kubelet", first_pull, last_pull, count=41, host="arm-1")
core_event("demo", arm_ref(), "Failed", f'Failed to pull image "{IMG_AGENT}": {pull_error(IMG_AGENT)}', "Warning", "kubelet",
           first_pull + dt.timedelta(seconds=1), last_pull + dt.timedelta(seconds=1), count=41, host="arm-1")
core_event("demo", arm_ref(), "Failed", "Error: ErrImagePull", "Warning", "kubelet",
           first_pull + dt.timedelta(seconds=1), last_pull + dt.timedelta(seconds=1), count=41, host="arm-1")
core_event("demo", arm_ref(), "BackOff", f'Back-off pulling image "{IMG_AGENT}"', "Normal", "kubelet",
           first_pull + dt.timedelta(seconds=2), ago(seconds=27), count=812, host="arm-1")
core_event("demo", arm_ref(), "Failed", "Error: ImagePullBackOff", "Warning", "kubelet",
           first_pull + dt.timedelta(seconds=2), ago(seconds=27), count=798, host="arm-1")

# Events older than an hour are gone, except those whose TTL was renewed by an update.
EVENTS[:] = [e for e in EVENTS if DUMP_TIME - EVENT_LAST[id(e)] <= dt.timedelta(hours=1)]


# ---------------------------------------------------------------------------------------------- output


class KubectlDumper(yaml.SafeDumper):
    """YAML as kubectl prints it (sigs.k8s.io/yaml over go-yaml): keys sorted, block style, sequences not
    indented under their key, strings that would read as another type in double quotes, multi-line strings
    as literal blocks."""


def _str(dumper, value):
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    resolved = dumper.resolve(yaml.ScalarNode, value, (True, False))
    if resolved != "tag:yaml.org,2002:str":
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


KubectlDumper.add_representer(str, _str)


def key(obj):
    m = obj["metadata"]
    return (m.get("namespace", ""), m["name"])


def render():
    RV.assign()
    items = (
        [NODES[n] for n in NODE_ORDER]
        + sorted(PODS, key=key)
        + sorted(DAEMONSETS, key=key)
        + sorted(EVENTS, key=key)
        + sorted(REVISIONS, key=key)
    )
    doc = {"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}}
    return yaml.dump(doc, Dumper=KubectlDumper, sort_keys=True, default_flow_style=False, allow_unicode=True, width=80)


def main():
    text = render()
    if "--check" in sys.argv[1:]:
        if OUT.read_text() != text:
            print(f"{OUT} is out of date: run python3 examples/generate.py", file=sys.stderr)
            sys.exit(1)
        return
    OUT.write_text(text)
    print(f"wrote {OUT} ({len(text.splitlines())} lines)")


if __name__ == "__main__":
    main()
