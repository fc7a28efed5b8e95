"""Reading the board's live updates in tests: areas redrawn whole, notes sent one by one."""

import re


def board_htmx(revision) -> dict:
    """The headers board.js sends: htmx, and the revision the board shows."""
    return {"HTTP_HX_REQUEST": "true", "HTTP_X_BOARD_REVISION": str(revision)}


def redrawn_areas(response) -> set[str]:
    """Note areas sent whole."""
    return set(
        re.findall(r'<div class="area-notes" id="notes-([\w-]+)"', response.content.decode())
    )


def sent_notes(response) -> dict[str, tuple[list[int], list[int]]]:
    """Per note area sent one note at a time: its notes in order, and the notes sent."""
    updates = re.findall(
        r'<template data-area="([\w-]+)" data-order="([\d ]*)">(.*?)</template>',
        response.content.decode(),
        re.DOTALL,
    )
    return {
        area: (
            [int(pk) for pk in order.split()],
            [int(pk) for pk in re.findall(r'<article [^>]*id="note-(\d+)"', cards)],
        )
        for area, order, cards in updates
    }
