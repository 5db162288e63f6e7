"""The CJK-aware line breaker: exact lines for real sentences, edge cases and properties."""

from __future__ import annotations

import itertools
import re
import unicodedata

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rich.cells import split_graphemes
from rich.style import Style
from rich.text import Span, Text

from tui_deck.cjk import is_cjk
from tui_deck.layout import linebreak
from tui_deck.layout.cells import char_width, text_width
from tui_deck.layout.linebreak import line_ranges, wrap, wrap_plain

# The rules as the brief states them, written out here rather than imported, so that the
# tests check the implementation against the specification.
NO_START = "，。、；：！？）」』】》〉”’…］｝％．"
NO_START_AFTER_CHAR = ",.;:!?)]}%"  # only when directly after the previous character
NO_END = "（「『【《〈“‘"
NO_END_BEFORE_TEXT = "([{"
#: After a space, ASCII closing marks standing alone (a space, CJK or the end after them)
#: never start a line, nor ",;)]}" before a word (".gitignore" and ":8080" may).
STANDALONE = re.compile(r"[,;)\]}]|[.:!?%]+(?![^\s\u2e80-\u9fff\uff00-\uffef])")
#: Only these are spaces to break at (a no-break space or "\r" is part of its word).
BREAK_SPACES = " \t\n"

SEED_1 = (
    "在过去的 12 个月里，Istio 项目一直非常关注用户的第 0 天和第 1 天使用体验。"
    "并通过 UX 调查和 GitHub Issue 的形式积极倾听用户的反馈。"
)
SEED_2 = "首届社区会议取得了巨大成功，有来自 80 个国家的 4,000 多人注册参加。"
ENGLISH = (
    "Four years ago today, the Istio project was born to the open source world. To "
    "celebrate the anniversary, we are hosting a week-long birthday celebration."
)
MIXED = (
    "我们在 Istio 1.10 中通过零配置使 StatefulSet 易于使用，详见 "
    "https://istio.io/latest/blog/2021/statefulsets-made-easier/ 和 IstioCon 的演讲。"
)


# --- helpers ---------------------------------------------------------------------------------


def align(original: str, lines: list[str]) -> list[tuple[int, int]]:
    """Where each line sits in ``original``; fails unless only break spaces were removed.

    Between two lines there may be only spaces and at most one "\\n" (a hard break); before
    the first line and after the last only spaces.
    """
    gap = r"[ \t]*\n?[ \t]*"
    pattern = "[ \t]*" + gap.join(f"({re.escape(line)})" for line in lines) + "[ \t]*"
    match = re.fullmatch(pattern, original)
    assert match, f"lines {lines!r} are not {original!r} minus break spaces"
    return [match.span(i + 1) for i in range(len(lines))]


def soft_breaks(original: str, spans: list[tuple[int, int]]) -> list[tuple[int, str]]:
    """(index of the line after the break, removed text) for every break that is not hard."""
    out = []
    for k in range(1, len(spans)):
        removed = original[spans[k - 1][1] : spans[k][0]]
        if "\n" not in removed:
            out.append((k, removed))
    return out


def single_character(text: str) -> bool:
    """One user-perceived character (rich's grapheme, or a flag made of two indicators)."""
    while len(text) > 1 and char_width(text[-1]) == 0:  # combining marks
        text = text[:-1]
    if len(text) == 2 and all(0x1F1E6 <= ord(c) <= 0x1F1FF for c in text):
        return True
    return len(split_graphemes(text)[0]) == 1


def is_emoji(ch: str) -> bool:
    code = ord(ch)
    return 0x1F000 <= code <= 0x1FAFF or 0x2600 <= code <= 0x27BF


#: What kinsoku glues after a run: closing marks (CJK ones even after a space), and after a
#: space ASCII closing marks standing alone or ",;)]}" before a word.
GLUED_AFTER = re.compile(
    rf"[ \t]*[{re.escape(NO_START)}]"
    r"|[ \t]+(?:[,;)\]}]\S*|[,.;:!?)\]}%]+(?=[\s\u2e80-\u9fff\uff00-\uffef]|$))"
    r"|[,.;:!?)\]}%][^\s\u2e80-\u9fff\uff00-\uffef]*"
)


