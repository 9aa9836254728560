"""Random sequences of the four write modules, checked against a model of the server (issue 7).

Hypothesis' rule-based state machine draws steps: create an incident from free alerts, edit
its assignee, description or solution, move its status (forward, or back with reopen), add
and remove alerts, triage alerts as an analyst, add notes, and rerun an earlier step. Each
step calls the module's ``run(client, params, check_mode)`` in this process against the
session emulator three times: in check mode (no write request, ``changed`` as the model
predicts), for real (the same ``changed``) and once more (``changed`` false, no write).

The model is plain data written from the modules' documentation, ``shared/design.md``
("Convergence rules") and the API reference (§3.3: change-status pushes the incident status
and solution onto every linked alert and its echoes). After every step the server state must
equal the model: every incident, link, alert document and note, not only the ones the step
touched, so a step that loses an analyst's triage (status, observation, tags) or an incident
field fails at once. Link rows must carry their alert's status.

Deterministic in CI (``derandomize``). ``HYPOTHESIS_PROFILE=long`` runs more and longer,
random sequences; a failure prints the blob that replays it (``@reproduce_failure``).
"""

import collections
import copy
import os

from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule, run_state_machine_as_test

from ansible_collections.utmstack.soc.plugins.module_utils.errors import UtmInputError
from ansible_collections.utmstack.soc.plugins.modules import utm_alert_status, utm_incident, utm_incident_alert, utm_incident_note
from harness import clear_local_state, free_alert_ids, module_params

LONG = os.environ.get("HYPOTHESIS_PROFILE") == "long"
EXAMPLES = 300 if LONG else 40
STEPS = 60 if LONG else 50

FALSE_POSITIVE = "False positive"
STATUS_ORDER = ("open", "in_review", "completed")
ALERT_CODE = {"open": 2, "in_review": 3, "completed": 5}
ASSIGNEES = ("1", "3", "1,3", "")
DESCRIPTIONS = ("", "Password guessing from one address.", "Escalated to the Windows team.")
SOLUTIONS = ("", "Address blocked at the firewall.", "Host reimaged.")
OBSERVATIONS = ("", "Checked the source address.", "Scanner of the security team.")
NOTES = ("Triage started.", "Blocked 203.0.113.7.", "Handed over to the night shift.")


class Refused(Exception):
    """The model expects the module to refuse the step before writing anything."""


def blank_is_none(value):
    return None if value in (None, "") else value


def project(state):
    """The parts of ``emulator.state()`` the model predicts, in the model's shape."""
    docs = dict((doc["id"], doc) for doc in state["alerts"])
    rows = state["incident_alerts"]
    stale = [row["alertId"] for row in rows if row["alertStatus"] != docs[row["alertId"]]["status"]]
    assert not stale, "link rows whose status is not their alert's: %s" % stale
    notes = {}
    for note in state["notes"]:
        notes.setdefault(note["incidentId"], []).append(note["noteText"])
    return dict(
        incidents=dict((row["id"], dict(name=row["incidentName"], description=row["incidentDescription"],
                                        status=row["incidentStatus"].lower(), assigned_to=row["incidentAssignedTo"],
                                        solution=row["incidentSolution"])) for row in state["incidents"]),
        links=dict((row["alertId"], row["incidentId"]) for row in rows),
        alerts=dict((doc["id"], dict(status=doc["status"], observation=doc.get("statusObservation") or "",
                                     tags=tuple(doc.get("tags") or ()), flag=flag_of(doc))) for doc in state["alerts"]),
        notes=notes,
    )


def differences(server, model):
    """What differs between two projections, object by object, for the failure message."""
    lines = []
    for section in sorted(set(server) | set(model)):
        got, want = server.get(section, {}), model.get(section, {})
        for key in sorted(set(got) | set(want), key=str):
            if got.get(key) != want.get(key):
                lines.append("%s %s: server %r, model %r" % (section, key, got.get(key), want.get(key)))
    return "\n".join(lines)


def flag_of(doc):
    """(incident id, incident name) convert-to-incident marked the document with, or None."""
    if not doc.get("isIncident"):
        return None
    detail = doc.get("incidentDetail") or {}
    return (detail.get("incidentId"), detail.get("incidentName"))


