"""The embedded store: a persistent Oxigraph database in a folder (or in memory)."""
from __future__ import annotations

import errno
import sqlite3
import sys
from collections.abc import Callable, Iterator
from itertools import count
from pathlib import Path

import pyoxigraph as ox

from ..search import SearchIndex
from ..store import EXPORT_FORMATS, PREFIX_MAP, DiskFull, ReadOnlyStore, Store, StoreError

SEARCH_FILE = "search.sqlite"

# Oxigraph reports RocksDB's I/O errors as OSError without an errno: the message carries strerror.
NO_SPACE = "No space left on device"
READ_ONLY_FS = "Read-only file system"
DENIED = "Permission denied"
LOCKED = ("No locks available", "lock hold by", "Resource temporarily unavailable")


def is_disk_full(err: BaseException) -> bool:
    return getattr(err, "errno", None) == errno.ENOSPC or NO_SPACE in str(err)


def is_read_only(err: BaseException) -> bool:
    return getattr(err, "errno", None) in (errno.EROFS, errno.EACCES) or any(
        m in str(err) for m in (READ_ONLY_FS, DENIED))


def write_error(path: Path | None, err: OSError) -> Exception:
    """The error to raise for a failed write: DiskFull or ReadOnlyStore with a message that says so,
    else the OSError itself."""
    if is_disk_full(err):
        return DiskFull(f"disk full: no space left on the device of the store in {path}; free some space, "
                        f"until then no write can be stored ({err})")
    if is_read_only(err):
        return ReadOnlyStore(f"the store in {path} is on a read-only file system (or not writable): {err}")
    return err


def open_hint(err: BaseException) -> str:
    """What to do about a store that did not open, judged on the error itself."""
    if is_disk_full(err):
        return "disk full: free some space on its device, then try again"
    if is_read_only(err):
        return ("the folder is read-only or not writable: commands that only read (kg query, kg export, "
                "kg stats) work, and kg serve without KG_API_TOKEN serves it read-only")
    if any(m in str(err) for m in LOCKED) or isinstance(err, RuntimeError):
        return "is another kg process, such as kg serve, using it?"
    return "is it a kg data folder?"


def announce(done: int, total: int) -> None:
    """Progress of a search index rebuilt on opening a store, on stderr."""
    if total:
        end = "\n" if done == total else "\r"
        print(f"kg: building the search index from the store: {done}/{total} articles", end=end,
              file=sys.stderr, flush=True)


