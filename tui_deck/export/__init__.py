"""Exports of a deck: text now; SVG, PNG, HTML and asciicasts build on the same pages."""
