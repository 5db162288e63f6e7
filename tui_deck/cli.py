"""The ``istio-deck`` command line."""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.cells import cell_len

from tui_deck import __version__
from tui_deck.deck import DEFAULT_SPLIT_LEVEL, Deck, Options, load_deck
from tui_deck.diagnostics import DeckError
from tui_deck.hugo.links import DEFAULT_BASE_URL
from tui_deck.images import BACKINGS
from tui_deck.sanitize import clean_line
from tui_deck.words import say

if TYPE_CHECKING:
    from tui_deck.layout.page import Size
    from tui_deck.layout.theme import Theme

PROG = "istio-deck"
DESCRIPTION = """\
Present a Hugo blog post (Istio's, in Chinese or English) as slides in your terminal.

PATH is a Markdown file, a page bundle (a folder with index.md) or a folder of posts.
The post is split into slides at its headings; the first slide is the title slide."""

EPILOG = """\
commands:
  istio-deck [PATH]            present the deck (PATH defaults to slides/)
  istio-deck outline PATH      list the slides (--json for tools)
  istio-deck check PATH        report problems as file:line: severity: message
  istio-deck export PATH       write each page as text, svg, png, html or pdf
  istio-deck record PATH       record the talk as an asciicast (-o talk.cast)
  istio-deck serve PATH        the deck in the audience's browsers, following the talk

examples:
  istio-deck slides/
  istio-deck outline slides/ --json
  istio-deck check ../my-post/index.md"""


def _deck_options_parent() -> argparse.ArgumentParser:
    """How a post becomes slides: every command that reads a deck takes these."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument(
        "--split-level",
        type=_split_level,
        default=None,
        metavar="N",
        help="headings of level N or less start a new slide (1-6; default the talk file's "
        f"split_level, else {DEFAULT_SPLIT_LEVEL})",
    )
    parser.add_argument(
        "--allow-outside",
        action="store_true",
        help="show images from outside the deck folder (refused by default)",
    )
    parser.add_argument(
        "--base-url",
        default=DEFAULT_BASE_URL,
        metavar="URL",
        help=f"site that relative links point to (default {DEFAULT_BASE_URL})",
    )
    return parser


def _screen_parent() -> argparse.ArgumentParser:
    """How the slides look on a screen: present, record and export."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument(
        "--picture-backing",
        choices=BACKINGS,
        default="auto",
        help="what pictures with transparency (diagrams) are laid on: auto (light on a dark "
        "theme, as istio.io's white page shows them), light, dark, or none (the theme)",
    )
    parser.add_argument(
        "--ambiguous-wide",
        action="store_true",
        help="count East Asian ambiguous characters (“”…—·) as 2 cells",
    )
    return parser


def _theme_parent() -> argparse.ArgumentParser:
    """The theme of the running app: present and record."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument(
        "--theme",
        default=None,
        type=_theme,
        metavar="NAME",
        help="dark, light, istio, or a Textual theme such as nord (default the talk "
        "file's theme, else dark)",
    )
    return parser


def _talk_parent() -> argparse.ArgumentParser:
    """Which slides make the talk: present, export and record."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument(
        "--slides",
        metavar="LIST",
        help="only these slides, numbered as `outline` shows them, e.g. 1-3,5,7- "
        "(default the talk file's slides, else all)",
    )
    return parser


def _talk_theme(args: argparse.Namespace) -> str:
    """``--theme``, else the talk file's ``theme`` (an unknown one is warned, naming the
    file and line, and the talk goes on in dark), else dark."""
    if args.theme:
        return str(args.theme)
    from tui_deck.talk import read_talk

    talk = read_talk(Path(args.path))
    problem = _talk_theme_problem(args)
    if problem:
        print(problem, file=sys.stderr)
        return "dark"
    return talk.theme or "dark"


