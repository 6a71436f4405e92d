"""Dataset bundles: a run's observed data, code tables and truth as Parquet files in one folder.

Layout: observed tables at the root, ``codes/`` for code tables, ``truth/`` for what really happened
(including ``truth/scenario.json``, the planted parameters), ``DATA_DICTIONARY.md`` and ``manifest.json``
(version, resolved scenario, seed, creation time, and every file with rows and sha256).

Writing is atomic: everything is written into a hidden temporary sibling folder that is renamed to the final
name only when complete, so an interrupted write never leaves a folder under the final name. An existing
folder is replaced only with ``force`` and only when it is a bundle (or empty). Tables are encoded by a
writer thread while the instruments observe the run; once they are done, the calling thread helps with the
tables still queued.
"""

from __future__ import annotations

import copy
import hashlib
import io
import itertools
import json
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from bipsim.contract.codes import benefit_code_table
from bipsim.contract.files import move_into_place, output_problem, remove_sibling, temporary_sibling
from bipsim.contract.schema import CITIZEN, CODES, OBSERVED, TABLES, TRUTH, WEEK, Table, conform
from bipsim.contract.themes import theme_table
from bipsim.contract.version import VERSION
from bipsim.contract.vocabulary import (
    CASEWORKER_STYLES,
    EVENT_KINDS,
    INDICATORS,
    INTERVENTIONS,
    ORIENTATIONS,
    SECTORS,
    STATUSES,
    code_table,
)
from bipsim.dataset.dictionary import data_dictionary

FORMAT = "bipsim-bundle"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DICTIONARY = "DATA_DICTIONARY.md"
SCENARIO_FILE = "truth/scenario.json"
BUNDLE_FILES = len(TABLES) + 2  # tables, then the documents and the manifest: the steps of ``progress``


TableSink = Callable[[str, pd.DataFrame], None]


class BundleSource(Protocol):
    """What a bundle is written from: a finished run that hands over its tables as it makes them.

    :class:`bipsim.instruments.Study` is the source of a simulated run; anything else that can describe
    itself and produce the tables of :data:`bipsim.contract.schema.TABLES` can be written the same way.
    """

    def describe(self) -> dict[str, Any]:
        """The run's manifest fields: seed, scenario_name, scenario, weeks, citizens, random_streams."""

    def produce(self, on_truth: TableSink, on_observed: TableSink) -> None:
        """Make every truth and observed table, calling the sink with each ``(name, frame)`` as it is made."""


class BundleError(Exception):
    """A folder that cannot be used as a bundle (missing, not a bundle, damaged, or in the way)."""


class BundleExistsError(BundleError):
    """The target folder exists and ``force`` was not given."""


def code_tables() -> dict[str, pd.DataFrame]:
    """Build the code tables of a bundle from the package's vocabulary tables."""
    return {
        "benefit_codes": benefit_code_table(),
        "indicators": pd.DataFrame(
            [
                {**row, "answered_by": ", ".join(i.answered_by), "confirmed": i.confirmed}
                for row, i in zip(code_table(INDICATORS), INDICATORS, strict=True)
            ]
        ),
        "statuses": pd.DataFrame(
            [{**row, "on_benefit": s.on_benefit} for row, s in zip(code_table(STATUSES), STATUSES, strict=True)]
        ),
        "interventions": pd.DataFrame(
            [{**row, "kind": i.kind} for row, i in zip(code_table(INTERVENTIONS), INTERVENTIONS, strict=True)]
        ),
        "themes": pd.DataFrame(theme_table()),
        "event_kinds": pd.DataFrame(code_table(EVENT_KINDS)),
        "sectors": pd.DataFrame(code_table(SECTORS)),
        "caseworker_styles": pd.DataFrame(code_table(CASEWORKER_STYLES)),
        "orientations": pd.DataFrame(code_table(ORIENTATIONS)),
    }