class Model(object):
    """The expected server state, and each module's expected effect on it.

    Each effect method changes the model as the module's run should change the server, and
    returns the ``changed`` it should report, or raises Refused.
    """

    def __init__(self, state):
        self.__dict__.update(project(state))
        self.parents = dict((doc["id"], doc["parentId"]) for doc in state["alerts"] if doc.get("parentId"))
        self.echoes = {}
        for echo, parent in self.parents.items():
            self.echoes.setdefault(parent, []).append(echo)

    def view(self):
        return dict(incidents=self.incidents, links=self.links, alerts=self.alerts, notes=self.notes)

    def find(self, incident_id=None, name=None):
        if incident_id is not None:
            return incident_id
        return next((i for i, incident in self.incidents.items() if incident["name"] == name), None)

    def linked(self, incident_id):
        return [alert_id for alert_id, owner in self.links.items() if owner == incident_id]

    def refuse_elsewhere(self, incident_id, alerts):
        # An alert belongs to one incident at most: the modules fail before writing.
        if any(self.links.get(alert_id, incident_id) != incident_id for alert_id in alerts):
            raise Refused()

    def link(self, incident_id, alerts, flag):
        """Link the alerts not linked yet; flag the documents not flagged yet. Returns (added, flagged)."""
        added = [alert_id for alert_id in alerts if alert_id not in self.links]
        for alert_id in added:
            self.links[alert_id] = incident_id
        flagged = [alert_id for alert_id in alerts if flag and self.alerts[alert_id]["flag"] is None]
        for alert_id in flagged:
            # The server stores the incident id of the flag as a string.
            self.alerts[alert_id]["flag"] = (str(incident_id), self.incidents[incident_id]["name"])
        return added, flagged

    def push_status(self, incident_id, keep_false_positives):
        """A status change: the incident's alerts and their echoes take its status and solution."""
        incident = self.incidents[incident_id]
        observation = "null" if incident["solution"] is None else incident["solution"]
        for parent in self.linked(incident_id):
            for alert_id in [parent] + self.echoes.get(parent, []):
                doc = self.alerts[alert_id]
                if not (keep_false_positives and FALSE_POSITIVE in doc["tags"]):
                    doc.update(status=ALERT_CODE[incident["status"]], observation=observation)

    def incident(self, params, new_id):
        """utm_incident: create from alerts, or bring the fields and alerts of an existing one in line."""
        incident_id = self.find(params["id"], params["name"])
        alerts = list(dict.fromkeys(params["alerts"] or ()))
        self.refuse_elsewhere(incident_id, alerts)  # to create, every alert must be free
        created = incident_id is None
        if created:
            incident_id = new_id
            # Created open without solution; any other status or a solution is a second write.
            self.incidents[incident_id] = dict(name=params["name"], description=params["description"] or "",
                                               status="open", assigned_to=blank_is_none(params["assigned_to"]),
                                               solution=None)
        incident = self.incidents[incident_id]
        wanted = dict((field, params[field]) for field in ("name", "description", "assigned_to", "status", "solution")
                      if params[field] is not None)
        for field in ("assigned_to", "solution"):
            if field in wanted:
                wanted[field] = blank_is_none(wanted[field])
        if "status" in wanted and not params["reopen"] and \
                STATUS_ORDER.index(wanted["status"]) < STATUS_ORDER.index(incident["status"]):
            del wanted["status"]  # status only moves forward unless reopen
        changes = dict((field, value) for field, value in wanted.items() if incident[field] != value)
        incident.update(changes)
        added, flagged = self.link(incident_id, alerts, params["flag_alerts"])
        if "status" in changes:
            self.push_status(incident_id, params["keep_false_positives"])
        # Any other incident write pushes too, and the module gives every alert its triage back.
        return created or bool(changes or added or flagged)

    def membership(self, params):
        """utm_incident_alert: the listed alerts in (present) or out of (absent) the incident."""
        incident_id = self.find(params["incident_id"], params["incident_name"])
        alerts = list(dict.fromkeys(params["alerts"]))
        if params["state"] == "absent":
            here = [alert_id for alert_id in alerts if self.links.get(alert_id) == incident_id]
            for alert_id in here:
                del self.links[alert_id]  # the document keeps its flag and triage
            return bool(here)
        self.refuse_elsewhere(incident_id, alerts)
        added, flagged = self.link(incident_id, alerts, params["flag_alerts"])
        return bool(added or flagged)

    def triage(self, params):
        """utm_alert_status: each listed alert that differs is written, and its echoes follow it.

        Listed echoes are written after their listed parents, so their own values win.
        """
        code = ALERT_CODE[params["status"]]
        listed = list(dict.fromkeys(params["alerts"]))
        late = [alert_id for alert_id in listed if self.parents.get(alert_id) in listed]
        # Without an observation each alert keeps the one it had before the task.
        observations = dict((alert_id, self.alerts[alert_id]["observation"] if params["observation"] is None
                             else params["observation"]) for alert_id in listed)
        changed = False
        for alert_id in [i for i in listed if i not in late] + late:
            doc = self.alerts[alert_id]
            observation = observations[alert_id]
            tag = params["false_positive"] and FALSE_POSITIVE not in doc["tags"]
            if (doc["status"], doc["observation"]) == (code, observation) and not tag:
                continue
            changed = True
            for target in [alert_id] + self.echoes.get(alert_id, []):
                written = self.alerts[target]
                written.update(status=code, observation=observation)
                if params["false_positive"] and FALSE_POSITIVE not in written["tags"]:
                    written["tags"] += (FALSE_POSITIVE,)
        return changed

    def note(self, params):
        """utm_incident_note: add the text unless a note of the incident has it already."""
        incident_id = self.find(params["incident_id"], params["incident_name"])
        texts = self.notes.setdefault(incident_id, [])
        if params["text"] in texts:
            return False
        texts.append(params["text"])
        return True


