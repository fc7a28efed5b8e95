"""The positions pass: where every customer of a workspace stands on its journeys and job
state machines, and who is behind or stuck there.

Everything is derived from the records the position rules match, in set-based SQL
(INSERT … SELECT, window functions); Python sees the rules' places and thresholds, never
an event or a customer. The statements run as written on PostgreSQL and SQLite, apart
from the fragments metrics/dialect.py spells for each.

1. hits: per rule, customer and day, the matching records up to `now` (a temporary table);
2. path: each customer's first arrival at each stage (and job state); left = the next
   first arrival on the same journey (or job), by LEAD;
3. learned durations: n, median and 75th percentile of the completed stays per place,
   then the thresholds that apply (journeys/stalls.py) written beside them;
4. positions: the latest arrival per customer × journey (and × job), with its health;
   a health unchanged since the last run keeps that run's `health_since`;
5. touchpoint days: matching records per touchpoint (of rules naming one) and day.

All of a workspace's derived rows are replaced in one transaction: readers see the last
run or this one, never half of each.
"""

import datetime as dt
import time

from django.db import transaction
from django.db.models import Count, Q

from engage.models import Workspace
from journeys.stalls import effective_thresholds
from metrics.dialect import day_of, json_text, moment, percentiles, plus_seconds, seconds_between
from metrics.models import Health, LearnedDuration, Position
from metrics.services.compute import raw

TEMPORARY = (
    "positions_targets",
    "positions_hits",
    "positions_firsts",
    "positions_current",
    "positions_activity",
    "positions_previous",
)

# The workspace's rules (through their journeys).
RULES = (
    "rules AS (SELECT r.* FROM metrics_positionrule r "
    "JOIN journeys_journey j ON j.id = r.journey_id WHERE j.workspace_id = %(ws)s)"
)

# Which place each rule marks: its stage, or its job state and the stage that state is
# mapped to. Removed stages mark nothing.
TARGETS = f"""
WITH {RULES}
SELECT r.id AS rule_id, s.journey_id, s.id AS stage_id, CAST(NULL AS BIGINT) AS job_id,
       CAST(NULL AS BIGINT) AS job_state_id, s.position AS place_order
FROM rules r JOIN journeys_stage s ON s.id = r.stage_id AND s.removed_at IS NULL
UNION ALL
SELECT r.id, NULL, NULL, js.job_id, js.id, js.position
FROM rules r JOIN journeys_jobstate js ON js.id = r.job_state_id
JOIN engage_job jb ON jb.id = js.job_id AND jb.workspace_id = %(ws)s
UNION ALL
SELECT r.id, s.journey_id, s.id, NULL, NULL, s.position
FROM rules r JOIN journeys_jobstate js ON js.id = r.job_state_id
JOIN journeys_stage s ON s.id = js.stage_id AND s.removed_at IS NULL
JOIN journeys_journey sj ON sj.id = s.journey_id AND sj.workspace_id = %(ws)s
"""


def _hits() -> str:
    return f"""
WITH {RULES}
SELECT rule_id, customer_id, day, MIN(at) AS first_at, COUNT(*) AS n FROM (
  SELECT r.id AS rule_id, e.customer_id, e.timestamp AS at, {day_of("e.timestamp")} AS day
  FROM rules r JOIN metrics_interactionevent e ON e.event = r.event_name
  WHERE r.source = 'event' AND e.workspace_id = %(ws)s AND e.customer_id IS NOT NULL
    AND e.timestamp <= %(now)s
    AND (r.property_key = '' OR {json_text("e.properties", "r.property_key")} = r.property_value)
  UNION ALL
  SELECT r.id, a.customer_id, a.answered_at, {day_of("a.answered_at")}
  FROM rules r JOIN metrics_surveyresponse a ON a.workspace_id = %(ws)s
    AND (r.survey_kind = '' OR a.kind = r.survey_kind)
    AND (r.survey_touchpoint_id IS NULL OR a.touchpoint_id = r.survey_touchpoint_id)
  WHERE r.source = 'survey' AND a.answered_at <= %(now)s
  UNION ALL
  SELECT r.id, p.customer_id, p.purchased_at, {day_of("p.purchased_at")}
  FROM rules r JOIN metrics_purchase p ON p.workspace_id = %(ws)s
  WHERE r.source = 'purchase' AND p.purchased_at <= %(now)s
) AS matched
GROUP BY rule_id, customer_id, day
"""