def _layout_theme(name: str) -> Theme:
    """The pages' colours for a theme name (Textual is loaded only for Textual's themes)."""
    from tui_deck.layout.theme import THEMES

    if name in THEMES:
        return THEMES[name]
    from tui_deck.app.themes import deck_theme

    return deck_theme(name)


def _talk_theme_problem(args: argparse.Namespace) -> str:
    """The warning for a talk file's theme that no theme has ("" when it is fine)."""
    from tui_deck.layout.theme import THEMES
    from tui_deck.talk import read_talk

    talk = read_talk(Path(args.path))
    if talk.theme is None or talk.theme in THEMES:
        return ""
    from tui_deck.app.themes import theme_names

    if talk.theme in theme_names():
        return ""
    where = f"{clean_line(str(talk.path))}:{talk.lines.get('theme', 1)}"
    return (
        f"{where}: warning: unknown theme {clean_line(talk.theme)!r}, dark is used; "
        f"choose one of {', '.join(theme_names())}"
    )


def _theme(name: str) -> str:
    from tui_deck.app.themes import theme_names

    if name not in theme_names():
        raise argparse.ArgumentTypeError(
            f"unknown theme {name!r}; choose one of {', '.join(theme_names())}"
        )
    return name


def _split_level(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number from 1 to 6") from None
    if not 1 <= number <= 6:
        raise argparse.ArgumentTypeError(f"{number} is not a heading level from 1 to 6")
    return number


def _parser() -> argparse.ArgumentParser:
    """``istio-deck COMMAND …``: one sub-parser a command, sharing the option groups."""
    deck, screen, theme = _deck_options_parent(), _screen_parent(), _theme_parent()
    talk = _talk_parent()
    top = argparse.ArgumentParser(prog=PROG, description=DESCRIPTION, epilog=EPILOG)
    commands = top.add_subparsers(dest="command")
    present = commands.add_parser(
        "present",
        prog=PROG,
        parents=[deck, screen, theme, talk],
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _present_options(present)
    for name in ("outline", "check", "export", "record", "serve"):
        parents = {
            "export": [deck, screen, talk],
            "record": [deck, theme, talk],
            "serve": [deck, screen, theme, talk],
        }.get(name, [deck])
        sub = commands.add_parser(
            name,
            prog=f"{PROG} {name}",
            parents=parents,
            description=COMMANDS[name][1],
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        sub.add_argument("path", metavar="PATH", help="a .md file, a bundle or a folder")
        if name == "outline":
            sub.add_argument("--json", action="store_true", help="print the outline as JSON")
        elif name == "record":
            _record_options(sub)
        elif name == "export":
            _export_options(sub)
        elif name == "serve":
            _serve_options(sub)
    return top


def _present_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument(
        "path", nargs="?", default="slides", metavar="PATH", help="the deck (default slides/)"
    )
    parser.add_argument("--start", metavar="N|ID", help="open at slide number N or id ID")
    parser.add_argument(
        "--autoplay",
        type=_seconds,
        metavar="SECONDS",
        help="advance every SECONDS (kiosks, asciinema rec); quits at the end",
    )
    parser.add_argument("--loop", action="store_true", help="with --autoplay: start over")
    parser.add_argument(
        "--cell-ratio",
        type=_cell_ratio,
        default=2.0,
        metavar="H/W",
        help="a terminal cell's height divided by its width, for picture shapes (default 2.0)",
    )
    parser.add_argument(
        "--images",
        choices=["auto", "blocks", "kitty", "placeholders", "sixel", "none"],
        default="auto",
        help="how to draw images: auto (Kitty graphics where the terminal is known to have "
        "them, also inside tmux with allow-passthrough; Sixel in WezTerm; else half-blocks), "
        "blocks, kitty, placeholders (Kitty's unicode placeholders, as inside tmux), sixel, "
        "or none (frames only)",
    )
    parser.add_argument(
        "--no-watch", action="store_true", help="do not reload when the files change"
    )
    parser.add_argument(
        "--no-clock", action="store_true", help="no wall clock in the footer (recordings)"
    )
    parser.add_argument(
        "--presenter",
        action="store_true",
        help="the speaker's view: current and next slide, notes, elapsed time and "
        "countdown; moves with the audience's view of the same deck (both ways)",
    )
    parser.add_argument(
        "--allow-exec",
        action="store_true",
        help="let e run a slide's live command (a code block after <!-- exec --> or a "
        "```bash +exec fence) in bash, in the deck's folder: only for decks you trust, as "
        "the deck's author chooses the command",
    )
    parser.add_argument(
        "--duration",
        type=_duration,
        metavar="TIME",
        help="the talk's length for the presenter's countdown: 20m, 1h30m, 45s, 90 "
        "(minutes) or 1:30:00; amber at 5 minutes left, red when over",
    )
    parser.add_argument(
        "--no-sync",
        action="store_true",
        help="do not move with other views of this deck (a per-user socket, no network)",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="parse the deck even when the copy kept by the last run is still true "
        "(kept in $XDG_CACHE_HOME/istio-deck)",
    )


def _record_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o",
        "--output",
        default="talk.cast",
        metavar="FILE",
        help="the asciicast to write (default talk.cast)",
    )
    parser.add_argument(
        "--size",
        default="100x30",
        type=_screen_size,
        metavar="WxH",
        help="terminal size to record (default 100x30)",
    )
    parser.add_argument(
        "--interval",
        type=_seconds,
        default=3.0,
        metavar="SECONDS",
        help="seconds between key presses (default 3)",
    )
    parser.add_argument(
        "--keys",
        metavar="KEYS",
        help='keys to press, e.g. "→ → o ⏎" (default: next until the end)',
    )
    parser.add_argument(
        "--images",
        choices=["blocks", "none"],
        default="blocks",
        help="pictures as half-blocks (default) or frames only",
    )


def _export_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=["text", "svg", "png", "html", "pdf"],
        default="text",
        help="text (what the screen shows, as text), svg (a picture of the screen, "
        "Chinese at full width), png (for social posts), html (one file, arrow keys), "
        "pdf (a handout: deck.pdf, a page per slide page, searchable text, links)",
    )
    parser.add_argument(
        "--png-size",
        default="1200x675",
        type=_png_size,
        metavar="WxH",
        help="PNG size in pixels, or PDF page size in points: 1200x675 (default), "
        "1080x1080, 1600x900, …",
    )
    parser.add_argument(
        "--size",
        default="100x30",
        type=_screen_size,
        metavar="WxH",
        help="terminal size to lay out (100x30)",
    )
    parser.add_argument(
        "--pictures",
        choices=["pixels", "cells"],
        default="pixels",
        help="svg/png/html: pictures from their own pixels (default, as Kitty shows them) "
        "or as the half-block cells every terminal shows",
    )
    parser.add_argument(
        "--steps",
        choices=["all", "last"],
        default="all",
        help="a slide revealed step by step (<!-- pause -->, incremental lists): a page per "
        "step (all, the default) or only its final state (last)",
    )
    parser.add_argument(
        "-o", "--output", default="out", metavar="DIR", help="folder to write (default out/)"
    )
    parser.add_argument(
        "--allow-exec",
        action="store_true",
        help="run each live command (exec code block) once, in bash in the deck's folder "
        "(at most 10 s each), and show its output under it: only for decks you trust",
    )


def _serve_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this computer only; 0.0.0.0 for "
        "the room's network)",
    )
    parser.add_argument(
        "--port", type=_port, default=8000, metavar="N", help="port (default 8000; 0: any free)"
    )
    parser.add_argument(
        "--public-url",
        default="",
        metavar="URL",
        help="the address viewers open, when a proxy or tunnel is in front "
        "(default http://HOST:PORT)",
    )
    parser.add_argument(
        "--size",
        default="100x30",
        type=_screen_size,
        metavar="WxH",
        help="the size the audience's pages are laid out at until the projector's screen "
        "(the presenter's tab or a terminal) says its own (100x30)",
    )
    parser.add_argument(
        "--no-watch", action="store_true", help="do not make the deck again when a file changes"
    )
    parser.add_argument(
        "--no-sync",
        action="store_true",
        help="do not follow the talk's link (the viewers then move on their own)",
    )
    parser.add_argument(
        "--allow-exec",
        action="store_true",
        help="let e in the presenter's tab run the page's live command (decks you trust)",
    )


