"""Full garbage collections while nobody presses keys.

Python's full collection stops the app for 30-100 ms: with many laid-out pages alive, it was
the slowest slide changes. Automatic full collections are turned off while the app runs; one
runs after a pause of ``seconds`` instead, and what start-up built is frozen out of them.
The process gets its collector back when the app ends.
"""

from __future__ import annotations

import gc
import time


class IdleCollector:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._threshold = gc.get_threshold()
        self._frozen = False
        self._last_input = 0.0

    def start(self) -> None:
        gc.set_threshold(self._threshold[0], self._threshold[1], 1_000_000)

    def touch(self) -> None:
        """A key was pressed: not now."""
        self._last_input = time.monotonic()

    def collect(self) -> None:
        if time.monotonic() - self._last_input < self.seconds:
            return
        gc.collect()
        if not self._frozen:
            gc.freeze()  # start-up's objects (Textual, the deck): never scanned again
            self._frozen = True

    def stop(self) -> None:
        gc.set_threshold(*self._threshold)
        if self._frozen:
            gc.unfreeze()
            self._frozen = False
