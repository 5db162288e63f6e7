"""Hugo specifics: front matter, shortcodes and site links."""