def file_sha256(path: Path) -> str:
    """The sha256 of a file, read in blocks (used to verify bundles and observed folders)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _parquet_options(spec: Table) -> dict[str, Any]:
    # Dictionary encoding pays for ids, codes and categories, which repeat; continuous floats rarely do, so
    # trying it on them costs time and space for nothing. Categories must keep it to keep unused categories.
    # Min/max statistics help readers skip row groups by number; the min and max label of a category do not.
    # Citizen ids and weeks come in runs and steps of one: delta encoding packs them smaller and faster than a
    # dictionary does.
    stepped = [c.name for c in spec.columns if c in (CITIZEN, WEEK)]
    return {
        "compression": "snappy",
        "use_dictionary": [c.name for c in spec.columns if not c.dtype.startswith("float") and c.name not in stepped],
        "column_encoding": dict.fromkeys(stepped, "DELTA_BINARY_PACKED"),
        "write_statistics": [c.name for c in spec.columns if c.dtype != "category"],
    }


def write_table(spec: Table, frame: pd.DataFrame, folder: Path) -> dict[str, Any]:
    """Validate ``frame`` against ``spec``, write it as Parquet under ``folder``; return its manifest entry."""
    data = conform(spec, frame)
    path = folder / spec.file
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        sink = _HashingSink(handle)  # hashed as written: neither a second read nor the whole file in memory
        pq.write_table(pa.Table.from_pandas(data, preserve_index=False), sink, **_parquet_options(spec))
    return {"file": spec.file, "kind": spec.kind, "rows": len(data), "sha256": sink.digest.hexdigest()}


class _HashingSink(io.RawIOBase):
    """A binary file that computes the sha256 of the bytes written through it."""

    def __init__(self, handle: io.BufferedWriter) -> None:
        super().__init__()
        self.handle = handle
        self.digest = hashlib.sha256()
        self.position = 0

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | memoryview) -> int:  # type: ignore[override]
        self.digest.update(data)
        self.position += len(data)
        return self.handle.write(data)

    def tell(self) -> int:
        return self.position


def _write_text(folder: Path, name: str, text: str) -> dict[str, Any]:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return {"file": name, "sha256": file_sha256(path)}


def check_target(target: Path, force: bool) -> None:
    """Raise :class:`BundleError` unless a bundle can be written at ``target``.

    Its parent must be a folder this process can write in, and ``target`` free, or replaceable with ``force``.
    """
    problem = output_problem(target)
    if problem is not None:
        raise BundleError(f"{target}: {problem}")
    if not target.exists():
        return
    if not force:
        raise _exists(target)
    if not target.is_dir():
        raise BundleError(f"{target} exists and is not a folder; it will not be replaced")
    if any(target.iterdir()) and not (target / MANIFEST).is_file():
        raise BundleError(
            f"{target} exists and is not a bundle (no {MANIFEST}); it will not be replaced even with force"
        )


def write_bundle(
    source: BundleSource,
    directory: str | Path,
    force: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """Write the bundle of a finished run (its :class:`BundleSource`) to ``directory`` atomically; return its path.

    Raises :class:`BundleExistsError` when the folder exists and ``force`` is false. ``progress(done,
    total)`` is called after each file.
    """
    target = Path(directory).absolute()
    check_target(target, force)
    total = BUNDLE_FILES

    temporary = temporary_sibling(target)
    try:
        with _TableWriter(temporary) as writer:
            # The writer thread encodes each truth table as soon as it is made, while the rest of the truth and
            # the instruments are built, and then each observed table as soon as it is made: Parquet encoding
            # releases the GIL, so they overlap. The small code tables are mostly Python and would wait for the
            # GIL on the writer thread; this thread writes them once it is free, then helps with the tables
            # still queued.
            pending = []
            truth_specs = {spec.name: spec for spec in TRUTH}
            observed_specs = {spec.name: spec for spec in OBSERVED}

            def write_truth(name: str, frame: pd.DataFrame) -> None:
                pending.append((truth_specs[name], writer.submit(truth_specs[name], frame)))

            def write_observed(name: str, frame: pd.DataFrame) -> None:
                pending.append((observed_specs[name], writer.submit(observed_specs[name], frame)))

            source.produce(write_truth, write_observed)  # the writer starts on the first table at once
            codes = code_tables()
            written = [(spec, writer.write(spec, codes[spec.name])) for spec in CODES]
            writer.help()
            entries = {}
            results = itertools.chain(written, ((spec, future.result()) for spec, future in pending))
            for done, (spec, entry) in enumerate(results, start=1):
                entries[spec.name, spec.kind] = entry
                if progress is not None:
                    progress(done, total)
        tables = {spec.file.removesuffix(".parquet"): entries[spec.name, spec.kind] for spec in TABLES}
        about = source.describe()
        parameters = about["scenario"]
        documents = {
            DICTIONARY: _write_text(temporary, DICTIONARY, data_dictionary()),
            SCENARIO_FILE: _write_text(temporary, SCENARIO_FILE, json.dumps(parameters, indent=2)),
        }
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "bipsim_version": VERSION,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "seed": about["seed"],
            "scenario_name": about["scenario_name"],
            "scenario": parameters,
            "weeks": about["weeks"],
            "citizens": about["citizens"],
            "random_streams": about["random_streams"],
            "tables": tables,
            "documents": documents,
        }
        _write_text(temporary, MANIFEST, json.dumps(manifest, indent=2))
        if progress is not None:
            progress(total, total)
        _replace(temporary, target, force)
    except BaseException:
        remove_sibling(temporary)
        raise
    return target


class _TableWriter:
    """Writes queued tables on its own thread, in the order submitted; stops at the first failure.

    The submitting thread can :meth:`help` once it has nothing else to do: it then takes queued tables too,
    so the last tables are encoded on two cores instead of one.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._stopped = threading.Event()
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._work, name="bipsim-bundle", daemon=True)
        self._thread.start()

    def __enter__(self) -> _TableWriter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if exc_info[0] is not None:
            self.stop()
        self._jobs.put(None)
        self.join()

    def join(self) -> None:
        """Wait for the writer thread to end, even through Ctrl+C.

        The folder is removed only once nothing writes into it: a table still being encoded would recreate it.
        """
        interrupted = None
        while self._thread.is_alive():
            try:
                self._thread.join()
            except KeyboardInterrupt as exc:
                interrupted = exc
                self.stop()
        if interrupted is not None:
            raise interrupted

    def submit(self, spec: Table, frame: pd.DataFrame) -> Future[dict[str, Any]]:
        """Queue ``frame`` for :func:`write_table`; the future gives its manifest entry."""
        future: Future[dict[str, Any]] = Future()
        self._jobs.put((spec, frame, future))
        return future

    def help(self) -> None:
        """Write queued tables in the calling thread until the queue is empty."""
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                return
            if job is None:  # the writer's own end mark: leave it for the writer
                self._jobs.put(None)
                return
            self._run(*job)

    def stop(self) -> None:
        """Skip the tables still queued (the bundle is being abandoned)."""
        self._stopped.set()

    def write(self, spec: Table, frame: pd.DataFrame) -> dict[str, Any]:
        """Write ``frame`` in the calling thread, unless an earlier table failed; return its manifest entry."""
        if self._stopped.is_set():
            # The first failure is the one to report, whichever thread meets the stop. Raised as a copy: raising
            # the same exception again would lengthen its traceback by these frames for every table skipped.
            if self._failure is None:
                raise BundleError("bundle writing stopped")
            raise copy.copy(self._failure).with_traceback(self._failure.__traceback__) from self._failure.__cause__
        try:
            return write_table(spec, frame, self.folder)
        except BaseException as exc:
            self._failure = self._failure or exc
            self.stop()
            raise

    def _run(self, spec: Table, frame: pd.DataFrame, future: Future[dict[str, Any]]) -> None:
        try:
            future.set_result(self.write(spec, frame))
        except BaseException as exc:  # noqa: BLE001 - handed to whoever waits for the table
            future.set_exception(exc)

    def _work(self) -> None:
        while (job := self._jobs.get()) is not None:
            self._run(*job)


