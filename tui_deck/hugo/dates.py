"""Dates as the reader of a post's language writes them (no YAML needed to show one)."""

from __future__ import annotations

import datetime as dt

_EN_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def format_date(date: dt.date, lang: str) -> str:
    """A date as a reader of ``lang`` writes it: 2021年5月24日, May 24, 2021."""
    if lang.startswith("zh") or lang.startswith("ja"):
        return f"{date.year}年{date.month}月{date.day}日"
    return f"{_EN_MONTHS[date.month - 1]} {date.day}, {date.year}"