def _port(value: str) -> int:
    if not value.isdigit() or not 0 <= int(value) <= 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port from 0 to 65535")
    return int(value)


def _public_url(value: str) -> str:
    if value and not value.startswith(("http://", "https://")):
        raise DeckError(f"--public-url {clean_line(value)}: give an http:// or https:// URL")
    return value.rstrip("/")


#: The smallest and largest pictures an export writes, in pixels.
MIN_PNG, MAX_PNG = (320, 180), (7680, 4320)


def _screen_size(text: str) -> Size:
    from tui_deck.layout.page import MIN_HEIGHT, MIN_WIDTH

    size = _size(text)
    if size.width < MIN_WIDTH or size.height < MIN_HEIGHT:
        raise argparse.ArgumentTypeError(
            f"size {text} is smaller than {MIN_WIDTH}x{MIN_HEIGHT}, the smallest screen "
            "that shows a slide"
        )
    if size.width > 1000 or size.height > 500:
        raise argparse.ArgumentTypeError(f"size {text} is larger than 1000x500 cells")
    return size


def _png_size(text: str) -> Size:
    size = _size(text)
    (low_w, low_h), (high_w, high_h) = MIN_PNG, MAX_PNG
    if not (low_w <= size.width <= high_w and low_h <= size.height <= high_h):
        raise argparse.ArgumentTypeError(
            f"size {text} is not a picture size from {low_w}x{low_h} to {high_w}x{high_h} pixels"
        )
    return size


