"""Every shipped workflow validates, and a fictional sample project is walked through every
gate of each one, blocked at each gate by exactly the records still missing.

The walks read like a project diary: each step adds one record and says which required
checks it should make pass (or, for a record that is not yet enough, none). After every
step the gate's failing required checks must be exactly what is still missing, and just
before the last step of a stage, `advance` must refuse, naming only that last thing.
All people are fictional and known only by pseudonymous ids.
"""

from __future__ import annotations

import datetime as dt
import json
import shlex
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from coflow.checks import common
from coflow.cli.main import cli

REPO = Path(__file__).resolve().parent.parent
SHIPPED = sorted((REPO / "workflows").glob("*.toml"))
TODAY = dt.datetime.now(dt.timezone.utc).date()


def ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


ACTORS = """
[actors.sponsor-1]
roles = ["sponsor"]
[actors.cochair-1]
roles = ["co-chair"]
[actors.lead-1]
roles = ["lead"]
permissions = ["relabel"]
[actors.practitioner-1]
roles = ["practitioner"]
[actors.person-1]
roles = ["person"]
[actors.carer-1]
roles = ["carer"]
"""


# What is true of the fictional projects, for hints that leave the value to the person.
REAL_FACTS = {"sponsor": "Director of Nursing", "budget_payments": "1800", "budget_staff_hours": "120",
              "sessions_planned": "6", "outcome_measures": "waiting time; confidence score", "dpia_ref": "DPIA-2026-041",
              "outcome_baseline": "average wait 14 weeks", "outcome_followup": "average wait 9 weeks",
              "board_report_ref": "QSC-2026-09-item7", "data_requests_open": "0", "partners_in_delivery": "yes",
              "formats_offered": "3", "responses_received": "212", "expenses_offered": "yes",
              "involvement_choice": "sharing", "support_offered": "advocate", "options_considered": "3"}

ROLE_HOLDERS = {"sponsor": "sponsor-1", "co-chair": "cochair-1", "lead": "lead-1", "practitioner": "practitioner-1",
                "person": "person-1", "carer": "carer-1"}
ONLY_TIME_MOVES = {"open-long-enough", "time-to-think"}  # elapsed checks: waiting is the only way on
# what someone answering `coflow assess` types: six scores, each with no note, "no" to fixed
# options (an empty line), then the level offered
ASSESS_ANSWERS = "2\n\n" * 6 + "\n" + "\n"


def test_every_shipped_workflow_validates(run):
    result = run("workflow", "validate", *map(str, SHIPPED))
    assert result.exit_code == 0, result.stderr
    assert len(SHIPPED) >= 5
    for path in SHIPPED:
        assert f"{path}: valid" in result.stdout


def proposes_nothing(check_id: str, command: str) -> None:
    """A hint never gives a value that would make its check pass without the practice:
    not today's date, an amount, `paid` with an amount, `true`, or a person as attendee,
    agenda co-author or role holder; those are left as stand-ins the command refuses."""
    import re

    from coflow.names import PLACEHOLDERS

    words = shlex.split(command)
    assert TODAY.isoformat() not in command, f"{check_id}: {command!r} proposes today's date"
    assert not re.search(r"--amount \d", command), f"{check_id}: {command!r} proposes an amount"
    for option in ("--date", "--attendee", "--add-attendee", "--add-agenda-by", "--agenda-by", "--declined-on",
                   "--hours", "--access-asked", "--induction", "--training", "--payment-info"):
        if option in words:
            assert words[words.index(option) + 1] in PLACEHOLDERS, f"{check_id}: {command!r} proposes {option}"
    if words[1] == "record":
        assert words[-1] in PLACEHOLDERS, f"{check_id}: {command!r} proposes the value to record"
    if words[1:3] == ["session", "attend"]:
        assert all(w in PLACEHOLDERS for w in words[5:]), f"{check_id}: {command!r} proposes who came"