# First arrivals per customer and place; left = the next first arrival on the same journey
# (or job). A temporary table: the path, the learned durations and the positions read it.
FIRSTS = """
SELECT customer_id, journey_id, stage_id, job_id, job_state_id, entered_at,
  LEAD(entered_at) OVER (PARTITION BY customer_id, journey_id, job_id
                         ORDER BY entered_at, place_order, stage_id, job_state_id) AS left_at
FROM (SELECT h.customer_id, t.journey_id, t.stage_id, t.job_id, t.job_state_id, t.place_order,
             MIN(h.first_at) AS entered_at
      FROM positions_hits h JOIN positions_targets t ON t.rule_id = h.rule_id
      GROUP BY h.customer_id, t.journey_id, t.stage_id, t.job_id, t.job_state_id, t.place_order
     ) AS firsts
"""

PATH = """
INSERT INTO metrics_pathstep
  (workspace_id, customer_id, journey_id, stage_id, job_id, job_state_id, entered_at, left_at)
SELECT %(ws)s, customer_id, journey_id, stage_id, job_id, job_state_id, entered_at, left_at
FROM positions_firsts
"""


def _durations() -> str:
    stays = (
        "SELECT stage_id, job_state_id, entered_at, left_at FROM positions_firsts "
        "WHERE left_at IS NOT NULL"
    )
    learned = percentiles(
        stays,
        "stage_id, job_state_id",
        f"{seconds_between('entered_at', 'left_at')} / 3600.0",
        {"median": (1, 2), "p75": (3, 4)},
    )
    return f"""
WITH learned AS ({learned})
INSERT INTO metrics_learnedduration
  (workspace_id, stage_id, job_state_id, n, median_hours, p75_hours, computed_at)
SELECT %(ws)s, s.id, NULL, COALESCE(l.n, 0), l.median, l.p75, %(now)s
FROM journeys_stage s JOIN journeys_journey j ON j.id = s.journey_id AND j.workspace_id = %(ws)s
LEFT JOIN learned l ON l.stage_id = s.id
WHERE s.removed_at IS NULL
UNION ALL
SELECT %(ws)s, NULL, js.id, COALESCE(l.n, 0), l.median, l.p75, %(now)s
FROM journeys_jobstate js JOIN engage_job jb ON jb.id = js.job_id AND jb.workspace_id = %(ws)s
LEFT JOIN learned l ON l.job_state_id = js.id
"""


SAME_PLACE = (
    "COALESCE({a}.stage_id, 0) = COALESCE({b}.stage_id, 0) "
    "AND COALESCE({a}.job_state_id, 0) = COALESCE({b}.job_state_id, 0)"
)

LAST_ACTIVITY = """
SELECT customer_id, MAX(at) AS last_at FROM (
  SELECT customer_id, MAX(timestamp) AS at FROM metrics_interactionevent
  WHERE workspace_id = %(ws)s AND customer_id IS NOT NULL AND timestamp <= %(now)s
  GROUP BY customer_id
  UNION ALL
  SELECT customer_id, MAX(answered_at) FROM metrics_surveyresponse
  WHERE workspace_id = %(ws)s AND answered_at <= %(now)s GROUP BY customer_id
  UNION ALL
  SELECT customer_id, MAX(purchased_at) FROM metrics_purchase
  WHERE workspace_id = %(ws)s AND purchased_at <= %(now)s GROUP BY customer_id
) AS latest GROUP BY customer_id
"""


def _current() -> str:
    """Each customer's latest arrival per journey (and job), with the thresholds applied."""
    age = seconds_between("p.entered_at", "%(now)s")
    return f"""
SELECT p.customer_id, p.journey_id, p.stage_id, p.job_id, p.job_state_id, p.entered_at,
  d.expected_hours, d.stuck_hours,
  CASE WHEN d.stuck_hours IS NOT NULL AND {age} > d.stuck_hours * 3600 THEN 'stuck'
       WHEN d.expected_hours IS NOT NULL AND {age} > d.expected_hours * 3600 THEN 'behind'
       WHEN d.expected_hours IS NULL AND d.stuck_hours IS NULL THEN 'unknown'
       ELSE 'on_track' END AS health
FROM positions_firsts p
JOIN metrics_learnedduration d ON d.workspace_id = %(ws)s AND {SAME_PLACE.format(a="d", b="p")}
WHERE p.left_at IS NULL
"""