def glued(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the run ``text[start:end]`` with the marks kinsoku glues to it."""
    if start > 0 and (text[start] in NO_START_AFTER_CHAR or text[start] in NO_START):
        start -= 1  # ",https://…" and "，”https://…" stay with the character before them
        while start > 0 and char_width(text[start]) == 0:
            start -= 1
    while start > 0:  # opening marks take what follows ("（ https://…": even after a space)
        before = len(text[:start].rstrip(" \t"))
        if before and text[before - 1] in NO_END:
            start = before - 1
        elif text[start - 1] in NO_END_BEFORE_TEXT:
            start -= 1
        else:
            break
    while end < len(text):
        if text[end - 1] in NO_END + NO_END_BEFORE_TEXT and not text[end].isspace():
            end += 1  # an opening mark takes the character after it
            while end < len(text) and char_width(text[end]) == 0:
                end += 1
        elif match := GLUED_AFTER.match(text, end):
            end = match.end()
        else:
            break
    return start, end


def words(original: str) -> list[tuple[int, int, int, int]]:
    """The Latin words and numbers of ``original``, as the brief defines what must not break.

    A word is a maximal run of characters that are not break spaces, CJK or emoji (a combining
    mark continues the run of the letter it belongs to); a run without
    "/" may break after a hyphen between a letter or digit and a letter; the punctuation at
    either end of a word does not belong to it.

    Each word comes as ``(start, end, outer_start, outer_end)``: it must stay whole when
    ``original[outer_start:outer_end]`` fits the line. For a word that is the span itself;
    a URL or path (a run with "/") must also fit with its run and the punctuation that
    kinsoku glues to it (``（https://…/ops/）。``), else it folds at a "/".
    """
    out = []
    i, n = 0, len(original)
    while i < n:
        ch = original[i]
        if ch in BREAK_SPACES or is_cjk(ch) or is_emoji(ch) or unicodedata.combining(ch):
            i += 1
            continue
        j = i
        while j < n and (
            (char_width(original[j]) == 0 and original[j] not in BREAK_SPACES)  # combining
            or not (original[j] in BREAK_SPACES or is_cjk(original[j]) or is_emoji(original[j]))
        ):
            j += 1
        run = original[i:j]
        cuts = [0]
        if "/" not in run:
            for q in range(1, len(run) - 1):
                if run[q] == "-" and run[q - 1].isalnum() and run[q + 1].isalpha():
                    cuts.append(q + 1)
        cuts.append(len(run))
        outer_start, outer_end = glued(original, i, j)
        for a, b in itertools.pairwise(cuts):
            piece = run[a:b]
            alnum = [q for q, c in enumerate(piece) if c.isalnum()]
            if alnum:
                start, end = i + a + alnum[0], i + a + alnum[-1] + 1
                if "/" in run:
                    out.append((start, end, outer_start, outer_end))
                else:
                    out.append((start, end, start, end))
        i = j
    return out


def check_lines(
    original: str, lines: list[str], width: int, *, ambiguous_wide: bool = False
) -> list[tuple[int, int]]:
    """The invariants that hold at every width; returns the line spans."""
    for line in lines:
        cells = text_width(line, ambiguous_wide)
        # The one allowed overflow: a single character wider than the whole line.
        assert cells <= width or single_character(line), (line, width)
        assert not line.endswith((" ", "\t")), line
    spans = align(original, lines)
    for k, line in enumerate(lines):
        if line.startswith(" "):  # only the indentation of a hard line may stay
            assert k == 0 or "\n" in original[spans[k - 1][1] : spans[k][0]], lines
    # Words that fit the width are never split.
    for a, b, outer_a, outer_b in words(original):
        if text_width(original[outer_a:outer_b], ambiguous_wide) <= width:
            assert any(s <= a and b <= e for s, e in spans), (original[a:b], lines, width)
    return spans


def kinsoku_problems(original: str, lines: list[str], spans: list[tuple[int, int]]) -> list[str]:
    problems = []
    for k, removed in soft_breaks(original, spans):
        if not lines[k] or not lines[k - 1]:
            continue
        first, last = lines[k][0], lines[k - 1][-1]
        # A URL's query string may start a line ("…/search" / "?q=istio").
        query = first == "?" and not removed and "/" in lines[k - 1].split(" ")[-1]
        if first in NO_START or (first in NO_START_AFTER_CHAR and not removed and not query):
            problems.append(f"line {k} starts with {first!r}: {lines}")
        if STANDALONE.match(lines[k]):  # after a space, ", " or " )" standing alone
            problems.append(f"line {k} starts with a lone {first!r}: {lines}")
        if last in NO_END or (last in NO_END_BEFORE_TEXT and not removed):
            problems.append(f"line {k - 1} ends with {last!r}: {lines}")
    return problems


def underfilled(
    original: str, lines: list[str], spans: list[tuple[int, int]], width: int
) -> list[str]:
    """Lines that end although the next line's first CJK character would have fitted."""
    problems = []
    for k, removed in soft_breaks(original, spans):
        first = lines[k][0]
        if not is_cjk(first) or first in NO_END:
            continue
        after = spans[k][0] + 1
        while after < len(original) and unicodedata.combining(original[after]):
            after += 1
        rest = original[after:]
        if rest[:1] in set(NO_START_AFTER_CHAR) or rest.lstrip(" ")[:1] in set(NO_START):
            continue  # kinsoku glues the next character to this one
        if STANDALONE.match(rest.lstrip(" \t")) and rest[:1] in " \t":
            continue  # ... and a mark standing alone after a space
        if text_width(lines[k - 1] + removed + first) <= width:
            problems.append(f"line {k - 1} could have taken {first!r}: {lines}")
    return problems


# --- exact lines -----------------------------------------------------------------------------

SEED_1_LINES = {
    20: [
        "在过去的 12 个月里，",
        "Istio 项目一直非常关",
        "注用户的第 0 天和第",
        "1 天使用体验。并通过",
        "UX 调查和 GitHub",
        "Issue 的形式积极倾听",
        "用户的反馈。",
    ],
    30: [
        "在过去的 12 个月里，Istio 项目",
        "一直非常关注用户的第 0 天和第",
        "1 天使用体验。并通过 UX 调查和",
        "GitHub Issue 的形式积极倾听用",
        "户的反馈。",
    ],
    40: [
        "在过去的 12 个月里，Istio 项目一直非常关",
        "注用户的第 0 天和第 1 天使用体验。并通过",
        "UX 调查和 GitHub Issue 的形式积极倾听用",
        "户的反馈。",
    ],
    60: [
        "在过去的 12 个月里，Istio 项目一直非常关注用户的第 0 天和第",
        "1 天使用体验。并通过 UX 调查和 GitHub Issue 的形式积极倾听用",
        "户的反馈。",
    ],
}

SEED_2_LINES = {
    20: ["首届社区会议取得了巨", "大成功，有来自 80 个", "国家的 4,000 多人注", "册参加。"],
    30: ["首届社区会议取得了巨大成功，有", "来自 80 个国家的 4,000 多人注", "册参加。"],
    40: ["首届社区会议取得了巨大成功，有来自 80 个", "国家的 4,000 多人注册参加。"],
    60: ["首届社区会议取得了巨大成功，有来自 80 个国家的 4,000 多人注", "册参加。"],
}

ENGLISH_LINES = {
    20: [
        "Four years ago",
        "today, the Istio",
        "project was born to",
        "the open source",
        "world. To celebrate",
        "the anniversary, we",
        "are hosting a week-",
        "long birthday",
        "celebration.",
    ],
    40: [
        "Four years ago today, the Istio project",
        "was born to the open source world. To",
        "celebrate the anniversary, we are",
        "hosting a week-long birthday",
        "celebration.",
    ],
    60: [
        "Four years ago today, the Istio project was born to the open",
        "source world. To celebrate the anniversary, we are hosting a",
        "week-long birthday celebration.",
    ],
}

MIXED_LINES = {
    30: [
        "我们在 Istio 1.10 中通过零配置",
        "使 StatefulSet 易于使用，详见",
        # The URL alone is wider than the line: it is folded after a "/".
        "https://istio.io/latest/blog/",
        "2021/statefulsets-made-easier/",
        "和 IstioCon 的演讲。",
    ],
    40: [
        "我们在 Istio 1.10 中通过零配置使",
        "StatefulSet 易于使用，详见",
        "https://istio.io/latest/blog/2021/",
        "statefulsets-made-easier/ 和 IstioCon 的",
        "演讲。",
    ],
    60: [
        "我们在 Istio 1.10 中通过零配置使 StatefulSet 易于使用，详见",
        "https://istio.io/latest/blog/2021/statefulsets-made-easier/",
        "和 IstioCon 的演讲。",
    ],
}


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        *((SEED_1, w, lines) for w, lines in SEED_1_LINES.items()),
        *((SEED_2, w, lines) for w, lines in SEED_2_LINES.items()),
        *((ENGLISH, w, lines) for w, lines in ENGLISH_LINES.items()),
        *((MIXED, w, lines) for w, lines in MIXED_LINES.items()),
    ],
)
def test_real_sentences(text: str, width: int, expected: list[str]) -> None:
    lines = wrap_plain(text, width)
    assert lines == expected
    spans = check_lines(text, lines, width)
    assert kinsoku_problems(text, lines, spans) == []
    assert underfilled(text, lines, spans, width) == []