class Walker:
    """Adds records to one project the way a co-production lead would: through the CLI."""

    def __init__(self, run, home: Path, project: str, monkeypatch):
        self.run = run
        self.monkeypatch = monkeypatch
        self.home = home
        self.project = project
        self._next = {"P": 0, "S": 0, "PAY": 0, "E": 0, "F": 0}

    # -- reading the gate -----------------------------------------------------------------

    def gate(self) -> dict:
        result = self.run("check", self.project, "--json")
        assert result.exit_code in (0, 1), result
        return result.json()

    def failing(self) -> set[str]:
        return {c["id"] for c in self.gate()["checks"] if c["severity"] == "required" and c["status"] != "pass"}

    def ok(self, *args: str, actor: str | None = None):
        result = self.run(*args, actor=actor)
        assert result.exit_code == 0, (args, result)
        return result

    def later(self, days: int) -> None:
        """Time passes: the checks' clock moves on (records keep their real dates)."""
        self.monkeypatch.setattr(common, "today", lambda: TODAY + dt.timedelta(days=days))

    # -- following hints --------------------------------------------------------------------

    def follow_hints(self, tried: set) -> None:
        """Every failing check's hint, run as written in a copy of the project, must change
        that check's status or message: a hint that changes nothing sends people in circles.

        The copy keeps the walk itself undisturbed. A sign-off hint is run by someone who
        holds the role (it is addressed to them); a file a hint names is taken to exist; the
        questions `coflow assess` asks are answered. Only time moves an `elapsed` check.
        """
        for check in self.gate()["checks"]:
            if check["status"] == "pass" or check["id"] in ONLY_TIME_MOVES or (check["id"], check["hint"]) in tried:
                continue
            tried.add((check["id"], check["hint"]))
            hint = check["hint"] or ""
            assert "coflow " in hint, f"{check['id']}: hint {hint!r} gives no command"
            command = hint[hint.index("coflow "):]  # what to do comes first, then the command
            proposes_nothing(check["id"], command)
            if command.startswith("coflow relabel "):
                self._relabel_in_a_copy(command)
                continue
            after = self._in_a_copy(command, check["id"], hint[:hint.index("coflow ")])
            assert (after["status"], after["message"]) != (check["status"], check["message"]), (
                f"{check['id']}: following the hint {hint!r} changed nothing: {check['message']!r}")

    def _relabel_in_a_copy(self, hint: str) -> None:
        """A hint offering the honest, lighter name: followed with a real reason by someone
        holding the relabel permission, it moves the project to the workflow it names."""
        copy = self.home.parent / "hint-copy"
        shutil.copytree(self.home, copy)
        try:
            words = shlex.split(hint.replace("PROJECT", self.project).replace('"..."', '"partners did not deliver it"'))
            runner = CliRunner()
            moved = runner.invoke(cli, ["--home", str(copy), "--actor", "lead-1", *words[1:]], catch_exceptions=False)
            assert moved.exit_code == 0, (hint, moved.output)
            checked = runner.invoke(cli, ["--home", str(copy), "status", self.project, "--json"])
            assert json.loads(checked.stdout)["workflow"] == words[words.index("--workflow") + 1]
        finally:
            shutil.rmtree(copy)

    def real_values(self, words: list[str], said: str = "") -> list[str]:
        """A hint's stand-ins filled with what is true in this fictional project: the real
        date (yesterday), amount, hours, person (the one the hint's words name, else someone
        with lived experience) and words."""
        import re

        people = self.ok("participant", "list", self.project, "--json").json()
        lived = ([p["id"] for p in people if p.get("lived_experience") and not p.get("erased")]
                 or [p["id"] for p in people if p.get("role") != "staff"] or ["P-001"])
        named = re.findall(r"\bP-\d{3}\b", said)
        real = {"DATE": ago(1), "AMOUNT": "30", "HOURS": "2", "ID": (named or lived)[0], "...": "what really happened",
                "CATEGORY": "carer", "ROUTE": "community-partner", "GROUP": "young-carers"}
        if words[:1] == ["record"] and words[-1] in ("VALUE", "AMOUNT", "...", "DATE"):
            return [*words[:-1], ago(1) if words[-1] == "DATE" else REAL_FACTS[words[2]]]
        return [real.get(word, word) for word in words]

    def _in_a_copy(self, hint: str, check_id: str, said: str = "") -> dict:
        copy = self.home.parent / "hint-copy"
        shutil.copytree(self.home, copy)
        try:
            words = self.real_values(shlex.split(hint.replace("PROJECT", self.project))[1:], said)
            if "--file" in words:  # the document a hint names is one the person has
                index = words.index("--file") + 1
                (copy / words[index]).write_text("a fictional document\n", encoding="utf-8")
                words[index] = str(copy / words[index])
            actor = ROLE_HOLDERS.get(words[words.index("--role") + 1]) if words[0] == "signoff" else None
            base = ["--home", str(copy), *(["--actor", actor] if actor else [])]
            runner = CliRunner()
            runner.invoke(cli, [*base, *words], input=ASSESS_ANSWERS, catch_exceptions=False)
            checked = runner.invoke(cli, [*base, "check", self.project, "--json"], catch_exceptions=False)
            return next(c for c in json.loads(checked.stdout)["checks"] if c["id"] == check_id)
        finally:
            shutil.rmtree(copy)

    # -- records --------------------------------------------------------------------------

    def _id(self, prefix: str) -> str:
        self._next[prefix] += 1
        return f"{prefix}-{self._next[prefix]:03d}"

    def fact(self, key: str, value: str) -> None:
        self.ok("record", self.project, key, value)

    def _add(self, *args: str, actor: str | None = None) -> str:
        return self.ok(*args, "--json", actor=actor).json()["id"]

    def person(self, role: str = "partner", lived: bool = True, route: str | None = None,
               groups: tuple = (), access_needs: bool = False, signs_as: str | None = None,
               access_asked: str | None = None) -> str:
        args = ["participant", "add", self.project, "--role", role]
        if access_asked:  # the day they were asked what they need to take part
            args += ["--access-asked", access_asked]
        if signs_as:  # the coflow actor who signs for a lived-experience role
            args += ["--signs-as", signs_as]
        if lived:
            args += ["--lived-experience", "--category", "carer"]
        if route:
            args += ["--route", route]
        for group in groups:
            args += ["--group", group]
        if access_needs:
            args += ["--access-needs", "large print and a hearing loop"]
        return self._add(*args)

    def update(self, pid: str, trained: str | None = None, inducted: str | None = None,
               access_needs_met: bool = False, role: str | None = None, payment_info: str | None = None) -> None:
        args = ["participant", "update", self.project, pid]
        if payment_info:
            args += ["--payment-info", payment_info]
        if trained:
            args += ["--training", trained]
        if inducted:
            args += ["--induction", inducted]
        if access_needs_met:
            args += ["--access-needs-met"]
        if role:
            args += ["--role", role]
        self.ok(*args)

    def session(self, date: str, fmt: str = "in-person", attendance: tuple = (), coauthors: tuple = (),
                decisions: bool = False, paid: bool = False, kind: str | None = None) -> str:
        args = ["session", "add", self.project, "--date", date, "--format", fmt, "--hours", "2"]
        if kind:  # what it was for: planning, delivery, ...
            args += ["--kind", kind]
        for pid in attendance:
            args += ["--attendee", pid]
        for pid in coauthors:
            args += ["--agenda-by", pid]
        if decisions:
            args += ["--decisions"]
        if paid:
            args += ["--paid"]
        return self._add(*args)

    def attend(self, sid: str, *pids: str) -> None:
        self.ok("session", "attend", self.project, sid, *pids)

    def pay(self, pid: str, sid: str | None, status: str = "paid", date: str | None = None,
            expenses: float = 0, expenses_status: str = "none", chose: bool = True) -> str:
        """A payment as it happened: made a few days after its session (a lump sum without a
        session, the day before yesterday); a declined one with the day the person chose."""
        if date is None and sid:
            sessions = self.ok("session", "list", self.project, "--json").json()
            held = dt.date.fromisoformat(next(x["date"] for x in sessions if x["id"] == sid))
            date = min(held + dt.timedelta(days=3), TODAY).isoformat()
        args = ["payment", "add", self.project, "--participant", pid, "--status", status,
                "--amount", "0" if status == "declined" else "25", "--date", date or ago(1)]
        if status == "declined" and chose:
            args += ["--declined-on", date or ago(1)]
        if sid:
            args += ["--session", sid]
        if expenses:
            args += ["--expenses", str(expenses), "--expenses-status", expenses_status]
        return self._add(*args)

    def update_payment(self, pay_id: str, expenses_status: str) -> None:
        self.ok("payment", "update", self.project, pay_id, "--expenses-status", expenses_status)

    def evidence(self, kind: str, date: str | None = None) -> str:
        dated = ["--date", date] if date else []  # the day it was agreed, when that was earlier
        if kind in ("ground-rules", "public-summary"):  # some as files, copied into the store
            path = self.home / f"{kind}.txt"
            path.write_text(f"{kind} for a fictional project\n", encoding="utf-8")
            return self._add("evidence", "add", self.project, "--kind", kind, "--file", str(path), *dated)
        return self._add("evidence", "add", self.project, "--kind", kind,
                         "--ref", f"https://intranet.example.org/{kind}", *dated)

    def feedback(self, said: str, status: str = "open", response: str | None = None,
                 reason: str | None = None) -> str:
        args = ["feedback", "add", self.project, "--said", said, "--status", status]
        if response:
            args += ["--response", response]
        if reason:
            args += ["--reason", reason]
        return self._add(*args)

    def answer(self, fid: str, status: str, response: str) -> None:
        self.ok("feedback", "update", self.project, fid, "--status", status, "--response", response)

    def sign(self, role: str, actor: str) -> None:
        self.ok("signoff", self.project, "--role", role, actor=actor)

    SCORES = {"co-production": (2, 2, 2, 2, 2, 2), "co-design": (2, 2, 2, 2, 2, 1),
              "engage": (1, 1, 1, 1, 1, 1), "consult": (1, 0, 1, 1, 1, 0)}

    def assess(self, recommended: str, claimed: str | None = None, justification: str | None = None) -> None:
        criteria = ("authority", "shared-aims", "scale", "outcomes", "resources", "delivery-role")
        args = ["assess", self.project, "--no-interactive", "--json"]
        for criterion, value in zip(criteria, self.SCORES[recommended], strict=True):
            args += [f"--{criterion}", str(value)]
        if claimed:
            args += ["--claimed", claimed]
        if justification:
            args += ["--justification", justification]
        assert self.ok(*args).json()["recommended"] == recommended


