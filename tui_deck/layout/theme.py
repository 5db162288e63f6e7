"""Colours and text styles of a deck, shared by the screen and every export."""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style

from tui_deck import model as m


@dataclass(frozen=True)
class Theme:
    name: str
    background: str
    foreground: str
    accent: str
    muted: str
    code_background: str
    link: str
    tip: str
    warning: str
    idea: str
    note: str
    tint: str
    pygments: str
    #: Live commands can run here (the app with --allow-exec): their code blocks show the
    #: ``▶ e`` key. Off in exports and without the flag, so no marker promises a run.
    live: bool = False

    @property
    def base(self) -> Style:
        return Style(color=self.foreground, bgcolor=self.background)

    @property
    def title(self) -> Style:
        return Style(color=self.accent, bold=True)

    @property
    def dim(self) -> Style:
        return Style(color=self.muted)

    @property
    def code(self) -> Style:
        return Style(bgcolor=self.code_background)

    def callout(self, kind: str) -> str:
        return {"tip": self.tip, "warning": self.warning, "idea": self.idea}.get(kind, self.note)

    def run(self, styles: frozenset[str], url: str | None) -> Style:
        """The style of an inline run."""
        if not styles and url is None:
            return Style.null()
        return Style(
            bold=(m.BOLD in styles) or None,
            italic=(m.ITALIC in styles) or None,
            strike=(m.STRIKE in styles) or None,
            underline=(url is not None) or None,
            color=self.link if url is not None else (self.accent if m.CODE in styles else None),
            bgcolor=self.code_background if m.CODE in styles else None,
            link=url,
        )


THEMES: dict[str, Theme] = {
    "dark": Theme(
        name="dark",
        background="#15181e",
        foreground="#e6e6e6",
        accent="#7fb3ff",
        muted="#8b949e",
        code_background="#22272e",
        link="#79c0ff",
        tip="#3fb950",
        warning="#d29922",
        idea="#a371f7",
        note="#8b949e",
        tint="#1b2028",
        pygments="monokai",
    ),
    "light": Theme(
        name="light",
        background="#ffffff",
        foreground="#1f2328",
        accent="#0b5cad",
        muted="#59636e",
        code_background="#f3f4f6",
        link="#0969da",
        tip="#1a7f37",
        warning="#9a6700",
        idea="#8250df",
        note="#59636e",
        tint="#f6f8fa",
        pygments="default",
    ),
    "istio": Theme(
        name="istio",
        background="#0f1c2e",
        foreground="#f1f5fb",
        # Istio's blue (#466bb0) is too dark for titles on a dark background: a lighter tone.
        accent="#6f9be6",
        muted="#9db0cf",
        code_background="#1a2b45",
        link="#8fb8ff",
        tip="#4fb286",
        warning="#f5a623",
        idea="#b28ddb",
        note="#9db0cf",
        tint="#142440",
        pygments="monokai",
    ),
}
DEFAULT_THEME = THEMES["dark"]
