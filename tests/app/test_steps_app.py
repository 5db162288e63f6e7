"""Stepping through reveals in the app, with a linked speaker's view in step."""

from __future__ import annotations

from textual.pilot import Pilot

from tests.app.test_app import run, screen_text
from tests.app.test_presenter import run_linked, text_of, until
from tests.test_steps import FIXTURE
from tui_deck.app import DeckApp


def shown(app: DeckApp) -> str:
    return "\n".join(screen_text(app))


def test_right_reveals_each_step_before_the_next_slide_and_left_hides_it() -> None:
    async def scenario(app: DeckApp, pilot: Pilot[int]) -> None:
        await pilot.press("right")
        await pilot.pause()
        assert app.slide == 1 and "第一段" in shown(app) and "第二段" not in shown(app)
        assert "2 / 5 · 1/3" in shown(app)
        await pilot.press("right")
        await pilot.pause()
        assert app.slide == 1 and "第二段" in shown(app) and "Third paragraph" not in shown(app)
        assert "2 / 5 · 2/3" in shown(app)
        await pilot.press("right")
        await pilot.pause()
        assert "Third paragraph" in shown(app) and "2 / 5 · 3/3" in shown(app)
        await pilot.press("right")
        await pilot.pause()
        assert app.slide == 2 and "要点如下" in shown(app) and "第一项" not in shown(app)
        await pilot.press("left")  # back into the slide: shown whole
        await pilot.pause()
        assert app.slide == 1 and "Third paragraph" in shown(app) and "2 / 5 · 3/3" in shown(app)
        await pilot.press("left")
        await pilot.pause()
        assert "第二段" in shown(app) and "Third paragraph" not in shown(app)

    run(scenario, size=(80, 24), path=FIXTURE)


def test_the_speaker_and_the_audience_step_together() -> None:
    """The speaker's → reveals the next step on the projector; the audience's ← hides it on
    the speaker's view too, whose footer and next preview follow."""

    async def scenario(audience: DeckApp, a: Pilot[int], speaker: DeckApp, p: Pilot[int]) -> None:
        await until(lambda: speaker.room.audience_size == (80, 24))
        await p.press("right", "right")
        await until(lambda: (audience.slide, audience.reveal) == (1, 2))
        await a.pause()
        assert "第二段" in shown(audience) and "Third paragraph" not in shown(audience)
        await p.pause()
        assert "步 2/3" in text_of(speaker) and "下一步 · 3/3" in text_of(speaker)
        await a.press("left")
        await until(lambda: (speaker.slide, speaker.reveal) == (1, 1))
        await p.pause()
        assert "步 1/3" in text_of(speaker) and "下一步 · 2/3" in text_of(speaker)
        await p.press("right", "right", "right")  # steps 2 and 3, then the list's first step
        await until(lambda: (audience.slide, audience.reveal) == (2, 1))
        await a.pause()
        assert "要点如下" in shown(audience) and "第一项" not in shown(audience)
        await p.press("left")  # back into the slide: whole on both
        await until(lambda: (audience.slide, audience.reveal) == (1, 3))
        await a.pause()
        assert "Third paragraph" in shown(audience)

    run_linked(scenario, path=FIXTURE, audience_size=(80, 24), speaker_size=(120, 30))