@dataclass
class Step:
    what: str
    do: object  # callable(Walker)
    clears: set[str] = field(default_factory=set)
    breaks: set[str] = field(default_factory=set)


@dataclass
class Gate:
    stage: str
    blocked_by: set[str]
    steps: list[Step]


def walk(run, home: Path, workflow: str, project: str, gates: list[Gate], monkeypatch) -> Walker:
    w = Walker(run, home, project, monkeypatch)
    w.ok("new", project, "--workflow", workflow)
    final_stage = None
    tried: set = set()
    for gate in gates:
        report = w.gate()
        assert report["stage"] == gate.stage
        w.follow_hints(tried)
        missing = w.failing()
        assert missing == gate.blocked_by, f"{gate.stage}: blocked by {missing}, expected {gate.blocked_by}"
        blocked = run("advance", project, "--json")
        assert blocked.exit_code == 1 and blocked.json()["advanced"] is False
        for index, step in enumerate(gate.steps):
            last = index == len(gate.steps) - 1
            if last:
                refused = run("advance", project, "--json")
                assert refused.exit_code == 1, f"{gate.stage}: advanced before '{step.what}'"
                failing = {c["id"] for c in refused.json()["checks"]
                           if c["severity"] == "required" and c["status"] != "pass"}
                assert failing == missing, (gate.stage, step.what, failing)
            step.do(w)
            missing = (missing - step.clears) | step.breaks
            now = w.failing()
            assert now == missing, f"{gate.stage}: after '{step.what}' failing {now}, expected {missing}"
            w.follow_hints(tried)
        assert missing == set(), f"{gate.stage}: the walk leaves {missing} unmet"
        moved = run("advance", project, "--json")
        assert moved.exit_code == 0, (gate.stage, moved)
        final_stage = moved.json()["to"]
    report = w.gate()
    assert report["stage"] == final_stage and report.get("final") is True
    assert run("advance", project).exit_code == 1  # nowhere further to go
    assert run("verify", project).exit_code == 0
    return w


