"""The seed deck in slides/ is the talk this project exists for: it must split exactly so."""

from __future__ import annotations

from tests.conftest import SLIDES
from tui_deck import model as m
from tui_deck.deck import load_deck


def test_seed_deck_has_four_slides_with_the_right_titles_and_ids() -> None:
    deck = load_deck(SLIDES)
    assert [(s.id, s.title, s.level) for s in deck.slides] == [
        ("title", "生日快乐，Istio！", 0),
        ("celebrating-istios-4th-birthday", "庆祝 Istio 的 4 岁生日", 2),
        ("a-year-of-important-developments-for-istio", "Istio 取得重大发展的一年", 3),
        (
            "how-to-participate-in-istios-4th-birthday-celebration",
            "如何参加 Istio 的 4 岁生日庆典",
            3,
        ),
    ]
    assert deck.diagnostics == []
    assert deck.lang == "zh"


def test_seed_title_slide_comes_from_front_matter() -> None:
    post = load_deck(SLIDES).slides[0].post
    assert post.title == "生日快乐，Istio！"
    assert post.description == "庆祝 Istio 的 4 岁生日。"
    assert post.author == "Maria Cruz (Google), Aizhamal Nurmamat kyzy (Google)"
    assert post.date_text == "2021年5月24日"


def test_seed_images_resolve_in_the_bundle_with_captions() -> None:
    slides = load_deck(SLIDES).slides
    assert [(i.src, i.caption, i.exists) for i in slides[1].images] == [
        ("./1.png", "Istio 的 4 岁生日", True)
    ]
    assert slides[1].images[0].path == SLIDES / "1.png"
    assert [(i.src, i.caption) for i in slides[3].images] == [
        ("./2.png", "Istio Community Meetup!")
    ]
    assert slides[2].images == []


def test_seed_links_are_absolute_and_kept_per_slide() -> None:
    slide = load_deck(SLIDES).slides[2]
    links = [(link.text, link.url) for link in slide.links]
    assert links[0] == ("第 0 天和第 1 天", "https://dzone.com/articles/defining-day-2-operations")
    assert ("简化了控制平面架构", "https://istio.io/zh/blog/2020/istiod/") in links
    assert len(links) == 12
    # The link text stays inline in the paragraph.
    first = slide.blocks[0]
    assert isinstance(first, m.Paragraph)
    assert "关注用户的第 0 天和第 1 天使用体验" in m.plain(first.inlines)


def test_soft_break_between_chinese_and_link_keeps_text_joined() -> None:
    # 了解有关 IstioCon [影响](…)\n的更多信息: the line break sits between a link and 的.
    slide = load_deck(SLIDES).slides[2]
    text = "".join(m.plain(b.inlines) for b in slide.blocks if isinstance(b, m.Paragraph))
    assert "影响的更多信息" in text