def test_wrap_returns_texts_with_the_same_lines() -> None:
    lines = wrap(Text(SEED_1), 30)
    assert all(isinstance(line, Text) for line in lines)
    assert [line.plain for line in lines] == SEED_1_LINES[30]


def test_a_line_that_fits_is_one_line() -> None:
    assert wrap_plain(SEED_2, 200) == [SEED_2]
    assert wrap_plain("Istio", 5) == ["Istio"]


def test_empty_text_is_one_empty_line() -> None:
    assert wrap_plain("", 10) == [""]
    assert [line.plain for line in wrap(Text(""), 10)] == [""]


# --- words and numbers -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        # A number never breaks at its comma or its dot.
        ("来自 80 个国家的 4,000 多人", 12, ["来自 80 个国", "家的 4,000", "多人"]),
        ("在 Istio 1.10 中", 11, ["在 Istio", "1.10 中"]),
        ("我们在 Istio 1.10 中", 14, ["我们在 Istio", "1.10 中"]),
        # CJK next to a Latin word breaks in both directions, the word stays whole.
        ("使StatefulSet易于使用", 14, ["使StatefulSet", "易于使用"]),
        ("参加IstioCon大会", 10, ["参加", "IstioCon大", "会"]),
        ("参加 IstioCon 大会", 10, ["参加", "IstioCon", "大会"]),
        # English: break at spaces, drop them, keep inner spaces as written.
        ("the quick  brown fox", 10, ["the quick", "brown fox"]),
        ("the quick  brown fox", 11, ["the quick", "brown fox"]),
        ("a  b", 4, ["a  b"]),
        ("a    b", 3, ["a", "b"]),
        # After a hyphen inside a word, not in "-1", "x-1" or "--set".
        ("the service-mesh way", 14, ["the service-", "mesh way"]),
        ("use --set-x now", 8, ["use", "--set-x", "now"]),
        ("from x-1 to x-2", 6, ["from", "x-1 to", "x-2"]),
        ("X-Forwarded-For 头", 12, ["X-Forwarded-", "For 头"]),
    ],
)
def test_words_and_numbers(text: str, width: int, expected: list[str]) -> None:
    lines = wrap_plain(text, width)
    assert lines == expected
    check_lines(text, lines, width)