@pytest.fixture
def walk_home(home, add_to_config):
    add_to_config(ACTORS)
    return home


# -- co-production -------------------------------------------------------------------------


def coproduction_gates() -> list[Gate]:
    p = {}  # participant ids as they are added
    s = {}

    def planning_partner(w: Walker) -> None:
        p[1] = w.person(route="open-call", groups=["young-carers"], signs_as="cochair-1", access_asked=ago(110))
        s["planning"] = w.session(ago(96), attendance=(p[1],), coauthors=(p[1],), kind="planning")

    def team(w: Walker) -> None:
        p["staff"] = w.person(role="staff", lived=False)
        for n, (route, groups) in enumerate([("open-call", ["rural"]), ("open-call", []),
                                             ("open-call", ["older-carers"])], start=2):
            p[n] = w.person(route=route, groups=groups, access_needs=(n == 4), access_asked=None if n == 4 else ago(110))

    return [
        Gate("planning", {"sponsor-named", "sponsor-backs-plan", "suitability-assessed", "decision-space",
                          "budget-payments", "sessions-planned", "outcome-measures", "dpia", "partner-in-planning"}, [
            Step("sponsor named", lambda w: w.fact("sponsor", "Director of Nursing"), {"sponsor-named"}),
            Step("sponsor signs the plan", lambda w: w.sign("sponsor", "sponsor-1"), {"sponsor-backs-plan"}),
            Step("assessment recommends only co-design: the plan the sponsor signed has changed",
                 lambda w: w.assess("co-design"), set(), {"sponsor-backs-plan"}),
            Step("assessment redone: co-production", lambda w: w.assess("co-production"), {"suitability-assessed"}),
            Step("decision space written", lambda w: w.evidence("decision-space"), {"decision-space"}),
            Step("a partner with lived experience helps agree it at a planning session", planning_partner,
                 {"partner-in-planning"}),
            Step("payments budget of zero is not a budget", lambda w: w.fact("budget_payments", "0")),
            Step("payments budgeted", lambda w: w.fact("budget_payments", "1800"), {"budget-payments"}),
            Step("sessions planned", lambda w: w.fact("sessions_planned", "6"), {"sessions-planned"}),
            Step("outcome measures", lambda w: w.fact("outcome_measures", "waiting time; confidence"),
                 {"outcome-measures"}),
            Step("DPIA reference", lambda w: w.fact("dpia_ref", "DPIA-2026-041"), {"dpia"}),
            Step("the sponsor reads the whole plan and signs again", lambda w: w.sign("sponsor", "sponsor-1"),
                 {"sponsor-backs-plan"}),
        ]),
        Gate("training", {"staff-trained", "partners-inducted", "ground-rules", "payment-info"}, [
            Step("the team is recorded (nobody trained yet)", team),
            Step("staff trained", lambda w: w.update(p["staff"], trained=ago(120)), {"staff-trained"}),
            Step("three of four partners inducted", lambda w: [w.update(p[n], inducted=ago(100)) for n in (1, 2, 3)]),
            Step("the last partner inducted", lambda w: w.update(p[4], inducted=ago(99)), {"partners-inducted"}),
            Step("ground rules agreed after the planning session: too late",
                 lambda w: w.evidence("ground-rules")),
            Step("ground rules agreed at the start, recorded with that day",
                 lambda w: w.evidence("ground-rules", date=ago(97)), {"ground-rules"}),
            Step("payment information given to three of four partners",
                 lambda w: [w.update(p[n], payment_info=ago(99)) for n in (1, 2, 3)]),
            Step("and to the fourth", lambda w: w.update(p[4], payment_info=ago(99)), {"payment-info"}),
        ]),
        # the planning session, with its agenda written with a partner, already counts here
        Gate("implementation", {"shared-aims", "sessions-held", "under-represented-groups",
                                "session-formats", "access-needs-met", "outcome-baseline", "design-signoff"}, [
            Step("aims agreed together", lambda w: w.evidence("shared-aims"), {"shared-aims"}),
            Step("first session, partners there from the start",
                 lambda w: s.setdefault(1, w.session(ago(95), attendance=(p["staff"], p[1], p[2], p[3], p[4]),
                                                     coauthors=(p[1],), decisions=True, paid=True))),
            Step("an online session", lambda w: w.session(ago(60), "virtual", (p["staff"], p[1], p[2]), (p[2],)),
                 {"session-formats"}),
            Step("a third session, its agenda co-author left out by mistake",
                 lambda w: s.setdefault(3, w.session(ago(30), "in-person", (p["staff"], p[3]))),
                 set(), {"agendas-co-authored"}),
            Step("the third session corrected", lambda w: w.ok("session", "update", w.project, s[3],
                                                                "--add-agenda-by", p[3]), {"agendas-co-authored"}),
            Step("fourth session, twelve weeks after the first",
                 lambda w: s.setdefault(4, w.session(ago(5), "in-person", (p[1], p[2]), (p[4],), paid=True)),
                 {"sessions-held"}),
            Step("access needs met", lambda w: w.update(p[4], access_needs_met=True), {"access-needs-met"}),
            Step("baseline measured", lambda w: w.fact("outcome_baseline", "average wait 14 weeks"),
                 {"outcome-baseline"}),
            Step("a group usually left out is named", lambda w: w.ok("group", "add", w.project, "young men")),
            Step("the youth football club was asked to share the call",
                 lambda w: w.ok("group", "action", w.project, "young men", "--date", ago(40),
                                "--what", "asked the youth football club to share the call"),
                 {"under-represented-groups"}),
            Step("co-chair signs the design", lambda w: w.sign("co-chair", "cochair-1")),
            Step("lead signs the design", lambda w: w.sign("lead", "lead-1"), {"design-signoff"}),
        ]),
        Gate("participation", {"lived-experience-partners", "recruitment-routes", "outreach-plan"}, [
            Step("a fifth partner, through a community group",
                 lambda w: p.setdefault(5, w.person(route="community-partner", groups=["refugees"])),
                 {"lived-experience-partners", "recruitment-routes"}, {"everyone-attended"}),
            Step("the fifth partner's attendance", lambda w: w.attend(s[4], p[5]), {"everyone-attended"}),
            Step("outreach plan", lambda w: w.evidence("outreach-plan"), {"outreach-plan"}),
        ]),
        Gate("recognition", {"people-paid", "credited", "future-contact"}, [
            Step("most people paid for the first session", lambda w: [
                w.pay(p[1], s[1]), w.pay(p[2], s[1], "voucher"), w.pay(p[3], s[1], "declined"),
                w.pay(p[1], None), w.pay(p[2], None, "pending"), w.pay(p[5], s[4])]),
            Step("the last partner paid, expenses claimed",
                 lambda w: p.setdefault("pay4", w.pay(p[4], s[1], expenses=12.5, expenses_status="claimed"))),
            Step("expenses settled", lambda w: w.update_payment(p["pay4"], expenses_status="settled"),
                 {"people-paid"}),
            Step("credits", lambda w: w.evidence("credits"), {"credited"}),
            Step("future contact asked", lambda w: w.fact("future_contact_asked", ago(1)), {"future-contact"}),
        ]),
        Gate("review", {"you-said-we-did", "feedback-sent", "leaders-replied", "outcome-followup",
                        "lived-experience-reviewer", "evaluation", "lessons-learned"}, [
            Step("something said, not yet answered", lambda w: p.setdefault("f1", w.feedback("Evening sessions"))),
            Step("answered", lambda w: w.answer(p["f1"], "adopted", "Moved to 6pm"), {"you-said-we-did"}),
            Step("a refusal with its reason",
                 lambda w: w.feedback("Free parking", "not-adopted", "Bus passes instead", "no car park on site")),
            Step("feedback sent", lambda w: w.fact("feedback_sent", ago(1)), {"feedback-sent"}),
            Step("leaders replied", lambda w: w.fact("leaders_replied", ago(1)), {"leaders-replied"}),
            Step("follow-up measured", lambda w: w.fact("outcome_followup", "average wait 9 weeks"),
                 {"outcome-followup"}),
            Step("a partner reviews the evaluation", lambda w: w.update(p[3], role="evaluation-reviewer"),
                 {"lived-experience-reviewer"}),
            Step("evaluation", lambda w: w.evidence("evaluation"), {"evaluation"}),
            Step("lessons learned", lambda w: w.evidence("lessons-learned"), {"lessons-learned"}),
        ]),
        Gate("accountability", {"partners-in-delivery", "board-report", "data-requests-closed", "retention-date",
                                "public-summary", "dual-signoff"}, [
            Step("a delivery session run by staff alone: not enough",
                 lambda w: s.setdefault("delivery", w.session(ago(2), attendance=(p["staff"],), kind="delivery"))),
            Step("a partner with lived experience co-delivered it", lambda w: w.attend(s["delivery"], p[2]),
                 {"partners-in-delivery"}),
            Step("board report", lambda w: w.fact("board_report_ref", "QSC-2026-09-item7"), {"board-report"}),
            Step("a data request still open", lambda w: w.fact("data_requests_open", "1")),
            Step("data requests closed", lambda w: w.fact("data_requests_open", "0"), {"data-requests-closed"}),
            Step("retention date", lambda w: w.fact("retention_date", "2028-09-30"), {"retention-date"}),
            Step("public summary", lambda w: w.evidence("public-summary"), {"public-summary"}),
            Step("sponsor signs (co-chair not yet)", lambda w: w.sign("sponsor", "sponsor-1")),
            Step("co-chair signs", lambda w: w.sign("co-chair", "cochair-1"), {"dual-signoff"}),
        ]),
    ]


