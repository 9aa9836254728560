"""make docs: the antsibull-docs Sphinx site builds offline with warnings as errors and has a page
for every module and role, every guide in docs/ and the changelog."""

import glob
import os

import yaml

from build_docs import docs_python, main
from test_collection import MODULES, ROOT


def test_docs_site_builds_with_every_page():
    html = main(docs_python())
    pages = os.path.join(html, "collections", "utmstack", "soc")
    for module in MODULES:
        assert os.path.isfile(os.path.join(pages, module + "_module.html")), module
    for role in os.listdir(os.path.join(ROOT, "roles")):
        assert os.path.isfile(os.path.join(pages, role + "_role.html")), role
    for guide in glob.glob(os.path.join(ROOT, "docs", "*.md")):
        assert os.path.isfile(os.path.join(html, "guides", os.path.basename(guide)[:-3] + ".html")), guide
    with open(os.path.join(ROOT, "galaxy.yml")) as f:
        version = yaml.safe_load(f)["version"]
    with open(os.path.join(html, "changelog.html")) as f:
        assert "v" + version in f.read()