def _replace(temporary: Path, target: Path, force: bool) -> None:
    """Move the finished temporary folder to ``target``, replacing an existing bundle only with ``force``.

    ``target`` is checked again: another writer may have put something there while this bundle was made.
    """
    check_target(target, force)
    try:
        move_into_place(temporary, target, replace=force)
    except FileExistsError:
        raise _exists(target) from None


def _exists(target: Path) -> BundleExistsError:
    return BundleExistsError(
        f"{target} already exists; choose another folder or pass --force (force=True) to replace it"
    )


# --- reading -------------------------------------------------------------------------------------------------


def read_manifest(directory: str | Path) -> dict[str, Any]:
    """Read and check a bundle's manifest; raises :class:`BundleError` when the folder is not a bundle."""
    path = Path(directory)
    if not path.is_dir():
        raise BundleError(f"{path}: no such folder")
    manifest_path = path / MANIFEST
    if not manifest_path.is_file():
        raise BundleError(f"{path}: not a bipsim bundle (no {MANIFEST})")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BundleError(f"{manifest_path}: unreadable manifest ({exc})") from None
    if (
        not isinstance(manifest, dict)
        or manifest.get("format") != FORMAT
        or not isinstance(manifest.get("tables"), dict)
    ):
        raise BundleError(f"{manifest_path}: not a bipsim bundle manifest")
    check_sealed(path, manifest)
    return manifest


DECLARED_FILES = {
    **{(spec.name if spec.kind == "observed" else f"{spec.kind}/{spec.name}"): spec.file for spec in TABLES},
}
DOCUMENT_FILES = {DICTIONARY: DICTIONARY, SCENARIO_FILE: SCENARIO_FILE}