def test_coproduction_sample_project_walks_every_gate(run, walk_home, monkeypatch):
    walk(run, walk_home, "coproduction", "carers-hub", coproduction_gates(), monkeypatch)


# -- co-design -----------------------------------------------------------------------------


def codesign_gates() -> list[Gate]:
    p: dict = {}

    def partners(w: Walker) -> None:
        for n in range(1, 5):
            p[n] = w.person(route="open-call", groups=["stroke-survivors"], access_needs=(n == 2),
                            signs_as="cochair-1" if n == 1 else None, access_asked=None if n == 2 else ago(70))
        p["staff"] = w.person(role="staff", lived=False)

    return [
        Gate("planning", {"suitability-assessed", "sponsor-named", "decision-space", "budget-payments", "dpia"}, [
            Step("assessment recommends engage, below co-design", lambda w: w.assess("engage")),
            Step("co-design claimed with a recorded justification: not yet approved",
                 lambda w: w.assess("engage", "co-design", "small pilot on one ward, with partners' agreement")),
            Step("the sponsor reads the justification and signs", lambda w: w.sign("sponsor", "sponsor-1"),
                 {"suitability-assessed"}),
            Step("sponsor named", lambda w: w.fact("sponsor", "Head of Stroke Services"), {"sponsor-named"}),
            Step("decision space", lambda w: w.evidence("decision-space"), {"decision-space"}),
            Step("budget", lambda w: w.fact("budget_payments", "900"), {"budget-payments"}),
            Step("DPIA", lambda w: w.fact("dpia_ref", "DPIA-2026-052"), {"dpia"}),
        ]),
        Gate("preparation", {"partners-inducted", "ground-rules", "payment-info"}, [
            Step("partners and staff recorded", partners),
            Step("partners inducted", lambda w: [w.update(p[n], inducted=ago(60)) for n in range(1, 5)],
                 {"partners-inducted"}),
            Step("ground rules", lambda w: w.evidence("ground-rules"), {"ground-rules"}),
            Step("payment information", lambda w: [w.update(p[n], payment_info=ago(60)) for n in range(1, 5)],
                 {"payment-info"}),
        ]),
        Gate("design", {"shared-aims", "involved-before-decisions", "sessions-held", "access-needs-met",
                        "lived-experience-partners", "recruitment-routes", "under-represented-groups"}, [
            Step("a group usually left out is named: people who had a stroke young",
                 lambda w: w.ok("group", "add", w.project, "Young stroke survivors")),
            Step("the stroke club's under-40s group was invited",
                 lambda w: w.ok("group", "action", w.project, "young stroke survivors", "--date", ago(30),
                                "--what", "invited the stroke club's under-40s group"),
                 {"under-represented-groups"}),
            Step("shared aims", lambda w: w.evidence("shared-aims"), {"shared-aims"}),
            Step("first design session with partners, paid",
                 lambda w: p.setdefault("s1", w.session(ago(40), attendance=(p[1], p[2], p[3], p[4], p["staff"]),
                                                        coauthors=(p[1],), decisions=True, paid=True)),
                 {"involved-before-decisions"}),
            Step("second session online", lambda w: w.session(ago(20), "virtual", (p[1], p[3]), (p[3],))),
            Step("third session, five weeks after the first", lambda w: w.session(ago(3), "in-person", (p[2], p[4])),
                 {"sessions-held"}),
            Step("access needs met", lambda w: w.update(p[2], access_needs_met=True), {"access-needs-met"}),
            Step("a fifth partner through a stroke club",
                 lambda w: w.person(route="community-partner", groups=["carers"], access_asked=ago(2)),
                 {"lived-experience-partners", "recruitment-routes"}),
        ]),
        Gate("report-back", {"people-paid", "you-said-we-did", "feedback-sent", "retention-date", "design-signoff"}, [
            Step("three of four paid", lambda w: [w.pay(p[n], p["s1"]) for n in (1, 2, 3)]),
            Step("the fourth declined payment", lambda w: w.pay(p[4], p["s1"], "declined"), {"people-paid"}),
            Step("you said, we did", lambda w: w.feedback("Bigger print", "adopted", "14pt leaflets"),
                 {"you-said-we-did"}),
            Step("feedback sent", lambda w: w.fact("feedback_sent", ago(1)), {"feedback-sent"}),
            Step("retention date", lambda w: w.fact("retention_date", "2028-03-31"), {"retention-date"}),
            Step("co-chair signs", lambda w: w.sign("co-chair", "cochair-1")),
            Step("sponsor signs", lambda w: w.sign("sponsor", "sponsor-1"), {"design-signoff"}),
        ]),
    ]