def test_urls_do_not_break_at_hyphens_or_slashes() -> None:
    url = "https://istio.io/a-b/c-d"
    assert wrap_plain(f"see {url} now", 26) == ["see", url, "now"]
    assert wrap_plain(f"详见{url}。", 26) == ["详见", f"{url}。"]


BOOKINFO = "https://github.com/istio/istio/blob/master/samples/bookinfo/platform/kube/bookinfo.yaml"


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        # A URL wider than the line folds after a "/", not inside a path segment.
        (
            f"Deploy {BOOKINFO} now.",
            40,
            [
                "Deploy",
                "https://github.com/istio/istio/blob/",
                "master/samples/bookinfo/platform/kube/",
                "bookinfo.yaml now.",
            ],
        ),
        (
            f"清单文件位于{BOOKINFO}中。",
            60,
            [
                "清单文件位于",
                "https://github.com/istio/istio/blob/master/samples/bookinfo/",
                "platform/kube/bookinfo.yaml中。",
            ],
        ),
        # Before "?", "&" and "#"; "//" stays whole.
        (
            "https://www.google.com/search?q=istio+service+mesh&hl=zh-CN#top",
            40,
            ["https://www.google.com/search", "?q=istio+service+mesh&hl=zh-CN#top"],
        ),
        (
            "see https://prometheus.example:9090/api/v1/query?query=istio_requests_total&time=17",
            40,
            [
                "see",
                "https://prometheus.example:9090/api/v1/",
                "query?query=istio_requests_total&time=17",
            ],
        ),
        # A segment wider than the line folds after "-" or "." (not inside a number
        # such as 1.20.3); after "/" is better.
        (
            "/var/run/secrets/workload-spiffe-credentials/root-cert.pem",
            30,
            ["/var/run/secrets/", "workload-spiffe-credentials/", "root-cert.pem"],
        ),
        (
            "gcs/istio-build/0.0.0-ambient.191fe680b52c1754ee",
            30,
            ["gcs/istio-build/", "0.0.0-ambient.", "191fe680b52c1754ee"],
        ),
        ("https://x.io/release-1.20.3/a", 14, ["https://x.io/", "release-", "1.20.3/a"]),
        # No line of a lone "/" or ")" at the end of a URL: the last segment moves down.
        ("(https://istio.io/latest/docs/ops/)", 34, ["(https://istio.io/latest/docs/", "ops/)"]),
        ("https://istio.io/latest/docs/ops/", 32, ["https://istio.io/latest/docs/", "ops/"]),
    ],
)
def test_a_wide_url_or_path_folds_at_its_slashes(
    text: str, width: int, expected: list[str]
) -> None:
    lines = wrap_plain(text, width)
    assert lines == expected
    check_lines(text, lines, width)


