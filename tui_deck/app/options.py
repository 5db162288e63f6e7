"""What the presenter app is asked to do (the CLI and the tests fill it in), and the
words it says, in the deck's language."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tui_deck.deck import Options
from tui_deck.layout.blocks import CELL_ASPECT

Clock = Callable[[], dt.datetime]

#: (English, Chinese) for each thing the app says.
MESSAGES = {
    "no_slide": ("no slide {number} (1-{count})", "没有第 {number} 张（1-{count}）"),
    "no_match": ("no slide matches {value}", "没有匹配 {value} 的幻灯片"),
    "not_found": ("not found: {value}", "未找到：{value}"),
    "go_prompt": ("go to: number, id or title", "跳转到：编号、id 或标题"),
    "search_prompt": ("search", "搜索"),
    "reload_failed": ("reload failed", "重新加载失败"),
    "not_reloaded": ("not reloaded", "未重新加载"),
    "kept": ("the last good version stays on screen", "屏幕上保留最后一个正确的版本"),
    "problems": ("+{more} more: istio-deck check", "另有 {more} 个：istio-deck check"),
    "not_linked": ("views not linked: {why}", "视图未联动：{why}"),
    "alone": ("⚠ not linked", "⚠ 未联动"),
    "blanked": ("■ audience screen blank (b)", "■ 观众屏幕已黑屏（b）"),
    "problems_title": ("problems in the deck (!)", "演示文稿中的问题（!）"),
    "error": ("error", "错误"),
    "warning": ("warning", "警告"),
    "edit_broken": ("the last edit was not loaded:", "最近一次修改未能加载："),
    "check": ("all of them: istio-deck check", "全部问题：istio-deck check"),
}


def say(lang: str, key: str, **values: object) -> str:
    """A message in the language of the deck."""
    english, chinese = MESSAGES[key]
    return (chinese if lang.startswith("zh") else english).format(**values)


@dataclass
class AppOptions:
    path: Path
    deck_options: Options = field(default_factory=Options)
    theme: str = "dark"
    start: str | None = None
    autoplay: float | None = None
    loop: bool = False
    watch: bool = True
    ambiguous_wide: bool = False
    #: "auto" or "blocks": colour half-blocks; "kitty", "sixel": pixel protocols; "none":
    #: image boxes show frames only.
    images: str = "auto"
    #: A terminal cell's width divided by its height, for the shape of pictures.
    cell_aspect: float = CELL_ASPECT
    #: The wall clock shown in the footer; None hides it (tests and exports).
    clock: Clock | None = dt.datetime.now
    #: The monotonic time the talk timer counts with (tests pass a fake).
    monotonic: Callable[[], float] = time.monotonic
    #: Start from the parsed deck kept by the last run when nothing changed (tui_deck.cache).
    cache: bool = False
    #: The speaker's view: current and next slide, notes, elapsed time and countdown.
    presenter: bool = False
    #: The talk's planned length in seconds (the presenter's countdown).
    duration: float | None = None
    #: Keep every view of this deck in step through a per-user socket (tui_deck.app.sync).
    link: bool = False