def _size(text: str) -> Size:
    from tui_deck.layout.page import Size

    try:
        return Size.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _load(args: argparse.Namespace) -> Deck:
    return load_deck(Path(args.path), _deck_options(args))


def _deck_options(args: argparse.Namespace) -> Options:
    # present, export and record show the talk (the slides picked); outline and check the
    # whole post, numbered as the picks number it.
    talk = args.command in ("present", "export", "record", "serve")
    slides = getattr(args, "slides", None)
    return Options(args.split_level, args.base_url, args.allow_outside, talk, slides)


def cmd_outline(args: argparse.Namespace) -> int:
    deck = _load(args)
    if getattr(args, "json", False):
        data = deck.to_json()
        for index, slide in enumerate(cast("list[dict[str, object]]", data["slides"])):
            slide["steps"] = slide_steps(deck, index)
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(outline_text(deck))
    return 0


#: The screen on which ``outline --json`` finds each step's first line (tall: one page).
STEPS_SIZE = (100, 400)


def slide_steps(deck: Deck, index: int) -> list[dict[str, object]]:
    """The steps of a slide (``<!-- pause -->``, incremental lists), each with its first
    line of text; a slide without reveals is one step."""
    from tui_deck.layout.page import layout_slide

    page = layout_slide(deck, index, *STEPS_SIZE)[0]
    starts = list(page.steps) or [(1, page.body_top)]
    body_end = len(page.lines) - page.footer_rows
    out: list[dict[str, object]] = []
    for number, (step, row) in enumerate(starts):
        end = starts[number + 1][1] if number + 1 < len(starts) else body_end
        lines = (line.plain.strip() for line in page.lines[max(row, page.body_top) : end])
        out.append({"step": step, "first_line": next((text for text in lines if text), "")})
    return out