@pytest.mark.parametrize("width", range(8, 60))
def test_no_line_of_a_folded_url_is_a_lone_punctuation_mark(width: int) -> None:
    for text in (
        f"（{BOOKINFO}）。",
        f"see ({BOOKINFO}).",
        f"“{BOOKINFO}/”",
        "https://istio.io/latest/blog/2021/statefulsets-made-easier/",
    ):
        lines = wrap_plain(text, width)
        check_lines(text, lines, width)
        lone = [line for line in lines if len(line) == 1 and not line.isalnum()]
        assert lone == [], (width, lines)


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        # A mark standing alone after a space stays with the word before it.
        ("Sidecar 会拦截 , sidecar 之后", 14, ["Sidecar 会拦", "截 , sidecar", "之后"]),
        (
            "traffic , then ; proxy : allow . Done )",
            9,
            ["traffic ,", "then ;", "proxy :", "allow .", "Done )"],
        ),
        ("一二三四 ， 五六", 9, ["一二三", "四 ， 五", "六"]),
        ("Envoy 会拦截 ,代理之后", 14, ["Envoy 会拦截 ,", "代理之后"]),
        ("Sidecar 会拦截 ,sidecar 之后", 14, ["Sidecar 会拦", "截 ,sidecar 之", "后"]),
        # A word that starts with "." or ":" may still start a line.
        ("see .gitignore and :8080 now", 10, ["see", ".gitignore", "and :8080", "now"]),
    ],
)
def test_no_line_starts_with_a_mark_that_stands_alone(
    text: str, width: int, expected: list[str]
) -> None:
    lines = wrap_plain(text, width)
    assert lines == expected
    check_lines(text, lines, width)


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        ("abcdefghij", 4, ["abcd", "efgh", "ij"]),
        ("see Kubernetes now", 5, ["see", "Kuber", "netes", "now"]),
        # The rest of a folded word shares its line with what follows.
        ("Kubernetes is", 6, ["Kubern", "etes", "is"]),
        ("Kubernetes is", 4, ["Kube", "rnet", "es", "is"]),
        ("x=Kubernetes", 10, ["x=Kubernet", "es"]),
        # A 2-cell character is never split across the edge.
        ("ab中文", 3, ["ab", "中", "文"]),
    ],
)
def test_a_word_wider_than_the_line_is_folded(text: str, width: int, expected: list[str]) -> None:
    lines = wrap_plain(text, width)
    assert lines == expected
    check_lines(text, lines, width)


def test_folding_a_cluster_keeps_the_word_whole() -> None:
    # "（Kubernetes）" is one unbreakable cluster of 14 cells; Kubernetes alone fits 10.
    assert wrap_plain("（Kubernetes）", 10) == ["（", "Kubernetes", "）"]
    assert wrap_plain("verylongword。", 12) == ["verylongword", "。"]


# --- kinsoku -----------------------------------------------------------------------------


def test_no_line_starts_with_a_comma_the_previous_character_moves_down() -> None:
    # At 18 cells "里" would fit on the first line, but then "，" would start the second.
    assert wrap_plain(SEED_1, 18)[:2] == ["在过去的 12 个月", "里，Istio 项目一直"]
    assert wrap_plain("一二三四五，六七", 10) == ["一二三四", "五，六七"]


def test_no_line_starts_with_a_full_stop() -> None:
    assert wrap_plain("一二三四五。六七", 10) == ["一二三四", "五。六七"]
    assert wrap_plain("一二三四五。」六七", 12) == ["一二三四", "五。」六七"]


@pytest.mark.parametrize("mark", list("，。、；：！？）」』】》〉”’…"))
def test_every_closing_mark_is_kept_off_the_line_start(mark: str) -> None:
    text = f"一二三四五{mark}六七八"
    lines = wrap_plain(text, 10)
    assert lines[1][0] == "五"
    assert kinsoku_problems(text, lines, align(text, lines)) == []


