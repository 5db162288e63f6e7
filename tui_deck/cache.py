"""Parsed decks kept between runs, so the presenter starts without parsing.

A cached deck spares the start-up the import of markdown-it and YAML and the parse itself
(a 10,000-heading deck takes seconds to parse). Only the presenter's start reads the cache;
``r``, hot reload, ``check``, ``export`` and ``outline`` always parse.

A cached deck is used only when nothing it was built from has changed: the Markdown files,
every folder the deck was found in (a file added or removed), every picture it names (and
every place a site-absolute ``/img/…`` picture could be found), ``istio-deck.toml``, the
working directory (paths are shown relative to it), the options, Python and istio-deck's
own source files. Anything else — a file it cannot read, a version it does not know —
means a normal parse; the cache never stops a talk.

The cache lives in ``$XDG_CACHE_HOME/istio-deck`` (``~/.cache/istio-deck``), a directory
of mode 0700 owned by the user. Files are pickles, so a file in a directory another user
could write to, or owned by someone else, is never loaded.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import tui_deck
from tui_deck.deck import Deck, Options

#: Bump when the pickled classes change shape in a way the source stamp would miss.
FORMAT = 3
#: Folders beyond this many (a deck pointed at a whole site) are not worth fingerprinting.
MAX_FOLDERS = 2000
#: Cached decks kept; the least recently used beyond this are removed.
MAX_FILES = 64

Stamp = tuple[str, int | None, int | None, int | None, str]


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return Path(base) / "istio-deck"


def load(path: Path, options: Options) -> Deck | None:
    """The cached deck for ``path``, when it is there, safe to read and still true."""
    try:
        folder = cache_dir()
        if not _private(folder):
            return None
        file = folder / _name(path, options)
        with open(file, "rb") as handle:
            if os.fstat(handle.fileno()).st_uid != os.getuid():
                return None
            stored = pickle.load(handle)
        stamps, deck = stored
        if not isinstance(deck, Deck) or stamps != _stamps(path, deck):
            return None
        os.utime(file)  # recently used
        return deck
    except Exception:  # missing, unreadable, stale or from another version: parse
        return None


def store(path: Path, options: Options, deck: Deck) -> None:
    """Keep the deck for the next start (silently nothing when it cannot be written)."""
    try:
        folder = cache_dir()
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(folder):
            return
        stamps = _stamps(path, deck)
        if stamps is None:
            return
        data = pickle.dumps((stamps, deck), protocol=pickle.HIGHEST_PROTOCOL)
        import tempfile

        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, folder / _name(path, options))
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        _prune(folder)
    except Exception:  # a read-only home, a full disk, an unpicklable deck: no cache
        return


def _private(folder: Path) -> bool:
    """Only the user can write here (pickles run code when loaded)."""
    stat = folder.stat()
    return stat.st_uid == os.getuid() and stat.st_mode & 0o077 == 0


def _name(path: Path, options: Options) -> str:
    key = repr((FORMAT, str(path.resolve()), os.getcwd(), options, _source_stamp()))
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:32] + ".pickle"


def _source_stamp() -> tuple[object, ...]:
    """istio-deck's version, Python's, and its own source files (an edited checkout)."""
    package = Path(tui_deck.__file__).parent
    files = sorted(package.rglob("*.py"))
    return (tui_deck.__version__, sys.version, tuple(_stamp(f) for f in files))


def _stamps(path: Path, deck: Deck) -> tuple[Stamp, ...] | None:
    """What the deck was built from, as it is now on disk (None: too much to watch)."""
    from tui_deck.deck import CONFIG_NAME
    from tui_deck.hugo.links import image_candidates

    root = path if path.is_dir() else path.parent
    folders = list(_folders(root)) if path.is_dir() else [root]
    if len(folders) > MAX_FOLDERS:
        return None
    watched: set[Path] = set(folders)
    markers: set[Path] = set()
    watched.add(root / CONFIG_NAME)
    for post in deck.posts:
        watched.add(post.source)
    for slide in deck.slides:
        for image in slide.images:
            if image.path is not None:
                watched.add(image.path)
            if image.src.startswith("/"):  # where it is found depends on what exists above
                post_dir = slide.post.source.parent
                watched.update(image_candidates(image.src, post_dir, slide.post.lang))
                # The site root is the first folder above with content/ or static/.
                markers.update(
                    folder / name for folder in [post_dir, *post_dir.parents] for name in SITE_DIRS
                )
    # The talk file too is read for its content: it picks the slides, the split level.
    sources = {post.source for post in deck.posts} | {root / CONFIG_NAME}
    stamps = [_stamp(p, p in sources) for p in sorted(watched)]
    return tuple(stamps + [_exists(p) for p in sorted(markers)])


#: The folders whose existence makes a folder the site root (tui_deck.hugo.links).
SITE_DIRS = ("content", "static")


def _exists(path: Path) -> Stamp:
    """Only whether a folder is there (not its time, which any new file changes)."""
    return (str(path), None, None, None, "folder" if path.is_dir() else "")


def _folders(root: Path) -> Iterator[Path]:
    yield root
    count = 0
    for current, dirs, _files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in dirs:
            count += 1
            if count > MAX_FOLDERS:
                return
            yield Path(current) / name


def _stamp(path: Path, content: bool = False) -> Stamp:
    """A file's size, time and inode; with ``content``, a hash of its bytes too (a Markdown
    file saved twice within the file system's clock tick, at the same size, still counts)."""
    try:
        stat = path.stat()
        digest = hashlib.blake2b(path.read_bytes()).hexdigest() if content else ""
    except OSError:
        return (str(path), None, None, None, "")
    return (str(path), stat.st_mtime_ns, stat.st_size, stat.st_ino, digest)


def _prune(folder: Path) -> None:
    files = sorted(folder.glob("*.pickle"), key=lambda f: f.stat().st_mtime)
    for old in files[:-MAX_FILES]:
        old.unlink(missing_ok=True)
    now = time.time()
    for partial in folder.glob(".tmp-*"):  # a run killed while writing
        if now - partial.stat().st_mtime > 60:
            partial.unlink(missing_ok=True)
