"""Build the collection's docs site (make docs): antsibull-docs pages of every module and role,
the guides in docs/ and the changelog, as a Sphinx HTML site in build/docs/html.

Offline: intersphinx is off, and the few Ansible documentation labels the generated pages
refer to are given a local page that links to docs.ansible.com. Sphinx warnings are errors.
Usage (make docs): python tests/quality/build_docs.py; the tools get a venv of their own under
build/venvs (Sphinx and its theme do not belong in .venv).
"""

import glob
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEST = os.path.join(ROOT, "build", "docs")
COLLECTIONS = os.path.join(ROOT, "build", "collections")
DOCS_TOOLS = ["antsibull-docs==2.28.0", "sphinx==9.1.1", "sphinx-ansible-theme==0.10.4", "ansible-pygments==0.1.2",
              "myst-parser==5.2.0"]
# Labels of the Ansible documentation that antsibull-docs pages link to, and where they are.
ANSIBLE_LABELS = {
    "action_plugins": ("Action plugins", "plugins/action.html"),
    "common_return_values": ("Common return values", "reference_appendices/common_return_values.html"),
    "ansible_configuration_settings": ("Ansible configuration settings", "reference_appendices/config.html"),
}
CONF = """
# Added by tests/quality/build_docs.py: offline, Markdown guides, no link checks against the web.
intersphinx_mapping = {}
extensions.append('myst_parser')
source_suffix = {'.rst': 'restructuredtext', '.md': 'markdown'}
myst_heading_anchors = 3
"""


# A Markdown link to a relative path: [text](path#anchor).
RELATIVE_LINK = re.compile(r"\]\((?!https?://|mailto:|#)([^)#\s]+)(#[^)\s]*)?\)")


def site_links(text):
    """Links from a guide to files outside docs/ point at the repository; links between guides stay."""
    import yaml

    with open(os.path.join(ROOT, "galaxy.yml")) as f:
        repository = yaml.safe_load(f)["repository"]

    def link(match):
        path = os.path.normpath(os.path.join("docs", match.group(1)))
        if path.startswith("docs" + os.sep) and path.endswith(".md"):
            return match.group(0)
        return "](%s/blob/main/%s%s)" % (repository, path.replace(os.sep, "/"), match.group(2) or "")
    return RELATIVE_LINK.sub(link, text)


def main(python):
    bindir = os.path.dirname(python)
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, PATH=bindir + os.pathsep + os.environ["PATH"])
    shutil.rmtree(DEST, ignore_errors=True)
    os.makedirs(DEST, mode=0o700)
    antsibull = os.path.join(bindir, "antsibull-docs")
    subprocess.run([antsibull, "sphinx-init", "--use-current", "--dest-dir", DEST, "utmstack.soc"], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    rst = os.path.join(DEST, "rst")
    os.makedirs(rst, mode=0o700, exist_ok=True)
    subprocess.run([antsibull, "--config-file", os.path.join(DEST, "antsibull-docs.cfg"), "collection", "--use-current",
                    "--fail-on-error", "--cleanup", "everything", "--dest-dir", rst, "utmstack.soc"], env=env, check=True)
    with open(os.path.join(DEST, "conf.py"), "a") as f:
        f.write(CONF)
    guides = os.path.join(rst, "guides")
    os.makedirs(guides)
    names = []
    for path in sorted(glob.glob(os.path.join(ROOT, "docs", "*.md"))):
        with open(path) as source, open(os.path.join(guides, os.path.basename(path)), "w") as guide:
            guide.write(site_links(source.read()))
        names.append("guides/" + os.path.basename(path)[:-3])
    shutil.copyfile(os.path.join(ROOT, "CHANGELOG.rst"), os.path.join(rst, "changelog.rst"))
    with open(os.path.join(rst, "ansible_references.rst"), "w") as f:
        f.write("Ansible documentation\n=====================\n\n")
        for label, (title, page) in sorted(ANSIBLE_LABELS.items()):
            f.write(".. _%s:\n\n%s\n%s\n\n`%s <https://docs.ansible.com/ansible/latest/%s>`_ in the Ansible documentation.\n\n"
                    % (label, title, "-" * len(title), title, page))
    with open(os.path.join(rst, "index.rst"), "a") as f:
        f.write("\n.. toctree::\n   :maxdepth: 1\n   :caption: Guides:\n\n%s\n   changelog\n   ansible_references\n"
                % "".join("   %s\n" % name for name in names))
    subprocess.run([os.path.join(bindir, "sphinx-build"), "-W", "--keep-going", "-q", "-b", "html", rst,
                    os.path.join(DEST, "html"), "-c", DEST], env=env, check=True)
    return os.path.join(DEST, "html")


def docs_python():
    """The Python of the docs tools' venv, with the development ansible-core (antsibull-docs runs ansible-doc)."""
    from venvs import tool_venv

    with open(os.path.join(ROOT, "requirements-dev.txt")) as f:
        core = [line.strip() for line in f if line.startswith("ansible-core==")]
    return os.path.join(tool_venv("docs", DOCS_TOOLS + core), "bin", "python")


if __name__ == "__main__":
    sys.path[:0] = [os.path.join(ROOT, "tests"), os.path.dirname(os.path.abspath(__file__))]
    print(main(docs_python()))