def _positions() -> str:
    """The current positions, each with when its health began: the last run's moment for
    an unchanged health, else arrival (+ the threshold crossed, for behind and stuck)."""
    return f"""
INSERT INTO metrics_position (workspace_id, customer_id, journey_id, stage_id, job_id,
  job_state_id, entered_at, health, health_since, last_activity_at, computed_at)
SELECT %(ws)s, c.customer_id, c.journey_id, c.stage_id, c.job_id, c.job_state_id, c.entered_at,
  c.health,
  COALESCE(prev.health_since, CASE c.health
    WHEN 'stuck' THEN {plus_seconds("c.entered_at", "c.stuck_hours * 3600")}
    WHEN 'behind' THEN {plus_seconds("c.entered_at", "c.expected_hours * 3600")}
    ELSE c.entered_at END),
  act.last_at, %(now)s
FROM positions_current c
LEFT JOIN positions_previous prev ON prev.customer_id = c.customer_id
  AND {SAME_PLACE.format(a="prev", b="c")} AND prev.health = c.health
LEFT JOIN positions_activity act ON act.customer_id = c.customer_id
"""


TOUCHPOINT_DAYS = """
INSERT INTO metrics_touchpointday (workspace_id, touchpoint_id, day, interactions)
SELECT %(ws)s, r.touchpoint_id, h.day, SUM(h.n)
FROM positions_hits h JOIN metrics_positionrule r ON r.id = h.rule_id
WHERE r.touchpoint_id IS NOT NULL
GROUP BY r.touchpoint_id, h.day
"""


PREVIOUS = (
    "SELECT customer_id, stage_id, job_state_id, health, health_since FROM metrics_position "
    "WHERE workspace_id = %(ws)s"
)


def _temporary(table: str, select: str, params: dict) -> None:
    """Fill a temporary table, then have the planner count its rows: left unanalysed, it is
    guessed tiny, and the joins over it become loops over every customer."""
    raw(f"CREATE TEMPORARY TABLE {table} AS {select}", params)
    raw(f"ANALYZE {table}", [])


def _drop_temporary() -> None:
    for table in TEMPORARY:
        raw(f"DROP TABLE IF EXISTS {table}", [])


def _apply_thresholds(workspace: Workspace) -> None:
    """Write the thresholds each place's settings and learned figures give (one row per
    stage and job state of the workspace: a loop over places, not customers)."""
    rows = list(
        LearnedDuration.objects.filter(workspace=workspace).select_related("stage", "job_state")
    )
    for row in rows:
        place = row.stage or row.job_state
        thresholds = effective_thresholds(
            place.expected_from,
            expected_hours=place.expected_hours,
            stuck_hours=place.stuck_hours,
            median_hours=row.median_hours,
            p75_hours=row.p75_hours,
        )
        row.expected_hours, row.stuck_hours = thresholds.expected_hours, thresholds.stuck_hours
    LearnedDuration.objects.bulk_update(rows, ["expected_hours", "stuck_hours"], batch_size=500)


def positions_compute(workspace: Workspace, *, now: dt.datetime) -> dict:
    """Derive the workspace's paths, positions, health, learned durations and touchpoint
    interactions from the records up to `now` (the pass's clock: the task passes the
    current time, tests any moment of a crafted timeline).

    Returns {"positions", "behind", "stuck", "seconds"}.
    """
    started = time.monotonic()
    params = {"ws": workspace.pk, "now": moment(now)}
    with transaction.atomic():
        _drop_temporary()
        _temporary("positions_targets", TARGETS, params)
        _temporary("positions_hits", _hits(), params)
        _temporary("positions_firsts", FIRSTS, params)
        raw("DELETE FROM metrics_pathstep WHERE workspace_id = %(ws)s", params)
        raw(PATH, params)
        raw("DELETE FROM metrics_learnedduration WHERE workspace_id = %(ws)s", params)
        raw(_durations(), params)
        _apply_thresholds(workspace)
        _temporary("positions_current", _current(), params)
        _temporary("positions_activity", LAST_ACTIVITY, params)
        _temporary("positions_previous", PREVIOUS, params)
        raw("DELETE FROM metrics_position WHERE workspace_id = %(ws)s", params)
        raw(_positions(), params)
        raw("DELETE FROM metrics_touchpointday WHERE workspace_id = %(ws)s", params)
        raw(TOUCHPOINT_DAYS, params)
        _drop_temporary()
    # Most of these rows are new: fresh statistics keep the reads' plans (the path joined
    # with itself for the funnel) from taking the tables for nearly empty.
    for table in ("metrics_pathstep", "metrics_position"):
        raw(f"ANALYZE {table}", [])
    counts = Position.objects.filter(workspace=workspace).aggregate(
        positions=Count("pk"),
        behind=Count("pk", filter=Q(health=Health.BEHIND)),
        stuck=Count("pk", filter=Q(health=Health.STUCK)),
    )
    return {**counts, "seconds": round(time.monotonic() - started, 3)}