@pytest.mark.parametrize("mark", list("（「『【《〈“‘"))
def test_no_line_ends_with_an_opening_mark(mark: str) -> None:
    text = f"一二三四{mark}五六七"
    lines = wrap_plain(text, 10)
    assert lines[0] == "一二三四"
    assert lines[1].startswith(mark + "五")


def test_opening_bracket_and_quote_in_real_text() -> None:
    assert wrap_plain("使用 API （例如 Envoy）", 12) == ["使用 API", "（例如", "Envoy）"]
    assert wrap_plain("他说“你好”然后离开了。", 6) == ["他说", "“你好”", "然后离", "开了。"]


def test_ascii_closing_punctuation() -> None:
    # Right after a CJK character a comma or bracket cannot start a line ...
    assert wrap_plain("一二三四五,六七", 10) == ["一二三四", "五,六七"]
    assert wrap_plain("中文(例如)文字", 6) == ["中文", "(例如)", "文字"]
    # ... nor after a space: a mark standing alone stays with the word before it.
    assert wrap_plain("a ( b ) c", 5) == ["a (", "b ) c"]


def test_kinsoku_gives_way_when_the_width_is_too_small() -> None:
    # "户。" needs 4 cells; at 3 there is no way to keep them together.
    assert wrap_plain("用户。", 3) == ["用", "户", "。"]
    assert wrap_plain("用户。", 2) == ["用", "户", "。"]


# --- hard breaks, widths, ambiguous characters ---------------------------------------------


def test_hard_newlines_always_break() -> None:
    assert wrap_plain("第一行\n第二行很长很长", 8) == ["第一行", "第二行很", "长很长"]
    assert wrap_plain("a\n\nb", 10) == ["a", "", "b"]
    assert wrap_plain("a\n", 10) == ["a", ""]
    assert wrap_plain("a  \n  b c", 10) == ["a", "  b c"]


def test_indentation_of_a_hard_line_is_kept_when_it_fits() -> None:
    assert wrap_plain("  indented text", 12) == ["  indented", "text"]
    assert wrap_plain("  indented text", 8) == ["indented", "text"]
    assert wrap_plain("   ", 2) == [""]


def test_width_one_and_two_never_overflow_except_a_lone_wide_character() -> None:
    assert wrap_plain("abc", 1) == ["a", "b", "c"]
    assert wrap_plain("a b", 1) == ["a", "b"]
    assert wrap_plain("中文", 2) == ["中", "文"]
    assert wrap_plain("中文。", 2) == ["中", "文", "。"]
    # A 2-cell character cannot fit one cell: it gets a line of its own (not dropped).
    assert wrap_plain("中文", 1) == ["中", "文"]
    assert wrap_plain("a中b", 1) == ["a", "中", "b"]
    assert wrap_plain("（“…”）", 1) == ["（", "“", "…", "”", "）"]
    assert wrap_plain("a\u0301b\u0301", 1) == ["a\u0301", "b\u0301"]


def test_ambiguous_wide_counts_quotes_and_ellipsis_as_two() -> None:
    text = "他说“你好”然后离开了。"
    assert wrap_plain(text, 6) == ["他说", "“你好”", "然后离", "开了。"]
    assert wrap_plain(text, 6, ambiguous_wide=True) == ["他说", "“你", "好”然", "后离开", "了。"]
    assert wrap_plain("等等……好", 8) == ["等等……好"]
    assert wrap_plain("等等……好", 8, ambiguous_wide=True) == ["等等……", "好"]


def test_cell_widths() -> None:
    assert [char_width(c) for c in "a中。，😀\u0301“…—·"] == [1, 2, 2, 2, 2, 0, 1, 1, 1, 1]
    assert [char_width(c, True) for c in "a中\u0301“…—·"] == [1, 2, 0, 2, 2, 2, 2]
    assert text_width("Istio 项目") == 10
    assert text_width("“项目”") == 6
    assert text_width("“项目”", ambiguous_wide=True) == 8
    assert text_width("cafe\u0301") == 4
    # A ZWJ sequence is one 2-cell emoji, as rich measures it.
    assert text_width("👨\u200d👩\u200d👧") == 2
    for text in ("Istio 项目", "“项目…”", "cafe\u0301", "ｆｕｌｌ"):
        for wide in (False, True):
            assert text_width(text, wide) == sum(char_width(c, wide) for c in text)


