# -*- coding: utf-8 -*-
# Copyright: utmstack.soc contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # Kept in step with plugins/module_utils/connection.py by tests/unit.
    DOCUMENTATION = r"""
options:
  url:
    description:
      - Base URL of the UTMStack web console, for example C(https://utmstack.example.com).
      - The API lives under C(/api) of this URL; the modules add it. A URL that ends in C(/api) is refused
        before any request (it would send every request to C(/api/api/...)).
      - If not set, the value of the E(UTMSTACK_URL) environment variable is used. One of the two is required.
    type: str
  api_key:
    description:
      - UTMStack v11 API key, sent in the C(Utm-Api-Key) header.
      - Create one in the console under Settings, API Keys. Takes precedence over O(token) and O(username).
      - If not set, the value of the E(UTMSTACK_API_KEY) environment variable is used.
    type: str
  username:
    description:
      - Login of a UTMStack user, used with O(password) when no O(api_key) or O(token) is given.
      - The module logs in once per task with C(POST /api/authenticate) and the C(X-Bypass-TFA) header,
        and reuses the token for every request of that task. If the server refuses the token (HTTP 401, as
        after a backend restart), it logs in once more and sends the refused request again.
      - If not set, the value of the E(UTMSTACK_USERNAME) environment variable is used.
    type: str
  password:
    description:
      - Password of O(username).
      - If not set, the value of the E(UTMSTACK_PASSWORD) environment variable is used.
    type: str
  token:
    description:
      - "A JWT issued by C(POST /api/authenticate), sent as C(Authorization: Bearer <token>)."
      - Tokens die when the UTMStack backend restarts and after 24 hours; prefer O(api_key) for automation,
        or give O(username) and O(password) as well, so the module can log in again when the token is refused.
      - If not set, the value of the E(UTMSTACK_TOKEN) environment variable is used.
    type: str
  validate_certs:
    description:
      - Whether to verify the server's TLS certificate. Leave it on in production; use O(ca_path)
        for a private certificate authority instead of turning it off.
      - If not set, the value of the E(UTMSTACK_VALIDATE_CERTS) environment variable is used.
    type: bool
    default: true
  ca_path:
    description:
      - PEM file with the certificate authority (or chain) that signed the server's certificate.
        It must exist when O(validate_certs) is on.
      - If not set, the value of the E(UTMSTACK_CA_PATH) environment variable is used.
    type: path
  timeout:
    description:
      - Seconds to wait for the server on each request; above 0.
      - If not set, the value of the E(UTMSTACK_TIMEOUT) environment variable is used.
    type: int
    default: 30
  api_version:
    description:
      - Major version of the UTMStack server.
      - Decides the alert index searched (C(v11-alert-*) on 11, C(alert-*) on 10) and the v10 differences
        of the alert status write (no false-positive tag flag, no update of echo alerts).
      - API keys (O(api_key)) exist on UTMStack 11 only; on 10 use O(username) and O(password) or O(token).
      - If not set, the value of the E(UTMSTACK_API_VERSION) environment variable is used.
    type: int
    choices: [10, 11]
    default: 11
notes:
  - One of O(api_key), O(token) or O(username) and O(password) is required.
  - Every request is retried when no connection could be made and on HTTP 429 and 503 (the server did not
    process it), honouring C(Retry-After). Reads are also retried after a lost answer and on HTTP 502 and 504.
    A write whose answer is lost (a read timeout, a dropped connection, a broken body) is never sent again blindly.
    A refused connection, a host name that does not resolve and a failed TLS handshake are reported at once.
  - Proxies are taken from the E(HTTPS_PROXY), E(HTTP_PROXY) and E(NO_PROXY) environment variables.
requirements:
  - requests >= 2.25 with urllib3 >= 1.26.5
"""
