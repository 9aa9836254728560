"""The AWX material in extensions/awx and collections/requirements.yml, checked the way AWX
would use it.

- The credential type and every survey pass the checks AWX's API applies when they are saved
  (the credential type's input and injector JSON schemas and their extra rules; the survey spec
  checks of the job template survey endpoint), restated here because AWX is not installable.
- Each job template's playbook runs the way an AWX job runs it: the project is a checkout of
  this repository whose collections/requirements.yml was installed by the project sync, the
  credential's injectors are rendered into the job's environment (and files), the survey's
  answers become extra variables, and ansible-runner runs the playbook, against the emulator.
"""

import json
import os
import re
import shutil
import sys

import jinja2
import jinja2.sandbox
import jsonschema
import pytest
import yaml

from harness import API_KEY, clear_local_state, free_alert_ids
from test_collection import BIN, ROOT, collection_files, run

AWX = os.path.join(ROOT, "extensions", "awx")
NAME = r"^[a-zA-Z_]+[a-zA-Z0-9_]*$"

# AWX's CredentialTypeInputField and CredentialTypeInjectorField schemas (awx/main/fields.py).
INPUTS_SCHEMA = {
    "type": "object", "additionalProperties": False,
    "properties": {
        "required": {"type": "array", "items": {"type": "string"}},
        "fields": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["id", "label"],
            "properties": {
                "type": {"enum": ["string", "boolean"]}, "format": {"enum": ["ssh_private_key", "url"]},
                "choices": {"type": "array", "minItems": 1, "items": {"type": "string"}, "uniqueItems": True},
                "id": {"type": "string", "pattern": NAME}, "label": {"type": "string"},
                "help_text": {"type": "string"}, "multiline": {"type": "boolean"}, "secret": {"type": "boolean"},
                "ask_at_runtime": {"type": "boolean"}, "default": {}}}}}}
INJECTORS_SCHEMA = {
    "type": "object", "additionalProperties": False,
    "properties": {
        "file": {"type": "object", "additionalProperties": False,
                 "patternProperties": {r"^template(\.[a-zA-Z_]+[a-zA-Z0-9_]*)?$": {"type": "string"}}},
        "env": {"type": "object", "additionalProperties": False,
                "patternProperties": {NAME: {"type": "string", "pattern": "^[\x00-\x7F]*$"}}},
        "extra_vars": {"type": "object", "additionalProperties": False, "patternProperties": {NAME: {"type": "string"}}}}}
# Survey question types and the Python type of their defaults (JobTemplateSurveySpec.ALLOWED_TYPES).
SURVEY_TYPES = {"text": str, "textarea": str, "password": str, "multiplechoice": str, "multiselect": str,
                "integer": int, "float": (float, int)}
# Credential kinds a job template accepts (JobTemplateCredentialsList.is_valid_relation).
JOB_CREDENTIAL_KINDS = ("ssh", "vault", "cloud", "net", "kubernetes")


def load(name):
    with open(os.path.join(AWX, name)) as f:
        return yaml.safe_load(f)


CREDENTIAL_TYPE = load("credential_type.yml")
JOB_TEMPLATES = load("job_templates.yml")["job_templates"]
SURVEYS = [(jt["name"], jt["survey_spec"]) for jt in JOB_TEMPLATES] + [("workflow", load("workflow_survey.yml"))]


def field_types(credential_type):
    return dict((f["id"], f.get("type", "string")) for f in credential_type["inputs"]["fields"])


class _Filenames(object):
    """tower.filename: one attribute per multi-file injector (AWX's namespace for file paths)."""


def render_injectors(credential_type, values, files_dir=None, strict=True):
    """AWX's injector rendering: the fields' values (unset booleans are False), tower.filename.<name>
    for each file template (written to files_dir), and each env value rendered in a sandbox.

    ``strict`` is how AWX validates a credential type (every name must be defined); a job renders
    with plain undefined, so an unset string input renders empty.
    """
    env = jinja2.sandbox.ImmutableSandboxedEnvironment(undefined=jinja2.StrictUndefined if strict else jinja2.Undefined)
    namespace = dict((name, False) for name, kind in field_types(credential_type).items() if kind == "boolean")
    namespace.update(values)
    filenames = _Filenames()
    for key, template in sorted(credential_type["injectors"].get("file", {}).items()):
        path = os.path.join(files_dir or "/nonexistent", key.replace(".", "_"))
        if files_dir:
            with open(path, "w") as f:
                f.write(env.from_string(template).render(namespace))
        setattr(filenames, key.split(".", 1)[1], path)
    namespace["tower"] = type("Tower", (), {"filename": filenames})()
    return dict((name, env.from_string(template).render(namespace))
                for name, template in credential_type["injectors"].get("env", {}).items())