def test_emoji_break_like_ideographs_and_stay_whole() -> None:
    text = "我们庆祝🎉生日🎂快乐👨\u200d👩\u200d👧一家"
    lines = wrap_plain(text, 6)
    assert lines == ["我们庆", "祝🎉生", "日🎂快", "乐👨\u200d👩\u200d👧一", "家"]
    check_lines(text, lines, 6)
    assert wrap_plain("国旗🇨🇳和👍🏽好", 4) == ["国旗", "🇨🇳和", "👍🏽好"]
    assert wrap_plain("party 🎉🎉🎉 time", 9) == ["party 🎉", "🎉🎉 time"]


def test_combining_marks_stay_with_their_letter() -> None:
    text = "cafe\u0301 cafe\u0301 cafe\u0301"
    assert wrap_plain(text, 5) == ["cafe\u0301"] * 3
    assert wrap_plain(text, 10) == ["cafe\u0301 cafe\u0301", "cafe\u0301"]
    assert wrap_plain("nai\u0308vete\u0301", 3) == ["nai\u0308", "vet", "e\u0301"]
    assert wrap_plain("か\u3099か\u3099か\u3099", 4) == ["か\u3099か\u3099", "か\u3099"]


def test_the_cjk_character_class_matches_is_cjk() -> None:
    cjk = re.compile(f"[{linebreak._C}]")
    samples = [*range(0x2D00, 0x10000), *range(0x1F000, 0x1F100), *range(0x20000, 0x20100)]
    mismatches = [hex(c) for c in samples if bool(cjk.fullmatch(chr(c))) != is_cjk(chr(c))]
    assert mismatches == []


# --- styles and links ----------------------------------------------------------------------


def styles_at(text: Text, index: int) -> list[Style | str]:
    return [span.style for span in text.spans if span.start <= index < span.end]


def test_spans_and_links_survive_wrapping_exactly() -> None:
    text = Text(SEED_1, style="white", justify="left")
    bold = Style(bold=True)
    link = Style(link="https://github.com/istio/istio/issues")
    text.stylize(bold, SEED_1.index("Istio"), SEED_1.index("Istio") + 5)
    start = SEED_1.index("GitHub")
    text.stylize(link, start, start + len("GitHub Issue"))
    text.stylize("italic", SEED_1.index("第 0"), SEED_1.index("UX"))  # crosses 2 breaks
    text.stylize("red", 0, len(SEED_1))
    lines = wrap(text, 20)
    assert [line.plain for line in lines] == SEED_1_LINES[20]
    spans = align(SEED_1, [line.plain for line in lines])
    for line, (start_offset, _) in zip(lines, spans, strict=True):
        assert line.style == "white"
        assert line.justify == "left"
        for i in range(len(line.plain)):
            assert styles_at(line, i) == styles_at(text, start_offset + i)
        for span in line.spans:
            assert 0 <= span.start < span.end <= len(line.plain)
    # The link span crosses the break between "GitHub" and "Issue": both halves keep it.
    assert Span(7, 13, link) in lines[4].spans
    assert Span(0, 5, link) in lines[5].spans


def test_wrapping_does_not_touch_the_input() -> None:
    text = Text("一二三四五六七八", style="bold")
    text.stylize("red", 2, 6)
    before = (text.plain, list(text.spans))
    wrap(text, 4)
    assert (text.plain, list(text.spans)) == before


def test_line_ranges_give_offsets_into_the_text() -> None:
    assert line_ranges("ab cd\nef", 2) == [(0, 2), (3, 5), (6, 8)]


# --- properties ----------------------------------------------------------------------------

