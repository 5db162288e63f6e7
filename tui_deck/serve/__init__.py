"""``istio-deck serve``: the deck in a browser. The audience's half (audience.py) serves the
HTML deck of ``export --format html`` from memory and moves every viewer's tab with the
talk (server-sent events), whose position it hears on the deck's link (app/sync.py) like
any other view. Standard library only; no Textual.
"""