def validate_survey(survey):
    """The checks AWX's survey_spec endpoint makes; returns the problems (empty when AWX accepts it)."""
    problems = []
    for key, kind in (("name", str), ("description", str), ("spec", list)):
        if not isinstance(survey.get(key), kind):
            problems.append("%s missing or not a %s" % (key, kind.__name__))
    if problems or not survey["spec"]:
        return problems or ["spec has no question"]
    seen = set()
    for i, question in enumerate(survey["spec"]):
        malformed = ["question %d: %s missing or not a %s" % (i, key, kind.__name__)
                     for key, kind in (("type", str), ("question_name", str), ("variable", str), ("required", bool))
                     if not isinstance(question.get(key), kind)]
        if malformed:
            problems.extend(malformed)
            continue
        if question["variable"] in seen:
            problems.append("question %d: variable %s repeated" % (i, question["variable"]))
        seen.add(question["variable"])
        qtype = question["type"]
        if qtype not in SURVEY_TYPES:
            problems.append("question %d: type %s unknown" % (i, qtype))
            continue
        default = question.get("default", "")
        if default != "" and not isinstance(default, SURVEY_TYPES[qtype]):
            problems.append("question %d: default %r is not a %s" % (i, default, qtype))
        for key in ("min", "max"):
            if question.get(key) is not None and not isinstance(question[key], int):
                problems.append("question %d: %s is not an integer" % (i, key))
        if qtype in ("multiplechoice", "multiselect"):
            if "choices" not in question:
                problems.append("question %d: no choices" % i)
            elif qtype == "multiselect" and any(d not in question["choices"] for d in default.splitlines()):
                problems.append("question %d: default %r not among the choices" % (i, default))
        if isinstance(default, str) and default.startswith("$encrypted$"):
            problems.append("question %d: $encrypted$ default" % i)
        problems.extend("question %d: %s" % (i, p) for p in answer_problems(question, default) if default != "")
    return problems


def answer_problems(question, answer):
    """What AWX says of an answer at launch (required, min/max length of text, value of numbers, choices)."""
    if answer in ("", None):
        return ["%s is required" % question["variable"]] if question["required"] else []
    if question["type"] in ("text", "textarea", "password"):
        if not isinstance(answer, str):
            return ["%s must be a string" % question["variable"]]
        if len(answer) < question.get("min", 0) or ("max" in question and len(answer) > question["max"]):
            return ["%s: length %d outside %s..%s" % (question["variable"], len(answer), question.get("min"), question.get("max"))]
    if question["type"] == "multiplechoice" and answer not in question["choices"]:
        return ["%s: %r is not a choice" % (question["variable"], answer)]
    return []


def survey_extra_vars(survey, **answers):
    """The extra variables a launch sends: every answer, the defaults for the rest, checked like AWX does."""
    variables = {}
    for question in survey["spec"]:
        answer = answers.pop(question["variable"], question.get("default", ""))
        assert answer_problems(question, answer) == []
        if answer != "" or "default" in question:
            variables[question["variable"]] = answer
    assert answers == {}, "not survey questions: %s" % sorted(answers)
    return variables


# -- the definitions ---------------------------------------------------------------------------

def test_credential_type_passes_awx_input_and_injector_rules():
    jsonschema.validate(CREDENTIAL_TYPE["inputs"], INPUTS_SCHEMA)
    jsonschema.validate(CREDENTIAL_TYPE["injectors"], INJECTORS_SCHEMA)
    fields = CREDENTIAL_TYPE["inputs"]["fields"]
    ids = [f["id"] for f in fields]
    assert len(ids) == len(set(ids)) and "tower" not in ids
    assert set(CREDENTIAL_TYPE["inputs"]["required"]) <= set(ids)
    for field in fields:
        if field.get("type", "string") != "string":
            assert not set(field) & {"choices", "multiline", "format", "secret"}, field
    assert CREDENTIAL_TYPE["kind"] in JOB_CREDENTIAL_KINDS
    env = CREDENTIAL_TYPE["injectors"]["env"]
    assert not [name for name in env if name.startswith("ANSIBLE_")]
    # AWX renders every template with each field set to a placeholder: no undefined name.
    render_injectors(CREDENTIAL_TYPE, dict((i, "EXAMPLE") for i in ids))
    assert sorted(env) == ["UTMSTACK_API_KEY", "UTMSTACK_CA_PATH", "UTMSTACK_URL", "UTMSTACK_VALIDATE_CERTS"]
    assert [f["id"] for f in fields if f.get("secret")] == ["api_key"]