def short_name(module):
    return module.__name__.rpartition(".")[2]


def pick_pool(client, state):
    """Free alerts for the test, one of each kind that matters to the model, and their echoes."""
    docs = dict((doc["id"], doc) for doc in state["alerts"])
    parents = set(doc["parentId"] for doc in state["alerts"] if doc.get("parentId"))
    kinds = [
        ("a false positive", lambda d: FALSE_POSITIVE in (d.get("tags") or [])),
        ("another tag", lambda d: d.get("tags") and FALSE_POSITIVE not in d["tags"]),
        ("in review", lambda d: d["status"] == 3),
        ("completed", lambda d: d["status"] == 5 and not d.get("tags")),
        ("echoes", lambda d: d["id"] in parents),
        ("echoes", lambda d: d["id"] in parents),
        ("echoes", lambda d: d["id"] in parents),
    ] + [("open", lambda d: d["status"] == 2 and not d.get("tags") and d["id"] not in parents)] * 5
    free = [docs[alert_id] for alert_id in free_alert_ids(client, 30)]
    pool = []
    for kind, matches in kinds:
        found = [doc["id"] for doc in free if matches(doc) and doc["id"] not in pool]
        assert found, "the demo seed has no free alert that is %s" % kind
        pool.append(found[0])
    # Their echoes are free too: a push on a parent's incident moves an echo in another incident.
    return pool + [doc["id"] for doc in state["alerts"] if doc.get("parentId") in pool]


class Totals(object):
    examples = steps = calls = 0
    outcomes = collections.Counter()  # (module, changed | unchanged | refused): steps


