"""The Ray backend: grading actors on a Ray cluster, driven from this process.

    grader batch all class --out out --backend ray --ray-address 10.0.0.5:6379

The driver (this process) connects to the cluster at ``--ray-address`` (else ``RAY_ADDRESS``,
else it starts a local instance listening on 127.0.0.1 only), puts the course archive in the
object store once, and places one :class:`~grader.batch.backends.ray_actor.GradingActor` per
CPU slot of every node (``num_cpus=1``; ``--workers`` caps their number), each pinned to its
node. Every actor unpacks the course on its node (once per node, by content hash), starts its
warm worker, which probes the sandbox layers, and reports them with its versions. A node whose
grader version, torch or Python differs from the driver's, or that lacks a layer
``--require-sandbox`` needs, is refused with a warning naming it and grades nothing; one whose
grader code differs under the same version (a checkout being edited) gets a warning.

The driver sends each ready actor one submission at a time and gets back an
:class:`~grader.batch.backends.base.Attempt`. An actor that dies (its process killed, its node
gone) fails its attempt as a grader fault, which the driver retries elsewhere (bounded by
``retries``); a replacement actor is placed on its node while the node is alive. The cluster is
looked at again every :data:`RESCAN_S` seconds, so a node that joins late gets actors too.

Ray is imported only here and only when this backend is asked for: without it, ``--backend ray``
is a usage error naming the extra (``pip install 'torch-grader[ray]'``).
"""

from __future__ import annotations

import logging
import os
import platform
import signal
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from grader import __version__
from grader.batch.backends.base import (
    Attempt,
    Busy,
    Costs,
    Job,
    NodeFacts,
    Outcome,
    grader_fingerprint,
    package_version,
)
from grader.batch.backends.course_pack import CoursePack, pack_course
from grader.errors import GraderError, SandboxError, UsageError
from grader.exercises.model import Exercise

RAY_EXTRA = "pip install 'torch-grader[ray]'"
"""How to install what this backend needs (the README and docs/cluster.md say the same)."""
LOOPBACK_ENV = "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"
"""Set to 0 before Ray is imported, a local instance binds every port to 127.0.0.1 only."""
LOCAL_OBJECT_STORE = 128 * 1024 * 1024
"""Object store of a local instance: the course and the results are small."""
RESCAN_S = 1.0
"""How often the driver looks for nodes that joined or left."""
NO_NODE_GRACE_S = 30.0
"""How long the driver waits for a node with a free CPU slot before giving up."""
STRAGGLERS_S = 15.0
"""Once one actor is ready, how long the start waits for the other first ones (a node whose
actor is slower than that is probed while the batch runs)."""
MAX_START_FAILURES = 3
"""Actors of one node that may fail to start before the node is refused."""
CLOSE_WAIT_S = 10.0
"""How long closing waits for the actors' statistics and their workers' clean exit."""


class ClusterError(GraderError):
    """No node of the Ray cluster can grade (exit 4): each refused node is named, with why."""


def require_ray(local_instance: bool) -> ModuleType:
    """Import Ray, or say how to install it (UsageError, exit 2).

    ``local_instance``: this process will start its own instance; it then listens on 127.0.0.1
    only, when Ray was not imported before.
    """
    if local_instance and "ray" not in sys.modules:
        os.environ.setdefault(LOOPBACK_ENV, "0")
    try:
        import ray
    except ImportError:
        raise UsageError(
            "--backend ray needs Ray, an optional extra of the grader: "
            f"{RAY_EXTRA} (in a checkout: pip install -e '.[ray]')"
        ) from None
    return ray


def node_label(ip: str, node_id: str) -> str:
    """How a node is named in warnings and in the summary: its address and the start of its id
    (several nodes may share one address, as on a test cluster)."""
    return f"{ip}/{node_id[:8]}"


@dataclass
class _Slot:
    """One grading actor, as the driver sees it."""

    id: str
    handle: Any
    node_id: str
    label: str | None = None
    """Set once the actor is ready to grade."""
    job: Job | None = None
    """The attempt in flight."""