CJK_CHARS = (
    "在过去的个月里项目一直非常关注用户第天和使用体验并通过调查形式积极倾听反馈网格服务か\u3099"
)
PIECES = st.one_of(
    st.sampled_from(list(CJK_CHARS)),
    st.from_regex(r"[A-Za-z]{1,12}", fullmatch=True),
    st.from_regex(r"[0-9]{1,4}(?:[.,][0-9]{1,3})?", fullmatch=True),
    st.sampled_from([" ", " ", "  ", "\t", "\n"]),
    st.sampled_from(list("，。、；：！？）」』】》〉”’…（「『【《〈“‘")),
    st.sampled_from(list(",.;:!?)]}%([{-/—·")),
    st.sampled_from(["🎉", "😀", "👍🏽", "👨\u200d👩\u200d👧", "🇨🇳", "e\u0301", "ｆｕｌｌ"]),
    st.sampled_from(["https://x.io/a-b/c", "service-mesh", "StatefulSet", "IstioCon"]),
)
TEXTS = st.lists(PIECES, max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(text=TEXTS, width=st.integers(1, 40), ambiguous_wide=st.booleans())
# A closing mark glued to a URL after it ("，”https://…"): the URL may fold when the two do
# not fit together (hypothesis found it).
@example(text="，”https://x.io/a-b/chttps://x.io/a-b/c", width=37, ambiguous_wide=False)
def test_property_fits_and_loses_nothing_but_break_spaces(
    text: str, width: int, ambiguous_wide: bool
) -> None:
    lines = wrap_plain(text, width, ambiguous_wide=ambiguous_wide)
    check_lines(text, lines, width, ambiguous_wide=ambiguous_wide)
    assert len(lines) >= text.count("\n") + 1
    styled = wrap(Text(text), width, ambiguous_wide=ambiguous_wide)
    assert [line.plain for line in styled] == lines


def _latin(char: str) -> bool:
    return not is_cjk(char) and char not in " \n"


@st.composite
def kinsoku_texts(draw: st.DrawFn) -> str:
    """Text whose unbreakable clusters are at most 10 cells wide."""
    latin = st.from_regex(r"[A-Za-z0-9]{1,6}", fullmatch=True)
    cjk = st.sampled_from(list(CJK_CHARS[:-2]))
    items = draw(
        st.lists(
            st.one_of(
                cjk,
                st.tuples(cjk, st.sampled_from([*NO_START, "。”", "）。", "，"])).map("".join),
                st.tuples(st.sampled_from(list(NO_END)), cjk).map("".join),
                latin,
                st.tuples(latin, st.sampled_from([",", ".", "!", ")"])).map("".join),
                latin.map(lambda w: f"({w})"),
                latin.map(lambda w: f"“{w}”"),
                latin.map(lambda w: f"（{w}）"),
                # A mark standing alone after a space: glued to the character before.
                st.tuples(cjk, st.sampled_from([" , ", " ; ", " ) ", " . "])).map("".join),
                st.just(" "),
            ),
            max_size=60,
        )
    )
    out: list[str] = []
    for item in items:
        if out and _latin(item[0]) and _latin(out[-1][-1]):
            out.append(" ")  # two Latin items would make one long word
        out.append(item)
    return "".join(out)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=kinsoku_texts(), width=st.integers(10, 40))
def test_property_kinsoku_and_filling_when_clusters_fit(text: str, width: int) -> None:
    lines = wrap_plain(text, width)
    spans = check_lines(text, lines, width)
    assert kinsoku_problems(text, lines, spans) == []
    assert underfilled(text, lines, spans, width) == []


SEGMENT = st.from_regex(r"[a-z0-9_]{1,10}", fullmatch=True)


@settings(max_examples=200, deadline=None)
@given(
    host=SEGMENT,
    path=st.lists(SEGMENT, min_size=1, max_size=12),
    query=st.booleans(),
    width=st.integers(20, 60),
    chinese=st.booleans(),
)
def test_property_a_wide_url_folds_only_between_its_segments(
    host: str, path: list[str], query: bool, width: int, chinese: bool
) -> None:
    url = f"https://{host}.io/" + "/".join(path) + ("?q=1&r=2#top" if query else "/")
    text = f"清单位于{url}。" if chinese else f"see ({url}) now"
    lines = wrap_plain(text, width)
    spans = check_lines(text, lines, width)
    for k in range(1, len(lines)):
        cut = spans[k][0]
        if spans[k - 1][1] == cut and text[cut - 1].isascii() and text[cut].isascii():
            # Inside the URL: after "/" or the host's ".", before "?", "&" or "#".
            assert text[cut - 1] in "/." or text[cut] in "?&#", (cut, lines)
            assert text[cut - 2 : cut] != ":/", lines
        assert len(lines[k]) > 1 or lines[k].isalnum(), lines


def test_no_break_after_or_before_a_hyphen_piece_of_one_or_two_letters() -> None:
    """ "T-" / "Mobile" or "In-" / "Cluster" reads badly; "service-" / "mesh" is fine."""
    assert wrap_plain("Salesforce、T-Mobile 和 Airbnb", 14) == [
        "Salesforce、",
        "T-Mobile 和",
        "Airbnb",
    ]
    assert wrap_plain("the In-Cluster operator", 10) == ["the", "In-Cluster", "operator"]
    assert wrap_plain("add x-add-custom header", 12) == ["add x-add-", "custom", "header"]
    assert wrap_plain("a service-mesh b", 10) == ["a service-", "mesh b"]
