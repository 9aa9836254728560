"""ansible-builder makes a build context from both execution environment definitions (building
the image needs a container engine, which CI does not have): the collection's own dependency file
meta/execution-environment.yml, and the ready image definition extensions/ee/execution-environment.yml."""

import os
import re
import shutil

import pytest
import yaml

from test_collection import BIN, ROOT, run

META_EE = os.path.join(ROOT, "meta", "execution-environment.yml")
IMAGE_EE = os.path.join(ROOT, "extensions", "ee", "execution-environment.yml")
# Where the image definition takes the collection tarball from (its additional_build_files).
IMAGE_TARBALL = os.path.join(ROOT, "build", "ee", "utmstack-soc.tar.gz")


def load(path):
    with open(path) as f:
        return yaml.safe_load(f)


def requirement_lines(path):
    with open(path) as f:
        return [line.split("#")[0].strip() for line in f if line.split("#")[0].strip()]


def create(definition, context):
    run([os.path.join(BIN, "ansible-builder"), "create", "-f", definition, "--context", str(context),
         "--output-filename", "Containerfile"])
    with open(os.path.join(str(context), "Containerfile")) as f:
        return f.read()


def build_arg(containerfile, name):
    match = re.search(r'^ARG %s="([^"]*)"$' % name, containerfile, re.M)
    assert match, "no ARG %s in the Containerfile" % name
    return match.group(1)


@pytest.mark.parametrize("definition", [META_EE, IMAGE_EE], ids=["meta", "image"])
def test_definition_pins_a_base_image_and_bounds_ansible(definition):
    ee = load(definition)
    assert ee["version"] == 3
    image = ee["images"]["base_image"]["name"]
    assert ":" in image and not image.endswith(":latest"), image
    assert "ansible-runner" not in image.split(":")[0], "the ansible-runner images are discontinued: %s" % image
    core = ee["dependencies"]["ansible_core"]["package_pip"]
    floor = load(os.path.join(ROOT, "meta", "runtime.yml"))["requires_ansible"].lstrip(">=")
    assert re.fullmatch(r"ansible-core>=%s,<\d+\.\d+" % re.escape(".".join(floor.split(".")[:2])), core), core
    assert ee["dependencies"]["ansible_runner"]["package_pip"].startswith("ansible-runner>=")


def test_both_definitions_agree():
    meta, image = load(META_EE), load(IMAGE_EE)
    assert meta["images"] == image["images"]
    for key in ("python_interpreter", "ansible_core", "ansible_runner"):
        assert meta["dependencies"][key] == image["dependencies"][key], key


def test_meta_definition_creates_a_context_with_the_collection_requirements(tmp_path):
    containerfile = create(META_EE, tmp_path)
    meta = load(META_EE)
    assert build_arg(containerfile, "EE_BASE_IMAGE") == meta["images"]["base_image"]["name"]
    assert build_arg(containerfile, "ANSIBLE_INSTALL_REFS") == "%s %s" % (
        meta["dependencies"]["ansible_core"]["package_pip"], meta["dependencies"]["ansible_runner"]["package_pip"])
    assert requirement_lines(str(tmp_path / "_build" / "requirements.txt")) == requirement_lines(
        os.path.join(ROOT, "requirements.txt"))
    assert "--user-pip=requirements.txt" in containerfile


def test_image_definition_installs_the_collection_tarball(tmp_path, collection_tarball):
    os.makedirs(os.path.dirname(IMAGE_TARBALL), exist_ok=True)
    shutil.copyfile(collection_tarball, IMAGE_TARBALL)
    containerfile = create(IMAGE_EE, tmp_path / "context")
    build = tmp_path / "context" / "_build"
    with open(collection_tarball, "rb") as built, open(str(build / "collections" / "utmstack-soc.tar.gz"), "rb") as packed:
        assert packed.read() == built.read()
    galaxy = load(str(build / "requirements.yml"))
    assert galaxy["collections"] == [{"name": "/build/collections/utmstack-soc.tar.gz", "type": "file"}]
    assert "COPY _build /build" in containerfile
    assert re.search(r"ansible-galaxy collection install .*-r requirements.yml", containerfile)
    assert "--user-bindep=bindep.txt" in containerfile and (build / "bindep.txt").exists()
    assert build_arg(containerfile, "EE_BASE_IMAGE") == load(IMAGE_EE)["images"]["base_image"]["name"]

    # The builder stage introspects the installed collections for their Python and system needs:
    # do the same with the tarball installed the way the galaxy stage installs it.
    installed = tmp_path / "collections"
    run([os.path.join(BIN, "ansible-galaxy"), "collection", "install", str(build / "collections" / "utmstack-soc.tar.gz"),
         "-p", str(installed)], env={"ANSIBLE_COLLECTIONS_PATH": str(installed)})
    found = yaml.safe_load(run([os.path.join(BIN, "python"), str(build / "scripts" / "introspect.py"), "introspect",
                                str(installed)]).stdout)
    wanted = ["%s  # from collection utmstack.soc" % line for line in requirement_lines(os.path.join(ROOT, "requirements.txt"))]
    assert found["python"] == wanted