def test_codesign_sample_project_walks_every_gate(run, walk_home, monkeypatch):
    walk(run, walk_home, "codesign", "stroke-leaflets", codesign_gates(), monkeypatch)


# -- engage --------------------------------------------------------------------------------


def engage_gates() -> list[Gate]:
    p: dict = {}

    def nine_people(w: Walker) -> None:
        for n in range(1, 10):
            p[n] = w.person(route="open-call" if n <= 6 else "library", access_needs=(n == 5))

    return [
        Gate("planning", {"suitability-assessed", "sponsor-named", "decision-space", "expenses-offered", "dpia"}, [
            Step("assessment recommends engage", lambda w: w.assess("engage"), {"suitability-assessed"}),
            Step("sponsor", lambda w: w.fact("sponsor", "Director of Transport"), {"sponsor-named"}),
            Step("decision space", lambda w: w.evidence("decision-space"), {"decision-space"}),
            Step("expenses not offered: not enough", lambda w: w.fact("expenses_offered", "false")),
            Step("expenses offered", lambda w: w.fact("expenses_offered", "true"), {"expenses-offered"}),
            Step("DPIA", lambda w: w.fact("dpia_ref", "DPIA-2026-060"), {"dpia"}),
        ]),
        Gate("listening", {"sessions-held", "session-formats", "ground-rules", "people-heard", "recruitment-routes"}, [
            Step("nine people, two routes, one with access needs", nine_people,
                 {"recruitment-routes"}, {"access-needs-met"}),
            Step("a tenth person", lambda w: p.setdefault(10, w.person(route="library")), {"people-heard"}),
            Step("a paid listening session",
                 lambda w: p.setdefault("s1", w.session(ago(14), attendance=(p[1], p[2], p[5]), paid=True)),
                 set(), {"people-paid"}),
            Step("an online session", lambda w: w.session(ago(7), "virtual", (p[3], p[4])),
                 {"sessions-held", "session-formats"}),
            Step("two paid, one with expenses claimed",
                 lambda w: [w.pay(p[1], p["s1"]), p.setdefault("pay", w.pay(p[2], p["s1"], expenses=8,
                                                                             expenses_status="claimed"))]),
            Step("the third paid", lambda w: w.pay(p[5], p["s1"], "voucher")),
            Step("expenses settled", lambda w: w.update_payment(p["pay"], expenses_status="settled"), {"people-paid"}),
            Step("access needs met", lambda w: w.update(p[5], access_needs_met=True), {"access-needs-met"}),
            Step("ground rules", lambda w: w.evidence("ground-rules"), {"ground-rules"}),
        ]),
        Gate("report-back", {"you-said-we-did", "feedback-sent", "retention-date", "sponsor-read"}, [
            Step("you said, we did", lambda w: w.feedback("Later buses", "adapted", "One later bus on weekdays"),
                 {"you-said-we-did"}),
            Step("feedback sent", lambda w: w.fact("feedback_sent", ago(1)), {"feedback-sent"}),
            Step("retention date", lambda w: w.fact("retention_date", "2027-05-31"), {"retention-date"}),
            Step("sponsor read it", lambda w: w.sign("sponsor", "sponsor-1"), {"sponsor-read"}),
        ]),
    ]