def inside(folder: Path, file: Path) -> bool:
    """Whether ``file``, with every link followed, lies inside ``folder``."""
    try:
        file.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def check_sealed(path: Path, manifest: dict[str, Any]) -> None:
    """Refuse a manifest that could make a reader open a file other than the declared one.

    Every entry must be a table or document of the schema, at its declared place (``survey`` at
    ``survey.parquet``, never under ``truth/``, never outside the bundle), with a sha256; a file that is a
    link must not lead out of the bundle or, for observed tables, into ``truth/``.
    """
    where = path / MANIFEST
    documents = manifest.get("documents", {})
    if not isinstance(documents, dict):
        raise BundleError(f"{where}: 'documents' must be a mapping of document entries")
    for group, declared in (("tables", DECLARED_FILES), ("documents", DOCUMENT_FILES)):
        for key, entry in (manifest["tables"] if group == "tables" else documents).items():
            if key not in declared:
                raise BundleError(f"{where}: {group} entry {key!r} is not a table or document of the schema")
            if not isinstance(entry, dict) or not isinstance(entry.get("file"), str) or "sha256" not in entry:
                raise BundleError(f"{where}: {group} entry {key!r} must have a 'file' and a 'sha256'")
            if entry["file"] != declared[key]:
                raise BundleError(
                    f"{where}: {group} entry {key!r} names {entry['file']!r}; it must be {declared[key]!r}"
                )
            file = path / entry["file"]
            if file.exists() and not inside(path, file):
                raise BundleError(f"{where}: {entry['file']} leads outside the bundle")
            if "/" not in declared[key] and file.exists() and inside(path / "truth", file):
                raise BundleError(f"{where}: observed table {entry['file']} leads into truth/")


def verify(directory: str | Path) -> list[str]:
    """Check every file of a bundle against its manifest; return the problems found (empty when intact)."""
    path = Path(directory)
    manifest = read_manifest(path)
    problems = []
    for entry in [*manifest["tables"].values(), *manifest.get("documents", {}).values()]:
        file = path / entry["file"]
        if not file.is_file():
            problems.append(f"{entry['file']}: missing")
        elif file_sha256(file) != entry["sha256"]:
            problems.append(f"{entry['file']}: sha256 does not match the manifest")
    return problems


@dataclass
class TruthTables:
    """Lazy access to a bundle's truth: each table is read on first access (``bundle.truth.events``)."""

    path: Path
    entries: dict[str, dict[str, Any]]
    _cache: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name in ("path", "entries"):
            raise AttributeError(name)
        if name == "scenario":
            return json.loads((self.path / SCENARIO_FILE).read_text(encoding="utf-8"))
        key = f"truth/{name}"
        if key not in self.entries:
            raise AttributeError(f"no truth table {name!r}; available: {', '.join(self.names)}")
        if name not in self._cache:
            self._cache[name] = _read_parquet(self.path / self.entries[key]["file"])
        return self._cache[name]

    @property
    def names(self) -> list[str]:
        return [k.removeprefix("truth/") for k in self.entries if k.startswith("truth/")]


@dataclass
class Bundle:
    """A bundle read from disk: ``manifest``, the observed tables by name, code tables, and lazy ``truth``."""

    path: Path
    manifest: dict[str, Any]
    tables: dict[str, pd.DataFrame]
    codes: dict[str, pd.DataFrame]
    truth: TruthTables

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)


def _read_parquet(path: Path) -> pd.DataFrame:
    try:
        return pq.read_table(path).to_pandas()
    except (OSError, pa.ArrowException) as exc:
        raise BundleError(f"{path}: unreadable table ({exc})") from None


def read_bundle(directory: str | Path, verify_hashes: bool = True) -> Bundle:
    """Read a bundle; raises :class:`BundleError` when the folder is not a valid, intact bundle."""
    path = Path(directory)
    manifest = read_manifest(path)
    if verify_hashes:
        problems = verify(path)
        if problems:
            raise BundleError(f"{path}: damaged bundle: " + "; ".join(problems))
    entries = manifest["tables"]
    observed = {spec.name: _read_parquet(path / spec.file) for spec in OBSERVED if spec.name in entries}
    missing = [spec.name for spec in OBSERVED if spec.name not in entries]
    if missing:
        raise BundleError(f"{path}: manifest lists no observed table(s) {missing}")
    codes = {spec.name: _read_parquet(path / spec.file) for spec in CODES if f"codes/{spec.name}" in entries}
    return Bundle(path=path, manifest=manifest, tables=observed, codes=codes, truth=TruthTables(path, entries))
