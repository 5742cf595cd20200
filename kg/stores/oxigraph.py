"""The embedded store: a persistent Oxigraph database in a folder (or in memory)."""
from __future__ import annotations

import errno
from collections.abc import Iterator
from itertools import count
from pathlib import Path

import pyoxigraph as ox

from ..store import EXPORT_FORMATS, PREFIX_MAP, DiskFull, ReadOnlyStore, Store, StoreError

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


class OxigraphStore(Store):
    def __init__(self, path: Path | None = None, read_only: bool = False, create: bool = True):
        """A persistent store in the folder `path`, or an in-memory one. A read-only store can be
        opened while another process (kg serve, kg ingest) writes to the same folder. Only a
        writable one with `create` is made where there is none."""
        self.path = path
        # Writes through this object are the only ones: a writable store locks its folder, and a
        # read-only one must not be open while another process writes.
        self._versions = count(1)
        self._version = 0
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

    @property
    def version(self) -> int:
        return self._version

    def update(self, sparql: str) -> None:
        try:
            self.ox.update(sparql)
        except OSError as err:
            raise write_error(self.path, err) from None
        finally:  # after the write, so nothing read before it is ever cached under the new version
            self._version = next(self._versions)

    def replace_ntriples(self, graph: str, ntriples: str) -> None:
        self.update(f"DROP SILENT GRAPH <{graph}> ; INSERT DATA {{ GRAPH <{graph}> {{ {ntriples} }} }}")

    def delete_graph(self, iri: str) -> bool:
        if not self.ox.contains_named_graph(ox.NamedNode(iri)):
            return False
        self.update(f"DROP GRAPH <{iri}>")
        self.drop_inferred_from(iri)
        return True

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
