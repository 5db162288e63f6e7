"""Where links and images of a post point: absolute site URLs and files in the bundle."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

DEFAULT_BASE_URL = "https://istio.io"
SAFE_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


def scheme(url: str) -> str:
    match = _SCHEME.match(url)
    return match.group(1).lower() if match else ""


def resolve_url(href: str, base_url: str, page_url: str | None) -> str | None:
    """An absolute URL for ``href``, or None when it must not be followed (``javascript:``…)."""
    href = href.strip()
    if not href:
        return None
    found = scheme(href)
    if found:
        return href if found in SAFE_SCHEMES else None
    if href.startswith("//"):
        return "https:" + href
    base = base_url.rstrip("/") + "/"
    if href.startswith("/"):
        return urljoin(base, href.lstrip("/"))
    page = urljoin(base, (page_url or "/").lstrip("/"))
    return urljoin(page, href)


def fragment(url: str) -> str:
    return urlsplit(url).fragment


def page_url_for(source: Path, lang: str) -> str | None:
    """The site path of a post, when its location says it (``content/zh/blog/…/index.md``)."""
    parts = source.resolve().parts if source.exists() else source.parts
    if "content" in parts:
        rest = list(parts[len(parts) - parts[::-1].index("content") :])
        if rest and rest[-1] in ("index.md", "_index.md"):
            rest = rest[:-1]
        elif rest and rest[-1].endswith(".md"):
            rest[-1] = rest[-1][:-3]
        return "/" + "/".join(rest) + "/"
    return None


def is_self_link(url: str, page_url: str | None, bundle_name: str) -> bool:
    """Whether ``url`` names the post itself (so its fragment is a slide of this deck)."""
    path = urlsplit(url).path.rstrip("/")
    if not path:
        return True
    if page_url and path == page_url.rstrip("/"):
        return True
    last = path.rsplit("/", 1)[-1]
    # Istio bundles are named YYYY-slug and published at /blog/YYYY/slug/.
    short = re.sub(r"^\d{4}-", "", bundle_name)
    return bool(last) and last in (bundle_name, short)


def resolve_image(src: str, post_dir: Path, lang: str) -> tuple[Path | None, bool]:
    """The file an image reference names, and whether it is remote (never fetched)."""
    src = src.strip()
    if scheme(src) or src.startswith("//"):
        return None, True
    clean = src.split("?", 1)[0].split("#", 1)[0]
    if clean.startswith("/"):
        for candidate in image_candidates(clean, post_dir, lang):
            if candidate.is_file():
                return candidate, False
        return post_dir / Path(clean.lstrip("/")).name, False
    return post_dir / clean, False


def image_candidates(src: str, post_dir: Path, lang: str) -> list[Path]:
    """Where a site-absolute picture (``/img/a.png``) may be, first match first: the Hugo
    folders of the post's folder and its parents, up to the site root."""
    rel = src.split("?", 1)[0].split("#", 1)[0].lstrip("/")
    candidates: list[Path] = []
    for ancestor in [post_dir, *post_dir.parents]:
        for sub in ("static", "content", f"content/{lang}", "assets"):
            candidates.append(ancestor / sub / rel)
        if (ancestor / "content").is_dir() or (ancestor / "static").is_dir():
            break
    return candidates