@dataclass
class _Versions:
    grader: str
    fingerprint: str
    torch: str
    python: str

    def describe(self) -> str:
        return (
            f"grader {self.grader} (code {self.fingerprint[:12]}), torch {self.torch or '-'}, "
            f"Python {self.python}"
        )


@dataclass
class _Refusal:
    label: str
    why: str
    sandbox: bool = False
    hostname: str = ""


@dataclass
class _Progress:
    started: float = field(default_factory=time.monotonic)
    noted_wait: bool = False
    no_node_since: float | None = None


class RayBackend:
    """``--backend ray``: one actor per CPU slot of the cluster, one job per actor at a time."""

    name = "ray"

    def __init__(
        self,
        loaded: dict[str, Exercise],
        *,
        address: str | None,
        workers: int | None,
        timeout: float | None,
        require_sandbox: bool | str | None,
        warn: Callable[[str], None],
    ) -> None:
        self._address = address or os.environ.get("RAY_ADDRESS") or None
        self._ray = require_ray(local_instance=self._address is None)
        self._loaded = loaded
        self._cap = workers
        self._timeout = timeout
        self._require_sandbox = require_sandbox
        self._warn = warn
        self._pack: CoursePack | None = None
        self._course_ref: Any = None
        self._actor_class: Any = None
        self._owns_connection = False
        self._slots: dict[str, _Slot] = {}
        self._refs: dict[Any, tuple[str, str]] = {}
        """In-flight object refs -> ("ready" | "grade", slot id)."""
        self._facts: dict[str, NodeFacts] = {}
        """Node id -> what the summary says about it."""
        self._refused: dict[str, _Refusal] = {}
        self._start_failures: Counter[str] = Counter()
        self._code_warned: set[str] = set()
        self._next_id = 0
        self._last_scan = 0.0
        self._progress = _Progress()
        self._lost: list[Outcome] = []
        self._versions = _Versions(
            grader=__version__,
            fingerprint=grader_fingerprint(),
            torch=package_version("torch"),
            python=platform.python_version(),
        )

    # -- connecting and placing actors -------------------------------------------------------

    def open(self) -> None:
        ray = self._ray
        self._connect()
        from grader.batch.backends.ray_actor import GradingActor

        self._actor_class = ray.remote(
            num_cpus=1, max_concurrency=2, max_restarts=0, max_task_retries=0
        )(GradingActor)
        self._pack = pack_course(self._loaded.values())
        self._course_ref = ray.put(self._pack.data)
        self._scan()
        # Probe every node of the cluster as it is now before the driver writes anything: a
        # refused node is named up front, and the batch stops here when no node can grade.
        initial = set(self._slots)
        first_ready: float | None = None
        while True:
            self.collect(0.5)
            now = time.monotonic()
            if first_ready is None and any(s.label for s in self._slots.values()):
                first_ready = now
            pending = [i for i in initial if i in self._slots and self._slots[i].label is None]
            if first_ready is not None and (not pending or now - first_ready > STRAGGLERS_S):
                return
            waited = now - self._progress.started
            if first_ready is None and waited > 15 and not self._progress.noted_wait:
                self._progress.noted_wait = True
                print(
                    f"ray: waiting for grading actors to start ({len(pending)} placed, none "
                    f"ready after {waited:.0f} s; each imports torch on its node)",
                    file=sys.stderr,
                )

    def _connect(self) -> None:
        ray = self._ray
        if ray.is_initialized():  # a caller of the Python API connected already
            return
        common: dict[str, Any] = {"logging_level": logging.ERROR, "log_to_driver": False}
        # Ray's core installs its own SIGTERM handler (a stack dump, then death): put back the
        # one the caller had, so that `grader batch` stops as the local backend does.
        saved = {}
        if threading.current_thread() is threading.main_thread():
            saved = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            if self._address is not None:
                ray.init(address=self._address, **common)
            else:
                ray.init(
                    address="local",
                    num_cpus=self._cap or os.cpu_count() or 1,
                    include_dashboard=False,
                    object_store_memory=LOCAL_OBJECT_STORE,
                    **common,
                )
        except (ConnectionError, ValueError, RuntimeError) as exc:
            where = self._address or "a local instance"
            raise UsageError(f"--backend ray: cannot connect to Ray at {where}: {exc}") from None
        finally:
            for sig, handler in saved.items():
                if handler is not None:
                    signal.signal(sig, handler)
        self._owns_connection = True

    def _alive_nodes(self) -> dict[str, dict[str, Any]]:
        return {
            n["NodeID"]: n
            for n in self._ray.nodes()
            if n.get("Alive") and float(n.get("Resources", {}).get("CPU", 0)) >= 1
        }

    def _scan(self) -> None:
        """Drop the actors of nodes that left; place actors on nodes with free slots."""
        self._last_scan = time.monotonic()
        alive = self._alive_nodes()
        for slot in list(self._slots.values()):
            if slot.node_id not in alive:
                self._lose(slot, "its node left the cluster")
        wanted = {
            node_id: int(float(node["Resources"]["CPU"]))
            for node_id, node in alive.items()
            if node_id not in self._refused
        }
        have = Counter(s.node_id for s in self._slots.values())
        cap = self._cap if self._cap is not None else sum(wanted.values())
        while len(self._slots) < cap:
            open_nodes = [n for n in sorted(wanted) if have[n] < wanted[n]]
            if not open_nodes:
                break
            node_id = min(open_nodes, key=lambda n: have[n])
            self._place(node_id)
            have[node_id] += 1
        if self._slots:
            self._progress.no_node_since = None
        else:
            self._no_capacity(alive)

    def _place(self, node_id: str) -> None:
        from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

        assert self._pack is not None
        self._next_id += 1
        slot_id = f"actor-{self._next_id}"
        handle = self._actor_class.options(
            scheduling_strategy=NodeAffinitySchedulingStrategy(node_id=node_id, soft=False)
        ).remote(self._pack.sha256, [self._course_ref], self._timeout, self._require_sandbox)
        self._slots[slot_id] = _Slot(id=slot_id, handle=handle, node_id=node_id)
        self._refs[handle.ready.remote()] = ("ready", slot_id)

    def _no_capacity(self, alive: dict[str, dict[str, Any]]) -> None:
        """No actor is placed or running: raise when no node can ever grade this batch."""
        usable = [n for n in alive if n not in self._refused]
        if not usable and self._refused:
            lines = "; ".join(f"{r.label}: {r.why}" for r in self._refused.values())
            if all(r.sandbox for r in self._refused.values()):
                raise SandboxError(f"every node of the Ray cluster was refused: {lines}")
            raise ClusterError(f"no node of the Ray cluster can grade: {lines}")
        now = time.monotonic()
        if self._progress.no_node_since is None:
            self._progress.no_node_since = now
        elif now - self._progress.no_node_since > NO_NODE_GRACE_S:
            where = self._address or "the local instance"
            raise ClusterError(
                f"the Ray cluster at {where} has had no node with a free CPU slot for "
                f"{NO_NODE_GRACE_S:.0f} s: add a node (`ray start --address ...`) and run the "
                "batch again; it resumes from the journal"
            )

    def _refuse(
        self, node_id: str, label: str, why: str, *, sandbox: bool = False, hostname: str = ""
    ) -> None:
        if node_id in self._refused:
            return
        self._refused[node_id] = _Refusal(label, why, sandbox, hostname)
        self._warn(f"ray: node {label} refused, it grades nothing: {why}")
        for slot in [s for s in self._slots.values() if s.node_id == node_id]:
            self._lose(slot, f"its node {label} was refused")

    def _lose(self, slot: _Slot, why: str) -> None:
        """Forget an actor (dead, on a node that left, or refused); its job is retried."""
        self._slots.pop(slot.id, None)
        for ref, (_, slot_id) in list(self._refs.items()):
            if slot_id == slot.id:
                del self._refs[ref]
        if slot.job is not None:
            where = slot.label or node_label("?", slot.node_id)
            fault = f"the grading actor on node {where} was lost ({why})"
            self._lost.append(Outcome(slot.job, Attempt(fault=fault), slot.label, slot.id))
            slot.job = None
        try:
            self._ray.kill(slot.handle, no_restart=True)
        except Exception:  # already dead
            pass

    # -- the backend protocol ------------------------------------------------------------------

    def free_slots(self) -> int:
        return sum(1 for s in self._slots.values() if s.label is not None and s.job is None)

    def submit(self, job: Job) -> None:
        idle = [s for s in self._slots.values() if s.label is not None and s.job is None]
        assert idle, "submit() only when free_slots() > 0"
        elsewhere = [s for s in idle if s.id not in job.avoid]
        slot = (elsewhere or idle)[0]
        sub = job.submission
        assert sub.path is not None
        try:
            data = sub.path.read_bytes()
        except OSError as exc:
            self._lost.append(Outcome(job, Attempt(refused=f"cannot read {sub.path}: {exc}")))
            return
        slot.job = job
        ref = slot.handle.grade.remote(sub.exercise, sub.path.name, data)
        self._refs[ref] = ("grade", slot.id)

    def collect(self, timeout: float) -> list[Outcome]:
        ray = self._ray
        if time.monotonic() - self._last_scan >= RESCAN_S:
            self._scan()
        done: list[Outcome] = self._lost
        self._lost = []
        refs = list(self._refs)
        if not refs:
            if not done:
                time.sleep(min(timeout, 0.2))
            return done
        ready, rest = _interruptible(ray.wait, refs, num_returns=1, timeout=0 if done else timeout)
        if ready and rest:
            more, _ = _interruptible(ray.wait, rest, num_returns=len(rest), timeout=0)
            ready += more
        for ref in ready:
            kind, slot_id = self._refs.pop(ref, ("", ""))
            slot = self._slots.get(slot_id)
            if slot is None:
                continue
            if kind == "ready":
                self._on_ready(slot, ref)
            else:
                outcome = self._on_graded(slot, ref)
                if outcome is not None:
                    done.append(outcome)
        done += self._lost
        self._lost = []
        return done

    def _on_ready(self, slot: _Slot, ref: Any) -> None:
        ray = self._ray
        try:
            facts: dict[str, Any] = ray.get(ref)
        except ray.exceptions.RayError as exc:
            self._start_failed(slot, _first_line(exc))
            return
        label = node_label(str(facts.get("ip", "?")), str(facts.get("node_id", slot.node_id)))
        hostname = str(facts.get("hostname", ""))
        if "error" in facts:
            self._start_failed(slot, str(facts["error"]), label)
            return
        theirs = _Versions(
            grader=str(facts["grader_version"]),
            fingerprint=str(facts["fingerprint"]),
            torch=str(facts["torch"]),
            python=str(facts["python"]),
        )
        mine = self._versions
        same_python = theirs.python.split(".")[:2] == mine.python.split(".")[:2]
        if (theirs.grader, theirs.torch) != (mine.grader, mine.torch) or not same_python:
            self._refuse(
                slot.node_id,
                label,
                f"it runs {theirs.describe()}; the driver runs {mine.describe()}: install the "
                "same grader and torch on every node (docs/cluster.md)",
                hostname=hostname,
            )
            return
        if theirs.fingerprint != mine.fingerprint and slot.node_id not in self._code_warned:
            self._code_warned.add(slot.node_id)
            self._warn(
                f"ray: node {label} runs other grader code than the driver (both version "
                f"{mine.grader}; code {theirs.fingerprint[:12]} there, {mine.fingerprint[:12]} "
                "here, as in a checkout being edited): its results may differ; install the same "
                "grader on every node (docs/cluster.md)"
            )
        from grader.runner.api import active_layers, check_sandbox

        info = {"layers": facts.get("layers") or {}}
        try:
            check_sandbox(info, self._require_sandbox)
        except SandboxError as exc:
            self._refuse(slot.node_id, label, exc.message, sandbox=True, hostname=hostname)
            return
        slot.label = label
        node = self._facts.setdefault(slot.node_id, NodeFacts(label=label, hostname=hostname))
        node.sandbox_layers = active_layers(info)
        node.course_fetches += bool(facts.get("fetched_course"))
        node.slots = max(node.slots, sum(1 for s in self._slots.values() if s.label == label))

    def _start_failed(self, slot: _Slot, why: str, label: str | None = None) -> None:
        where = label or node_label("?", slot.node_id)
        self._lose(slot, "it did not start")
        self._start_failures[slot.node_id] += 1
        if self._start_failures[slot.node_id] >= MAX_START_FAILURES:
            self._refuse(
                slot.node_id,
                where,
                f"{MAX_START_FAILURES} grading actors failed to start there; the last: {why}",
            )

    def _on_graded(self, slot: _Slot, ref: Any) -> Outcome | None:
        ray = self._ray
        job, slot.job = slot.job, None
        if job is None:
            return None
        try:
            result: Attempt = ray.get(ref)
        except ray.exceptions.RayError as exc:
            slot.job = job  # _lose hands it back as a fault
            self._lose(slot, _first_line(exc))
            return None
        if result.sandbox is not None:
            # The node's probe passed, yet an executor lacked a layer: refuse the node and
            # grade this submission elsewhere.
            assert slot.label is not None
            self._refuse(slot.node_id, slot.label, result.sandbox, sandbox=True)
            result = Attempt(fault=f"node {slot.label} refused: {result.sandbox}")
        return Outcome(job, result, slot.label, slot.id)

    def busy(self) -> Busy | None:
        ready = [s for s in self._slots.values() if s.label is not None]
        working = [s for s in ready if s.job is not None]
        return Busy(
            busy=len(working),
            slots=len(ready),
            nodes=len({s.node_id for s in working}),
            all_nodes=len({s.node_id for s in ready}),
        )

    def nodes(self) -> dict[str, NodeFacts]:
        nodes = {facts.label: facts for facts in self._facts.values()}
        for node_id, refusal in self._refused.items():
            facts = self._facts.get(node_id) or NodeFacts(refusal.label, refusal.hostname)
            facts.refused = refusal.why
            nodes[refusal.label] = facts
        return nodes

    def stop(self) -> None:
        for slot in self._slots.values():
            if slot.job is not None:
                try:
                    slot.handle.stop.remote()
                except Exception:
                    pass

    def close(self) -> Costs:
        ray = self._ray
        costs = Costs()
        if not ray.is_initialized():
            return costs
        ready = [s for s in self._slots.values() if s.label is not None]
        stats = [s.handle.stats.remote() for s in ready]
        closing = [s.handle.close.remote() for s in ready]
        try:
            got, _ = ray.wait(stats, num_returns=len(stats), timeout=CLOSE_WAIT_S)
            facts = [ray.get(r) for r in got]
            costs.slot_cpu_s = sum(float(f["cpu_s"]) for f in facts)
            costs.slot_start_cpu_s = sum(float(f["start_cpu_s"]) for f in facts)
            ray.wait(closing, num_returns=len(closing), timeout=CLOSE_WAIT_S)
        except ray.exceptions.RayError:
            pass
        for slot in list(self._slots.values()):
            try:
                ray.kill(slot.handle, no_restart=True)
            except Exception:
                pass
        self._slots.clear()
        self._refs.clear()
        if self._owns_connection:
            ray.shutdown()
        return costs


def _interruptible(call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``call`` (a blocking Ray call), letting a signal handler's exception through as itself:
    Ray's core wraps one raised while it waits (the CLI's SIGTERM -> stop) in a SystemError."""
    try:
        return call(*args, **kwargs)
    except SystemError as exc:
        if isinstance(exc.__cause__, Exception) and not isinstance(exc.__cause__, SystemError):
            raise exc.__cause__ from None
        raise


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}".strip()
