"""Compiled word lists kept on disk between runs of the command line.

Compiling one language's lists (its TOML file, the lemma table, ~700 phrases, the
matcher's indexes, a few regular expressions) takes 10 to 20 ms, the largest part of a
one-file ``email-crisis lint`` after its imports. The command line turns this cache on
(``enable``); then each compiled object is kept in the user cache folder, in a pickle
named after a checksum of everything it was built from: the data files and the source
of the modules that define the compiled objects, with the Python version. An edited word
list, a new version or another Python misses and is rebuilt; a missing, truncated or
unreadable entry is rebuilt; a folder that cannot be written is simply not used. The
newest few entries of each list are kept (``KEEP``), so two installed versions (or two
checkouts) used in turn do not rebuild each other's lists on every run. A
pickle runs code when it is loaded, so the folder is made private (0700, files 0600),
and an entry is read only when it and its folder belong to this user and nobody else may
write them.

Off by default, so the console and the tests build in memory as before.
``EMAIL_CRISIS_LINT_CACHE`` names another folder, or ``off`` to turn it off.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import zlib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TypeVar

from email_crisis.core.base.folders import user_folder

CACHE_ENV = "EMAIL_CRISIS_LINT_CACHE"
FORMAT = 3
"""Bumped when what is pickled changes in a way the source checksums cannot see."""

_HERE = Path(__file__).resolve().parent
CODE = tuple(_HERE / name for name in ("lexicon.py", "tokens.py", "scope.py", "model.py"))
"""Modules whose classes and functions make the compiled objects."""

KEEP = 4
"""Entries kept per list: the newest, whatever versions of the code wrote them."""

T = TypeVar("T")
_folder: Path | None = None


def default_folder(env: Mapping[str, str] = os.environ) -> Path | None:
    """``$EMAIL_CRISIS_LINT_CACHE``, else ``lint`` in the user cache folder; ``None``
    when the variable says ``off``."""
    chosen = env.get(CACHE_ENV)
    if chosen is not None and chosen.strip().lower() in ("off", "0", "no", "false"):
        return None
    if chosen:
        return Path(chosen).expanduser()
    return user_folder("cache") / "lint"


def enable(folder: Path | None) -> None:
    """Keep compiled word lists in ``folder`` from now on (``None``: not at all)."""
    global _folder
    _folder = folder


def cached(name: str, sources: Iterable[Path], build: Callable[[], T]) -> T:
    """``build()``, or what an earlier ``build()`` from the same ``sources`` returned."""
    folder = _folder
    if folder is None:
        return build()
    try:
        crc = adler = 1
        for path in (*sources, *CODE):
            data = path.read_bytes()
            crc, adler = zlib.crc32(data, crc), zlib.adler32(data, adler)
    except OSError:
        return build()  # the build reports a missing data file its own way
    version = f"{sys.implementation.cache_tag}-{FORMAT}-{crc:08x}{adler:08x}"
    entry = folder / f"{name}-{version}.pickle"
    try:
        import _pickle as pickle  # what pickle.load is, without pickle.py's imports (~2 ms)
    except ImportError:  # an interpreter without the C accelerator
        import pickle
    try:
        if _trusted(folder) and _trusted(entry):
            with entry.open("rb") as stream:
                return pickle.load(stream)
    except Exception:  # missing, truncated, or from code that no longer matches
        pass
    value = build()
    _store(folder, name, entry, value)
    return value


def _trusted(path: Path) -> bool:
    """A pickle runs code when loaded: only files and folders of this user that nobody
    else may write are read (not a link, not group- or world-writable)."""
    status = path.lstat()
    if stat.S_ISLNK(status.st_mode) or status.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return False
    return not hasattr(os, "getuid") or status.st_uid == os.getuid()


def _store(folder: Path, name: str, entry: Path, value: object) -> None:
    """Write ``entry`` atomically and drop the entries of ``name`` beyond the ``KEEP``
    newest; errors are ignored (a read-only home, a full disk: the next run builds
    again)."""
    import io
    import pickle

    class Pickler(pickle.Pickler):
        def reducer_override(self, obj: object) -> object:
            return _by_init(obj)

    partial = entry.with_name(f".{entry.name}.{os.getpid()}")
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        buffer = io.BytesIO()
        Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
        data = buffer.getvalue()
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        with os.fdopen(os.open(partial, flags, 0o600), "wb") as stream:
            stream.write(data)
        os.replace(partial, entry)
        others = [(p.stat().st_mtime_ns, p) for p in folder.glob(f"{name}-*.pickle") if p != entry]
        for _, old in sorted(others, reverse=True)[KEEP - 1 :]:
            old.unlink(missing_ok=True)
    except Exception:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)


def _by_init(obj: object) -> object:
    """A slotted dataclass instance as ``(class, field values)``: read back through its
    ``__init__``, about twice as fast as the ``__setstate__`` dataclasses gives it (the
    ~900 phrases of a word list are such instances). Anything else is pickled as usual."""
    import dataclasses

    cls = type(obj)
    if (
        not dataclasses.is_dataclass(cls)
        or "__slots__" not in cls.__dict__
        or hasattr(cls, "__post_init__")
    ):
        return NotImplemented
    fields = dataclasses.fields(cls)
    if not all(f.init for f in fields):
        return NotImplemented
    return cls, tuple(getattr(obj, f.name) for f in fields)
