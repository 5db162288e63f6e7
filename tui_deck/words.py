"""Every word a user reads, in English and Chinese: one table, one function.

``say(lang, key, **values)`` gives the text for a deck's language (``zh…`` is Chinese, the
rest English). Layout, exports and the app all ask here, so nothing on screen exists in one
language only.
"""

from __future__ import annotations

#: key → (English, Chinese). Values are filled in with ``str.format``.
WORDS: dict[str, tuple[str, str]] = {
    # Slides and pages (layout/page.py)
    "cont": ("(cont. {page}/{pages})", "（续 {page}/{pages}）"),
    "more_slides": ("… and {more} more", "…另有 {more} 页"),
    "too_small": (
        "terminal too small: {width}x{height} (needs {min_width}x{min_height})",
        "终端太小：{width}x{height}（至少 {min_width}x{min_height}）",
    ),
    # Callouts and pictures (layout/blocks.py)
    "tip": ("Tip", "提示"),
    "warning": ("Warning", "警告"),
    "idea": ("Idea", "想法"),
    "note": ("Note", "注意"),
    "image_missing": ("✗ image not found", "✗ 找不到图片"),
    "image_outside": ("✗ outside the deck", "✗ 图片在幻灯片文件夹之外"),
    "image_remote": ("remote image not fetched", "远程图片未下载"),
    # Why a picture is not shown (its frame says so: tui_deck/images.py, pictures.py)
    "pic_not_found": ("file not found", "找不到文件"),
    "pic_unreadable": ("cannot read: {detail}", "无法读取：{detail}"),
    "pic_too_large": (
        "too large: {detail} pixels (limit {limit} MP)",
        "图片太大：{detail} 像素（上限 {limit} MP）",
    ),
    "pic_no_cairosvg": (
        "SVG needs cairosvg (pip install cairosvg)",
        "SVG 需要 cairosvg（pip install cairosvg）",
    ),
    "pic_no_cairo": (
        "SVG pictures need the cairo library (apt-get install libcairo2 / brew install cairo)",
        "SVG 图片需要 cairo 库（apt-get install libcairo2 / brew install cairo）",
    ),
    "pic_bad_svg": ("cannot read SVG: {detail}", "无法读取 SVG：{detail}"),
    "pic_cannot_show": ("cannot show: {detail}", "无法显示：{detail}"),
    "pic_loading": ("still loading after {detail} s", "已加载 {detail} 秒，仍未完成"),
    "slide_failed": ("This slide could not be shown.", "这一张幻灯片无法显示。"),
    "slide_failed_hint": (
        "The rest of the deck works: press → for the next slide; fix the file and press r to "
        "reload.",
        "其余幻灯片仍可使用：按 → 看下一张；修改文件后按 r 重新加载。",
    ),
    # Embedded media (html, youtube)
    "embed_video": ("video", "视频"),
    "embed_audio": ("audio", "音频"),
    "embed_slides": ("slides", "幻灯片"),
    "embed_page": ("embedded page", "嵌入页面"),
    # istio.io's release box (relnote, announcement_links) and security bulletin (parse.py)
    "release_download": ("Download Istio {version}", "下载 Istio {version}"),
    "release_notes": ("Istio {version} release notes", "Istio {version} 发布说明"),
    "bulletin": ("Security bulletin", "安全公告"),
    "bulletin_cves": ("CVE", "CVE"),
    "bulletin_cvss": ("CVSS impact score", "CVSS 影响评分"),
    "bulletin_releases": ("Affected releases", "受影响的版本"),
    # The speaker's view (layout/presenter.py) and the HTML deck's speaker mode
    "now": ("Now", "当前"),
    "next": ("Next", "下一张"),
    "notes": ("Notes", "备注"),
    "no_notes": ("(no notes for this slide)", "（本页没有备注）"),
    "end": ("(end of the deck)", "（已是最后一张）"),
    "elapsed": ("elapsed", "已用"),
    "left": ("left", "剩余"),
    "over": ("over", "超时"),
    "paused": ("paused", "已暂停"),
    "more": ("↓ more (↑ ↓ scroll)", "↓ 还有（↑ ↓ 滚动）"),
    "above": ("↑ more above", "↑ 上面还有"),
    "page": ("page", "页"),
    "next_page": ("Next", "下一页"),
    "end_page": ("(end of the deck)", "（已是最后一页）"),
    "html_hint": ("S speaker mode · R reset timer", "S 演讲者模式 · R 重置计时"),
    # The app (app/)
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
    "edit_broken": ("the last edit was not loaded:", "最近一次修改未能加载："),
    "check": ("all of them: istio-deck check", "全部问题：istio-deck check"),
    # Help (app/screens/overlays.py): the keys, then what they do
    "keys": ("Keys", "按键"),
    "help_next_keys": ("→ l j Space PgDn Enter", "→ l j 空格 PgDn 回车"),
    "help_next": ("next page / slide", "下一页 / 下一张"),
    "help_previous_keys": ("← h k Backspace PgUp", "← h k 退格 PgUp"),
    "help_previous": ("previous page / slide", "上一页 / 上一张"),
    "help_ends": ("first / last slide", "第一张 / 最后一张"),
    "help_number_keys": ("12 Enter", "12 回车"),
    "help_number": ("go to slide 12", "跳到第 12 张"),
    "help_jump": ("go to a slide by id or title", "按 id 或标题跳转"),
    "help_overview": ("overview of all slides", "全部幻灯片概览"),
    "help_search": ("search; next / previous hit", "搜索；下一个 / 上一个结果"),
    "help_timer": ("start or pause / reset the talk timer", "开始或暂停 / 重置计时"),
    "help_footer": ("show or hide the footer", "显示或隐藏页脚"),
    "help_blank": (
        "blank the screen (from the presenter: the audience's)",
        "黑屏（演讲者视图中：观众的屏幕）",
    ),
    "help_notes": ("presenter: scroll the notes", "演讲者视图：滚动备注"),
    "help_reload": ("reload the deck", "重新加载"),
    "help_help": ("this help", "本帮助"),
    "help_quit": ("quit", "退出"),
    "help_mouse_keys": ("mouse", "鼠标"),
    "help_mouse": (
        "click right / left half, wheel: next / previous",
        "点击右半 / 左半，滚轮：下一张 / 上一张",
    ),
}


def is_chinese(lang: str) -> bool:
    return lang.startswith("zh")


def say(lang: str, key: str, **values: object) -> str:
    """The text for ``key`` in the deck's language."""
    english, chinese = WORDS[key]
    text = chinese if is_chinese(lang) else english
    return text.format(**values) if values else text
