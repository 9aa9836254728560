# -*- coding: utf-8 -*-
# Copyright: utmstack.soc contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Substring filters through JHipster's ``contains``, a case-insensitive ``LIKE '%value%'``.

The server does not escape the value, so ``%`` and ``_`` in it act as wildcards:
``name_contains: 100%`` would also match "100 hosts". A value with either is sent as its
longest piece without them, whose answer holds every row that really matches, and the rows
are narrowed here. No Ansible imports: tested on its own.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

LIKE_WILDCARDS = re.compile(r"[%_]+")
# For names that may differ in spaces too: the pieces must hold in every spelling.
WORD_BREAKS = re.compile(r"[\s%_]+")


def server_value(value, breaks=LIKE_WILDCARDS):
    """The longest piece of ``value`` between ``breaks`` (None when nothing is left)."""
    pieces = [piece for piece in breaks.split(value) if piece]
    return max(pieces, key=len) if pieces else None


def sent_as_is(value):
    """True when the server's ``contains`` matches ``value`` literally."""
    return not LIKE_WILDCARDS.search(value)


def contains(text, value):
    """What ``contains`` means to the user: ``value`` in ``text``, ignoring case, literally."""
    return value.upper() in (text or "").upper()


def narrow(rows, field, value):
    """The rows whose ``field`` really contains ``value`` (all of them when the server matched literally)."""
    if sent_as_is(value):
        return rows
    return [row for row in rows if contains(row.get(field), value)]


def same_words(first, second):
    """Names equal but for case and spaces (UTMStack tells them apart; people rarely mean to)."""
    return " ".join(first.split()).casefold() == " ".join(second.split()).casefold()