class Sequences(RuleBasedStateMachine):
    """One example: a reset emulator and a random sequence of module steps."""

    emulator = client = None  # set by the test

    @initialize(data=st.data())
    def reset(self, data):
        self.emulator.reset(seed="demo")
        self.emulator.clear_requests()
        clear_local_state()
        state = self.emulator.state()
        self.pool = pick_pool(self.client, state)
        self.model = Model(state)
        self.created = []  # ids of the incidents this example created
        self.done = []  # (module, options, effect) of each step, for reruns
        Totals.examples += 1
        # Every sequence starts with an incident: most steps need one.
        self.new_incident(data)

    # -- running one step --------------------------------------------------------------------
    def server(self):
        return project(self.emulator.state())

    def run_module(self, module, params, check_mode):
        self.emulator.clear_requests()
        Totals.calls += 1
        try:
            return module.run(self.client, params, check_mode)[:2]
        finally:
            writes = [(r["method"], r["path"]) for r in self.emulator.requests(writes_only=True)]
            if check_mode:
                assert writes == [], "check mode wrote: %s" % writes
            self.writes = writes

    def step(self, module, options, effect):
        """Check mode, real run, rerun; each compared with the model's ``effect``."""
        Totals.steps += 1
        self.done.append((module, options, effect))
        params = module_params(module, **options)
        predicted = copy.deepcopy(self.model)
        try:
            expected = effect(predicted, params, None)
        except Refused:
            for check_mode in (True, False):
                try:
                    self.run_module(module, params, check_mode)
                except UtmInputError:
                    assert self.writes == [], "refused step wrote: %s" % self.writes
                else:
                    raise AssertionError("%s did not refuse %r" % (module.__name__, options))
            Totals.outcomes[(short_name(module), "refused")] += 1
            return
        before = self.server()
        changed, unused_result = self.run_module(module, params, True)
        assert changed == expected, "check mode of %s %r: changed %s" % (module.__name__, options, changed)
        assert self.server() == before, "check mode changed the server"
        changed, result = self.run_module(module, params, False)
        assert changed == expected, "%s %r: changed %s" % (module.__name__, options, changed)
        assert changed or self.writes == [], "unchanged but wrote: %s" % self.writes
        effect(self.model, params, result)
        Totals.outcomes[(short_name(module), "changed" if changed else "unchanged")] += 1
        self.check_server("%s %r" % (short_name(module), options))
        changed, unused_result = self.run_module(module, params, False)
        assert not changed and self.writes == [], "rerun of %s %r: changed %s, wrote %s" % (
            module.__name__, options, changed, self.writes)

    @invariant()
    def server_is_model(self):
        self.check_server("the sequence so far")

    def check_server(self, after):
        server = self.server()
        assert server == self.model.view(), "after %s the server differs from the model:\n%s" % (
            after, differences(server, self.model.view()))

    # -- the steps -----------------------------------------------------------------------------
    def pick_incident(self, data, id_key="id", name_key="name"):
        """(incident id, the options that name it: by id or by name)."""
        incident_id = data.draw(st.sampled_from(self.created), label="incident")
        if data.draw(st.booleans(), label="by id"):
            return incident_id, {id_key: incident_id}
        return incident_id, {name_key: self.model.incidents[incident_id]["name"]}

    def pick_alerts(self, data, likely):
        """1-3 alerts, mostly of ``likely``; now and then any of the pool, to see a taken one refused."""
        candidates = likely if likely and data.draw(st.integers(0, 4), label="likely") else self.pool
        return data.draw(st.lists(st.sampled_from(candidates), min_size=1, max_size=3), label="alerts")

    def free_or_of(self, incident_id=None):
        return [alert_id for alert_id in self.pool if self.model.links.get(alert_id, incident_id) == incident_id]

    def utm_incident(self, options):
        def effect(model, params, result):
            new_id = result["incident"]["id"] if result else None
            if result and result["created"]:
                assert new_id not in model.incidents
                self.created.append(new_id)
            return model.incident(params, new_id)
        self.step(utm_incident, options, effect)

    @precondition(lambda self: len(self.created) < 4)
    @rule(data=st.data())
    def create(self, data):
        self.new_incident(data)

    def new_incident(self, data):
        alerts = self.pick_alerts(data, self.free_or_of())
        false_positives = [alert_id for alert_id in self.free_or_of() if FALSE_POSITIVE in self.model.alerts[alert_id]["tags"]]
        if false_positives and data.draw(st.booleans(), label="with a false positive"):
            alerts.append(data.draw(st.sampled_from(false_positives), label="false positive"))
        options = dict(name="PROP incident %d" % (len(self.done) + 1), alerts=alerts,
                       keep_false_positives=data.draw(st.booleans(), label="keep_false_positives"),
                       flag_alerts=data.draw(st.sampled_from([True, True, False]), label="flag_alerts"))
        for option, values in (("status", STATUS_ORDER), ("assigned_to", ASSIGNEES), ("description", DESCRIPTIONS)):
            value = data.draw(st.none() | st.sampled_from(values), label=option)
            if value is not None:
                options[option] = value
        if options.get("status") == "completed":
            options["solution"] = data.draw(st.sampled_from(SOLUTIONS), label="solution")
        self.utm_incident(options)

    @precondition(lambda self: self.created)
    @rule(data=st.data(), field=st.sampled_from([("assigned_to", ASSIGNEES), ("description", DESCRIPTIONS),
                                                 ("solution", SOLUTIONS)]))
    def edit(self, data, field):
        option, values = field
        unused_id, ref = self.pick_incident(data)
        self.utm_incident(dict(ref, **{option: data.draw(st.sampled_from(values), label=option)}))

    @precondition(lambda self: self.created)
    @rule(data=st.data(), status=st.sampled_from(STATUS_ORDER), keep_false_positives=st.booleans(),
          reopen=st.sampled_from([False, False, True]))
    def change_status(self, data, status, keep_false_positives, reopen):
        incident_id, ref = self.pick_incident(data)
        options = dict(ref, status=status, keep_false_positives=keep_false_positives, reopen=reopen)
        if status == "completed" and data.draw(st.booleans(), label="with solution"):
            options["solution"] = data.draw(st.sampled_from(SOLUTIONS), label="solution")
        if data.draw(st.integers(0, 3), label="with alerts") == 0:
            # New alerts take the new status with the others.
            options["alerts"] = self.pick_alerts(data, self.free_or_of(incident_id))
        self.utm_incident(options)

    @precondition(lambda self: self.created)
    @rule(data=st.data(), flag_alerts=st.booleans(), through_incident=st.booleans())
    def add_alerts(self, data, flag_alerts, through_incident):
        if through_incident:
            incident_id, ref = self.pick_incident(data)
            self.utm_incident(dict(ref, alerts=self.pick_alerts(data, self.free_or_of(incident_id)), flag_alerts=flag_alerts))
        else:
            incident_id, ref = self.pick_incident(data, "incident_id", "incident_name")
            self.step(utm_incident_alert, dict(ref, alerts=self.pick_alerts(data, self.free_or_of(incident_id)),
                                               flag_alerts=flag_alerts),
                      lambda model, params, result: model.membership(params))

    @precondition(lambda self: self.created)
    @rule(data=st.data())
    def remove_alerts(self, data):
        incident_id, ref = self.pick_incident(data, "incident_id", "incident_name")
        options = dict(ref, state="absent", alerts=self.pick_alerts(data, self.model.linked(incident_id)))
        self.step(utm_incident_alert, options, lambda model, params, result: model.membership(params))

    TRIAGE = dict(status=st.sampled_from(["in_review", "completed"]), observation=st.none() | st.sampled_from(OBSERVATIONS),
                  false_positive=st.booleans())

    @rule(data=st.data(), **TRIAGE)
    def triage(self, data, **options):
        self.set_alert_status(data.draw(st.lists(st.sampled_from(self.pool), min_size=1, max_size=3), label="alerts"),
                              **options)

    @rule(data=st.data(), **TRIAGE)
    def triage_with_echoes(self, data, **options):
        """A parent and its echoes in one task, in any order: the echoes' own values must win."""
        families = [[alert_id] + self.model.echoes[alert_id] for alert_id in self.pool if alert_id in self.model.echoes]
        self.set_alert_status(data.draw(st.sampled_from(families).flatmap(st.permutations), label="alerts"), **options)

    def set_alert_status(self, alerts, status, observation, false_positive):
        options = dict(alerts=alerts, status=status, false_positive=false_positive and status == "completed")
        if observation is not None:
            options["observation"] = observation
        self.step(utm_alert_status, options, lambda model, params, result: model.triage(params))

    @precondition(lambda self: self.created)
    @rule(data=st.data(), text=st.sampled_from(NOTES))
    def note(self, data, text):
        unused_id, ref = self.pick_incident(data, "incident_id", "incident_name")
        self.step(utm_incident_note, dict(ref, text=text), lambda model, params, result: model.note(params))

    @precondition(lambda self: self.done)
    @rule(data=st.data())
    def rerun(self, data):
        self.step(*data.draw(st.sampled_from(self.done), label="rerun of"))


def test_random_sequences(emulator, client, record_property):
    Sequences.emulator, Sequences.client = emulator, client
    run_state_machine_as_test(Sequences, settings=settings(
        derandomize=not LONG, database=None, print_blob=True, max_examples=EXAMPLES, stateful_step_count=STEPS,
        deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]))
    outcomes = ", ".join("%s %s %d" % (name, outcome, count) for (name, outcome), count in sorted(Totals.outcomes.items()))
    record_property("size", "%d examples x up to %d steps: %d steps, %d module calls (%s)" % (
        Totals.examples, STEPS, Totals.steps, Totals.calls, outcomes))