def test_engage_sample_project_walks_every_gate(run, walk_home, monkeypatch):
    walk(run, walk_home, "engage", "bus-routes", engage_gates(), monkeypatch)


# -- consult -------------------------------------------------------------------------------


def consult_gates() -> list[Gate]:
    p: dict = {}
    return [
        Gate("planning", {"suitability-assessed", "decision-space", "consultation-document", "dpia"}, [
            Step("assessment recommends consult", lambda w: w.assess("consult"), {"suitability-assessed"}),
            Step("options and limits", lambda w: w.evidence("decision-space"), {"decision-space"}),
            Step("consultation document", lambda w: w.evidence("consultation-document"), {"consultation-document"}),
            Step("DPIA", lambda w: w.fact("dpia_ref", "DPIA-2026-071"), {"dpia"}),
        ]),
        Gate("consultation", {"open-long-enough", "formats-offered", "responses-received"}, [
            Step("one format: not enough", lambda w: w.fact("formats_offered", "1")),
            Step("three formats", lambda w: w.fact("formats_offered", "3"), {"formats-offered"}),
            Step("responses counted", lambda w: w.fact("responses_received", "212"), {"responses-received"}),
            Step("a respondent with access needs", lambda w: p.setdefault(1, w.person(access_needs=True)),
                 set(), {"access-needs-met"}),
            Step("access needs met", lambda w: w.update(p[1], access_needs_met=True), {"access-needs-met"}),
            Step("a paid focus group", lambda w: p.setdefault("s", w.session(ago(2), attendance=(p[1],), paid=True)),
                 set(), {"expenses-settled"}),
            Step("paid", lambda w: w.pay(p[1], p["s"]), {"expenses-settled"}),
            Step("two weeks pass: not long enough", lambda w: w.later(14)),
            Step("four weeks pass", lambda w: w.later(29), {"open-long-enough"}),
        ]),
        Gate("response", {"you-said-we-did", "response-published", "retention-date", "decision-maker-read"}, [
            Step("you said, we did", lambda w: w.feedback("Open on Sundays", "not-adopted", "Saturday hours longer",
                                                           "no staff budget for Sundays"), {"you-said-we-did"}),
            Step("response published", lambda w: w.fact("feedback_sent", ago(1)), {"response-published"}),
            Step("retention date", lambda w: w.fact("retention_date", "2027-01-31"), {"retention-date"}),
            Step("decision-maker read it", lambda w: w.sign("sponsor", "sponsor-1"), {"decision-maker-read"}),
        ]),
    ]


def test_consult_sample_project_walks_every_gate(run, walk_home, monkeypatch):
    walk(run, walk_home, "consult", "library-hours", consult_gates(), monkeypatch)


# -- practice ------------------------------------------------------------------------------