class OxigraphStore(Store):
    def __init__(self, path: Path | None = None, read_only: bool = False, create: bool = True,
                 search: bool = True):
        """A persistent store in the folder `path`, or an in-memory one. A read-only store can be
        opened while another process (kg serve, kg ingest) writes to the same folder. Only a
        writable one with `create` is made where there is none. Without `search`, no search index
        is kept (one already there is marked stale, to be rebuilt when it is used again)."""
        self.path = path
        # Writes through this object are the only ones: a writable store locks its folder, and a
        # read-only one must not be open while another process writes.
        self._versions = count(1)
        self._version = 0
        self.read_only = read_only
        self._search: SearchIndex | bool | None = None  # opened at once when writable, on first use when read-only
        self._search_fresh = False
        try:
            if path is None:
                self.ox = ox.Store()
            elif (read_only or not create) and not (path / "oxigraph").exists():
                raise StoreError(f"no store in {path}: run kg ingest first")
            elif read_only:
                self.ox = ox.Store.read_only(str(path / "oxigraph"))
            else:
                path.mkdir(parents=True, exist_ok=True)
                self.ox = ox.Store(str(path / "oxigraph"))
        except (OSError, RuntimeError) as err:  # RuntimeError: read-only while the store is being created
            error = DiskFull if is_disk_full(err) else ReadOnlyStore if is_read_only(err) else StoreError
            raise error(f"cannot open the store in {path}: {err} ({open_hint(err)})") from None
        if not search:
            self._search = False
            if not read_only and path is not None and (path / SEARCH_FILE).exists():
                SearchIndex(path / SEARCH_FILE).mark_stale()
        elif not read_only:
            self._search = self._open_search()

    @property
    def version(self) -> int:
        return self._version

    # --- the search index, in step with every write (kg/search.py) --------------------------
    @property
    def search(self) -> SearchIndex | None:
        """The index, when it holds what the store holds; None while it does not (searches then scan)."""
        if self._search is None:  # a read-only store opens it on first use
            self._search = self._open_search()
        return self._search if self._search and self._search_fresh else None

    def _open_search(self) -> SearchIndex | bool:
        """The index beside the store. A writable open first repairs it: the articles a crash left in
        its journal are read again, a stale or missing one is rebuilt. A read-only open takes it as
        it is (False when there is none)."""
        file = None if self.path is None else self.path / SEARCH_FILE
        if self.read_only:
            try:
                index = SearchIndex(file, read_only=True) if file.exists() else None
                self._search_fresh = bool(index and index.fresh())
                return index or False
            except sqlite3.Error:
                return False
        index = SearchIndex(file)
        if index.stale:
            self.reindex(index, progress=None if self.path is None else announce)
        for article in index.pending():
            index.put(article, self._ntriples(article))
        self._search_fresh = True
        return index

    def _ntriples(self, graph: str) -> str | None:
        if not self.ox.contains_named_graph(ox.NamedNode(graph)):
            return None
        return self.export("ntriples", graph).decode()

    def reindex(self, index: SearchIndex | None = None,
                progress: Callable[[int, int], None] | None = None) -> None:
        """The search index rebuilt from every graph in the store."""
        index = index or self._search
        graphs = sorted(self.graphs())
        index.rebuild(((g, lambda g=g: self._ntriples(g) or "") for g in graphs), len(graphs), progress)
        self._search_fresh = True

    # --- writing ----------------------------------------------------------------------------
    def _execute(self, sparql: str) -> None:
        try:
            self.ox.update(sparql)
        except OSError as err:
            raise write_error(self.path, err) from None
        finally:  # after the write, so nothing read before it is ever cached under the new version
            self._version = next(self._versions)

    def load(self, data: bytes, format: ox.RdfFormat = ox.RdfFormat.N_QUADS) -> None:
        """Add a dump (kg export's N-Quads, say) in bulk; the search index is rebuilt after it."""
        try:
            self.ox.load(data, format=format)
        except OSError as err:
            raise write_error(self.path, err) from None
        finally:
            self._version = next(self._versions)
        if self._search:
            self.reindex()

    def own_update(self, sparql: str) -> None:
        self._execute(sparql)

    def update(self, sparql: str) -> None:
        """A SPARQL Update may change any statement or name: the search index is rebuilt after it."""
        if self._search:
            self._search_fresh = False
            self._search.mark_stale()
        self._execute(sparql)
        if self._search:
            self.reindex()

    def replace_ntriples(self, graph: str, ntriples: str) -> None:
        self._journal(graph)
        self._execute(f"DROP SILENT GRAPH <{graph}> ; INSERT DATA {{ GRAPH <{graph}> {{ {ntriples} }} }}")
        self._index(graph, ntriples)

    def delete_graph(self, iri: str) -> bool:
        if not self.ox.contains_named_graph(ox.NamedNode(iri)):
            return False
        self._journal(iri)
        self._execute(f"DROP GRAPH <{iri}>")
        self.drop_inferred_from(iri)
        self._index(iri, None)
        return True

    def _journal(self, graph: str) -> None:
        if self._search:
            try:
                self._search.begin(graph)
            except sqlite3.OperationalError as err:
                raise self._index_error(err) from None

    def _index(self, graph: str, ntriples: str | None) -> None:
        if self._search:
            try:
                self._search.put(graph, ntriples)
            except sqlite3.OperationalError as err:  # stored, not indexed: the journal repairs it on the next open
                self._search_fresh = False
                raise self._index_error(err) from None

    def _index_error(self, err: sqlite3.OperationalError) -> Exception:
        if "full" in str(err):
            return DiskFull(f"disk full: no space left for the search index in {self.path}; free some space "
                            f"({err})")
        return StoreError(f"the search index in {self.path} cannot be written: {err}")

    def reader_location(self) -> str | None:
        return None if self.path is None else str(self.path)

    def flush(self) -> None:
        if self.path is not None:
            try:
                self.ox.flush()
            except OSError as err:
                raise write_error(self.path, err) from None

    def query(self, sparql: str, *, default_graph: list[str] | None = None,
              named_graphs: list[str] | None = None):
        kwargs = {}
        if default_graph:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graph]
        else:
            kwargs["use_default_graph_as_union"] = True
        if named_graphs:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        return self.ox.query(sparql, **kwargs)

    def graphs(self) -> Iterator[str]:
        return (g.value for g in self.ox.named_graphs())

    def export(self, fmt: str, graph: str | None = None) -> bytes:
        rdf_format = EXPORT_FORMATS[fmt]
        prefixes = {"prefixes": PREFIX_MAP} if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else {}
        if graph is not None:
            return self.ox.dump(format=rdf_format, from_graph=ox.NamedNode(graph), **prefixes)
        if rdf_format.supports_datasets:
            return self.ox.dump(format=rdf_format, **prefixes)
        union = self.ox.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
        return ox.serialize(union, format=rdf_format, **prefixes)

    def __len__(self) -> int:
        return len(self.ox)