def outline_text(deck: Deck) -> str:
    """The slide list as a person reads it: number, title, id, and what is on the slide."""
    lines = [f"{deck.title}  ({_count(len(deck.slides), 'slide')}, {deck.lang})"]
    titles = ["  " * max(s.level - 1, 0) + s.title for s in deck.slides]
    width = min(max((cell_len(t) for t in titles), default=0), 50)
    for slide, title in zip(deck.slides, titles, strict=True):
        extras = []
        if slide.images:
            extras.append(f"{len(slide.images)} image" + ("s" if len(slide.images) > 1 else ""))
        if slide.notes:
            extras.append("notes")
        tail = f"  [{', '.join(extras)}]" if extras else ""
        pad = " " * max(width - cell_len(title), 0)
        lines.append(f"{slide.index:>3}  {title}{pad}  #{slide.id}{tail}")
    problems = _summary(deck)
    if problems:
        lines.append(problems + f" (run: {PROG} check PATH)")
    return "\n".join(lines)


def _summary(deck: Deck) -> str:
    errors = len(deck.errors)
    warnings = len(deck.diagnostics) - errors
    if not errors and not warnings:
        return ""
    return f"{_count(errors, 'error')}, {_count(warnings, 'warning')}"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' * (number != 1)}"


def cmd_check(args: argparse.Namespace) -> int:
    deck = _load(args)
    for diagnostic in deck.diagnostics:
        print(diagnostic.format())
    theme = _talk_theme_problem(args)
    if theme:
        print(theme)
    summary = _summary(deck) or ("1 warning" if theme else "no problems")
    print(
        f"{clean_line(args.path)}: {_count(len(deck.slides), 'slide')}, {summary}", file=sys.stderr
    )
    return 1 if deck.errors else 0


def cmd_export(args: argparse.Namespace) -> int:
    from tui_deck.export.text import export

    size, png_size = args.size, args.png_size
    deck = _load(args)  # only the slides picked (--slides, the talk file)
    if args.allow_exec:
        _run_live_commands(deck)
    slides = None
    out = Path(args.output)
    try:
        entries = export(
            deck,
            out,
            size,
            args.format,
            slides,
            args.ambiguous_wide,
            png_size=png_size,
            backing=args.picture_backing,
            pictures=args.pictures,
            progress=sys.stderr.isatty(),
            steps=args.steps,
        )
    except OSError as exc:
        raise DeckError(f"{clean_line(str(out))}: cannot write ({exc.strerror})") from None
    print(f"wrote {_count(len(entries), 'page')} to {clean_line(str(out))}/", file=sys.stderr)
    return 0


def _run_live_commands(deck: Deck) -> None:
    """export --allow-exec: each exec block run once, its output kept on the block."""
    from tui_deck import model as m
    from tui_deck.runner import run_for_export

    folder = deck.root if deck.root.is_dir() else deck.root.parent
    count = 0
    for slide in deck.slides:
        for block in m.walk(slide.blocks):
            if isinstance(block, m.CodeBlock) and block.exec:
                block.output, block.outcome = run_for_export(
                    block.code, folder, slide.lang, block.lang
                )
                count += 1
    print(f"ran {_count(count, 'live command')} (--allow-exec)", file=sys.stderr)