def practice_gates() -> list[Gate]:
    p: dict = {}
    return [
        Gate("getting-ready", {"explained", "involvement-chosen", "support-considered", "time-and-place",
                               "people-recorded"}, [
            Step("explained", lambda w: w.fact("explained_on", ago(20)), {"explained"}),
            Step("a choice not on the list", lambda w: w.fact("involvement_choice", "watching")),
            Step("how they want to be involved", lambda w: w.fact("involvement_choice", "sharing"),
                 {"involvement-chosen"}),
            Step("support", lambda w: w.fact("support_offered", "advocate"), {"support-considered"}),
            Step("time and place", lambda w: w.fact("time_place_agreed", ago(20)), {"time-and-place"}),
            Step("the person, with access needs",
                 lambda w: p.setdefault(1, w.person(access_needs=True, signs_as="person-1")),
                 {"people-recorded"}, {"access-needs-met"}),
            Step("their carer", lambda w: p.setdefault(2, w.person(signs_as="carer-1"))),
            Step("access needs met", lambda w: w.update(p[1], access_needs_met=True), {"access-needs-met"}),
        ]),
        Gate("assessment", {"conversation-held", "everyone-took-part", "strengths", "assessment-agreed"}, [
            Step("a home visit with the person",
                 lambda w: p.setdefault("s", w.session(ago(10), "home-visit", (p[1],))), {"conversation-held"}),
            Step("the carer was there too", lambda w: w.attend(p["s"], p[2]), {"everyone-took-part"}),
            Step("strengths", lambda w: w.fact("strengths_explored", ago(10)), {"strengths"}),
            Step("the person agrees", lambda w: w.sign("person", "person-1")),
            Step("the practitioner agrees", lambda w: w.sign("practitioner", "practitioner-1"),
                 {"assessment-agreed"}),
        ]),
        Gate("plan", {"outcomes-agreed", "plan-shared", "review-date", "plan-agreed"}, [
            Step("outcomes", lambda w: w.fact("outcomes_agreed", ago(5)), {"outcomes-agreed"}),
            Step("plan shared", lambda w: w.fact("plan_shared", ago(5)), {"plan-shared"}),
            Step("review date", lambda w: w.fact("review_date", "2026-12-01"), {"review-date"}),
            Step("practitioner agrees", lambda w: w.sign("practitioner", "practitioner-1")),
            Step("the person agrees", lambda w: w.sign("person", "person-1"), {"plan-agreed"}),
        ]),
        Gate("review", {"you-said-we-did", "review-agreed"}, [
            Step("asked for, not answered yet", lambda w: p.setdefault("f", w.feedback("Help on Tuesdays"))),
            Step("answered", lambda w: w.answer(p["f"], "adopted", "Visits moved to Tuesdays"), {"you-said-we-did"}),
            Step("both agree the review", lambda w: [w.sign("person", "person-1"),
                                                      w.sign("practitioner", "practitioner-1")],
                 {"review-agreed"}),
        ]),
    ]


def test_practice_sample_project_walks_every_gate(run, walk_home, monkeypatch):
    walk(run, walk_home, "practice", "home-care-review", practice_gates(), monkeypatch)


def test_every_shipped_workflow_has_a_walk():
    walked = {"coproduction", "codesign", "engage", "consult", "practice"}
    assert {p.stem for p in SHIPPED} == walked


def shipped_hints() -> list[tuple[str, str]]:
    from coflow.workflow.loader import parse_file

    found = []
    for path in SHIPPED:
        data, _ = parse_file(path)
        for stage, spec in data["stages"].items():
            for check in spec.get("checks", []):
                found.append((f"{path.stem}: {stage}.{check['id']}", check.get("hint", "")))
    return found


@pytest.mark.parametrize("where,hint", shipped_hints(), ids=[w for w, _ in shipped_hints()])
def test_every_shipped_hint_is_a_command_the_cli_accepts(where, hint):
    from clihints import parse_hint

    if hint:
        parse_hint(hint)


@pytest.mark.parametrize("where,hint", shipped_hints(), ids=[w for w, _ in shipped_hints()])
def test_shipped_checks_have_a_hint_unless_their_type_writes_a_precise_one(where, hint):
    from coflow.workflow.loader import parse_file

    path = REPO / "workflows" / f"{where.split(':')[0]}.toml"
    stage, _, check_id = where.split(": ")[1].partition(".")
    spec = next(c for c in parse_file(path)[0]["stages"][stage]["checks"] if c["id"] == check_id)
    writes_own = {"signoff", "training", "attendance", "payments", "feedback", "access_needs", "involvement_level",
                  "groups",
                  "sessions", "participants"}
    own = (spec["type"] in writes_own or (spec["type"] == "fact" and spec.get("op") in ("date", "past_date"))
           or (spec["type"] == "elapsed" and "from_fact" in spec)  # it names the date fact to record
           or (spec["type"] == "evidence" and spec.get("by_first_session")))
    assert bool(hint) != own, f"{where} ({spec['type']}): hint {hint!r}"


def test_the_check_reference_examples_use_real_commands():
    import re

    from clihints import parse_hint

    text = (REPO / "docs" / "checks.md").read_text(encoding="utf-8")
    hints = re.findall(r"""^hint = (?:"(.*)"|'(.*)')$""", text, flags=re.M)
    assert len(hints) >= 5
    for double, single in hints:
        parse_hint((double or single).replace('\\"', '"'))
