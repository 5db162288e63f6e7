"""Linked views that pick other slides of the post (--slides, the talk file) follow the
slide itself, by its id, not its position in their own list: the speaker who left a slide
out never sends the projector to the wrong one."""

from __future__ import annotations

import asyncio

from tests.app.test_app import options
from tests.app.test_presenter import until
from tests.conftest import SLIDES
from tui_deck.app import make_app
from tui_deck.deck import Options, load_deck


def test_views_with_other_picks_follow_the_same_slide() -> None:
    post = load_deck(SLIDES).slides  # 1 title, 2, 3, 4
    audience = make_app(options(SLIDES, link=True, deck_options=Options(talk=True, slides="1-4")))
    speaker = make_app(
        options(SLIDES, link=True, presenter=True, deck_options=Options(talk=True, slides="1,3-4"))
    )

    async def main() -> None:
        async with audience.run_test(size=(100, 30)) as a, speaker.run_test(size=(100, 30)) as p:
            await until(lambda: audience.link is not None and speaker.link is not None)
            await until(
                lambda: {audience.link.role, speaker.link.role} == {"server", "client"}  # type: ignore[union-attr]
            )
            await p.press("right")  # the speaker's second slide: the post's third
            await until(lambda: audience.slide == 2)
            assert audience.deck.slides[2].id == speaker.deck.slides[1].id == post[2].id
            await p.press("right")  # the post's fourth
            await until(lambda: audience.slide == 3)
            await a.press("left")  # the post's third: the speaker follows to its own second
            await until(lambda: speaker.slide == 1)
            await a.press("left")  # the post's second, which the speaker left out: it stays
            await a.pause()
            await asyncio.sleep(0.3)
            await p.pause()
            assert audience.slide == 1 and speaker.slide == 1

    asyncio.run(main())
