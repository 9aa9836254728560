"""Every function the collection ships stays simple: McCabe complexity 10 at most (issue 9)."""

import ast
import glob
import os

import mccabe
import pytest

from harness import ROOT

LIMIT = 10
SHIPPED = sorted(glob.glob(os.path.join(ROOT, "plugins", "**", "*.py"), recursive=True)
                 + glob.glob(os.path.join(ROOT, "extensions", "eda", "plugins", "**", "*.py"), recursive=True))


def complexities(path):
    with open(path) as handle:
        tree = ast.parse(handle.read(), path)
    visitor = mccabe.PathGraphingAstVisitor()
    visitor.preorder(tree, visitor)
    return dict((graph.entity, graph.complexity()) for graph in visitor.graphs.values())


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: os.path.relpath(path, ROOT))
def test_no_function_is_more_complex_than_the_limit(path):
    too_complex = dict((name, value) for name, value in complexities(path).items() if value > LIMIT)
    assert too_complex == {}, "split these (McCabe complexity above %d): %s" % (LIMIT, too_complex)


def test_the_check_sees_functions():
    assert SHIPPED and max(complexities(os.path.join(ROOT, "plugins", "modules", "utm_incident.py")).values()) > 5