@pytest.mark.parametrize("name,survey", SURVEYS, ids=[survey_name for survey_name, survey in SURVEYS])
def test_survey_passes_awx_rules(name, survey):
    assert validate_survey(survey) == []


def test_validators_reject_what_awx_rejects():
    """The restated rules are not vacuous: known-bad definitions fail them."""
    bad_survey = {"name": "x", "description": "", "spec": [
        {"question_name": "a", "variable": "v", "type": "text", "required": True, "default": "toolong", "max": 3},
        {"question_name": "b", "variable": "v", "type": "choice", "required": True},
        {"question_name": "c", "variable": "w", "type": "multiplechoice", "required": False, "choices": ["x"],
         "default": "y"}]}
    assert validate_survey(bad_survey) == ["question 0: v: length 7 outside None..3", "question 1: variable v repeated",
                                           "question 1: type choice unknown", "question 2: w: 'y' is not a choice"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"env": {"1BAD": "x"}}, INJECTORS_SCHEMA)
    with pytest.raises(jinja2.UndefinedError):
        render_injectors({"inputs": {"fields": [{"id": "url", "label": "URL"}]},
                          "injectors": {"env": {"U": "{{ uri }}"}}}, {"url": "EXAMPLE"})


def test_job_templates_name_what_setup_creates_and_playbooks_that_exist():
    with open(os.path.join(AWX, "setup.yml")) as f:
        setup_vars = yaml.safe_load(f)[0]["vars"]
    for jt in JOB_TEMPLATES:
        assert jt["project"] == setup_vars["awx_project_name"]
        assert jt["inventory"] == setup_vars["awx_inventory_name"]
        assert jt["credentials"] == [setup_vars["awx_credential_name"]]
        assert os.path.isfile(os.path.join(ROOT, jt["playbook"])), jt["playbook"]
    with open(os.path.join(AWX, "setup.yml")) as f:
        nodes = re.findall(r"name: (UTMStack - [^,}]+), type: job_template", f.read())
    assert nodes and set(nodes) <= set(jt["name"] for jt in JOB_TEMPLATES)


def test_setup_playbook_loads_the_definitions_untemplated():
    """The injector templates are AWX's: Ansible must pass them on as written, not render them."""
    out = run([os.path.join(BIN, "ansible-playbook"), os.path.join(AWX, "setup.yml"), "--tags", "definitions"],
              env={"ANSIBLE_STDOUT_CALLBACK": "default", "ANSIBLE_CALLBACK_RESULT_FORMAT": "json"}).stdout
    shown = re.search(r"^ok: \[localhost\] => (\{.*?^\})$", out, re.M | re.S)
    assert shown, out
    msg = json.loads(shown.group(1))["msg"]
    assert msg["credential_type"] == CREDENTIAL_TYPE
    assert msg["job_templates"] == JOB_TEMPLATES


# -- job runs through ansible-runner -----------------------------------------------------------

@pytest.fixture(scope="module")
def awx_project(tmp_path_factory):
    """project/, the checkout, and requirements_collections/, what the project sync installed from
    collections/requirements.yml (run from the project root, as AWX does); returns the checkout."""
    private = tmp_path_factory.mktemp("awx")
    project = private / "project"
    for rel in collection_files():
        target = project / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(os.path.join(ROOT, rel), str(target))
    collections = private / "requirements_collections"
    run([os.path.join(BIN, "ansible-galaxy"), "collection", "install", "-r",
         str(project / "collections" / "requirements.yml"), "--collections-path", str(collections)],
        cwd=str(project), env={"ANSIBLE_COLLECTIONS_PATH": str(collections)})
    assert (collections / "ansible_collections" / "utmstack" / "soc" / "MANIFEST.json").exists()
    return project


