"""Survey answers for a prioritization board, imported from a CSV file all or nothing."""

import csv
import io
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower

from canvases.models import Canvas, CanvasEvent, Outcome, SurveyAnswer
from engage.csvfiles import unreadable
from engage.models import User

from .events import Kind, record_event
from .history import register_undo
from .prioritization import AREA, board_canvas, item_add, outcome_for

COLUMNS = ["respondent_id", "outcome", "importance", "satisfaction"]
MAX_BYTES = 2 * 1024 * 1024
MAX_ERRORS = 30  # reported; beyond that "… and N more"


class SurveyFileError(ValidationError):
    """The file was refused; `messages` lists what is wrong, row by row."""


@dataclass(frozen=True)
class SurveyRow:
    line: int  # in the file, counting the header as 1
    respondent: str
    outcome: str
    importance: int
    satisfaction: int


def _rating(value: str, name: str) -> tuple[int | None, str]:
    value = value.strip()
    if not re.fullmatch(r"-?[0-9]{1,6}", value):
        return None, f"{name} “{value[:20]}” is not a whole number from 1 to 5"
    rating = int(value)
    if not 1 <= rating <= 5:
        return None, f"{name} {rating} is outside 1–5"
    return rating, ""


def parse_survey(data: bytes) -> list[SurveyRow]:
    """Check every row; raise SurveyFileError naming each bad row (by line number)."""
    if len(data) > MAX_BYTES:
        raise SurveyFileError(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SurveyFileError("The file is not UTF-8 text; save it as CSV (UTF-8).") from None
    if not text.strip():
        raise SurveyFileError(
            "The file is empty: it needs a header row "
            f"({','.join(COLUMNS)}) and one row per answer."
        )
    try:
        return _answers(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as error:
        raise SurveyFileError(unreadable(error)) from None


def _answers(reader) -> list[SurveyRow]:
    header = [name.strip() for name in next(reader)]
    if header != COLUMNS:
        raise SurveyFileError(
            f"row 1: the columns must be exactly {','.join(COLUMNS)} (found {','.join(header)})."
        )
    rows, errors, seen = [], [], {}
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(COLUMNS):
            errors.append(f"row {line}: expected {len(COLUMNS)} values, found {len(cells)}")
            continue
        if any("\x00" in cell for cell in cells):
            errors.append(f"row {line}: contains a NUL character, which text can't hold")
            continue
        respondent, outcome = cells[0].strip(), " ".join(cells[1].split())
        problems = []
        if not respondent:
            problems.append("respondent_id is empty")
        if not outcome:
            problems.append("outcome is empty")
        importance, problem = _rating(cells[2], "importance")
        problems += [problem] if problem else []
        satisfaction, problem = _rating(cells[3], "satisfaction")
        problems += [problem] if problem else []
        key = (respondent, outcome.lower())
        if respondent and outcome and key in seen:
            problems.append(f"{respondent} already rated “{outcome}” in row {seen[key]}")
        seen.setdefault(key, line)
        if problems:
            errors.append(f"row {line}: " + "; ".join(problems))
        else:
            rows.append(SurveyRow(line, respondent, outcome, importance, satisfaction))
    if not rows and not errors:
        raise SurveyFileError("The file has a header but no answers.")
    if errors:
        raise SurveyFileError(_capped(errors))
    return rows


def _capped(errors: list[str]) -> list[str]:
    if len(errors) <= MAX_ERRORS:
        return errors
    return [*errors[:MAX_ERRORS], f"… and {len(errors) - MAX_ERRORS} more rows with errors"]


@transaction.atomic
def survey_import(
    *, canvas: Canvas, data: bytes, actor: User, facilitating: bool = False
) -> CanvasEvent:
    """Import every answer of the file or none; outcomes are matched by name, any letter case.

    New outcomes are created (belonging to the board's job) and put on the board.
    """
    rows = parse_survey(data)
    canvas = board_canvas(canvas, actor, facilitating)
    names = {row.outcome.lower() for row in rows}
    known = {
        outcome.lower: outcome
        for outcome in Outcome.objects.filter(workspace=canvas.workspace)
        .annotate(lower=Lower("statement"))
        .filter(lower__in=names)
    }
    taken = set(
        SurveyAnswer.objects.filter(canvas=canvas, outcome__in=known.values()).values_list(
            "respondent", "outcome_id"
        )
    )
    clashes = [
        f"row {row.line}: {row.respondent} already rated “{row.outcome}” in an earlier import"
        for row in rows
        if (row.respondent, getattr(known.get(row.outcome.lower()), "pk", None)) in taken
    ]
    if clashes:
        raise SurveyFileError(_capped(clashes))
    created, items = [], []
    for name in sorted(names):
        if name not in known:
            first = next(row.outcome for row in rows if row.outcome.lower() == name)
            known[name] = outcome_for(canvas.workspace, first, job=canvas.job)
            created.append(known[name].pk)
    on_board = set(canvas.priority_items.values_list("outcome_id", flat=True))
    for outcome in known.values():
        if outcome.pk not in on_board:
            items.append(item_add(canvas=canvas, outcome=outcome, actor=actor, facilitating=True))
    answers = SurveyAnswer.objects.bulk_create(
        SurveyAnswer(
            canvas=canvas,
            outcome=known[row.outcome.lower()],
            respondent=row.respondent,
            importance=row.importance,
            satisfaction=row.satisfaction,
            imported_by=actor,
        )
        for row in rows
    )
    return record_event(
        canvas,
        Kind.SURVEY_IMPORTED,
        actor,
        after={
            "area": AREA,
            "label": f"{len(answers)} answers about {len(known)} outcomes",
            "answers": [answer.pk for answer in answers],
            "outcomes_created": created,
            "items_added": [item.pk for item in items],
        },
    )


@transaction.atomic
def survey_import_undo(
    *, event: CanvasEvent, actor: User, facilitating: bool = False, undoes=None
) -> CanvasEvent:
    """Delete the answers that one import brought in (the outcomes it created stay)."""
    canvas = board_canvas(event.canvas, actor, facilitating)
    undoes = undoes or event
    deleted, _ = SurveyAnswer.objects.filter(canvas=canvas, pk__in=event.after["answers"]).delete()
    return record_event(
        canvas,
        Kind.SURVEY_IMPORTED,
        actor,
        before={"area": AREA, "answers": event.after["answers"]},
        after={"area": AREA, "label": f"took back {deleted} imported answers", "answers": []},
        undoes=undoes,
    )


def _undo_survey(event: CanvasEvent, common: dict) -> None:
    if not event.after.get("answers"):
        raise ValidationError("That import is already taken back.")
    survey_import_undo(event=event, **common)


for _kind in (Kind.SURVEY_IMPORTED,):
    register_undo(_kind, _undo_survey)
