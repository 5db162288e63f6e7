"""The navigator without Textual: pages, then slides; typed numbers; the blank screen."""

from __future__ import annotations

from tui_deck.app.navigator import Navigator


def navigator(pages: list[int], slide: int = 0) -> Navigator:
    return Navigator(len(pages), lambda index: pages[index], slide)


def test_next_and_previous_step_through_pages_then_slides() -> None:
    nav = navigator([1, 3, 1])
    seen = []
    for _ in range(6):
        seen.append((nav.slide, nav.page))
        nav.next()
    assert seen == [(0, 1), (1, 1), (1, 2), (1, 3), (2, 1), (2, 1)]
    nav.previous()
    assert (nav.slide, nav.page) == (1, 3)  # the last page of the slide before
    for _ in range(4):
        nav.previous()
    assert (nav.slide, nav.page) == (0, 1)


def test_page_counts_are_asked_each_time() -> None:
    """The screen that pages the slide may change size: the count of now is used."""
    pages = [4, 1]
    nav = Navigator(2, lambda index: pages[index])
    pages[0] = 1
    nav.next()
    assert (nav.slide, nav.page) == (1, 1)
    pages[0] = 4
    nav.previous()
    assert (nav.slide, nav.page) == (0, 4)


def test_first_last_and_go_keep_in_range() -> None:
    nav = navigator([1, 2, 5], slide=1)
    nav.last()
    assert (nav.slide, nav.page) == (2, 1)
    nav.first()
    assert (nav.slide, nav.page) == (0, 1)
    nav.go(9, 9)
    assert (nav.slide, nav.page) == (2, 5)
    nav.go(1, -1)
    assert (nav.slide, nav.page) == (1, 2)
    nav.go(-3)
    assert (nav.slide, nav.page) == (0, 1)
    assert not nav.at_end()
    nav.go(2, 5)
    assert nav.at_end()


def test_typed_digits_are_kept_to_four_and_taken_once() -> None:
    nav = navigator([1, 1])
    for digit in "123456":
        nav.type_digit(digit)
    assert nav.digits == "3456"
    assert nav.take_digits() == "3456" and nav.digits == ""
    nav.type_digit("2")
    nav.next()  # a move forgets a number being typed
    assert nav.digits == ""


def test_a_key_on_a_blank_screen_only_brings_the_slide_back() -> None:
    nav = navigator([1, 1, 1])
    for step in (nav.next, nav.previous, nav.first, nav.last):
        nav.blank = True
        step()
        assert not nav.blank and nav.slide == 0


def test_a_reloaded_deck_with_fewer_slides() -> None:
    nav = navigator([1, 1, 1, 1], slide=3)
    nav.recount(2, 3)
    assert nav.slide == 1 and nav.count == 2
