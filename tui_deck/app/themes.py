"""Deck themes by name: ours (dark, light, istio) and Textual's built-in ones."""

from __future__ import annotations

from textual.theme import BUILTIN_THEMES

from tui_deck.layout.theme import THEMES, Theme


def theme_names() -> list[str]:
    return [*THEMES, *(n for n in BUILTIN_THEMES if n not in THEMES)]


def deck_theme(name: str) -> Theme:
    """The layout theme for a name; Textual themes are translated colour by colour."""
    if name in THEMES:
        return THEMES[name]
    source = BUILTIN_THEMES[name]
    dark = source.dark
    background = source.background or ("#1e1e1e" if dark else "#ffffff")
    foreground = source.foreground or ("#e0e0e0" if dark else "#1e1e1e")
    muted = source.secondary or foreground
    return Theme(
        name=name,
        background=background,
        foreground=foreground,
        accent=source.primary,
        muted=muted,
        code_background=source.panel or source.surface or background,
        link=source.accent or source.primary,
        tip=source.success or source.primary,
        warning=source.warning or source.primary,
        idea=source.accent or source.primary,
        note=muted,
        tint=source.surface or background,
        pygments="monokai" if dark else "default",
    )
