"""Fixtures of the release checks: the built collection tarball and cached tool venvs."""

import glob
import os

import pytest

from test_collection import BIN, run


@pytest.fixture(scope="session")
def collection_tarball(tmp_path_factory):
    """The collection built from the working tree, as Galaxy would receive it."""
    out = tmp_path_factory.mktemp("dist")
    run([os.path.join(BIN, "ansible-galaxy"), "collection", "build", "--force", "--output-path", str(out)])
    (tarball,) = glob.glob(str(out / "utmstack-soc-*.tar.gz"))
    return tarball


@pytest.fixture(scope="session", autouse=True)
def awx_collection():
    """awx.awx, which extensions/awx/setup.yml uses, for ansible-lint and the syntax checks (make awx-collection)."""
    run(["make", "-s", "awx-collection"])
