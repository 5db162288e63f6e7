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
    "cont_title": ("{title} (cont.)", "{title}（续）"),
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
    "pic_not_image": (
        "not a picture file (is it really a PNG, JPEG, GIF or WebP?)",
        "不是图片文件（它真的是 PNG、JPEG、GIF 或 WebP 吗？）",
    ),
    "pic_truncated": (
        "the file is cut short (copy it again)",
        "文件不完整（请重新复制）",
    ),
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
    # What a slide says in place of what it leaves out (parse.py, html_blocks.py)
    "boilerplate_left_out": (
        "boilerplate “{name}” is not included in the deck",
        "演示中未包含样板内容“{name}”",
    ),
    "code_left_out": (
        "code from {where} is not included in the deck",
        "演示中未包含来自 {where} 的代码",
    ),
    "tab": ("Tab", "标签页"),
    "image": ("image", "图片"),
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
    "step": ("step", "步"),
    "next_step": ("Next step", "下一步"),
    "next_page": ("Next", "下一页"),
    "end_page": ("(end of the deck)", "（已是最后一页）"),
    "html_hint": ("S speaker mode · R reset timer", "S 演讲者模式 · R 重置计时"),
    "serve_ended": (
        "The presenter's app has ended: reload the page to start it again.",
        "演示程序已结束：刷新页面即可重新启动。",
    ),
    "serve_full": (
        "{count} presenter tabs are open, the most at once: close one, then reload this page.",
        "已打开 {count} 个演示标签页，已达上限：请关闭一个后刷新本页。",
    ),
    "serve_hint": ("f follow the talk · ← → your own page", "f 跟随演讲 · ← → 自行翻页"),
    "serve_own": (
        "your own page · f follows the talk again",
        "你在自行翻页 · 按 f 重新跟随演讲",
    ),
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
    # Pictures inside tmux (app/protocols.py; printed when the presenter quits)
    "tmux_passthrough": (
        "istio-deck: pictures were drawn as half-blocks: tmux does not pass Kitty graphics "
        "through. For sharp pictures (tmux 3.3 or later) run: tmux set -g allow-passthrough on",
        "istio-deck：图片以半块字符显示，因为 tmux 未转发 Kitty 图形。"
        "要显示清晰图片（需 tmux 3.3 或更高版本），请运行：tmux set -g allow-passthrough on",
    ),
    "tmux_rgb": (
        "istio-deck: pictures were drawn as half-blocks: tmux does not pass 24-bit colour to "
        "this terminal. For sharp pictures add to tmux.conf: "
        "set -as terminal-features ',xterm-kitty:RGB'",
        "istio-deck：图片以半块字符显示，因为 tmux 未向此终端传递 24 位颜色。"
        "要显示清晰图片，请在 tmux.conf 中加入：set -as terminal-features ',xterm-kitty:RGB'",
    ),
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
    "help_zoom": (
        "picture full screen (← → the slide's others; z / Esc back)",
        "图片全屏（← → 本张的其他图片；z / Esc 返回）",
    ),
    "zoom_none": ("no picture on this slide to zoom (z)", "这张幻灯片没有可放大的图片（z）"),
    "zoom_projector": (
        "the projector shows picture {number}/{count} full screen (← → step, z or Esc: back)",
        "投影屏幕正全屏显示第 {number}/{count} 张图片（← → 切换，z 或 Esc 返回）",
    ),
    "help_exec": (
        "run the page's live command (--allow-exec); ↑ ↓ scroll its output, Esc stops it",
        "运行本页的实时命令（--allow-exec）；↑ ↓ 滚动输出，Esc 停止",
    ),
    # Live commands (app/screens/live.py, layout/blocks.py)
    "exec_marker": ("▶ e", "▶ e"),
    "exec_off": (
        "live commands are off: start istio-deck with --allow-exec to run them (in the "
        "deck's folder; only for decks you trust)",
        "实时命令未开启：用 --allow-exec 启动 istio-deck 才能运行（在演示文件夹中运行；"
        "只对你信任的演示文稿开启）",
    ),
    "exec_none": ("no live command on this page (e)", "本页没有实时命令（e）"),
    "exec_busy": ("a command is running; Esc stops it", "命令正在运行；按 Esc 停止"),
    "exec_running": ("running… Esc stops", "运行中… 按 Esc 停止"),
    "exec_stopping": ("stopping…", "正在停止…"),
    "exec_ok": ("✓ {status} · {seconds} s", "✓ {status} · {seconds} 秒"),
    "exec_failed": ("✗ {status} · {seconds} s", "✗ {status} · {seconds} 秒"),
    "exec_cannot": ("cannot start bash: {error}", "无法启动 bash：{error}"),
    "exec_timeout": ("✗ stopped after {seconds} s", "✗ {seconds} 秒后已停止"),
    "exec_skipped": ("… {count} lines skipped", "… 跳过了 {count} 行"),
    "exec_more": ("… {count} more lines above", "… 上面还有 {count} 行"),
    "help_notes": ("presenter: scroll the notes", "演讲者视图：滚动备注"),
    "help_reload": ("reload the deck", "重新加载"),
    "help_help": ("this help", "本帮助"),
    "help_quit": ("quit", "退出"),
    "help_mouse_keys": ("mouse", "鼠标"),
    "help_mouse": (
        "click right / left half, wheel: next / previous; click a picture: zoom",
        "点击右半 / 左半，滚轮：下一张 / 上一张；点击图片：放大",
    ),
    # Problems in a deck (diagnostics.py: `istio-deck check` in English, the app's `!` list
    # in the deck's language). Images (parse.py)
    "diag_image_no_link": (
        'image without a link; give it link="./file.png"',
        '图片没有链接；请写 link="./file.png"',
    ),
    "diag_image_outside": (
        "image {src} is outside the deck folder; copy it into the deck or present with "
        "--allow-outside",
        "图片 {src} 在演示文件夹之外；请把它复制到演示文件夹中，或加上 --allow-outside 演示",
    ),
    "diag_image_remote": (
        "remote image {src} is not fetched; copy it into the bundle",
        "远程图片 {src} 不会下载；请把它复制到页面包（bundle）中",
    ),
    "diag_image_missing": (
        "image {src} not found (looked for {path}); fix the link",
        "图片 {src} 未找到（查找位置：{path}）；请修正链接",
    ),
    "diag_image_unreadable": (
        "image {src} cannot be read (corrupt or not an image); replace it",
        "图片 {src} 无法读取（已损坏或不是图片）；请替换它",
    ),
    "diag_image_too_large": (
        "image {src} is {width}x{height} pixels, over the {limit} MP limit; make it smaller",
        "图片 {src} 有 {width}x{height} 像素，超过 {limit} MP 上限；请缩小它",
    ),
    "diag_image_too_tall": (
        "image {src} is {width}x{height} pixels: too tall to read on a slide (a few cells "
        "wide, zoomed too); crop it into parts, one a slide",
        "图片 {src} 有 {width}x{height} 像素：太高，在幻灯片上（放大后也）只有几格宽，无法看清；"
        "请把它裁成几部分，每张幻灯片一部分",
    ),
    "diag_image_too_wide": (
        "image {src} is {width}x{height} pixels: too wide to read on a slide (a row or two "
        "high); crop it, or split it into parts",
        "图片 {src} 有 {width}x{height} 像素：太宽，在幻灯片上只有一两行高，无法看清；"
        "请裁剪它，或分成几部分",
    ),
    # Headings and links (parse.py, html_blocks.py, build.py)
    "diag_heading_id_hashes": (
        "heading id written {{{hashes}{id}}}; write {{#{id}}}",
        "标题 id 写成了 {{{hashes}{id}}}；请写 {{#{id}}}",
    ),
    "diag_heading_id_no_hash": (
        "heading id {written} has no '#', so Hugo shows it as text; write {{#{id}}}",
        "标题 id {written} 缺少 '#'，Hugo 会把它当作正文显示；请写 {{#{id}}}",
    ),
    "diag_heading_id_doubled": (
        "heading id {written} has its braces doubled, so Hugo shows it as text; write {{#{id}}}",
        "标题 id {written} 的花括号重复了，Hugo 会把它当作正文显示；请写 {{#{id}}}",
    ),
    "diag_heading_id_unclosed": (
        "heading id {written} is not closed with '}}', so Hugo shows it as text; write {{#{id}}}",
        "标题 id {written} 没有以 '}}' 结束，Hugo 会把它当作正文显示；请写 {{#{id}}}",
    ),
    "diag_heading_id_twice": (
        "heading id #{id} is used twice; give this heading another id",
        "标题 id #{id} 用了两次；请给这个标题换一个 id",
    ),
    "diag_slide_empty": (
        "slide “{title}” has no content below its heading",
        "幻灯片“{title}”的标题下没有内容",
    ),
    "diag_link_not_followed": (
        "link to {href} is not followed",
        "指向 {href} 的链接不会打开",
    ),
    "diag_link_spaced": (
        "link {name} has a target with spaces (“{target}”), so Hugo shows it as text, brackets "
        "and all; put its URL in the ( ), with %20 for a space",
        "链接 {name} 的目标含有空格（“{target}”），Hugo 会把它连同方括号当作正文显示；"
        "请把 URL 写在 ( ) 中，空格写成 %20",
    ),
    "diag_link_gap": (
        "link {name} has a space before its (, so Hugo shows it as text, brackets and all; "
        "write {name}({target})",
        "链接 {name} 的 ( 前有空格，Hugo 会把它连同方括号当作正文显示；请写 {name}({target})",
    ),
    "diag_link_no_definition": (
        "link {name} has no definition of [{ref}], so Hugo shows it as text, brackets and all; "
        "add a line [{ref}]: https://… or write {name}(https://…)",
        "链接 {name} 缺少 [{ref}] 的定义，Hugo 会把它连同方括号当作正文显示；"
        "请加一行 [{ref}]: https://…，或写 {name}(https://…)",
    ),
    "diag_link_unclosed": (
        "link {name} is not closed with ), so Hugo shows it as text, brackets and all; "
        "write {name}({target})",
        "链接 {name} 没有以 ) 结束，Hugo 会把它连同方括号当作正文显示；请写 {name}({target})",
    ),
    "diag_link_unopened": (
        "link {name} has no ( before its URL, so Hugo shows it as text, brackets and all; "
        "write {name}({target})",
        "链接 {name} 的 URL 前缺少 (，Hugo 会把它连同方括号当作正文显示；请写 {name}({target})",
    ),
    # Shortcodes shown on slides (parse.py)
    "diag_company_logo": (
        '{{{{< company_logo >}}}} without its picture; give it logo="/path/to/logo.svg"',
        '{{{{< company_logo >}}}} 缺少图片；请写 logo="/path/to/logo.svg"',
    ),
    "diag_code_not_fetched": (
        "{{{{< {name} >}}}} code from {where} is not fetched; paste it into a "
        "{{{{< text >}}}} block to show it",
        "{{{{< {name} >}}}} 引用的代码（{where}）不会下载；请把它粘贴到 {{{{< text >}}}} 块中显示",
    ),
    "diag_embed_no_id": (
        "{{{{< {name} >}}}} without its id is left out; give it its id",
        "{{{{< {name} >}}}} 缺少 id，已省略；请写上它的 id",
    ),
    "diag_embed_shortcode": (
        "{name} shown as a link ({host}): it cannot be embedded in a terminal",
        "{name} 显示为链接（{host}）：终端中无法嵌入",
    ),
    "diag_release_links": (
        "{{{{< {name} >}}}} shows the links of the post's release: add release: 1.x.y to the "
        "front matter",
        "{{{{< {name} >}}}} 显示文章所属版本的链接：请在 front matter 中加上 release: 1.x.y",
    ),
    "diag_security_bulletin": (
        "{{{{< security_bulletin >}}}} shows the bulletin's cves, cvss and releases: add them "
        "to the front matter",
        "{{{{< security_bulletin >}}}} 显示公告的 cves、cvss 和 releases："
        "请把它们加到 front matter 中",
    ),
    "diag_youtube_no_id": (
        "{{{{< {name} >}}}} without a video id; write {{{{< youtube ID >}}}}",
        "{{{{< {name} >}}}} 缺少视频 id；请写 {{{{< youtube ID >}}}}",
    ),
    "diag_youtube_link": (
        "video shown as a link (youtube.com): it cannot play in a terminal",
        "视频显示为链接（youtube.com）：终端中无法播放",
    ),
    "diag_shortcode_inline": (
        "shortcode {{{{< {name} >}}}} cannot be shown inside this line; put it on a line of "
        "its own",
        "短代码 {{{{< {name} >}}}} 无法在这一行中显示；请把它单独放在一行",
    ),
    # HTML in a post (html_blocks.py)
    "diag_svg_inline": (
        "inline <svg> drawing is not shown; save it as an .svg file and use an image",
        "内嵌的 <svg> 图形不会显示；请把它另存为 .svg 文件，当作图片使用",
    ),
    "diag_form": (
        "<form> cannot work on a slide; only its text is shown",
        "<form> 在幻灯片上无法使用；只显示其中的文字",
    ),
    "diag_embed_no_src": ("<{tag}> without a src is left out", "<{tag}> 缺少 src，已省略"),
    "diag_embed_scheme": (
        "<{tag}> with a {scheme}: link is left out; give it an https:// address",
        "<{tag}> 的 {scheme}: 链接已省略；请给它一个 https:// 地址",
    ),
    "diag_embed_bad_link": (
        "<{tag}> with a bad: link is left out; give it an https:// address",
        "<{tag}> 的链接无效，已省略；请给它一个 https:// 地址",
    ),
    "diag_embed_video": (
        "video shown as a link ({host}): <{tag}> cannot play in a terminal",
        "视频显示为链接（{host}）：<{tag}> 在终端中无法播放",
    ),
    "diag_embed_audio": (
        "audio shown as a link ({host}): <{tag}> cannot play in a terminal",
        "音频显示为链接（{host}）：<{tag}> 在终端中无法播放",
    ),
    "diag_embed_slides": (
        "slides shown as a link ({host}): <{tag}> cannot play in a terminal",
        "幻灯片显示为链接（{host}）：<{tag}> 在终端中无法播放",
    ),
    "diag_embed_page": (
        "page shown as a link ({host}): <{tag}> cannot play in a terminal",
        "嵌入页面显示为链接（{host}）：<{tag}> 在终端中无法播放",
    ),
    # Footnotes (footnotes.py)
    "diag_footnote_uncited": (
        "footnote [^{label}] is never cited; cite it as [^{label}] or remove it",
        "脚注 [^{label}] 从未被引用；请用 [^{label}] 引用它，或删除它",
    ),
    "diag_footnote_twice": (
        "footnote [^{label}] is defined twice (first at line {first}); remove one definition",
        "脚注 [^{label}] 定义了两次（第一次在第 {first} 行）；请删除其中一个定义",
    ),
    "diag_footnote_undefined": (
        "footnote [^{label}] is not defined; add a line “[^{label}]: …” or remove the reference",
        "脚注 [^{label}] 没有定义；请加一行“[^{label}]: …”，或删除这个引用",
    ),
    # Shortcode syntax (hugo/shortcodes.py)
    "diag_sc_delimiters": (
        "malformed shortcode delimiters in {written}; write {{{{< {name} … >}}}}",
        "{written} 中的短代码定界符有误；请写 {{{{< {name} … >}}}}",
    ),
    "diag_sc_quote": (
        'unterminated quote in {written}; close the "',
        '{written} 中的引号没有结束；请补上 "',
    ),
    "diag_sc_unreadable": (
        "shortcode {written} cannot be read; check its arguments",
        "无法读取短代码 {written}；请检查它的参数",
    ),
    "diag_sc_no_name": (
        "shortcode {written} has no name; write {{{{< name … >}}}}",
        "短代码 {written} 没有名称；请写 {{{{< name … >}}}}",
    ),
    "diag_sc_not_closed_with": (
        "shortcode {written} is never closed with {close}; add {close}",
        "短代码 {written} 没有以 {close} 结束；请加上 {close}",
    ),
    "diag_sc_close_unopened": (
        "{{{{< /{name} >}}}} closes a shortcode that was never opened; remove it",
        "{{{{< /{name} >}}}} 要关闭的短代码从未打开；请删除它",
    ),
    "diag_sc_unclosed": (
        "shortcode {{{{< {name} >}}}} is never closed; add {{{{< /{name} >}}}}",
        "短代码 {{{{< {name} >}}}} 没有关闭；请加上 {{{{< /{name} >}}}}",
    ),
    "diag_sc_no_param": (
        "no value for {{{{< param \"{param}\" >}}}}; set '{param}' in the front matter or in "
        "istio-deck.toml [shortcodes]",
        '{{{{< param "{param}" >}}}} 没有值；请在 front matter 或 istio-deck.toml 的 '
        "[shortcodes] 中设置 '{param}'",
    ),
    "diag_sc_no_value": (
        "no value for {{{{< {name} >}}}}; set '{name}' in the front matter or in "
        "istio-deck.toml [shortcodes]",
        "{{{{< {name} >}}}} 没有值；请在 front matter 或 istio-deck.toml 的 [shortcodes] "
        "中设置 '{name}'",
    ),
    "diag_sc_site_only": (
        "{{{{< {name} >}}}} is drawn by istio.io from the site's own data and is not shown in "
        "the deck",
        "{{{{< {name} >}}}} 由 istio.io 根据网站自己的数据生成，演示中不显示",
    ),
    "diag_sc_site_only_inner": (
        "{{{{< {name} >}}}} is drawn by istio.io from the site's own data and is not shown in "
        "the deck; its inner text is kept",
        "{{{{< {name} >}}}} 由 istio.io 根据网站自己的数据生成，演示中不显示；保留其中的文字",
    ),
    "diag_sc_closes_none": (
        "{raw} closes no shortcode; remove it or write the opening {{{{< name",
        "{raw} 没有可关闭的短代码；请删除它，或写上开头的 {{{{< name",
    ),
    "diag_sc_brace_id": (
        "{written} is left out: an id in braces belongs at the end of a heading line; move or "
        "remove it",
        "{written} 已省略：花括号中的 id 应写在标题行的末尾；请移动或删除它",
    ),
    "diag_sc_unknown_inline": (
        "unknown shortcode {{{{< {name} >}}}} is shown as ‹{name}›; set '{name}' in the front "
        "matter or in istio-deck.toml [shortcodes] to give its text",
        "未知短代码 {{{{< {name} >}}}} 显示为 ‹{name}›；请在 front matter 或 istio-deck.toml 的 "
        "[shortcodes] 中设置 '{name}'，给出它的文字",
    ),
    "diag_sc_unknown": (
        "unknown shortcode {{{{< {name} >}}}}: its tag is left out and its inner text is kept",
        "未知短代码 {{{{< {name} >}}}}：省略它的标签，保留其中的文字",
    ),
    # Front matter (hugo/frontmatter.py, build.py)
    "diag_fm_unclosed": (
        "front matter opened with {marker} is never closed; add a line with {marker} after the "
        "last front matter key",
        "以 {marker} 开始的 front matter 没有结束；请在 front matter 的最后一个键之后加一行 "
        "{marker}",
    ),
    "diag_fm_invalid": (
        "front matter is not valid {kind}: {problem}; fix it",
        "front matter 不是有效的 {kind}：{problem}；请修正",
    ),
    "diag_fm_list": (
        "front matter must be 'key: value' lines, but it is a list; fix it",
        "front matter 必须是 'key: value' 形式的行，但它是一个列表；请修正",
    ),
    "diag_fm_not_mapping": (
        "front matter must be 'key: value' lines, but it is a {kind}; fix it",
        "front matter 必须是 'key: value' 形式的行，但它是 {kind}；请修正",
    ),
    "diag_not_a_language": (
        "{field}: {value} is not a language; write lang: zh or lang: en",
        "{field}: {value} 不是语言；请写 lang: zh 或 lang: en",
    ),
    "diag_fm_link": (
        "front matter link: {href} is not followed; give an https:// URL",
        "front matter 中的 link: {href} 不会打开；请给出 https:// 网址",
    ),
    # Files (loader.py, build.py)
    "diag_utf16": ("file is UTF-16; save it as UTF-8", "文件是 UTF-16 编码；请另存为 UTF-8"),
    "diag_not_text": (
        "this is not a text file; point istio-deck at Markdown",
        "这不是文本文件；请让 istio-deck 打开 Markdown 文件",
    ),
    "diag_gb18030": (
        "file is not UTF-8; read it as GB18030 (save it as UTF-8)",
        "文件不是 UTF-8 编码；已按 GB18030 读取（请另存为 UTF-8）",
    ),
    "diag_bad_utf8": (
        "file is not valid UTF-8; bad bytes shown as �; save it as UTF-8",
        "文件不是有效的 UTF-8；无效字节显示为 �；请另存为 UTF-8",
    ),
    "diag_nul": ("file contains NUL bytes; they were removed", "文件含有 NUL 字节；已删除"),
    "diag_empty_file": (
        "the file is empty; write a title and some slides",
        "文件是空的；请写上标题和几张幻灯片",
    ),
    "diag_file_left_out": (
        "{problem}; the file is left out of the deck",
        "{problem}；此文件未加入演示",
    ),
    # Comment commands (hugo/commands.py) and the talk file (talk.py)
    "diag_command_unknown": (
        "unknown command <!-- {name} -->; it is left out",
        "未知命令 <!-- {name} -->；已忽略",
    ),
    "diag_command_unknown_near": (
        "unknown command <!-- {name} -->; did you mean {near}? It is left out",
        "未知命令 <!-- {name} -->；是不是想写 {near}？已忽略",
    ),
    "diag_command_no_argument": (
        "<!-- {name} --> takes no argument (“{argument}”); it is left out",
        "<!-- {name} --> 不带参数（“{argument}”）；已忽略",
    ),
    "diag_command_needs_argument": (
        "<!-- {name}: … --> needs an argument after the colon; it is left out",
        "<!-- {name}: … --> 需要在冒号后写参数；已忽略",
    ),
    "diag_command_int": (
        "<!-- {name}: {argument} -->: write a number of lines from 1 to 50; it is left out",
        "<!-- {name}: {argument} -->：请写 1 到 50 之间的行数；已忽略",
    ),
    "diag_command_column": (
        "<!-- {name}: {argument} -->: write a column number (0 is the first); it is left out",
        "<!-- {name}: {argument} -->：请写栏号（第一栏是 0）；已忽略",
    ),
    "diag_command_bool": (
        "<!-- {name}: {argument} -->: write true or false; it is left out",
        "<!-- {name}: {argument} -->：请写 true 或 false；已忽略",
    ),
    "diag_command_align": (
        "<!-- {name}: {argument} -->: write left, center or right; it is left out",
        "<!-- {name}: {argument} -->：请写 left、center 或 right；已忽略",
    ),
    "diag_command_widths": (
        "<!-- {name}: {argument} -->: write column widths such as [1, 2]; it is left out",
        "<!-- {name}: {argument} -->：请写栏宽，例如 [1, 2]；已忽略",
    ),
    "diag_command_nested": (
        "<!-- {name} --> works between a slide's blocks, not inside a list item, quote or "
        "shortcode; it is left out",
        "<!-- {name} --> 只能写在幻灯片的段落之间，不能写在列表项、引用或短代码里；已忽略",
    ),
    "diag_command_no_layout": (
        "<!-- column: {column} --> comes before any <!-- column_layout: […] -->; it is left out",
        "<!-- column: {column} --> 之前没有 <!-- column_layout: […] -->；已忽略",
    ),
    "diag_command_column_out": (
        "<!-- column: {column} -->: the layout has {count} columns (0 to {last}); it is left out",
        "<!-- column: {column} -->：分栏只有 {count} 栏（0 到 {last}）；已忽略",
    ),
    "diag_command_reveal_in_column": (
        "<!-- {name} --> inside a column has no effect; put it before the columns",
        "<!-- {name} --> 写在分栏里不起作用；请写在分栏之前",
    ),
    "diag_exec_language": (
        "a live command in {language} cannot run (only {known}); it is shown as code",
        "{language} 的实时命令无法运行（只支持 {known}）；按普通代码显示",
    ),
    "diag_command_exec_alone": (
        "<!-- exec --> is not followed by a code block; it is left out",
        "<!-- exec --> 后面不是代码块；已忽略",
    ),
    "diag_fm_incremental": (
        "incremental_lists: {value} is neither true nor false; lists are shown whole",
        "incremental_lists: {value} 既不是 true 也不是 false；列表整体显示",
    ),
    "diag_talk_unreadable": (
        "cannot read the talk file ({problem}); its settings are ignored",
        "无法读取演讲文件（{problem}）；其中的设置不起作用",
    ),
    "diag_talk_theme": (
        "{setting} = {value} is not a theme name; it is ignored",
        "{setting} = {value} 不是主题名；此设置不起作用",
    ),
    "diag_talk_level": (
        "{setting} = {value} is not a heading level from 1 to 6; it is ignored",
        "{setting} = {value} 不是 1 到 6 之间的标题级别；此设置不起作用",
    ),
    "diag_talk_duration": (
        '{setting} = {value} is not a length of time such as "20m", "1h30m" or 20; it is ignored',
        '{setting} = {value} 不是时长，例如 "20m"、"1h30m" 或 20；此设置不起作用',
    ),
    "diag_talk_bool": (
        "{setting} = {value} is neither true nor false; it is ignored",
        "{setting} = {value} 既不是 true 也不是 false；此设置不起作用",
    ),
    "diag_talk_slides": (
        '{setting} = {value} is not a list of slides such as "1-3,5,7-"; every slide is shown',
        '{setting} = {value} 不是幻灯片列表，例如 "1-3,5,7-"；显示全部幻灯片',
    ),
    "diag_talk_slides_range": (
        "slides = {value} names slides the deck does not have (1-{count}); every slide is shown",
        "slides = {value} 含有不存在的幻灯片（共 1-{count}）；显示全部幻灯片",
    ),
    "diag_nests_too_deeply": (
        "the file nests too deeply to parse; it is left out of the deck",
        "文件嵌套太深，无法解析；此文件未加入演示",
    ),
}


def is_chinese(lang: str) -> bool:
    return lang.startswith("zh")


def say(lang: str, key: str, **values: object) -> str:
    """The text for ``key`` in the deck's language."""
    english, chinese = WORDS[key]
    text = chinese if is_chinese(lang) else english
    return text.format(**values)
