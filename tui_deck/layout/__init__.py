"""Layout: turning slide content into terminal lines (cell widths, CJK-aware line breaking)."""