def _cell_ratio(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number like 2.0") from None
    if not 0.5 <= number <= 4:
        raise argparse.ArgumentTypeError(f"{value} is not a cell ratio between 0.5 and 4")
    return number


def _seconds(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds") from None
    if not 0.05 <= number <= 86400:
        raise argparse.ArgumentTypeError(f"{value} seconds is out of range (0.05 to 86400)")
    return number


def cmd_record(args: argparse.Namespace) -> int:
    from tui_deck.export.record import parse_keys, record

    size = args.size
    try:
        keys = parse_keys(args.keys) if args.keys is not None else None
    except ValueError as exc:
        raise DeckError(str(exc)) from None
    deck = _load(args)  # fails early, with a clear message, on a bad path
    theme = _talk_theme(args)
    picks = ("--slides", args.slides) if args.slides else ()
    level = ("--split-level", str(args.split_level)) if args.split_level else ()
    count = record(
        Path(args.path),
        Path(args.output),
        size.width,
        size.height,
        args.interval,
        keys,
        deck.title,
        [
            *level,
            *picks,
            *("--base-url", args.base_url),
            *("--images", args.images, "--theme", theme, "--no-clock", "--no-sync"),
        ],
    )
    print(f"wrote {_count(count, 'event')} to {clean_line(args.output)}", file=sys.stderr)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from tui_deck.serve.presenter import missing_extra

    if missing_extra():
        raise DeckError(missing_extra())
    from tui_deck.serve.run import ServeOptions, run

    deck = _load(args)
    _say_problems(deck, args.path)
    options = ServeOptions(
        path=Path(args.path),
        theme=_layout_theme(_talk_theme(args)),
        deck_options=_deck_options(args),
        host=args.host,
        port=args.port,
        public_url=_public_url(args.public_url),
        size=args.size,
        ambiguous_wide=args.ambiguous_wide,
        backing=args.picture_backing,
        watch=not args.no_watch,
        link=not args.no_sync,
        app_args=_served_app_args(args),
    )
    try:
        run(deck, options)
    except OSError as exc:
        taken = exc.errno == errno.EADDRINUSE or "address already in use" in str(exc)
        why = "the port is taken: choose another --port (0: any free)" if taken else exc.strerror
        raise DeckError(
            f"cannot listen on {clean_line(args.host)}:{args.port} ({why or clean_line(str(exc))})"
        ) from None
    return 0


def _say_problems(deck: Deck, path: str, most: int = 5) -> None:
    """The deck's problems (a missing picture, a broken shortcode), on stderr before the
    talk starts: the first few as check prints them, and how to see the rest."""
    problems = deck.diagnostics
    for problem in problems[:most]:
        print(clean_line(problem.format()), file=sys.stderr)
    if len(problems) > most:
        more = len(problems) - most
        print(f"… {more} more: istio-deck check {clean_line(path)}", file=sys.stderr)


def _served_app_args(args: argparse.Namespace) -> list[str]:
    """The options of ``serve`` that the presenter's app (``present``) takes too."""
    given: list[str] = []
    for option, value in (
        ("--split-level", args.split_level),
        ("--base-url", args.base_url),
        ("--picture-backing", args.picture_backing),
        ("--theme", args.theme),
        ("--slides", args.slides),
    ):
        if value is not None:
            given += [option, str(value)]
    for option, on in (
        ("--allow-outside", args.allow_outside),
        ("--ambiguous-wide", args.ambiguous_wide),
        ("--allow-exec", args.allow_exec),
        ("--no-watch", args.no_watch),
        ("--no-sync", args.no_sync),
    ):
        if on:
            given.append(option)
    return given


def cmd_present(args: argparse.Namespace) -> int:
    from tui_deck.app import AppOptions, make_app
    from tui_deck.app.protocols import decide, prepare

    if args.duration is not None and not args.presenter:
        raise DeckError("--duration is the presenter's countdown; add --presenter")
    from tui_deck.talk import read_talk

    duration = args.duration
    if duration is None and args.presenter:
        duration = read_talk(Path(args.path)).duration
    theme = _talk_theme(args)
    method, advice = decide(args.images)  # inside tmux: asks the tmux server, not the terminal
    options = AppOptions(
        path=Path(args.path),
        deck_options=_deck_options(args),
        theme=theme,
        start=args.start,
        autoplay=args.autoplay,
        loop=args.loop,
        watch=not args.no_watch,
        cache=not args.no_cache,
        presenter=args.presenter,
        duration=duration,
        link=not args.no_sync,
        ambiguous_wide=args.ambiguous_wide,
        picture_backing=args.picture_backing,
        images=method,
        cell_aspect=1 / args.cell_ratio,
        allow_exec=args.allow_exec,
    )
    if args.no_clock:
        options.clock = None
    prepare(options.images)  # any terminal question is asked now, before Textual starts
    app = make_app(options)
    if args.start and app.deck.find(args.start) is None:
        raise DeckError(f"--start {args.start}: no such slide (1-{len(app.deck.slides)} or an id)")
    if needs_terminal(app.driver_class):
        _check_terminal()
    result = app.run()
    if advice:  # why the pictures were half-blocks, once, where the presenter looks now
        print(say(app.deck.lang, advice), file=sys.stderr)
    return result if isinstance(result, int) else 0


def needs_terminal(driver_class: type) -> bool:
    """Whether the app's Textual driver draws on this process's terminal. Textual's web
    driver (``TEXTUAL_DRIVER=textual.drivers.web_driver:WebDriver``, set by textual-serve for
    ``istio-deck serve``) speaks a packet protocol over pipes to the browser's page instead."""
    from textual.drivers.web_driver import WebDriver

    return not issubclass(driver_class, WebDriver)


def _check_terminal() -> None:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise DeckError(
            "presenting needs a terminal; to write files use: istio-deck export PATH "
            "(or record PATH for a recording)"
        )
    if os.environ.get("TERM", "") == "dumb":
        raise DeckError(
            "presenting needs a terminal that can draw (TERM=dumb cannot); "
            "to write files use: istio-deck export PATH"
        )


COMMANDS: dict[str, tuple[Callable[[argparse.Namespace], int], str]] = {
    "present": (cmd_present, "present the deck"),
    "outline": (cmd_outline, "list the slides of a deck, as text or JSON"),
    "export": (
        cmd_export,
        "write every page of the deck as the presenter shows it at --size:\n"
        "001.txt, 002.txt, … and index.json",
    ),
    "record": (
        cmd_record,
        "record the presenter as an asciicast v2 file (asciinema play, the web player):\n"
        "the real app in a pseudo-terminal, keys pressed every --interval seconds",
    ),
    "serve": (
        cmd_serve,
        "present from a browser: prints three URLs on one port, each half with its own\n"
        "random token (without it: 403). presenter: the app itself in a browser tab (every\n"
        "key, pictures, hot reload); speaker: the same with ?view=speaker (--presenter);\n"
        "audience: the HTML deck of export --format html for any number of viewers,\n"
        "following the talk (and `istio-deck PATH --presenter` in a terminal).\n"
        'Needs the web parts: pip install "istio-deck[serve]"',
    ),
    "check": (
        cmd_check,
        "report every problem (missing images, bad shortcodes, bad front matter) as\n"
        "file:line: severity: message; exit status 1 when there is an error",
    ),
}


def _duration(text: str) -> float:
    """``20m``, ``1h30m``, ``45s``, ``90`` (minutes), ``25:00`` or ``1:30:00`` → seconds."""
    from tui_deck.talk import parse_duration

    seconds = parse_duration(text)
    if seconds is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a length of time; write 20m, 1h30m, 45s or 25:00"
        )
    return seconds


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    _safe_stdio()
    if not (argv and argv[0] in COMMANDS):
        argv = ["present", *argv]  # presenting is what `istio-deck PATH` means
    args = _parser().parse_args(argv)
    handler = COMMANDS[args.command][0]
    try:
        return handler(args)
    except DeckError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 0
    except Exception as exc:  # a bug: one line, the traceback only on request
        if os.environ.get("ISTIO_DECK_DEBUG"):
            raise
        message = clean_line(f"{type(exc).__name__}: {exc}")[:300]
        print(
            f"{PROG}: internal error: {message} (set ISTIO_DECK_DEBUG=1 for details)",
            file=sys.stderr,
        )
        return 3


def _safe_stdio() -> None:
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="replace")


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