def launch(checkout, template_name, credential_inputs, monkeypatch, expect="successful", **answers):
    """Run a job template's playbook as an AWX job runs it, in a private data dir of its own
    (ansible-runner keeps env/ files there); returns the job's output."""
    import ansible_runner

    jt = next(jt for jt in JOB_TEMPLATES if jt["name"] == template_name)
    private = checkout.parent / ("job-%d" % len(list(checkout.parent.glob("job-*"))))
    (private / "credential_files").mkdir(parents=True)
    for shared in ("project", "requirements_collections"):
        (private / shared).symlink_to(checkout.parent / shared)
    env = render_injectors(CREDENTIAL_TYPE, credential_inputs, str(private / "credential_files"), strict=False)
    env.update(ANSIBLE_COLLECTIONS_PATH=str(private / "requirements_collections"), ANSIBLE_NOCOLOR="1",
               PATH=BIN + os.pathsep + os.environ["PATH"])  # the ansible-playbook of the tests' ansible-core
    for name in list(os.environ):
        if name.startswith("UTMSTACK_") and name != "UTMSTACK_STATE_DIR" or name == "ANSIBLE_COLLECTIONS_PATH":
            monkeypatch.delenv(name)  # only the credential connects the job
    result = ansible_runner.run(
        private_data_dir=str(private), playbook=jt["playbook"],
        inventory="localhost ansible_connection=local ansible_python_interpreter=%s" % sys.executable,
        envvars=env, extravars=survey_extra_vars(jt["survey_spec"], **answers), quiet=True, rotate_artifacts=1)
    output = result.stdout.read()
    assert result.status == expect, output[-6000:]
    return output


@pytest.fixture
def api_key_credential(emulator):
    return {"url": emulator.url, "api_key": API_KEY}


def incident(client, name):
    from ansible_collections.utmstack.soc.plugins.module_utils import incidents

    return incidents.find_by_name(client, name)


def test_escalate_triage_close_jobs(awx_project, emulator, client, api_key_credential, monkeypatch):
    ids = free_alert_ids(client, 2)
    launch(awx_project, "UTMStack - escalate alerts", api_key_credential, monkeypatch,
           incident_name="AWX: port scans", alert_ids="\n".join(ids))
    assert incident(client, "AWX: port scans")["incidentStatus"] == "OPEN"
    launch(awx_project, "UTMStack - triage incident", api_key_credential, monkeypatch, incident_name="AWX: port scans")
    assert incident(client, "AWX: port scans")["incidentStatus"] == "IN_REVIEW"
    launch(awx_project, "UTMStack - close incident", api_key_credential, monkeypatch,
           incident_name="AWX: port scans", solution="Scanner blocked at the firewall.")
    assert incident(client, "AWX: port scans")["incidentStatus"] == "COMPLETED"


def test_false_positive_job(awx_project, emulator, client, api_key_credential, monkeypatch):
    (alert_id,) = free_alert_ids(client, 1)
    launch(awx_project, "UTMStack - false positive", api_key_credential, monkeypatch,
           alert_ids=alert_id, reason="The SOC's own vulnerability scanner.")
    from ansible_collections.utmstack.soc.plugins.module_utils import alerts

    doc = alerts.get_alerts(client, [alert_id])[alert_id]
    assert doc["status"] == 5 and "False positive" in doc["tags"]


def test_respond_job_over_tls_with_the_credential_ca(awx_project, monkeypatch):
    """The CA certificate input reaches the modules as a file (the credential's file injector)."""
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)  # no trust from the test machine's environment
    from emulator import Emulator

    clear_local_state()  # the modules' journal of another emulator's incidents would apply here
    with Emulator(api_keys={API_KEY: "admin"}, seed="demo", tls=True) as tls_emulator:
        with open(tls_emulator.ca_file) as f:
            ca_cert = f.read()
        credential = {"url": tls_emulator.url, "api_key": API_KEY, "ca_cert": ca_cert}
        launch(awx_project, "UTMStack - respond to open alerts", credential, monkeypatch)
        assert ("POST", "/api/utm-incidents") in [(r["method"], r["path"]) for r in tls_emulator.requests(writes_only=True)]
        # Without the CA the same job cannot verify the server certificate.
        output = launch(awx_project, "UTMStack - respond to open alerts", {"url": tls_emulator.url, "api_key": API_KEY},
                        monkeypatch, expect="failed")
        assert "certificate" in output, output[-3000:]
