"""Networks kept between requests: each projection, its metrics and its files are computed once per
store version (Store.version changes on every write), so repeated GET /network and /analytics
requests with the same filters cost only their answer. A store without a version (a remote endpoint
that others may write to) is projected afresh for every request."""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

import networkx as nx

from ..store import Store
from ..vocab import Iris
from . import export, metrics
from .projection import Filters, project


class Network:
    """One projection; its metrics and files are computed on first use, once however many requests
    ask at the same time. Readers must not change what they get."""

    def __init__(self, make: Callable[[], nx.Graph]):
        self._make = make
        self._done: dict = {}
        self._lock = threading.Lock()

    def _once(self, key, compute: Callable[[], object]):
        with self._lock:
            if key not in self._done:
                self._done[key] = compute()
            return self._done[key]

    @property
    def graph(self) -> nx.Graph:
        return self._once("graph", self._make)

    def metrics(self) -> dict[str, dict[str, float]]:
        graph = self.graph
        return self._once("metrics", lambda: metrics.compute(graph))

    def communities(self, resolution: float = 1.0) -> list[set[str]]:
        graph = self.graph
        return self._once(("communities", resolution), lambda: metrics.communities(graph, resolution))

    def file(self, fmt: str) -> bytes:
        """The network with its metrics in one of export.FORMATS."""
        graph, table = self.graph, self.metrics()
        return self._once(("file", fmt), lambda: export.write(graph, fmt, table))


class Networks:
    """The networks of the last `size` filter settings asked for, at the store's current version."""

    def __init__(self, store: Store, iris: Iris, size: int = 8):
        self.store, self.iris, self.size = store, iris, size
        self._kept: OrderedDict[tuple, Network] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, kind: str, filters: Filters) -> Network:
        version = self.store.version
        network = Network(lambda: project(self.store, self.iris, kind, filters))
        if version is None:
            return network
        key = (version, kind, filters)
        with self._lock:
            for old in [k for k in self._kept if k[0] != version]:
                del self._kept[old]
            network = self._kept.setdefault(key, network)
            self._kept.move_to_end(key)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)
        return network
