"""Reading a job's state machine once for a page, a panel or a PDF, in a fixed number of
queries however many states and transitions it has."""

from dataclasses import dataclass, field

from django.db.models import Count

from engage.models import Job, Workspace
from journeys.models import JobState, JobTransition

from . import layout as drawing
from .checks import MachineCheck, Transition, check_machine


@dataclass
class Machine:
    job: Job
    states: list[JobState]  # each with `.out`: its transitions, in order
    transitions: list[JobTransition]
    check: MachineCheck
    unreachable: list[str] = field(default_factory=list)
    stuck: list[str] = field(default_factory=list)

    @property
    def start(self) -> JobState | None:
        return next((state for state in self.states if state.is_start), None)

    @property
    def layout(self) -> drawing.Layout:
        return drawing.layout(
            [drawing.StateIn(s.pk, s.name, s.is_start) for s in self.states],
            [
                drawing.TransitionIn(
                    t.pk,
                    t.source_id,
                    t.target_id,
                    t.kind,
                    t.label,
                    t.spawns.statement if t.spawns else "",
                )
                for t in self.transitions
            ],
            unreachable=self.check.unreachable,
            stuck=self.check.stuck,
        )


def _check(states: list[JobState], transitions: list[JobTransition]) -> MachineCheck:
    start = next((state.pk for state in states if state.is_start), None)
    return check_machine(
        [state.pk for state in states],
        start,
        [Transition(t.source_id, t.target_id, t.kind) for t in transitions],
    )


def job_machine(job: Job) -> Machine:
    """The states (with their stage and journey), transitions and checks: two queries."""
    states = list(JobState.objects.filter(job=job).select_related("stage__journey__canvas"))
    transitions = list(
        JobTransition.objects.filter(source__job=job)
        .select_related("spawns")
        .order_by("source__position", "source_id", "id")
    )
    names = {state.pk: state for state in states}
    for state in states:
        state.out = []
    for transition in transitions:
        names[transition.source_id].out.append(transition)
        transition.target_state = names.get(transition.target_id)
    check = _check(states, transitions)
    return Machine(
        job=job,
        states=states,
        transitions=transitions,
        check=check,
        unreachable=[s.name for s in states if s.pk in check.unreachable],
        stuck=[s.name for s in states if s.pk in check.stuck],
    )


@dataclass(frozen=True)
class MachineSummary:
    job: Job
    states: int
    is_sound: bool


def machine_summaries(workspace: Workspace) -> list[MachineSummary]:
    """Every job of the workspace that has states, with how many and whether it is sound.

    Three queries whatever the number of jobs: jobs, states, transitions.
    """
    jobs = list(
        Job.objects.in_workspace(workspace)
        .annotate(state_count=Count("states"))
        .filter(state_count__gt=0)
        .order_by("verb", "object", "pk")
    )
    states = list(
        JobState.objects.filter(job__workspace=workspace).only("id", "job_id", "is_start")
    )
    transitions = list(
        JobTransition.objects.filter(source__job__workspace=workspace)
        .only("id", "source_id", "target_id", "kind", "source__job_id")
        .select_related("source")
    )
    by_job: dict[int, tuple[list, list]] = {job.pk: ([], []) for job in jobs}
    for state in states:
        if state.job_id in by_job:
            by_job[state.job_id][0].append(state)
    for transition in transitions:
        if transition.source.job_id in by_job:
            by_job[transition.source.job_id][1].append(transition)
    return [MachineSummary(job, job.state_count, _check(*by_job[job.pk]).is_sound) for job in jobs]


def jobs_with_machines(workspace: Workspace) -> list[Machine]:
    """Every machine of the workspace, for the PDF pack: a few queries per job."""
    jobs = (
        Job.objects.in_workspace(workspace)
        .filter(states__isnull=False)
        .distinct()
        .order_by("verb", "object", "pk")
    )
    return [job_machine(job) for job in jobs]
