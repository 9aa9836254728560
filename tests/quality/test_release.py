"""What a Galaxy or Automation Hub user gets: the release documents, the tarball's contents, and
galaxy-importer's verdict on the tarball."""

import glob
import os
import subprocess
import tarfile

import yaml

from test_collection import BIN, ROOT, run
from venvs import tool_venv

GALAXY_IMPORTER = ["galaxy-importer==0.4.44"]
# What must stay out of the tarball (build_ignore in galaxy.yml): dev tooling, and the AWX setup
# playbook, which needs awx.awx.
DEV_ONLY = ["Makefile", "pytest.ini", "requirements-dev.txt", "tools/", "tests/benchmarks/", ".ci/",
            "changelogs/fragments/", "build/", ".venv/", "extensions/awx/setup.yml"]
USER_FILES = ["LICENSE", "CHANGELOG.rst", "CONTRIBUTING.md", "CODE_OF_CONDUCT.md", "README.md", "requirements.txt",
              "meta/runtime.yml", "meta/execution-environment.yml", "meta/requirements.txt",
              "changelogs/changelog.yaml", "extensions/ee/execution-environment.yml", "extensions/awx/credential_type.yml"]


def galaxy_version():
    with open(os.path.join(ROOT, "galaxy.yml")) as f:
        return yaml.safe_load(f)["version"]


def read(*parts):
    with open(os.path.join(ROOT, *parts)) as f:
        return f.read()


def test_license_is_the_gpl_3_text_that_ansible_core_ships():
    """galaxy.yml says GPL-3.0-or-later; the text is the FSF's, as distributed with ansible-core."""
    import ansible

    shipped = glob.glob(os.path.join(os.path.dirname(os.path.dirname(ansible.__file__)),
                                     "ansible_core-*.dist-info", "licenses", "COPYING"))
    assert shipped, "ansible-core's COPYING not found"
    with open(shipped[0]) as f:
        assert read("LICENSE") == f.read()
    assert yaml.safe_load(read("galaxy.yml"))["license"] == ["GPL-3.0-or-later"]


def test_changelog_rst_is_generated_from_changelog_yaml(tmp_path):
    """CHANGELOG.rst is exactly what antsibull-changelog makes of changelogs/ (run `make changelog`)."""
    copy = tmp_path / "collection"
    copy.mkdir()
    for name in ("galaxy.yml", "CHANGELOG.rst"):
        (copy / name).write_text(read(name))
    (copy / "changelogs").mkdir()
    for name in ("config.yaml", "changelog.yaml"):
        (copy / "changelogs" / name).write_text(read("changelogs", name))
    run([os.path.join(BIN, "antsibull-changelog"), "generate"], cwd=str(copy))
    assert (copy / "CHANGELOG.rst").read_text() == read("CHANGELOG.rst"), "CHANGELOG.rst is stale: run make changelog"
    releases = yaml.safe_load(read("changelogs", "changelog.yaml"))["releases"]
    assert galaxy_version() in releases
    assert "v%s\n" % galaxy_version() in read("CHANGELOG.rst")
    run([os.path.join(BIN, "antsibull-changelog"), "lint-changelog-yaml", os.path.join(ROOT, "changelogs", "changelog.yaml")])


def test_contributing_and_code_of_conduct_are_linked():
    assert "CODE_OF_CONDUCT.md" in read("CONTRIBUTING.md")
    assert "make changelog" in read("CONTRIBUTING.md")


def test_tarball_has_what_users_need_and_no_dev_tooling(collection_tarball):
    with tarfile.open(collection_tarball) as tar:
        members = {m.name: m for m in tar.getmembers()}
    for name in USER_FILES:
        assert name in members, "%s missing from the tarball" % name
        member = members[name]
        if member.issym():  # requirements.txt links to meta/requirements.txt; installs resolve it
            member = members.get(os.path.normpath(os.path.join(os.path.dirname(name), member.linkname)))
        assert member is not None and member.isfile(), "%s is not a file in the tarball" % name
    for prefix in DEV_ONLY:
        packed = [name for name in members if name == prefix.rstrip("/") or name.startswith(prefix)]
        assert packed == [], "dev tooling in the tarball: %s" % packed[:5]


def test_galaxy_importer_accepts_the_tarball(collection_tarball, tmp_path):
    """galaxy-importer as Galaxy runs it (ansible-doc, content checks, ansible-lint), ansible-test off:
    it has its own venv because it pins ansible-lint and attrs."""
    venv = tool_venv("galaxy-importer", GALAXY_IMPORTER)
    env = dict(os.environ, PATH=os.path.join(venv, "bin") + os.pathsep + os.environ["PATH"],
               GALAXY_IMPORTER_RUN_ANSIBLE_TEST="false", GALAXY_IMPORTER_CONFIG=str(tmp_path / "none.cfg"),
               ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, "build", "awx-collections"))
    env.pop("VIRTUAL_ENV", None)
    result = subprocess.run([os.path.join(venv, "bin", "python"), "-m", "galaxy_importer.main", collection_tarball,
                             "--output-path", str(tmp_path)], cwd=str(tmp_path), env=env, capture_output=True,
                            text=True, timeout=900, check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-8000:]
    assert "Importer processing completed successfully" in output, output[-8000:]
    assert "...ansible-lint run complete" in output, output[-8000:]
    findings = [line for line in output.splitlines() if line.startswith(("WARNING", "ERROR"))]
    assert findings == [], "\n".join(findings)
